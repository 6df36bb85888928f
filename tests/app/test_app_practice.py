"""Best practice: a question answered with sources grouped by kind, why, and where from;
the menu of support for a role and region."""

from __future__ import annotations

from app import state
from tests.app.apptest_helpers import open_page, read


def search_tab(at):
    return at.tabs[0]


def test_search_groups_results_by_kind_with_reasons_and_sources(app):
    open_page(app, "practice")
    app.text_input(key=state.S_QUERY).input("keeping experienced social workers").run()
    assert not app.exception
    text = read(app)
    headings = [s.value for s in search_tab(app).subheader]
    assert any(h.startswith("Practice examples") for h in headings)
    assert any(h.startswith("Councils") for h in headings)
    # the workforce column councils only shared the priority: peers, in their own group
    assert any(h.startswith("Councils working on this too") for h in headings)
    assert "Themes read in your question:" in text
    assert "Recruiting and retaining experienced social workers" in text
    assert "Source: " in text


def test_a_misspelt_question_still_finds_practice(app):
    open_page(app, "practice")
    app.text_input(key=state.S_QUERY).input("recruitmant and retension").run()
    assert [s.value for s in search_tab(app).subheader], read(app)


def test_an_empty_question_shows_no_results(app):
    open_page(app, "practice")
    assert not list(search_tab(app).subheader)


def test_menu_of_support_follows_role_and_region(app):
    app.selectbox(key=state.REGION).select("E12000002").run()
    open_page(app, "practice")
    app.selectbox(key=state.S_ROLE).select("lead_member").run()
    menu = app.tabs[1]
    assert [s.value for s in menu.subheader], read(app)
    text = "\n".join(m.value for m in menu.markdown)
    assert "Offered in North West" in text or "national" in text.lower()
    assert [c for c in menu.caption if c.value.startswith("Source: ")]


def test_search_page_text_has_no_internal_names(app):
    from tests.cli.test_plain_words import internal_names

    open_page(app, "practice")
    app.text_input(key=state.S_QUERY).input("integrated front door").run()
    assert internal_names(read(app)) == {}


def test_each_result_cites_each_of_its_sources_once(app):
    open_page(app, "practice")
    app.text_input(key=state.S_QUERY).input("keeping experienced social workers").run()
    cards = [b for b in app.get("flex_container") if b.proto.flex_container.border]
    assert len(cards) >= 5
    for card in cards:
        sources = [c.value for c in card.caption if c.value.startswith("Source:")]
        assert len(sources) == len(set(sources))
