"""The generated benchmark graph is valid and deterministic."""

from __future__ import annotations

from bench.synthetic import make_seed
from graph.loader import Origin, check_references
from graph.schema import NodeKind
from tests.store.sample import sample_seed


def _problems(seed):
    origin = Origin("t", None)
    return check_references(seed.nodes, [(e, origin) for e in seed.edges], seed.origins)


def test_generated_graph_is_valid_and_has_the_asked_sizes():
    seed = make_seed(n_orgs=500, n_edges=3000, seed=1)
    assert _problems(seed) == []
    assert sum(1 for n in seed.nodes if n.kind == NodeKind.ORGANISATION) == 500
    assert len(seed.edges) == 3000
    assert {e.provenance.source for e in seed.edges} == {"curated"}
    assert len({(*e.key, e.provenance.source) for e in seed.edges}) == 3000
    seed.graph()  # builds


def test_generated_graph_is_deterministic():
    a, b = make_seed(300, 2000, seed=7), make_seed(300, 2000, seed=7)
    assert a.nodes == b.nodes and a.edges == b.edges
    assert make_seed(300, 2000, seed=8).edges != a.edges


def test_generated_graph_keeps_and_reuses_a_base():
    base = sample_seed()
    seed = make_seed(n_orgs=200, n_edges=1500, base=base)
    assert _problems(seed) == []
    ids = {n.id for n in seed.nodes}
    assert {n.id for n in base.nodes} <= ids
    assert len(seed.edges) == len(base.edges) + 1500
    assert any(e.dst.startswith("workforce") for e in seed.edges[len(base.edges):])
