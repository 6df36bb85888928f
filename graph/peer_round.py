"""Read a peer-review round: `requests.csv` and `reviewers.csv`, every row located.

requests.csv:  request_id, council, focus, roles     (roles like `dcs:1;ad:1;member:1`)
reviewers.csv: reviewer_id, council, role, expertise, capacity

Councils are resolved by name or GSS code; any fault raises `LoadError` listing each one as
`file:line: field: problem`, and nothing is returned. The same parser takes rows edited in the
app (`parse_requests(rows, label)`), so a table and a file are checked alike.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from graph.errors import LoadError, Problem
from graph.resolve import Resolver
from graph.roles import Role
from graph.text import control_character_problem

REQUEST_COLUMNS = ("request_id", "council", "focus", "roles")
REVIEWER_COLUMNS = ("reviewer_id", "council", "role", "expertise", "capacity")
HISTORY_COLUMNS = ("reviewer_id", "reviewer_council", "council_reviewed")


class RoundRow(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    file: str
    line: int


class RequestRow(RoundRow):
    request_id: str
    council: str  # current GSS code
    focus: list[str]
    roles: dict[str, int]


class ReviewerRow(RoundRow):
    reviewer_id: str
    council: str
    role: str
    expertise: list[str]
    capacity: int = Field(ge=0)


def normalise_role(text: str) -> str | None:
    """The role's id (`lead member`, `Cllr` -> `lead_member`), or None for a role we do not
    know (a typo such as `adx` must not become a role nobody can fill)."""
    role = Role.parse(text)
    return role.value if role else None


def unknown_role(text: str) -> str:
    known = ", ".join(r.label for r in Role)
    return f"{text.strip()!r} is not a role we know (roles: {known})"


def split_list(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(";") if part.strip()]


def _rows_from_csv(source: Path | str, label: str | None) -> tuple[str, list[tuple[int, dict]]]:
    if isinstance(source, Path):
        label = label or source.name
        try:
            text = source.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise LoadError([Problem(label, None, None, f"cannot read: {exc}")]) from None
    else:
        text, label = source, label or "<table>"
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows, line = [], 2
    try:
        for row in reader:
            if None in row:
                raise LoadError([Problem(label, line, None, "more cells than header columns")])
            rows.append((line, {k.strip(): (v or "") for k, v in row.items() if k}))
            line = reader.line_num + 1
    except csv.Error as exc:  # a NUL byte, a cell over the csv module's size limit
        raise LoadError([Problem(label, reader.line_num or 1, None,
                                 f"not a CSV file we can read: {exc}")]) from None
    return label, rows


def uploaded_table(name: str, data: bytes) -> tuple[list[str], list[dict]]:
    """An uploaded CSV file's columns and rows, as text; LoadError naming the file (and
    line) when it is not UTF-8 CSV with no more cells than header columns."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError([Problem(name, None, None, "not UTF-8 text (save it as CSV UTF-8): "
                                                   f"byte {exc.start} cannot be read")]) from None
    _, rows = _rows_from_csv(text, name)
    try:
        header = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        header = []
    columns = [c.strip() for c in header if c.strip()]
    return columns, [row for _, row in rows]


def _control_characters(row: dict, label: str, line: int, problems: list[Problem]) -> None:
    """Note every cell holding a control character (a NUL byte, an escape sequence)."""
    problems += [Problem(label, line, column, why) for column, text in row.items()
                 if isinstance(text, str) and (why := control_character_problem(text))]


def _check_columns(label: str, rows: list[tuple[int, dict]], columns: tuple[str, ...]) -> None:
    if not rows:
        raise LoadError([Problem(label, 1, None, "no rows")])
    missing = [c for c in columns if c not in rows[0][1]]
    if missing:
        raise LoadError([Problem(label, 1, missing[0], "missing column")])


def _council(resolver: Resolver, text: str, label: str, line: int,
             problems: list[Problem]) -> str | None:
    if not text.strip():
        problems.append(Problem(label, line, "council", "empty"))
        return None
    found = resolver.resolve(text)
    if found.code is None:
        alts = found.alternatives_text()
        hint = f" (closest: {alts})" if alts else ""
        problems.append(Problem(label, line, "council", f"no council matches {text!r}{hint}"))
        return None
    if found.status == "abolished":
        problems.append(Problem(label, line, "council",
                                f"{found.name} was abolished; name one of its successors"))
        return None
    return found.code


def _row_id(row: dict, key: str, label: str, line: int, seen: dict[str, int],
            problems: list[Problem]) -> str:
    """A row's id, noting an empty or repeated one."""
    rid = row[key].strip()
    if not rid:
        problems.append(Problem(label, line, key, "empty"))
    elif rid in seen:
        problems.append(Problem(label, line, key, f"duplicate {rid!r} (first at line {seen[rid]})"))
    seen.setdefault(rid, line)
    return rid


def parse_requests(rows: Iterable[tuple[int, dict]], label: str,
                   resolver: Resolver) -> list[RequestRow]:
    rows = list(rows)
    _check_columns(label, rows, REQUEST_COLUMNS)
    problems: list[Problem] = []
    out, seen = [], {}
    for line, row in rows:
        _control_characters(row, label, line, problems)
        rid = _row_id(row, "request_id", label, line, seen, problems)
        council = _council(resolver, row["council"], label, line, problems)
        roles: dict[str, int] = {}
        for part in split_list(row["roles"]):
            role, _, count = part.partition(":")
            role = normalise_role(role)
            if role is None:
                problems.append(Problem(label, line, "roles", unknown_role(part.partition(":")[0])))
                continue
            try:
                n = int(count.strip() or "1")
            except ValueError:
                problems.append(Problem(label, line, "roles",
                                        f"{part!r}: count must be a whole number"))
                continue
            if n < 1:
                problems.append(Problem(label, line, "roles", f"{part!r}: count must be >= 1"))
                continue
            roles[role] = roles.get(role, 0) + n
        if not roles and not any(p.line == line and p.field == "roles" for p in problems):
            problems.append(Problem(label, line, "roles", "no roles, e.g. dcs:1;ad:1;member:1"))
        if council and roles and rid:
            out.append(RequestRow(file=label, line=line, request_id=rid, council=council,
                                  focus=split_list(row["focus"]), roles=roles))
    if problems:
        raise LoadError(problems)
    return out


def parse_reviewers(rows: Iterable[tuple[int, dict]], label: str,
                    resolver: Resolver) -> list[ReviewerRow]:
    rows = list(rows)
    _check_columns(label, rows, REVIEWER_COLUMNS)
    problems: list[Problem] = []
    out, seen = [], {}
    for line, row in rows:
        _control_characters(row, label, line, problems)
        rid = _row_id(row, "reviewer_id", label, line, seen, problems)
        council = _council(resolver, row["council"], label, line, problems)
        role = normalise_role(row["role"])
        if role is None:
            problems.append(Problem(label, line, "role", unknown_role(row["role"])))
        capacity = None
        try:
            capacity = int(str(row["capacity"]).strip())
            if capacity < 0:
                problems.append(Problem(label, line, "capacity", "must be 0 or more"))
                capacity = None
        except ValueError:
            problems.append(Problem(label, line, "capacity",
                                    f"{row['capacity']!r} is not a whole number"))
        if council and capacity is not None and rid and role is not None:
            out.append(ReviewerRow(file=label, line=line, reviewer_id=rid, council=council,
                                   role=role, expertise=split_list(row["expertise"]),
                                   capacity=capacity))
    if problems:
        raise LoadError(problems)
    return out


class PastReview(RoundRow):
    """One review given in an earlier round: who, from where, to which council."""

    reviewer_id: str
    reviewer_council: str
    council_reviewed: str


def parse_history(rows: Iterable[tuple[int, dict]], label: str,
                  resolver: Resolver) -> list[PastReview]:
    rows = list(rows)
    _check_columns(label, rows, HISTORY_COLUMNS)
    problems: list[Problem] = []
    out = []
    for line, row in rows:
        _control_characters(row, label, line, problems)
        rid = row["reviewer_id"].strip()
        if not rid:
            problems.append(Problem(label, line, "reviewer_id", "empty"))
        found = {}
        for column in ("reviewer_council", "council_reviewed"):
            start = len(problems)
            code = _council(resolver, row[column], label, line, problems)
            for i in range(start, len(problems)):  # name the column the fault is in
                p = problems[i]
                problems[i] = Problem(p.file, p.line, column, p.message)
            found[column] = code
        if rid and all(found.values()):
            out.append(PastReview(file=label, line=line, reviewer_id=rid, **found))
    if problems:
        raise LoadError(problems)
    return out


def history_rules(past: Iterable[PastReview]) -> tuple[set[tuple[str, str]], set[str]]:
    """From past reviews: (reviewer, council) pairs seen before, and councils that gave
    reviewers but never received a review (the ones to rest this round)."""
    past = list(past)
    seen = {(p.reviewer_id, p.council_reviewed) for p in past}
    gave = {p.reviewer_council for p in past}
    received = {p.council_reviewed for p in past}
    return seen, gave - received


def read_history(source: Path | str, resolver: Resolver,
                 label: str | None = None) -> list[PastReview]:
    """Parse past reviews from a CSV file (a Path) or CSV text (a str)."""
    label, rows = _rows_from_csv(source, label)
    return parse_history(rows, label, resolver)


def read_requests(source: Path | str, resolver: Resolver,
                  label: str | None = None) -> list[RequestRow]:
    """Parse requests from a CSV file (a Path) or CSV text (a str)."""
    label, rows = _rows_from_csv(source, label)
    return parse_requests(rows, label, resolver)


def read_reviewers(source: Path | str, resolver: Resolver,
                   label: str | None = None) -> list[ReviewerRow]:
    """Parse reviewers from a CSV file (a Path) or CSV text (a str)."""
    label, rows = _rows_from_csv(source, label)
    return parse_reviewers(rows, label, resolver)


def table_rows(records: Iterable[dict]) -> list[tuple[int, dict]]:
    """Rows edited in a table, numbered as they would be in a CSV (header is line 1)."""
    return [(i + 2, {k: "" if v is None else str(v) for k, v in r.items()})
            for i, r in enumerate(records)]
