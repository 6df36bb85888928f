"""The shipped England council and region tables: complete, consistent and unambiguous."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest

from graph.loader import load_dir
from graph.resolve import normalise
from graph.schema import Council, CouncilType, Region

SEED = Path(__file__).resolve().parents[2] / "seed_data"
COUNCIL_COLUMNS = (
    "code,name,type,region,lat,lon,status,successors,abolished,postcode_count,occupied_km2,"
    "aliases,source,locator"
).split(",")
REGION_COUNTS = {
    "E12000001": 12,  # North East
    "E12000002": 24,  # North West (Cumberland and Westmorland and Furness since 2023)
    "E12000003": 15,  # Yorkshire and The Humber
    "E12000004": 10,  # East Midlands (North and West Northamptonshire since 2021)
    "E12000005": 14,  # West Midlands
    "E12000006": 11,  # East of England
    "E12000007": 33,  # London: 32 boroughs and the City
    "E12000008": 19,  # South East
    "E12000009": 15,  # South West
}


def _rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (SEED / name).open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _record(row: dict[str, str]) -> dict:
    record: dict = {}
    for key, value in row.items():
        if key == "code":
            record["id"] = value
        elif key in ("aliases", "successors"):
            record[key] = [v for v in value.split(";") if v]
        elif value != "":
            record[key] = value
    return record


@pytest.fixture(scope="module")
def councils(tmp_path_factory) -> list[Council]:
    """The table through the project loader, from a copy holding only the files it needs."""
    tmp = tmp_path_factory.mktemp("seed")
    for name in ("councils.csv", "regions.csv", "documents.yaml", "themes.yaml"):
        shutil.copy(SEED / name, tmp / name)
    loaded = [n for n in load_dir(tmp).nodes if isinstance(n, Council)]
    assert len(loaded) == len(_rows("councils.csv")[1])
    return loaded


@pytest.fixture(scope="module")
def current(councils) -> list[Council]:
    return [c for c in councils if c.status == "current"]


def test_files_have_the_agreed_columns():
    assert _rows("councils.csv")[0] == COUNCIL_COLUMNS
    assert _rows("regions.csv")[0] == ["code", "name", "aliases", "source", "locator"]


def test_there_are_153_current_councils_with_unique_codes(councils, current):
    assert len(current) == 153
    codes = [c.id for c in councils]
    assert len(codes) == len(set(codes))


def test_nine_regions_and_the_councils_per_region(current):
    regions = [Region.model_validate(_record(r)) for r in _rows("regions.csv")[1]]
    assert sorted(r.id for r in regions) == [f"E1200000{i}" for i in range(1, 10)]
    assert dict(Counter(c.region for c in current)) == REGION_COUNTS
    assert sum(REGION_COUNTS.values()) == 153


def test_council_type_follows_the_gss_prefix(councils):
    expected = {
        "E10": CouncilType.COUNTY,
        "E06": CouncilType.UNITARY,
        "E08": CouncilType.METROPOLITAN_DISTRICT,
        "E09": CouncilType.LONDON_BOROUGH,
    }
    for c in councils:
        assert c.type == expected[c.id[:3]], c.id


def test_types_after_the_2023_reorganisation(current):
    counts = Counter(c.type for c in current)
    assert counts == {
        CouncilType.COUNTY: 21,
        CouncilType.UNITARY: 63,
        CouncilType.METROPOLITAN_DISTRICT: 36,
        CouncilType.LONDON_BOROUGH: 33,
    }


def test_small_and_new_councils_are_present(current):
    codes = {c.id for c in current}
    assert {"E09000001", "E06000053", "E06000063", "E06000064", "E06000065", "E06000066"} <= codes
    assert not codes & {"E10000006", "E10000023", "E10000027", "E10000021", "E06000029"}


def test_every_council_has_a_centroid_inside_england(councils):
    for c in councils:
        assert c.lat is not None and c.lon is not None, c.id
        assert 49.85 < c.lat < 55.85 and -6.45 < c.lon < 1.8, (c.id, c.lat, c.lon)


@pytest.mark.parametrize(
    ("code", "lat", "lon"),
    [
        ("E09000001", 51.515, -0.092),  # City of London
        ("E06000053", 49.92, -6.31),  # Isles of Scilly
        ("E08000003", 53.47, -2.23),  # Manchester
        ("E06000057", 55.2, -1.9),  # Northumberland
    ],
)
def test_centroids_are_where_the_places_are(councils, code, lat, lon):
    c = next(c for c in councils if c.id == code)
    assert abs(c.lat - lat) < 0.15 and abs(c.lon - lon) < 0.15, (c.lat, c.lon)


def test_size_proxies_are_present_and_sensible(councils):
    by_code = {c.id: c for c in councils}
    for c in councils:
        assert c.postcode_count and c.occupied_km2, c.id
        assert c.occupied_km2 <= c.postcode_count
    # rural counties are sparse, inner London dense
    density = {k: by_code[k].postcode_count / by_code[k].occupied_km2 for k in by_code}
    assert density["E09000030"] > 10 * density["E06000057"]


def test_abolished_councils_point_to_current_successors(councils):
    by_code = {c.id: c for c in councils}
    abolished = [c for c in councils if c.status == "abolished"]
    assert {c.id for c in abolished} >= {
        "E10000006", "E06000029", "E06000028", "E10000009",
        "E10000021", "E10000002", "E10000023", "E10000027",
    }  # fmt: skip
    for c in abolished:
        assert c.successors and c.abolished, c.id
        for s in c.successors:
            assert by_code[s].status == "current", (c.id, s)
    assert sorted(by_code["E10000021"].successors) == ["E06000061", "E06000062"]
    assert by_code["E06000029"].successors == ["E06000058"]
    for c in councils:
        if c.status == "current":
            assert not c.successors and c.abolished is None, c.id


def test_sources_are_documents_we_cite(councils):
    documents = (SEED / "documents.yaml").read_text(encoding="utf-8")
    for c in councils:
        assert c.source in {"ons-ltla-utla-2021", "lgr-structural-change-orders"}, c.id
        assert f"id: {c.source}" in documents
        assert c.locator


def test_no_alias_is_shared_by_two_councils(councils):
    owner: dict[str, str] = {}
    for c in councils:
        for alias in c.aliases:
            key = alias.casefold()
            assert owner.setdefault(key, c.id) == c.id, (alias, owner[key], c.id)


def test_current_councils_have_distinct_normalised_names(current):
    owner: dict[str, str] = {}
    for c in current:
        for label in [c.name, *c.aliases]:
            key = normalise(label)
            assert owner.setdefault(key, c.id) == c.id, (label, owner[key], c.id)


def test_ambiguous_short_names_are_not_aliases(councils):
    aliases = {a.casefold() for c in councils for a in c.aliases}
    assert not aliases & {"kingston", "cheshire", "beds", "berks", "yorks", "london", "sussex"}
