"""app.ui: escaping for Markdown, spreadsheet-safe CSV, safe graph elements; and the app's
layering (analytics stays pure, session-state keys in one module, a test per page)."""

from __future__ import annotations

import ast
import csv
import io
import re
from pathlib import Path

import networkx as nx
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


def test_graph_elements_carry_no_raw_html_outside_the_label():
    g = nx.Graph()
    g.add_node("<b>id</b>", kind="Council", name="<img src=x onerror=alert(1)>",
               region="E12000002", region_name="<i>North</i> West")
    g.add_node("t", kind="Theme", name="T", region=None, region_name=None)
    g.add_edge("<b>id</b>", "t", types=["HAS_PRIORITY"], citations=["<script>x</script>"])
    elements, order = ui.graph_elements(g)
    node = elements["nodes"][0]["data"]
    assert node["id"] == "n0" and order[0] == "<b>id</b>"
    assert node["label"] == "<img src=x onerror=alert(1)>"  # set with innerText: shown as text
    for key, value in node.items():
        if key != "label" and isinstance(value, str):
            assert "<" not in value, key
    edge = elements["edges"][0]["data"]
    assert edge["source"] == "n0" and "<" not in edge["sources"]


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
    assert not names & {"matcher", "app", "streamlit", "st_link_analysis"}


def test_pages_type_no_session_state_keys_of_their_own():
    for path in (ROOT / "app" / "views").glob("*.py"):
        text = path.read_text()
        assert not re.search(r"key=[\"']", text), f"{path.name}: use a key from app.state"
        assert not re.search(r"session_state\[[\"']", text), path.name


def test_every_page_has_a_test():
    tests = "\n".join(p.read_text() for p in Path(__file__).parent.glob("test_app_*.py"))
    for path in (ROOT / "app" / "views").glob("*.py"):
        assert f'"{path.stem}"' in tests, f"no AppTest opens {path.name}"
