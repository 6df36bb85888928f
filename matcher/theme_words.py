"""How prose talks about a theme without using its name, read one sentence at a time.

Each theme may list naming words (a word or short phrase that names the theme in a sentence on
its own: 'locum', 'care proceedings') and hint words (words that name it only when two of them
stand a few words apart in one sentence: 'interim' and 'permanent'). Words are compared as
stems, so 'screened', 'screening' and 'screens' are one word; a phrase's words must stand close
together, in any order. One common word alone never names a theme.

>>> from graph.knowledge import KnowledgeGraph
>>> from graph.schema import Theme
>>> kg = KnowledgeGraph([Theme(id="w", name="Workforce"),
...     Theme(id="w.agency", name="Agency market", parent="w", naming_words=["locum"],
...           hint_words=["interim", "permanent"])])
>>> words = ThemeWords(kg)
>>> def read(text):
...     return [h.theme for h in words.find([(lexicon.stem(w), i, i) for i, w in
...             enumerate(text.lower().split())])]
>>> read("spending on locums fell"), read("interim posts became permanent jobs")
(['w.agency'], ['w.agency'])
>>> read("an interim report")
[]
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.knowledge import KnowledgeGraph
from graph.schema import NodeKind, Theme
from matcher import lexicon

NAMING = 1.0
HINT = 0.5
ENOUGH = 1.0
"""A theme is named in a sentence when its words found there weigh this much together."""
HINT_GAP = 6
"""Two hint words count together only this many words apart at most (one clause, roughly)."""
BREAK = ","
"""A token standing for a comma: the words of a phrase never stand on both sides of one, two
hint words may (it is no word, so it adds nothing to their distance)."""


@dataclass(frozen=True)
class Cue:
    theme: str
    stems: frozenset[str]
    size: int
    weight: float
    order: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """A theme named in a sentence: the token positions of the first and last word read."""

    theme: str
    first: int
    last: int


class ThemeWords:
    """The naming and hint words of every theme of one snapshot, ready to read sentences."""

    def __init__(self, kg: KnowledgeGraph, stems_of=None):
        read = stems_of or (lambda text: tuple(lexicon.tokens(text, expand_abbreviations=False)))
        self.cues: list[Cue] = []
        for theme in kg.nodes(NodeKind.THEME):
            assert isinstance(theme, Theme)
            for words, weight in ((theme.naming_words, NAMING), (theme.hint_words, HINT)):
                for text in words:
                    stems = read(text)
                    # a phrase that keeps one word of several ('early help': 'help' is too
                    # common to read) would be that one word alone
                    if stems and (len(stems) > 1 or len(text.split()) == 1):
                        self.cues.append(Cue(theme.id, frozenset(stems), len(stems), weight,
                                             tuple(stems)))
        self.by_stem: dict[str, list[Cue]] = {}
        for cue in self.cues:
            for s in cue.stems:
                self.by_stem.setdefault(s, []).append(cue)

    def find(self, tokens: list[tuple[str, int, int]]) -> list[Hit]:
        """The themes one sentence names by these words. `tokens` are the sentence's content
        stems in order, each with the character offsets of its word."""
        stems = [t[0] for t in tokens]
        naming: dict[str, tuple[int, int]] = {}
        hints: dict[str, list[tuple[frozenset[str], int, int]]] = {}
        for cue in sorted({c for s in stems for c in self.by_stem.get(s, ())},
                          key=lambda c: (c.theme, -c.weight, sorted(c.stems))):
            width = cue.size + (0 if cue.size <= 2 else 1)
            for i, s in enumerate(stems):
                if s not in cue.stems or not lexicon.in_order(cue.order,
                                                              window := stems[i:i + width]):
                    continue
                last = i + max(window.index(x) for x in cue.stems)
                if cue.weight >= ENOUGH:
                    if cue.theme not in naming or i < naming[cue.theme][0]:
                        naming[cue.theme] = (i, last)
                    break
                hints.setdefault(cue.theme, []).append((cue.stems, i, last))
        out = [Hit(theme, i, j) for theme, (i, j) in naming.items()]
        words_before = [0]
        for s in stems:
            words_before.append(words_before[-1] + (s != BREAK))
        for theme, found in hints.items():
            if theme in naming:
                continue
            pairs = [(min(a[1], b[1]), max(a[2], b[2])) for a in found for b in found
                     if a[0] != b[0] and a[1] < b[1]
                     and words_before[b[1]] - words_before[a[2]] <= HINT_GAP]
            if pairs:
                out.append(Hit(theme, *min(pairs)))
        return sorted(out, key=lambda h: (h.first, h.theme))
