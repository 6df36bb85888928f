"""Splitting a text into sentences: at a closing stop before a capital, a blank line, a line
that opens a list item or heading, and after a short title line (as PDF text gives it)."""

from __future__ import annotations

import re

_JOIN = frozenset({"and", "with", "upon", "on", "of", "the", "in", "le", "under"})
HEADING_CHARS = 60
"""A line this short with no closing stop, before a capital, ends a sentence (a title);
wrapped lines of prose are longer."""
_HEADING_BREAK = re.compile(r"(?<=[^\s.!?,;:\-])[ \t]*\n(?=[ \t]*[A-Z])")
_CONNECTORS = frozenset({"a", "an", "to", "for", "by", "from", "at", "or", "as", "that",
                         "which", "who", "its", "their", "his", "her", "our"})
# A line opening with a list marker, heading, table row or number ('2. ', '3) ') starts a new
# sentence; a wrapped line that opens with a figure ('38% to 30%') goes on with the one before.
_SENT_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n|"
                       r"\n(?=\s*(?:[-*•#|]|\d{1,3}[.)](?:\s|$)))")
# '## 1. Money', '2. Findings': a number that opens a line (a heading's or list item's) ends
# no sentence.
_NUMBERING = re.compile(r"[ \t]*(?:#{1,6}[ \t]*)?(?:[-*•][ \t]*)?\(?\d{1,3}[.)]")


def sentences(text: str) -> list[tuple[int, int]]:
    r"""The sentences of a text as (start, end) offsets; a short line with no closing stop
    before a capital (a title over its first sentence, as PDF text gives it) is one too.

    >>> text = "Learning note, June 2026\nBarnsley has cut repeat referrals.\nA long line"
    >>> [text[a:b] for a, b in sentences(text)][:2]
    ['Learning note, June 2026', 'Barnsley has cut repeat referrals.']
    """
    out = []
    start = 0
    for m in _SENT_END.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if _NUMBERING.fullmatch(text, max(start, line_start), m.start()):
            continue
        if text[start:m.start()].strip():
            out += _split_headings(text, *trim(text, start, m.start()))
        start = m.end()
    if text[start:].strip():
        out += _split_headings(text, *trim(text, start, len(text)))
    return out


def _split_headings(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out = []
    for m in _HEADING_BREAK.finditer(text, a, b):
        line_start = text.rfind("\n", a, m.start()) + 1 or a
        line = text[max(a, line_start):m.start()]
        if len(line) <= HEADING_CHARS and line.split() \
                and line.split()[-1].lower() not in _JOIN | _CONNECTORS:
            out.append(trim(text, a, m.start()))
            a = m.end()
    out.append(trim(text, a, b))
    return [(x, y) for x, y in out if y > x]


PARAGRAPH_LINES = 30
"""A paragraph is read back this many lines at most (a PDF's text may have no blank lines)."""
_ITEM_OR_HEADING = re.compile(r"[ \t]*(?:[-*•#]|\d{1,3}[.)](?:\s|$))")


def paragraph_start(text: str, pos: int) -> int:
    """Where the paragraph or list item holding `pos` starts: after the last blank line, or at
    the last line opening a list item or heading, before `pos`."""
    line = text.rfind("\n", 0, pos) + 1
    for _ in range(PARAGRAPH_LINES):
        if line <= 0:
            return 0
        if _ITEM_OR_HEADING.match(text, line):
            return line
        previous = text.rfind("\n", 0, line - 1) + 1
        if not text[previous:line].strip():
            return line
        line = previous
    return line


def trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def one_spaced(clause: str) -> tuple[str, list[int]]:
    """The clause with each run of white space as one space, and where each of its characters
    was in the clause."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(clause):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        where.append(i)
    where.append(len(clause))
    return "".join(out), where
