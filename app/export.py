"""CSV exports that are safe to open in a spreadsheet.

A cell that begins with `=`, `+`, `-`, `@` (or a tab or carriage return) would be read as a
formula by Excel, LibreOffice and Google Sheets; such cells get a leading `'` so they show as
text. Numbers stay numbers.

>>> safe_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> safe_cell(-0.5), safe_cell("Halton")
(-0.5, 'Halton')
>>> print(to_csv([{"name": "@risk", "score": 1.5}]), end="")
name,score
'@risk,1.5
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: Iterable[dict], columns: Sequence[str] | None = None) -> str:
    rows = list(rows)
    if columns is None:
        columns = list(rows[0]) if rows else []
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(row.get(k)) for k in columns})
    return buf.getvalue()
