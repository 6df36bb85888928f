"""The theme tree: parents, ancestors, descendants, and how near one theme is to another.

A leaf module: it reads the tree from the graph and imports nothing else from `matcher`
(turning people's words into theme ids is `matcher.themes`).

The taxonomy is a shallow tree (`workforce` > `workforce.recruitment-retention`). When a
council wants help on theme W and another offers theme O, the offer counts for:

========  ===========================================  ======
relation  O is ...                                      weight
========  ===========================================  ======
exact     W itself                                      1.0
child     a sub-theme of W (specific evidence, broad     0.8
          need)
parent    W's parent or an ancestor (broad evidence,     0.7
          specific need)
sibling   another sub-theme under W's parent             0.4
========  ===========================================  ======

>>> from graph.knowledge import KnowledgeGraph
>>> from graph.schema import Theme
>>> kg = KnowledgeGraph([Theme(id="workforce", name="Workforce"),
...     Theme(id="workforce.recruitment", name="Recruitment", parent="workforce"),
...     Theme(id="workforce.supervision", name="Supervision", parent="workforce")])
>>> score, matches = theme_fit(kg, {"workforce.supervision"}, {"workforce.recruitment"})
>>> score, matches[0].relation
(0.4, 'sibling')
>>> theme_fit(kg, {"workforce.recruitment"}, {"workforce.recruitment"})[0]
1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graph.knowledge import KnowledgeGraph

RELATION_WEIGHTS: dict[str, float] = {"exact": 1.0, "child": 0.8, "parent": 0.7, "sibling": 0.4}


@dataclass(frozen=True)
class ThemeMatch:
    """One wanted theme met by one offered theme."""

    wanted: str
    offered: str
    relation: str  # exact | child | parent | sibling
    weight: float

    def describe(self, kg: KnowledgeGraph) -> str:
        w, o = kg.name(self.wanted), kg.name(self.offered)
        if self.relation == "exact":
            return w
        if self.relation == "child":
            return f"{o} (part of {w})"
        if self.relation == "parent":
            return f"{o} (the broader theme of {w})"
        return f"{o} (related to {w})"


def ancestors(kg: KnowledgeGraph, theme_id: str) -> list[str]:
    """The theme's parent, its parent's parent, ... (nearest first)."""
    out: list[str] = []
    cur = kg.theme_parent(theme_id)
    while cur and cur not in out:
        out.append(cur)
        cur = kg.theme_parent(cur)
    return out


def descendants(kg: KnowledgeGraph, theme_id: str) -> set[str]:
    """Every sub-theme below the theme, at any depth.

    >>> from graph.schema import Theme
    >>> kg = KnowledgeGraph([Theme(id="a", name="A"), Theme(id="a.b", name="B", parent="a"),
    ...                      Theme(id="a.b.c", name="C", parent="a.b")])
    >>> sorted(descendants(kg, "a")), descendants(kg, "a.b.c")
    (['a.b', 'a.b.c'], set())
    """
    out: set[str] = set()
    todo = list(kg.theme_children.get(theme_id, ()))
    while todo:
        t = todo.pop()
        if t not in out:
            out.add(t)
            todo.extend(kg.theme_children.get(t, ()))
    return out


def same_or_narrower(kg: KnowledgeGraph, theme_id: str) -> set[str]:
    """The theme and its sub-themes: the themes whose evidence speaks to it directly (never a
    parent or a sibling)."""
    return {theme_id, *descendants(kg, theme_id)} if theme_id in kg else set()


def relation(kg: KnowledgeGraph, offered: str, wanted: str) -> tuple[str, float] | None:
    """How `offered` relates to `wanted`, with its weight, or None when unrelated.

    >>> from graph.knowledge import KnowledgeGraph
    >>> from graph.schema import Theme
    >>> kg = KnowledgeGraph([Theme(id="a", name="A"), Theme(id="a.b", name="B", parent="a")])
    >>> relation(kg, "a.b", "a"), relation(kg, "a", "a.b")
    (('child', 0.8), ('parent', 0.7))
    """
    if offered == wanted:
        return "exact", RELATION_WEIGHTS["exact"]
    if wanted in ancestors(kg, offered):
        return "child", RELATION_WEIGHTS["child"]
    if offered in ancestors(kg, wanted):
        return "parent", RELATION_WEIGHTS["parent"]
    po, pw = kg.theme_parent(offered), kg.theme_parent(wanted)
    if po is not None and po == pw:
        return "sibling", RELATION_WEIGHTS["sibling"]
    return None


def expand(kg: KnowledgeGraph, theme_id: str) -> dict[str, float]:
    """Every theme whose evidence counts toward `theme_id`, with the weight it counts at.

    >>> from graph.knowledge import KnowledgeGraph
    >>> from graph.schema import Theme
    >>> kg = KnowledgeGraph([Theme(id="a", name="A"), Theme(id="a.b", name="B", parent="a"),
    ...                      Theme(id="a.c", name="C", parent="a")])
    >>> expand(kg, "a.b")
    {'a.b': 1.0, 'a': 0.7, 'a.c': 0.4}
    """
    if theme_id not in kg:
        return {}
    out: dict[str, float] = {theme_id: RELATION_WEIGHTS["exact"]}
    for t in sorted(descendants(kg, theme_id)):
        out[t] = RELATION_WEIGHTS["child"]
    for anc in ancestors(kg, theme_id):
        out.setdefault(anc, RELATION_WEIGHTS["parent"])
    parent = kg.theme_parent(theme_id)
    if parent:
        for sib in kg.theme_children.get(parent, ()):
            out.setdefault(sib, RELATION_WEIGHTS["sibling"])
    return out


def best_matches(
    kg: KnowledgeGraph, offered: Mapping[str, float], wanted: Iterable[str]
) -> dict[str, tuple[ThemeMatch, float]]:
    """For each wanted theme, the best offered theme as (match, match weight x offer strength).

    `offered` maps theme id -> strength of the evidence in [0, 1].
    """
    out: dict[str, tuple[ThemeMatch, float]] = {}
    for w in wanted:
        reach = expand(kg, w)
        best: tuple[ThemeMatch, float] | None = None
        for o, strength in offered.items():
            weight = reach.get(o)
            if weight is None:
                continue
            rel = relation(kg, o, w)
            if rel is None:
                continue
            value = weight * strength
            if best is None or value > best[1]:
                best = (ThemeMatch(w, o, rel[0], weight), value)
        if best is not None:
            out[w] = best
    return out


def theme_fit(
    kg: KnowledgeGraph, offered: set[str], wanted: set[str]
) -> tuple[float, list[ThemeMatch]]:
    """How well what is offered covers what is wanted: the mean over wanted themes of the
    best relation weight, in [0, 1], and the matches behind it (best first).

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph holding the theme taxonomy.
    offered, wanted : set of str
        Theme ids.

    Returns
    -------
    (float, list of ThemeMatch)
        0.0 and [] when either side is empty.
    """
    if not offered or not wanted:
        return 0.0, []
    found = best_matches(kg, {o: 1.0 for o in offered}, sorted(wanted))
    matches = sorted((m for m, _ in found.values()), key=lambda m: (-m.weight, m.wanted))
    score = sum(m.weight for m in matches) / len(wanted)
    return round(score, 6), matches
