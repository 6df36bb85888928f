"""Score search and council resolution against evaluation cases (pure: callables in, scores out).

Search cases (``eval/search_scenarios.json``): ``{q, councils | names, k, need}``. A case passes
when at least `need` of the expected items are found in the first `k` results: a council
matches a result's id or its owner's id; a name matches as a case-insensitive substring of a
result's name or its owner's name.

Resolve cases (``eval/resolve_cases.json``): ``[name, [expected codes]]``. The resolve callable
returns the codes it resolved a name to (for an abolished council: its successors, optionally
with its own historic code). A case passes when the codes, less any historic code whose
current successors are exactly the expected ones, equal the expected set; an empty expected
list means the resolver must return nothing.

>>> cases = [{"q": "front door", "councils": ["E06000008"], "k": 3, "need": 1}]
>>> fake = lambda q, k: [{"id": "E06000008", "name": "Blackburn", "owner": None}]
>>> evaluate_search(cases, fake).score
1.0
>>> evaluate_resolve([["Atlantis", []], ["Herts", ["E10000015"]]],
...                  lambda n: [] if n == "Atlantis" else ["E10000015"]).passed
2
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CaseResult:
    case: str
    passed: bool
    found: tuple[str, ...]
    expected: tuple[str, ...]
    detail: str

    def to_json(self) -> dict:
        return {"case": self.case, "passed": self.passed, "found": list(self.found),
                "expected": list(self.expected), "detail": self.detail}


@dataclass(frozen=True)
class EvalReport:
    kind: str
    cases: tuple[CaseResult, ...]

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.cases)

    @property
    def score(self) -> float:
        return self.passed / len(self.cases) if self.cases else 1.0

    def to_json(self) -> dict:
        return {"kind": self.kind, "score": round(self.score, 4), "passed": self.passed,
                "total": len(self.cases), "cases": [c.to_json() for c in self.cases]}


def _get(result, key: str):
    if isinstance(result, Mapping):
        return result.get(key)
    return getattr(result, key, None)


def match_search_case(case: Mapping, results: Sequence) -> CaseResult:
    """Judge one search case against the results a search returned (dicts or objects)."""
    k = int(case.get("k", 10))
    need = int(case.get("need", 1))
    councils = [c for c in case.get("councils", [])]
    names = [n.lower() for n in case.get("names", [])]
    found: list[str] = []
    for r in list(results)[:k]:
        owner = _get(r, "owner") or {}
        ids = {_get(r, "id"), owner.get("id") if isinstance(owner, Mapping) else None}
        labels = [(_get(r, "name") or "").lower()]
        if isinstance(owner, Mapping) and owner.get("name"):
            labels.append(owner["name"].lower())
        for code in councils:
            if code in ids and code not in found:
                found.append(code)
        for n in names:
            if n not in found and any(n in label for label in labels):
                found.append(n)
    passed = len(found) >= need
    top = ", ".join(str(_get(r, "name")) for r in list(results)[:3])
    detail = f"{len(found)}/{need} needed in top {k}" + ("" if passed else f"; top: {top}")
    return CaseResult(str(case["q"]), passed, tuple(found), tuple(councils or names), detail)


def evaluate_search(cases: Iterable[Mapping],
                    search: Callable[[str, int], Sequence]) -> EvalReport:
    """Run every search case through `search(query, k)` and judge the results."""
    out = []
    for case in cases:
        k = int(case.get("k", 10))
        out.append(match_search_case(case, search(str(case["q"]), k)))
    return EvalReport("search", tuple(out))


def evaluate_resolve(cases: Iterable[Sequence], resolve: Callable[[str], Sequence[str]],
                     successors: Callable[[str], Sequence[str]] | None = None) -> EvalReport:
    """Run every ``[name, expected codes]`` case through `resolve(name)` and judge it.

    `successors(code)` (optional) gives an abolished council's current successors, so that a
    returned historic code alongside its successors still passes.
    """
    out = []
    for name, expected in cases:
        got = list(dict.fromkeys(resolve(name)))
        want = set(expected)
        rest = set(got)
        if successors is not None:
            for code in got:
                succ = set(successors(code))
                if succ and succ == want:
                    rest.discard(code)
        passed = rest == want
        detail = "ok" if passed else f"got {sorted(got) or 'nothing'}"
        out.append(CaseResult(str(name), passed, tuple(got), tuple(expected), detail))
    return EvalReport("resolve", tuple(out))


@dataclass(frozen=True)
class PartnerGrades:
    """Partner proposals graded against what the documents say: good (a council they show has
    done, achieved, offered or been thanked for it), wrong (a council they only show working on
    it, or on a parent or sibling theme, or any proposal where none should be made), and
    questionable (anything else)."""

    good: int
    questionable: int
    wrong: int
    missing: tuple[str, ...]  # case: council that should have been proposed and was not

    def to_json(self) -> dict:
        return {"good": self.good, "questionable": self.questionable, "wrong": self.wrong,
                "missing": list(self.missing)}


def grade_partners(cases: Iterable[Mapping], propose: Callable[[Mapping], Sequence[str]],
                   codes_of: Callable[[str], Sequence[str]]) -> tuple[PartnerGrades, EvalReport]:
    """Grade `propose(case)` (partner codes) for every case; a case passes when it has every
    must, no must_not, and nothing at all when it expects an empty answer."""
    good = questionable = wrong = 0
    missing: list[str] = []
    out = []
    for case in cases:
        must = {c for name in case.get("must", []) for c in codes_of(name)}
        must_not = {c for name in case.get("must_not", []) for c in codes_of(name)}
        got = list(propose(case))
        empty = bool(case.get("empty"))
        g = sum(c in must for c in got)
        w = len(got) if empty else sum(c in must_not for c in got)
        good, wrong, questionable = good + g, wrong + w, questionable + len(got) - g - w
        lost = sorted(must - set(got))
        missing += [f"{case['council']}: {c}" for c in lost]
        passed = not lost and not w
        label = f"{case['council']} / {', '.join(case.get('themes') or ['own priorities'])}"
        out.append(CaseResult(label, passed, tuple(got), tuple(sorted(must)),
                              f"{g} good, {len(got) - g - w} questionable, {w} wrong"
                              + (f"; missing {', '.join(lost)}" if lost else "")))
    return PartnerGrades(good, questionable, wrong, tuple(missing)), EvalReport(
        "partners", tuple(out))
