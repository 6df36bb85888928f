"""The shipped seed graph says what the source documents say, each fact traceable to its source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from graph.knowledge import KnowledgeGraph
from graph.loader import DEFAULT_SEED_DIR, SeedData, load_dir
from graph.schema import TOP_LEVEL_THEMES, Edge, EdgeType, EvidenceAbout, EvidenceKind, NodeKind

ISOS = "isos-regional-workshops-2016"
NW_WORKSHOP = "nw-sli-workshop-2017"
SPRING = "spring-whole-service-change-2017"
SCIE_GUIDE = "scie-changing-social-care-2009"
SCIE_STEERING = "scie-steering-group-liverpool-southwark"
NORTH_WEST = "E12000002"

# Isos table (d): the councils in each theme column, with their 2016 GSS codes.
TABLE_D: dict[str, dict[str, str]] = {
    "workforce": {
        "Halton": "E06000006",
        "Leicester": "E06000016",
        "Wirral": "E08000015",
        "Tameside": "E08000008",
        "Bracknell Forest": "E06000036",
        "Cornwall": "E06000052",
        "South Gloucestershire": "E06000025",
        "Lambeth": "E09000022",
        "Cheshire East": "E06000049",
        "Dudley": "E08000027",
        "Solihull": "E08000029",
    },
    "practice": {
        "Manchester": "E08000003",
        "Cumbria": "E10000006",
        "Lancashire": "E10000017",
        "Surrey": "E10000030",
        "Kent": "E10000016",
        "Essex": "E10000012",
        "Cheshire West and Chester": "E06000050",
    },
    "system": {
        "Blackburn with Darwen": "E06000008",
        "NE Lincolnshire": "E06000012",
        "Halton": "E06000006",
        "Bradford": "E08000032",
        "Trafford": "E08000009",
        "Warrington": "E06000007",
        "Poole": "E06000029",
        "Bexley": "E09000004",
        "Oxfordshire": "E10000025",
        "Bristol": "E06000023",
        "Devon": "E10000008",
        "Somerset": "E10000027",
        "Swindon": "E06000030",
        "Wolverhampton": "E08000031",
        "Blackpool": "E06000009",
    },
    "governance": {
        "Barnsley": "E08000016",
        "Bury": "E08000002",
        "Lewisham": "E09000023",
        "Birmingham": "E08000025",
        "Leicestershire": "E10000018",
    },
    "innovation": {
        "Hertfordshire": "E10000015",
        "Waltham Forest": "E09000031",
        "Islington": "E09000019",
    },
}

# North West RAG ratings of the eight characteristics, as the workshop table shows them.
NW_RATINGS = {
    1: "green",
    2: "yellow",
    3: "red",
    4: "green",
    5: "green",
    6: "red",
    7: "red",
    8: "red",
}

CASE_STUDY_ORGS = {
    "willowbank": "WB",
    "age-concern-sheffield": "ACS",
    "disability-wales": "DW",
    "cafcass": "CAFCASS",
    "terrablu": "TB",
}


@pytest.fixture(scope="module")
def seed() -> SeedData:
    return load_dir(DEFAULT_SEED_DIR)


@pytest.fixture(scope="module")
def kg(seed: SeedData) -> KnowledgeGraph:
    return seed.graph()


def _stated(kg: KnowledgeGraph, src: str, type_: EdgeType, dst: str) -> list[Edge]:
    return [e for e in kg.out_edges(src, type_) if e.dst == dst and not e.derived]


def _practice_named(kg: KnowledgeGraph, fragment: str):
    found = [p for p in kg.nodes(NodeKind.PRACTICE) if fragment.lower() in p.name.lower()]
    assert found, f"no practice named like {fragment!r}"
    return found


# ---------------------------------------------------------------- themes


def test_the_six_top_level_themes_are_exactly_the_six_ids(kg):
    top = {t.id for t in kg.nodes(NodeKind.THEME) if t.parent is None}
    assert top == set(TOP_LEVEL_THEMES)


def test_every_sub_theme_hangs_off_a_top_level_theme_with_its_prefix(kg):
    for theme in kg.nodes(NodeKind.THEME):
        if theme.parent is None:
            continue
        assert theme.parent in TOP_LEVEL_THEMES, theme.id
        assert theme.id.startswith(theme.parent + "."), theme.id


def test_each_top_level_theme_has_four_to_ten_sub_themes_with_rich_synonyms(kg):
    children = kg.theme_children
    for top in TOP_LEVEL_THEMES:
        assert 4 <= len(children.get(top, [])) <= 10, top
    for theme in kg.nodes(NodeKind.THEME):
        assert len(theme.synonyms) >= 8, theme.id
        assert theme.description, theme.id


@pytest.mark.parametrize(
    "theme_id",
    [
        "workforce.recruitment-retention",
        "practice.practice-framework",
        "practice.consistency",
        "system.front-door",
        "system.early-help",
        "system.looked-after-children",
        "system.think-family",
        "governance.political-scrutiny",
        "innovation.multi-agency-teams",
        "innovation.innovation-fund",
        "innovation.volunteers",
        "change.leadership-for-change",
        "change.workforce-involvement",
        "change.stakeholder-participation",
        "change.service-user-led-change",
        "change.whole-system-change",
        "change.peer-review",
        "change.measuring-outcomes",
    ],
)
def test_the_themes_the_documents_discuss_exist(kg, theme_id):
    assert kg.get(theme_id) is not None


def test_signs_of_safety_is_a_synonym_of_the_practice_framework_theme(kg):
    synonyms = [s.lower() for s in kg.node("practice.practice-framework").synonyms]
    assert "signs of safety" in synonyms


# ---------------------------------------------------------------- Isos table (d)


@pytest.mark.parametrize("theme", list(TABLE_D))
def test_every_table_d_council_has_its_columns_priority_from_the_isos_summary(kg, theme):
    for name, code in TABLE_D[theme].items():
        edges = _stated(kg, code, EdgeType.HAS_PRIORITY, theme)
        assert edges, f"{name} ({code}) lacks HAS_PRIORITY -> {theme}"
        edge = edges[0]
        assert edge.provenance.source == ISOS
        assert edge.provenance.confidence == 1.0
        assert "table (d)" in (edge.provenance.locator or "")


@pytest.mark.parametrize("theme", list(TABLE_D))
def test_table_d_councils_took_part_and_shared_learning_but_are_not_sources_of_practice(kg, theme):
    for name, code in TABLE_D[theme].items():
        edges = _stated(kg, code, EdgeType.SHARES_PRACTICE, theme)
        assert edges and edges[0].provenance.source == ISOS, f"{name} ({code})"
        assert {e.evidence for e in edges} == {EvidenceKind.PARTICIPATION}, f"{name} ({code})"
        assert all(e.evidence == EvidenceKind.CHALLENGE
                   for e in _stated(kg, code, EdgeType.HAS_PRIORITY, theme))


def test_table_d_names_forty_distinct_councils_with_halton_in_two_columns(kg):
    codes = [c for column in TABLE_D.values() for c in column.values()]
    assert len(codes) == 41 and len(set(codes)) == 40
    halton = {
        e.dst
        for e in kg.out_edges("E06000006", EdgeType.HAS_PRIORITY)
        if e.provenance.source == ISOS
    }
    assert {"workforce", "system"} <= halton


def test_column_examples_stay_on_the_column_group_never_on_its_members(kg):
    examples = {
        "E08000016": ("governance", "governance.political-scrutiny"),  # Barnsley, column 4
        "E06000006": ("workforce", "workforce.recruitment-retention"),  # Halton, column 1
        "E06000008": ("system", "system.front-door"),  # Blackburn with Darwen, column 3
        "E09000031": ("innovation", "innovation.innovation-fund"),  # Waltham Forest, column 5
    }
    for code, (top, sub) in examples.items():
        assert not _stated(kg, code, EdgeType.HAS_PRIORITY, sub), (code, sub)
        cohort = f"isos-2016-{top}-cohort"
        assert _stated(kg, code, EdgeType.MEMBER_OF, cohort), (code, cohort)
        edges = _stated(kg, cohort, EdgeType.HAS_PRIORITY, sub)
        assert edges and edges[0].about == EvidenceAbout.GROUP, (cohort, sub)
        assert "does not say which council" in str(edges[0].props.get("note"))
    isos_edges = [e for e in kg.edges() if e.provenance.source == ISOS and not e.derived]
    from_councils = [e for e in isos_edges if e.src.startswith("E")
                     and e.evidence is not None and e.dst not in TABLE_D]
    assert all(e.dst == "lga-regional-workshops-2016" for e in from_councils)


def test_abolished_councils_are_cited_by_their_2016_codes_and_resolve_to_successors(kg):
    assert kg.node("E10000006").status == "abolished"  # Cumbria
    assert _stated(kg, "E10000006", EdgeType.HAS_PRIORITY, "practice")
    assert set(kg.current_successors("E06000029")) == {"E06000058"}  # Poole -> BCP
    assert set(kg.current_successors("E10000027")) == {"E06000066"}  # Somerset


def test_workshop_introducers_are_recorded_as_councils_without_personal_names(kg):
    for code in ("E08000015", "E10000015", "E08000027", "E10000027"):
        edges = _stated(kg, code, EdgeType.INVOLVED_IN, "lga-regional-workshops-2016")
        assert edges, code
        assert "introduced" in str(edges[0].props.get("role"))


# ---------------------------------------------------------------- North West workshop


def test_the_eight_characteristics_exist_numbered_one_to_eight(kg):
    numbers = sorted(c.number for c in kg.nodes(NodeKind.CHARACTERISTIC))
    assert numbers == list(range(1, 9))


def test_north_west_ratings_match_the_workshop_table(kg):
    by_number = {c.number: c.id for c in kg.nodes(NodeKind.CHARACTERISTIC)}
    for number, rag in NW_RATINGS.items():
        edges = _stated(kg, NORTH_WEST, EdgeType.RATED, by_number[number])
        assert len(edges) == 1, number
        edge = edges[0]
        assert edge.props["rag"] == rag, number
        assert edge.props.get("note")
        assert edge.provenance.source == NW_WORKSHOP
        assert edge.provenance.since == "2017-02-02"


def test_halton_chairs_the_north_west_sli_board(kg):
    edges = _stated(kg, "E06000006", EdgeType.INVOLVED_IN, "nw-sli-board")
    assert edges and "chair" in str(edges[0].props.get("role"))
    assert kg.node("nw-sli-board").scope == NORTH_WEST


def test_north_west_regional_networks_are_in_the_region(kg):
    for net in ("nw-sli-board", "nw-sli-team", "nwadcs", "nw-chief-executives-network"):
        assert any(e.dst == NORTH_WEST for e in kg.out_edges(net, EdgeType.IN_REGION)), net


def test_the_menu_of_support_answers_each_key_role_in_the_north_west(kg):
    offers = [o for o in kg.nodes(NodeKind.SUPPORT_OFFER) if NORTH_WEST in o.regions]
    roles = {r for o in offers for r in o.roles}
    assert {"dcs", "ad", "lead_member", "chief_executive"} <= roles
    menu = kg.node("nw-menu-of-support")
    assert menu.provider == "nw-sli-board"
    assert any(e.dst == "sis-support-offer" for e in kg.out_edges(menu.id, EdgeType.SUPPORTS))


def test_assistant_directors_alongside_dcss_in_peer_challenge_is_an_offer(kg):
    offer = kg.node("nw-ads-in-peer-challenge")
    assert {"ad", "dcs"} <= set(offer.roles)


def test_research_in_practice_membership_is_offered_by_research_in_practice(kg):
    assert kg.node("nw-research-in-practice-membership").provider == "research-in-practice"


# ---------------------------------------------------------------- stages


def test_stages_run_from_the_starting_line_to_sustaining_good(kg):
    stages = sorted(kg.nodes(NodeKind.STAGE), key=lambda s: s.order)
    assert stages[0].id == "stage-starting-line"
    ids = [s.id for s in stages]
    assert (
        ids.index("stage-poor-to-fair")
        < ids.index("stage-fair-to-good")
        < ids.index("stage-sustaining-good")
    )


# ---------------------------------------------------------------- practices


def test_islington_developed_doing_what_counts_and_measuring_what_matters(kg):
    for fragment in ("Doing What Counts", "Measuring What Matters"):
        practice = _practice_named(kg, fragment)[0]
        assert "E09000019" in practice.owners
        assert practice.source == SPRING
        developers = {e.src for e in kg.in_edges(practice.id, EdgeType.DEVELOPED)}
        assert "E09000019" in developers


def test_hampshire_developed_whole_service_change_with_volunteers(kg):
    practice = kg.node("hampshire-whole-service-change")
    assert practice.owners == ["E10000014"]
    assert "innovation.volunteers" in practice.themes
    assert "innovation.multi-agency-teams" in practice.themes


def test_liverpool_and_southwark_own_the_think_family_steering_group_practice(kg):
    practice = kg.node("think-family-steering-groups-liverpool-southwark")
    assert set(practice.owners) == {"E08000012", "E09000028"}
    assert practice.source == SCIE_STEERING
    assert "system.think-family" in practice.themes


def test_age_concern_sheffield_developed_the_critical_event_audit(kg):
    practice = _practice_named(kg, "critical event audit")[0]
    assert practice.owners == ["age-concern-sheffield"]
    assert practice.source == SCIE_GUIDE


def test_willowbank_and_disability_wales_practise_the_social_model_of_disability(kg):
    for org in ("willowbank", "disability-wales"):
        practices = [p for p in kg.nodes(NodeKind.PRACTICE) if org in p.owners]
        assert any("social model" in p.summary.lower() for p in practices), org


def test_cafcass_restructured_north_east_supervision_and_set_up_a_childrens_board(kg):
    owned = {p.id for p in kg.nodes(NodeKind.PRACTICE) if "cafcass" in p.owners}
    assert {"cafcass-ne-supervision-restructure", "cafcass-childrens-board"} <= owned


def test_every_practice_has_a_summary_themes_and_a_known_source(kg):
    docs = {d.id for d in kg.nodes(NodeKind.DOCUMENT)}
    for practice in kg.nodes(NodeKind.PRACTICE):
        assert practice.themes, practice.id
        assert practice.source in docs, practice.id
        assert practice.locator, practice.id
        assert len(practice.summary.split()) >= 20, practice.id


# ---------------------------------------------------------------- organisations


def test_every_case_study_organisation_exists_with_its_abbreviation(kg):
    for org_id, abbreviation in CASE_STUDY_ORGS.items():
        org = kg.node(org_id)
        assert org.kind == NodeKind.ORGANISATION
        assert abbreviation in org.aliases, org_id
        assert org.source == SCIE_GUIDE


@pytest.mark.parametrize("org_id", list(CASE_STUDY_ORGS))
def test_case_study_organisations_share_practice_on_change_themes(kg, org_id):
    themes = {e.dst for e in kg.out_edges(org_id, EdgeType.SHARES_PRACTICE)}
    assert "change.leadership-for-change" in themes
    assert "change.stakeholder-participation" in themes


@pytest.mark.parametrize(
    "org_id",
    [
        "scie",
        "isos-partnership",
        "lga",
        "spring-consortium",
        "research-in-practice",
        "childrens-improvement-board",
        "barnardos",
        "the-work-foundation",
    ],
)
def test_the_named_improvement_bodies_exist(kg, org_id):
    assert kg.node(org_id).kind == NodeKind.ORGANISATION


def test_terrablu_is_an_approved_provider_to_kent(kg):
    assert _stated(kg, "terrablu", EdgeType.PARTNERS_WITH, "E10000016")


# ---------------------------------------------------------------- provenance


def test_every_stated_edge_cites_a_known_document_with_a_locator(kg):
    docs = {d.id for d in kg.nodes(NodeKind.DOCUMENT)}
    for edge in kg.stated_edges():
        if edge.provenance.source.startswith("user:") or edge.provenance.source == "curated":
            continue
        assert edge.provenance.source in docs, edge
        assert edge.provenance.locator, edge


def test_each_edge_file_holds_only_edges_from_its_own_document():
    edge_dir = Path(DEFAULT_SEED_DIR) / "edges"
    files = sorted(edge_dir.glob("*.yaml"))
    assert {f.stem for f in files} >= {ISOS, NW_WORKSHOP, SPRING, SCIE_GUIDE, SCIE_STEERING}
    for path in files:
        for row in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            assert row["source"] == path.stem, (path.name, row)


def test_no_personal_names_appear_in_edge_props(kg):
    people = ("Parr", "Hassall", "Ingram", "Oakman", "Wooster", "Bryant", "Gould")
    for edge in kg.stated_edges():
        text = " ".join(str(v) for v in edge.props.values())
        assert not any(re.search(rf"\b{p}\b", text) for p in people), edge


def test_stated_edges_do_not_repeat_what_record_fields_derive(kg):
    derived = {e.key for e in kg.edges() if e.derived}
    repeated = [e.key for e in kg.stated_edges() if e.key in derived]
    assert not repeated, repeated[:5]
