"""The words of an engagement's life: its kinds, statuses and outcomes, and one recorded step.

A leaf module (only graph.text below it) so that the schema and the engagement lifecycle
(`graph.engagements`) share one definition; `graph.schema` re-exports it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from graph.text import PlainText

EngagementType = Literal["peer_review", "improvement_partner", "mentoring", "learning_set",
                         "learning_pair", "other"]
EngagementStatus = Literal["proposed", "agreed", "active", "completed", "declined", "cancelled"]
Outcome = Literal["helped", "partly", "not_helped"]  # the receiving council's verdict


class StatusChange(PlainText, extra="forbid", frozen=True, str_strip_whitespace=True):
    """One step in an engagement's life: its new status, who recorded it and when."""

    status: EngagementStatus
    who: str = Field(min_length=1)
    at: str = Field(min_length=1)  # ISO timestamp
