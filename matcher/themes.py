"""The one theme reader: people's words (or theme ids) -> theme ids.

Search, partners, peer-review brokering and the CLI all read themes here. A phrase is matched
against every theme's name and synonyms (phrase coverage weighted by rarity) and, more weakly,
against theme descriptions (BM25); a phrase that matches nothing well gives nothing rather
than a guess. Only theme ids are taken as ids: a council code is not a theme.

>>> from graph.knowledge import KnowledgeGraph
>>> from graph.schema import Council, Region, Theme
>>> kg = KnowledgeGraph([Theme(id="system", name="System"), Region(id="E12000002", name="NW"),
...     Theme(id="system.front-door", name="Integrated front door", parent="system",
...           synonyms=["MASH", "multi-agency safeguarding hub"]),
...     Council(id="E06000006", name="Halton", type="unitary", region="E12000002")])
>>> read_themes(kg, ["system.front-door", "front dor", "mash", "bananas", "E06000006"])
['system.front-door']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from graph.knowledge import KnowledgeGraph
from graph.schema import NodeKind, Theme
from matcher import lexicon
from matcher.bm25 import BM25
from matcher.phrases import PhraseIndex, phrase
from matcher.query import QueryReader
from matcher.snapshot_cache import PerSnapshot
from matcher.texts import theme_texts

THEME_MIN = 0.45
"""A theme must score at least this (and half the best theme) to count as detected."""
RESOLVE_MIN = 0.5
"""A short phrase names a theme only when the best theme scores at least this."""


@dataclass(frozen=True)
class DetectedTheme:
    id: str
    name: str
    score: float
    matched: str  # the theme phrase the query matched

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "score": round(self.score, 4),
                "matched": self.matched}


class ThemeReader(PerSnapshot):
    """Theme phrases and descriptions of one snapshot, built once (`for_graph`)."""


    def __init__(self, kg: KnowledgeGraph):
        self.kg = kg
        self.query = QueryReader.for_graph(kg)
        self.themes: list[Theme] = list(kg.nodes(NodeKind.THEME))  # type: ignore[arg-type]
        phrases = []
        docs: list[list[str]] = []
        for t in self.themes:
            phrases += [phrase(t.id, x) for x in theme_texts(t)]
            docs.append(lexicon.tokens(" ".join([t.name, *t.synonyms, *t.aliases,
                                                 t.description or ""]),
                                       expand_abbreviations=False))
        self.phrases = PhraseIndex(phrases)
        self.bm25 = BM25(docs)
        self._exact = {}
        for t in self.themes:
            for text in (t.id, t.name, *t.synonyms):
                self._exact.setdefault(text.strip().lower(), t.id)

    def detect(self, stems: Sequence[str]) -> list[DetectedTheme]:
        """Themes a query (as stems) is about, best first (at most four)."""
        if not stems:
            return []
        found = self.phrases.match(stems, min_cover=0.6)
        raw = self.bm25.scores(stems)
        upper = self.bm25.upper(stems) or 1.0
        scored: dict[str, tuple[float, str]] = {
            tid: (score, ph.text) for tid, (score, ph) in found.items()}
        for i, t in enumerate(self.themes):
            b = 0.8 * raw.get(i, 0.0) / upper
            if b > scored.get(t.id, (0.0, ""))[0]:
                scored[t.id] = (b, "its description")
        best = max((s for s, _ in scored.values()), default=0.0)
        keep = [DetectedTheme(tid, self.kg.name(tid), s, m) for tid, (s, m) in scored.items()
                if s >= THEME_MIN and s >= 0.5 * best]
        keep.sort(key=lambda d: (-d.score, d.id))
        return keep[:4]

    def resolve(self, text: str) -> list[str]:
        """Theme ids one phrase names (one, or two when it clearly names both); [] when
        nothing matches well."""
        low = text.strip().lower()
        if not low:
            return []
        if low in self._exact:
            return [self._exact[low]]
        found = self.detect(self.query.read(text)[0])
        if not found or found[0].score < RESOLVE_MIN:
            return []
        best = found[0].score
        return [d.id for d in found if d.score >= 0.9 * best][:2]


def read_themes(kg: KnowledgeGraph, phrases: Iterable[str]) -> list[str]:
    """Theme ids for what people wrote (ids, names, synonyms or free text), in the order of
    the phrases and without duplicates; phrases that name no theme give nothing."""
    reader = ThemeReader.for_graph(kg)
    out: list[str] = []
    for text in phrases:
        for t in reader.resolve(text):
            if t not in out:
                out.append(t)
    return out


def read_theme(kg: KnowledgeGraph, text: str) -> list[str]:
    """Theme ids one phrase names; [] when it names none (the caller says so)."""
    return ThemeReader.for_graph(kg).resolve(text)
