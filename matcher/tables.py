"""Reading a table's rows for claims (`matcher.extract` reads the prose).

- A table whose header names themes and whose cells list councils (a workshop's "priorities
  by theme") says each listed council is working on its column's theme and shared its learning
  there: challenge and participation.
- A row of an actions table whose own cell is a council and whose action passes something
  on ('Circulate the guidance ...') is that council's offer of what the action names.
- A column headed with a kind of thing ('Offer', 'Looking for') says what each row's cells in
  it are: a row whose own cell is one council offers (or wants help with) the themes its cell
  names, as a form's field names say what is written in them.
- A row whose own cell is one council is a sentence about that council, cell by cell: a cell
  saying in prose's words what was done, changed or offered ('Visits to the hub it set up in
  2018') is that council's claim on the themes the cell names, as the sentence would be.
"""

from __future__ import annotations

import re

from graph.schema import EvidenceKind
from matcher.clause_roles import outermost
from matcher.cue_reading import clause_cues, kinds_for
from matcher.doc_structure import OFFERED, WANTED
from matcher.mentions import Gazetteer, Mention
from matcher.sentences import sentences, trim
from matcher.themes import read_theme

E = EvidenceKind
_CELL_SPLIT = re.compile(r"\t|\s*\|\s*")
# an action that passes something on: share, send, circulate, host, lend, offer, show
_SHARING = re.compile(r"(?:share|send|circulate|host|lend|offer|show|present)s?\b", re.I)
TableClaim = tuple[str, str, str, float, int, int, str]
"""(subject, evidence kind, target, confidence, start, end, the cell's text)"""


def table_claims(text: str, mentions: list[Mention], gz: Gazetteer) -> list[TableClaim]:
    """Rows of a table whose header cells name themes: each council listed in a column is
    working on (and shared its learning on) that column's theme."""
    out: list[TableClaim] = []
    header: list[str | None] | None = None
    first_row = True  # only a table's first row can be its header
    kinds: list[EvidenceKind | None] = []  # what the header says each column holds
    offset = 0
    for line in text.splitlines(keepends=True):
        start, offset = offset, offset + len(line)
        if not line.strip():
            continue  # a blank line between rows (as docx and html give) keeps the table
        cells = _cells(line, start)
        if len(cells) < 3:
            header, first_row = None, True
            continue
        out += _action_offers(text, cells, mentions)
        if first_row:
            kinds = [column_kind(text[a:b]) for a, b in cells]
        else:
            out += _labelled_cells(text, cells, kinds, mentions) if any(kinds) else []
            out += _prose_cells(text, cells, mentions)
        if header is None:
            themes = [_cell_theme(text[a:b], gz) for a, b in cells]
            if first_row and sum(t is not None for t in themes) >= 2:
                header = themes
            first_row = False
            continue
        for col, (a, b) in enumerate(cells):
            theme = header[col] if col < len(header) else None
            if theme is None:
                continue
            councils = [m for m in mentions if m.kind == "council" and a <= m.start < b]
            if len(councils) < 1:
                continue
            for m in councils:
                for kind in (E.CHALLENGE, E.PARTICIPATION):
                    out.append((m.id, kind.value, theme, 0.6, a, b, text[a:b]))
    return out


def _action_offers(text: str, cells: list[tuple[int, int]],
                   mentions: list[Mention]) -> list[TableClaim]:
    """A row of an actions table whose own cell is one council ('| Walsall | Circulate the
    guidance for its reflective sessions | 15 Dec |') reads like the minute 'Walsall to
    circulate ...': an action that shares or sends something offers what it names."""
    owners = [m for a, b in cells for m in mentions
              if m.kind == "council" and (m.start, m.end) == _unmarked(text, a, b)]
    if len({m.id for m in owners}) != 1:
        return []
    row_start, row_end = cells[0][0], cells[-1][1]
    return [(owners[0].id, E.OFFER.value, m.id, 0.6, row_start, row_end,
             text[row_start:row_end])
            for a, b in cells if _SHARING.match(text, a, b)
            for m in mentions if m.kind == "theme" and a <= m.start < b]


_COLUMN_KINDS = ((E.OFFER, re.compile(rf"(?:{OFFERED})$", re.I)),
                 (E.CHALLENGE, re.compile(rf"(?:requests?|{WANTED})$", re.I)))


def column_kind(cell: str) -> EvidenceKind | None:
    """The kind of thing a header cell says its column holds ('Offer', 'Looking for')."""
    cell = cell.strip(" *_:")
    return next((k for k, p in _COLUMN_KINDS if p.fullmatch(cell)), None)


def _labelled_cells(text: str, cells: list[tuple[int, int]], kinds: list,
                    mentions: list[Mention]) -> list[TableClaim]:
    """A row whose own (first) cell is one council: each theme a labelled column's cell
    names, with that column's kind."""
    owner = _row_owner(text, cells, mentions)
    if owner is None:
        return []
    return [(owner, kind.value, m.id, 0.6, a, b, text[a:b])
            for (a, b), kind in zip(cells, kinds, strict=False) if kind is not None
            for m in mentions if m.kind == "theme" and a <= m.start < b]


def _prose_cells(text: str, cells: list[tuple[int, int]],
                 mentions: list[Mention]) -> list[TableClaim]:
    """A row whose own (first) cell is one council: each later cell read as a clause about
    that council, its cue words giving the kind of each theme it names."""
    owner = _row_owner(text, cells, mentions)
    if owner is None:
        return []
    out: list[TableClaim] = []
    for c_start, c_end in cells[1:]:
        for a, b in sentences(text[c_start:c_end]):  # a cue says its own sentence's themes
            a, b = a + c_start, b + c_start
            themes = outermost([m for m in mentions if m.kind == "theme" and a <= m.start < b])
            cues = clause_cues(text[a:b].lower(), a) if themes else []
            out += [(owner, kind.value, t.id, conf, a, b, text[a:b])
                    for t in themes if cues for kind, conf in kinds_for(t, cues, themes)]
    return out


def _row_owner(text: str, cells: list[tuple[int, int]], mentions: list[Mention]) -> str | None:
    """The one council a row's first cell names, if it names one."""
    a0, b0 = _unmarked(text, *cells[0])
    owners = {m.id for m in mentions if m.kind == "council" and a0 <= m.start < b0}
    return owners.pop() if len(owners) == 1 else None


def _unmarked(text: str, a: int, b: int) -> tuple[int, int]:
    """A cell's span without bold or italic marks around it."""
    while a < b and text[a] in "*_":
        a += 1
    while b > a and text[b - 1] in "*_":
        b -= 1
    return a, b


def _cells(line: str, start: int) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for m in _CELL_SPLIT.finditer(line):
        out.append(trim(line, pos, m.start()))
        pos = m.end()
    out.append(trim(line, pos, len(line)))
    return [(start + a, start + b) for a, b in out if b > a] if len(out) >= 3 else []


def _cell_theme(cell: str, gz: Gazetteer) -> str | None:
    """The one theme a header cell names ('1. Workforce development, ...'), if any."""
    cell = re.sub(r"^\s*\d+[.)]\s*", "", cell)
    if not cell or len(cell) > 200:
        return None
    found = read_theme(gz.kg, cell)
    if not found:
        return None
    top = found[0]
    parent = gz.kg.theme_parent(top)
    # a header names a broad theme: prefer the top of the branch it lands in
    return parent if parent and not gz.kg.theme_parent(parent) and len(cell.split()) > 3 \
        else top
