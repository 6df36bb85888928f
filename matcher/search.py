"""Best-practice search: free text in, ranked sources out, each with why it matched.

People paraphrase, misspell and abbreviate, and do not use the documents' wording, so a query
is read (`matcher.query`) and then matched three ways, and the three are fused:

1. **words** (BM25, `matcher.bm25`) over each node's own text: name, aliases, description or
   summary, and the names of the themes it is linked to;
2. **themes**: the query's themes (`matcher.themes`), and nodes linked to them ranked by the
   strength of that link (`matcher.profiles`) through the taxonomy (`matcher.taxonomy`:
   exact > sub-theme > parent > sibling);
3. **names**: proper names ("Signs of Safety", "Willowbank") matched against node names and
   aliases (`matcher.phrases`), tolerant of typos.

The fused relevance is a weighted sum of the three (each in [0, 1]); results are then
diversified so that councils, practice examples and organisations all surface: a result's
`score` is its relevance less a small toll for each result of its kind ranked above it, and
`signals` holds the relevance and the three readings. Reasons are written by
`matcher.search_results`.

>>> from graph.knowledge import KnowledgeGraph
>>> from graph.schema import Organisation, Theme, Edge, EdgeType, Provenance
>>> kg = KnowledgeGraph([
...     Theme(id="change", name="Change"),
...     Theme(id="change.user-led", name="People who use services driving change",
...           parent="change", synonyms=["social model of disability"]),
...     Organisation(id="willowbank", name="Willowbank",
...                  description="A user-led community resource centre.")],
...     [Edge(src="willowbank", type=EdgeType.ADDRESSES, dst="change.user-led",
...           provenance=Provenance(source="curated"))])
>>> index = SearchIndex(kg)
>>> [r.name for r in index.search("social modle of disabilty").results]
['Willowbank']
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence

from graph.knowledge import KnowledgeGraph
from graph.schema import Document, Node, NodeKind, Practice, Theme
from matcher import lexicon
from matcher.bm25 import BM25
from matcher.phrases import PhraseIndex, phrase
from matcher.profiles import Profiles, ThemeEvidence, no_gc
from matcher.search_results import SearchResult, SearchResults, ThemeLink, explain
from matcher.snapshot_cache import PerSnapshot
from matcher.taxonomy import expand as expand_theme
from matcher.texts import RESULT_KINDS, own_text
from matcher.themes import DetectedTheme, ThemeReader

FUSION = {"themes": 0.45, "words": 0.35, "names": 0.30}
"""Weights of the three readings in the fused score (they need not sum to 1)."""
PRIORITY_FACTOR = 0.75
"""A council's priority on a theme ranks it below councils that share practice on it."""
GROUP_FACTOR = 0.7
"""A fact stated only of a group a council was listed in counts this much for the council."""
DIVERSITY = 0.85
"""Each further result of a kind already shown has its score multiplied by this, once."""


class SearchIndex(PerSnapshot):
    """A search index over one graph snapshot. Build once (`for_graph` caches it), query often.

    Parameters
    ----------
    kg : KnowledgeGraph
    kinds : sequence of NodeKind, optional
        The kinds of node that can be results (default `RESULT_KINDS`).
    """


    def __init__(self, kg: KnowledgeGraph, kinds: Sequence[NodeKind] = RESULT_KINDS):
        with no_gc():
            self._build(kg, kinds)

    def _build(self, kg: KnowledgeGraph, kinds: Sequence[NodeKind]) -> None:
        self.kg = kg
        self._theme_tokens: dict[str, list[str]] = {}
        self.profiles = Profiles.for_graph(kg)
        self.themes_reader = ThemeReader.for_graph(kg)
        self.reader = self.themes_reader.query
        self.kinds = tuple(kinds)

        # result nodes: own text (+ linked theme names) for BM25; names/aliases for names
        self.nodes: list[Node] = []
        for kind in self.kinds:
            self.nodes += kg.nodes(kind)
        self.pos = {n.id: i for i, n in enumerate(self.nodes)}
        self.own_terms = [frozenset(lexicon.tokens(own_text(n), expand_abbreviations=False))
                          for n in self.nodes]
        self.bm25 = BM25([self._doc_tokens(n) for n in self.nodes])
        self.names = PhraseIndex(
            phrase(n.id, x) for n in self.nodes for x in (n.name, *n.aliases))

        # theme -> (node, evidence) links, through profiles (offers and priorities)
        self.links: dict[str, list[tuple[str, float, ThemeEvidence]]] = {}
        wanted = set(self.pos)
        for theme, pairs in self.profiles.by_theme.items():
            for actor, ev in pairs:
                if actor in wanted:
                    self.links.setdefault(theme, []).append((actor, ev.strength, ev))
        for needs, factor in ((self.profiles.needs, PRIORITY_FACTOR),
                              (self.profiles.member_needs, PRIORITY_FACTOR * GROUP_FACTOR),
                              (self.profiles.member_offers, GROUP_FACTOR)):
            for actor, evs in needs.items():
                if actor in wanted:
                    for ev in evs:
                        self.links.setdefault(ev.theme, []).append(
                            (actor, ev.strength * factor, ev))
        self._doc_theme_links()
        # per theme, a sparse row over result nodes: the strongest link of each node
        self.link_rows: dict[str, list[tuple[int, float]]] = {}
        self.node_links: dict[int, list[tuple[str, float, ThemeEvidence]]] = {}
        for theme, items in self.links.items():
            best: dict[int, float] = {}
            for node_id, strength, ev in items:
                i = self.pos[node_id]
                if strength > best.get(i, -1.0):
                    best[i] = strength
                self.node_links.setdefault(i, []).append((theme, strength, ev))
            self.link_rows[theme] = list(best.items())

    # ------------------------------------------------------------------ building

    def _doc_tokens(self, n: Node) -> list[str]:
        toks = lexicon.tokens(n.name, expand_abbreviations=False) * 2
        toks += lexicon.tokens(own_text(n), expand_abbreviations=False)
        themes = {ev.theme for ev in self.profiles.offers.get(n.id, ())}
        for group in (self.profiles.needs, self.profiles.member_needs,
                      self.profiles.member_offers):
            themes |= {ev.theme for ev in group.get(n.id, ())}
        for tid in sorted(themes):  # linked themes' names and synonyms, as its own words
            cached = self._theme_tokens.get(tid)
            if cached is None:
                t = self.kg.get(tid)
                cached = lexicon.tokens(" ".join([t.name, *t.synonyms]),
                                        expand_abbreviations=False) \
                    if isinstance(t, Theme) else []
                self._theme_tokens[tid] = cached
            toks += cached
        if isinstance(n, Practice):  # a practice's owners are part of what it is
            for o in n.owners:
                toks += lexicon.tokens(self.kg.name(o), expand_abbreviations=False)
        return toks

    def _doc_theme_links(self) -> None:
        """A document is linked to the themes of the facts it is the source of."""
        cited: dict[str, Counter] = {}
        for t in self.themes_reader.themes:
            if t.source and t.source in self.pos:
                cited.setdefault(t.source, Counter())[t.id] += 2
        for theme, pairs in self.profiles.by_theme.items():
            for _, ev in pairs:
                for e in ev.edges:
                    src = e.provenance.source
                    if src in self.pos:
                        cited.setdefault(src, Counter())[theme] += 1
        for doc, counts in cited.items():
            if not isinstance(self.kg.get(doc), Document):
                continue
            for theme, k in counts.items():
                strength = min(0.4 + 0.1 * k, 0.8)
                ev = ThemeEvidence(theme, strength, "addresses", (), via=None)
                self.links.setdefault(theme, []).append((doc, strength, ev))

    # ------------------------------------------------------------------ reading

    def read_query(self, query: str) -> tuple[list[str], dict[str, str]]:
        return self.reader.read(query)

    def detect_themes(self, stems: Sequence[str]) -> list[DetectedTheme]:
        return self.themes_reader.detect(stems)

    # ------------------------------------------------------------------ search

    def search(self, query: str, top: int = 10,
               kinds: Iterable[NodeKind | str] | None = None) -> SearchResults:
        """Ranked sources for a free-text query.

        Parameters
        ----------
        query : str
        top : int
            How many results to return.
        kinds : iterable of NodeKind or str, optional
            Only results of these kinds (e.g. ``["Practice", "Organisation"]``).
        """
        stems, typed = self.read_query(query)
        want = None if kinds is None else {NodeKind(k) for k in kinds}
        if not stems:
            return SearchResults(query, (), ())
        # Every score below is a dictionary over the nodes it is not zero for (index -> value).
        # (a) words
        raw = self.bm25.scores(stems)
        upper = self.bm25.upper(stems)
        scale = max(max(raw.values(), default=0.0), 0.4 * upper, 1e-9)
        words = {i: r / scale for i, r in raw.items()}

        # (b) themes: the best link of each node to a detected theme (through the taxonomy),
        # plus a little for links to further themes
        themes = self.detect_themes(stems)
        best: dict[int, float] = {}
        total: dict[int, float] = {}
        coef: dict[str, tuple[float, DetectedTheme]] = {}
        for d in themes:
            for tid, rel in expand_theme(self.kg, d.id).items():
                if d.score * rel > coef.get(tid, (0.0, d))[0]:
                    coef[tid] = (d.score * rel, d)
        for tid, (c, _) in coef.items():
            row = self.link_rows.get(tid)
            if row is None:
                continue
            for i, strength in row:
                value = c * strength
                best[i] = max(best.get(i, 0.0), value)
                total[i] = total.get(i, 0.0) + value
        theme_score = {i: min(1.0, b + 0.15 * min(total[i] - b, 1.0)) for i, b in best.items()}

        # (c) names
        qidf = {s: self.bm25.idf_of(s, 3.0) for s in stems}
        names = self.names.match(stems, min_cover=0.75, query_idf=qidf)
        name_score = {self.pos[node_id]: score for node_id, (score, _) in names.items()}

        fused = {i: FUSION["words"] * words.get(i, 0.0)
                 + FUSION["themes"] * theme_score.get(i, 0.0)
                 + FUSION["names"] * name_score.get(i, 0.0)
                 for i in words.keys() | theme_score.keys() | name_score.keys()}
        # The best few, ties in the graph's order (a partial sort: a query on a big graph can
        # reach tens of thousands of nodes through a broad theme).
        order = heapq.nsmallest(max(top * 6, 60), fused, key=lambda i: (-fused[i], i))
        pool: list[int] = []
        for i in order:
            if fused[i] <= 0.02:
                break
            if want is not None and self.nodes[i].kind not in want:
                continue
            pool.append(i)

        results = []
        for i, score in self._diversify(pool, fused, top):
            node = self.nodes[i]
            mentioned = [typed.get(s, s) for s in stems if s in self.own_terms[i]]
            results.append(explain(self.kg, node, score, mentioned, names.get(node.id),
                                   self._theme_links(i, coef),
                                   {"relevance": fused[i], "words": words.get(i, 0.0),
                                    "themes": theme_score.get(i, 0.0),
                                    "names": name_score.get(i, 0.0)}))
        return SearchResults(query, tuple(results), tuple(themes))

    def _diversify(self, pool: list[int], fused: dict[int, float], top: int
                   ) -> list[tuple[int, float]]:
        """A kind already shown pays a small toll per result shown."""
        chosen: list[tuple[int, float]] = []
        shown: Counter = Counter()
        while pool and len(chosen) < top:
            best_j, best_v = 0, -1.0
            for j, i in enumerate(pool):
                v = fused[i] * (DIVERSITY ** min(shown[self.nodes[i].kind], 1)) \
                    * (0.97 ** shown[self.nodes[i].kind])
                if v > best_v:
                    best_j, best_v = j, v
            i = pool.pop(best_j)
            chosen.append((i, best_v))
            shown[self.nodes[i].kind] += 1
        return chosen

    def _theme_links(self, i: int, coef: dict[str, tuple[float, DetectedTheme]]
                     ) -> list[ThemeLink]:
        """The links that put node `i` in the results, strongest first."""
        out = []
        for theme, strength, ev in self.node_links.get(i, ()):
            hit = coef.get(theme)
            if hit is not None:
                out.append((hit[0] * strength, hit[1], theme, ev))
        out.sort(key=lambda x: -x[0])
        return out


def search(kg: KnowledgeGraph, query: str, top: int = 10,
           kinds: Iterable[NodeKind | str] | None = None) -> SearchResults:
    """Search `kg` (building and caching its index on first use)."""
    return SearchIndex.for_graph(kg).search(query, top=top, kinds=kinds)


__all__ = ["SearchIndex", "SearchResult", "SearchResults", "search"]
