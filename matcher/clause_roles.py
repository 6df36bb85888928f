"""Who a part of a sentence is about, read from its structure rather than from phrases.

- What an unnamed other ('a council that ...', 'a mentor who ...') has done belongs to that
  other, up to the end of its relative clause, not to the sentence's subject.
- The council a review, challenge or diagnostic is of, in or for ('the peer review of
  Somerset'), or that invited, hosted or asked for one ('Luton invited a peer challenge'),
  took part in it, as the team did.
- A theme read inside another theme's short phrase ('its placements budget') only qualifies
  it: the phrase is what the sentence is about.
- A source cited in brackets ('(Shaping Our Lives et al. 2007)') or a name's short form
  echoed in brackets after it ('... Partnership (CSIP)') is no subject of the sentence.
- A council named in the possessive after 'on', 'with', 'to' or 'at' ('sat in on Southwark's
  group') owns what the subject did something with; it is no subject itself.

>>> clause = "would like a mentor who has rebuilt trust with judges, because cases drag"
>>> part = others_part(clause)
>>> clause[part.start:part.stop]
'a mentor who has rebuilt trust with judges'
"""

from __future__ import annotations

import re

from matcher.mentions import Mention

# "asked for help from a council that has stabilised its hub", "would like a mentor who has
# done it": the other, unnamed council or person, and where its relative clause ends
_OTHER = re.compile(r"\b(?:(?:(?:a|an|another|any|other) (?:council|authority|local "
                    r"authority)s?|anyone|anybody|someone|others) (?:that|which|who)|"
                    r"(?:a|an|another|any|some) (?:[\w'’-]+ ){1,3}?who)\b")
_RELATIVE_END = re.compile(r"[,;]")
# a theme named as a piece of review work ('peer review', 'peer diagnostic', 'review team')
_REVIEW_WORK = re.compile(r"\b(?:review|challenge|diagnostic)s?\b", re.I)
# what stands between that work and the council it is of, in or for
_WORK_OF = re.compile(r"\s+(?:(?:had|spent|was|were)\s+)?(?:of|in|for)\s+(?:the\s+)?", re.I)
# and between a council and the review it invited, hosted or asked for
_INVITED = re.compile(r"\s+(?:has\s+|had\s+)?(?:invited|hosted|commissioned|requested|"
                      r"asked for|welcomed|underwent)\s+(?:[\w'’-]+\s+){0,3}", re.I)
_POSSESSIVE = re.compile(r"['’]s\b")
_OWNER_AFTER = re.compile(r"\b(?:on|onto|with|into|to|at)\s+$", re.I)
_CITATION_AFTER = re.compile(r"\s*(?:et al\b|,?\s*(?:19|20)\d\d\b)")
PHRASE_WORDS = 4
"""A theme read from this many words at most is one phrase (more are hint words apart)."""


def others_part(clause: str) -> range:
    """Where in a clause (lower case) an unnamed other council or person is described: from
    'a council that' or 'someone who' to the end of that relative clause (empty if none)."""
    other = _OTHER.search(clause)
    if other is None:
        return range(0)
    end = _RELATIVE_END.search(clause, other.end())
    return range(other.start(), end.start() if end else len(clause))


def outermost(targets: list[Mention]) -> list[Mention]:
    """Without a theme read inside another theme's short phrase ('its placements budget' is
    about the budget, not placements); two hint words far apart make no such phrase."""
    return [t for t in targets if not any(
        u.id != t.id and u.start <= t.start and t.end <= u.end and u.end - u.start >
        t.end - t.start and len(u.text.split()) <= PHRASE_WORDS for u in targets)]


def reviewed(text: str, inside: list[Mention]) -> list[tuple[Mention, Mention]]:
    """(council, review theme) for each council a sentence names as the one a review was of,
    in or for, or as inviting, hosting or asking for it."""
    work = [m for m in inside if m.kind == "theme" and _REVIEW_WORK.search(m.text)]
    councils = [m for m in inside if m.kind == "council"]
    return [(c, t) for t in work for c in councils
            if (t.end <= c.start and _WORK_OF.fullmatch(text, t.end, c.start))
            or (c.end <= t.start and _INVITED.fullmatch(text, c.end, t.start))]


def owner_of_object(text: str, council: Mention) -> bool:
    """Whether a council is named in the possessive right after 'on', 'with', 'to' or 'at':
    the owner of what the sentence's subject did something with."""
    line_start = text.rfind("\n", 0, council.start) + 1
    return bool(_POSSESSIVE.match(text, council.end)) and bool(
        _OWNER_AFTER.search(text, line_start, council.start))


def cited(text: str, name: Mention, inside: list[Mention]) -> bool:
    """Whether a name stands in brackets as a source cited ('(Shaping Our Lives et al.',
    '(Isos, 2016)') or as the short form of the name just before ('... (CSIP)')."""
    opened = text.rfind("(", 0, name.start)
    if opened < 0 or text.rfind(")", 0, name.start) > opened:
        return False
    if _CITATION_AFTER.match(text, name.end):
        return True
    before = [m for m in inside if m.end <= opened and m.kind == name.kind]
    return bool(before) and before[-1].id == name.id and not text[before[-1].end:opened].strip() \
        and text.startswith(")", name.end)
