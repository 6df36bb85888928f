"""Peer-review round: the sample round is preloaded, solved with a status, each team with its
fit, empty places explained, load across councils, refusals located to a row."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest

from app import state
from tests.app.apptest_helpers import open_page, read


@pytest.fixture
def round_page(app):
    return open_page(app, "peer_review")


def test_the_sample_round_is_preloaded(round_page):
    requests = round_page.session_state[state.R_REQUESTS_DATA]
    reviewers = round_page.session_state[state.R_REVIEWERS_DATA]
    assert len(requests) > 0 and len(reviewers) > 0
    assert "Halton" in set(requests["council"])


def test_staffing_the_round_shows_teams_fit_and_load(round_page):
    round_page.button(key=state.R_SOLVE).click().run()
    assert not round_page.exception
    metrics = {m.label: m.value for m in round_page.metric}
    filled, demanded = (int(x) for x in metrics["Places filled"].split(" / "))
    assert 0 < filled <= demanded
    text = read(round_page)
    assert "PR-01: Halton" in text and "team fit" in text
    assert "Load across councils" in text
    teams = [d.value for d in round_page.dataframe if "reviewer council" in d.value.columns]
    assert teams
    assert all({"reviewer_id", "role", "fit"} <= set(frame.columns) for frame in teams)
    assert "Halton" not in set(teams[0]["reviewer council"])  # nobody reviews their own


def test_a_forbidden_pair_is_kept_apart(round_page):
    round_page.button(key=state.R_SOLVE).click().run()
    first = next(d.value for d in round_page.dataframe if "reviewer council" in d.value.columns)
    banned = first.iloc[0]["reviewer_id"]
    round_page.session_state[state.R_RULES_DATA] = pd.DataFrame(
        [{"request_id": "PR-01", "reviewer_id": banned, "rule": "forbid"}])
    round_page.run()
    round_page.button(key=state.R_SOLVE).click().run()
    first = next(d.value for d in round_page.dataframe if "reviewer council" in d.value.columns)
    assert banned not in set(first["reviewer_id"])


def test_a_bad_row_is_refused_with_its_line(round_page):
    frame = round_page.session_state[state.R_REQUESTS_DATA].copy()
    frame.loc[0, "council"] = "Gotham City"
    round_page.session_state[state.R_REQUESTS_DATA] = frame
    round_page.run()
    round_page.button(key=state.R_SOLVE).click().run()
    text = read(round_page)
    assert "requests table line 2, council: no council matches 'Gotham City'" in text
    assert not [m for m in round_page.metric if m.label == "Places filled"]


def test_an_unfillable_place_gives_its_reason_and_relaxations(round_page):
    frame = round_page.session_state[state.R_REQUESTS_DATA].copy()
    frame.loc[0, "roles"] = "dcs:1;ad:1;member:1;psw:3"
    round_page.session_state[state.R_REQUESTS_DATA] = frame
    round_page.run()
    round_page.button(key=state.R_SOLVE).click().run()
    warnings = [w.value for w in round_page.warning]
    assert any("place(s) empty" in w for w in warnings), read(round_page)


def first_team(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "reviewer council" in d.value.columns)


def test_a_past_review_with_repeats_forbidden_changes_the_team(round_page):
    round_page.button(key=state.R_SOLVE).click().run()
    best = first_team(round_page).iloc[0]
    round_page.session_state[state.R_HISTORY_DATA] = pd.DataFrame([{
        "reviewer_id": best["reviewer_id"], "reviewer_council": best["reviewer council"],
        "council_reviewed": "Halton"}])  # PR-01 is Halton's review
    round_page.run()
    round_page.radio(key=state.R_REPEAT).set_value("forbid").run()
    round_page.button(key=state.R_SOLVE).click().run()
    assert not round_page.exception
    team = first_team(round_page)
    assert best["reviewer_id"] not in set(team["reviewer_id"])
    assert len(team) > 0 and "PR-01: Halton" in read(round_page)


def test_a_bad_history_row_is_refused_with_its_line(round_page):
    round_page.session_state[state.R_HISTORY_DATA] = pd.DataFrame([
        {"reviewer_id": "R-001", "reviewer_council": "Warrington", "council_reviewed": "Halton"},
        {"reviewer_id": "R-002", "reviewer_council": "Warrington",
         "council_reviewed": "Gotham City"}])
    round_page.run()
    round_page.button(key=state.R_SOLVE).click().run()
    text = read(round_page)
    assert "history table line 3, council_reviewed: no council matches 'Gotham City'" in text
    assert not [m for m in round_page.metric if m.label == "Places filled"]


def staffed_pairs(at) -> set[tuple[str, str, str]]:
    """(reviewer, their council, council reviewed) for every place filled in the last solve."""
    instance, result, _ = at.session_state[state.R_RESULT]
    reviewed = {q.request_id: instance.name(q.council) for q in instance.requests}
    gives = {p.reviewer_id: instance.name(p.council) for p in instance.reviewers}
    return {(a.reviewer_id, gives[a.reviewer_id], reviewed[a.request_id])
            for a in result.assignments}


def test_repeat_visits_are_penalised_or_forbidden_as_chosen(round_page):
    round_page.button(key=state.R_SOLVE).click().run()
    before = staffed_pairs(round_page)  # every one of these visits becomes a repeat
    round_page.session_state[state.R_HISTORY_DATA] = pd.DataFrame(
        sorted(before), columns=["reviewer_id", "reviewer_council", "council_reviewed"])
    round_page.run()
    kept = {}
    for choice in ("penalise", "forbid"):
        round_page.radio(key=state.R_REPEAT).set_value(choice).run()
        round_page.button(key=state.R_SOLVE).click().run()
        assert not round_page.exception
        kept[choice] = staffed_pairs(round_page) & before
    assert kept["penalise"] and not kept["forbid"]


def test_faults_show_open_outside_the_status_box_one_line_each(round_page):
    frame = round_page.session_state[state.R_REQUESTS_DATA].copy()
    frame.loc[0, "council"] = "Gotham City"
    frame.loc[1, "council"] = "Metropolis"
    round_page.session_state[state.R_REQUESTS_DATA] = frame
    round_page.run()
    round_page.button(key=state.R_SOLVE).click().run()
    [error] = round_page.error
    lines = [line for line in error.value.split("\n") if line.startswith("- ")]
    assert len(lines) == 2 and all(" line " in line for line in lines)
    for box in round_page.get("expandable"):  # the status box holds no fault
        assert not box.error


def test_focus_and_expertise_are_shown_as_theme_names(round_page):
    requests = round_page.session_state[state.R_REQUESTS_DATA]
    reviewers = round_page.session_state[state.R_REVIEWERS_DATA]
    for cells in (requests["focus"], reviewers["expertise"]):
        assert not cells.str.contains(r"\w\.\w|_", regex=True).any(), list(cells)[:3]
    assert "Integrated front door and contact and referral" in requests.loc[0, "focus"]
    round_page.button(key=state.R_SOLVE).click().run()  # the names are read back
    assert [m for m in round_page.metric if m.label == "Places filled"]


def test_the_load_chart_counts_reviews_in_whole_numbers(round_page):
    round_page.button(key=state.R_SOLVE).click().run()
    instance, result, _ = round_page.session_state[state.R_RESULT]
    [chart] = [c for c in round_page.get("vega_lite_chart")
               if "reviews in this round" in c.proto.spec]
    spec = json.loads(chart.proto.spec)
    assert spec["encoding"]["x"]["axis"] == {"format": "d", "tickMinStep": 1}
    rows = pa.ipc.open_stream(chart.proto.data.data).read_all().to_pylist()  # the chart's data
    received = {r["council"]: r["reviews"] for r in rows if r["as"] == "it receives"}
    assert received[instance.name("E06000006")] == 1  # Halton: one review, three reviewers


def test_a_member_with_no_fit_is_explained(round_page):
    reviewers = round_page.session_state[state.R_REVIEWERS_DATA].copy()
    reviewers["expertise"] = "Political scrutiny of children's services"
    round_page.session_state[state.R_REVIEWERS_DATA] = reviewers
    round_page.run()
    round_page.button(key=state.R_SOLVE).click().run()
    assert "has fit 0.00: none of their recorded expertise is among this review's focus " \
        "themes" in read(round_page)
