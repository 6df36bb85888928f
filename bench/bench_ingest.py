"""How well the document reader finds mentions and claims, against hand-written gold.

    .venv/bin/python bench/bench_ingest.py [--seeds DIR] [--dev-only] [--show-misses]
        [--only FILE,...] [--leaving-out FILE,...]

The held-out set (tests/data/ingest/heldout/: every note its gold.yaml lists, each written
with its gold before the reader was run on it, and never used while tuning it) and the
regression notes (tests/data/ingest/regression/: notes the reader was tuned with in view) are
always scored; the seed documents (named in tests/data/ingest/dev/gold.yaml) when `--seeds`
names the folder holding them. `--show-misses` lists misses for every set but the held-out
one, whose totals alone are printed, so that it stays unseen while tuning; `--dev-only` leaves
the held-out set out altogether. `--only` and `--leaving-out` score just the regression notes
named (by file name) or all but them: a round's studied documents apart from the older notes.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from graph.ingest.quality import Report, load_gold, score, select
from graph.ingest.read import read_document
from graph.loader import DEFAULT_SEED_DIR, load_dir
from matcher.extract import extract

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "ingest"
HELD_OUT = "held-out"


def run(gold_file: Path, seeds: Path | None, kg, only: set[str] | None = None,
        leaving_out: set[str] = frozenset()) -> tuple[Report, float, int, int]:
    report = Report()
    chars = 0
    t0 = time.perf_counter()
    docs = select(load_gold(gold_file, seeds), only, leaving_out)
    for doc in docs:
        text = read_document(doc.path).text
        chars += len(text)
        score(doc, extract(text, kg).to_json(), report)
    return report, time.perf_counter() - t0, chars, len(docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=Path, help="folder holding the seed documents")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dev-only", action="store_true",
                        help="leave out the held-out set (while tuning the reader)")
    parser.add_argument("--only", type=_names, help="score only these regression notes")
    parser.add_argument("--leaving-out", type=_names, default=frozenset(),
                        help="score the regression notes but these")
    args = parser.parse_args()
    kg = load_dir(DEFAULT_SEED_DIR).graph()
    extract("warm up", kg)
    sets = [("regression (our notes)", DATA / "regression" / "gold.yaml")]
    if args.seeds:
        sets.insert(0, ("development (seed documents)", DATA / "dev" / "gold.yaml"))
    if not args.dev_only:
        sets.append((HELD_OUT, DATA / "heldout" / "gold.yaml"))
    results = {}
    for label, gold in sets:
        part = (args.only, args.leaving_out) if gold.parent.name == "regression" else (None,)
        report, seconds, chars, documents = run(gold, args.seeds, kg, *part)
        results[label] = report.to_json() | {"seconds": round(seconds, 3), "chars": chars,
                                             "documents": documents}
        if args.json:
            continue
        if not documents:
            # an empty set scores 1.0 by convention; printing that would read as a result
            print(f"{label}: no documents listed yet")
            continue
        m, c = report.mentions, report.claims
        print(f"{label}: {chars:,} characters in {seconds:.2f} s")
        print(f"  mentions  P {m.precision:.3f}  R {m.recall:.3f}  F1 {m.f1:.3f}  "
              f"({m.tp} right, {m.fp} extra, {m.fn} missed)")
        for kind, s in sorted(report.by_kind.items()):
            print(f"    {kind:<13} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}")
        print(f"  claims    P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}  "
              f"({c.tp} right, {c.fp} extra, {c.fn} missed)")
        r = report.reach
        print(f"  within a reviewer's reach {r.recall:.3f}: {r.proposed} of {r.gold} facts "
              f"proposed, {r.listed} more named together unproposed ({r.pairs_right} of the "
              f"{r.pairs} pairs listed so are some fact's)")
        if args.show_misses and label != HELD_OUT:
            for line in report.misses:
                print("   ", line)
    if args.json:
        print(json.dumps(results, indent=2))


def _names(text: str) -> set[str]:
    return {n.strip() for n in text.split(",") if n.strip()}


if __name__ == "__main__":
    main()
