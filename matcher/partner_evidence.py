"""What a candidate council has on the wanted themes: strength evidence (makes it a partner)
or the same challenge (makes it a peer), each only on the wanted theme or a narrower one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph.knowledge import KnowledgeGraph
from matcher.profiles import Profiles, ThemeEvidence
from matcher.taxonomy import RELATION_WEIGHTS

CORROBORATION = 0.2
"""Share of the gap to the noisy-or of all evidence added to the best evidence on a theme."""
RECENCY_HALF_LIFE = 10
"""Evidence this many years older than the newest in the answer counts half."""
UNDATED = 0.8
"""Recency factor of evidence with no date."""


@dataclass(frozen=True)
class EvidenceFit:
    value: float  # mean over wanted themes of the best evidence, in [0, 1]
    confidence: float
    basis: str | None  # strongest evidence kind: practice, impact, offer, endorsement, ...
    year: int | None  # newest year of the evidence behind it
    reasons: tuple[str, ...] = ()
    evidence: tuple[dict, ...] = ()

    def ranked(self, newest: int | None) -> float:
        """The value weighed by recency against the newest evidence in the answer."""
        if self.year is None or newest is None:
            return self.value * UNDATED
        return self.value * 0.5 ** ((newest - self.year) / RECENCY_HALF_LIFE)


NONE = EvidenceFit(0.0, 0.0, None, None)


def _year(ev: ThemeEvidence) -> int | None:
    return int(ev.since[:4]) if ev.since else None


def _fit(kg: KnowledgeGraph, wanted: Sequence[str], scope: dict[str, set[str]],
         evs: Sequence[ThemeEvidence]) -> EvidenceFit:
    total = 0.0
    reasons: list[str] = []
    evidence: list[dict] = []
    best_items: list[ThemeEvidence] = []
    for w in wanted:
        items = sorted(((ev.strength * (RELATION_WEIGHTS["exact"] if ev.theme == w
                                        else RELATION_WEIGHTS["child"]), ev)
                        for ev in evs if ev.theme in scope[w]), key=lambda x: -x[0])
        if not items:
            continue
        best = items[0][0]
        miss = 1.0
        for v, _ in items:
            miss *= 1.0 - v
        total += best + CORROBORATION * max(0.0, (1.0 - miss) - best)
        top = items[0][1]
        best_items.append(top)
        text = top.describe(kg)
        if top.theme != w:
            text += f" (part of {kg.name(w).lower()})"
        if text not in reasons:
            reasons.append(text)
        for _, ev in items[:3]:
            evidence += [e for e in ev.evidence(kg) if e not in evidence]
    if not best_items:
        return NONE
    own = sum(1 for ev in best_items if not ev.inherited_from and not ev.via_group)
    confidence = (own + 0.6 * (len(best_items) - own)) / len(best_items)
    basis = best_items[0].basis
    years = [y for y in (_year(ev) for ev in best_items) if y is not None]
    return EvidenceFit(min(1.0, total / len(wanted)), confidence,
                       basis.value if basis else None, max(years) if years else None,
                       tuple(reasons), tuple(evidence))


def strength_evidence(kg: KnowledgeGraph, profiles: Profiles, candidate: str,
                      wanted: Sequence[str], scope: dict[str, set[str]]) -> EvidenceFit:
    """Practice, impact, offer or endorsement stated of the candidate on a wanted theme or a
    narrower one."""
    if not wanted:
        return NONE
    evs = [ev for ev in profiles.offers.get(candidate, ()) if ev.strong]
    return _fit(kg, wanted, scope, evs)


def peer_evidence(kg: KnowledgeGraph, profiles: Profiles, candidate: str,
                  wanted: Sequence[str], scope: dict[str, set[str]]) -> EvidenceFit:
    """The candidate's own challenge, shared learning, or a group challenge it is listed
    under, on a wanted theme or a narrower one (a group's facts count for less)."""
    if not wanted:
        return NONE
    evs = [ev for ev in profiles.offers.get(candidate, ()) if not ev.strong]
    evs += profiles.needs.get(candidate, [])
    evs += profiles.member_needs.get(candidate, [])
    evs += profiles.member_offers.get(candidate, [])
    return _fit(kg, wanted, scope, evs)
