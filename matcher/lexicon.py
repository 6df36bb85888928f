"""A small domain lexicon and the text normalisation every matcher module shares.

This is general children's social care vocabulary (abbreviations people type, British and
American spellings, irregular word families), not a list of expected queries. Theme synonyms
live in `seed_data/themes.yaml`; this module only helps a query reach them.

>>> tokens("Retaining experienced SWs")
['retention', 'experienc', 'sws', 'social', 'work']
>>> tokens("organization") == tokens("organisations")
True
>>> expand("MASH and LAC")
'mash multi agency safeguarding hub front door and lac looked after children'
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

from graph.roles import Role

STOPWORDS = frozenset(
    """a an the and or of to in on for with by at from as into onto about over under via
    how do does did we our ours us i me my you your they them their there here is are was
    were be been being can could should would will shall may might must what which who whom
    whose why when where that this these those it its any some all other such than then so
    if but not no nor also just get got have has had make made use using used help helps
    way ways good best more most much many very well up out off our's e.g eg etc like
    council councils borough county city metropolitan district london royal authority la
    las please find show tell looking want need needs getting gets gotten happens happen
    happened anyone anybody someone somebody else who's whos come comes coming came""".split()
)
"""Words that carry no meaning for matching.

Council words ('council', 'borough') are stop words because every council's name carries one;
'help' is one because people ask for help with everything (but 'early help' is caught as a
theme phrase before stop words are dropped).
"""

# Abbreviations, lowercase. Values are expansions appended to the query (the abbreviation is
# kept too, so a theme synonym written as the abbreviation still matches).
ABBREVIATIONS: dict[str, str] = {
    "sw": "social worker",
    "sws": "social workers",
    "nqsw": "newly qualified social worker",
    "nqsws": "newly qualified social workers",
    "asye": "assessed and supported year in employment",
    "ayse": "assessed and supported year in employment",
    "lac": "looked after children",
    "cla": "children looked after",
    "cic": "children in care",
    "cin": "children in need",
    "cp": "child protection",
    "cpp": "child protection plan",
    "mash": "multi agency safeguarding hub front door",
    "eh": "early help",
    "caf": "common assessment framework early help",
    "taf": "team around the family",
    "ad": "assistant director",
    "ads": "assistant directors",
    "dcs": "director of children's services",
    "dcss": "directors of children's services",
    "adcs": "association of directors of children's services",
    "lm": "lead member",
    "ce": "chief executive",
    "ceo": "chief executive",
    "exec": "executive",
    "execs": "executives",
    "sli": "sector led improvement",
    "sos": "signs of safety",
    "cea": "critical event audit",
    "ceas": "critical event audits",
    "dwc": "doing what counts",
    "mwm": "measuring what matters",
    "cse": "child sexual exploitation",
    "cce": "child criminal exploitation",
    "uasc": "unaccompanied asylum seeking children",
    "camhs": "child and adolescent mental health services",
    "cahms": "child and adolescent mental health services",
    "lscb": "local safeguarding children board",
    "scr": "serious case review",
    "iro": "independent reviewing officer",
    "sgo": "special guardianship order",
    "yot": "youth offending team",
    "send": "special educational needs and disabilities",
    "sen": "special educational needs",
    "ehcp": "education health and care plan",
    "cyp": "children and young people",
    "yp": "young people",
    "vcs": "voluntary and community sector",
    "vcse": "voluntary community and social enterprise sector",
    "ulo": "user led organisation",
    "dpo": "disabled people's organisation",
    "cil": "centre for independent living",
    "rip": "research in practice",
    "lga": "local government association",
    "riia": "regional improvement and innovation alliance",
    "pip": "partners in practice",
    "hr": "human resources workforce",
    "od": "organisational development",
    "cpd": "continuing professional development",
    "l&d": "learning and development",
    "kpi": "key performance indicators",
    "kpis": "key performance indicators",
    "qa": "quality assurance",
    "mi": "motivational interviewing",
    "tm": "team manager",
    "tms": "team managers",
    "hos": "head of service",
    "ofsted": "inspection",
    "ilacs": "inspection of local authority children's services",
    "jtai": "joint targeted area inspection",
    "da": "domestic abuse",
    "dv": "domestic violence",
    "sm": "substance misuse",
    "mh": "mental health",
    "chat": "children's services analysis tool",
    "dfe": "department for education",
    "psw": "principal social worker practice lead",
    "psws": "principal social workers practice leads",
    "cllr": "councillor",
    "cllrs": "councillors",
    "slt": "senior leadership team",
    "smt": "senior management team",
    "fgc": "family group conference",
    "lado": "local authority designated officer",
    "csc": "children's social care",
    "ssd": "social services department",
    "vols": "volunteers",
    "lgr": "local government reorganisation",
    "sofs": "signs of safety",
    "ifd": "integrated front door",
    "r&r": "recruitment and retention",
    "nw": "north west",
    "ne": "north east",
    "cwd": "children with disabilities",
    "ri": "requires improvement",
    "rca": "root cause analysis",
    # a charity's governing board is its trustees
    "trustee": "board member",
    "trustees": "board members",
}

AMBIGUOUS = frozenset({"send", "it", "ad", "ce", "ri", "cp", "eh", "lm", "da", "sm", "mi", "chat",
                       "tm", "od", "hr", "sen", "rip", "pip", "exec"})
"""Abbreviations that are also ordinary words: expanded only when typed in capitals."""

SPELLINGS: dict[str, str] = {
    "program": "programme",
    "programs": "programmes",
    "center": "centre",
    "centers": "centres",
    "behavior": "behaviour",
    "behaviors": "behaviours",
    "judgment": "judgement",
    "judgments": "judgements",
    "practise": "practice",
    "practising": "practice",
    "practicing": "practice",
    "practised": "practice",
    "labor": "labour",
    "favor": "favour",
    "neighbor": "neighbour",
    "neighbors": "neighbours",
    "counselor": "counsellor",
    "councilor": "councillor",
    "councilors": "councillors",
    "defense": "defence",
    "offense": "offence",
    "licence": "license",
    "fulfill": "fulfil",
    "enrollment": "enrolment",
    "modeling": "modelling",
    "traveling": "travelling",
    "analyze": "analyse",
    "catalog": "catalogue",
    "dialog": "dialogue",
    "pediatric": "paediatric",
}

IRREGULAR: dict[str, str] = {
    # word families a suffix stripper cannot join
    "children": "child",
    "childrens": "child",
    "retain": "retention",
    "retains": "retention",
    "retaining": "retention",
    "retained": "retention",
    "scrutinise": "scrutiny",
    "scrutinize": "scrutiny",
    "scrutinising": "scrutiny",
    "scrutinizing": "scrutiny",
    "scrutinised": "scrutiny",
    "people": "person",
    "peoples": "person",
    "women": "woman",
    "men": "man",
    "analyses": "analysis",
    "analysing": "analysis",
    "analyse": "analysis",
    "analyzing": "analysis",
    "disabled": "disability",
    "disabilities": "disability",
    "volunteering": "volunteer",
    "inspected": "inspection",
    "inspect": "inspection",
    "motivate": "motivation",
    "motivating": "motivation",
    "motivational": "motivation",
    "motivated": "motivation",
    "recruiting": "recruitment",
    "recruit": "recruitment",
    "recruited": "recruitment",
    "evaluate": "evaluation",
    "evaluating": "evaluation",
    "evaluations": "evaluation",
    "participate": "participation",
    "participating": "participation",
    "involve": "involvement",
    "involving": "involvement",
    "involved": "involvement",
    "supervise": "supervision",
    "supervising": "supervision",
    "supervisors": "supervision",
    "supervisor": "supervision",
    "safeguard": "safeguarding",
    "managers": "manager",
    "management": "manager",
    "managing": "manager",
    "manage": "manager",
    "led": "lead",
    "leading": "lead",
    "leaders": "lead",
    "leader": "lead",
    "audits": "audit",
    "auditing": "audit",
    "audited": "audit",
    "measure": "measurement",
    "measuring": "measurement",
    "measures": "measurement",
    "keeping": "keep",
    "kept": "keep",
    "kids": "child",
    "kid": "child",
    "worker": "work",  # 'social worker' and 'social work' are one family
    "workers": "work",
}
_FAMILY_STEMS = frozenset(IRREGULAR.values())

_WORD = re.compile(r"[a-z0-9]+(?:&[a-z0-9]+)?")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-"})


_US_ENDINGS = re.compile(r"iz(e|es|ed|ing|er|ers|ation|ations|ational)$")
_SNOWBALL = Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a word, after British spelling and the word families
    Snowball cannot join ('children' -> 'child', 'retaining' -> 'retention').

    >>> [stem(w) for w in ("services", "service", "workers", "planning", "retention")]
    ['servic', 'servic', 'work', 'plan', 'retention']
    >>> stem("organizational") == stem("organisational"), stem("caring") == stem("care")
    (True, True)
    """
    w = SPELLINGS.get(word, word)
    w = IRREGULAR.get(w, w)
    if w in _FAMILY_STEMS or len(w) <= 3:
        return w
    w = _US_ENDINGS.sub(r"is\1", w)
    return _SNOWBALL.stemWord(w)


IDIOMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bget(?:ting|s)? (?:services |practice )?to good\b"), "gettingtogood"),
)
"""Set phrases made of stop words, joined into one word so they survive as a term."""


def words(text: str) -> list[str]:
    """Lowercase words of a text, with apostrophes and hyphens handled.

    >>> words("Children's multi-agency front door (MASH)")
    ['children', 'multi', 'agency', 'front', 'door', 'mash']
    >>> words("Getting-to-good events")
    ['gettingtogood', 'events']
    """
    text = text.translate(_QUOTES).lower()
    text = re.sub(r"'s\b", "", text).replace("'", "")
    found = _WORD.findall(text)
    if "good" not in found:  # every idiom so far ends in 'good': skip the joins cheaply
        return found
    joined = " ".join(found)
    for pattern, word in IDIOMS:
        joined = pattern.sub(word, joined)
    return joined.split()


def expand(text: str) -> str:
    """Add the expansion after each abbreviation a text uses (keeping the abbreviation).

    Abbreviations that are also ordinary words ('send', 'AD') expand only in capitals.
    """
    out: list[str] = []
    for raw in re.findall(r"[A-Za-z0-9&'\u2019]+", text.translate(_QUOTES)):
        low = raw.lower().replace("'", "")
        base = low[:-1] if low.endswith("s") and low[:-1] in ABBREVIATIONS else low
        exp = ABBREVIATIONS.get(low) or ABBREVIATIONS.get(base)
        upper = raw.rstrip("s").isupper()
        out.append(low)
        if exp and (low not in AMBIGUOUS or upper) and (base not in AMBIGUOUS or upper):
            out.append(exp)
    return " ".join(out)


def tokens(text: str, *, expand_abbreviations: bool = True) -> list[str]:
    """Normalised content stems of a text: expanded, lowercased, stop words dropped, stemmed."""
    if expand_abbreviations:
        text = expand(text)
    out = []
    for w in words(text):
        if w in STOPWORDS:
            continue
        if len(w) < 2 and not w.isdigit():
            continue
        out.append(stem(w))
    return out


# ---------------------------------------------------------------- roles

ROLES: dict[str, tuple[str, ...]] = {role.value: role.spellings for role in Role}
"""Canonical role -> the ways people write it. `SupportOffer.roles` hold canonical roles."""


def canonical_role(text: str) -> str | None:
    """The canonical role a loose description names, or None.

    >>> canonical_role("Lead Member"), canonical_role("chief exec"), canonical_role("AD")
    ('lead_member', 'chief_executive', 'ad')
    """
    low = " ".join(words(text.replace("_", " ").replace("-", " ")))
    if not low:
        return None
    for role, spellings in ROLES.items():
        if low == role.replace("_", " ") or low in spellings:
            return role
    for role, spellings in ROLES.items():  # a longer phrase containing a spelling
        if any(len(s) > 3 and s in low for s in spellings):
            return role
    return None


def in_order(phrase: tuple[str, ...], window: list[str]) -> bool:
    """Whether a phrase's stems stand in `window` in the phrase's own order, other words
    allowed between: 'team managers' is not a 'management team', nor 'children's centres'
    'child-centred'."""
    it = iter(window)
    return all(any(w == s for w in it) for s in phrase)
