"""The resolver's place tables (seed_data/areas.yaml, royal_boroughs.yaml) are validated seed
data: faults are reported as file:line: field: problem, and the shipped tables load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.cli import main
from graph.errors import LoadError
from graph.loader import DEFAULT_SEED_DIR
from graph.resolve import load_name_tables
from graph.resolve.tables import AREAS_FILE, ROYAL_BOROUGHS_FILE


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    for name in ("councils.csv", AREAS_FILE, ROYAL_BOROUGHS_FILE):
        shutil.copy(DEFAULT_SEED_DIR / name, tmp_path / name)
    return tmp_path


def problems(root: Path) -> list[str]:
    with pytest.raises(LoadError) as info:
        load_name_tables(root)
    return [str(p) for p in info.value.problems]


def test_shipped_tables_load_and_name_the_royal_boroughs():
    tables = load_name_tables()
    assert tables.royal_boroughs == {"E09000011", "E09000020", "E09000021", "E06000040"}
    assert set(tables.areas["Cheshire"]) == {"E06000049", "E06000050"}
    assert tables.areas["London"] == ()


def test_an_unknown_council_code_is_named_with_file_and_line(seed):
    text = (seed / AREAS_FILE).read_text().replace("E06000049", "E06000999", 1)
    (seed / AREAS_FILE).write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("- name: Cheshire"))
    assert problems(seed) == [f"{seed.name}/{AREAS_FILE}:{line + 1}: councils: "
                              "E06000999 is not in councils.csv"]


def test_a_malformed_code_and_an_unknown_field_are_reported(seed):
    (seed / AREAS_FILE).write_text("- name: Avon\n  councils: [banana]\n- name: X\n"
                                   "  councils: []\n  colour: red\n")
    found = problems(seed)
    assert any(f"{AREAS_FILE}:2: councils: " in p and "not a GSS code" in p for p in found)
    assert any(f"{AREAS_FILE}:5: colour: unknown field" in p for p in found)


def test_a_royal_borough_named_differently_from_councils_csv_is_refused(seed):
    text = (seed / ROYAL_BOROUGHS_FILE).read_text().replace("name: Greenwich", "name: Woolwich")
    (seed / ROYAL_BOROUGHS_FILE).write_text(text)
    [found] = problems(seed)
    assert "name: E09000011 is 'Greenwich' in councils.csv, not 'Woolwich'" in found


def test_a_place_listed_twice_and_a_missing_file_are_reported(seed):
    (seed / AREAS_FILE).write_text("- name: Avon\n  councils: []\n- name: avon\n  councils: []\n")
    (seed / ROYAL_BOROUGHS_FILE).unlink()
    found = problems(seed)
    assert f"{seed.name}/{AREAS_FILE}:3: name: 'avon' is listed twice" in found
    assert any(ROYAL_BOROUGHS_FILE in p and "required file missing" in p for p in found)


def test_validate_command_checks_the_place_tables(seed, capsys):
    for name in ("regions.csv", "documents.yaml", "themes.yaml"):
        shutil.copy(DEFAULT_SEED_DIR / name, seed / name)
    assert main(["validate", str(seed)]) == 0
    (seed / AREAS_FILE).write_text("- name: Avon\n  councils: [E06000999]\n")
    assert main(["validate", str(seed)]) != 0
    assert f"{AREAS_FILE}:2: councils: E06000999 is not in councils.csv" in capsys.readouterr().err
