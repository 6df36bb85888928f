from __future__ import annotations

import pytest

from graph.schema import Network
from matcher.lexicon import canonical_role
from matcher.support import SupportError, resolve_region, support_menu
from tests.matcher.conftest import LDN, NW, offer, organisation, with_extra


@pytest.fixture
def menu_kg(small_kg):
    return with_extra(small_kg, nodes=[
        offer("nw-menu", "North West menu of support", ["lead_member", "dcs"], [NW], "lga"),
        offer("nw-ad-peer", "ADs in peer challenge", ["ad"], [NW]),
        offer("ldn-offer", "London DCS forum", ["dcs"], [LDN]),
        offer("national-peer-review", "Peer review", ["dcs", "chief_executive"], [], "lga"),
        offer("open-to-all", "Participation guides", ["any"]),
        organisation("lga", "Local Government Association"),
        Network(id="nw-ce", name="North West chief executives' network", scope=NW,
                description="Chief executives of the region's councils"),
        Network(id="local-group", name="A council's steering group", scope="local"),
    ])


def names(items) -> list[str]:
    return [i.name for i in items]


@pytest.mark.parametrize("text,role", [
    ("lead member", "lead_member"), ("Lead Member", "lead_member"), ("LM", "lead_member"),
    ("chief exec", "chief_executive"), ("Chief Executive", "chief_executive"),
    ("DCS", "dcs"), ("AD", "ad"), ("assistant director", "ad")])
def test_roles_accept_loose_words(text, role):
    assert canonical_role(text) == role


@pytest.mark.parametrize("text", ["North West", "north-west", "NW", "E12000002", "Nrth West"])
def test_regions_accept_names_aliases_codes_and_typos(menu_kg, text):
    assert resolve_region(menu_kg, text) == NW


def test_council_name_stands_for_its_region_through_a_resolver(menu_kg):
    assert resolve_region(menu_kg, "Halton", lambda name: "E06000006") == NW


def test_unknown_region_says_what_to_write(menu_kg):
    with pytest.raises(SupportError, match="unknown region"):
        resolve_region(menu_kg, "Narnia")


def test_lead_member_in_north_west_gets_regional_and_national_offers(menu_kg):
    items = support_menu(menu_kg, "lead member", "North West")
    found = names(items)
    assert "North West menu of support" in found
    assert "Participation guides" in found  # open to anyone, national
    assert "ADs in peer challenge" not in found  # another role
    assert "London DCS forum" not in found  # another region
    assert "Peer review" not in found  # national, but not for lead members
    assert found.index("North West menu of support") < found.index("Participation guides")


def test_national_offers_count_everywhere(menu_kg):
    assert "Peer review" in names(support_menu(menu_kg, "DCS", "London"))
    assert "Peer review" in names(support_menu(menu_kg, "chief exec", "NW"))


def test_regional_network_that_names_another_role_is_left_out(menu_kg):
    assert "North West chief executives' network" in names(
        support_menu(menu_kg, "chief exec", "NW"))
    assert "North West chief executives' network" not in names(
        support_menu(menu_kg, "lead member", "NW"))
    assert "A council's steering group" not in names(support_menu(menu_kg, None, "NW"))


def test_items_say_why_and_cite_their_source(menu_kg):
    items = support_menu(menu_kg, "DCS", "North West")
    menu = next(i for i in items if i.id == "nw-menu")
    assert any("North West" in w for w in menu.why)
    assert menu.source["source"] == "isos-regional-workshops-2016"
    assert menu.provider == {"id": "lga", "name": "Local Government Association"}
    providers = [i for i in items if i.kind == "Organisation"]
    assert [p.id for p in providers] == ["lga"]


def test_unknown_role_is_an_error(menu_kg):
    with pytest.raises(SupportError, match="unknown role"):
        support_menu(menu_kg, "astronaut", "NW")


def test_real_seed_menu_for_lead_member_in_north_west(seed_kg):
    items = support_menu(seed_kg, "Lead Member", "North West")
    assert any("menu of support" in i.name.lower() for i in items)
    assert all(i.why for i in items)


def test_historic_offers_only_on_request_and_after_current_ones(seed_kg):
    from matcher.support import support_menu

    current = support_menu(seed_kg, None, "North West")
    everything = support_menu(seed_kg, None, "North West", include_historic=True)
    assert all(i.status != "historic" for i in current)
    historic = [i for i in everything if i.status == "historic"]
    assert historic and any(i.date for i in historic)  # one source is undated
    offers = [i for i in everything if i.kind == "SupportOffer"]
    assert [i.status == "historic" for i in offers] == sorted(
        i.status == "historic" for i in offers)  # current and proposed first
    assert any("not known to run now" in w for w in historic[0].why)


def test_a_region_without_offers_of_its_own_is_told_so(seed_kg):
    from matcher.support import own_offers

    assert own_offers(seed_kg, "E12000002")  # the North West has its own menu
    assert own_offers(seed_kg, "E12000007") == []  # London: only national offers
