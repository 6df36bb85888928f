"""What a document's structure says about who speaks and what kind of thing is said, whatever
the words of the sentences under it: a section headed by one council's name is about that
council; a label ('Can share:', 'Looking for:') or a heading ('## Offers', '## What has not
gone well') says what kind of thing follows; a document written by one council speaks of
itself as 'we'.

>>> section_council("### Bath and North East Somerset", ["E06000022"])
'E06000022'
>>> label_kind("Looking for: a council that writes a frank account of itself.")
<EvidenceKind.CHALLENGE: 'challenge'>
>>> first_person('- We recruited eight advisers and "they said we were right".')
True
"""

from __future__ import annotations

import re

from graph.schema import EvidenceKind

E = EvidenceKind

# Words a form's field names, a heading or a table column use for what a council can give and
# what it is looking for (each place adds its own forms of them below).
OFFERED = r"offers?|can (?:share|offer|host)"
WANTED = r"looking for|(?:help|support) (?:wanted|sought|needed)"

# A markdown section heading ('## Peer challenge') starts a part of the text about what it
# names (a document's title, '# ...', names the whole event, not one topic).
HEADING = re.compile(r"^#{2,6}\s")
# A heading that says what the items under it are ('## Offers', '## What we did', '## Impact',
# '## Areas for development', '## Learning sets') gives that kind to a list item stating none
# ('- Leeds: visits to its hub'); '## Dates' gives none, and peer challenges are taken part in.
HEADING_KINDS = ((E.OFFER, re.compile(rf"\b(?:{OFFERED})\b", re.I)),
                 (E.CHALLENGE, re.compile(
                     r"\b(?:(?:requests|asks) for (?:help|support|advice)|(?<!peer )challenges|"
                     rf"{WANTED}|areas? for development|(?:has|have) not gone well)\b", re.I)),
                 (E.IMPACT, re.compile(r"^#+\s*(?:impact|outcomes|results|what (?:has )?"
                                       r"changed)\b", re.I)),
                 (E.PRACTICE, re.compile(r"^#+\s*(?:what we did|(?:our )?approach|"
                                         r"what (?:has )?gone well)\b", re.I)),
                 (E.PARTICIPATION, re.compile(r"^#+\s*(?:learning sets?|networks?|"
                                              r"(?:peer )?(?:reviews|challenges))\s*$",
                                              re.I)))

_LEAD = r"^(?:[-*•]\s+)?(?:\*\*)?"
# A label opening a paragraph says what the paragraph is, as a form's field names do: what a
# council can share is an offer, what it is looking for is a challenge it has (whatever the
# wanted help is described as doing: 'a council that has brought teams onto one model').
_LABELS = (
    (E.OFFER, re.compile(_LEAD + rf"(?:{OFFERED}|happy to share|"
                         r"what we can (?:share|offer))\s*(?:\*\*)?\s*:", re.I)),
    (E.CHALLENGE, re.compile(_LEAD + rf"(?:{WANTED}|advice (?:wanted|sought|needed)|"
                             r"wants? help with|requests?|"
                             r"what we are looking for)\s*(?:\*\*)?\s*:", re.I)),
)


def label_kind(sentence: str) -> EvidenceKind | None:
    """The kind a paragraph label at the sentence's start gives it ('Can share:' an offer,
    'Looking for:' a challenge), if it opens with one."""
    return next((k for k, p in _LABELS if p.search(sentence)), None)


_HEADING_TEXT = re.compile(r"^#{2,6}\s+|[*_`]")


def section_council(heading: str, councils: list[str]) -> str | None:
    """The council a section heading names alone ('### Torbay', '## Kent: front door'): the
    subject of what is written under it that names no council. A heading naming two councils,
    or none, gives no subject."""
    ids = set(councils)
    return next(iter(ids)) if len(ids) == 1 and _HEADING_TEXT.sub("", heading).strip() \
        else None


_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")
_WE = re.compile(r"\b(?:we|our|ours|us)\b", re.I)


def first_person(sentence: str) -> bool:
    """Whether the sentence's writer speaks of themselves ('we', 'our'), outside quotations
    (a quoted 'we' is the speaker's)."""
    return bool(_WE.search(_QUOTED.sub(" ", sentence)))


OPENING_CHARS = 1500
"""A document says who wrote it near its start (a byline, a 'From' line, a label row)."""
# A line naming who wrote the document ('From the director's blog, Worcestershire ...',
# 'Written by ...', 'Council: South Tyneside') or a case study's lead ('How Leeds cut ...').
_BYLINE = re.compile(r"^[\W_]*(?:(?:from|written by|prepared by|by)\b|(?:council|author)"
                     r"\s*[:\t]|how\b)", re.I | re.M)


# A letter's sign-off ('With thanks,', 'Yours sincerely,'): the lines under it name the writer.
_SIGN_OFF = re.compile(r"^\s*(?:yours (?:sincerely|faithfully|truly)|(?:with )?(?:many |best )?"
                       r"thanks|(?:best|kind|warm) (?:wishes|regards)|regards)\s*,?\s*$",
                       re.I | re.M)
SIGNATURE_LINES = 3
"""A signature (name, post, council) stands this many lines under the sign-off at most."""
_TITLE = re.compile(r"^#\s+(.+)$", re.M)
_TITLE_WORDS = 2
"""A title naming a council alone ('# Dorset Council') has at most this many other words."""


def document_author(text: str, councils: list[tuple[str, int, int]]) -> str | None:
    """The council that wrote the document, if its opening says so on a byline, a 'From' or
    'Council:' line or a case study's 'How X ...' lead naming one council, and no such line
    names another; else if its title is one council's name alone ('# Dorset Council': a
    council's own report); else if the signature under a letter's sign-off names one council.
    That council is the 'we' of its first-person sentences. A regional team's, a network's or
    an unnamed writer's document has none.

    `councils` are the (id, start, end) of the council mentions in `text`."""
    found = set()
    for m in _BYLINE.finditer(text, 0, OPENING_CHARS):
        on_line = _on_line(text, m.end(), councils)
        if len(on_line) > 1:
            return None
        found |= on_line
    if found:
        return next(iter(found)) if len(found) == 1 else None
    title = _TITLE.search(text, 0, OPENING_CHARS)
    if title:
        inside = [(c, a, b) for c, a, b in councils if title.start(1) <= a < title.end(1)]
        rest = text[title.start(1):title.end(1)]
        for _, a, b in sorted(inside, key=lambda c: -c[1]):
            rest = rest[:a - title.start(1)] + rest[b - title.start(1):]
        if len({c for c, _, _ in inside}) == 1 and len(_WORDS.findall(rest)) <= _TITLE_WORDS:
            return inside[0][0]
    signs = list(_SIGN_OFF.finditer(text))
    if signs:
        end = signs[-1].end()
        for _ in range(SIGNATURE_LINES):
            end = text.find("\n", end + 1)
            end = len(text) if end < 0 else end
        signed = {c for c, a, _ in councils if signs[-1].end() <= a < end}
        if len(signed) == 1:
            return next(iter(signed))
    return None


_WORDS = re.compile(r"[A-Za-z]+")


def _on_line(text: str, start: int, councils: list[tuple[str, int, int]]) -> set[str]:
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    return {c for c, at, _ in councils if start <= at < line_end}


_WE_FIRST = re.compile(r"^(?:[-*•]\s+|\d{1,3}[.)]\s+)?(?:we|our)\b", re.I)


def opens_first_person(sentence: str) -> bool:
    """Whether the sentence's subject is its writer ('We asked for help ...', 'Our managers
    ...'): said of the writer even under a heading that names another council."""
    return bool(_WE_FIRST.match(sentence))
