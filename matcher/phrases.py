"""Short phrases (theme synonyms, node names) found by how much of each a query covers."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matcher import lexicon

SPECIFICITY_SCALE = 3.0


@dataclass(frozen=True)
class Phrase:
    owner: str  # theme id or node id
    text: str
    stems: tuple[str, ...]


def phrase(owner: str, text: str) -> Phrase:
    return Phrase(owner, text, tuple(lexicon.tokens(text, expand_abbreviations=False)))


class PhraseIndex:
    """Phrases found by the rarity-weighted share of their words a query holds.

    >>> index = PhraseIndex([phrase("t", "front door"), phrase("u", "early help")])
    >>> sorted(index.match(["front", "door"]))
    ['t']
    """

    def __init__(self, phrases: Iterable[Phrase]):
        self.phrases: list[Phrase] = []
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
              query_idf: dict[str, float] | None = None) -> dict[str, tuple[float, Phrase]]:
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
        out: dict[str, tuple[float, Phrase]] = {}
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
