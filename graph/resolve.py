"""Resolve council names as people write them to ONS GSS codes.

"Notts CC", "LB Hammersmith and Fulham", "Kingston upon Hull, City of", "Lancashre" and
"E06000010" all name a council; "Kingston" names two and "Gotham City Council" none. The
resolver answers with one council only when it is confident: a wrong council is worse than
none, so a weak or ambiguous match returns `code=None` with the candidates as `alternatives`.

Order of evaluation: a GSS code; an exact hit on a normalised name or alias; a named area
that spans several councils ("Cheshire", "Greater Manchester"); a name with words shortened to
initials ("K&C", "Cheshire W&C") or an acronym of the council's name ("NYCC", "LBI"); then fuzzy
matching (rapidfuzz) with a score threshold and a margin over the runner-up. When a name fits
several councils, a designation the query used ("Royal Borough of", "LB", "MBC") picks the one
of that kind, if only one is. An abolished council resolves to its own historic record,
`status='abolished'`, with its current successors.

>>> from graph.schema import Council
>>> r = Resolver([
...     Council(id="E10000017", name="Lancashire", type="county", region="E12000002",
...             aliases=["Lancs"]),
...     Council(id="E06000010", name="Kingston upon Hull, City of", type="unitary",
...             region="E12000003", aliases=["Hull"]),
...     Council(id="E09000021", name="Kingston upon Thames", type="london_borough",
...             region="E12000007"),
... ])
>>> r.resolve("Lancs County Council").code
'E10000017'
>>> r.resolve("Lancashre").code
'E10000017'
>>> r.resolve("Hull City Council").name
'Kingston upon Hull, City of'
>>> res = r.resolve("Kingston")
>>> res.code is None, sorted(a.code for a in res.alternatives)
(True, ['E06000010', 'E09000021'])
>>> r.resolve("Gotham City Council").code is None
True
>>> r.resolve("Royal Borough of Kingston").code
'E09000021'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from rapidfuzz import fuzz, process

from graph.schema import Council

__all__ = ["Alternative", "Resolution", "Resolver", "normalise"]

# A fuzzy match is accepted only at or above THRESHOLD and MARGIN points clear of the best
# unrelated council.
THRESHOLD = 88.0
MARGIN = 6.0
MIN_FUZZY_LEN = 7  # shorter words match only exactly: one edit makes another word
MAX_ALTERNATIVES = 5
ALTERNATIVE_FLOOR = 55.0  # weaker candidates are not worth showing
# The commonest typo in a name of any length is a doubled letter typed once or twice; when that
# is the only difference the match is safe even for short names.
DOUBLED_SCORE = 95.0
_DOUBLED = re.compile(r"(.)\1+")

_GSS = re.compile(r"^[EWSN]\d{8}$")

# Whole-word phrases that say what kind of body a name is, not which one. Longest first.
_NOISE = sorted(
    [
        "metropolitan borough council", "metropolitan district council", "metropolitan borough of",
        "county borough council", "borough council", "city council", "county council",
        "district council", "unitary authority", "unitary council", "london borough of",
        "royal borough of", "borough of", "city of", "county of", "council of", "council",
        "metropolitan district", "metropolitan borough", "corporation", "mbc", "mdc", "lbc",
        "cc", "bc", "dc", "lb", "rb", "ua", "the",
        "childrens services", "children s services", "childrens social care",
        "children and families", "local authority",
        "childrens trust", "children s trust", "childrens services trust",
        "children s services trust", "social services", "social care",
        "children and young peoples services", "children young people and families",
        "directorate", "department",
    ],
    key=lambda p: -len(p),
)  # fmt: skip
_NOISE_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in _NOISE) + r")\b")
# Trailing words dropped when something is left ("Leeds City", "Wirral Borough").
_TRAILING = {"city", "borough", "county"}

# Token abbreviations expanded before lookup, so "NE Lincs" meets "North East Lincolnshire".
_ABBREVIATIONS = {
    "st": "saint", "n": "north", "s": "south", "e": "east", "w": "west",
    "ne": "north east", "nw": "north west", "se": "south east", "sw": "south west",
    "lincs": "lincolnshire", "northants": "northamptonshire", "notts": "nottinghamshire",
    "herts": "hertfordshire", "lancs": "lancashire", "leics": "leicestershire",
    "glos": "gloucestershire", "gloucs": "gloucestershire", "bucks": "buckinghamshire",
    "cambs": "cambridgeshire", "hants": "hampshire", "staffs": "staffordshire",
    "derbys": "derbyshire", "wilts": "wiltshire", "worcs": "worcestershire",
    "warks": "warwickshire", "oxon": "oxfordshire", "shrops": "shropshire",
    "berks": "berkshire", "beds": "bedfordshire", "yorks": "yorkshire", "mids": "midlands",
    "co": "county",
}  # fmt: skip

# Words that make a name a different, smaller place: "Yorkshire" is not "North Yorkshire".
_QUALIFIERS = {"north", "south", "east", "west", "central", "mid", "greater", "new", "city"}
# Words too common to identify a council on their own.
_WEAK = {"and", "of", "upon", "on", "with", "in", "saint", "under", "county", "city", "borough"}

# Words that join the parts of a name; they are kept, not shortened, in "K&C"-style initials.
_JOINERS = {"and", "of", "upon", "on", "with", "in", "under", "the"}

# The royal boroughs, so "Royal Borough of Kingston" / "RB Kingston" is not Kingston upon Hull.
ROYAL_BOROUGHS = frozenset({"E09000011", "E09000020", "E09000021", "E06000040"})
# Designations in a query that say which kind of council it means: phrase -> test on a council.
_DESIGNATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:royal borough|rb|rbc)\b"), "royal"),
    (re.compile(r"\b(?:london borough|lb|lbc)\b"), "london_borough"),
    (re.compile(r"\b(?:metropolitan|mbc|mdc)\b"), "metropolitan_district"),
    (re.compile(r"\bcounty council\b"), "county"),
)

# Areas people name that span several councils (old counties, metropolitan counties): never
# one council, so they answer with the councils as alternatives.
AREAS: dict[str, tuple[str, ...]] = {
    "kingston": ("E06000010", "E09000021"),
    "cheshire": ("E06000049", "E06000050"),
    "bedfordshire": ("E06000055", "E06000056", "E06000032"),
    "berkshire": ("E06000036", "E06000037", "E06000038", "E06000039", "E06000040", "E06000041"),
    "avon": ("E06000022", "E06000023", "E06000024", "E06000025"),
    "humberside": ("E06000010", "E06000011", "E06000012", "E06000013"),
    "cleveland": ("E06000001", "E06000002", "E06000003", "E06000004"),
    "teesside": ("E06000001", "E06000002", "E06000003", "E06000004"),
    "sussex": ("E10000011", "E10000032", "E06000043"),
    "tyneside": ("E08000021", "E08000022", "E08000023", "E08000037"),
    "tyne and wear": ("E08000021", "E08000022", "E08000023", "E08000024", "E08000037"),
    "merseyside": ("E08000011", "E08000012", "E08000013", "E08000014", "E08000015"),
    "south yorkshire": (  # Barnsley and Sheffield by their 2024 and their older codes
        "E08000038", "E08000016", "E08000017", "E08000018", "E08000039", "E08000019",
    ),
    "west yorkshire": ("E08000032", "E08000033", "E08000034", "E08000035", "E08000036"),
    "greater manchester": (
        "E08000001", "E08000002", "E08000003", "E08000004", "E08000005",
        "E08000006", "E08000007", "E08000008", "E08000009", "E08000010",
    ),
    "yorkshire": ("E06000065", "E06000011", "E06000014"),
    # regions and other wide areas: no council at all
    "london": (), "greater london": (), "inner london": (), "outer london": (),
    "england": (), "north east": (), "north west": (), "yorkshire and humber": (),
    "east midlands": (), "west midlands": (), "east of england": (), "south east": (),
    "south west": (), "home counties": (), "midlands": (), "the north": (),
}  # fmt: skip


def _words(text: str, expand: bool = True) -> str:
    """Lower-case, unaccented words, `&` -> and, abbreviations expanded; nothing dropped."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ").replace("'", "").replace("\u2019", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    if not expand:
        return " ".join(text.split())
    words = []
    for word in text.split():
        words.extend(_ABBREVIATIONS.get(word, word).split())
    return " ".join(words)


def _strip(text: str) -> str:
    """Generic words dropped from already-lowered words (see `normalise`)."""
    # The City of London is the one council whose "City of" is its name.
    text = re.sub(r"\b(?:city|corporation) of london\b", "cityoflondon", text)
    stripped = _NOISE_RE.sub(" ", text).split()
    while len(stripped) > 1 and stripped[-1] in _TRAILING:
        stripped.pop()
    text = " ".join(stripped) if stripped else " ".join(text.split())
    return text.replace("cityoflondon", "city of london")


def _initial_forms(key: str) -> set[str]:
    """A normalised, unexpanded name with one or more of its words cut to their initial:
    "kensington and chelsea" -> "k and c", "kensington and c", ... Names of one word give
    none (a lone letter names nothing)."""
    toks = key.split()
    strong = [i for i, t in enumerate(toks) if t not in _JOINERS and len(t) > 1]
    if len(strong) < 2 or len(strong) > 6:
        return set()
    out: set[str] = set()
    for mask in range(1, 1 << len(strong)):
        cut = {strong[b] for b in range(len(strong)) if mask >> b & 1}
        out.add(" ".join(t[0] if i in cut else t for i, t in enumerate(toks)))
    return out


def _acronyms(key: str, council: Council) -> set[str]:
    """How officers abbreviate a council's name: "North Yorkshire County Council" -> "nycc",
    "Brighton and Hove City Council" -> "bhcc", "London Borough of Islington" -> "lbi".

    One initial and "CC" is left out: "BCC" is Birmingham, Bristol and Bradford city councils
    as much as Buckinghamshire County Council, and the table cannot tell which are cities.
    """
    toks = key.split()
    core = "".join(t[0] for t in toks if t not in _JOINERS)
    with_and = "".join(t[0] for t in toks if t not in _JOINERS or t == "and")
    out: set[str] = set()
    for base in {core, with_and}:
        if len(base) >= 2:  # county or city council
            out.add(base + "cc")
        if len(base) >= 3:  # "NELC", "ERYC"; two letters and a "c" names too much ("NYC")
            out.add(base + "c")
        if council.type == "london_borough":
            out.add("lb" + base)
        if council.type == "metropolitan_district":
            out |= {base + "mbc", base + "mdc"}
        if council.id in ROYAL_BOROUGHS:
            out.add("rb" + base)
    return {a for a in out if len(a) >= 3}


def _looks_like_acronym(text: str, raw: str) -> bool:
    """One short word typed in capitals ("NYCC", "LBI") or with no vowels ("nycc")."""
    word = text.strip()
    if " " in raw or not 3 <= len(raw) <= 7 or not raw.isalpha():
        return False
    return word.isupper() or sum(ch.isupper() for ch in word) >= 2 or not set(raw) & set("aeiou")


def normalise(text: str) -> str:
    """Lower-case, unaccented, `&` -> and, abbreviations expanded, generic words dropped.

    >>> normalise("Kingston upon Hull, City of")
    'kingston upon hull'
    >>> normalise("St. Helens MBC")
    'saint helens'
    >>> normalise("City of London Corporation")
    'city of london'
    >>> normalise("LB Hammersmith & Fulham")
    'hammersmith and fulham'
    """
    return _strip(_words(text))


def _qualified(tokens: list[str], matched: set[int]) -> bool:
    """Whether a qualifier the query left out sits in the same part of the name as a word it
    matched: "north" in "north yorkshire", "city" in "city of london", but not "west" in
    "cheshire west and chester" for "Chester" ("and" and "with" join separate places)."""
    segment: list[int] = []
    for i, tok in enumerate([*tokens, "and"]):
        if tok in ("and", "with"):
            if segment and matched & set(segment):
                if any(tokens[j] in _QUALIFIERS and j not in matched for j in segment):
                    return True
            segment = []
        else:
            segment.append(i)
    return False


@dataclass(frozen=True)
class Alternative:
    code: str
    name: str
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "score": self.score}


@dataclass(frozen=True)
class Resolution:
    """What a name resolved to. `code is None` means no confident match."""

    query: str
    code: str | None
    name: str | None
    score: float
    status: Literal["current", "abolished"] | None
    successors: list[str] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)

    @property
    def current_codes(self) -> list[str]:
        """The current council(s) this answer stands for: itself, or its successors."""
        if self.code is None:
            return []
        return list(self.successors) if self.status == "abolished" else [self.code]

    def alternatives_text(self, limit: int = 3) -> str:
        """The closest councils as a person reads them: `Name (CODE), ...` ('' if none)."""
        return ", ".join(f"{a.name} ({a.code})" for a in self.alternatives[:limit])

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "code": self.code,
            "name": self.name,
            "score": self.score,
            "status": self.status,
            "successors": list(self.successors),
            "alternatives": [a.to_json() for a in self.alternatives],
        }

    model_dump = to_json


class Resolver:
    """Resolve council names to GSS codes. Build once; `resolve` is cheap."""

    def __init__(self, councils: Iterable[Council]) -> None:
        self._councils: dict[str, Council] = {c.id: c for c in councils}
        self._successors = {code: self._current_successors(code) for code in self._councils}
        self._by_code: dict[str, str] = {code.upper(): code for code in self._councils}
        keys: dict[str, set[str]] = {}
        for code, council in self._councils.items():
            for label in [council.name, *council.aliases]:
                if _GSS.match(label.strip().upper()):
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
                    if normalise(label) == key and _words(label) != key:
                        self._literal[_words(label)] = code
        self._areas = {
            normalise(k): tuple(c for c in v if c in self._councils) for k, v in AREAS.items()
        }
        # Names with words cut to initials, and acronyms of names, on unexpanded words (a "W"
        # in "W&M" is Windsor, not west).
        short: dict[str, set[str]] = {}
        acronyms: dict[str, set[str]] = {}
        for code, council in self._councils.items():
            for label in [council.name, *council.aliases]:
                if _GSS.match(label.strip().upper()):
                    continue
                raw = _strip(_words(label, expand=False))
                for form in _initial_forms(raw):
                    short.setdefault(form, set()).add(code)
            for acronym in _acronyms(_strip(_words(council.name, expand=False)), council):
                acronyms.setdefault(acronym, set()).add(code)
        for area, members in AREAS.items():  # "T&W" could be Tyne and Wear as well
            for form in _initial_forms(_strip(_words(area, expand=False))):
                short.setdefault(form, set()).update(c for c in members if c in self._councils)
        self._short = {k: self._prefer_current(v) for k, v in short.items() if v}
        self._acronyms = {k: self._prefer_current(v) for k, v in acronyms.items()}
        self._keys = list(self._exact)
        self._key_tokens = [k.split() for k in self._keys]

    # ------------------------------------------------------------------ public

    def resolve(self, query: str) -> Resolution:
        text = (query or "").strip()
        code = self._by_code.get(text.upper())
        if code is not None:
            return self._answer(query, code, 100.0, [])
        if _GSS.match(text.upper()):
            return self._none(query, 0.0, [])
        literal = self._literal.get(_words(text))
        if literal is not None:
            return self._answer(query, literal, 100.0, [])
        key = normalise(text)
        if not key:
            return self._none(query, 0.0, [])
        hits = self._exact.get(key)
        if hits is None and key in self._areas:
            hits = self._areas[key]  # all of them: every one is as likely
        raw = _strip(_words(text, expand=False))
        if hits is None:
            hits = self._short.get(raw)
        if hits is None and _looks_like_acronym(text, raw):
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
        low = _words(text, expand=False)
        for pattern, kind in _DESIGNATIONS:
            if not pattern.search(low):
                continue
            if kind == "royal":
                fits = [c for c in codes if c in ROYAL_BOROUGHS]
            else:
                fits = [c for c in codes if self._councils[c].type == kind]
            if len(fits) == 1:
                return fits[0]
        return None

    def _related(self, a: str, b: str) -> bool:
        return a in self._successors[b] or b in self._successors[a]

    def _fuzzy(self, query: str, key: str) -> Resolution:
        q_tokens = key.split()
        if all(t in _WEAK or t in _QUALIFIERS for t in q_tokens):
            return self._none(query, 0.0, [])  # "West and", "North": nothing to go on
        pool: set[int] = set()
        for scorer in (fuzz.ratio, fuzz.token_set_ratio):
            for _, _, idx in process.extract(
                key, self._keys, scorer=scorer, processor=None, limit=25, score_cutoff=40
            ):
                pool.add(idx)
        best: dict[str, float] = {}
        for idx in pool:
            score = self._score(key, q_tokens, self._keys[idx], self._key_tokens[idx])
            for code in self._exact[self._keys[idx]]:
                if score > best.get(code, -1.0):
                    best[code] = score
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

    @staticmethod
    def _score(key: str, q_tokens: list[str], cand: str, c_tokens: list[str]) -> float:
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
        strong = [t for t in q_tokens if t not in _WEAK and t not in _QUALIFIERS]
        if not strong or len(q_tokens) >= len(c_tokens):
            return round(whole, 1)
        used: set[int] = set()
        total = weight = 0.0
        for tok in q_tokens:
            s, i = max((fuzz.ratio(tok, c), i) for i, c in enumerate(c_tokens) if i not in used)
            if s < 80 or tok[0] != c_tokens[i][0] or (s < 100 and len(tok) < MIN_FUZZY_LEN):
                return round(whole, 1)
            used.add(i)
            if tok in _WEAK:
                continue
            total += s * len(tok)
            weight += len(tok)
        partial = 0.95 * total / weight
        if sum(len(t) for t in strong) < 6 or _qualified(c_tokens, used):
            partial = min(partial, THRESHOLD - 1)
        return round(max(whole, partial), 1)

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
