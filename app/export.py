r"""CSV exports that are safe to open in a spreadsheet.

A cell that begins with `=`, `+`, `-`, `@` (or a tab or carriage return) would be read as a
formula by Excel, LibreOffice and Google Sheets; such cells get a leading `'` so they show as
text. Numbers stay numbers.

>>> safe_cell('=HYPERLINK("http://x")')
'\'=HYPERLINK("http://x")'
>>> safe_cell(-0.5), safe_cell("Halton")
(-0.5, 'Halton')
>>> to_csv([{"name": "@risk", "score": 1.5}])
"name,score\r\n'@risk,1.5\r\n"
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def flat(value: object) -> object:
    """Lists and maps as one readable cell."""
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(flat(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={flat(v)}" for k, v in value.items())
    return value


def to_csv(rows: Iterable[Mapping], columns: Sequence[str] | None = None) -> str:
    """Rows as CSV text, every cell safe; columns default to every key seen, in order."""
    rows = list(rows)
    if columns is None:
        columns = []
        for row in rows:
            columns += [k for k in row if k not in columns]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(flat(row.get(k))) for k in columns})
    return buf.getvalue()
