"""Reading documents (every format), what the reader finds in them, and writing the reviewed
facts: one batch naming the document and the characters, and nothing twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import GraphError
from graph.ingest.apply import AcceptedClaim, ingest_changes
from graph.ingest.quality import GoldDocument, Report, load_gold, score
from graph.ingest.read import DocumentError, read_bytes, read_document
from graph.loader import load_dir
from graph.schema import EdgeType, NodeKind
from graph.stores import EmbeddedStore
from matcher.extract import extract
from tests.graph.documents import write_docx, write_pdf

NOTES = Path(__file__).resolve().parents[1] / "data" / "ingest" / "regression"
OFFER = "Rochdale offered to share its peer review toolkit."
ROCHDALE, BOLTON = "E08000005", "E08000001"


@pytest.fixture(scope="module")
def seed():
    return load_dir()


@pytest.fixture(scope="module")
def kg(seed):
    return seed.graph()


def _claims(kg, text):
    return {(c.subject, c.kind, c.target) for c in extract(text, kg).claims}


def test_each_format_gives_the_same_sentence(tmp_path, kg):
    (tmp_path / "a.txt").write_text(OFFER + "\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("# Note\n\n" + OFFER + "\n", encoding="utf-8")
    (tmp_path / "a.html").write_text(
        "<html><head><title>Note</title><script>var x = 'Bolton';</script></head>"
        f"<body><h1>Note</h1><p>{OFFER}</p></body></html>", encoding="utf-8")
    write_docx(tmp_path / "a.docx", "Note", [OFFER])
    write_pdf(tmp_path / "a.pdf", [OFFER])
    for name in ("a.txt", "a.md", "a.html", "a.docx", "a.pdf"):
        doc = read_document(tmp_path / name)
        assert OFFER in " ".join(doc.text.split()), name
        assert "Bolton" not in doc.text, name  # scripts are not text
        assert _claims(kg, doc.text) == {(ROCHDALE, "offer", "change.peer-review")}, name


def test_tables_in_docx_and_html_are_read_by_column_theme(tmp_path, kg):
    header = ["Theme", "1. Workforce development", "2. Practice improvement",
              "3. Early help offer"]
    row = ["Local areas", "Halton Wigan", "Bolton", "Bury"]
    write_docx(tmp_path / "t.docx", "Priorities", ["Priorities by theme."], [header, row])
    html = ("<table><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr><tr>"
            + "".join(f"<td>{c}</td>" for c in row) + "</tr></table>")
    (tmp_path / "t.html").write_text(html, encoding="utf-8")
    for name in ("t.docx", "t.html"):
        found = _claims(kg, read_document(tmp_path / name).text)
        assert ("E06000006", "challenge", "workforce") in found, name
        assert ("E08000010", "participation", "workforce") in found, name
        assert (BOLTON, "challenge", "practice") in found, name
        assert ("E08000002", "challenge", "system.early-help") in found, name


def test_unreadable_files_are_one_line_errors_naming_the_file(tmp_path):
    with pytest.raises(DocumentError, match=r"^notes\.xls: cannot read \.xls"):
        read_bytes("notes.xls", b"x")
    with pytest.raises(DocumentError, match=r"^broken\.docx: not a readable \.docx file"):
        read_bytes("broken.docx", b"not a zip")
    with pytest.raises(DocumentError, match="has no text"):
        read_bytes("empty.md", b"  \n")
    with pytest.raises(DocumentError, match="missing.txt: cannot read"):
        read_document(tmp_path / "missing.txt")


def test_the_same_bytes_are_the_same_document_whatever_the_name():
    a, b = read_bytes("a.txt", OFFER.encode()), read_bytes("b.md", OFFER.encode())
    assert a.document_id == b.document_id and a.sha256 == b.sha256
    assert read_bytes("c.txt", (OFFER + " ").encode()).document_id != a.document_id


@pytest.mark.parametrize("text, expected", [
    ("Bolton is struggling with supervision of frontline practitioners.",
     {(BOLTON, "challenge", "workforce.supervision")}),
    ("Bolton wants help with its multi-agency safeguarding hub.",
     {(BOLTON, "challenge", "system.front-door")}),
    ("Wigan has lifted retention of experienced social workers.",
     {("E08000010", "impact", "workforce.recruitment-retention")}),
    ("The meeting was held at the town hall in Bolton.", set()),
    ("Bolton and Wigan sent apologies.", set()),
    ("Cumbria is struggling with supervision of frontline practitioners.",
     {("E06000063", "challenge", "workforce.supervision"),
      ("E06000064", "challenge", "workforce.supervision")}),
])
def test_claims_from_cue_phrases_and_none_from_venues_or_apologies(kg, text, expected):
    assert _claims(kg, text) == expected


def test_old_names_are_mentions_of_their_successors(kg):
    found = extract("Colleagues from Poole and Northamptonshire attended.", kg)
    assert sorted(m.id for m in found.mentions if m.kind == "council") == [
        "E06000058", "E06000061", "E06000062"]
    m = found.mentions[0]
    assert "Colleagues from Poole and Northamptonshire attended."[m.start:m.end] == m.text


def test_the_regression_notes_score_well_against_their_gold(kg):
    report = Report()
    for doc in load_gold(NOTES / "gold.yaml"):
        score(doc, extract(read_document(doc.path).text, kg).to_json(), report)
    # measured 0.937 and 0.668 (bench/bench_ingest.py --dev-only, 2026-11-29, after round
    # 8's three held-out documents joined the regression notes, and round 9's rules); a
    # change that lowers them is a regression
    assert report.mentions.f1 >= 0.93, report.misses
    assert report.claims.f1 >= 0.66, report.misses
    # measured 0.651 with round 9's rules (0.670 on the 21 notes before round 8's held-out
    # set joined them), the day pairs named together were first listed for a person
    assert report.reach.recall >= 0.65, report.reach


def test_a_gold_fact_is_within_reach_when_proposed_or_its_pair_is_listed():
    gold = GoldDocument(Path("note.md"), frozenset(), frozenset({
        (ROCHDALE, "offer", "change.peer-review"), (BOLTON, "challenge", "system.early-help"),
        (BOLTON, "practice", "workforce.supervision")}))
    found = {"mentions": [], "claims": [{"subject": ROCHDALE, "kind": "offer",
                                         "target": "change.peer-review"}],
             "unclaimed": [{"subject": BOLTON, "target": "system.early-help"},
                           {"subject": ROCHDALE, "target": "system.early-help"}]}
    report = Report()
    score(gold, found, report)
    r = report.reach
    assert (r.gold, r.proposed, r.listed, r.pairs, r.pairs_right) == (3, 1, 1, 2, 1)
    assert r.recall == 0.667 and report.claims.recall == 0.333


def test_apply_is_one_batch_naming_document_and_characters_and_is_not_repeated(tmp_path):
    store = EmbeddedStore(journal=tmp_path / "j.sqlite")
    src = read_document(NOTES / "peer-challenge-day.md")
    kg = store.snapshot()
    claims = [AcceptedClaim.from_json(c.to_json()) for c in extract(src.text, kg).claims]
    changes = ingest_changes(kg, src, claims, "Ann")
    store.apply(changes, "Ann")
    after = store.snapshot()
    doc = after.node(src.document_id)
    assert doc.kind == NodeKind.DOCUMENT and doc.sha256 == src.sha256
    [edge] = [e for e in after.out_edges(ROCHDALE, EdgeType.SHARES_PRACTICE)
              if e.provenance.source == src.document_id]
    assert edge.dst == "change.peer-review"
    start, end = (int(x) for x in edge.provenance.locator.split()[1].split("-"))
    assert "Rochdale" in src.text[start:end]
    assert len({r.at for r in store.history()}) == 1  # one batch
    assert ingest_changes(after, src, claims, "Ann") == []
    store.close()


def test_a_claim_the_graph_cannot_hold_refuses_the_whole_batch(kg):
    src = read_bytes("n.txt", OFFER.encode())
    bad = [AcceptedClaim(ROCHDALE, "offer", "change.peer-review", 0.8, 0, 10),
           AcceptedClaim("research-in-practice", "challenge", "change.peer-review", 0.8, 0, 10)]
    with pytest.raises(GraphError, match="claim 2 .*only a council can be working on"):
        ingest_changes(kg, src, bad, "Ann")


def test_a_long_text_is_read_in_parts_with_progress_and_true_offsets(kg):
    from matcher.extract_parts import extract_in_parts

    filler = "Colleagues discussed the agenda at length.\n\n" * 60
    text = (filler + OFFER + "\n\n" + filler
            + "Bolton is struggling with supervision of frontline practitioners.\n")
    seen: list[tuple[int, int]] = []
    found = extract_in_parts(text, kg, lambda done, total: seen.append((done, total)),
                             part_chars=1000)
    assert len(seen) > 3 and seen[-1] == (len(text), len(text))
    assert {(c.subject, c.kind, c.target) for c in found.claims} == {
        (ROCHDALE, "offer", "change.peer-review"),
        (BOLTON, "challenge", "workforce.supervision")}
    for m in found.mentions:
        assert text[m.start:m.end] == m.text
