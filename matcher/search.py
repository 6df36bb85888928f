"""Best-practice search: free text in, ranked sources out, each with why it matched.

People paraphrase, misspell and abbreviate, and do not use the documents' wording, so a query
is read three ways and the three are fused:

1. **words** (BM25) over each node's own text: name, aliases, description or summary, and the
   names of the themes it is linked to; with light stemming, British/US spellings, expanded
   abbreviations (`matcher.lexicon`), misspelt words corrected to the nearest known word,
   run-together words split ('frontdoor') and split names rejoined ('Terra Blu');
2. **themes**: the query is matched against every theme's name and synonyms (phrase coverage
   weighted by rarity, plus BM25 over theme descriptions), and nodes linked to the detected
   themes rank by the strength of that link (`matcher.profiles`) through the taxonomy
   (`matcher.taxonomy`: exact > sub-theme > parent > sibling);
3. **names**: proper names ("Signs of Safety", "Willowbank") matched against node names and
   aliases, tolerant of typos.

The fused relevance is a weighted sum of the three (each in [0, 1]); results are then
diversified so that councils, practice examples and organisations all surface: a result's
`score` is its relevance less a small toll for each result of its kind ranked above it, and
`signals` holds the relevance and the three readings.

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

import math
import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from graph.knowledge import KnowledgeGraph, cite
from graph.schema import (
    Council,
    Document,
    Node,
    NodeKind,
    Organisation,
    Practice,
    SupportOffer,
    Theme,
)
from matcher import lexicon
from matcher.profiles import Profiles, ThemeEvidence, no_gc
from matcher.taxonomy import expand as expand_theme

RESULT_KINDS: tuple[NodeKind, ...] = (
    NodeKind.PRACTICE,
    NodeKind.COUNCIL,
    NodeKind.ORGANISATION,
    NodeKind.NETWORK,
    NodeKind.SUPPORT_OFFER,
    NodeKind.DOCUMENT,
)
FUSION = {"themes": 0.45, "words": 0.35, "names": 0.30}
"""Weights of the three readings in the fused score (they need not sum to 1)."""
PRIORITY_FACTOR = 0.75
"""A council's priority on a theme ranks it below councils that share practice on it."""
DIVERSITY = 0.85
"""Each further result of a kind already shown has its score multiplied by this, once."""
THEME_MIN = 0.45
"""A theme must score at least this (and half the best theme) to count as detected."""
SPECIFICITY_SCALE = 3.0
PLACE_TYPO_MIN = 88.0
"""A misspelling is read as a word found only in council names only this close to it."""


# ---------------------------------------------------------------------- results


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
class DetectedTheme:
    id: str
    name: str
    score: float
    matched: str  # the theme phrase the query matched

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "score": round(self.score, 4),
                "matched": self.matched}


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


# ---------------------------------------------------------------------- BM25


class BM25:
    """Okapi BM25 over pre-tokenised documents, as a sparse document x term weight matrix.

    >>> bm = BM25([["front", "door"], ["early", "help"], ["front", "line"]])
    >>> [round(float(s), 3) for s in bm.scores(["door"])]
    [0.981, 0.0, 0.0]
    """

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        self.k1 = k1
        self.vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[float] = []
        lengths = np.zeros(len(docs), dtype=np.float64)
        for i, doc in enumerate(docs):
            lengths[i] = len(doc)
            for term, tf in Counter(doc).items():
                j = self.vocab.setdefault(term, len(self.vocab))
                rows.append(i)
                cols.append(j)
                tfs.append(tf)
        n = max(len(docs), 1)
        avgdl = float(lengths.mean()) if len(docs) else 1.0
        r = np.asarray(rows, dtype=np.int64)
        c = np.asarray(cols, dtype=np.int64)
        tf = np.asarray(tfs, dtype=np.float64)
        df = np.bincount(c, minlength=len(self.vocab)).astype(np.float64)
        self.idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        norm = k1 * (1.0 - b + b * lengths[r] / max(avgdl, 1e-9)) if len(r) else tf
        w = self.idf[c] * tf * (k1 + 1.0) / (tf + norm) if len(r) else tf
        self.matrix = sparse.csc_matrix((w, (r, c)), shape=(len(docs), len(self.vocab)))
        self.n = len(docs)

    def scores(self, terms: Iterable[str]) -> np.ndarray:
        cols = sorted({self.vocab[t] for t in terms if t in self.vocab})
        if not cols:
            return np.zeros(self.n)
        return np.asarray(self.matrix[:, cols].sum(axis=1)).ravel()

    def upper(self, terms: Iterable[str]) -> float:
        """The most a document could score for these terms (each at saturation)."""
        return float(sum(self.idf[self.vocab[t]] * (self.k1 + 1.0)
                         for t in set(terms) if t in self.vocab))

    def idf_of(self, term: str, default: float) -> float:
        j = self.vocab.get(term)
        return default if j is None else float(self.idf[j])


# ---------------------------------------------------------------------- phrases


@dataclass(frozen=True)
class _Phrase:
    owner: str  # theme id or node id
    text: str
    stems: tuple[str, ...]


class _PhraseIndex:
    """Phrases (theme synonyms, node names) found by how much of each a query covers."""

    def __init__(self, phrases: Iterable[_Phrase]):
        self.phrases: list[_Phrase] = []
        self.by_stem: dict[str, list[int]] = {}
        for ph in phrases:
            if not ph.stems:
                continue
            k = len(self.phrases)
            self.phrases.append(ph)
            for s in set(ph.stems):
                self.by_stem.setdefault(s, []).append(k)
        n = max(len(self.phrases), 1)
        self.idf = {s: math.log(1.0 + n / len(ks)) for s, ks in self.by_stem.items()}

    def match(self, query: Sequence[str], *, min_cover: float = 0.6,
              query_idf: dict[str, float] | None = None) -> dict[str, tuple[float, _Phrase]]:
        """owner -> (best score, phrase).

        Score = phrase coverage (rarity-weighted share of the phrase's words in the query)
        x specificity (1 - exp(-rarity mass / 3)) x (0.7 + 0.3 query coverage).
        """
        qset = set(query)
        qidf = query_idf or {}
        q_mass = sum(qidf.get(s, self.idf.get(s, 2.0)) for s in qset) or 1.0
        cand: set[int] = set()
        for s in qset:
            cand.update(self.by_stem.get(s, ()))
        out: dict[str, tuple[float, _Phrase]] = {}
        for k in cand:
            ph = self.phrases[k]
            stems = set(ph.stems)
            hit = stems & qset
            mass = sum(self.idf[s] for s in stems)
            cover = sum(self.idf[s] for s in hit) / mass
            if len(stems) <= 2 and hit != stems:
                continue
            if cover < min_cover:
                continue
            qcover = sum(qidf.get(s, self.idf.get(s, 2.0)) for s in hit) / q_mass
            # a phrase of one common word ('what works' -> 'work') says little on its own
            specificity = 1.0 - math.exp(-mass / SPECIFICITY_SCALE)
            score = cover * specificity * (0.7 + 0.3 * min(qcover, 1.0))
            if ph.owner not in out or score > out[ph.owner][0]:
                out[ph.owner] = (score, ph)
        return out


def _phrase(owner: str, text: str) -> _Phrase:
    return _Phrase(owner, text, tuple(lexicon.tokens(text, expand_abbreviations=False)))


# ---------------------------------------------------------------------- the index


class SearchIndex:
    """A search index over one graph snapshot. Build once (`for_graph` caches it), query often.

    Parameters
    ----------
    kg : KnowledgeGraph
    kinds : sequence of NodeKind, optional
        The kinds of node that can be results (default `RESULT_KINDS`).
    """

    _cache: ClassVar[weakref.WeakKeyDictionary] = weakref.WeakKeyDictionary()

    @classmethod
    def for_graph(cls, kg: KnowledgeGraph) -> SearchIndex:
        found = cls._cache.get(kg)
        if found is None:
            found = cls(kg)
            cls._cache[kg] = found
        return found

    def __init__(self, kg: KnowledgeGraph, kinds: Sequence[NodeKind] = RESULT_KINDS):
        with no_gc():
            self._build(kg, kinds)

    def _build(self, kg: KnowledgeGraph, kinds: Sequence[NodeKind]) -> None:
        self.kg = kg
        self._theme_tokens: dict[str, list[str]] = {}
        self.profiles = Profiles.for_graph(kg)
        self.kinds = tuple(kinds)

        # themes: phrases (names, synonyms, aliases, id words) and a BM25 over their text
        self.themes: list[Theme] = list(kg.nodes(NodeKind.THEME))  # type: ignore[arg-type]
        phrases: list[_Phrase] = []
        theme_docs: list[list[str]] = []
        for t in self.themes:
            texts = [t.name, *t.synonyms, *t.aliases, t.id.split(".")[-1].replace("-", " ")]
            phrases += [_phrase(t.id, x) for x in texts]
            theme_docs.append(lexicon.tokens(" ".join([t.name, *t.synonyms, *t.aliases,
                                                       t.description or ""]),
                                             expand_abbreviations=False))
        self.theme_phrases = _PhraseIndex(phrases)
        self.theme_bm25 = BM25(theme_docs)

        # result nodes: own text (+ linked theme names) for BM25; names/aliases for names
        self.nodes: list[Node] = []
        for kind in self.kinds:
            self.nodes += kg.nodes(kind)
        self.pos = {n.id: i for i, n in enumerate(self.nodes)}
        docs = [self._doc_tokens(n) for n in self.nodes]
        self.bm25 = BM25(docs)
        self.doc_terms = [frozenset(d) for d in docs]
        self.names = _PhraseIndex(
            _phrase(n.id, x) for n in self.nodes for x in (n.name, *n.aliases))

        # theme -> (node, evidence) links, through profiles (offers and priorities)
        self.links: dict[str, list[tuple[str, float, ThemeEvidence]]] = {}
        wanted = set(self.pos)
        for theme, pairs in self.profiles.by_theme.items():
            for actor, ev in pairs:
                if actor in wanted:
                    self.links.setdefault(theme, []).append((actor, ev.strength, ev))
        for actor, evs in self.profiles.needs.items():
            if actor in wanted:
                for ev in evs:
                    self.links.setdefault(ev.theme, []).append(
                        (actor, ev.strength * PRIORITY_FACTOR, ev))
        self._doc_theme_links()
        # per theme, a sparse row over result nodes: the strongest link of each node
        self.link_rows: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.node_links: dict[int, list[tuple[str, float, ThemeEvidence]]] = {}
        for theme, items in self.links.items():
            best: dict[int, float] = {}
            for node_id, strength, ev in items:
                i = self.pos[node_id]
                if strength > best.get(i, -1.0):
                    best[i] = strength
                self.node_links.setdefault(i, []).append((theme, strength, ev))
            idx = np.fromiter(best.keys(), dtype=np.int64, count=len(best))
            val = np.fromiter(best.values(), dtype=np.float64, count=len(best))
            self.link_rows[theme] = (idx, val)

        # words known anywhere, for correcting misspellings
        surface: set[str] = set()
        place_words: set[str] = set()
        other_words: set[str] = set()
        for n in self.nodes:
            own_words = lexicon.words(self._own_text(n))
            surface.update(own_words)
            (place_words if isinstance(n, Council) else other_words).update(own_words)
        for t in self.themes:
            theme_words = lexicon.words(" ".join([t.name, *t.synonyms, t.description or ""]))
            surface.update(theme_words)
            other_words.update(theme_words)
        self.surface = sorted(w for w in surface if len(w) >= 4 and not w.isdigit())
        self._surface_set = {w for w in surface if len(w) >= 3}
        # words only in council names ('Brent', 'Bury'): an ordinary word one letter away
        # ('burnt', 'busy') is not read as a place unless the match is close
        self._place_only = place_words - other_words
        self.known_stems = set(self.bm25.vocab) | set(self.theme_phrases.by_stem) \
            | set(self.names.by_stem) | set(self.theme_bm25.vocab)

    # ------------------------------------------------------------------ building

    def _own_text(self, n: Node) -> str:
        parts = [n.name, *n.aliases, n.description or ""]
        if isinstance(n, Practice):
            parts.append(n.summary)
        if isinstance(n, Organisation | Document) or n.kind == NodeKind.NETWORK:
            parts.append(str(getattr(n, "type", "") or ""))
        if isinstance(n, Document):
            parts.append(n.publisher or "")
        if isinstance(n, SupportOffer):
            parts += [r.replace("_", " ") for r in n.roles]
            parts.append(n.how_to_access or "")
        return " ".join(p for p in parts if p)

    def _doc_tokens(self, n: Node) -> list[str]:
        toks = lexicon.tokens(n.name, expand_abbreviations=False) * 2
        toks += lexicon.tokens(self._own_text(n), expand_abbreviations=False)
        themes = {ev.theme for ev in self.profiles.offers.get(n.id, ())}
        themes |= {ev.theme for ev in self.profiles.needs.get(n.id, ())}
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
        for t in self.themes:
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
                t = self.kg.node(theme)
                ev = ThemeEvidence(theme, strength, "addresses", (), via=None)
                self.links.setdefault(t.id, []).append((doc, strength, ev))

    # ------------------------------------------------------------------ query reading

    def read_query(self, query: str) -> tuple[list[str], dict[str, str]]:
        """The query's stems (abbreviations expanded, misspellings corrected), and for each
        stem the word the person typed."""
        stems: list[str] = []
        typed: dict[str, str] = {}
        expanded = lexicon.expand(query)
        own = set(lexicon.words(query))
        for w in self._join_split_words(lexicon.words(expanded), own):
            if w in lexicon.STOPWORDS or (len(w) < 2 and not w.isdigit()):
                continue
            s = lexicon.stem(w)
            if s not in self.known_stems and w in own:
                parts = self._split_compound(w)
                if parts:  # 'frontdoor', 'earlyhelp': two known words run together
                    for part in parts:
                        if part in lexicon.STOPWORDS:
                            continue
                        ps = lexicon.stem(part)
                        if ps not in stems:
                            stems.append(ps)
                        typed.setdefault(ps, f"{w} (read as {' '.join(parts)})")
                    continue
            if s not in self.known_stems and len(w) >= 4 and w in own and self.surface:
                hit = self._correct(w)
                if hit is not None:
                    s = lexicon.stem(hit)
                    typed.setdefault(s, f"{w} (read as {hit})")
            if s not in stems:
                stems.append(s)
            typed.setdefault(s, w)
        return stems, typed

    def _correct(self, word: str) -> str | None:
        """The known word a misspelt `word` most likely is, or None."""
        for cand, score, _ in process.extract(word, self.surface, scorer=fuzz.ratio,
                                              score_cutoff=80, limit=5):
            if cand not in self._place_only or score >= PLACE_TYPO_MIN:
                return cand
        return None

    def _join_split_words(self, found: list[str], own: set[str]) -> list[str]:
        """Rejoin a name typed as two words ('Terra Blu') when neither word is known and
        together they make a known word."""
        out: list[str] = []
        i = 0
        while i < len(found):
            w = found[i]
            if i + 1 < len(found) and w in own and found[i + 1] in own:
                joined = w + found[i + 1]
                if (joined in self._surface_set and lexicon.stem(w) not in self.known_stems
                        and lexicon.stem(found[i + 1]) not in self.known_stems):
                    out.append(joined)
                    i += 2
                    continue
            out.append(w)
            i += 1
        return out

    def _split_compound(self, word: str) -> tuple[str, str] | None:
        """Two known words (three letters or more each) that run together make `word`."""
        if len(word) < 7 or not word.isalpha():
            return None
        known = self._surface_set
        for i in range(3, len(word) - 2):
            head, tail = word[:i], word[i:]
            if head in known and tail in known and not (
                    head in lexicon.STOPWORDS and tail in lexicon.STOPWORDS):
                return head, tail
        return None

    def detect_themes(self, stems: Sequence[str]) -> list[DetectedTheme]:
        """Themes the query is about, best first (at most four)."""
        if not stems:
            return []
        found = self.theme_phrases.match(stems, min_cover=0.6)
        raw = self.theme_bm25.scores(stems)
        upper = self.theme_bm25.upper(stems) or 1.0
        scored: dict[str, tuple[float, str]] = {
            tid: (score, ph.text) for tid, (score, ph) in found.items()}
        for i, t in enumerate(self.themes):
            b = 0.8 * float(raw[i]) / upper
            if b > scored.get(t.id, (0.0, ""))[0]:
                scored[t.id] = (b, "its description")
        best = max((s for s, _ in scored.values()), default=0.0)
        keep = [DetectedTheme(tid, self.kg.name(tid), s, m) for tid, (s, m) in scored.items()
                if s >= THEME_MIN and s >= 0.5 * best]
        keep.sort(key=lambda d: (-d.score, d.id))
        return keep[:4]

    def resolve_themes(self, phrase: str) -> list[str]:
        """Theme ids a short phrase names; [] when nothing matches well (no wild guesses)."""
        low = phrase.strip().lower()
        for t in self.themes:
            if low in (t.id, t.name.lower()) or low in (s.lower() for s in t.synonyms):
                return [t.id]
        stems, _ = self.read_query(phrase)
        found = self.detect_themes(stems)
        if not found:
            return []
        best = found[0].score
        if best < 0.5:
            return []
        return [d.id for d in found if d.score >= 0.9 * best][:2]

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
        n = len(self.nodes)

        # (a) words
        raw = self.bm25.scores(stems)
        upper = self.bm25.upper(stems)
        top_raw = float(raw.max()) if n else 0.0
        words = raw / max(top_raw, 0.4 * upper, 1e-9)

        # (b) themes: the best link of each node to a detected theme (through the taxonomy),
        # plus a little for links to further themes
        themes = self.detect_themes(stems)
        best = np.zeros(n)
        total = np.zeros(n)
        coef: dict[str, tuple[float, DetectedTheme]] = {}
        for d in themes:
            for tid, rel in expand_theme(self.kg, d.id).items():
                if d.score * rel > coef.get(tid, (0.0, d))[0]:
                    coef[tid] = (d.score * rel, d)
        for tid, (c, _) in coef.items():
            row = self.link_rows.get(tid)
            if row is None:
                continue
            idx, val = row
            vals = c * val
            best[idx] = np.maximum(best[idx], vals)
            total[idx] += vals
        theme_score = np.minimum(1.0, best + 0.15 * np.minimum(total - best, 1.0))

        # (c) names
        qidf = {s: self.bm25.idf_of(s, 3.0) for s in stems}
        names = self.names.match(stems, min_cover=0.75, query_idf=qidf)
        name_score = np.zeros(n)
        for node_id, (score, _) in names.items():
            name_score[self.pos[node_id]] = score

        fused = FUSION["words"] * words + FUSION["themes"] * theme_score \
            + FUSION["names"] * name_score
        order = np.argsort(-fused, kind="stable")
        pool: list[int] = []
        for i in order[: max(top * 6, 60)]:
            if fused[i] <= 0.02:
                break
            if want is not None and self.nodes[i].kind not in want:
                continue
            pool.append(int(i))

        # diversify: a kind already shown pays a small toll per result shown
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

        results = []
        for i, score in chosen:
            node = self.nodes[i]
            results.append(self._result(node, score, stems, typed, names.get(node.id),
                                        self._theme_why(i, coef),
                                        {"relevance": float(fused[i]), "words": float(words[i]),
                                         "themes": float(theme_score[i]),
                                         "names": float(name_score[i])}))
        return SearchResults(query, tuple(results), tuple(themes))

    # ------------------------------------------------------------------ explanation

    def _theme_why(self, i: int, coef: dict[str, tuple[float, DetectedTheme]]
                   ) -> list[tuple[float, DetectedTheme, str, ThemeEvidence]]:
        """The links that put node `i` in the results, strongest first."""
        out = []
        for theme, strength, ev in self.node_links.get(i, ()):
            hit = coef.get(theme)
            if hit is not None:
                out.append((hit[0] * strength, hit[1], theme, ev))
        out.sort(key=lambda x: -x[0])
        return out

    def owner_of(self, node: Node) -> dict | None:
        owner_id = None
        if isinstance(node, Practice) and node.owners:
            owner_id = node.owners[0]
        elif isinstance(node, SupportOffer) and node.provider:
            owner_id = node.provider
        if owner_id is None:
            return None
        return {"id": owner_id, "name": self.kg.name(owner_id)}

    def _result(self, node: Node, score: float, stems: Sequence[str], typed: dict[str, str],
                name_hit: tuple[float, _Phrase] | None,
                theme_items: list[tuple[float, DetectedTheme, str, ThemeEvidence]],
                signals: dict[str, float]) -> SearchResult:
        kg = self.kg
        reasons: list[str] = []
        evidence: list[dict] = []
        if name_hit is not None:
            reasons.append(f"Its name matches '{name_hit[1].text}'")
        seen: set[tuple[str, str | None, str | None]] = set()
        for _, d, _tid, ev in theme_items[:3]:
            key = (ev.theme, ev.via, ev.inherited_from)
            if key in seen:
                continue
            seen.add(key)
            because = (f"your words matched the theme '{d.name}'"
                       + (f" via '{d.matched}'" if d.matched != "its description" else ""))
            reasons.append(f"{ev.describe(kg)}; {because}")
            evidence += ev.evidence(kg)
        doc_terms = self._terms_of(node)
        hits = [typed.get(s, s) for s in stems if s in doc_terms]
        if hits:
            reasons.append("Mentions " + ", ".join(f"'{h}'" for h in hits[:6]))
        if isinstance(node, Council) and node.status == "abolished":
            succ = ", ".join(f"{kg.name(s)} ({s})" for s in kg.current_successors(node.id))
            when = f" in {node.abolished[:4]}" if node.abolished else ""
            reasons.append(f"{node.name} was abolished{when}; its work now sits with {succ}")
        if not evidence and node.source:
            prov = node.provenance()
            evidence.append({"type": "record", "from": node.id, "to": None,
                             "source": prov.source, "locator": prov.locator,
                             "citation": cite(prov, kg), "confidence": prov.confidence})
        extra: dict = {}
        if isinstance(node, Practice) and len(node.owners) > 1:
            extra["owners"] = [{"id": o, "name": kg.name(o)} for o in node.owners]
        if isinstance(node, Council) and node.status == "abolished":
            extra["successors"] = kg.current_successors(node.id)
        return SearchResult(node.id, node.kind.value, node.name, score, self.owner_of(node),
                            tuple(reasons), tuple(evidence), signals, extra)

    def _terms_of(self, node: Node) -> set[str]:
        return self.doc_terms[self.pos[node.id]]


def search(kg: KnowledgeGraph, query: str, top: int = 10,
           kinds: Iterable[NodeKind | str] | None = None) -> SearchResults:
    """Search `kg` (building and caching its index on first use)."""
    return SearchIndex.for_graph(kg).search(query, top=top, kinds=kinds)

