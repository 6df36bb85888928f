"""Review documents in a real browser: three real files uploaded (a .txt and a .docx written
here, a small PDF from tests/data), the names and themes they mention highlighted, one proposed
fact accepted as it stands, one changed, one rejected, a council and theme named together with
nothing proposed ticked and given its kind by the reviewer, applied, and the change seen on the
councils' profiles. Screenshots go to `screenshots/` (see test_browser.py for the server)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.app import test_browser as shared
from tests.app.test_browser import ROOT, _go, _settle, _shot
from tests.graph.documents import write_docx

server = shared.server  # the same running app and browser fixtures, started for this module
browser_page = shared.browser_page

pytestmark = pytest.mark.browser

PDF = ROOT / "tests" / "data" / "ingest" / "upload" / "front-door-network-note.pdf"
DOCX_TITLE = "Peer challenge on the front door, June 2026"
DOCX_LINES = [
    "The day was held at Huddersfield town hall. Calderdale sent apologies.",
    "Kirklees offered to share its multi-agency safeguarding hub guidance with neighbouring "
    "councils.",
    "Doncaster wants help with supervision for newly qualified social workers.",
    "Sheffield is working on its early help offer for families.",
    "Leeds and its supervision of frontline staff came up over lunch.",
]
TXT = ("Regional workforce meeting, May 2026\n\n"
       "Bradford wants help with recruiting and keeping social workers.\n")
HEADER_HEIGHT = 35  # the grid's header, in pixels
SENTENCE_X = 150  # from the grid's left edge: inside "The sentence it rests on" (read only)


def _files(tmp: Path) -> list[Path]:
    note = tmp / "regional-workforce-meeting.txt"
    note.write_text(TXT, encoding="utf-8")
    letter = write_docx(tmp / "front-door-peer-challenge.docx", DOCX_TITLE, DOCX_LINES)
    return [note, letter, PDF]


def _cells(grid) -> list[list[str]]:
    """The grid's cells as first drawn, row by row (its accessible table, which is not
    redrawn after edits: the Apply button's count and the profile show those)."""
    texts = grid.locator("td").all_text_contents()
    width = grid.locator("th").count()
    return [texts[i:i + width] for i in range(0, len(texts), width)]


def _row_height(grid) -> float:
    """Each row's height in pixels: the grid's height shared by its rows."""
    return (grid.bounding_box()["height"] - HEADER_HEIGHT) / len(_cells(grid))


def _select(page, grid, row: int, right: int = 0, left: int = 0) -> None:
    """Select a cell: click row `row` in the sentence column, then move with the arrow keys."""
    _settle(page)
    box = grid.bounding_box()
    height = _row_height(grid)
    page.keyboard.press("Escape")
    page.mouse.click(box["x"] + SENTENCE_X, box["y"] + HEADER_HEIGHT + height * row + height / 2)
    for _ in range(right):
        page.keyboard.press("ArrowRight")
    for _ in range(left):
        page.keyboard.press("ArrowLeft")


def _open_choices(page, grid, row: int, right: int) -> None:
    """Open a cell's list of choices so that it takes typing (a second try if the grid was
    still drawing when the first key arrived)."""
    for attempt in range(2):
        _select(page, grid, row=row, right=right)
        page.keyboard.press("Enter")
        try:
            page.wait_for_function(
                "() => document.activeElement?.getAttribute('role') === 'combobox'",
                timeout=10_000)
            return
        except PlaywrightTimeout:
            if attempt:
                raise


def _choose(page, grid, row: int, right: int, typed: str, option: str) -> None:
    """Pick `option` in a cell's list by typing part of it (again, from a fresh open, when a
    loaded machine dropped keys the first time)."""
    for attempt in range(3):
        _open_choices(page, grid, row=row, right=right)
        page.keyboard.type(typed, delay=30)
        try:
            page.get_by_role("option", name=option).wait_for(timeout=20_000)
            page.keyboard.press("Enter")
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            if attempt == 2:
                raise


def test_uploaded_files_are_reviewed_applied_and_change_the_profiles(browser_page, server,
                                                                     tmp_path):
    page = browser_page
    _go(page, "Review documents", "Review documents")
    name = page.get_by_role("textbox", name="Your name")
    name.fill("Dee Reviewer")
    name.press("Enter")
    _settle(page)
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        [str(p) for p in _files(tmp_path)])
    for title in ("Regional workforce meeting, May 2026", DOCX_TITLE,
                  "Learning note, front door network, June 2026"):
        page.get_by_role("heading", name=title).wait_for()
    _settle(page)
    for mark in ("council: Bradford", "council: Kirklees", "council: Calderdale",
                 "theme: Integrated front door and contact and referral",
                 "council: Barnsley", "council: Rotherham"):
        expect(page.locator(f"mark[title='{mark}']").first).to_be_visible()
    # the '# ' the reader puts before a Word heading is not shown to the reviewer
    shown = page.locator("div[style*='pre-wrap']").filter(has_text="Huddersfield").first
    expect(shown).to_contain_text(DOCX_TITLE)
    assert f"# {DOCX_TITLE}" not in shown.inner_text()
    _shot(page, "7-review-documents-uploaded")

    grid = page.locator("[data-testid=stDataFrame]").filter(has_text="Kirklees")
    # in a 1280-pixel window every column, theme and confidence too, shows without scrolling
    page.set_viewport_size({"width": 1280, "height": 2000})
    _settle(page)
    _shot(page, "7-review-documents-1280")
    assert grid.locator(".dvn-scroller").evaluate(
        "el => el.scrollWidth - el.clientWidth") <= 1
    page.set_viewport_size({"width": 1400, "height": 2000})
    _settle(page)
    rows = _cells(grid)
    assert [r[2:5] for r in rows] == [
        ["Kirklees", "can share it (offer)", "Integrated front door and contact and referral"],
        ["Doncaster", "working on it (challenge)",
         "Recruiting and retaining experienced social workers"],
        ["Doncaster", "working on it (challenge)", "Supervision of frontline practitioners"],
        ["Sheffield", "working on it (challenge)", "Early help offer"],
    ]
    # the whole sentence shows, wrapped over two lines: rows are taller than one line (35)
    assert rows[0][1] == DOCX_LINES[1]
    assert _row_height(grid) > 60
    # the reviewer files Kirklees's hub guidance under multi-agency teams instead
    _choose(page, grid, row=0, right=3, typed="Multi-agency teams",
            option="Multi-agency teams and co-located specialists")
    _settle(page)
    # "newly qualified social workers" is not what Doncaster asked about: rejected
    _select(page, grid, row=1, left=1)
    page.keyboard.press(" ")
    _settle(page)
    page.keyboard.press("Escape")
    _shot(page, "7a-review-documents-reviewed")

    # Leeds and supervision are named together but the reader could not tell what the
    # sentence says: listed unticked; ticked without a kind, nothing is recorded
    page.get_by_text("Named together, nothing proposed (1)").click()
    listed = page.locator("[data-testid=stDataFrame]").filter(has_text="Leeds")
    listed.wait_for()
    _settle(page)
    assert [r[2:5] for r in _cells(listed)] == [
        ["Leeds", "choose what it is evidence of", "Supervision of frontline practitioners"]]
    apply = page.get_by_role("button", name=f"Apply 4 accepted facts from \u201c{DOCX_TITLE}\u201d")
    for attempt in range(3):  # a loaded machine may drop the key while the grid still draws
        _select(page, listed, row=0, left=1)
        page.keyboard.press(" ")
        _settle(page)
        page.keyboard.press("Escape")
        try:
            apply.wait_for(timeout=10_000)  # the tick counted: four facts to apply
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    apply.click()
    refused = page.get_by_text("Nothing recorded: choose what the sentence about Leeds and "
                               "Supervision of frontline practitioners is evidence of, or "
                               "untick it.")
    refused.wait_for()
    refused.scroll_into_view_if_needed()
    _shot(page, "7a-review-documents-named-together")
    _choose(page, listed, row=0, right=2, typed="working on",
            option="working on it (challenge)")
    _settle(page)
    apply.click()
    page.get_by_text(f"Recorded 4 facts from \u201c{DOCX_TITLE}\u201d.").wait_for()
    expect(page.get_by_role("link", name="Profile of Leeds")).to_be_visible()
    _settle(page)
    _shot(page, "7b-review-documents-applied")

    page.get_by_role("link", name="Profile of Doncaster").click()
    page.get_by_role("heading", name="Doncaster").first.wait_for()
    _settle(page)
    expect(page.get_by_text("Supervision of frontline practitioners", exact=True).first) \
        .to_be_visible()
    page.get_by_text(DOCX_TITLE).first.wait_for()  # the source it cites
    expect(page.get_by_text("Recruiting and retaining experienced social workers",
                            exact=True)).to_have_count(0)  # the rejected one is not recorded
    _shot(page, "7c-profile-after-review")

    page.goto(f"{server}/profile?council=E08000034")
    page.get_by_role("heading", name="Kirklees").first.wait_for()
    _settle(page)
    shares = page.locator("[data-testid=stDataFrame]").filter(
        has_text="Multi-agency teams and co-located specialists")
    expect(shares).to_have_count(1)  # the edited theme, not the one first proposed
    shares.scroll_into_view_if_needed()
    _shot(page, "7d-profile-edited-fact")
    assert page.evaluate("() => window.__pwned === undefined")
