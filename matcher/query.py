"""Reading a query as people type it: abbreviations expanded, misspellings corrected to a word
the graph knows, run-together words split ('frontdoor') and split names rejoined ('Terra Blu').

The vocabulary is every word the graph's searchable nodes and themes use; it is built once per
snapshot (`QueryReader.for_graph`).
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from graph.knowledge import KnowledgeGraph
from graph.schema import Council, NodeKind, Theme
from matcher import lexicon
from matcher.snapshot_cache import PerSnapshot
from matcher.texts import RESULT_KINDS, own_text, theme_texts

PLACE_TYPO_MIN = 88.0
"""A misspelling is read as a word found only in council names only this close to it."""


class QueryReader(PerSnapshot):
    """Turns a query into stems the graph knows, remembering what the person typed.

    >>> from graph.schema import Theme
    >>> kg = KnowledgeGraph([Theme(id="system.front-door", name="Front door")])
    >>> stems, typed = QueryReader(kg).read("frontdoor")
    >>> stems, typed["door"]
    (['front', 'door'], 'frontdoor (read as front door)')
    """


    def __init__(self, kg: KnowledgeGraph):
        surface: set[str] = set()
        place_words: set[str] = set()
        other_words: set[str] = set()
        known: set[str] = set()
        for kind in RESULT_KINDS:
            for n in kg.nodes(kind):
                text = own_text(n)
                own_words = lexicon.words(text)
                surface.update(own_words)
                (place_words if isinstance(n, Council) else other_words).update(own_words)
                known.update(lexicon.tokens(text, expand_abbreviations=False))
        for t in kg.nodes(NodeKind.THEME):
            assert isinstance(t, Theme)
            theme_words = lexicon.words(" ".join([t.name, *t.synonyms, t.description or ""]))
            surface.update(theme_words)
            other_words.update(theme_words)
            known.update(lexicon.tokens(" ".join([*theme_texts(t), t.description or ""]),
                                        expand_abbreviations=False))
        self.surface = sorted(w for w in surface if len(w) >= 4 and not w.isdigit())
        self._surface_set = {w for w in surface if len(w) >= 3}
        # words only in council names ('Brent', 'Bury'): an ordinary word one letter away
        # ('burnt', 'busy') is not read as a place unless the match is close
        self._place_only = place_words - other_words
        self.known_stems = known

    def read(self, query: str) -> tuple[list[str], dict[str, str]]:
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
        # one wrong letter in a long word ('sitting' for 'setting') is more often a real word
        # we do not hold than a typo, so long words must come closer
        cutoff = 80 if len(word) <= 6 else 86
        for cand, score, _ in process.extract(word, self.surface, scorer=fuzz.ratio,
                                              score_cutoff=cutoff, limit=5):
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
