"""Scoring what the document reader found against a hand-written gold file.

A gold file (YAML) lists documents, each with its `file` (relative to the gold file, or `seed`
in a folder given separately), the distinct `mentions` as `kind:id`, and the `claims` as
`[subject, evidence kind, target]`. Scores are precision, recall and F1 over those sets,
summed over documents (micro-averaged).

>>> s = Score(tp=9, fp=1, fn=1)
>>> s.precision, s.recall, s.f1
(0.9, 0.9, 0.9)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from graph.errors import GraphError


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, found: set) -> None:
        self.tp += len(gold & found)
        self.fp += len(found - gold)
        self.fn += len(gold - found)

    @property
    def precision(self) -> float:
        return round(self.tp / (self.tp + self.fp), 3) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return round(self.tp / (self.tp + self.fn), 3) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return round(2 * p * r / (p + r), 3) if p + r else 0.0

    def to_json(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass(frozen=True)
class GoldDocument:
    path: Path
    mentions: frozenset[str]
    claims: frozenset[tuple[str, str, str]]


@dataclass
class Reach:
    """What a reviewer can record by ticking: the gold facts proposed, or not proposed but
    whose council and theme a sentence names together (listed for a person to judge)."""
    gold: int = 0
    proposed: int = 0  # gold facts proposed
    listed: int = 0  # gold facts not proposed whose pair is listed as named together
    pairs: int = 0  # pairs listed as named together
    pairs_right: int = 0  # of those, pairs some gold fact is about

    @property
    def recall(self) -> float:
        return round((self.proposed + self.listed) / self.gold, 3) if self.gold else 1.0

    def to_json(self) -> dict:
        return {"recall": self.recall, "gold": self.gold, "proposed": self.proposed,
                "listed": self.listed, "pairs": self.pairs, "pairs_right": self.pairs_right}


@dataclass
class Report:
    mentions: Score = field(default_factory=Score)
    claims: Score = field(default_factory=Score)
    by_kind: dict[str, Score] = field(default_factory=dict)
    reach: Reach = field(default_factory=Reach)
    misses: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"mentions": self.mentions.to_json(), "claims": self.claims.to_json(),
                "mentions_by_kind": {k: v.to_json() for k, v in sorted(self.by_kind.items())},
                "reach": self.reach.to_json()}


def load_gold(path: Path | str, seed_dir: Path | str | None = None) -> list[GoldDocument]:
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for i, doc in enumerate(data.get("documents", []), 1):
        if "seed" in doc:
            if seed_dir is None:
                continue
            file = Path(seed_dir) / doc["seed"]
        else:
            file = path.parent / doc["file"]
        try:
            claims = frozenset(tuple(c) for c in doc.get("claims") or [])
        except TypeError:
            raise GraphError(f"{path}: document {i}: claims must be [subject, kind, target]") \
                from None
        out.append(GoldDocument(file, frozenset(doc.get("mentions") or []), claims))
    return out


def select(docs: list[GoldDocument], only: set[str] | None = None,
           leaving_out: set[str] = frozenset()) -> list[GoldDocument]:
    """The documents named in `only` (by file name; all when None), less those in
    `leaving_out`: one set scored in parts, e.g. the notes a round studied apart from the rest.

    >>> docs = [GoldDocument(Path(n), frozenset(), frozenset()) for n in ("a.md", "b.md")]
    >>> [d.path.name for d in select(docs, leaving_out={"a.md"})]
    ['b.md']
    >>> [d.path.name for d in select(docs, only={"a.md"})]
    ['a.md']
    """
    return [d for d in docs if (only is None or d.path.name in only)
            and d.path.name not in leaving_out]


def score(gold: GoldDocument, extraction_json: dict, report: Report) -> None:
    """Add one document's result (the shape `peerlink ingest --json` prints) to a report."""
    found_m = {f"{m['kind']}:{m['id']}" for m in extraction_json["mentions"]}
    found_c = {(c["subject"], c["kind"], c["target"]) for c in extraction_json["claims"]}
    report.mentions.add(set(gold.mentions), found_m)
    report.claims.add(set(gold.claims), found_c)
    listed = {(u["subject"], u["target"]) for u in extraction_json.get("unclaimed", ())}
    gold_pairs = {(s, t) for s, _, t in gold.claims}
    reach = report.reach
    reach.gold += len(gold.claims)
    reach.proposed += len(gold.claims & found_c)
    reach.listed += sum(1 for s, k, t in gold.claims - found_c if (s, t) in listed)
    reach.pairs += len(listed)
    reach.pairs_right += len(listed & gold_pairs)
    for kind in {m.split(":", 1)[0] for m in gold.mentions | found_m}:
        report.by_kind.setdefault(kind, Score()).add(
            {m for m in gold.mentions if m.startswith(kind + ":")},
            {m for m in found_m if m.startswith(kind + ":")})
    name = gold.path.name
    report.misses += [f"{name}: missed mention {m}" for m in sorted(gold.mentions - found_m)]
    report.misses += [f"{name}: extra mention {m}" for m in sorted(found_m - gold.mentions)]
    report.misses += [f"{name}: missed claim {c}" for c in sorted(gold.claims - found_c)]
    report.misses += [f"{name}: extra claim {c}" for c in sorted(found_c - gold.claims)]
