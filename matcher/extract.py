"""Reading a document's text for what it names and what it says about whom.

Pure: text and a graph snapshot in, `Extraction` out (no files, no writes). A person reviews
the proposed claims before any is written (`graph.ingest`).

- **Mentions** are the councils (by GSS code; an old name stands for its current successors),
  organisations, networks and themes a text names, with character offsets.
- **Claims** are what a sentence says about a council or organisation: a challenge ("wants
  help with", "is struggling with"), practice ("has set up"), impact ("has lifted retention"),
  participation ("took part", "shared their stories") or offer ("offered to share"), each on a
  theme (found from the taxonomy's names and synonyms, so paraphrase counts) or a network,
  resting on one sentence. A venue or an apology is a mention and no claim.
- A table whose header names themes and whose cells list councils (a workshop's "priorities
  by theme") says each listed council is working on its column's theme and shared its learning
  there: challenge and participation.

>>> from graph.schema import Council, Region, Theme
>>> kg = KnowledgeGraph([Region(id="E12000002", name="North West"),
...     Council(id="E06000006", name="Halton", type="unitary", region="E12000002"),
...     Theme(id="system", name="System"),
...     Theme(id="system.front-door", name="Integrated front door", parent="system")])
>>> ex = extract("Halton offered to share its integrated front door model.", kg)
>>> [(m.kind, m.id) for m in ex.mentions]
[('council', 'E06000006'), ('theme', 'system.front-door')]
>>> [(c.subject, c.kind, c.target) for c in ex.claims]
[('E06000006', 'offer', 'system.front-door')]
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import ClassVar

from graph.knowledge import KnowledgeGraph
from graph.resolve import Resolver, normalise
from graph.schema import EvidenceKind, NodeKind
from matcher import lexicon
from matcher.search import SearchIndex

E = EvidenceKind

# Cue phrases for each kind of claim, tried on the part of a sentence that belongs to one
# council or organisation. Written as patterns over lower-case text.
CUES: tuple[tuple[EvidenceKind, float, re.Pattern[str]], ...] = tuple(
    (kind, conf, re.compile(pattern)) for kind, conf, pattern in (
        (E.OFFER, 0.85, r"\b(?:offer(?:ed|s)? to (?:share|host|support|help|mentor)|"
                        r"(?:can|could|will|would be happy to|is happy to|are happy to|"
                        r"happy to|willing to) (?:share|offer|host)|offered)\b"),
        (E.CHALLENGE, 0.8, r"\b(?:wants? (?:help|support)|want(?:ed)? help|"
                           r"asked for (?:help|support|advice)|struggl\w*|"
                           r"(?:is|are|was|were) (?:still )?working on|"
                           r"(?:needs?|seeking|seeks|sought) (?:help|support|advice)|"
                           r"concerned about|worried about|priorit(?:y|ies)|grappling)\b"),
        (E.IMPACT, 0.8, r"\b(?:(?:has|have|had) (?:lifted|cut|reduced|halved|increased|"
                        r"improved|raised|lowered|stabilised|stabilized|doubled|turned round)|"
                        r"now manageable|resulted in|led to (?:a )?(?:fall|rise|drop)|"
                        r"\d+ ?(?:%|per ?cent))"),
        (E.PRACTICE, 0.7, r"\b(?:(?:has|have|had) (?:developed|introduced|implemented|"
                          r"set up|established|built|rebuilt|created|launched|piloted|"
                          r"redesigned|embedded|adopted|been implementing|run|been running)|"
                          r"developed|introduced|implemented|implementing|set up|established|"
                          r"rebuilt|launched|piloted|embedding|undertaking|"
                          r"described how|co-locat\w+|harness\w+|re-?thinking|"
                          r"put together|moving them|runs|is running)\b"),
        (E.PARTICIPATION, 0.7, r"\b(?:took part|take part|taking part|participated|"
                               r"attended|presented|shared (?:their|its|his|her)? ?"
                               r"(?:stories|story|learning|experiences?)|"
                               r"shared what (?:it|they) (?:had )?learn\w*)\b"),
    )
)
# A sentence about where a meeting was held or who sent apologies says nothing of strength.
NO_CLAIM = re.compile(r"\b(?:apologies|held (?:at|in)|hosted (?:at|in)|took place (?:at|in)|"
                      r"venue)\b", re.I)
# Words that make a one-word council name an ordinary word at the start of a sentence.
COMMON_WORDS = frozenset({"reading", "bury", "sutton", "wakefield", "rutland"})
MIN_PHRASE_STEMS = 2
GENERIC_THEMES = 4
_JOIN = frozenset({"and", "with", "upon", "on", "of", "the", "in", "le", "under"})
_TOKEN = re.compile(r"[A-Za-z0-9&'’]+")
_SENT_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*[-*•#\d|])")
_PRONOUN_START = re.compile(r"^\s*(?:it|its|they|their|the council|the authority)\b", re.I)
_CELL_SPLIT = re.compile(r"\t|\s*\|\s*")


@dataclass(frozen=True)
class Mention:
    kind: str  # council | organisation | network | theme
    id: str
    text: str
    start: int
    end: int

    def to_json(self) -> dict:
        return {"kind": self.kind, "id": self.id, "text": self.text,
                "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Claim:
    subject: str
    kind: str  # an evidence kind
    target: str
    confidence: float
    start: int  # the sentence it rests on
    end: int
    text: str

    def to_json(self) -> dict:
        return {"subject": self.subject, "kind": self.kind, "target": self.target,
                "confidence": round(self.confidence, 2),
                "evidence": {"start": self.start, "end": self.end, "text": self.text}}


@dataclass(frozen=True)
class Extraction:
    mentions: tuple[Mention, ...]
    claims: tuple[Claim, ...]

    def to_json(self) -> dict:
        return {"mentions": [m.to_json() for m in self.mentions],
                "claims": [c.to_json() for c in self.claims]}


@dataclass(frozen=True)
class _Phrase:
    owner: str
    kind: str
    stems: frozenset[str]
    size: int


class Gazetteer:
    """The names a snapshot knows, ready to find in text. Built once per snapshot."""

    _cache: ClassVar[weakref.WeakKeyDictionary] = weakref.WeakKeyDictionary()

    @classmethod
    def for_graph(cls, kg: KnowledgeGraph) -> Gazetteer:
        found = cls._cache.get(kg)
        if found is None:
            found = cls._cache[kg] = cls(kg)
        return found

    def __init__(self, kg: KnowledgeGraph):
        self.kg = kg
        councils = kg.councils(status=None)
        self.resolver = Resolver(councils)
        self.council_keys: set[str] = set()
        for c in councils:
            for label in (c.name, *c.aliases):
                key = normalise(label)
                if key:
                    self.council_keys.add(key)
        self.max_council_words = max((len(k.split()) for k in self.council_keys), default=1) + 3
        # organisations and networks: long names case-insensitively, short ones as written
        self.names: list[tuple[re.Pattern[str], str, str]] = []
        for kind, label in ((NodeKind.ORGANISATION, "organisation"),
                            (NodeKind.NETWORK, "network")):
            for node in kg.nodes(kind):
                for text in {node.name, *node.aliases}:
                    words = text.split()
                    if len(words) == 1 and len(text) <= 3 and not text.isupper():
                        continue
                    flags = re.I if len(words) > 1 else 0
                    pattern = re.compile(r"(?<![\w-])" + re.escape(text).replace(r"\ ", r"[\s-]+")
                                         + r"(?![\w-])", flags)
                    self.names.append((pattern, label, node.id))
        # themes: every name and synonym the search index reads, as bags of stems
        index = SearchIndex.for_graph(kg)
        # A one-word phrase ('work', 'change', 'leadership') is too loose to say a text is
        # about a theme; two or more words close together are not.
        self.themes: list[_Phrase] = [
            _Phrase(ph.owner, "theme", frozenset(ph.stems), len(ph.stems))
            for ph in index.theme_phrases.phrases if len(set(ph.stems)) >= MIN_PHRASE_STEMS]
        owners: dict[str, set[str]] = {}
        for ph in self.themes:
            for st in ph.stems:
                owners.setdefault(st, set()).add(ph.owner)
        # words spread over many themes ('improvement', 'service', 'work') cannot carry a
        # phrase alone: a phrase needs one word that belongs to few themes
        generic = {st for st, o in owners.items() if len(o) >= GENERIC_THEMES}
        self.themes = [ph for ph in self.themes if ph.stems - generic]
        self.theme_by_stem: dict[str, list[int]] = {}
        for i, ph in enumerate(self.themes):
            for s in ph.stems:
                self.theme_by_stem.setdefault(s, []).append(i)


def extract(text: str, kg: KnowledgeGraph) -> Extraction:
    """Mentions and proposed claims in `text`, offsets into `text` itself."""
    gz = Gazetteer.for_graph(kg)
    mentions = _councils(text, gz) + _names(text, gz) + _themes(text, gz)
    mentions = _drop_overlaps(mentions)
    named = [m for m in mentions if m.kind != "theme"]
    mentions = [m for m in mentions if m.kind != "theme"
                or not any(n.start <= m.start and m.end <= n.end for n in named)]
    claims = _sentence_claims(text, mentions) + _table_claims(text, mentions, gz)
    seen: dict[tuple[str, str, str], Claim] = {}
    for c in claims:
        key = (c.subject, c.kind, c.target)
        if key not in seen or c.confidence > seen[key].confidence:
            seen[key] = c
    ordered = sorted(seen.values(), key=lambda c: (c.start, c.subject, c.kind, c.target))
    return Extraction(tuple(mentions), tuple(ordered))


# ---------------------------------------------------------------- mentions


def _councils(text: str, gz: Gazetteer) -> list[Mention]:
    """Runs of capitalised words (with joiners), read by the council resolver window by window,
    longest first."""
    out: list[Mention] = []
    words = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    i = 0
    while i < len(words):
        if not _is_cap(words[i][0]):
            i += 1
            continue
        j = i  # extend the run of capitalised words and joiners between them
        while j + 1 < len(words) and (_is_cap(words[j + 1][0]) or words[j + 1][0] in _JOIN) \
                and _same_line(text, words[j][2], words[j + 1][1]):
            j += 1
        k = i
        while k <= j:
            found = None
            for end in range(min(j, k + gz.max_council_words), k - 1, -1):
                if not _is_cap(words[end][0]):
                    continue
                span = text[words[k][1]:words[end][2]]
                hit = _resolve_span(span, gz, at_sentence_start=_starts_sentence(text, words[k][1]))
                if hit is not None:
                    found = (end, hit)
                    break
            if found is None:
                k += 1
                continue
            end, codes = found
            start, stop = words[k][1], words[end][2]
            out += [Mention("council", c, text[start:stop], start, stop) for c in codes]
            k = end + 1
        i = j + 1
    return out


def _resolve_span(span: str, gz: Gazetteer, at_sentence_start: bool) -> list[str] | None:
    """Current council codes a span names exactly (an area such as Greater Manchester names
    none and is consumed: []); None when the span is not a council name."""
    key = normalise(span)
    if not key:
        return None
    if at_sentence_start and key in COMMON_WORDS and " " not in span:
        return None
    res = gz.resolver.resolve(span)
    if res.code is None:
        return [] if res.score >= 100.0 and res.alternatives and len(span.split()) > 1 \
            and key not in gz.council_keys else None
    if key not in gz.council_keys and res.score < 100.0:
        return None
    if res.score < 100.0:
        return None
    return res.current_codes


def _is_cap(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word == "&")


def _same_line(text: str, a: int, b: int) -> bool:
    gap = text[a:b]
    return "\n" not in gap and "\t" not in gap and "|" not in gap and len(gap) <= 3 \
        and "." not in gap and ";" not in gap and "(" not in gap and ")" not in gap


def _starts_sentence(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \"'([*#")
    return not before or before[-1] in ".!?\n"


def _names(text: str, gz: Gazetteer) -> list[Mention]:
    out = []
    for pattern, kind, node_id in gz.names:
        for m in pattern.finditer(text):
            out.append(Mention(kind, node_id, m.group(), m.start(), m.end()))
    return out


def _themes(text: str, gz: Gazetteer) -> list[Mention]:
    """A theme is mentioned where all the stems of one of its phrases occur close together
    (within the phrase's length plus two words, in any order), sentence by sentence."""
    out: list[Mention] = []
    for s_start, s_end in _sentences(text):
        toks = _stem_tokens(text, s_start, s_end)
        stems = [t[0] for t in toks]
        for idx in sorted({k for s in stems for k in gz.theme_by_stem.get(s, ())}):
            ph = gz.themes[idx]
            width = ph.size + 1
            for i, s in enumerate(stems):
                if s not in ph.stems:
                    continue
                window = stems[i:i + width]
                if ph.stems <= set(window):
                    last = i + max(window.index(x) for x in ph.stems)
                    out.append(Mention(ph.kind, ph.owner, text[toks[i][1]:toks[last][2]],
                                       toks[i][1], toks[last][2]))
                    break
    return out


def _stem_tokens(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Content stems of a stretch of text, with their character offsets (abbreviations expanded
    in place, so 'MASH' also reads as a front door)."""
    out = []
    for m in _TOKEN.finditer(text, start, end):
        for w in lexicon.words(lexicon.expand(m.group())):
            if w in lexicon.STOPWORDS or (len(w) < 2 and not w.isdigit()):
                continue
            out.append((lexicon.stem(w), m.start(), m.end()))
    return out


def _drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping named mentions (councils, organisations, networks);
    themes may overlap names and one another. Sorted by position."""
    named = sorted((m for m in mentions if m.kind != "theme"),
                   key=lambda m: (-(m.end - m.start), m.start))
    kept: list[Mention] = []
    for m in named:
        clash = [k for k in kept if k.start < m.end and m.start < k.end]
        if not clash or all(k.start == m.start and k.end == m.end and k.kind == m.kind
                            for k in clash):
            kept.append(m)
    themes: list[Mention] = []
    for m in sorted((m for m in mentions if m.kind == "theme"),
                    key=lambda m: (-(m.end - m.start), m.start)):
        if not any(k.id == m.id and k.start < m.end and m.start < k.end for k in themes):
            themes.append(m)
    return sorted([*kept, *themes], key=lambda m: (m.start, m.kind, m.id))


# ---------------------------------------------------------------- claims


def _sentences(text: str) -> list[tuple[int, int]]:
    out = []
    start = 0
    for m in _SENT_END.finditer(text):
        if text[start:m.start()].strip():
            out.append(_trim(text, start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append(_trim(text, start, len(text)))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _sentence_claims(text: str, mentions: list[Mention]) -> list[Claim]:
    out: list[Claim] = []
    previous_actors: list[str] = []
    for s_start, s_end in _sentences(text):
        sentence = text[s_start:s_end]
        if "\t" in sentence or sentence.count("|") >= 2:
            previous_actors = []
            continue  # table rows are read as tables
        inside = [m for m in mentions if s_start <= m.start < s_end]
        actors = [m for m in inside if m.kind in ("council", "organisation")]
        if not actors and previous_actors and _PRONOUN_START.match(sentence):
            actors = [Mention("council", a, "", s_start, s_start) for a in previous_actors]
        if not actors:
            previous_actors = []
            continue
        previous_actors = sorted({a.id for a in actors if a.kind == "council"}) or []
        if NO_CLAIM.search(sentence) and not any(p.search(sentence.lower())
                                                 for _, _, p in CUES[:1]):
            continue
        targets = [m for m in inside if m.kind in ("theme", "network")]
        for group, (c_start, c_end) in _clauses(actors, s_start, s_end):
            clause = text[c_start:c_end].lower()
            cues = [(kind, conf, c_start + m.start()) for kind, conf, p in CUES
                    for m in p.finditer(clause)]
            if not cues:
                continue
            for t in targets:
                if not c_start <= t.start < c_end:
                    continue
                for kind, conf in _kinds_for(t, cues):
                    if t.kind == "network" and kind != E.PARTICIPATION:
                        continue
                    for actor in group:
                        out.append(Claim(actor.id, kind.value, t.id, conf, s_start, s_end,
                                         sentence))
    return out


def _clauses(actors: list[Mention], s_start: int, s_end: int):
    """Each actor's part of a sentence: from its mention to the next actor's (the first also
    owns what comes before it). Actors joined by 'and' or a comma share the part after them."""
    groups: list[list[Mention]] = []
    ordered = sorted(actors, key=lambda m: m.start)
    for a in ordered:
        if groups and (a.start - groups[-1][-1].end) <= 5 and a.start >= groups[-1][-1].start:
            groups[-1].append(a)
        else:
            groups.append([a])
    for i, g in enumerate(groups):
        start = s_start if i == 0 else g[0].start
        end = groups[i + 1][0].start if i + 1 < len(groups) else s_end
        yield g, (start, end)


def _kinds_for(target: Mention, cues: list[tuple[EvidenceKind, float, int]]):
    """The cue a target belongs to: the nearest one before it, else the nearest after."""
    before = [c for c in cues if c[2] <= target.start]
    chosen = max(before, key=lambda c: c[2]) if before else min(cues, key=lambda c: c[2])
    yield chosen[0], chosen[1]


def _table_claims(text: str, mentions: list[Mention], gz: Gazetteer) -> list[Claim]:
    """Rows of a table whose header cells name themes: each council listed in a column is
    working on (and shared its learning on) that column's theme."""
    out: list[Claim] = []
    header: list[str | None] | None = None
    offset = 0
    for line in text.splitlines(keepends=True):
        start, offset = offset, offset + len(line)
        if not line.strip():
            continue  # a blank line between rows (as docx and html give) keeps the table
        cells = _cells(line, start)
        if len(cells) < 3:
            header = None
            continue
        if header is None:
            themes = [_cell_theme(text[a:b], gz) for a, b in cells]
            if sum(t is not None for t in themes) >= 2:
                header = themes
            continue
        for col, (a, b) in enumerate(cells):
            theme = header[col] if col < len(header) else None
            if theme is None:
                continue
            councils = [m for m in mentions if m.kind == "council" and a <= m.start < b]
            if len(councils) < 1:
                continue
            for m in councils:
                for kind in (E.CHALLENGE, E.PARTICIPATION):
                    out.append(Claim(m.id, kind.value, theme, 0.6, a, b, text[a:b]))
    return out


def _cells(line: str, start: int) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for m in _CELL_SPLIT.finditer(line):
        out.append(_trim(line, pos, m.start()))
        pos = m.end()
    out.append(_trim(line, pos, len(line)))
    return [(start + a, start + b) for a, b in out if b > a] if len(out) >= 3 else []


def _cell_theme(cell: str, gz: Gazetteer) -> str | None:
    """The one theme a header cell names ('1. Workforce development, ...'), if any."""
    cell = re.sub(r"^\s*\d+[.)]\s*", "", cell)
    if not cell or len(cell) > 200:
        return None
    found = SearchIndex.for_graph(gz.kg).resolve_themes(cell)
    if not found:
        return None
    top = found[0]
    parent = gz.kg.theme_parent(top)
    # a header names a broad theme: prefer the top of the branch it lands in
    return parent if parent and not gz.kg.theme_parent(parent) and len(cell.split()) > 3 \
        else top
