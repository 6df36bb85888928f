"""Control characters (a NUL byte, an escape sequence) are refused wherever text enters the
graph: records built in code, seed files (CSV and YAML), round files and tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from graph.errors import LoadError
from graph.loader import DEFAULT_SEED_DIR, load_dir
from graph.peer_round import parse_requests, read_reviewers, table_rows
from graph.resolve import Resolver
from graph.schema import Council, Edge, Engagement, Provenance, SelfView

BAD = ["Hal\x00ton", "a\x1b[2Jb", "bell\x07", "del\x7f", "c1\x9b31m"]


@pytest.mark.parametrize("text", BAD)
def test_every_text_field_of_a_record_refuses_control_characters(text):
    cases = [
        lambda: Council(id="E06000006", name=text, type="unitary", region="E12000002"),
        lambda: Council(id="E06000006", name="Halton", aliases=["ok", text], type="unitary",
                        region="E12000002"),
        lambda: SelfView(what_worries_us=text),
        lambda: Engagement(id="eng-1", name=text, type="other", provider="E06000006",
                           recipient="E08000011"),
        lambda: Provenance(source="curated", locator=text),
        lambda: Edge(src="E06000006", type="HAS_PRIORITY", dst="workforce",
                     provenance=Provenance(source="curated"), props={"note": text}),
    ]
    for make in cases:
        with pytest.raises(ValidationError, match=r"control character U\+00"):
            make()


def test_line_breaks_and_tabs_stay_allowed_in_long_text():
    view = SelfView(what_worries_us="First paragraph.\n\n\tSecond, indented.\r\n")
    assert "Second" in view.what_worries_us


def test_message_names_the_character_and_where_it_is():
    with pytest.raises(ValidationError) as info:
        Council(id="E06000006", name="Hal\x00ton", type="unitary", region="E12000002")
    assert "contains the control character U+0000 (NUL) at position 4: remove it" in str(
        info.value)


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    copy = tmp_path / "seed_data"
    shutil.copytree(DEFAULT_SEED_DIR, copy)
    return copy


def _problems(root: Path) -> list[str]:
    with pytest.raises(LoadError) as info:
        load_dir(root)
    return [str(p) for p in info.value.problems]


def test_a_nul_in_a_csv_cell_is_refused_at_file_line_field(seed_copy):
    path = seed_copy / "regions.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace("North West", "North\x00 West", 1)
    path.write_text("".join(lines), encoding="utf-8")
    assert _problems(seed_copy) == [
        "seed_data/regions.csv:3: name: contains the control character U+0000 (NUL) at position 6: "
        "remove it"]


def test_an_escape_written_in_yaml_is_refused_at_file_line_field(seed_copy):
    path = seed_copy / "themes.yaml"
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("  name:")].count("\n") + 1
    text = text.replace("  name:", '  name: "\\e[2J" #', 1)  # YAML's own escape for ESC
    path.write_text(text, encoding="utf-8")
    [problem] = _problems(seed_copy)
    assert problem.startswith(f"seed_data/themes.yaml:{line}: name: contains the control character "
                              "U+001B (ESC)")


def test_a_raw_control_byte_in_yaml_is_a_one_line_problem_with_its_line(seed_copy):
    path = seed_copy / "themes.yaml"
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("  name:")].count("\n") + 1
    path.write_text(text.replace("  name: ", "  name: \x00", 1), encoding="utf-8")
    [problem] = _problems(seed_copy)
    assert problem.startswith(
        f"seed_data/themes.yaml:{line}: contains the control character U+0000")


@pytest.fixture(scope="module")
def resolver():
    return Resolver(load_dir(DEFAULT_SEED_DIR).graph().councils(status=None))


def test_round_files_and_tables_refuse_control_characters(resolver):
    text = ("reviewer_id,council,role,expertise,capacity\n"
            "r1,Halton,dcs,workforce,1\n"
            "r2\x1b[31m,Knowsley,ad,workforce,1\n")
    with pytest.raises(LoadError) as info:
        read_reviewers(text, resolver, label="reviewers.csv")
    assert [str(p) for p in info.value.problems] == [
        "reviewers.csv:3: reviewer_id: contains the control character U+001B (ESC) at "
        "position 3: remove it"]
    rows = table_rows([{"request_id": "q1", "council": "Halton\x00", "focus": "workforce",
                        "roles": "dcs:1"}])
    with pytest.raises(LoadError, match=r"<table>:2: council: contains the control character"):
        parse_requests(rows, "<table>", resolver)
