"""The curated tables seed_data/build_councils.py builds councils.csv and regions.csv from
(seed_data/build_inputs/*.yaml) are validated data, and the shipped CSVs agree with them."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from graph.errors import LoadError
from seed_data.council_tables import INPUTS, load_tables
from seed_data.postcode_areas import Area, osgb36_to_wgs84

SEED = INPUTS.parent


def rows(name: str) -> dict[str, dict[str, str]]:
    with (SEED / name).open(encoding="utf-8", newline="") as fh:
        return {r["code"]: r for r in csv.DictReader(fh)}


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    root = tmp_path / "build_inputs"
    shutil.copytree(INPUTS, root)
    return root


def problems(root: Path) -> list[str]:
    with pytest.raises(LoadError) as info:
        load_tables(root)
    return [str(p) for p in info.value.problems]


def test_generated_csvs_agree_with_the_tables():
    tables = load_tables()
    councils, regions = rows("councils.csv"), rows("regions.csv")
    assert [r.code for r in tables.regions] == list(regions)
    for region in tables.regions:
        assert regions[region.code]["aliases"].split(";") == region.aliases
        for code in region.councils:
            assert councils[code]["region"] == region.code, code
    for code, aliases in tables.aliases.items():
        assert councils[code]["aliases"].split(";")[: len(aliases)] == aliases
    for old in tables.abolished:
        row = councils[old.code]
        assert (row["status"], row["abolished"], row["successors"].split(";"), row["locator"]) \
            == ("abolished", old.abolished, old.successors, old.order)
    for new, since_2024 in tables.recoded_2024.items():
        assert since_2024 in councils[new]["aliases"].split(";")


def test_grid_to_wgs84_matches_the_ordnance_survey_worked_example_point():
    # The OS guide's example point (Caister water tower) lies at about 52.658 N, 1.716 E.
    lat, lon = osgb36_to_wgs84(651409.903, 313177.270)
    assert (round(lat, 4), round(lon, 4)) == (52.6580, 1.7161)
    area = Area()
    area.add(651409.903, 313177.270)
    area.add(651409.903, 313177.270)
    assert area.centroid() == (52.6580, 1.7161) and area.count == 2


def test_a_bad_region_code_is_reported_with_file_and_line(inputs):
    path = inputs / "regions.yaml"
    text = path.read_text().replace("code: E12000004", "code: E13000004")
    path.write_text(text)
    line = text.splitlines().index("- code: E13000004") + 1
    assert any(p.startswith(f"build_inputs/regions.yaml:{line}: code: ") and "region code" in p
               for p in problems(inputs))


def test_an_alias_given_to_two_councils_and_an_unknown_part_are_refused(inputs):
    with (inputs / "aliases.yaml").open("a") as fh:
        fh.write("- council: E06000004\n  aliases: [Darlo]\n")
    path = inputs / "abolished.yaml"
    path.write_text(path.read_text().replace("area_bcp_parts: [poole]", "area_bcp_parts: [pool]"))
    found = problems(inputs)
    assert any("aliases.yaml" in p and "'Darlo' is already an alias of E06000005" in p
               for p in found)
    assert any("abolished.yaml" in p and "area_bcp_parts: 'pool' is not in bcp_parts.yaml" in p
               for p in found)


def test_a_council_in_two_regions_is_refused(inputs):
    path = inputs / "regions.yaml"
    path.write_text(path.read_text().replace("    - E06000001  # Hartlepool\n",
                                             "    - E06000001  # Hartlepool\n"
                                             "    - E06000006  # Halton\n", 1))
    assert any("E06000006 is already in" in p for p in problems(inputs))
