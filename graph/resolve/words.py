"""Council names reduced to comparable words: lower-case, unaccented, abbreviations expanded,
generic words ("Borough Council", "LB", "Children's Services") dropped; and the short forms
officers write (initials "K&C", acronyms "NYCC").

The word lists here are the normaliser's grammar, not facts about particular councils; the
tables that name councils (areas, royal boroughs) are seed data (`graph.resolve.tables`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

GSS = re.compile(r"^[EWSN]\d{8}$")

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
QUALIFIERS = {"north", "south", "east", "west", "central", "mid", "greater", "new", "city"}
# Words too common to identify a council on their own.
WEAK = {"and", "of", "upon", "on", "with", "in", "saint", "under", "county", "city", "borough"}

# Words that join the parts of a name; they are kept, not shortened, in "K&C"-style initials.
_JOINERS = {"and", "of", "upon", "on", "with", "in", "under", "the"}


def words(text: str, expand: bool = True) -> str:
    """Lower-case, unaccented words, `&` -> and, abbreviations expanded; nothing dropped."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ").replace("'", "").replace("\u2019", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    if not expand:
        return " ".join(text.split())
    out = []
    for word in text.split():
        out.extend(_ABBREVIATIONS.get(word, word).split())
    return " ".join(out)


def strip_generic(text: str) -> str:
    """Generic words dropped from already-lowered words (see `normalise`)."""
    # The City of London is the one council whose "City of" is its name.
    text = re.sub(r"\b(?:city|corporation) of london\b", "cityoflondon", text)
    stripped = _NOISE_RE.sub(" ", text).split()
    while len(stripped) > 1 and stripped[-1] in _TRAILING:
        stripped.pop()
    text = " ".join(stripped) if stripped else " ".join(text.split())
    return text.replace("cityoflondon", "city of london")


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
    return strip_generic(words(text))


def short_key(text: str) -> str:
    """A name's words unexpanded, generic words dropped: the form initials and acronyms use
    (a "W" in "W&M" is Windsor, not west)."""
    return strip_generic(words(text, expand=False))


def initial_forms(key: str) -> set[str]:
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


def acronyms(key: str, council_type: str, royal: bool) -> set[str]:
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
        if council_type == "london_borough":
            out.add("lb" + base)
        if council_type == "metropolitan_district":
            out |= {base + "mbc", base + "mdc"}
        if royal:
            out.add("rb" + base)
    return {a for a in out if len(a) >= 3}


def looks_like_acronym(text: str, raw: str) -> bool:
    """One short word typed in capitals ("NYCC", "LBI") or with no vowels ("nycc")."""
    word = text.strip()
    if " " in raw or not 3 <= len(raw) <= 7 or not raw.isalpha():
        return False
    return word.isupper() or sum(ch.isupper() for ch in word) >= 2 or not set(raw) & set("aeiou")


def only_vague_words(tokens: Collection[str]) -> bool:
    """Whether a name is nothing but joiners and qualifiers ("West and", "North")."""
    return all(t in WEAK or t in QUALIFIERS for t in tokens)
