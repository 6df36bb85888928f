"""Improvement partners: which other councils could help this one on the themes it wants.

A **partner** is a current council with evidence of strength (practice, impact, offer or
endorsement, `graph.schema.STRENGTH_KINDS`) stated of itself on a wanted theme or a narrower
one; never through a parent or a sibling theme, and never because it listed the theme as a
priority. Partners are ranked by the strength and recency of that evidence first and by fit
second (journey, context, proximity, relationship, capacity: `matcher.partner_signals`).

Councils working on the same challenge (their own priority, a priority of a group they were
listed in, or learning they shared at an event) are **peers**: returned apart, with their
evidence, as learning partners. When no council has strength evidence, `partners` is empty
and a note says so and how evidence gets in.

>>> from graph.knowledge import KnowledgeGraph
>>> from graph.schema import Council, Region, Theme, Edge, EdgeType, Provenance
>>> prov = Provenance(source="curated")
>>> kg = KnowledgeGraph([Region(id="E12000002", name="North West"),
...     Theme(id="workforce", name="Workforce"),
...     Council(id="E06000006", name="Halton", type="unitary", region="E12000002"),
...     Council(id="E08000015", name="Wirral", type="metropolitan_district",
...             region="E12000002"),
...     Council(id="E06000007", name="Warrington", type="unitary", region="E12000002")],
...     [Edge(src="E06000006", type=EdgeType.HAS_PRIORITY, dst="workforce", provenance=prov),
...      Edge(src="E06000007", type=EdgeType.HAS_PRIORITY, dst="workforce", provenance=prov),
...      Edge(src="E08000015", type=EdgeType.SHARES_PRACTICE, dst="workforce", provenance=prov)])
>>> answer = propose_partners(kg, "E06000006")
>>> [p.name for p in answer.partners], [p.name for p in answer.peers]
(['Wirral'], ['Warrington'])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from graph.errors import UnknownNode
from graph.knowledge import KnowledgeGraph
from graph.schema import Council
from matcher.partner_evidence import EvidenceFit, peer_evidence, strength_evidence
from matcher.partner_results import Excluded, MatcherError, PartnerProposals, Proposal
from matcher.partner_signals import (
    Signal,
    capacity_signal,
    context_signal,
    journey_signal,
    proximity_signal,
    relationship_signal,
)
from matcher.profiles import Profiles
from matcher.taxonomy import relation, same_or_narrower
from matcher.themes import read_theme
from matcher.weights import SIGNALS, Weights

EVIDENCE_STEP = 0.1
"""Partners whose evidence differs by less than this are ordered by fit."""
NO_EVIDENCE_NOTE = (
    "No council has recorded evidence of practice, a result, an offer or an endorsement on "
    "{themes} or a narrower theme, so no partner is proposed.{peers} Evidence gets in when a "
    "source document states it (added to the seed data or ingested) or when an engagement "
    "between councils is recorded with its outcome.")

__all__ = ["Excluded", "MatcherError", "PartnerProposals", "Proposal", "propose_partners"]


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _read_themes(kg: KnowledgeGraph, themes: Iterable[str]) -> tuple[list[str], list[str]]:
    found: list[str] = []
    missing: list[str] = []
    for phrase in themes:
        ids = read_theme(kg, phrase)
        if ids:
            found += [t for t in ids if t not in found]
        else:
            missing.append(phrase)
    return found, missing


def propose_partners(
    kg: KnowledgeGraph,
    council_id: str,
    themes: Iterable[str] | None = None,
    weights: Weights | None = None,
    top: int = 10,
    outside_region: bool = False,
    include_regions: Iterable[str] | None = None,
    require_expertise: bool = True,
) -> PartnerProposals:
    """Partners (strength evidence) and peers (same challenge) for `council_id`.

    Parameters
    ----------
    kg : KnowledgeGraph
    council_id : str
        GSS code of the council asking (resolve names first, e.g. with `graph.resolve`).
    themes : iterable of str, optional
        Theme ids or phrases ("front door"); default: the council's own stated priorities
        (or, for a successor council with none, its predecessors').
    weights : Weights, optional
        Weights of the fit signals (expertise orders partners first in any case).
    top : int
        How many partners (and how many peers) to return.
    outside_region : bool
        Only councils outside the council's own region.
    include_regions : iterable of str, optional
        Only councils in these regions (E12 codes).
    require_expertise : bool
        With no themes at all, rank every council on fit alone when False.

    Raises
    ------
    MatcherError
        When `council_id` is not a council in the graph.
    """
    weights = weights or Weights()
    try:
        me = kg.node(council_id)
    except UnknownNode:
        raise MatcherError(f"no council with code {council_id!r}: resolve the name first")\
            from None
    if not isinstance(me, Council):
        raise MatcherError(f"{council_id!r} is a {me.kind.value}, not a council")
    profiles = Profiles.for_graph(kg)
    notes: list[str] = []
    if me.status == "abolished":
        succ = ", ".join(f"{kg.name(s)} ({s})" for s in kg.current_successors(me.id))
        notes.append(f"{me.name} was abolished; proposals are for it as it was. Its successors: "
                     f"{succ}")
    wanted, themes_from = _wanted(kg, profiles, me, themes, notes)
    if council_id not in profiles.stage:
        notes.append(f"No improvement-journey stage is recorded for {me.name}, so the journey "
                     f"signal is not recorded for any council (record it on the profile page)")
    scope = {w: same_or_narrower(kg, w) for w in wanted}
    norm = weights.normalised()
    regions = set(include_regions) if include_regions else None

    partners: list[tuple[EvidenceFit, Proposal]] = []
    peers: list[tuple[EvidenceFit, Proposal]] = []
    excluded: list[Excluded] = []
    for cand in kg.councils(status="current"):
        if cand.id == council_id or (regions is not None and cand.region not in regions):
            continue
        if outside_region and cand.region == me.region:
            continue
        strong = strength_evidence(kg, profiles, cand.id, wanted, scope)
        weak = None if strong.value > 0 else peer_evidence(kg, profiles, cand.id, wanted, scope)
        if wanted and strong.value <= 0 and (weak is None or weak.value <= 0):
            continue
        if not wanted and require_expertise:
            continue
        cap = capacity_signal(kg, profiles, cand)
        if isinstance(cap, str):
            excluded.append(Excluded(cand.id, cand.name, cap))
            continue
        sig = {"journey": journey_signal(kg, profiles, council_id, cand.id),
               "context": context_signal(kg, profiles, me, cand),
               "proximity": proximity_signal(kg, me, cand, outside_region),
               "relationship": relationship_signal(kg, profiles, council_id, cand.id),
               "capacity": cap}
        fit = strong if strong.value > 0 else weak
        assert fit is not None
        sig["expertise"] = Signal(strong.value, fit.confidence, fit.reasons, fit.evidence)
        item = (fit, _proposal(cand, sig, norm, fit.basis))
        (partners if strong.value > 0 else peers).append(item)
    newest = max((f.year for f, _ in partners if f.year), default=None)
    partners.sort(key=lambda x: (-round(x[0].ranked(newest) / EVIDENCE_STEP),
                                 -x[1].score, x[1].code))
    peers.sort(key=lambda x: (-x[0].value, -x[1].score, x[1].code))
    if wanted and not partners:
        names = _and([f"'{kg.name(w)}'" for w in wanted])
        notes.append(NO_EVIDENCE_NOTE.format(
            themes=names, peers=" Councils working on the same challenge are listed as peers."
            if peers else ""))
    excluded.sort(key=lambda e: e.code)
    return PartnerProposals(
        council={"code": me.id, "name": me.name},
        themes=tuple({"id": t, "name": kg.name(t)} for t in wanted),
        partners=tuple(p for _, p in partners[:top]),
        peers=tuple(p for _, p in peers[:top]),
        excluded=tuple(excluded),
        weights=norm,
        notes=tuple(notes),
        themes_from=themes_from,
    )


def _wanted(kg: KnowledgeGraph, profiles: Profiles, me: Council,
            themes: Iterable[str] | None, notes: list[str]) -> tuple[list[str], str]:
    """The themes asked about (read from phrases) or the council's own stated priorities."""
    themes = None if themes is None else list(themes)
    if themes:
        wanted, missing = _read_themes(kg, themes)
        for m in missing:
            notes.append(f"Could not match {m!r} to a theme; try a theme id or other words")
        return _prune_ancestors(kg, wanted), "request"
    needs = profiles.needed(me.id)
    own = [t for t, ev in needs.items() if not ev.inherited_from]
    wanted = own or list(needs)
    if not wanted:
        notes.append(f"{me.name} has no recorded improvement priorities: name the themes it "
                     f"wants help with (e.g. --theme 'front door')")
        return [], "none"
    if not own:
        preds = ", ".join(kg.name(p) for p in profiles.predecessors.get(me.id, ()))
        notes.append(f"Using the priorities of {preds}, which {me.name} succeeded")
    return _prune_ancestors(kg, wanted), "priorities" if own else "inherited priorities"


def _prune_ancestors(kg: KnowledgeGraph, wanted: list[str]) -> list[str]:
    """Drop a broad theme when one of its own sub-themes is also wanted (keep the specific)."""
    out = []
    for w in wanted:
        covered = any(o != w and relation(kg, o, w) == ("child", 0.8) for o in wanted)
        if not covered:
            out.append(w)
    return out


def _proposal(cand: Council, sig: dict[str, Signal], norm: dict[str, float],
              basis: str | None) -> Proposal:
    """Score over the signals that are known, re-weighted; unknown ones are None."""
    known = {name: norm[name] for name in SIGNALS if sig[name].value is not None}
    total = sum(known.values()) or 1.0
    contributions = {name: (known[name] / total) * float(sig[name].value or 0.0)
                     if name in known else None for name in SIGNALS}
    score = sum(v for v in contributions.values() if v is not None)
    confidence = sum(norm[name] * sig[name].confidence for name in SIGNALS)
    reasons: list[str] = []
    for name in SIGNALS:  # expertise first, then the others in signal order
        reasons += [r for r in sig[name].reasons if r not in reasons]
    evidence: list[dict] = []
    for name in SIGNALS:
        evidence += [e for e in sig[name].evidence if e not in evidence]
    signals = {name: None if sig[name].value is None else round(float(sig[name].value), 6)
               for name in SIGNALS}
    return Proposal(cand.id, cand.name, score, signals, contributions, tuple(reasons),
                    tuple(evidence), confidence, cand.region, basis)
