"""What a partner request returns: partners, peers, excluded councils and notes."""

from __future__ import annotations

from dataclasses import dataclass, field


class MatcherError(ValueError):
    """A request the matcher cannot answer; the message says what to change."""


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 4)


@dataclass(frozen=True)
class Proposal:
    """One proposed council with its score, signal breakdown, reasons and evidence.

    A signal that could not be measured (its facts are not recorded) is None.
    """

    code: str
    name: str
    score: float
    signals: dict[str, float | None]
    contributions: dict[str, float | None]
    reasons: tuple[str, ...]
    evidence: tuple[dict, ...]
    confidence: float
    region: str | None = None
    basis: str | None = None  # the strongest evidence kind behind it

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "score": round(self.score, 4),
            "basis": self.basis,
            "signals": {k: _round(v) for k, v in self.signals.items()},
            "reasons": list(self.reasons),
            "evidence": list(self.evidence),
            "contributions": {k: _round(v) for k, v in self.contributions.items()},
            "confidence": round(self.confidence, 4),
            "region": self.region,
        }


@dataclass(frozen=True)
class Excluded:
    code: str
    name: str
    reason: str

    def to_json(self) -> dict:
        return {"code": self.code, "name": self.name, "reason": self.reason}


@dataclass(frozen=True)
class PartnerProposals:
    """The answer to one partner request: partners (sources of help) and peers (working on
    the same challenge), apart."""

    council: dict
    themes: tuple[dict, ...]
    partners: tuple[Proposal, ...]
    peers: tuple[Proposal, ...] = ()
    excluded: tuple[Excluded, ...] = ()
    weights: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    themes_from: str = "request"  # request | priorities | inherited priorities | none

    def to_json(self) -> dict:
        return {
            "council": self.council,
            "themes": list(self.themes),
            "partners": [p.to_json() for p in self.partners],
            "peers": [p.to_json() for p in self.peers],
            "excluded": [e.to_json() for e in self.excluded],
            "weights": {k: round(v, 4) for k, v in self.weights.items()},
            "notes": list(self.notes),
            "themes_from": self.themes_from,
            "confidence": round(
                sum(p.confidence for p in self.partners) / len(self.partners), 4)
            if self.partners else 0.0,
        }
