"""Finding what a text names: councils (by GSS code; an old name stands for its current
successors), organisations, networks and themes, with character offsets.

Councils are read by the graph's council resolver, window by window over runs of capitalised
words; organisations and networks by their names and aliases; themes by the taxonomy's names
and synonyms (the phrases the one theme reader, matcher.themes, reads), so paraphrase counts.
"""

from __future__ import annotations

import bisect
import re
import weakref
from dataclasses import dataclass, replace
from typing import ClassVar

from graph.knowledge import KnowledgeGraph
from graph.resolve import Resolver, normalise
from graph.schema import NodeKind
from matcher import lexicon
from matcher.names import name_forms, name_pattern, name_span, speaking_titles
from matcher.sentences import sentences
from matcher.theme_words import BREAK, ThemeWords
from matcher.themes import ThemeReader

# Words that make a one-word council name an ordinary word at the start of a sentence, unless
# a verb or a possessive follows it ('Reading the notes, ...' but 'Reading has ...',
# 'Reading's director').
COMMON_WORDS = frozenset({"reading", "bury", "sutton", "wakefield", "rutland"})
_VERBS = frozenset({"has", "have", "had", "is", "was", "are", "were", "will", "would", "can",
                    "could", "said", "says", "told", "took", "takes", "wants", "asked", "asks",
                    "offered", "offers", "runs", "ran", "set", "made", "makes", "shared",
                    "shares", "sent", "sends", "led", "leads", "brought", "agreed", "also",
                    "now", "still", "reported", "described", "presented", "joined"})
MIN_PHRASE_STEMS = 2
BOUND_STOPWORDS = frozenset({"help", "need", "needs", "use", "good", "best", "well"})
"""Stop words that carry a theme's meaning beside one of its words ('early help', 'children in
need', 'substance use'): read only where a theme phrase has them next to that word."""
GENERIC_THEMES = 4
_JOIN = frozenset({"and", "with", "upon", "on", "of", "the", "in", "le", "under"})
_TOKEN = re.compile(r"[A-Za-z0-9&'’]+")
# 'multi-agency', 'inter-agency', 'co-located' are one word each: read apart, their 'agency'
# would be shared by so many themes that 'agency social workers' could not name its own.
_COMPOUND = re.compile(r"\b(multi|inter|cross|co)(?:-|\s(?=agenc))(?=[a-z])", re.I)
_THEME_TOKEN = re.compile(r"\b(?:(?:multi|inter|cross|co)-)?[A-Za-z0-9&'’]+", re.I)


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
class _Phrase:
    owner: str
    kind: str
    stems: frozenset[str]
    size: int
    forms: frozenset[str] = frozenset()  # one-word phrases: the word as the theme's name has it
    order: tuple[str, ...] = ()  # the stems as the phrase says them


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
                for text in name_forms(node.name, node.aliases):
                    pattern = name_pattern(text)
                    if pattern is not None:
                        self.names.append((pattern, label, node.id))
        # themes: every name and synonym the theme reader reads, as bags of stems
        index = ThemeReader.for_graph(kg)
        texts = [ph.text for ph in index.phrases.phrases] + [
            w for t in kg.nodes(NodeKind.THEME) for w in (*t.naming_words, *t.hint_words)]
        self.bound_pairs = _bound_pairs(texts)
        bound = self.bound_pairs

        def phrase_stems(text: str) -> tuple[str, ...]:
            return _read_phrase(text, bound)

        every = [_Phrase(ph.owner, "theme", frozenset(st), len(st), order=st)
                 for ph in index.phrases.phrases if (st := phrase_stems(ph.text))]
        owners: dict[str, set[str]] = {}
        for ph in every:
            for st in ph.stems:
                owners.setdefault(st, set()).add(ph.owner)
        # A one-word phrase is too loose to say a text is about a theme ('work', 'change',
        # 'pilot'), unless the word is one of the theme's own name and no other theme uses it
        # ('supervision', 'morale', 'courts'). Two or more words close together are not.
        names = {t.id: t.name for t in kg.nodes(NodeKind.THEME)}
        named = {tid: set(phrase_stems(name)) for tid, name in names.items()}
        self.themes: list[_Phrase] = [
            ph if len(ph.stems) >= MIN_PHRASE_STEMS else replace(
                ph, forms=_forms(names[ph.owner], next(iter(ph.stems))))
            for ph in every if len(ph.stems) >= MIN_PHRASE_STEMS
            or _names_alone(next(iter(ph.stems)), ph.owner, owners, named)]
        # words spread over many themes ('improvement', 'service', 'work') cannot carry a
        # phrase alone: a phrase needs one word that belongs to few themes, or words that
        # together belong to one theme only ('peer' + 'challenge')
        generic = {st for st, o in owners.items() if len(o) >= GENERIC_THEMES}
        self.themes = [ph for ph in self.themes if ph.stems - generic
                       or len(set.intersection(*(owners[st] for st in ph.stems))) == 1
                       or (kg.theme_parent(ph.owner) and _only_owner(ph, every))]
        self.theme_by_stem: dict[str, list[int]] = {}
        for i, ph in enumerate(self.themes):
            for s in ph.stems:
                self.theme_by_stem.setdefault(s, []).append(i)
        self.theme_words = ThemeWords(kg, phrase_stems)


def _only_owner(ph: _Phrase, every: list[_Phrase]) -> bool:
    """Whether no other theme has one phrase holding all of this phrase's words ('peer
    challenge': other themes say 'peer support' and 'member challenge', none both). Only a
    sub-theme is named so: a broad theme's common words ('service improvement') are not."""
    return ph.size > 1 and all(o.owner == ph.owner for o in every if ph.stems <= o.stems)


def _bound_pairs(phrases: list[str]) -> frozenset[tuple[str, str]]:
    """Neighbouring words of the theme phrases where one is a bound stop word and the other a
    content word: ('early', 'help'), ('in', 'need') is not one ('in' is not bound)."""
    pairs = set()
    for text in phrases:
        ws = lexicon.words(_COMPOUND.sub(r"\1", text))
        for a, b in zip(ws, ws[1:], strict=False):
            if (a in BOUND_STOPWORDS) != (b in BOUND_STOPWORDS) and not (
                    {a, b} - BOUND_STOPWORDS) <= lexicon.STOPWORDS:
                pairs.add((a, b))
    return frozenset(pairs)


def _kept(ws: list[str], i: int, bound: frozenset[tuple[str, str]]) -> bool:
    """Whether word i is read: a content word, or a bound stop word beside its phrase partner."""
    w = ws[i]
    if w in lexicon.STOPWORDS:
        return w in BOUND_STOPWORDS and (
            (i > 0 and (ws[i - 1], w) in bound) or (i + 1 < len(ws) and (w, ws[i + 1]) in bound))
    return len(w) >= 2 or w.isdigit()


def _read_phrase(text: str, bound: frozenset[tuple[str, str]]) -> tuple[str, ...]:
    """A theme phrase's stems, compounds ('multi-agency') kept whole as in `_stem_tokens`,
    bound stop words kept where the phrase has them beside their partner."""
    ws = lexicon.words(_COMPOUND.sub(r"\1", text))
    return tuple(lexicon.stem(w) for i, w in enumerate(ws) if _kept(ws, i, bound))


def _forms(name: str, stem: str) -> frozenset[str]:
    """The words of a theme's name with this stem, singular: 'Consistency of practice' gives
    'consistency', so 'consistent' (an adjective) does not name the theme alone."""
    return frozenset(w.removesuffix("s") for w in lexicon.words(name)
                     if lexicon.stem(w) == stem)


def _names_alone(stem: str, theme: str, owners: dict[str, set[str]],
                 named: dict[str, set[str]]) -> bool:
    """Whether one word is enough to name `theme`: a word of its name no other theme uses."""
    return owners.get(stem) == {theme} and stem in named.get(theme, set()) and len(stem) >= 4


def find_mentions(text: str, kg: KnowledgeGraph) -> list[Mention]:
    """Every mention in `text`, by position; named mentions never overlap one another, and a
    theme inside a name (the 'Improvement' of 'Improvement Board') is not one."""
    gz = Gazetteer.for_graph(kg)
    mentions = _drop_overlaps(_councils(text, gz) + _names(text, gz) + _themes(text, gz))
    named = [m for m in mentions if m.kind != "theme"]
    speakers = speaking_titles(text)
    return [m for m in mentions if m.kind != "theme"
            or not (any(n.start <= m.start and m.end <= n.end for n in named)
                    or any(m.start in r for r in speakers))]


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
                for stop in _stops(words[end]):
                    hit = _resolve_span(text[words[k][1]:stop], gz,
                                        _starts_sentence(text, words[k][1]),
                                        stop < words[end][2] or (  # 'Reading's director'
                                            end + 1 < len(words)
                                            and _is_verb(words[end + 1][0])))
                    if hit is not None:
                        found = (end, stop, hit)
                        break
                if found is not None:
                    break
            if found is None:
                k += 1
                continue
            end, stop, codes = found
            start = words[k][1]
            out += [Mention("council", c, text[start:stop], start, stop) for c in codes]
            k = end + 1
        i = j + 1
    return out


def _stops(word: tuple[str, int, int]) -> tuple[int, ...]:
    """Where a name ending at this word may end: the word whole, then without a possessive
    ("Somerset's councillors" names Somerset, not a near spelling of the word whole; "King's
    Lynn" keeps its own apostrophe, inside the name)."""
    text, _, end = word
    return (end - 2, end) if len(text) > 3 and text[-2:] in ("'s", "’s") else (end,)


def _resolve_span(span: str, gz: Gazetteer, at_sentence_start: bool,
                  next_is_verb: bool = False) -> list[str] | None:
    """Current council codes a span names exactly (an area such as Greater Manchester names
    none and is consumed: []); None when the span is not a council name."""
    key = normalise(span)
    if not key:
        return None
    if at_sentence_start and key in COMMON_WORDS and " " not in span and not next_is_verb:
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


def _is_verb(word: str) -> bool:
    """Whether a word reads as the verb after a sentence's subject ('Wakefield took part',
    'Sutton has'), so a council name that is also an ordinary word is the council there."""
    return word.islower() and (word in _VERBS or word.endswith("ed"))


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
            a, b = name_span(m)
            out.append(Mention(kind, node_id, text[a:b], a, b))
    return out


def _themes(text: str, gz: Gazetteer) -> list[Mention]:
    """A theme is mentioned where all the stems of one of its phrases occur close together
    (a two-word phrase's side by side, a longer one's within one extra word, in any order;
    a one-word phrase in the form the theme's name uses), sentence by sentence."""
    out: list[Mention] = []
    for s_start, s_end in (c for s in sentences(text) for c in _clauses(text, *s)):
        toks = _stem_tokens(text, s_start, s_end, gz.bound_pairs)
        stems = [t[0] for t in toks]
        for idx in sorted({k for s in stems for k in gz.theme_by_stem.get(s, ())}):
            ph = gz.themes[idx]
            width = ph.size + (0 if ph.size <= 2 else 1)
            for i, s in enumerate(stems):
                if s not in ph.stems:
                    continue
                if ph.forms and text[toks[i][1]:toks[i][2]].lower().removesuffix("s") \
                        not in ph.forms:
                    continue
                window = stems[i:i + width]
                if lexicon.in_order(ph.order, window):
                    last = i + max(window.index(x) for x in ph.stems)
                    out.append(Mention(ph.kind, ph.owner, text[toks[i][1]:toks[last][2]],
                                       toks[i][1], toks[last][2]))
                    break
        for hit in gz.theme_words.find(toks):
            a, b = toks[hit.first][1], toks[hit.last][2]
            out.append(Mention("theme", hit.theme, text[a:b], a, b))
    return out


# Where one statement of a sentence ends and the next begins: a colon, semicolon or dash.
_CLAUSE_END = re.compile(r"[;:]\s|\s[–—-]\s")
# A comma between words: the words of one phrase stand together, with no comma between them
# ('a bigger team, managing upwards' names no team managers).
_COMMA = re.compile(r",\s")


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence's statements, as (start, end): a theme's phrase or pair of hint words is
    read within one ('in a better place on staffing: ... permanent contracts' is not about
    placements)."""
    cuts = [m.end() for m in _CLAUSE_END.finditer(text, start, end)]
    return list(zip([start, *cuts], [*cuts, end], strict=True))


def _stem_tokens(text: str, start: int, end: int,
                 bound: frozenset[tuple[str, str]] = frozenset()) -> list[tuple[str, int, int]]:
    """Content stems of a stretch of text, with their character offsets (abbreviations expanded
    in place, so 'MASH' also reads as a front door; bound stop words kept beside their
    partner, so 'early help' is two words)."""
    raw = [(w, m.start(), m.end()) for m in _THEME_TOKEN.finditer(text, start, end)
           for w in lexicon.words(lexicon.expand(m.group().replace("-", "")))]
    ws = [w for w, _, _ in raw]
    kept = [(lexicon.stem(w), a, b) for i, (w, a, b) in enumerate(raw) if _kept(ws, i, bound)]
    for m in reversed(list(_COMMA.finditer(text, start, end))):
        at = bisect.bisect_left([a for _, a, _ in kept], m.start())
        if 0 < at < len(kept):
            kept.insert(at, (BREAK, m.start(), m.start() + 1))
    return kept


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
