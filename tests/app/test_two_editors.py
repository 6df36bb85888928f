"""Two people editing one council at once, in two real browser sessions (chromium): a save
from a stale page never undoes the other's change; saving the same field the other changed
is refused with what changed and by whom, and "Re-apply my change" saves it over theirs."""

from __future__ import annotations

import re

import pytest

from graph.stores import EmbeddedStore
from tests.app.test_browser import SHOTS, TIMEOUT, server  # noqa: F401 - the running app
from tests.app.test_sign_in import browser  # noqa: F401 - one chromium

pytestmark = pytest.mark.browser


def _open_halton(chromium, url: str, name: str):
    page = chromium.new_context(viewport={"width": 1400, "height": 2200}).new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(url)
    page.get_by_role("heading", name="peerlink").wait_for()
    box = page.get_by_label("Your name", exact=True).and_(page.get_by_role("textbox"))
    box.fill(name)
    box.press("Enter")
    page.get_by_role("link", name="Council profile").first.click()
    council = page.get_by_label("Council", exact=True)
    council.fill("Halton")
    council.press("Enter")
    page.get_by_role("heading", name="Halton").first.wait_for()
    return page


def _save_worry(page, text: str) -> None:
    page.get_by_label("What worries us").fill(text)
    page.get_by_role("button", name="Save self-view").click()


def _journal_of(page) -> EmbeddedStore:
    """The store the running app writes to, as its sidebar names it."""
    caption = page.get_by_text("embedded (seed").inner_text()
    return EmbeddedStore(journal=re.search(r"journal (.+)\)", " ".join(caption.split()))[1])


def test_two_browser_sessions_never_lose_each_others_changes(browser, server):  # noqa: F811
    ann = _open_halton(browser, server, "Ann")
    bob = _open_halton(browser, server, "Bob")

    # Bob saves capacity; Ann, from the page she opened before, saves the self-view.
    bob.get_by_label("Capacity (engagements at once)").fill("3")
    bob.get_by_role("button", name="Save capacity and stage").click()
    bob.get_by_text("Capacity and stage of Halton saved by Bob.").wait_for()
    _save_worry(ann, "Ann's worry")
    ann.get_by_text("Self-view of Halton saved by Ann.").wait_for()
    ann.get_by_label("Capacity (engagements at once)").wait_for()
    # the page refilled from the latest record: Bob's capacity survived Ann's save
    assert ann.get_by_label("Capacity (engagements at once)").input_value() == "3"

    # Now both edit the self-view: Bob from the page he opened before Ann saved.
    _save_worry(bob, "Bob's worry")
    bob.get_by_text("the self-view of Halton was changed by Ann at").wait_for()
    bob.get_by_role("button", name="Reload the latest").wait_for()
    bob.screenshot(path=str(SHOTS / "conflict-offered.png"))
    bob.get_by_role("button", name="Re-apply my change").click()
    bob.get_by_text("Self-view of Halton saved by Bob.").wait_for()
    assert bob.get_by_label("What worries us").input_value() == "Bob's worry"
    store = _journal_of(bob)
    try:
        halton = store.snapshot().node("E06000006")
        assert (halton.capacity, halton.self_view.what_worries_us) == (3, "Bob's worry")
        assert [r.who for r in store.history("E06000006", limit=3)] == ["Bob", "Ann", "Bob"]
    finally:
        store.close()
