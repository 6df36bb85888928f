"""The signals of partner fit other than expertise: journey, context, proximity, relationship
and capacity. Each is a value in [0, 1] with a confidence and reasons, or ``None`` when the
facts it needs are not recorded (shown as "not recorded"; the score is re-weighted over the
signals that are known, never filled with a neutral value).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from graph.knowledge import KnowledgeGraph
from graph.ledger import LedgerRow
from graph.schema import Council, CouncilType, Engagement
from matcher.profiles import Profiles, edge_evidence

TYPE_SIMILARITY = {
    frozenset({CouncilType.COUNTY, CouncilType.UNITARY}): 0.6,
    frozenset({CouncilType.METROPOLITAN_DISTRICT, CouncilType.LONDON_BOROUGH}): 0.6,
    frozenset({CouncilType.METROPOLITAN_DISTRICT, CouncilType.UNITARY}): 0.6,
    frozenset({CouncilType.LONDON_BOROUGH, CouncilType.UNITARY}): 0.4,
}
DISTANCE_SCALE_KM = 400.0
HEAVY_USE = 0.5
"""A candidate using at least this share of its stated capacity is called heavily used."""
REST_SCALE = 2.0
"""The capacity value is multiplied by 1 / (1 + extra / REST_SCALE), extra being the
engagements a council has given beyond those it has received."""
WILLING_HORSE = 2
"""Given at least this many more than received: said to be ranked lower to share the load."""
RECORD_CONFIDENCE = 0.6
"""Confidence in the ledger alone (no stated capacity): the record may be incomplete."""


@dataclass(frozen=True)
class Signal:
    value: float | None  # None: the facts it needs are not recorded
    confidence: float
    reasons: tuple[str, ...] = ()
    evidence: tuple[dict, ...] = ()


def journey_signal(kg: KnowledgeGraph, profiles: Profiles, council: str,
                   candidate: str) -> Signal:
    mine, theirs = profiles.stage.get(council), profiles.stage.get(candidate)
    if mine is None:  # said once for the whole answer (a note), not on every proposal
        return Signal(None, 0.0)
    if theirs is None:
        return Signal(None, 0.0, (f"Improvement-journey stage not recorded for "
                                  f"{kg.name(candidate)}",))
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
    if outside_region and not same:
        return Signal(1.0, 1.0, (f"Outside {region}, in {kg.name(them.region)}, as asked",))
    if same:
        return Signal(1.0, 1.0, (f"In the same region ({region})",))
    d = _distance_km(me, them)
    if d is None:
        return Signal(None, 0.0, (f"In {kg.name(them.region)}; distance not recorded",))
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
    """The capacity signal, or a string saying why the candidate is excluded.

    Two facts feed it: the open engagements it provides against its stated capacity, and its
    give-and-receive record from the ledger (a council that has given far more than it has
    received is ranked lower, so the load is shared). Neither recorded: not recorded.
    """
    load = profiles.open_load(them.id)
    n = len(load)
    record = profiles.give_record.get(them.id)
    if them.capacity is not None:
        if n >= them.capacity:
            return (f"at capacity: {n} open engagement(s) it provides against a stated "
                    f"capacity of {them.capacity}")
        used = n / them.capacity
        value = 1.0 - used
        if used >= HEAVY_USE:
            reason = (f"Heavily used: {n} of {them.capacity} places taken "
                      f"(ranked lower to share the load)")
        else:
            reason = f"Has capacity: {n} of {them.capacity} places taken"
        if record is None:
            return Signal(value, 1.0, (reason,))
        return Signal(value * _rest_factor(record), 1.0, (reason, give_and_receive(record)))
    text = "Capacity not recorded"
    if n:
        text += f"; already provides {n} open engagement(s)"
    if record is None:
        return Signal(None, 0.0, (text,))
    return Signal(_rest_factor(record), RECORD_CONFIDENCE, (text, give_and_receive(record)))


def _rest_factor(record: LedgerRow) -> float:
    """1 when it has received as much as it gave, falling with each engagement given beyond."""
    return 1.0 / (1.0 + max(0, record.gave - record.received) / REST_SCALE)


def give_and_receive(record: LedgerRow) -> str:
    """The ledger's figures in words, e.g. `Has led 4 reviews and partnerships since 2024 and
    received 1 (ranked lower to share the load)`."""
    gave = {0: "no reviews or partnerships", 1: "1 review or partnership"}.get(
        record.gave, f"{record.gave} reviews and partnerships")
    since = f" since {record.since}" if record.since else ""
    text = f"Has led {gave}{since} and received {record.received or 'none'}"
    if record.gave - record.received >= WILLING_HORSE:
        text += " (ranked lower to share the load)"
    return text
