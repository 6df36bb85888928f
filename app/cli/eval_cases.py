"""Evaluation case files checked before they are run: the wrong shape is one line naming the
file, the case and what is wrong, never a traceback or a score out of nothing ("0/0 = 1.000").

Search cases: a non-empty list of `{"q": text, "councils"|"names": [text, ...], "k": 1..100,
"need": 1..k}` (`k` defaults to 10, `need` to 1). Resolve cases: a non-empty list of
`[name, [GSS code, ...]]` (an empty list of codes: the name must resolve to nothing). Partner
queries: `{"cases": [...]}` or a list of `{"council": text, "themes": [text], "must": [text],
"must_not": [text], "empty": true|false}` (all but `council` optional).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.cli.common import CliError

MAX_K = 100


def read_cases(path: str, kind: str) -> list:
    """The cases in `path`, checked for `kind` ("search" or "resolve"), or a CliError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"no such file: {path}", 2) from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a directory, not a file of cases", 2) from None
    except UnicodeDecodeError:
        raise CliError(f"{path}: not UTF-8 text", 2) from None
    try:
        cases = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}", 2) from None
    except RecursionError:
        raise CliError(f"{path}: nested too deeply to be a file of cases", 2) from None
    problem = _shape_problem(cases, kind)
    if problem:
        raise CliError(f"{path}: {problem}", 2)
    return cases


def _shape_problem(cases: Any, kind: str) -> str | None:
    example = {"search": '[{"q": "...", "councils": ["E06000006"], "k": 5, "need": 1}]',
               "resolve": '[["Halton", ["E06000006"]]]',
               "partners": '{"cases": [{"council": "Halton", "themes": ["front door"]}]}'}[kind]
    if kind == "partners" and isinstance(cases, dict) and "cases" in cases:
        cases = cases["cases"]
    if not isinstance(cases, list):
        return f"must be a list of {kind} cases such as {example}, not a JSON {_kind(cases)}"
    if not cases:
        return f"has no cases: nothing to score (expected e.g. {example})"
    check = {"search": _search_case_problem, "resolve": _resolve_case_problem,
             "partners": _partner_case_problem}[kind]
    for i, case in enumerate(cases, 1):
        problem = check(case)
        if problem:
            return f"case {i}: {problem}"
    return None


def _search_case_problem(case: Any) -> str | None:
    if not isinstance(case, dict):
        return f"must be an object with q, k, need and councils or names, not a {_kind(case)}"
    if not isinstance(case.get("q"), str) or not case["q"].strip():
        return "q must be the question as text"
    k, need = case.get("k", 10), case.get("need", 1)
    if not _whole(k) or not 1 <= k <= MAX_K:
        return f"k must be a whole number from 1 to {MAX_K}"
    if not _whole(need) or not 1 <= need <= k:
        return "need must be a whole number from 1 to k"
    expected = [case.get(key) for key in ("councils", "names") if key in case]
    if not expected or any(not _texts(v) for v in expected):
        return "councils or names must be a non-empty list of text"
    if need > sum(len(v) for v in expected):
        return "need is more than the councils and names listed: the case could never pass"
    return None


def _resolve_case_problem(case: Any) -> str | None:
    if (not isinstance(case, list) or len(case) != 2 or not isinstance(case[0], str)
            or not isinstance(case[1], list) or not all(isinstance(c, str) for c in case[1])):
        return "must be [name, [codes]] with the name as text and a list of GSS codes"
    if not case[0].strip():
        return "the name is empty"
    return None


def _partner_case_problem(case: Any) -> str | None:
    if not isinstance(case, dict):
        return f"must be an object with council and themes, not a {_kind(case)}"
    if not isinstance(case.get("council"), str) or not case["council"].strip():
        return "council must be a council's name as text"
    for key in ("themes", "must", "must_not"):
        value = case.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"{key} has to be a list of text (council names or themes)"
    if not isinstance(case.get("empty", False), bool):
        return "empty must be true or false"
    return None


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _texts(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v.strip()
                                                           for v in value)


def _kind(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "true/false", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)
