"""How much each signal counts when partner proposals are ranked.

>>> w = Weights()
>>> round(sum(w.normalised().values()), 6)
1.0
>>> Weights.parse(["proximity=0.5", "capacity=0"]).proximity
0.5
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SIGNALS = ("expertise", "journey", "context", "proximity", "relationship", "capacity")


class Weights(BaseModel):
    """Weights of the partner signals. Non-negative; normalised to sum to 1 when combined.

    Defaults (before normalising; they happen to sum to 1):

    - ``expertise = 0.40``: evidence the candidate has shared practice on the themes wanted;
      the point of a partner, so it dominates.
    - ``journey = 0.10``: the candidate is further along the improvement journey.
    - ``context = 0.15``: similar authority type, size and rurality (or a statistical
      neighbour): the seeds ask that support fit a council's context (large rural vs small urban).
    - ``proximity = 0.10``: same region, or, with ``outside_region``, deliberately outside it.
    - ``relationship = 0.10``: shared networks and good past engagements (trust).
    - ``capacity = 0.15``: spare capacity; spreads the load beyond the 'willing horses'.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    expertise: float = Field(default=0.40, ge=0.0)
    journey: float = Field(default=0.10, ge=0.0)
    context: float = Field(default=0.15, ge=0.0)
    proximity: float = Field(default=0.10, ge=0.0)
    relationship: float = Field(default=0.10, ge=0.0)
    capacity: float = Field(default=0.15, ge=0.0)

    def normalised(self) -> dict[str, float]:
        """Each signal's share of the total; all-zero weights fall back to equal shares."""
        raw = {name: float(getattr(self, name)) for name in SIGNALS}
        total = sum(raw.values())
        if total <= 0:
            return {name: 1.0 / len(SIGNALS) for name in SIGNALS}
        return {name: v / total for name, v in raw.items()}

    @classmethod
    def parse(cls, pairs: Iterable[str], base: Weights | None = None) -> Weights:
        """Weights from ``name=value`` strings (as typed on the command line) over `base`.

        Raises
        ------
        ValueError
            Naming the bad pair and the valid signal names.
        """
        values = (base or cls()).model_dump()
        for pair in pairs:
            name, sep, value = pair.partition("=")
            name = name.strip().lower()
            if not sep or name not in SIGNALS:
                raise ValueError(f"bad weight {pair!r}: use name=value with name one of "
                                 f"{', '.join(SIGNALS)}")
            try:
                values[name] = float(value)
            except ValueError:
                raise ValueError(f"bad weight {pair!r}: {value!r} is not a number") from None
        try:
            return cls(**values)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ValueError(f"bad weight {first['loc'][0]}: {first['msg']}") from None
