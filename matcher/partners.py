"""Improvement partners: which other councils could help this one on the themes it wants.

Every current council other than the one asking is a candidate; six signals, each in [0, 1],
are combined with `Weights` (normalised). Each signal also carries a confidence: a missing
fact (no stage recorded, no capacity stated, no size) gives a neutral value at lower
confidence, never a crash and never evidence.

========== ==================================================================================
signal     what it measures
========== ==================================================================================
expertise  evidence the candidate has practice on each wanted theme (`matcher.profiles`),
           through the taxonomy (exact 1.0 > sub-theme 0.8 > parent 0.7 > sibling 0.4),
           weighted by provenance confidence; the mean over wanted themes of the best
           evidence, plus a little for corroborating facts. An abolished council's facts
           count for its successors at 0.6.
journey    the candidate is further along the improvement journey (AT_STAGE): ahead 1.0,
           level 0.5, behind 0.1; unknown 0.5 at low confidence
context    authority type, size (postcodes) and rurality (postcodes per occupied km2),
           averaged; a statistical neighbour (PARTNERS_WITH/RELATES_TO kind=
           statistical_neighbour) lifts it
proximity  same region 1.0, else falling with distance; with ``outside_region`` the reverse:
           outside the region 1.0, inside 0.0
relation-  shared networks (MEMBER_OF/INVOLVED_IN), past engagements between the two and their
ship       feedback (poor feedback caps it)
capacity   1 - open engagements provided / stated capacity; at capacity -> excluded (listed in
           ``excluded``); unknown capacity -> 0.5 at lower confidence, less if already busy
========== ==================================================================================

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
...      Edge(src="E08000015", type=EdgeType.SHARES_PRACTICE, dst="workforce", provenance=prov)])
>>> [p.name for p in propose_partners(kg, "E06000006").partners]
['Wirral']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from graph.errors import UnknownNode
from graph.knowledge import KnowledgeGraph
from graph.schema import Council, CouncilType, Engagement
from matcher.profiles import Profiles, ThemeEvidence, edge_evidence
from matcher.taxonomy import expand as expand_theme
from matcher.taxonomy import relation
from matcher.themes import read_theme
from matcher.weights import SIGNALS, Weights

CORROBORATION = 0.2
"""Share of the gap to the noisy-or of all evidence added to the best evidence on a theme."""
TYPE_SIMILARITY = {
    frozenset({CouncilType.COUNTY, CouncilType.UNITARY}): 0.6,
    frozenset({CouncilType.METROPOLITAN_DISTRICT, CouncilType.LONDON_BOROUGH}): 0.6,
    frozenset({CouncilType.METROPOLITAN_DISTRICT, CouncilType.UNITARY}): 0.6,
    frozenset({CouncilType.LONDON_BOROUGH, CouncilType.UNITARY}): 0.4,
}
DISTANCE_SCALE_KM = 400.0
HEAVY_USE = 0.5
"""A candidate using at least this share of its stated capacity is called heavily used."""


class MatcherError(ValueError):
    """A request the matcher cannot answer; the message says what to change."""


@dataclass(frozen=True)
class Signal:
    value: float
    confidence: float
    reasons: tuple[str, ...] = ()
    evidence: tuple[dict, ...] = ()


@dataclass(frozen=True)
class Proposal:
    """One proposed partner with its score, signal breakdown, reasons and evidence."""

    code: str
    name: str
    score: float
    signals: dict[str, float]
    contributions: dict[str, float]
    reasons: tuple[str, ...]
    evidence: tuple[dict, ...]
    confidence: float
    region: str | None = None

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "score": round(self.score, 4),
            "signals": {k: round(v, 4) for k, v in self.signals.items()},
            "reasons": list(self.reasons),
            "evidence": list(self.evidence),
            "contributions": {k: round(v, 4) for k, v in self.contributions.items()},
            "confidence": round(self.confidence, 4),
            "region": self.region,
        }


@dataclass(frozen=True)
class Excluded:
    code: str
    name: str
    reason: str

    def to_json(self) -> dict:
        return {"code": self.code, "name": self.name, "reason": self.reason}


@dataclass(frozen=True)
class PartnerProposals:
    """The answer to one partner request."""

    council: dict
    themes: tuple[dict, ...]
    partners: tuple[Proposal, ...]
    excluded: tuple[Excluded, ...] = ()
    weights: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    themes_from: str = "request"  # request | priorities | inherited priorities | none

    def to_json(self) -> dict:
        return {
            "council": self.council,
            "themes": list(self.themes),
            "partners": [p.to_json() for p in self.partners],
            "excluded": [e.to_json() for e in self.excluded],
            "weights": {k: round(v, 4) for k, v in self.weights.items()},
            "notes": list(self.notes),
            "themes_from": self.themes_from,
            "confidence": round(
                sum(p.confidence for p in self.partners) / len(self.partners), 4)
            if self.partners else 0.0,
        }


# ---------------------------------------------------------------------- signals


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def expertise_signal(kg: KnowledgeGraph, profiles: Profiles, candidate: str,
                     wanted: Sequence[str], reach: dict[str, dict[str, float]],
                     explain: bool = True) -> Signal:
    """Evidence the candidate has on each wanted theme, through the taxonomy.

    With ``explain=False`` only the value and confidence are computed (for ranking); the
    reasons and evidence are then built for the proposals that are shown.
    """
    if not wanted:
        return Signal(0.0, 0.0, ("No themes to match on",))
    evs = profiles.offers.get(candidate, [])
    total = 0.0
    reasons: list[str] = []
    evidence: list[dict] = []
    own = inherited = 0
    facts: dict[str, list[str]] = {}  # reason text -> wanted themes it counts toward
    for w in wanted:
        items: list[tuple[float, ThemeEvidence]] = []
        for ev in evs:
            weight = reach[w].get(ev.theme)
            if weight is not None:
                items.append((weight * ev.strength, ev))
        if not items:
            continue
        items.sort(key=lambda x: -x[0])
        best = items[0][0]
        miss = 1.0
        for v, _ in items:
            miss *= 1.0 - v
        total += best + CORROBORATION * max(0.0, (1.0 - miss) - best)
        top = items[0][1]
        if top.inherited_from:
            inherited += 1
        else:
            own += 1
        if not explain:
            continue
        rel = relation(kg, top.theme, w)
        # One fact often covers several wanted themes: say it once, listing what it covers.
        toward = facts.setdefault(top.describe(kg), [])
        if rel and rel[0] != "exact":
            toward.append(f"{kg.name(w).lower()} (as a {rel[0]} theme)")
        for _, ev in items[1:]:  # the most specific other fact, if the best was a broad one
            if ev.theme != top.theme and ev.kind != "priority":
                facts.setdefault("Also: " + ev.describe(kg), [])
                break
        seen_edges = {(e["type"], e["from"], e["to"], e["source"]) for e in evidence}
        for _, ev in items[:3]:
            for e in ev.evidence(kg):
                k = (e["type"], e["from"], e["to"], e["source"])
                if k not in seen_edges:
                    evidence.append(e)
                    seen_edges.add(k)
    for text, toward in facts.items():
        reasons.append(text + (f" [counts toward {_and(toward)}]" if toward else ""))
    value = min(1.0, total / len(wanted))
    if not evs:
        return Signal(0.0, 0.4, ("No recorded practice or learning on any theme",))
    if own + inherited == 0:
        return Signal(0.0, 0.8, ("No recorded practice on the themes asked about",))
    confidence = (own + 0.6 * inherited) / (own + inherited)
    return Signal(value, confidence, tuple(reasons), tuple(evidence))


def journey_signal(kg: KnowledgeGraph, profiles: Profiles, council: str,
                   candidate: str) -> Signal:
    mine, theirs = profiles.stage.get(council), profiles.stage.get(candidate)
    if mine is None or theirs is None:
        who = kg.name(council) if mine is None else kg.name(candidate)
        return Signal(0.5, 0.3, (f"No improvement-journey stage recorded for {who}",))
    ev = (edge_evidence(kg, mine[2]), edge_evidence(kg, theirs[2]))
    if theirs[0] > mine[0]:
        return Signal(1.0, 1.0, (f"Further along the improvement journey "
                                 f"({kg.name(theirs[1])} vs {kg.name(mine[1])})",), ev)
    if theirs[0] == mine[0]:
        return Signal(0.5, 1.0, (f"At the same stage of the journey ({kg.name(theirs[1])})",),
                      ev)
    return Signal(0.1, 1.0, (f"Earlier in the improvement journey ({kg.name(theirs[1])})",), ev)


def _ratio_similarity(a: float | None, b: float | None) -> float | None:
    if not a or not b:
        return None
    return math.exp(-abs(math.log(a / b)))


def _density(c: Council) -> float | None:
    if not c.postcode_count or not c.occupied_km2:
        return None
    return c.postcode_count / c.occupied_km2


def context_signal(kg: KnowledgeGraph, profiles: Profiles, me: Council,
                   them: Council) -> Signal:
    type_sim = 1.0 if me.type == them.type else TYPE_SIMILARITY.get(
        frozenset({me.type, them.type}), 0.3)
    size_sim = _ratio_similarity(me.postcode_count, them.postcode_count)
    rural_sim = _ratio_similarity(_density(me), _density(them))
    parts = [type_sim] + [s for s in (size_sim, rural_sim) if s is not None]
    value = sum(parts) / len(parts)
    reasons: list[str] = []
    evidence: list[dict] = []
    if me.type == them.type:
        reasons.append(f"Also a {them.type.value.replace('_', ' ')} council")
    if size_sim is not None and size_sim >= 0.75:
        reasons.append("Of similar size")
    if rural_sim is not None and rural_sim >= 0.75:
        d = _density(them) or 0
        reasons.append("Similarly " + ("rural" if d < 40 else "urban"))
    stat = profiles.neighbours.get(me.id, {}).get(them.id)
    if stat is not None:
        value = 0.5 + 0.5 * value
        reasons.append("A statistical neighbour")
        evidence.append(edge_evidence(kg, stat))
    confidence = 0.6 + 0.2 * (size_sim is not None) + 0.2 * (rural_sim is not None)
    if size_sim is None or rural_sim is None:
        reasons.append("Size or rurality not recorded for one of the two councils")
    return Signal(value, confidence, tuple(reasons), tuple(evidence))


def _distance_km(a: Council, b: Council) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))  # type: ignore
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(
        (lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def proximity_signal(kg: KnowledgeGraph, me: Council, them: Council,
                     outside_region: bool) -> Signal:
    region = kg.name(me.region)
    same = me.region == them.region
    if outside_region:
        if same:
            return Signal(0.0, 1.0, (f"In {region}: you asked for councils outside it",))
        return Signal(1.0, 1.0, (f"Outside {region}, in {kg.name(them.region)}: best practice "
                                 f"from beyond the region, as asked",))
    if same:
        return Signal(1.0, 1.0, (f"In the same region ({region})",))
    d = _distance_km(me, them)
    if d is None:
        return Signal(0.2, 0.5, (f"In {kg.name(them.region)}; distance unknown",))
    return Signal(0.6 * max(0.0, 1.0 - d / DISTANCE_SCALE_KM), 1.0,
                  (f"In {kg.name(them.region)}, about {d:.0f} km away",))


def _engagement_value(e: Engagement) -> tuple[float, str]:
    if e.status in ("declined", "cancelled"):
        return 0.2, f"a {e.type.replace('_', ' ')} that was {e.status}"
    if e.feedback is not None:
        return (e.feedback - 1.0) / 4.0, (f"a {e.type.replace('_', ' ')} ({e.status}) rated "
                                          f"{e.feedback:g}/5")
    return 0.6, f"a {e.type.replace('_', ' ')} ({e.status})"


def relationship_signal(kg: KnowledgeGraph, profiles: Profiles, council: str,
                        candidate: str) -> Signal:
    def nets(c: str) -> dict[str, float]:
        out = {n: 1.0 for n in profiles.networks.get(c, {})}
        for pred in profiles.predecessors.get(c, ()):
            for n in profiles.networks.get(pred, {}):
                out.setdefault(n, 0.6)
        return out

    mine, theirs = nets(council), nets(candidate)
    shared = sorted(set(mine) & set(theirs))
    reasons: list[str] = []
    evidence: list[dict] = []
    v_net = 0.0
    if shared:
        v_net = min(1.0, 0.4 + 0.15 * (len(shared) - 1)) * max(
            min(mine[n], theirs[n]) for n in shared)
        names = ", ".join(kg.name(n) for n in shared[:3])
        reasons.append(f"Both in {names}" + (f" and {len(shared) - 3} more" if len(shared) > 3
                                            else ""))
        for n in shared[:3]:
            for who in (council, candidate):
                e = profiles.networks.get(who, {}).get(n)
                if e is not None:
                    evidence.append(edge_evidence(kg, e))
    values: list[float] = []
    for _, eng in profiles.engagements.get(council, ()):
        if candidate not in (eng.provider, eng.recipient):
            continue
        v, text = _engagement_value(eng)
        values.append(v)
        reasons.append(f"Worked together before: {text}")
        evidence.append({"type": "Engagement", "from": eng.provider, "to": eng.recipient,
                         "source": eng.source or "curated", "locator": eng.id,
                         "citation": eng.name, "confidence": 1.0})
    value = v_net
    if values:
        v_eng = sum(values) / len(values)
        value = v_eng if v_eng <= 0.25 else max(v_net, v_eng)  # poor feedback caps trust
    if not reasons:
        return Signal(0.0, 0.8, ("No shared networks or past engagements recorded",))
    return Signal(value, 1.0, tuple(reasons), tuple(evidence))


def capacity_signal(kg: KnowledgeGraph, profiles: Profiles, them: Council) -> Signal | str:
    """The capacity signal, or a string saying why the candidate is excluded."""
    load = profiles.open_load(them.id)
    n = len(load)
    if them.capacity is not None:
        if n >= them.capacity:
            return (f"at capacity: {n} open engagement(s) it provides against a stated "
                    f"capacity of {them.capacity}")
        used = n / them.capacity
        value = 1.0 - used
        if used >= HEAVY_USE:
            return Signal(value, 1.0, (f"Heavily used: {n} of {them.capacity} places taken "
                                       f"(ranked lower to share the load)",))
        return Signal(value, 1.0, (f"Has capacity: {n} of {them.capacity} places taken",))
    value = max(0.1, 0.5 - 0.1 * n)
    text = "Capacity not recorded"
    if n:
        text += f"; already provides {n} open engagement(s)"
    return Signal(value, 0.5, (text,))


# ---------------------------------------------------------------------- the request


def _resolve_themes(kg: KnowledgeGraph, themes: Iterable[str]) -> tuple[list[str], list[str]]:
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
    """Rank other current councils as improvement partners for `council_id`.

    Parameters
    ----------
    kg : KnowledgeGraph
    council_id : str
        GSS code of the council asking (resolve names first, e.g. with `graph.resolve`).
    themes : iterable of str, optional
        Theme ids or phrases ("front door"); default: the council's own HAS_PRIORITY themes
        (or, for a successor council with none, its predecessors').
    weights : Weights, optional
    top : int
        How many proposals to return.
    outside_region : bool
        Prefer councils outside the council's region (best practice from beyond it).
    include_regions : iterable of str, optional
        Only consider candidates in these regions (E12 codes).
    require_expertise : bool
        Leave out candidates with no evidence at all on the themes (they are counted in
        ``notes``). Ignored when there are no themes.

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

    themes_from = "request"
    themes = None if themes is None else list(themes)
    if themes:
        wanted, missing = _resolve_themes(kg, themes)
        for m in missing:
            notes.append(f"Could not match {m!r} to a theme; try a theme id or other words")
    else:
        needs = profiles.needed(council_id)
        own = [t for t, ev in needs.items() if not ev.inherited_from]
        wanted = own or list(needs)
        themes_from = "priorities" if own else "inherited priorities" if wanted else "none"
        if not wanted:
            notes.append(f"{me.name} has no recorded improvement priorities: name the themes it "
                         f"wants help with (e.g. --theme 'front door'); ranking on context, "
                         f"proximity, relationship and capacity only")
        elif not own:
            preds = ", ".join(kg.name(p) for p in profiles.predecessors.get(council_id, ()))
            notes.append(f"Using the priorities of {preds}, which {me.name} succeeded")
    wanted = _prune_ancestors(kg, wanted)
    reach = {w: expand_theme(kg, w) for w in wanted}
    norm = weights.normalised()
    regions = set(include_regions) if include_regions else None

    proposals: list[Proposal] = []
    excluded: list[Excluded] = []
    no_evidence = 0
    signals_of: dict[str, dict[str, Signal]] = {}
    for cand in kg.councils(status="current"):
        if cand.id == council_id:
            continue
        if regions is not None and cand.region not in regions:
            continue
        sig: dict[str, Signal] = {}
        sig["expertise"] = expertise_signal(kg, profiles, cand.id, wanted, reach,
                                            explain=False)
        if require_expertise and wanted and sig["expertise"].value <= 0.0:
            no_evidence += 1
            continue
        cap = capacity_signal(kg, profiles, cand)
        if isinstance(cap, str):
            excluded.append(Excluded(cand.id, cand.name, cap))
            continue
        sig["journey"] = journey_signal(kg, profiles, council_id, cand.id)
        sig["context"] = context_signal(kg, profiles, me, cand)
        sig["proximity"] = proximity_signal(kg, me, cand, outside_region)
        sig["relationship"] = relationship_signal(kg, profiles, council_id, cand.id)
        sig["capacity"] = cap
        proposals.append(_proposal(kg, cand, sig, norm))
        signals_of[cand.id] = sig
    proposals.sort(key=lambda p: (-p.score, p.code))
    shown = []
    for p in proposals[:top]:  # explain only what is shown
        sig = signals_of[p.code]
        sig["expertise"] = expertise_signal(kg, profiles, p.code, wanted, reach)
        shown.append(_proposal(kg, kg.node(p.code), sig, norm))  # type: ignore[arg-type]
    if no_evidence:
        notes.append(f"{no_evidence} other council(s) have no recorded evidence on these themes "
                     f"and are not proposed")
    excluded.sort(key=lambda e: e.code)
    return PartnerProposals(
        council={"code": me.id, "name": me.name},
        themes=tuple({"id": t, "name": kg.name(t)} for t in wanted),
        partners=tuple(shown),
        excluded=tuple(excluded),
        weights=norm,
        notes=tuple(notes),
        themes_from=themes_from,
    )


def _prune_ancestors(kg: KnowledgeGraph, wanted: list[str]) -> list[str]:
    """Drop a broad theme when one of its own sub-themes is also wanted (keep the specific)."""
    out = []
    for w in wanted:
        covered = any(o != w and relation(kg, o, w) == ("child", 0.8) for o in wanted)
        if not covered:
            out.append(w)
    return out


def _proposal(kg: KnowledgeGraph, cand: Council, sig: dict[str, Signal],
              norm: dict[str, float]) -> Proposal:
    signals = {name: round(sig[name].value, 6) for name in SIGNALS}
    contributions = {name: norm[name] * sig[name].value for name in SIGNALS}
    score = sum(contributions.values())
    confidence = sum(norm[name] * sig[name].confidence for name in SIGNALS)
    reasons: list[str] = []
    for name in SIGNALS:  # expertise first, then the others in signal order
        reasons += sig[name].reasons
    evidence: list[dict] = []
    for name in SIGNALS:
        evidence += sig[name].evidence
    return Proposal(cand.id, cand.name, score, signals, contributions, tuple(reasons),
                    tuple(evidence), confidence, cand.region)
