"""What a search returns, and the plain-English reasons each result carries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from graph.knowledge import KnowledgeGraph, cite
from graph.schema import Council, Node, Practice, SupportOffer
from matcher.phrases import Phrase
from matcher.profiles import ThemeEvidence
from matcher.themes import DetectedTheme


@dataclass(frozen=True)
class SearchResult:
    id: str
    kind: str
    name: str
    score: float
    owner: dict | None
    reasons: tuple[str, ...]
    evidence: tuple[dict, ...]
    signals: dict[str, float] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "score": round(self.score, 4),
            "owner": self.owner,
            "reasons": list(self.reasons),
            "evidence": list(self.evidence),
            "signals": {k: round(v, 4) for k, v in self.signals.items()},
        }
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class SearchResults:
    query: str
    results: tuple[SearchResult, ...]
    themes: tuple[DetectedTheme, ...] = ()

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "results": [r.to_json() for r in self.results],
            "themes": [t.to_json() for t in self.themes],
        }

    def __iter__(self):
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)


BEST_PRACTICE = "best practice"
WORKING_ON_IT = "working on this too"
"""Councils found only through a challenge or shared learning: peers, not sources of help."""

ThemeLink = tuple[float, DetectedTheme, str, ThemeEvidence]
"""(strength of the link to the query, the detected theme, the linked theme, its evidence)"""


def owner_of(kg: KnowledgeGraph, node: Node) -> dict | None:
    owner_id = None
    if isinstance(node, Practice) and node.owners:
        owner_id = node.owners[0]
    elif isinstance(node, SupportOffer) and node.provider:
        owner_id = node.provider
    if owner_id is None:
        return None
    return {"id": owner_id, "name": kg.name(owner_id)}


def explain(kg: KnowledgeGraph, node: Node, score: float, mentioned: Sequence[str],
            name_hit: tuple[float, Phrase] | None, theme_links: Sequence[ThemeLink],
            signals: dict[str, float]) -> SearchResult:
    """A result with its reasons, each true of the fact it cites and none said twice.

    `mentioned` are the words the person typed that occur in the node's own text (not in the
    names of themes it is linked to).
    """
    reasons: list[str] = []
    evidence: list[dict] = []
    if name_hit is not None:
        reasons.append(f"Its name matches '{name_hit[1].text}'")
    seen: set[tuple[str, str | None, str | None]] = set()
    said: set[str] = set()
    for _, d, _tid, ev in theme_links[:3]:
        key = (ev.theme, ev.via, ev.inherited_from)
        if key in seen:
            continue
        seen.add(key)
        because = (f"your words matched the theme '{d.name}'"
                   + (f" via '{d.matched}'" if d.matched != "its description" else ""))
        # How the query reached a theme is said once, on the first fact reached through it.
        reasons.append(ev.describe(kg) if because in said else f"{ev.describe(kg)}; {because}")
        said.add(because)
        evidence += [e for e in ev.evidence(kg) if e not in evidence]
    if mentioned:
        reasons.append("Mentions " + ", ".join(f"'{h}'" for h in mentioned[:6]))
    if isinstance(node, Council) and node.status == "abolished":
        succ = ", ".join(f"{kg.name(s)} ({s})" for s in kg.current_successors(node.id))
        when = f" in {node.abolished[:4]}" if node.abolished else ""
        reasons.append(f"{node.name} was abolished{when}; its work now sits with {succ}")
    if not evidence and node.source:
        prov = node.provenance()
        evidence.append({"type": "record", "kind": None, "from": node.id, "to": None,
                         "source": prov.source, "locator": prov.locator,
                         "citation": cite(prov, kg), "confidence": prov.confidence})
    extra: dict = {}
    if isinstance(node, Council):  # a source of help only on strength evidence
        strong = any(ev.strong for _, _, _, ev in theme_links)
        extra["group"] = BEST_PRACTICE if strong else WORKING_ON_IT
    if isinstance(node, Practice) and len(node.owners) > 1:
        extra["owners"] = [{"id": o, "name": kg.name(o)} for o in node.owners]
    if isinstance(node, Council) and node.status == "abolished":
        extra["successors"] = kg.current_successors(node.id)
    unique = tuple(dict.fromkeys(reasons))
    return SearchResult(node.id, node.kind.value, node.name, score, owner_of(kg, node),
                        unique, tuple(evidence), signals, extra)
