"""The resolver: council names as people write them -> one council, or none with candidates.

Order of evaluation: a GSS code; an exact hit on a normalised name or alias; a named area
that spans several councils ("Cheshire", "Greater Manchester"); a name with words shortened to
initials ("K&C", "Cheshire W&C") or an acronym of the council's name ("NYCC", "LBI"); then fuzzy
matching (rapidfuzz, `graph.resolve.fuzzy`) with a score threshold and a margin over the
runner-up. When a name fits several councils, a designation the query used ("Royal Borough
of", "LB", "MBC") picks the one of that kind, if only one is. An abolished council resolves to
its own historic record, `status='abolished'`, with its current successors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from graph.resolve.fuzzy import ALTERNATIVE_FLOOR, MARGIN, THRESHOLD, score
from graph.resolve.result import Alternative, Resolution
from graph.resolve.tables import NameTables, default_name_tables
from graph.resolve.words import (
    GSS,
    acronyms,
    initial_forms,
    looks_like_acronym,
    normalise,
    only_vague_words,
    short_key,
    words,
)
from graph.schema import Council

MAX_ALTERNATIVES = 5

# Designations in a query that say which kind of council it means: phrase -> test on a council.
_DESIGNATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:royal borough|rb|rbc)\b"), "royal"),
    (re.compile(r"\b(?:london borough|lb|lbc)\b"), "london_borough"),
    (re.compile(r"\b(?:metropolitan|mbc|mdc)\b"), "metropolitan_district"),
    (re.compile(r"\bcounty council\b"), "county"),
)


class Resolver:
    """Resolve council names to GSS codes. Build once; `resolve` is cheap."""

    def __init__(self, councils: Iterable[Council], tables: NameTables | None = None) -> None:
        """`tables`: areas and royal boroughs; the shipped seed data when None."""
        tables = default_name_tables() if tables is None else tables
        self._royal = tables.royal_boroughs
        self._councils: dict[str, Council] = {c.id: c for c in councils}
        self._successors = {code: self._current_successors(code) for code in self._councils}
        self._by_code: dict[str, str] = {code.upper(): code for code in self._councils}
        keys: dict[str, set[str]] = {}
        for code, council in self._councils.items():
            for label in [council.name, *council.aliases]:
                if GSS.match(label.strip().upper()):
                    self._by_code.setdefault(label.strip().upper(), code)
                    continue
                key = normalise(label)
                if key:
                    keys.setdefault(key, set()).add(code)
        # One key, several councils: keep the current one where the others are its
        # predecessors ("Somerset County Council" -> "somerset" is today's Somerset).
        self._exact: dict[str, tuple[str, ...]] = {}
        # ... but the literal historic name still finds the historic record.
        self._literal: dict[str, str] = {}
        for key, codes in keys.items():
            current = {c for c in codes if self._councils[c].status == "current"}
            kept = {
                c
                for c in codes
                if c in current or not set(self._successors[c]) <= current or not current
            }
            self._exact[key] = tuple(sorted(kept))
            for code in codes - kept:
                council = self._councils[code]
                for label in [council.name, *council.aliases]:
                    if normalise(label) == key and words(label) != key:
                        self._literal[words(label)] = code
        self._areas = {
            normalise(k): tuple(c for c in v if c in self._councils)
            for k, v in tables.areas.items()
        }
        # Names with words cut to initials, and acronyms of names, on unexpanded words (a "W"
        # in "W&M" is Windsor, not west).
        short: dict[str, set[str]] = {}
        by_acronym: dict[str, set[str]] = {}
        for code, council in self._councils.items():
            for label in [council.name, *council.aliases]:
                if GSS.match(label.strip().upper()):
                    continue
                for form in initial_forms(short_key(label)):
                    short.setdefault(form, set()).add(code)
            for acronym in acronyms(short_key(council.name), council.type,
                                    council.id in self._royal):
                by_acronym.setdefault(acronym, set()).add(code)
        for area, members in tables.areas.items():  # "T&W" could be Tyne and Wear as well
            for form in initial_forms(short_key(area)):
                short.setdefault(form, set()).update(c for c in members if c in self._councils)
        self._short = {k: self._prefer_current(v) for k, v in short.items() if v}
        self._acronyms = {k: self._prefer_current(v) for k, v in by_acronym.items()}
        self._keys = list(self._exact)
        self._key_tokens = [k.split() for k in self._keys]

    # ------------------------------------------------------------------ public

    def resolve(self, query: str) -> Resolution:
        text = (query or "").strip()
        code = self._by_code.get(text.upper())
        if code is not None:
            return self._answer(query, code, 100.0, [])
        if GSS.match(text.upper()):
            return self._none(query, 0.0, [])
        literal = self._literal.get(words(text))
        if literal is not None:
            return self._answer(query, literal, 100.0, [])
        key = normalise(text)
        if not key:
            return self._none(query, 0.0, [])
        hits = self._exact.get(key)
        if hits is None and key in self._areas:
            hits = self._areas[key]  # all of them: every one is as likely
        raw = short_key(text)
        if hits is None:
            hits = self._short.get(raw)
        if hits is None and looks_like_acronym(text, raw):
            hits = self._acronyms.get(raw.replace(" ", ""))
        if hits is not None:
            if len(hits) == 1:
                return self._answer(query, hits[0], 100.0, [])
            chosen = self._designated(text, hits)
            if chosen is not None:
                return self._answer(query, chosen, 100.0, [])
            return self._none(query, 100.0, [(c, 100.0) for c in hits], max(len(hits), 1))
        return self._fuzzy(query, key)

    def resolve_many(self, queries: Iterable[str]) -> list[Resolution]:
        return [self.resolve(q) for q in queries]

    def __contains__(self, code: str) -> bool:
        return code in self._councils

    # ------------------------------------------------------------------ internals

    def _current_successors(self, code: str) -> list[str]:
        """Current councils an abolished council's area now belongs to, following chains."""
        out: list[str] = []
        seen: set[str] = set()
        stack = list(reversed(self._councils[code].successors))
        while stack:
            nxt = stack.pop()
            if nxt in seen:
                continue
            seen.add(nxt)
            council = self._councils.get(nxt)
            if council is None or council.status == "current":
                out.append(nxt)
            else:
                stack.extend(reversed(council.successors))
        return out

    def _prefer_current(self, codes: set[str]) -> tuple[str, ...]:
        """Codes one label stands for, without predecessors of current councils among them."""
        current = {c for c in codes if self._councils[c].status == "current"}
        return tuple(sorted(c for c in codes if c in current or not current
                            or not set(self._successors[c]) <= current))

    def _designated(self, text: str, codes: Iterable[str]) -> str | None:
        """The one council among `codes` of the kind the query's designation names ("Royal
        Borough of Kingston", "Kingston LB"), or None."""
        low = words(text, expand=False)
        for pattern, kind in _DESIGNATIONS:
            if not pattern.search(low):
                continue
            if kind == "royal":
                fits = [c for c in codes if c in self._royal]
            else:
                fits = [c for c in codes if self._councils[c].type == kind]
            if len(fits) == 1:
                return fits[0]
        return None

    def _related(self, a: str, b: str) -> bool:
        return a in self._successors[b] or b in self._successors[a]

    def _fuzzy(self, query: str, key: str) -> Resolution:
        q_tokens = key.split()
        if only_vague_words(q_tokens):
            return self._none(query, 0.0, [])  # "West and", "North": nothing to go on
        pool: set[int] = set()
        for scorer in (fuzz.ratio, fuzz.token_set_ratio):
            for _, _, idx in process.extract(
                key, self._keys, scorer=scorer, processor=None, limit=25, score_cutoff=40
            ):
                pool.add(idx)
        best: dict[str, float] = {}
        for idx in pool:
            similarity = score(key, q_tokens, self._keys[idx], self._key_tokens[idx])
            for code in self._exact[self._keys[idx]]:
                if similarity > best.get(code, -1.0):
                    best[code] = similarity
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked:
            return self._none(query, 0.0, [])
        top_code, top_score = ranked[0]
        rivals = [(c, s) for c, s in ranked[1:] if not self._related(top_code, c)]
        runner_up = rivals[0][1] if rivals else 0.0
        shown = [(c, s) for c, s in ranked if s >= ALTERNATIVE_FLOOR]
        if top_score >= THRESHOLD and top_score - runner_up >= MARGIN:
            return self._answer(query, top_code, top_score, shown[1:])
        return self._none(query, top_score, shown)

    def _alternatives(self, scored: list[tuple[str, float]], limit: int) -> list[Alternative]:
        return [
            Alternative(code=c, name=self._councils[c].name, score=round(s, 1))
            for c, s in scored[:limit]
        ]

    def _answer(
        self, query: str, code: str, score: float, others: list[tuple[str, float]]
    ) -> Resolution:
        council = self._councils[code]
        return Resolution(
            query=query,
            code=code,
            name=council.name,
            score=round(score, 1),
            status=council.status,
            successors=list(self._successors[code]) if council.status == "abolished" else [],
            alternatives=self._alternatives(others, MAX_ALTERNATIVES),
        )

    def _none(
        self,
        query: str,
        score: float,
        others: list[tuple[str, float]],
        limit: int = MAX_ALTERNATIVES,
    ) -> Resolution:
        return Resolution(
            query=query,
            code=None,
            name=None,
            score=round(score, 1),
            status=None,
            successors=[],
            alternatives=self._alternatives(others, limit),
        )
