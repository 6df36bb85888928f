"""What a quoted speaker says of another council's help: a quotation attributed to one council
(a bracketed '(North Somerset, head of quality)' after it, or the council that 'told' or 'said'
it before it in the same paragraph) in which the speaker's 'us' or 'ours' received what
another council's people did ('Swindon's audit team spent a week with ours') endorses that
other council on the themes the quotation names. The speaker says nothing of its own.

>>> text = '"The managers of Leeds showed us how." (York, director)'
>>> [(text[a:b], sorted(who)) for a, b, who in quotations(text, [("E06000014", 43)])]
[('"The managers of Leeds showed us how."', ['E06000014'])]
"""

from __future__ import annotations

import re

from matcher.mentions import Mention

# a quotation may run over lines of one paragraph, not over a blank line
_QUOTE = re.compile(r"\"(?:[^\"\n]|\n(?!\s*\n)){10,}?\"|“(?:[^”\n]|\n(?!\s*\n)){10,}?”")
# '(North Somerset, head of quality)' or a short line 'Head of service, Hounslow (cohort 2)'
# right after a quotation names who said it
_AFTER = re.compile(r"\s*\(([^()\n]{2,80})\)|\s*\n\s*([^\n.!?\"“]{2,60})$", re.M)
# '... told the group in September: "...' / 'said:' before a quotation names its speaker
_TOLD = re.compile(r"\b(?:told|said|says|wrote|writes|added|explained)\b[^\"“\n]{0,60}[:,]?\s*$",
                   re.I)
_RECEIVED = re.compile(r"\b(?:us|ours|our|I|me|my)\b")
# 'Swindon's audit team', 'Ealing's director', 'East Sussex lent us': the helper's people, or
# the helper doing something for the speaker
_THEIRS = re.compile(r"['’]s\s+(?:\w+\s+){0,2}(?:team|teams|managers|staff|advisers|leads?|"
                     r"practitioners|workers|director|help|support|advice|coaching|mentoring)"
                     r"\b|\s+(?:[a-z]+\s+){1,2}(?:us|me)\b",
                     re.I)


def quotations(text: str, councils: list[tuple[str, int]]):
    """Each quotation (start, end) with the councils its attribution names as speaker."""
    for q in _QUOTE.finditer(text):
        after = _AFTER.match(text, q.end())
        speakers = set()
        if after:
            speakers = {c for c, at in councils if after.start() <= at < after.end()}
        if not speakers:
            para = text.rfind("\n\n", 0, q.start())
            para = 0 if para < 0 else para + 2
            lead = text[para:q.start()]
            if _TOLD.search(lead):
                speakers = {c for c, at in councils if para <= at < q.start()}
        if speakers:
            yield q.start(), q.end(), speakers


def quoted_endorsements(text: str, mentions: list[Mention]):
    """(subject, target, start, end) for each council whose help a quoted speaker credits."""
    councils = [(m.id, m.start) for m in mentions if m.kind == "council"]
    for a, b, speakers in quotations(text, councils):
        quote = text[a:b]
        if not _RECEIVED.search(quote):
            continue
        helpers = {m.id for m in mentions if m.kind == "council" and a <= m.start < b
                   and m.id not in speakers and _THEIRS.match(text, m.end)}
        themes = {m.id for m in mentions if m.kind == "theme" and a <= m.start < b}
        for helper in sorted(helpers):
            for theme in sorted(themes):
                yield helper, theme, a, b
