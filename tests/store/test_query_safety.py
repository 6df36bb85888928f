"""No data ever becomes query text: every value is a parameter, and labels and relationship
types come only from the schema's enums."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import graph.stores.cypher.queries as queries
from graph.changes import UpsertNode
from graph.schema import Council, EdgeType, NodeKind
from graph.stores import CypherStore
from tests.store.sample import INJECTION, SCRIPT, sample_seed

PACKAGE = Path(queries.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))
QUERIES = Path(queries.__file__)
CYPHER_WORDS = re.compile(r"\b(MATCH|MERGE|CREATE|SET|DELETE|RETURN|UNWIND|REMOVE|WHERE)\b")
ALLOWED_NAMES = {"Node", "Change", "Counter"} | {k.value for k in NodeKind} | {
    t.value for t in EdgeType}


def _trees() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in MODULES]


def test_no_query_text_is_built_with_f_strings_percent_or_format():
    assert len(MODULES) > 3  # the whole Cypher store package is checked
    for path, tree in _trees():
        for node in ast.walk(tree):
            where = f"{path.name}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
                assert not CYPHER_WORDS.search(text), f"{where}: f-string query"
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) \
                    and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
                assert not CYPHER_WORDS.search(node.left.value), f"{where}: % query"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "format" and isinstance(node.func.value, ast.Constant):
                assert not CYPHER_WORDS.search(str(node.func.value.value)), where


def test_queries_are_only_assembled_at_import_into_Q_constants():
    """String concatenation that yields Cypher happens only in queries.py's `Q_*` names."""
    for path, tree in _trees():
        allowed_ranges = []
        for stmt in tree.body if path == QUERIES else []:
            if isinstance(stmt, ast.Assign) and all(
                    isinstance(t, ast.Name) and t.id.startswith(("Q_", "_OTHER_KINDS"))
                    for t in stmt.targets):
                allowed_ranges.append((stmt.lineno, stmt.end_lineno))
        for node in ast.walk(tree):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                parts = [n for n in (node.left, node.right) if isinstance(n, ast.Constant)]
                if any(isinstance(p.value, str) and CYPHER_WORDS.search(p.value) for p in parts):
                    assert any(a <= node.lineno <= b for a, b in allowed_ranges), \
                        f"{path.name}:{node.lineno}"


def test_every_label_and_relationship_type_in_the_queries_comes_from_the_schema():
    assert queries.ALL_QUERIES
    for query in queries.ALL_QUERIES:
        for name in re.findall(r"[(\[]\w*:([A-Za-z_:]+)", query):
            assert set(name.split(":")) <= ALLOWED_NAMES, (name, query)
        for name in re.findall(r"\b(?:SET|REMOVE) \w+:([A-Za-z_:]+)", query):
            assert set(name.split(":")) <= ALLOWED_NAMES, (name, query)
        assert "<" not in query.replace("<-", "").replace("<>", "")  # no unfilled slot
        assert "'" not in query and '"' not in query  # no literals: values are parameters


def test_names_outside_the_schema_are_refused():
    for bad in ("Council) DETACH DELETE (n", "council", "X`", INJECTION):
        with pytest.raises(ValueError):
            queries.schema_name(bad)
    assert queries.schema_name(NodeKind.COUNCIL) == "Council"
    assert queries.schema_name(EdgeType.IN_REGION) == "IN_REGION"


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


class Recording:
    """Wraps a real backend and keeps every query and parameter set it is sent."""

    def __init__(self, inner):
        self.inner, self.sent = inner, []
        self.where, self.transactional = inner.where, inner.transactional
        self.schema = inner.schema

    def run(self, query, params=None):
        self.sent.append((query, params))
        return self.inner.run(query, params)

    def write_tx(self, statements, guard_first=0):
        self.sent.extend(statements)
        return self.inner.write_tx(statements, guard_first)

    def write_whole(self, statements):
        self.sent.extend(statements)
        return self.inner.write_whole(statements)

    def create_index(self, query):
        self.sent.append((query, None))
        return self.inner.create_index(query)

    def close(self):
        self.inner.close()


@pytest.mark.server
def test_only_fixed_query_texts_reach_the_server_whatever_the_data(store):
    rec = Recording(store.backend)
    recorded = CypherStore(rec, store.describe())
    seed = sample_seed()
    recorded.push(seed, batch_size=4)
    recorded.apply([UpsertNode(node=Council(id="E09000002", name=INJECTION, type="london_borough",
                                         region="E12000002", aliases=[SCRIPT]))], who=INJECTION)
    recorded.snapshot()
    recorded.history("E09000002")
    recorded.counts()
    texts = {q for q, _ in rec.sent}
    assert texts <= queries.ALL_QUERIES
    for query in texts:
        assert INJECTION not in query and SCRIPT not in query
    assert any(INJECTION in _strings(p) for _, p in rec.sent)  # the data went as parameters


def test_ruff_sql_injection_rule_is_on_and_passes():
    pyproject = (PACKAGE.parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert "S608" in pyproject
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.fail("ruff is not installed (pip install -e .[dev])")
    done = subprocess.run([ruff, "check", "--select", "S608", str(PACKAGE)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
