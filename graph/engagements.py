"""Engagements between councils and how they go: proposed -> agreed -> active -> completed,
or declined / cancelled, every step recorded with who and when; on completion the receiving
council's verdict (helped, partly, not helped) on some themes, which becomes endorsement
evidence for the provider when it helped.

Pure: functions read a snapshot and return store changes; `GraphStore.apply` writes them.

>>> from graph.schema import Council, Region, Theme
>>> kg = KnowledgeGraph([Region(id="E12000002", name="North West"),
...     Council(id="E06000006", name="Halton", type="unitary", region="E12000002"),
...     Council(id="E06000007", name="Warrington", type="unitary", region="E12000002"),
...     Theme(id="system", name="System")])
>>> eng = new_engagement(kg, "E06000007", "E06000006", ["system"], "mentoring", "Ann",
...                      at="2026-03-01T10:00:00+00:00")
>>> eng.status, eng.type, [h.who for h in eng.history]
('proposed', 'mentoring', ['Ann'])
>>> kg = KnowledgeGraph([*kg.nodes(), eng])
>>> try:
...     set_status(kg, eng.id, "completed", "Ann")
... except GraphError as exc:
...     print(exc)
cannot go from proposed to completed: a proposed engagement can be agreed, declined or cancelled
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from graph.changes import AddEdge, Change, UpsertNode, now_iso
from graph.claims import evidence_edge
from graph.errors import GraphError
from graph.knowledge import KnowledgeGraph
from graph.schema import (
    SLUG,
    Council,
    Engagement,
    EvidenceKind,
    NodeKind,
    Provenance,
    StatusChange,
)

KINDS = {
    "improvement_partner": "improvement partner",
    "peer_review": "peer review",
    "mentoring": "mentoring or coaching",
    "learning_set": "learning set",
}
"""The kinds of engagement people record, and how each is said."""

_KIND_WORDS = {
    "improvement partner": "improvement_partner", "partner": "improvement_partner",
    "improvement partnership": "improvement_partner", "partnership": "improvement_partner",
    "peer review": "peer_review", "peer challenge": "peer_review", "review": "peer_review",
    "mentoring": "mentoring", "coaching": "mentoring", "mentoring or coaching": "mentoring",
    "mentoring/coaching": "mentoring", "mentor": "mentoring",
    "learning set": "learning_set", "action learning set": "learning_set",
}

NEXT: dict[str, tuple[str, ...]] = {
    "proposed": ("agreed", "declined", "cancelled"),
    "agreed": ("active", "cancelled"),
    "active": ("completed", "cancelled"),
    "completed": (),
    "declined": (),
    "cancelled": (),
}
"""Which status may follow which. Completed, declined and cancelled are final."""

OUTCOMES = {"helped": "helped", "partly": "partly helped", "not_helped": "did not help"}
ENDORSEMENT_CONFIDENCE = {"helped": 1.0, "partly": 0.6}


def engagement_kind(text: str) -> str:
    """The engagement kind a person's words name; GraphError listing the kinds if none."""
    key = " ".join(text.replace("_", " ").replace("-", " ").lower().split())
    if key.replace(" ", "_") in KINDS:
        return key.replace(" ", "_")
    if key in _KIND_WORDS:
        return _KIND_WORDS[key]
    raise GraphError(f"no engagement kind {text!r}: use one of {', '.join(KINDS.values())}")


def new_engagement(kg: KnowledgeGraph, provider: str, recipient: str, themes: Sequence[str],
                   kind: str, who: str, at: str | None = None, round: str | None = None,
                   status: str = "proposed") -> Engagement:
    """A new engagement record (not yet written), its first step signed by `who`."""
    at = at or now_iso()
    for code in (provider, recipient):
        if not isinstance(kg.get(code), Council):
            raise GraphError(f"{code!r} is not a council in the graph")
    if provider == recipient:
        raise GraphError("a council cannot be its own provider")
    for t in themes:
        if kg.get(t) is None or kg.node(t).kind != NodeKind.THEME:
            raise GraphError(f"{t!r} is not a theme")
    kind = engagement_kind(kind)
    stamp = at[:19].replace("-", "").replace(":", "").lower()
    ident = f"eng-{stamp}-{uuid.uuid4().hex[:6]}"
    themes_text = ", ".join(kg.name(t).lower() for t in themes) or "no theme yet"
    return Engagement(
        id=ident, name=f"{kg.name(provider)} {KINDS[kind]} for {kg.name(recipient)} "
                       f"({themes_text}, {at[:4]})",
        type=kind, provider=provider, recipient=recipient, themes=list(dict.fromkeys(themes)),
        status=status, start=at[:10], source=f"user:{who}", round=round,
        history=[StatusChange(status=status, who=who, at=at)])


def set_status(kg: KnowledgeGraph, engagement_id: str, status: str, who: str, *,
               outcome: str | None = None, themes: Sequence[str] = (),
               note: str | None = None, at: str | None = None) -> list[Change]:
    """The changes that move an engagement to `status` (and record an outcome on completion).

    Raises GraphError, with nothing to write, for an unknown id, a move the lifecycle does not
    allow, or an outcome on an engagement that is not being completed.
    """
    eng = kg.get(engagement_id)
    if not isinstance(eng, Engagement):
        raise GraphError(f"no engagement {engagement_id!r}: `peerlink engagement list` shows "
                         f"their ids")
    if status not in NEXT:
        raise GraphError(f"no status {status!r}: use one of {', '.join(NEXT)}")
    at = at or now_iso()
    if status != eng.status and status not in NEXT[eng.status]:
        allowed = NEXT[eng.status]
        then = (f"a {eng.status} engagement can be {_or(allowed)}" if allowed
                else f"a {eng.status} engagement is final")
        raise GraphError(f"cannot go from {eng.status} to {status}: {then}")
    if status == eng.status and not (status == "completed" and outcome and not eng.outcome):
        raise GraphError(f"{eng.name} is already {status}")
    if outcome is not None:
        if outcome not in OUTCOMES:
            raise GraphError(f"no outcome {outcome!r}: use helped, partly or not_helped")
        if status != "completed":
            raise GraphError(f"an outcome is recorded when an engagement is completed, not "
                             f"when it is {status}")
    elif themes or note:
        if status != "completed":
            raise GraphError("themes and a note go with an outcome: give --outcome too")
    for t in themes:
        if kg.get(t) is None or kg.node(t).kind != NodeKind.THEME:
            raise GraphError(f"{t!r} is not a theme")
    update: dict = {"status": status}
    if status != eng.status:
        update["history"] = [*eng.history, StatusChange(status=status, who=who, at=at)]
    if status in ("completed", "declined", "cancelled"):
        update["end"] = eng.end or at[:10]
    changes: list[Change] = []
    if outcome is not None:
        outcome_themes = list(dict.fromkeys(themes)) or list(eng.themes)
        update.update(outcome=outcome, outcome_themes=outcome_themes, note=note or None)
        if outcome in ENDORSEMENT_CONFIDENCE:
            if not outcome_themes:
                raise GraphError("say which themes it helped with: give --theme")
            changes += [AddEdge(edge=e) for e in endorsement_edges(kg, eng, outcome,
                                                                     outcome_themes, at)]
    return [UpsertNode(node=eng.model_copy(update=update)), *changes]


def endorsement_edges(kg: KnowledgeGraph, eng: Engagement, outcome: str,
                      themes: Sequence[str], at: str):
    """The provider's endorsement evidence on each theme, resting on the engagement."""
    said = "endorsed" if outcome == "helped" else "partly endorsed"
    # the engagement is the source; one recorded under an id that cannot be cited (an older
    # upper-case id) rests on the person who recorded its outcome instead
    source = eng.id if SLUG.match(eng.id) else f"user:{eng.history[-1].who}" \
        if eng.history else f"user:{kg.name(eng.recipient)}"
    for t in themes:
        prov = Provenance(source=source,
                          locator=f"{said} by {kg.name(eng.recipient)}, {at[:4]}",
                          confidence=ENDORSEMENT_CONFIDENCE[outcome], since=at[:10])
        yield evidence_edge(kg, eng.provider, EvidenceKind.ENDORSEMENT, t, prov,
                            endorsed_by=eng.recipient, outcome=outcome)


def round_engagements(kg: KnowledgeGraph, name: str,
                      placements: Sequence[tuple[str, Sequence[str], str, str]], who: str,
                      at: str | None = None) -> list[Engagement]:
    """A staffed peer-review round saved as engagements: one per reviewer placed, from the
    reviewer's council to the council reviewed, agreed, named after the round.

    `placements` are (council reviewed, focus themes, reviewer id, reviewer's council).
    GraphError when a round of that name is already saved or nothing was staffed.
    """
    name = " ".join(name.split())
    if not name:
        raise GraphError("give the round a name to save it under")
    if any(isinstance(e, Engagement) and e.round == name for e in kg.nodes(NodeKind.ENGAGEMENT)):
        raise GraphError(f"a round named {name!r} is already saved: choose another name")
    if not placements:
        raise GraphError("nothing to save: no reviewer was placed in this round")
    at = at or now_iso()
    out = []
    for reviewed, focus, reviewer, council in placements:
        themes = [t for t in focus if kg.get(t) is not None
                  and kg.node(t).kind == NodeKind.THEME]
        eng = new_engagement(kg, council, reviewed, themes, "peer_review", who, at=at,
                             round=name, status="agreed")
        out.append(eng.model_copy(update={"reviewers": [reviewer]}))
    return out


def engagements(kg: KnowledgeGraph, council: str | None = None,
                status: str | None = None) -> list[Engagement]:
    """Engagements (optionally of one council, either side, and of one status), newest first."""
    found = [e for e in kg.nodes(NodeKind.ENGAGEMENT) if isinstance(e, Engagement)
             and (council is None or council in (e.provider, e.recipient))
             and (status is None or e.status == status)]
    return sorted(found, key=lambda e: (e.start or "", e.id), reverse=True)


def engagement_json(kg: KnowledgeGraph, e: Engagement) -> dict:
    return {
        "id": e.id, "kind": e.type, "status": e.status,
        "provider": {"code": e.provider, "name": kg.name(e.provider)},
        "recipient": {"code": e.recipient, "name": kg.name(e.recipient)},
        "themes": [{"id": t, "name": kg.name(t)} for t in e.themes],
        "start": e.start, "end": e.end, "round": e.round,
        "outcome": e.outcome, "outcome_themes": list(e.outcome_themes), "note": e.note,
        "history": [h.model_dump() for h in e.history],
    }


def _or(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
