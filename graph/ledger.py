"""Who gives and who receives: engagements (including saved peer-review rounds) counted per
council, and how unevenly the giving falls (a Gini coefficient over every council in scope,
those that gave nothing included).

An engagement counts once it is agreed (agreed, active or completed); proposed, declined and
cancelled ones do not, since nobody gave anything.

>>> from graph.schema import Council, Region, Engagement
>>> kg = KnowledgeGraph([Region(id="E12000002", name="North West"),
...     Council(id="E06000006", name="Halton", type="unitary", region="E12000002"),
...     Council(id="E06000007", name="Warrington", type="unitary", region="E12000002"),
...     Engagement(id="e1", name="x", type="mentoring", provider="E06000007",
...                recipient="E06000006", status="completed", start="2026-01-05")])
>>> led = ledger(kg)
>>> [(r.name, r.gave, r.received, r.balance) for r in led.councils], led.gini
([('Warrington', 1, 0, 1), ('Halton', 0, 1, -1)], 0.5)
>>> only_givers(led)
['E06000007']
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.knowledge import KnowledgeGraph
from graph.peer_round import PastReview
from graph.schema import Engagement, NodeKind

COUNTED = ("agreed", "active", "completed")


@dataclass(frozen=True)
class LedgerRow:
    code: str
    name: str
    gave: int
    received: int
    since: int | None = None  # the first year of its record, when every engagement is dated

    @property
    def balance(self) -> int:
        return self.gave - self.received

    def to_json(self) -> dict:
        return {"code": self.code, "name": self.name, "gave": self.gave,
                "received": self.received, "balance": self.balance}


@dataclass(frozen=True)
class Ledger:
    councils: tuple[LedgerRow, ...]  # those that gave or received, most given first
    gini: float  # of giving, over every council in scope
    scope: int  # how many councils are in scope

    def to_json(self) -> dict:
        return {"councils": [r.to_json() for r in self.councils], "gini": self.gini}


def ledger(kg: KnowledgeGraph, region: str | None = None, since: int | None = None) -> Ledger:
    """Gave/received per current council (of `region`, if given) over engagements that
    started in `since` or later."""
    scope = {c.id: c for c in kg.councils() if region is None or c.region == region}
    gave = dict.fromkeys(scope, 0)
    received = dict.fromkeys(scope, 0)
    years: dict[str, list[int | None]] = {c: [] for c in scope}
    for e in kg.nodes(NodeKind.ENGAGEMENT):
        if not isinstance(e, Engagement) or e.status not in COUNTED:
            continue
        if since is not None and (not e.start or int(e.start[:4]) < since):
            continue
        year = int(e.start[:4]) if e.start else None
        if e.provider in scope:
            gave[e.provider] += 1
            years[e.provider].append(year)
        if e.recipient in scope:
            received[e.recipient] += 1
            years[e.recipient].append(year)
    rows = [LedgerRow(c, scope[c].name, gave[c], received[c], _first_year(years[c]))
            for c in scope if gave[c] or received[c]]
    rows.sort(key=lambda r: (-r.gave, r.received, r.name))
    return Ledger(tuple(rows), gini(list(gave.values())), len(scope))


def _first_year(years: list[int | None]) -> int | None:
    """The earliest year, or None when any engagement is undated (no "since" can be said)."""
    if not years or None in years:
        return None
    return min(y for y in years if y is not None)


def gini(values: list[int | float]) -> float:
    """0 when everyone gives the same, towards 1 when one gives everything.

    >>> gini([1, 1, 1]), gini([0, 0, 3]), gini([])
    (0.0, 0.667, 0.0)
    """
    xs = sorted(values)
    n, total = len(xs), sum(xs)
    if n == 0 or total == 0:
        return 0.0
    weighted = sum((i + 1) * x for i, x in enumerate(xs))
    return round((2 * weighted) / (n * total) - (n + 1) / n, 3)


def lorenz(values: list[int | float]) -> list[tuple[float, float]]:
    """Points of the Lorenz curve of giving: (share of councils, share of all giving)."""
    xs = sorted(values)
    total = sum(xs) or 1
    points, running = [(0.0, 0.0)], 0
    for i, x in enumerate(xs, 1):
        running += x
        points.append((round(i / len(xs), 4), round(running / total, 4)))
    return points


def only_givers(led: Ledger) -> list[str]:
    """Councils that have given and never received: the ones to rest next."""
    return [r.code for r in led.councils if r.gave and not r.received]


def past_reviews(kg: KnowledgeGraph) -> list[PastReview]:
    """The graph's record as the allocator's past reviews: one per reviewer a saved round sent,
    and one (with no reviewer) per other engagement agreed, so its repeat-visit rule sees who
    went where and its rest rule sees every council that gave and never received."""
    out = []
    for e in kg.nodes(NodeKind.ENGAGEMENT):
        if not isinstance(e, Engagement) or e.status not in COUNTED:
            continue
        for rid in e.reviewers or [""]:
            out.append(PastReview(file="the graph", line=0, reviewer_id=rid,
                                  reviewer_council=e.provider, council_reviewed=e.recipient))
    return out
