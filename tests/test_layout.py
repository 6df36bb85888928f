"""Meta-tests that keep the project's shape: data flows one way and the matcher stays pure."""

from __future__ import annotations

import ast
import re
import subprocess
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


# --- The project stands alone ------------------------------------------------------------------

def tracked_files() -> list[Path]:
    """Files git tracks (a fresh clone's view); every file under the root when not a checkout."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode("utf-8")
        return [ROOT / name for name in out.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}
        return [p for p in ROOT.rglob("*")
                if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]


# Spelled in pieces so that this file does not match itself.
OUTSIDE_PATHS = re.compile("|".join([
    r"(?<![\w.])/" + "work/", r"(?<![\w.])/" + "home/", r"(?<![\w.])/" + "Users/",
    r"(?<![\w.])/" + "root/", r"\.\./" + "shared", r"[A-Z]:\\\\" + "Users",
]))
PARENTS = re.compile(r"Path\(__file__\)(?:\.resolve\(\))?\.parents\[(\d+)\]")


def test_no_tracked_file_refers_to_a_path_outside_the_checkout():
    offenders = []
    for path in tracked_files():
        rel = path.relative_to(ROOT)
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue  # binary (screenshots) or deleted in the work tree
        for lineno, line in enumerate(text.splitlines(), 1):
            if OUTSIDE_PATHS.search(line):
                offenders.append(f"{rel}:{lineno}: {line.strip()[:100]}")
            # parents[k] of a file k+1 folders deep is the root; anything higher is outside.
            for m in PARENTS.finditer(line):
                if int(m.group(1)) >= len(rel.parts) - 1 + 1:
                    offenders.append(f"{rel}:{lineno}: climbs above the checkout: {m.group(0)}")
    assert not offenders, "\n".join(offenders)


# --- No import cycles ------------------------------------------------------------------------

PACKAGES = ("graph", "matcher", "app")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """module -> modules of ours it imports anywhere in its body (functions included)."""
    files = {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".")[: len(name.split(".")) - node.level + is_package]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in node.names:
                    # `from pkg import mod` imports the module pkg.mod; otherwise a name in pkg.
                    sub = f"{base}.{alias.name}"
                    targets.add(sub if sub in files else base)
        edges[name] = {t for t in targets if t in files and t != name}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_finds_a_cycle_through_three_modules():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_one_that_imports_it_back():
    found = cycles(import_graph())
    assert not found, f"import cycles (function-level imports count): {found}"


# --- Small files -----------------------------------------------------------------------------

MAX_LINES = 400
# Files allowed past MAX_LINES, each with the reason.
LONG_FILES_ALLOWED = {
    "tests/matcher/test_allocation.py": "one solver contract tested against every solver",
    "tests/graph/test_seed_facts.py": "one table of facts checked against the seed data",
}


def test_no_source_file_passes_the_line_limit_unless_allowed():
    too_long = {}
    for path in tracked_files():
        rel = path.relative_to(ROOT).as_posix()
        if path.suffix == ".py" and path.exists() and rel not in LONG_FILES_ALLOWED:
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                too_long[rel] = lines
    assert not too_long, f"split these (one concept per module) or say why: {too_long}"
