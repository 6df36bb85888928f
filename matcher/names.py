"""Names of organisations and networks as people write them, and job titles that are people.

- A name is found as written, any case when it has several words, with a plural; one of
  three words or more also without the owner it names in brackets ('Whole-service change
  learning community (Spring Consortium)' is 'the whole-service change learning community'),
  and with its first word, the owner, in the possessive ('Southwark's mental health family
  strategy group'); the owner so written stays a mention of its own, outside the name.
- A job title that speaks ('its service manager said', 'Luton's head of service told us')
  names a person, not the theme its words may otherwise name.

>>> p = name_pattern("Southwark mental health family strategy group")
>>> m = p.search("Leeds sat in on Southwark's mental health family strategy group.")
>>> m.string[slice(*name_span(m))]
'mental health family strategy group'
>>> sorted(name_forms("Whole-service change learning community (Spring Consortium)", []))
['Whole-service change learning community', 'Whole-service change learning community \
(Spring Consortium)']
"""

from __future__ import annotations

import re

OWNED_WORDS = 3
"""A name of this many words at least may drop its bracketed owner or put it in the
possessive (shorter names would become common phrases)."""

_BRACKETED = re.compile(r"\s*\([^)]*\)\s*$")
_SPEAKER = re.compile(r"\b((?:(?:service|team|practice|senior|area|workforce) )?managers?|"
                      r"heads? of service|directors?|leads?|leaders?|advisers?)"
                      r"\s+(?:said|says|told|tells|asked|reported|explained|noted|wrote|"
                      r"described|recommended|thinks|believes|added)\b", re.I)


def name_forms(name: str, aliases) -> set[str]:
    """A node's name, its aliases, and its name without a bracketed owner."""
    forms = {name, *aliases}
    bare = _BRACKETED.sub("", name)
    if bare != name and len(bare.split()) >= OWNED_WORDS:
        forms.add(bare)
    return forms


def name_pattern(text: str) -> re.Pattern[str] | None:
    """The pattern finding one written form of a name (None for a short lower-case one,
    which would be an ordinary word)."""
    words = text.split()
    if len(words) == 1 and len(text) <= 3 and not text.isupper():
        return None
    flags = re.I if len(words) > 1 else 0
    # "North West best practice networks" also names one network
    body = re.escape(text.removesuffix("s") if len(words) > 1 else text)
    plural = "s?" if len(words) > 1 and text.endswith("s") else ""
    whole = body.replace(r"\ ", r"[\s-]+") + plural
    if len(words) >= OWNED_WORDS:
        first, rest = body.split(r"\ ", 1)
        whole = (first + r"['’]s\s+(?P<rest>" + rest.replace(r"\ ", r"[\s-]+") + plural
                 + ")|" + whole)
    return re.compile(r"(?<![\w-])(?:" + whole + r")(?![\w-])", flags)


def name_span(m: re.Match[str]) -> tuple[int, int]:
    """Where the name a `name_pattern` match found stands (without a possessive owner)."""
    return m.span("rest") if m.groupdict().get("rest") else m.span()


def speaking_titles(text: str) -> list[range]:
    """Where a job title stands as the speaker of a sentence ('the service manager said')."""
    return [range(m.start(), m.end(1)) for m in _SPEAKER.finditer(text)]
