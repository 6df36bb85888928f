"""The sentences that name a council or organisation and a theme or network together but of
which the reader proposes nothing: for a person to look at, since on writing it has not seen
the reader finds only part of what a note states (README, "Reading documents").

Nothing here says what such a sentence states: the reader could not tell, so the reviewer
chooses the kind of evidence, if any. A venue or an apology names no pair here either, and a
pair the reader already proposed a fact about from any part of the sentence is left out, and
so is a sentence naming more than `MAX_PAIRS` pairs.

>>> from matcher.mentions import Mention
>>> text = "Halton and the front door came up at lunch. Wigan sent apologies."
>>> mentions = [Mention("council", "E06000006", "Halton", 0, 6),
...             Mention("theme", "system.front-door", "front door", 15, 25),
...             Mention("council", "E08000010", "Wigan", 44, 49)]
>>> [(u.subject, u.target, u.text) for u in named_together(text, mentions, [])]
[('E06000006', 'system.front-door', 'Halton and the front door came up at lunch.')]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from matcher.claim_cues import NO_CLAIM
from matcher.clause_roles import cited, outermost
from matcher.doc_structure import HEADING
from matcher.mentions import Mention
from matcher.sentences import sentences

ACTORS = ("council", "organisation")
MAX_PAIRS = 3
"""A sentence naming more pairs than this is a roll-call or a list of contents, not a statement
about each pair (measured on the development and regression notes: 6 of 510 such pairs were
any fact's, against 104 of 219 in sentences naming three or fewer)."""
TARGETS = ("theme", "network")


@dataclass(frozen=True)
class Unclaimed:
    subject: str
    target: str
    start: int  # the sentence naming both
    end: int
    text: str

    def to_json(self) -> dict:
        return {"subject": self.subject, "target": self.target,
                "evidence": {"start": self.start, "end": self.end, "text": self.text}}


def named_together(text: str, mentions: list[Mention],
                   claimed: Iterable[tuple[str, str, int, int]]) -> tuple[Unclaimed, ...]:
    """Each (actor, target) one sentence names, in text order, unless the sentence is a
    heading, a venue or an apology, or `claimed` holds (actor, target, start, end) of a fact
    resting on text that overlaps the sentence (a table row, a quotation)."""
    done: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for actor, target, a, b in claimed:
        done.setdefault((actor, target), []).append((a, b))
    out: list[Unclaimed] = []
    for start, end in sentences(text):
        sentence = text[start:end]
        if HEADING.match(sentence) or NO_CLAIM.search(sentence):
            continue
        inside = [m for m in mentions if start <= m.start < end]
        actors = {m.id: m for m in inside if m.kind in ACTORS and not cited(text, m, inside)}
        targets = {m.id: m for m in outermost([m for m in inside if m.kind in TARGETS])}
        if len(actors) * len(targets) > MAX_PAIRS:
            continue
        out += [Unclaimed(a, t, start, end, sentence) for a in actors for t in targets
                if not any(x < end and start < y for x, y in done.get((a, t), ()))]
    return tuple(out)
