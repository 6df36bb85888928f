"""Loading the seed directory: it validates, and broken copies fail at file:line: field."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from graph.errors import LoadError
from graph.loader import DEFAULT_SEED_DIR, load_dir
from graph.schema import TOP_LEVEL_THEMES, EdgeType, NodeKind


@pytest.fixture(scope="module")
def seed():
    return load_dir(DEFAULT_SEED_DIR)


@pytest.fixture
def broken(tmp_path) -> Path:
    """A private copy of seed_data to break."""
    copy = tmp_path / "seed_data"
    shutil.copytree(DEFAULT_SEED_DIR, copy)
    return copy


def replace_line(path: Path, line_no: int, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line_no - 1] = new if new.endswith("\n") else new + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def line_of(path: Path, pattern: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.search(pattern, line):
            return i
    raise AssertionError(f"{pattern!r} not in {path}")


def problems(root: Path) -> list[str]:
    with pytest.raises(LoadError) as info:
        load_dir(root)
    return [str(p) for p in info.value.problems]


def test_seed_data_validates_and_holds_every_council(seed):
    kg = seed.graph()
    stats = kg.stats()
    assert stats["councils"]["current"] == 153
    assert stats["nodes"]["Region"] == 9
    top = sorted(t.id for t in kg.nodes(NodeKind.THEME) if t.parent is None)
    assert top == sorted(TOP_LEVEL_THEMES)


def test_council_region_is_an_in_region_edge(seed):
    kg = seed.graph()
    [edge] = kg.out_edges("E06000006", EdgeType.IN_REGION)
    assert edge.dst == "E12000002"  # Halton is in the North West


def test_bad_gss_code_in_councils_csv_names_file_line_and_field(broken):
    path = broken / "councils.csv"
    n = line_of(path, r"^E06000006,")
    original = path.read_text(encoding="utf-8").splitlines()[n - 1]
    replace_line(path, n, original.replace("E06000006", "X06000006", 1))
    found = problems(broken)
    assert any(p.startswith(f"seed_data/councils.csv:{n}: code: must be an ONS GSS") for p in found)


def test_unknown_region_in_councils_csv_is_a_dangling_reference(broken):
    path = broken / "councils.csv"
    n = line_of(path, r"^E06000006,")
    original = path.read_text(encoding="utf-8").splitlines()[n - 1]
    replace_line(path, n, original.replace("E12000002", "E12000099", 1))
    found = problems(broken)
    assert f"seed_data/councils.csv:{n}: region: unknown id 'E12000099'" in found


def test_non_numeric_latitude_is_reported_on_its_line(broken):
    path = broken / "councils.csv"
    n = line_of(path, r"^E08000012,")
    cells = path.read_text(encoding="utf-8").splitlines()[n - 1].split(",")
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    cells[header.index("lat")] = "north"
    replace_line(path, n, ",".join(cells))
    found = problems(broken)
    assert any(p.startswith(f"seed_data/councils.csv:{n}: lat:") for p in found)


def test_unknown_field_in_yaml_names_the_key_line(broken):
    path = broken / "themes.yaml"
    n = line_of(path, r"^- id: workforce$")
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    text.insert(n, "  colour: blue\n")
    path.write_text("".join(text), encoding="utf-8")
    found = problems(broken)
    assert f"seed_data/themes.yaml:{n + 1}: colour: unknown field" in found


def test_edge_to_unknown_theme_names_edge_file_and_line(broken):
    path = next((broken / "edges").glob("*.yaml"))
    with path.open("a", encoding="utf-8") as fh:
        fh.write("- from: E06000006\n  type: HAS_PRIORITY\n  to: workforce.no-such-theme\n"
                 "  source: isos-regional-workshops-2016\n")
    n = len(path.read_text(encoding="utf-8").splitlines()) - 3
    found = problems(broken)
    rel = f"seed_data/edges/{path.name}"
    assert f"{rel}:{n + 2}: to: unknown id 'workforce.no-such-theme'" in found


def test_edge_between_wrong_kinds_is_refused(broken):
    path = next((broken / "edges").glob("*.yaml"))
    with path.open("a", encoding="utf-8") as fh:
        fh.write("- from: workforce\n  type: IN_REGION\n  to: E12000002\n  source: curated\n")
    found = problems(broken)
    assert any("from: 'workforce' is a Theme; IN_REGION from must be one of" in p for p in found)


def test_edge_citing_unknown_document_is_refused(broken):
    path = next((broken / "edges").glob("*.yaml"))
    with path.open("a", encoding="utf-8") as fh:
        fh.write("- from: E06000006\n  type: HAS_PRIORITY\n  to: workforce\n"
                 "  source: a-document-nobody-wrote\n")
    found = problems(broken)
    assert any("source: unknown document 'a-document-nobody-wrote'" in p for p in found)


def test_duplicate_id_points_at_first_definition(broken):
    path = broken / "themes.yaml"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("- id: workforce\n  name: Workforce again\n")
    found = problems(broken)
    assert any("id: duplicate id 'workforce' (first defined at seed_data/themes.yaml:" in p
               for p in found)


def test_invalid_yaml_reports_the_line(broken):
    path = broken / "themes.yaml"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("- id: [unclosed\n")
    found = problems(broken)
    assert any(re.match(r"seed_data/themes.yaml:\d+: not valid YAML", p) for p in found)


def test_missing_required_file_is_named(broken):
    (broken / "regions.csv").unlink()
    found = problems(broken)
    assert any("regions.csv|yaml: required file missing" in p for p in found)


def test_csv_row_with_extra_cells_is_reported(broken):
    path = broken / "regions.csv"
    n = line_of(path, r"^E12000002,")
    original = path.read_text(encoding="utf-8").splitlines()[n - 1]
    replace_line(path, n, original + ",surplus,cells")
    assert f"seed_data/regions.csv:{n}: more cells than header columns" in problems(broken)


def test_a_broken_file_loads_nothing_at_all(broken):
    path = broken / "themes.yaml"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("- id: Not A Slug\n  name: bad\n")
    with pytest.raises(LoadError):
        load_dir(broken)  # no partial SeedData is returned, only the error

