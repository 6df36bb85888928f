"""How alike a typed council name and a known one are, 0..100, and when that is enough.

A wrong council is worse than none, so the score is built to stay below `THRESHOLD` for the
near misses that name another place: a changed first letter, a short word, a left-out
qualifier.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from graph.resolve.words import QUALIFIERS, WEAK

# A fuzzy match is accepted only at or above THRESHOLD and MARGIN points clear of the best
# unrelated council.
THRESHOLD = 88.0
MARGIN = 6.0
MIN_FUZZY_LEN = 7  # shorter words match only exactly: one edit makes another word
ALTERNATIVE_FLOOR = 55.0  # weaker candidates are not worth showing
# The commonest typo in a name of any length is a doubled letter typed once or twice; when that
# is the only difference the match is safe even for short names.
DOUBLED_SCORE = 95.0
_DOUBLED = re.compile(r"(.)\1+")


def qualified(tokens: list[str], matched: set[int]) -> bool:
    """Whether a qualifier the query left out sits in the same part of the name as a word it
    matched: "north" in "north yorkshire", "city" in "city of london", but not "west" in
    "cheshire west and chester" for "Chester" ("and" and "with" join separate places)."""
    segment: list[int] = []
    for i, tok in enumerate([*tokens, "and"]):
        if tok in ("and", "with"):
            if segment and matched & set(segment):
                if any(tokens[j] in QUALIFIERS and j not in matched for j in segment):
                    return True
            segment = []
        else:
            segment.append(i)
    return False


def score(key: str, q_tokens: list[str], cand: str, c_tokens: list[str]) -> float:
    """Similarity 0..100 of a normalised query and a normalised name.

    Whole-string edit similarity, or, when every query word matches a distinct word of
    the name ("Hammersmith" in "Hammersmith and Fulham"), a slightly discounted word
    score. A name that differs only by a doubled letter scores `DOUBLED_SCORE`. Below the
    threshold stay: a fuzzy match that changes the first letter (typos
    rarely do; it keeps "Wessex" off Essex), a fuzzy match on a short word ("Stroke" is
    not Stoke, "Pool" not Poole), and a partial match that leaves out a qualifier
    ("Yorkshire" for "North Yorkshire").
    """
    whole = max(fuzz.ratio(key, cand), fuzz.token_sort_ratio(key, cand))
    if whole < 100 and _DOUBLED.sub(r"\1", key) == _DOUBLED.sub(r"\1", cand):
        return DOUBLED_SCORE  # "Walsal", "Hamersmith": a letter doubled or undoubled
    if whole < 100 and (key[0] != cand[0] or min(len(key), len(cand)) < MIN_FUZZY_LEN):
        whole = min(whole, THRESHOLD - 1)
    strong = [t for t in q_tokens if t not in WEAK and t not in QUALIFIERS]
    if not strong or len(q_tokens) >= len(c_tokens):
        return round(whole, 1)
    used: set[int] = set()
    total = weight = 0.0
    for tok in q_tokens:
        s, i = max((fuzz.ratio(tok, c), i) for i, c in enumerate(c_tokens) if i not in used)
        if s < 80 or tok[0] != c_tokens[i][0] or (s < 100 and len(tok) < MIN_FUZZY_LEN):
            return round(whole, 1)
        used.add(i)
        if tok in WEAK:
            continue
        total += s * len(tok)
        weight += len(tok)
    partial = 0.95 * total / weight
    if sum(len(t) for t in strong) < 6 or qualified(c_tokens, used):
        partial = min(partial, THRESHOLD - 1)
    return round(max(whole, partial), 1)
