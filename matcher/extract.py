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
- A document's structure says who speaks and what kind of thing is said (`doc_structure`:
  a council's section, a label, a heading, the writer's 'we'; `quotes`: a quoted speaker).

>>> from graph.knowledge import KnowledgeGraph
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

import bisect
import re
from dataclasses import dataclass

from graph.knowledge import KnowledgeGraph
from graph.schema import EvidenceKind
from matcher.claim_cues import (
    CUES,
    ENDORSE,
    ENDORSED_AFTER,
    ENDORSED_BEFORE,
    HELP_FROM,
    NO_CLAIM,
    REPORTER,
    TEAM,
)
from matcher.clause_roles import cited, outermost, owner_of_object, reviewed
from matcher.cue_reading import clause_cues, kinds_for
from matcher.doc_structure import (
    HEADING,
    HEADING_KINDS,
    document_author,
    first_person,
    label_kind,
    opens_first_person,
    section_council,
)
from matcher.mentions import Gazetteer, Mention, find_mentions
from matcher.quotes import quoted_endorsements
from matcher.sentences import paragraph_start, sentences
from matcher.tables import table_claims
from matcher.unclaimed import Unclaimed, named_together

E = EvidenceKind

# An organisation named after a preposition ("took part in the Research in Practice
# programme") is what the sentence's subject did something with, not a subject itself.
_OBJECT_BEFORE = re.compile(r"\b(?:in|into|at|with|from|by|of|to|for|through|via|on)\s+"
                            r"(?:the\s+|a\s+|an\s+)?$", re.I)
_LIST_ITEM = re.compile(r"^(?:[-*•]|\d{1,3}[.)])\s")
_PRONOUN_START = re.compile(r"^\s*(?:it|its|they|their|the (?:council|authority|county|"
                            r"borough|city|district))\b", re.I)
_WORD = re.compile(r"[A-Za-z]{2,}")
_OPENER_WORDS = 2
"""A paragraph's subject stands this many words from its start at most ('4. In Southend, ...')."""
_THIS = re.compile(r"\bthis\b(?! (?:year|month|week|time|day|letter|note|meeting|round)\b)",
                   re.I)
_THE_NOUN = re.compile(r"\b(?:the|our) (?:review |peer |visiting )?team\b", re.I)
_TEAM_WORK = re.compile(r"\b(?:review|challenge|visit|team|diagnostic)s?\b", re.I)


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
    unclaimed: tuple[Unclaimed, ...] = ()  # named together, nothing proposed: for a person

    def to_json(self) -> dict:
        return {"mentions": [m.to_json() for m in self.mentions],
                "claims": [c.to_json() for c in self.claims],
                "unclaimed": [u.to_json() for u in self.unclaimed]}


def extract(text: str, kg: KnowledgeGraph) -> Extraction:
    """Mentions and proposed claims in `text`, offsets into `text` itself."""
    mentions = find_mentions(text, kg)
    gz = Gazetteer.for_graph(kg)
    claims = _sentence_claims(text, mentions) + [
        Claim(*found) for found in table_claims(text, mentions, gz)] + [
        Claim(who, E.ENDORSEMENT.value, theme, 0.7, a, b, text[a:b])
        for who, theme, a, b in quoted_endorsements(text, mentions)]
    claims = one_per_sentence(claims)
    return Extraction(tuple(mentions), claims, named_together(
        text, mentions, ((c.subject, c.target, c.start, c.end) for c in claims)))


def one_per_sentence(claims: list[Claim]) -> tuple[Claim, ...]:
    """One claim per (subject, kind, target) and sentence, the most confident, in text order.
    A fact several sentences support is proposed once for each, so a reviewer sees (and the
    graph cites) every sentence it rests on."""
    best: dict[tuple[str, str, str, int], Claim] = {}
    for c in claims:
        key = (c.subject, c.kind, c.target, c.start)
        if key not in best or c.confidence > best[key].confidence:
            best[key] = c
    return tuple(sorted(best.values(), key=lambda c: (c.start, c.subject, c.kind, c.target)))


# ---------------------------------------------------------------- claims


def _sentence_claims(text: str, mentions: list[Mention]) -> list[Claim]:
    out: list[Claim] = []
    previous_actors: list[str] = []
    previous_targets: list[Mention] = []
    section: list[Mention] = []  # the themes the heading over this part of the text names
    section_kind: EvidenceKind | None = None  # what the heading says its list items are
    section_subject: str | None = None  # the council the heading names alone
    lead_in: list[Mention] = []  # the themes a list's lead-in names, for its items
    spans = sentences(text)
    author = document_author(text, [(m.id, m.start, m.end) for m in mentions
                                    if m.kind == "council"])
    for n, (s_start, s_end) in enumerate(spans):
        last_start = spans[n - 1][0] if n else s_start
        earlier = [m for m in mentions if m.kind in ("theme", "network") and m.start < s_start]
        sentence = text[s_start:s_end]
        if "\t" in sentence or sentence.count("|") >= 2:
            previous_actors = []
            continue  # table rows are read as tables
        inside = [m for m in mentions if s_start <= m.start < s_end]
        # a list's lead-in ('Where Kent wants help on its front door:') gives its themes to
        # the items under it that name none, until the list ends
        is_item = bool(_LIST_ITEM.match(sentence))
        lead_in = lead_in if is_item else []
        if sentence.endswith(":"):
            lead_in = [m for m in inside if m.kind == "theme"]
        if HEADING.match(sentence):
            section = [m for m in inside if m.kind == "theme"]
            section_kind = next((k for k, p in HEADING_KINDS if p.search(sentence)), None)
            section_subject = section_council(sentence, [m.id for m in inside
                                                         if m.kind == "council"])
            previous_actors, previous_targets = [], []
            continue
        named = [m for m in inside if (m.kind == "council" or (
            m.kind == "organisation" and not _OBJECT_BEFORE.search(text, s_start, m.start)))
            and not cited(text, m, inside)]
        actors = _reporters_dropped(text, _owners_dropped(text, named))
        if not actors and previous_actors and _PRONOUN_START.match(sentence):
            actors = [Mention("council", a, "", s_start, s_start) for a in previous_actors]
        if not actors:
            # "**Staffs.** A senior social worker ... Re-referrals have dropped ...": a
            # paragraph or list item opened by one council is about that council throughout
            actors = _paragraph_subject(text, s_start, spans, mentions)
        labelled = label_kind(sentence)
        if not actors and author and opens_first_person(sentence):
            # "## What Notts did ... We asked for help on ...": the writer, not the heading's
            actors = [Mention("council", author, "", s_start, s_start)]
        if section_subject and (labelled or not actors):
            # a label ('Looking for: ... on the Isles of Scilly') is the section council's
            actors = [Mention("council", section_subject, "", s_start, s_start)]
        if not actors and author and first_person(sentence):
            actors = [Mention("council", author, "", s_start, s_start)]  # the writer's 'we'
        if not actors:
            previous_actors, previous_targets = [], []
            continue
        same_actors = sorted({a.id for a in actors if a.kind == "council"}) == previous_actors
        previous_actors = sorted({a.id for a in actors if a.kind == "council"}) or []
        if NO_CLAIM.search(sentence) and not any(p.search(sentence.lower())
                                                 for _, _, p in CUES[:1]):
            continue
        targets = outermost([m for m in inside if m.kind in ("theme", "network")])
        if not targets and same_actors and len(actors) == 1:
            # "Lancashire ... family hubs ... Lancashire would be happy to host visits."
            targets = [Mention(t.kind, t.id, t.text, s_end, s_end) for t in previous_targets]
        if not targets and _THIS.search(sentence):
            # "Somerset recognises this": what the sentence before named
            targets = [Mention(m.kind, m.id, m.text, s_end, s_end) for m in earlier
                       if m.start >= last_start and m.kind == "theme"]
        previous_targets = [m for m in inside if m.kind == "theme"]
        # "the peer review of Somerset", "Luton invited a peer challenge": it took part
        out += [Claim(c.id, E.PARTICIPATION.value, t.id, 0.7, s_start, s_end, sentence)
                for c, t in reviewed(text, inside)]
        endorsed = _endorsed(text, sentence, s_start, named)
        if endorsed is not None:
            # the council thanked is the subject; the one thanking says nothing of its own
            out += [Claim(endorsed.id, E.ENDORSEMENT.value, t.id, 0.75, s_start, s_end,
                          sentence) for t in targets if t.kind == "theme"]
            continue
        if TEAM.search(sentence):
            # "The team was Cornwall's director, a manager from Plymouth and ...": each council
            # named took part in the team's work (the job titles listed are not themes); an
            # organisation named after 'from' ('a lead from Research in Practice') is a member
            work = _team_work(sentence, s_end, earlier) or section
            members = {m.id: m for m in inside if m.kind in ("council", "organisation")}
            out += [Claim(a.id, E.PARTICIPATION.value, t.id, 0.7, s_start, s_end, sentence)
                    for a in members.values() for t in work]
            continue
        for group, (c_start, c_end) in _clauses(actors, s_start, s_end):
            cues = clause_cues(text[c_start:c_end].lower(), c_start)
            if labelled == E.CHALLENGE:
                # 'Looking for: a council that has ...': the help wanted, not its own work
                cues = [(E.CHALLENGE, 0.7, c_start)]
            if not cues and section_kind is not None and _LIST_ITEM.match(sentence):
                cues = [(section_kind, 0.6, c_start)]
            if not cues:
                continue
            here = [t for t in targets if c_start <= t.start <= c_end]
            if not targets:
                # "## Peer challenge ... Kirklees agreed to send reviewers": a clause naming
                # no theme under a heading that names one is about the heading's theme
                here = [Mention(t.kind, t.id, t.text, c_end, c_end)
                        for t in (lead_in if is_item and lead_in else section)]
            for t in here:
                for kind, conf in list(kinds_for(t, cues, here)) + (
                        [(labelled, 0.7)] if labelled else []):
                    if t.kind == "network" and kind != E.PARTICIPATION:
                        continue
                    for actor in group:
                        out.append(Claim(actor.id, kind.value, t.id, conf, s_start, s_end,
                                         sentence))
    return out


def _paragraph_subject(text: str, pos: int, spans: list[tuple[int, int]],
                       mentions: list[Mention]) -> list[Mention]:
    """The one council that opens the paragraph or list item holding `pos` (within its first
    few words, after any numbering or bold label markup), if the paragraph began before `pos`
    with a sentence naming that council alone."""
    start = paragraph_start(text, pos)
    first = spans[bisect.bisect_left(spans, (start, 0))] if start < pos else None
    if first is None or first[0] >= pos:
        return []
    opening = [m for m in mentions if first[0] <= m.start < first[1] and m.kind == "council"]
    if len({m.id for m in opening}) != 1 or \
            len(_WORD.findall(text, start, opening[0].start)) > _OPENER_WORDS:
        return []
    return [Mention("council", opening[0].id, "", pos, pos)]


def _team_work(sentence: str, s_end: int, earlier: list[Mention]) -> list[Mention]:
    """The work of the team a sentence lists: the last theme named before it by a phrase
    of the kind of work teams do ("review team", "peer review", "peer challenge")."""
    if not _THE_NOUN.search(sentence):
        return []
    for m in reversed(earlier):
        if m.kind == "theme" and _TEAM_WORK.search(m.text):
            return [Mention(m.kind, m.id, m.text, s_end, s_end)]
    return []


def _owners_dropped(text: str, named: list[Mention]) -> list[Mention]:
    """Without a council named only as the owner of what another did something with ('Leeds
    sat in on Kent's panel'); alone ('a day with Leeds's team is welcome') it stays."""
    owners = [m for m in named if owner_of_object(text, m)]
    return [m for m in named if m not in owners or all(o in owners for o in named)]


def _reporters_dropped(text: str, actors: list[Mention]) -> list[Mention]:
    """Without the actor that only reports ("Cafcass told us that ... Somerset children ..."),
    when another actor follows it; a lone reporter ("Durham reported that ...") stays."""
    return [a for a in actors if not (REPORTER.match(text, a.end)
                                      and any(b.start > a.end and b.id != a.id for b in actors))]


def _endorsed(text: str, sentence: str, s_start: int, actors: list[Mention]) -> Mention | None:
    """The council a sentence praises for its help ("Halton thanked Wigan ...", "Devon's help
    with ... was the most useful"), if it praises one."""
    if not ENDORSE.search(sentence) or len({a.id for a in actors}) < 2:
        return None
    for a in actors:
        if ENDORSED_AFTER.search(text, s_start, a.start) or HELP_FROM.search(text, s_start,
                                                                               a.start) \
                or ENDORSED_BEFORE.match(text, a.end):
            return a
    return None


def _clauses(actors: list[Mention], s_start: int, s_end: int):
    """Each actor's part of a sentence: from its mention to the next actor's (the first also
    owns what comes before it). Actors joined by 'and' or a comma share the part after them."""
    groups: list[list[Mention]] = []
    ordered = sorted(actors, key=lambda m: m.start)
    for a in ordered:
        if groups and (a.start - groups[-1][-1].end) <= 5 and a.start >= groups[-1][-1].start:
            groups[-1].append(a)
        elif groups and {m.id for m in groups[-1]} == {a.id}:
            continue  # "Leeds audits files, and Leeds will send ...": one part, one actor
        else:
            groups.append([a])
    for i, g in enumerate(groups):
        start = s_start if i == 0 else g[0].start
        end = groups[i + 1][0].start if i + 1 < len(groups) else s_end
        yield g, (start, end)
