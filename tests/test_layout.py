"""Meta-tests that keep the project's shape: data flows one way and the matcher stays pure."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imports_of(package: str) -> dict[Path, set[str]]:
    out = {}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        out[path.relative_to(ROOT)] = names
    return out


@pytest.mark.parametrize("package,forbidden", [
    ("graph", {"matcher", "app", "streamlit"}),
    ("matcher", {"app", "streamlit", "sqlite3", "neo4j", "falkordb", "requests", "socket",
                 "subprocess", "yaml", "csv"}),
])
def test_packages_import_only_downstream(package, forbidden):
    bad = {str(p): sorted(names & forbidden) for p, names in imports_of(package).items()
           if names & forbidden}
    assert not bad, f"{package} must not import {sorted(forbidden)}: {bad}"


def test_matcher_does_no_file_io():
    offenders = []
    for path in (ROOT / "matcher").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "open":
                offenders.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.Attribute) and node.attr in ("read_text", "write_text",
                                                                  "read_bytes", "write_bytes"):
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, f"matcher must stay pure: {offenders}"


def test_streamlit_is_imported_only_under_app():
    for package in ("graph", "matcher"):
        for path, names in imports_of(package).items():
            assert "streamlit" not in names, path
