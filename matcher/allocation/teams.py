"""Who sits on which team, kept as counts the team rules are checked on move by move.

The national path's local searches (:mod:`matcher.allocation.orient`'s mending and
:mod:`matcher.allocation.improve`'s replace and swap moves) change an allocation one arc at a
time; each move is checked here against the rules a move can break: a reviewer once per
team, one reviewer per council per team (unless the team may take several), and no council
reviewing a council that reviews it (unless the pair is allowed). Capacity and roles are the
callers' own.
"""

from __future__ import annotations

import numpy as np

from matcher.allocation.encode import Encoded


class Teams:
    """Members, council counts per team and reviews given per council pair."""

    def __init__(self, enc: Encoded):
        n_r, n_c = enc.shape[0], len(enc.councils)
        self.enc = enc
        self.req_council = enc.req_council.tolist()
        self.rev_council = enc.rev_council.tolist()
        self.members: list[set[int]] = [set() for _ in range(n_r)]
        self.councils: list[dict[int, int]] = [{} for _ in range(n_r)]
        self.gives = np.zeros((n_c, n_c), dtype=np.int64)  # [reviewer's, reviewed council]

    def add(self, a: int, j: int) -> None:
        """Reviewer ``j`` joins team ``a``."""
        c = self.rev_council[j]
        self.members[a].add(j)
        self.councils[a][c] = self.councils[a].get(c, 0) + 1
        self.gives[c, self.req_council[a]] += 1

    def drop(self, a: int, j: int) -> None:
        """Reviewer ``j`` leaves team ``a``."""
        c = self.rev_council[j]
        self.members[a].discard(j)
        self.councils[a][c] -= 1
        self.gives[c, self.req_council[a]] -= 1

    def fits(self, a: int, j: int, leaving: int = -1) -> bool:
        """Whether reviewer ``j`` may join team ``a`` as reviewer ``leaving`` (or nobody,
        -1) leaves it."""
        if j in self.members[a]:
            return False
        enc = self.enc
        c, b = self.rev_council[j], self.req_council[a]
        same = self.councils[a].get(c, 0) - (leaving >= 0 and self.rev_council[leaving] == c)
        if same > 0 and not enc.same_council_ok[a, c]:
            return False
        return not (self.gives[b, c] > 0 and not enc.reciprocal_ok[b, c])
