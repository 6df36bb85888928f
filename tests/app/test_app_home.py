"""Home: counts, the region carried across pages, a link to every task."""

from __future__ import annotations

from app import state
from tests.app.apptest_helpers import open_page, read


def test_home_says_what_peerlink_is_for_and_counts_the_graph(app):
    text = read(app)
    assert "peerlink" in text
    assert "improvement partners" in text and "peer-review teams" in text
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Councils (current)"] == "153"
    assert metrics["Councils (abolished)"] == "8"
    for label in ("Practices", "Organisations", "Networks", "Themes"):
        assert int(metrics[label]) > 0


def test_home_links_to_every_task(app):
    links = {link.proto.page for link in app.get("page_link")}
    for page in ("partners", "practice", "peer_review", "profile", "explorer"):
        assert any(page in target for target in links), (page, links)


def test_region_chosen_once_is_carried_to_other_pages(app):
    app.selectbox(key=state.REGION).select("E12000002").run()
    assert "Region: North West" in read(app)
    open_page(app, "explorer")
    assert app.selectbox(key=state.REGION).value == "E12000002"
    assert app.multiselect(key=state.X_REGIONS).value == ["E12000002"]
    open_page(app, "home")
    assert "Region: North West" in read(app)


def test_what_the_graph_holds_names_kinds_of_record_in_peoples_words(app):
    table = app.dataframe[0].value
    assert list(table.columns) == ["records", "how many"]
    kinds = set(table["records"])
    assert {"councils", "support offers", "practice examples"} <= kinds
    assert not {"SupportOffer", "Practice", "Council"} & kinds
