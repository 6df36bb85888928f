"""Who changed what and when, as sentences a person reads.

A journal entry holds the new state of a record, not what it replaced; the sentence compares
it with the record before it (the previous entry for the same record, or the record as the
seed data has it).

>>> from graph.schema import Council, Region, SelfView
>>> from graph.changes import ChangeRecord, UpsertNode
>>> halton = Council(id="E06000006", name="Halton", type="unitary", region="E12000002")
>>> kg = KnowledgeGraph([Region(id="E12000002", name="North West"), halton])
>>> new = halton.model_copy(update={"self_view": SelfView(
...     what_we_can_share="academy for newly qualified social workers")})
>>> rec = ChangeRecord(seq=1, at="2026-03-14T10:02:09+00:00", who="Jo Bloggs (NW SLI team)",
...                    change=UpsertNode(node=new))
>>> print(history_sentences([rec], kg, {"E06000006": halton}.get)[0])
... # doctest: +NORMALIZE_WHITESPACE
14 Mar 2026 10:02 — Jo Bloggs (NW SLI team) changed Halton's self-view:
'what we can share' added 'academy for newly qualified social workers'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from graph.changes import AddEdge, ChangeRecord, RemoveNode, UpdateNode, UpsertNode
from graph.knowledge import KnowledgeGraph
from graph.schema import Council, EdgeType, Engagement, Node, SelfView
from graph.wording import one_line, relationship_words

SELF_VIEW_WORDS = {
    "what_good_looks_like": "what good looks like",
    "what_we_can_share": "what we can share",
    "what_worries_us": "what worries us",
    "support_wanted": "what support we want",
}
LONGEST_QUOTE = 120


def when(at: str) -> str:
    """'14 Mar 2026 10:02' from an ISO time (as given when it cannot be read)."""
    try:
        t = datetime.fromisoformat(at)
    except ValueError:
        return at
    return f"{t.day} {t:%b %Y %H:%M}"


def _quote(text: str) -> str:
    return f"'{one_line(text, LONGEST_QUOTE)}'"


def text_change(label: str, old: str, new: str) -> str:
    """How one text field changed, in words."""
    old, new = old.strip(), new.strip()
    if not old:
        return f"'{label}' added {_quote(new)}"
    if not new:
        return f"'{label}' cleared (it was {_quote(old)})"
    if new.startswith(old):
        return f"'{label}' added {_quote(new[len(old):].lstrip(' ;,.'))}"
    if old.startswith(new):
        return f"'{label}' removed {_quote(old[len(new):].lstrip(' ;,.'))}"
    return f"'{label}' changed from {_quote(old)} to {_quote(new)}"


def _fields(values: dict) -> dict:
    """Field values as JSON (an update's `seen` or `values`) back as record values."""
    out = dict(values)
    if isinstance(out.get("self_view"), dict):
        out["self_view"] = SelfView(**out["self_view"])
    return out


def _council_change(old: Council | None, new: Council) -> str:
    parts: list[str] = []
    before, after = (old.self_view if old else None) or SelfView(), new.self_view or SelfView()
    views = [text_change(label, getattr(before, f), getattr(after, f))
             for f, label in SELF_VIEW_WORDS.items() if getattr(before, f) != getattr(after, f)]
    if views:
        parts.append(f"changed {new.name}'s self-view: " + "; ".join(views))
    was = old.capacity if old else None
    if was != new.capacity:
        now = "unknown" if new.capacity is None else f"{new.capacity} at once"
        parts.append(f"set {new.name}'s capacity for engagements to {now}"
                     + ("" if was is None else f" (it was {was})"))
    return "; and ".join(parts) or f"saved {new.name}'s record unchanged"


def describe(record: ChangeRecord, kg: KnowledgeGraph, previous: Node | None) -> str:
    """What one journal entry did, as the end of a sentence that starts with who did it."""
    change = record.change
    if isinstance(change, UpdateNode):
        node = kg.get(change.id)
        if isinstance(node, Council):
            before = node.model_copy(update=_fields(change.seen))
            return _council_change(before, node.model_copy(update=_fields(change.values)))
        return f"updated {kg.name(change.id)}"
    if isinstance(change, UpsertNode):
        node = change.node
        if isinstance(node, Council):
            return _council_change(previous if isinstance(previous, Council) else None, node)
        if isinstance(node, Engagement):
            return f"recorded {node.name} ({node.status})"
        return f"{'updated' if previous else 'added'} {node.name}"
    if isinstance(change, RemoveNode):
        return f"removed {kg.name(change.id)}"
    src, type_, dst = ((change.edge.src, change.edge.type, change.edge.dst)
                       if isinstance(change, AddEdge)
                       else (change.src, change.type, change.dst))
    added = isinstance(change, AddEdge)
    if type_ == EdgeType.HAS_PRIORITY:
        return (f"added {kg.name(dst)} to {kg.name(src)}'s improvement priorities" if added
                else f"removed {kg.name(dst)} from {kg.name(src)}'s improvement priorities")
    if type_ == EdgeType.AT_STAGE:
        return (f"recorded {kg.name(src)} at the stage '{kg.name(dst)}'" if added
                else f"withdrew the stage '{kg.name(dst)}' recorded for {kg.name(src)}")
    fact = f"{kg.name(src)} {relationship_words(type_)} {kg.name(dst)}"
    return f"recorded that {fact}" if added else f"withdrew that {fact}"


def history_sentences(records: Sequence[ChangeRecord], kg: KnowledgeGraph,
                      original: Callable[[str], Node | None]) -> list[str]:
    """One sentence per journal entry, newest first as given: '<when> — <who> <did what>'.

    `original(id)` gives a record as it was before any entry (e.g. from the seed data); an
    entry is compared with the next older entry for the same record in `records`, or with
    that original.
    """
    out = []
    for i, record in enumerate(records):
        previous: Node | None = None
        if isinstance(record.change, UpsertNode):
            node_id = record.change.node.id
            older = (r.change.node for r in records[i + 1:]
                     if isinstance(r.change, UpsertNode) and r.change.node.id == node_id)
            previous = next(older, None) or original(node_id)
        out.append(f"{when(record.at)} \u2014 {record.who} {describe(record, kg, previous)}")
    return out
