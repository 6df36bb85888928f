"""The claim cues of one clause and the kind each target takes from them (`matcher.extract`
reads sentences with them, `matcher.tables` a table row's cells).

>>> sorted(k.value for k, _, _ in clause_cues("has set up a hub and is happy to share it", 0))
['offer', 'practice']
"""

from __future__ import annotations

import re

from graph.schema import EvidenceKind
from matcher.claim_cues import CUES
from matcher.claim_signals import SIGNALS, stated_as_done
from matcher.clause_roles import others_part
from matcher.mentions import Mention
from matcher.sentences import one_spaced

E = EvidenceKind

# A help-seeking cue governs what follows it in its clause ("asked for advice on embedding
# it"): a practice or impact cue after it describes the help wanted, not the council's work.
_REQUEST = re.compile(r"^(?:wants?|want(?:ed)?|asked|needs?|seeking|seeks|sought|"
                      r"(?:would )?welcome)\b")
IMPACT_AFTER_CHARS = 12
"""A change stated this close after a theme ('morale has risen') is said of that theme."""


def clause_cues(clause: str, offset: int) -> list[tuple[EvidenceKind, float, int]]:
    """The claim cues of one actor's clause as (kind, confidence, position in the text),
    leaving out what another, unnamed council has done and, after a request for help, the
    practice the help is wanted for. A line break or indent inside the clause reads as one
    space ('down 18\\nper cent'), as it does to a person."""
    clause, where = one_spaced(clause)
    others = others_part(clause)
    found = _found(CUES, clause, others) or _found(SIGNALS, clause, others)
    asked = min((m.start() for kind, _, m in found
                 if kind == E.CHALLENGE and _REQUEST.match(m.group())), default=None)
    return [(kind, conf, offset + where[m.start()]) for kind, conf, m in found
            if asked is None or m.start() < asked or kind not in (E.PRACTICE, E.IMPACT)]


def _found(cues, clause: str, others: range):
    """The cues of one list in a clause, outside any unnamed other's part and said as done
    (not negated or only hoped for)."""
    return [(kind, conf, m) for kind, conf, p in cues for m in p.finditer(clause)
            if m.start() not in others and stated_as_done(clause, kind, m.start())]


def kinds_for(target: Mention, cues: list[tuple[EvidenceKind, float, int]],
              targets: list[Mention]):
    """The cue a target belongs to: the nearest one before it, else the nearest after. An
    offer later in the clause with no other target before it offers this one too ("has
    rebuilt its quality assurance ... and is happy to share its tools")."""
    before = [c for c in cues if c[2] <= target.start]
    chosen = max(before, key=lambda c: c[2]) if before else min(cues, key=lambda c: c[2])
    # "... and staff surveys show morale has risen": a change stated right after the target
    # is that target's impact
    right_after = [c for c in cues if c[0] == E.IMPACT and any(
        0 <= c[2] - t.end <= IMPACT_AFTER_CHARS for t in targets if t.id == target.id)]
    if right_after:
        chosen = min(right_after, key=lambda c: c[2])
    yield chosen[0], chosen[1]
    later = [c for c in cues if c[0] == E.OFFER and c[2] > target.end and c is not chosen]
    if later and chosen[0] != E.OFFER:
        offer = min(later, key=lambda c: c[2])
        if not any(target.end <= t.start < offer[2] for t in targets if t is not target):
            yield offer[0], offer[1]
