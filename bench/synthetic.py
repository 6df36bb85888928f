"""A generated graph for benchmarks: many organisations, networks and practices, and many
stated edges of allowed kinds, all valid records. Deterministic for a given `seed`.

    from bench.synthetic import make_seed
    data = make_seed()                      # 20,000 organisations, 200,000 stated edges
    data = make_seed(base=load_dir())       # the same, alongside the real seed data

With `base`, every base record and edge is kept and its regions, themes and councils are
reused as endpoints; without it, nine regions and a small theme taxonomy are generated.
`n_orgs` counts generated organisations and `n_edges` generated stated edges (exactly).
Networks (n_orgs/20) and practices (n_orgs/10) are generated too; practices derive
DEVELOPED and ADDRESSES edges and networks with a regional scope derive IN_REGION, as real
records do.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from graph.loader import Origin, SeedData
from graph.schema import (
    EDGE_ENDPOINTS,
    Edge,
    EdgeType,
    Network,
    Node,
    NodeKind,
    Organisation,
    Practice,
    Provenance,
    Region,
    Theme,
)

ORG_TYPES = ("charity", "improvement partner", "research body", "provider", "trust")
NET_TYPES = ("board", "learning community", "programme", "professional network")
REGION_NAMES = ("North East", "North West", "Yorkshire and The Humber", "East Midlands",
                "West Midlands", "East of England", "London", "South East", "South West")
TOP_THEMES = ("workforce", "practice", "system", "governance", "innovation", "change")
# edge types a generated graph uses: (type, source kinds, target kinds) within what exists
_GEN_TYPES = (
    EdgeType.SHARES_PRACTICE, EdgeType.DEVELOPED, EdgeType.INVOLVED_IN, EdgeType.ADDRESSES,
    EdgeType.MEMBER_OF, EdgeType.PARTNERS_WITH, EdgeType.IN_REGION, EdgeType.HAS_PRIORITY,
    EdgeType.OFFERS, EdgeType.RELATES_TO,
)


def _generated_base() -> list[Node]:
    nodes: list[Node] = [Region(id=f"E1200000{i + 1}", name=name)
                         for i, name in enumerate(REGION_NAMES)]
    for top in TOP_THEMES:
        nodes.append(Theme(id=top, name=top.title()))
        for j in range(5):
            nodes.append(Theme(id=f"{top}.sub-{j + 1}", name=f"{top.title()} {j + 1}",
                               parent=top))
    return nodes


def make_seed(n_orgs: int = 20000, n_edges: int = 200000, seed: int = 0,
              base: SeedData | None = None) -> SeedData:
    rng = random.Random(seed)
    base_nodes = list(base.nodes) if base is not None else _generated_base()
    base_edges = list(base.edges) if base is not None else []
    taken = {n.id for n in base_nodes}
    by_kind: dict[NodeKind, list[str]] = {}
    for n in base_nodes:
        by_kind.setdefault(n.kind, []).append(n.id)
    regions = by_kind.get(NodeKind.REGION) or []
    themes = by_kind.get(NodeKind.THEME) or []
    if not regions or not themes:
        raise ValueError("base must hold regions and themes")

    def fresh(prefix: str, i: int) -> str:
        ident = f"{prefix}-{i:06d}"
        while ident in taken:
            ident += "-x"
        taken.add(ident)
        return ident

    new: list[Node] = []
    orgs = [fresh("syn-org", i) for i in range(n_orgs)]
    for i, ident in enumerate(orgs):
        new.append(Organisation(id=ident, name=f"Synthetic organisation {i}",
                                type=rng.choice(ORG_TYPES),
                                description=None if i % 3 else f"Generated record {i}."))
    nets = [fresh("syn-net", i) for i in range(max(1, n_orgs // 20))]
    for i, ident in enumerate(nets):
        scope = rng.choice(regions) if i % 4 else "national"
        new.append(Network(id=ident, name=f"Synthetic network {i}",
                           type=rng.choice(NET_TYPES), scope=scope))
    practices = [fresh("syn-practice", i) for i in range(max(1, n_orgs // 10))]
    owners_pool = orgs + by_kind.get(NodeKind.COUNCIL, [])
    for i, ident in enumerate(practices):
        new.append(Practice(
            id=ident, name=f"Synthetic practice {i}", summary=f"What practice {i} does.",
            owners=sorted(set(rng.sample(owners_pool, k=min(len(owners_pool),
                                                           rng.randint(1, 2))))),
            themes=sorted(set(rng.sample(themes, k=min(len(themes), rng.randint(1, 3))))),
            year=str(rng.randint(2010, 2024)),
        ))

    ids: dict[NodeKind, list[str]] = {k: list(v) for k, v in by_kind.items()}
    ids.setdefault(NodeKind.ORGANISATION, []).extend(orgs)
    ids.setdefault(NodeKind.NETWORK, []).extend(nets)
    ids.setdefault(NodeKind.PRACTICE, []).extend(practices)

    pickers: list[tuple[EdgeType, Callable[[], str], Callable[[], str]]] = []
    for etype in _GEN_TYPES:
        src_kinds, dst_kinds = EDGE_ENDPOINTS[etype]
        src_pool = [i for k in sorted(src_kinds) if k in ids for i in ids[k]]
        dst_pool = [i for k in sorted(dst_kinds) if k in ids for i in ids[k]]
        if src_pool and dst_pool:
            pickers.append((etype, lambda p=src_pool: rng.choice(p),
                            lambda p=dst_pool: rng.choice(p)))

    existing = {(*e.key, e.provenance.source) for e in base_edges}
    seen: set[tuple[str, str, str]] = set()
    edges: list[Edge] = []
    attempts = 0
    while len(edges) < n_edges:
        attempts += 1
        if attempts > n_edges * 20 + 1000:
            raise ValueError(f"cannot place {n_edges} distinct edges on this many nodes")
        etype, pick_src, pick_dst = pickers[rng.randrange(len(pickers))]
        src, dst = pick_src(), pick_dst()
        key = (src, etype.value, dst)
        if src == dst or key in seen or (*key, "curated") in existing:
            continue
        seen.add(key)
        conf = round(rng.uniform(0.5, 1.0), 2)
        props = {"weight": rng.randint(1, 5)} if etype == EdgeType.PARTNERS_WITH else {}
        edges.append(Edge(src=src, type=etype, dst=dst,
                          provenance=Provenance(source="curated", confidence=conf),
                          props=props))

    origins = dict(base.origins) if base is not None else {}
    gen = Origin("bench.synthetic", None)
    for n in base_nodes + new:
        origins.setdefault(n.id, gen)
    return SeedData(nodes=base_nodes + new, edges=base_edges + edges, origins=origins)
