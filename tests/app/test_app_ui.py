"""app.ui: escaping for Markdown, spreadsheet-safe CSV, safe graph elements; and the app's
layering (analytics stays pure, session-state keys in one module, a test per page)."""

from __future__ import annotations

import ast
import csv
import io
import re
from pathlib import Path

import pytest

from app import ui
from app.export import to_csv

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", "[click](javascript:alert(1))", "**bold** _it_", "$x^2$",
    ":red[alarm] :smile:", "# heading", "- item", "1. first", "a | b", "`code`",
    "<img src=x onerror=alert(1)>", "back\\slash",
])
def test_md_escapes_every_markdown_construct(text):
    out = ui.md(text)
    # every special character is preceded by a backslash
    unescaped = re.sub(r"\\(.)", "", out)
    assert not set(unescaped) & set("<>[]*_`$|#:\\")
    assert re.sub(r"\\(.)", r"\1", out) == text


def test_md_joins_lines():
    assert "\n" not in ui.md("a\nb\r\nc")


@pytest.mark.parametrize("cell", ["=SUM(A1)", "+1", "-1+2", "@cmd", "\tx", "\rx"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(cell):
    rows = list(csv.reader(io.StringIO(to_csv([{"name": cell, "n": -3}]))))
    assert rows[1] == ["'" + cell, "-3"]


def test_csv_flattens_lists_and_keeps_columns():
    text = to_csv([{"a": ["x", "y"]}, {"b": 1}])
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ["x; y", ""], ["", "1"]]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module.split(".")[0])
    return out


def test_graph_analytics_imports_neither_matcher_nor_app_nor_streamlit():
    names = _imports(ROOT / "graph" / "analytics.py")
    assert not names & {"matcher", "app", "streamlit"}


def test_pages_type_no_session_state_keys_of_their_own():
    for path in (ROOT / "app" / "views").glob("*.py"):
        text = path.read_text()
        assert not re.search(r"key=[\"']", text), f"{path.name}: use a key from app.state"
        assert not re.search(r"session_state\[[\"']", text), path.name



def test_heading_marks_are_dropped_only_where_a_line_starts():
    text = "# Peer challenge\n\n## 1. Money\nKent spent #2 of its budget. ## not a heading\n"
    assert ui.without_heading_marks(text, True) == (
        "Peer challenge\n\n1. Money\nKent spent #2 of its budget. ## not a heading\n")
    # a stretch that starts after a name in mid-line keeps its first line as it is
    assert ui.without_heading_marks("# team\n## Actions", False) == "# team\nActions"
