"""Headings and list items read the same whatever the format: an HTML or Word heading is a
Markdown heading ('## '), a list item a Markdown item ('- '), so the reader's sections and
list items work on every file it reads."""

from __future__ import annotations

import pytest

from graph.ingest.read import read_bytes, read_document
from graph.loader import load_dir
from matcher.extract import extract

LEEDS, KIRKLEES = "E08000035", "E08000034"
HTML = (b"<html><body><h1>Network note</h1><h2>Peer challenge</h2>"
        b"<p>Kirklees agreed to send reviewers.</p><h2>Offers</h2>"
        b"<ul><li>Leeds: visits to its <b>front door</b>, by arrangement.</li></ul>"
        b"</body></html>")


@pytest.fixture(scope="module")
def kg():
    return load_dir().graph()


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_html_headings_and_list_items_read_as_markdown_marks_them():
    assert _lines(read_bytes("n.html", HTML).text) == [
        "# Network note", "## Peer challenge", "Kirklees agreed to send reviewers.",
        "## Offers", "- Leeds: visits to its front door, by arrangement."]


def test_an_html_table_cell_written_over_several_lines_stays_in_its_row():
    page = (b"<table><tr><th>Council</th><th>Finding</th></tr>\n<tr><td>Leeds</td>\n"
            b"<td>Family support workers sit in schools.\n   Health visitors rarely\n"
            b"   pass on what they know.</td></tr></table>")
    assert _lines(read_bytes("t.html", page).text) == [
        "Council\tFinding",
        "Leeds\tFamily support workers sit in schools. Health visitors rarely pass on what "
        "they know."]


def test_word_headings_and_list_paragraphs_read_as_markdown_marks_them(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Network note", level=0)
    document.add_heading("Offers", level=2)
    document.add_paragraph("Leeds: visits to its front door.", style="List Bullet")
    document.add_paragraph("An ordinary paragraph.")
    document.save(tmp_path / "n.docx")
    assert _lines(read_document(tmp_path / "n.docx").text) == [
        "# Network note", "## Offers", "- Leeds: visits to its front door.",
        "An ordinary paragraph."]


def test_an_html_section_gives_its_theme_and_an_offers_list_its_kind(kg):
    claims = {(c.subject, c.kind, c.target)
              for c in extract(read_bytes("n.html", HTML).text, kg).claims}
    assert claims == {(KIRKLEES, "participation", "change.peer-review"),
                      (LEEDS, "offer", "system.front-door")}
