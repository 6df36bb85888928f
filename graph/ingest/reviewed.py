"""A person's review of what the reader proposed, kept in a file: the JSON `peerlink ingest
--json` prints, its `claims` left as the person decided (removed, changed, or added, such as a
pair from `unclaimed` given its kind). `peerlink ingest FILE --apply --reviewed REVIEW` records
those instead of every proposed claim.

Each document is found by its sha256, so the review fits only the bytes it was made from. A
claim needs `subject`, `kind` and `target` (ids, as printed) and `evidence` with `start` and
`end`; `confidence` may be left out (a person's, 0.7). Errors name the file, the line and the
field, and nothing is read from a file with any error.

>>> import json, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "review.json"
>>> _ = path.write_text(json.dumps([{"document": {"sha256": "ab12"}, "claims": [
...     {"subject": "E06000006", "kind": "offer", "target": "system.front-door",
...      "evidence": {"start": 0, "end": 57}}]}], indent=2))
>>> read_reviewed(path)["ab12"][0].confidence
0.7
>>> _ = path.write_text(json.dumps([{"document": {"sha256": "ab12"}, "claims": [
...     {"subject": "E06000006", "kind": "good at", "target": "system.front-door",
...      "evidence": {"start": 0, "end": 57}}]}], indent=2))
>>> read_reviewed(path)  # doctest: +ELLIPSIS
Traceback (most recent call last):
graph.errors.GraphError: ...review.json: line 7: claim 1: kind 'good at' is not one of ...
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
from pathlib import Path

from graph.errors import GraphError
from graph.ingest.apply import PERSON_CONFIDENCE, AcceptedClaim
from graph.schema import EvidenceKind

KINDS = tuple(k.value for k in EvidenceKind)


class _Located(dict):
    line = 0  # where the object opens in the file


def _decoder() -> json.JSONDecoder:
    """A JSON decoder whose objects know the line they open on (the pure-Python scanner, so
    that each object passes through `parse_object`)."""
    dec = json.JSONDecoder()

    def parse_object(s_and_end, *args):
        s, end = s_and_end
        pairs, after = json.decoder.JSONObject(s_and_end, *args)
        obj = _Located(pairs)
        obj.line = s.count("\n", 0, end) + 1
        return obj, after

    dec.parse_object = parse_object
    dec.scan_once = json.scanner.py_make_scanner(dec)
    return dec


def read_reviewed(path: Path | str) -> dict[str, list[AcceptedClaim]]:
    """The reviewed claims of each document in the file, by the document's sha256."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GraphError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") \
            from None
    try:
        data = _decoder().decode(text)
    except json.JSONDecodeError as exc:
        raise GraphError(f"{path}: line {exc.lineno}: not JSON: {exc.msg}") from None
    entries = data if isinstance(data, list) else [data]
    out: dict[str, list[AcceptedClaim]] = {}
    for entry in entries:
        def fail(where, what: str) -> GraphError:
            return GraphError(f"{path}: line {getattr(where, 'line', 1)}: {what}")

        doc = entry.get("document") if isinstance(entry, dict) else None
        sha = doc.get("sha256") if isinstance(doc, dict) else None
        if not isinstance(sha, str) or not sha:
            raise fail(entry, "document: a document with its sha256, as --json prints it")
        claims = entry.get("claims")
        if not isinstance(claims, list):
            raise fail(entry, "claims: a list of claims (an empty list records none)")
        out[sha] = [_claim(c, i, fail) for i, c in enumerate(claims, 1)]
    return out


def _claim(c, i: int, fail) -> AcceptedClaim:
    if not isinstance(c, dict):
        raise fail(c, f"claim {i}: an object with subject, kind, target and evidence")
    for name in ("subject", "kind", "target"):
        if not isinstance(c.get(name), str) or not c[name].strip():
            raise fail(c, f"claim {i}: {name} is missing")
    if c["kind"] not in KINDS:
        raise fail(c, f"claim {i}: kind {c['kind']!r} is not one of {', '.join(KINDS)}")
    ev = c.get("evidence")
    if not isinstance(ev, dict) or not all(
            isinstance(ev.get(k), int) and not isinstance(ev.get(k), bool) and ev[k] >= 0
            for k in ("start", "end")) or ev["start"] > ev["end"]:
        raise fail(ev if isinstance(ev, dict) else c,
                   f"claim {i}: evidence needs start and end, the characters it rests on")
    conf = c.get("confidence", PERSON_CONFIDENCE)
    if isinstance(conf, bool) or not isinstance(conf, int | float) or not 0 <= conf <= 1:
        raise fail(c, f"claim {i}: confidence {conf!r} is not a number from 0 to 1")
    return AcceptedClaim(c["subject"], c["kind"], c["target"], float(conf), ev["start"],
                         ev["end"])
