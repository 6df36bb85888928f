"""Would a learned classifier read claims better than the written rules? Measured, not kept.

    .venv/bin/pip install scikit-learn   # not a dependency of peerlink: this script alone
    .venv/bin/python bench/bench_learned_claims.py [--seeds DIR]

Each (council or organisation, theme or network) pair one sentence names is a candidate; its
features are the sentence's words, the words between the two names, the target's kind and
which comes first. One logistic regression per evidence kind says whether the pair's council
has that kind of evidence on that target (the gold fact of the document).

1. Leave one note out: trained on every regression note but one (and the seed documents with
   `--seeds`), scored on the one left out, for each in turn; the learned claims alone, at two
   thresholds, micro-averaged as `bench_ingest.py` scores.
2. Promote: trained on all of them, then each pair the reader lists as named together with
   nothing proposed in a held-out document becomes a claim of the kind scored highest, when
   above 0.5. Only the held-out set's totals are printed, before and after.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from graph.ingest.quality import Report, Score, load_gold, score
from graph.ingest.read import read_document
from graph.loader import DEFAULT_SEED_DIR, load_dir
from matcher.clause_roles import outermost
from matcher.extract import extract
from matcher.sentences import sentences

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "ingest"
KINDS = ("challenge", "practice", "impact", "participation", "offer", "endorsement")
C = 0.3  # the regression's regularisation, as first tried; not tuned
_WORD = re.compile(r"[a-z]+")


def features(sentence: str, actor: tuple[int, int], target: tuple[int, int],
             target_kind: str) -> dict[str, int]:
    text = sentence.lower()
    out = {f"w={w}": 1 for w in _WORD.findall(text)}
    lo, hi = (actor[1], target[0]) if actor[1] <= target[0] else (target[1], actor[0])
    out |= {f"m={w}": 1 for w in _WORD.findall(text[lo:hi])}
    out |= {f"target={target_kind}": 1, f"first={'actor' if actor[0] < target[0] else 'target'}": 1}
    return out


def candidates(text: str, mentions) -> list[tuple[tuple[str, str], dict[str, int]]]:
    out = []
    for a, b in sentences(text):
        inside = [m for m in mentions if a <= m.start < b]
        actors = {m.id: m for m in inside if m.kind in ("council", "organisation")}
        for t in outermost([m for m in inside if m.kind in ("theme", "network")]):
            out += [((s.id, t.id), features(text[a:b], (s.start - a, s.end - a),
                                            (t.start - a, t.end - a), t.kind))
                    for s in actors.values()]
    return out


def labels(doc, cands) -> list[list[int]]:
    return [[int((s, k, t) in doc.claims) for k in KINDS] for (s, t), _ in cands]


def train(rows, ys):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform(rows)
    models = [LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
              .fit(x, [y[k] for y in ys]) if any(y[k] for y in ys) else None
              for k in range(len(KINDS))]

    def predict(feats: list[dict]) -> list[list[float]]:
        if not feats:
            return []
        xt = vec.transform(feats)
        cols = [m.predict_proba(xt)[:, 1] if m is not None else [0.0] * len(feats)
                for m in models]
        return [[float(col[i]) for col in cols] for i in range(len(feats))]
    return predict


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=Path, help="folder holding the seed documents")
    args = parser.parse_args()
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("needs scikit-learn (.venv/bin/pip install scikit-learn); peerlink itself does "
              "not use it", file=sys.stderr)
        return 2
    kg = load_dir(DEFAULT_SEED_DIR).graph()
    golds = load_gold(DATA / "regression" / "gold.yaml")
    if args.seeds:
        golds = load_gold(DATA / "dev" / "gold.yaml", args.seeds) + golds
    docs = []
    for gold in golds:
        text = read_document(gold.path).text
        cands = candidates(text, extract(text, kg).mentions)
        docs.append((gold, cands, labels(gold, cands)))

    scores = {0.5: Score(), 0.7: Score()}
    for i, (gold, cands, _) in enumerate(docs):
        rest = [d for j, d in enumerate(docs) if j != i]
        predict = train([f for _, c, _ in rest for _, f in c], [y for *_, ys in rest for y in ys])
        probs = predict([f for _, f in cands])
        for threshold, s in scores.items():
            s.add(set(gold.claims), {(p[0], KINDS[k], p[1])
                                     for (p, _), row in zip(cands, probs, strict=True)
                                     for k in range(len(KINDS)) if row[k] > threshold})
    print(f"leave one out over {len(docs)} documents (C {C}, learned claims alone):")
    for threshold, s in scores.items():
        print(f"  threshold {threshold}: claims P {s.precision:.3f}  R {s.recall:.3f}  "
              f"F1 {s.f1:.3f}  ({s.tp} right, {s.fp} extra, {s.fn} missed)")

    predict = train([f for _, c, _ in docs for _, f in c], [y for *_, ys in docs for y in ys])
    before, after = Report(), Report()
    for gold in load_gold(DATA / "heldout" / "gold.yaml"):
        text = read_document(gold.path).text
        found = extract(text, kg)
        result = found.to_json()
        score(gold, result, before)
        where = {(m.id, m.start): m for m in found.mentions}
        pairs = []
        for u in found.unclaimed:
            s = next(m for (i, at), m in where.items() if i == u.subject and u.start <= at < u.end)
            t = next(m for (i, at), m in where.items() if i == u.target and u.start <= at < u.end)
            pairs.append((u, features(u.text, (s.start - u.start, s.end - u.start),
                                      (t.start - u.start, t.end - u.start), t.kind)))
        rows = predict([f for _, f in pairs])
        promoted = [{"subject": u.subject, "target": u.target,
                     "kind": KINDS[max(range(len(KINDS)), key=row.__getitem__)]}
                    for (u, _), row in zip(pairs, rows, strict=True) if max(row) > 0.5]
        score(gold, result | {"claims": result["claims"] + promoted}, after)
    print("held-out set, totals only: the listed pairs promoted when a kind scores above 0.5")
    for label, r in (("before", before), ("after", after)):
        c = r.claims
        print(f"  {label}: claims P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}  "
              f"({c.tp} right, {c.fp} extra, {c.fn} missed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
