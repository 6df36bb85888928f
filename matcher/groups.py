"""Learning pairs and small learning groups of councils.

- A **learning pair** is two councils that can each offer what the other is working on: A has
  evidence of strength (practice, a result, an offer, an endorsement; not a priority or learning
  shared at an event) on a theme B has as a priority, and B on one A has. Pairs whose two
  offers are on different themes are *complementary* and rank above pairs that simply share one
  challenge (*mutual*). Each reason says what one is working on and what the other can offer.
- A **learning group** gathers councils around one common challenge (a theme), mixing at
  least one council that has shared practice on it with councils that have it as a priority.

Abolished councils' facts count for their successors at reduced strength (`matcher.profiles`).

>>> from graph.knowledge import KnowledgeGraph
>>> from graph.schema import Council, Region, Theme, Edge, EdgeType, Provenance
>>> p = Provenance(source="curated")
>>> def c(code, name):
...     return Council(id=code, name=name, type="unitary", region="E12000002")
>>> kg = KnowledgeGraph([Region(id="E12000002", name="North West"),
...     Theme(id="a", name="Early help"), Theme(id="b", name="Front door"),
...     c("E06000006", "Halton"), c("E06000007", "Warrington")],
...     [Edge(src="E06000006", type=EdgeType.SHARES_PRACTICE, dst="a", provenance=p),
...      Edge(src="E06000007", type=EdgeType.HAS_PRIORITY, dst="a", provenance=p),
...      Edge(src="E06000007", type=EdgeType.SHARES_PRACTICE, dst="b", provenance=p),
...      Edge(src="E06000006", type=EdgeType.HAS_PRIORITY, dst="b", provenance=p)])
>>> [(x.a["name"], x.b["name"], x.kind) for x in learning_pairs(kg)]
[('Halton', 'Warrington', 'complementary')]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.knowledge import KnowledgeGraph
from graph.schema import Council
from matcher.profiles import Profiles, ThemeEvidence
from matcher.taxonomy import expand as expand_theme

MUTUAL_FACTOR = 0.7
"""A pair offering each other the same theme is worth this share of a complementary pair."""
SHARER_MIN = 0.5
"""Evidence at least this strong makes a council a 'sharer' in a learning group."""
LOAD_TOLL = 0.15
"""Ordering penalty per group a council already belongs to, so no one carries every group."""


@dataclass(frozen=True)
class LearningPair:
    a: dict
    b: dict
    score: float
    kind: str  # complementary | mutual
    a_offers: dict  # {theme, name, strength}: what A offers B
    b_offers: dict
    reasons: tuple[str, ...]
    evidence: tuple[dict, ...]

    def to_json(self) -> dict:
        return {"a": self.a, "b": self.b, "score": round(self.score, 4), "kind": self.kind,
                "a_offers": self.a_offers, "b_offers": self.b_offers,
                "reasons": list(self.reasons), "evidence": list(self.evidence)}


@dataclass(frozen=True)
class LearningGroup:
    theme: dict
    members: tuple[dict, ...]  # {code, name, region, role: shares | needs | both}
    score: float
    reasons: tuple[str, ...]
    evidence: tuple[dict, ...]

    def to_json(self) -> dict:
        return {"theme": self.theme, "members": list(self.members),
                "score": round(self.score, 4), "reasons": list(self.reasons),
                "evidence": list(self.evidence)}


def _councils(kg: KnowledgeGraph, region: str | None) -> list[Council]:
    return [c for c in kg.councils(status="current") if region is None or c.region == region]


def _offer_on(kg: KnowledgeGraph, profiles: Profiles, council: str, theme: str,
              reach: dict[str, float]) -> tuple[float, ThemeEvidence | None]:
    best, best_ev = 0.0, None
    for ev in profiles.offers.get(council, ()):
        if not ev.strong:  # taking part or sharing a priority is not something to offer
            continue
        w = reach.get(ev.theme)
        if w is not None and w * ev.strength > best:
            best, best_ev = w * ev.strength, ev
    return best, best_ev


def learning_pairs(kg: KnowledgeGraph, region: str | None = None, top: int = 20,
                   min_fit: float = 0.3, themes: Iterable[str] | None = None
                   ) -> list[LearningPair]:
    """Pairs of current councils that can each offer what the other prioritises.

    Parameters
    ----------
    region : str, optional
        Only councils in this region (E12 code).
    min_fit : float
        Each direction must be at least this strong (taxonomy weight x evidence strength).
    themes : iterable of str, optional
        Only these theme ids (and their sub-themes) count as needs.
    """
    profiles = Profiles.for_graph(kg)
    councils = _councils(kg, region)
    only = None if themes is None else {t for th in themes for t in expand_theme(kg, th)}
    needs = {c.id: {t: ev for t, ev in profiles.needed(c.id).items()
                    if only is None or t in only} for c in councils}
    all_needed = {t for n in needs.values() for t in n}
    reach = {t: expand_theme(kg, t) for t in all_needed}
    # offer[c][t] = best (value, evidence) c has toward needed theme t
    offer: dict[str, dict[str, tuple[float, ThemeEvidence]]] = {}
    for c in councils:
        row = {}
        for t in all_needed:
            v, ev = _offer_on(kg, profiles, c.id, t, reach[t])
            if ev is not None and v >= min_fit:
                row[t] = (v, ev)
        offer[c.id] = row

    def direction(giver: str, taker: str) -> tuple[float, str, ThemeEvidence] | None:
        best = None
        for t, need in needs[taker].items():
            got = offer[giver].get(t)
            if got is None:
                continue
            value = got[0] * need.strength
            if best is None or value > best[0]:
                best = (value, t, got[1])
        return best

    out: list[LearningPair] = []
    for i, a in enumerate(councils):
        for b in councils[i + 1:]:
            ab = direction(a.id, b.id)
            if ab is None or ab[0] < min_fit:
                continue
            ba = direction(b.id, a.id)
            if ba is None or ba[0] < min_fit:
                continue
            kind = "complementary" if ab[1] != ba[1] else "mutual"
            score = min(ab[0], ba[0]) * (1.0 if kind == "complementary" else MUTUAL_FACTOR)
            reasons = (
                f"{b.name} is working on {kg.name(ab[1]).lower()}; {a.name} can offer: "
                f"{ab[2].describe(kg)}",
                f"{a.name} is working on {kg.name(ba[1]).lower()}; {b.name} can offer: "
                f"{ba[2].describe(kg)}",
            )
            if kind == "mutual":
                reasons += ("Both work on the same theme: peers on a shared challenge rather "
                            "than complementary strengths",)
            evidence = tuple(ab[2].evidence(kg) + ba[2].evidence(kg)
                             + needs[b.id][ab[1]].evidence(kg) + needs[a.id][ba[1]].evidence(kg))
            out.append(LearningPair(
                {"code": a.id, "name": a.name}, {"code": b.id, "name": b.name}, score, kind,
                {"theme": ab[1], "name": kg.name(ab[1]), "strength": round(ab[0], 4)},
                {"theme": ba[1], "name": kg.name(ba[1]), "strength": round(ba[0], 4)},
                reasons, evidence))
    out.sort(key=lambda p: (-p.score, p.a["code"], p.b["code"]))
    return out[:top]


def learning_groups(kg: KnowledgeGraph, region: str | None = None, size: int = 3,
                    themes: Iterable[str] | None = None, top: int = 20) -> list[LearningGroup]:
    """Small groups (default triads) around a common challenge.

    For each theme two or more councils prioritise, councils with evidence on it lead groups
    and councils that need it fill them; every group has at least one council that has shared
    practice on the theme and at least one that has it as a priority. A council joins at most
    one group per theme, and councils already in other groups are asked last.
    """
    if size < 2:
        raise ValueError("a learning group needs at least 2 members")
    profiles = Profiles.for_graph(kg)
    councils = _councils(kg, region)
    by_code = {c.id: c for c in councils}
    wanted = set(themes) if themes is not None else None
    needers: dict[str, list[tuple[str, ThemeEvidence]]] = {}
    for c in councils:
        for t, ev in profiles.needed(c.id).items():
            if wanted is None or t in wanted:
                needers.setdefault(t, []).append((c.id, ev))
    out: list[LearningGroup] = []
    load: dict[str, int] = {}  # groups each council is already in: share the load around
    for theme, needing in sorted(needers.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(needing) < 2:
            continue
        reach = {t: w for t, w in expand_theme(kg, theme).items() if w >= 0.8}  # exact/child
        offers = {c.id: _offer_on(kg, profiles, c.id, theme, reach) for c in councils}
        need_of = dict(needing)
        sharers = sorted((code for code, (v, _) in offers.items() if v >= SHARER_MIN),
                         key=lambda code: (-offers[code][0] + LOAD_TOLL * load.get(code, 0),
                                           code))
        takers = sorted(need_of, key=lambda code: (offers[code][0] + LOAD_TOLL * load.get(
            code, 0), -need_of[code].strength, code))
        used: set[str] = set()
        for lead in sharers:
            if lead in used:
                continue
            members = [lead]
            for code in takers:
                if len(members) == size:
                    break
                if code not in used and code not in members:
                    members.append(code)
            if len(members) < size or not any(m in need_of for m in members[1:]):
                continue
            used.update(members)
            for m in members:
                load[m] = load.get(m, 0) + 1
            out.append(_group(kg, theme, members, offers, need_of, by_code))
    out.sort(key=lambda g: (-g.score, g.theme["id"], g.members[0]["code"]))
    return out[:top]


def _group(kg, theme, members, offers, need_of, by_code) -> LearningGroup:
    rows = []
    reasons = []
    evidence: list[dict] = []
    for code in members:
        v, ev = offers[code]
        shares = v >= SHARER_MIN
        needs = code in need_of
        role = "both" if shares and needs else "shares" if shares else "needs"
        c = by_code[code]
        rows.append({"code": code, "name": c.name, "region": c.region, "role": role})
        if shares and ev is not None:
            reasons.append(f"{c.name}: {ev.describe(kg)}")
            evidence += ev.evidence(kg)
        if needs:
            if not shares:
                reasons.append(f"{c.name}: {need_of[code].describe(kg)}")
            evidence += need_of[code].evidence(kg)
    lead = offers[members[0]][0]
    need = sum(need_of[m].strength for m in members if m in need_of) / max(
        1, sum(1 for m in members if m in need_of))
    return LearningGroup({"id": theme, "name": kg.name(theme)}, tuple(rows), lead * need,
                         tuple(reasons), tuple(evidence))
