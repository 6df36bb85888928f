"""Several sentences about the same council, kind of evidence and theme in one document: each
is proposed, and each accepted one is cited by the fact recorded, whatever its kind. Nothing a
reviewer accepted is dropped."""

from __future__ import annotations

import pytest

from graph.ingest.apply import AcceptedClaim, ingest_changes
from graph.ingest.read import read_bytes
from graph.loader import load_dir
from graph.schema import EdgeType
from graph.stores import EmbeddedStore
from matcher.extract import extract

KIRKLEES, FRONT_DOOR = "E08000034", "system.front-door"
NOTE = ("Kirklees offered to share its multi-agency safeguarding hub guidance.\n\n"
        "Later in the day Kirklees offered to host visits to its front door team.\n\n"
        "Kirklees has set up a single front door with the police.\n")


@pytest.fixture(scope="module")
def kg():
    return load_dir().graph()


def _spans(text: str) -> list[tuple[int, int]]:
    """The characters of each of the note's three sentences."""
    out, start = [], 0
    for part in text.split("\n\n"):
        out.append((start, start + len(part.strip())))
        start += len(part) + 2
    return out


def test_every_sentence_supporting_the_same_fact_is_proposed(kg):
    claims = extract(NOTE, kg).claims
    assert [(c.subject, c.kind, c.target, (c.start, c.end)) for c in claims] == [
        (KIRKLEES, "offer", FRONT_DOOR, _spans(NOTE)[0]),
        (KIRKLEES, "offer", FRONT_DOOR, _spans(NOTE)[1]),
        (KIRKLEES, "practice", FRONT_DOOR, _spans(NOTE)[2]),
    ]
    assert claims[1].text.startswith("Later in the day Kirklees offered to host visits")


def test_the_recorded_fact_cites_every_accepted_sentence_with_its_kind(tmp_path):
    store = EmbeddedStore(journal=tmp_path / "j.sqlite")
    kg = store.snapshot()
    src = read_bytes("front-door-day.txt", NOTE.encode())
    accepted = [AcceptedClaim.from_json(c.to_json()) for c in extract(src.text, kg).claims]
    assert len(accepted) == 3
    store.apply(ingest_changes(kg, src, accepted, "Ann"), "Ann")
    [edge] = [e for e in store.snapshot().out_edges(KIRKLEES, EdgeType.SHARES_PRACTICE)
              if e.provenance.source == src.document_id]
    (a, b), (c, d), (e, f) = _spans(NOTE)
    assert edge.provenance.locator == (f"characters {a}-{b} (offer); characters {c}-{d} "
                                       f"(offer); characters {e}-{f} (practice)")
    assert edge.props["evidence"] == "offer"  # the most confident of the kinds stated
    assert edge.provenance.confidence == 0.85
    store.close()


def test_a_weaker_second_kind_is_cited_not_dropped(kg):
    """A reviewer who accepts a participation and an offer on the same theme keeps both
    sentences: the fact is an offer (a source of help) resting on both."""
    src = read_bytes("n.txt", NOTE.encode())
    (a, b), (c, d), _ = _spans(NOTE)
    changes = ingest_changes(kg, src, [
        AcceptedClaim(KIRKLEES, "participation", FRONT_DOOR, 0.9, a, b),
        AcceptedClaim(KIRKLEES, "offer", FRONT_DOOR, 0.6, c, d)], "Ann")
    [fact] = [ch.edge for ch in changes[1:]]
    assert fact.props["evidence"] == "offer"
    assert fact.provenance.locator == (f"characters {a}-{b} (participation); "
                                       f"characters {c}-{d} (offer)")
    assert fact.provenance.confidence == 0.9


def test_the_same_sentence_accepted_twice_is_cited_once(kg):
    src = read_bytes("n.txt", NOTE.encode())
    (a, b), _, _ = _spans(NOTE)
    twice = [AcceptedClaim(KIRKLEES, "offer", FRONT_DOOR, 0.8, a, b)] * 2
    [fact] = [ch.edge for ch in ingest_changes(kg, src, twice, "Ann")[1:]]
    assert fact.provenance.locator == f"characters {a}-{b}"
