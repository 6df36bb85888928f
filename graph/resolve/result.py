"""What resolving one name gives back: a council (with successors when abolished) or none,
with the closest candidates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


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
