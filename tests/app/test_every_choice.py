"""Every choice a person can make on every page renders without an exception.

On each page (with what it needs to show everything: a council typed, a question asked, a
round staffed) every radio, select box, toggle, checkbox and multiselect is set to each of
its options in turn, and so is every control that only appears after one of those choices.
Long lists (councils, themes, nodes) are walked at up to `MOST` evenly spread options, first
and last included; a multiselect is also emptied. Each choice is undone before the next
control is walked.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest, element_tree

from app import state
from tests.app.apptest_helpers import ENTRY, open_page

MOST = 12
KINDS = ("radio", "selectbox", "toggle", "checkbox", "multiselect")


def _widgets(at: AppTest):
    for kind in KINDS:
        yield from getattr(at, kind)


def _ident(w) -> tuple[str, str]:
    return (w.type, w.key or w.label)


def _find(at: AppTest, ident: tuple[str, str]):
    return next((w for w in _widgets(at) if _ident(w) == ident), None)


def _spread(options: list) -> list:
    if len(options) <= MOST:
        return list(options)
    step = (len(options) - 1) / (MOST - 1)
    return [options[round(i * step)] for i in range(MOST)]


def _choices(w) -> list:
    if w.type in ("toggle", "checkbox"):
        return [not w.value, w.value]
    if w.type == "multiselect":
        return [[]] + [[o] for o in _spread(w.options)]
    return _spread(w.options)


def _shown(at: AppTest, w):
    """The widget's current choice as the text a person sees."""
    if w.type in ("toggle", "checkbox"):
        return w.value
    if w.type == "multiselect":
        return list(w.values)
    return None if w.index is None else w.options[w.index]


def _choose(at: AppTest, w, shown) -> None:
    if w.type in ("toggle", "checkbox"):
        w.set_value(shown)
    else:  # pick by the text shown (see NOTES: format functions and AppTest)
        at.session_state[element_tree.TESTING_KEY][w.id] = str
        w._value = shown
    at.run()


def walk(at: AppTest, page: str, done: set, depth: int = 0) -> int:
    """Set every control on the page to each of its choices; return how many were made."""
    made = 0
    for ident in [_ident(w) for w in _widgets(at)]:
        w = _find(at, ident)
        if ident in done or w is None or w.disabled:
            continue
        done.add(ident)
        original = _shown(at, w)
        for choice in _choices(w):
            w = _find(at, ident)
            if w is None:
                break
            _choose(at, w, choice)
            assert not at.exception, f"{page}: {ident[1]} = {choice!r}: {at.exception}"
            made += 1
            if depth == 0:
                made += walk(at, page, done, depth + 1)
        w = _find(at, ident)
        if w is not None and _shown(at, w) != original:
            _choose(at, w, original)
            assert not at.exception, f"{page}: {ident[1]} back to {original!r}: {at.exception}"
    return made


def _ready(page: str, tab: str = "") -> AppTest:
    """The page with what it needs to show everything (charts draw only in the open tab)."""
    at = AppTest.from_file(str(ENTRY), default_timeout=120)
    if page == "explorer":  # the "around one node" view needs a council to centre on
        at.query_params[state.X_CENTER] = "Halton"
        if tab:
            at.query_params[state.X_TAB] = tab
    at.run()
    open_page(at, page)
    if page in ("partners", "profile"):
        at.text_input(key=state.COUNCIL).input("Halton").run()
    elif page == "practice":
        at.text_input(key=state.S_QUERY).input("keeping experienced social workers").run()
    elif page == "peer_review":
        at.button(key=state.R_SOLVE).click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", ["home", "partners", "practice", "peer_review", "profile",
                                  "explorer", "explorer:Demand and supply"])
def test_every_choice_on_the_page_renders(journal, page):
    page, _, tab = page.partition(":")
    at = _ready(page, tab)
    made = walk(at, page, set())
    assert made >= 2, f"{page}: no choices found to walk"
