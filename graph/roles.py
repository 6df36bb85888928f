"""The roles people hold in children's services, one vocabulary for the whole project.

Round files (``dcs:1;ad:1;member:1``), support offers (``roles: [lead_member, manager]``),
the search lexicon and the pages all name roles; each name is read here into one
:class:`Role`. The value is the canonical id stored in data and shown in ``--json``; the
``label`` is what people read.

>>> Role.parse("Lead Member"), Role.parse("cllr"), Role.parse("manager"), Role.parse("PSW")
(<Role.LEAD_MEMBER: 'lead_member'>, <Role.LEAD_MEMBER: 'lead_member'>, \
<Role.TEAM_MANAGER: 'team_manager'>, <Role.PRACTICE_LEAD: 'practice_lead'>)
>>> Role.parse("sli team") is None
True
>>> Role.DCS.label, Role.LEAD_MEMBER.label, Role.DCS.in_full
('DCS', 'lead member', "director of children's services")
"""

from __future__ import annotations

import re
from enum import StrEnum


class Role(StrEnum):
    DCS = "dcs"
    AD = "ad"
    LEAD_MEMBER = "lead_member"
    CHIEF_EXECUTIVE = "chief_executive"
    TEAM_MANAGER = "team_manager"
    PRACTICE_LEAD = "practice_lead"
    PRACTITIONER = "practitioner"

    @property
    def spellings(self) -> tuple[str, ...]:
        """The ways text mentions the role (the search lexicon matches these in prose)."""
        return SPELLINGS[self]

    @property
    def label(self) -> str:
        """Short words for tables and sentences: 'DCS', 'AD', 'lead member'."""
        return role_label(self.value)

    @property
    def in_full(self) -> str:
        """The role written out: "director of children's services", 'lead member'."""
        return SPELLINGS[self][1] if len(self.value) <= 3 else self.label

    @classmethod
    def parse(cls, text: str) -> Role | None:
        """The role a name stands for (its id, a spelling or a short form), or None."""
        return _BY_NAME.get(_key(text))


SPELLINGS: dict[Role, tuple[str, ...]] = {
    Role.DCS: ("dcs", "director of children's services", "director of childrens services",
               "director of children services", "director", "directors", "strategic director"),
    Role.AD: ("ad", "ads", "assistant director", "assistant directors", "deputy director",
              "head of service"),
    Role.LEAD_MEMBER: ("lead member", "lead members", "lm", "portfolio holder",
                       "cabinet member", "lead councillor", "councillor", "elected member",
                       "elected members", "member", "members", "politician"),
    Role.CHIEF_EXECUTIVE: ("chief executive", "chief executives", "chief exec", "ceo", "ce",
                           "head of paid service", "managing director"),
    Role.TEAM_MANAGER: ("team manager", "team managers", "tm", "first line manager",
                        "practice manager", "service manager"),
    Role.PRACTICE_LEAD: ("practice lead", "practice leads", "principal social worker",
                         "principal social workers"),
    Role.PRACTITIONER: ("social worker", "social workers", "sw", "practitioner",
                        "practitioners", "frontline staff"),
}

# Names a role goes by on its own (a cell in a round file, an offer's role list) that text
# does not use to mean the role (a "manager" in prose is not always a team manager).
SHORT_FORMS: dict[Role, tuple[str, ...]] = {
    Role.LEAD_MEMBER: ("cllr",),
    Role.TEAM_MANAGER: ("manager", "managers"),
    Role.PRACTICE_LEAD: ("psw",),
}


def role_label(role: str) -> str:
    """Words for a role id, known or not: ``'ad'`` -> ``'AD'``, ``'sli_team'`` -> ``'sli team'``."""
    return role.upper() if len(role) <= 3 else role.replace("_", " ")


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


_BY_NAME: dict[str, Role] = {
    _key(name): role
    for role in Role
    for name in (role.value, *SPELLINGS[role], *SHORT_FORMS.get(role, ()))
}
