"""Peer-review round (SLI team): requests and reviewers in tables, pairs locked or forbidden,
optionally past reviews (repeat visits penalised or forbidden, councils that only ever gave
reviewers rested), solved exactly; each team with its fit, empty slots with reasons and
relaxations, the load across councils, CSV export."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import streamlit as st

from app import charts, state, ui
from app.ui import md
from graph.changes import UpsertNode
from graph.engagements import round_engagements
from graph.errors import GraphError, LoadError
from graph.ledger import past_reviews
from graph.loader import DEFAULT_SEED_DIR
from graph.peer_round import (
    HISTORY_COLUMNS,
    REQUEST_COLUMNS,
    REVIEWER_COLUMNS,
    parse_history,
    parse_requests,
    parse_reviewers,
    table_rows,
    uploaded_table,
)
from graph.roles import role_label
from matcher.allocation import allocation_to_rows
from matcher.allocation.staffing import staff_round

EXAMPLES = DEFAULT_SEED_DIR / "examples"
RULE_COLUMNS = ("request_id", "reviewer_id", "rule")
RULES = ("lock", "forbid")
REPEATS = ("penalise", "forbid")


THEME_COLUMNS = ("focus", "expertise")  # theme lists: shown by name (names are read back)
NO_FIT = 0.005  # a fit that rounds to 0.00


def _theme_names(frame: pd.DataFrame, kg) -> pd.DataFrame:
    """Theme ids in the focus and expertise columns shown as the themes' names."""
    frame = frame.copy()
    for column in THEME_COLUMNS:
        if column in frame.columns:
            frame[column] = [
                "; ".join(kg.name(t) if t in kg else t for t in
                          (part.strip() for part in str(cell).split(";")) if t)
                for cell in frame[column]]
    return frame


def _table(name: str, columns: tuple[str, ...], kg) -> pd.DataFrame:
    path = EXAMPLES / f"{name}.csv"
    if path.exists():
        return _theme_names(pd.read_csv(path, dtype=str, keep_default_na=False), kg)
    return pd.DataFrame(columns=list(columns), dtype=str)


def fault_line(problem) -> str:
    """One fault as a person reads it: the file (or table), its line, the field, what is wrong."""
    where = problem.file + (f" line {problem.line}" if problem.line is not None else "")
    return f"{where}, {problem.field}: {problem.message}" if problem.field else \
        f"{where}: {problem.message}"


def _records(frame: pd.DataFrame) -> list[dict]:
    frame = frame.fillna("")
    return [r for r in frame.astype(str).to_dict("records") if any(v.strip() for v in r.values())]


def _parse(parser, frame: pd.DataFrame, label: str, resolver, problems: list) -> list:
    """Rows parsed from an edited table; faults are added to `problems` (every table is read,
    so all the faults show at once)."""
    try:
        return parser(table_rows(_records(frame)), label, resolver)
    except LoadError as exc:
        problems += exc.problems
        return []


def _take_upload(upload, data_key: str, editor_key: str) -> None:
    """A newly uploaded CSV replaces the table (once per file); one that cannot be read is
    refused with the reason, naming the file, and the table stays as it was."""
    if upload is None or st.session_state.get(data_key + state.UPLOADED) == upload.file_id:
        return
    try:
        columns, rows = uploaded_table(upload.name, upload.getvalue())
    except LoadError as exc:
        st.error("Not loaded, the table is unchanged: "
                 + "; ".join(md(fault_line(p)) for p in exc.problems))
        return
    st.session_state[data_key] = pd.DataFrame(rows, columns=columns, dtype=str)
    st.session_state[data_key + state.UPLOADED] = upload.file_id
    st.session_state[data_key + state.UPLOADED_NAME] = upload.name
    st.session_state.pop(editor_key, None)


def _source(data_key: str, table: str) -> str:
    """What a table's faults are located in: the uploaded file's name, or the table."""
    return st.session_state.get(data_key + state.UPLOADED_NAME) or f"{table} table"


kg = state.kg()
st.title("Peer-review round")
st.caption("Staff a round of peer reviews fairly: nobody reviews their own council, no "
           "reciprocal reviews, one reviewer per council per team, capacity respected, and "
           "the load spread beyond the 'willing horses'.")

for data_key, name, columns in ((state.R_REQUESTS_DATA, "requests", REQUEST_COLUMNS),
                                (state.R_REVIEWERS_DATA, "reviewers", REVIEWER_COLUMNS)):
    if data_key not in st.session_state:
        st.session_state[data_key] = _table(name, columns, kg)
if state.R_RULES_DATA not in st.session_state:
    st.session_state[state.R_RULES_DATA] = pd.DataFrame(columns=list(RULE_COLUMNS), dtype=str)
if state.R_HISTORY_DATA not in st.session_state:
    st.session_state[state.R_HISTORY_DATA] = pd.DataFrame(columns=list(HISTORY_COLUMNS),
                                                          dtype=str)

req_col, rev_col = st.columns(2)
with req_col:
    st.subheader("Requests")
    st.caption("One row per council asking for a review: focus themes and the team's roles "
               "(e.g. `dcs:1;ad:1;member:1`). Councils by name or GSS code.")
    _take_upload(st.file_uploader("Upload requests.csv", type="csv", key=state.R_UP_REQUESTS),
                 state.R_REQUESTS_DATA, state.R_REQUESTS)
    requests = st.data_editor(st.session_state[state.R_REQUESTS_DATA], key=state.R_REQUESTS,
                              num_rows="dynamic", hide_index=True, width="stretch")
with rev_col:
    st.subheader("Reviewers")
    st.caption("One row per reviewer: council, role, expertise and how many reviews they can "
               "take on.")
    _take_upload(st.file_uploader("Upload reviewers.csv", type="csv",
                                  key=state.R_UP_REVIEWERS),
                 state.R_REVIEWERS_DATA, state.R_REVIEWERS)
    reviewers = st.data_editor(st.session_state[state.R_REVIEWERS_DATA],
                               key=state.R_REVIEWERS, num_rows="dynamic", hide_index=True,
                               width="stretch")

st.subheader("Locked and forbidden pairs")
st.caption("*lock* keeps a reviewer in a team exactly (e.g. already published); *forbid* "
           "keeps them out (a conflict of interest).")
rules = st.data_editor(
    st.session_state[state.R_RULES_DATA], key=state.R_RULES, num_rows="dynamic",
    hide_index=True,
    column_config={"rule": st.column_config.SelectboxColumn("rule", options=list(RULES),
                                                            required=True)})

st.subheader("Past reviews (optional)")
st.caption("One row per review given in earlier rounds: the reviewer, their council and the "
           "council they reviewed. Reviewers are kept from going back to a council they "
           "reviewed before, and councils that have only ever given reviewers are rested.")
_take_upload(st.file_uploader("Upload history.csv", type="csv", key=state.R_UP_HISTORY),
             state.R_HISTORY_DATA, state.R_HISTORY)
history = st.data_editor(st.session_state[state.R_HISTORY_DATA], key=state.R_HISTORY,
                         num_rows="dynamic", hide_index=True, width="stretch")
repeat = st.radio("Repeat visits", list(REPEATS), key=state.R_REPEAT, horizontal=True,
                  help="penalise: a reviewer may go back to a council they reviewed before, "
                       "at a cost; forbid: never.")

solver = st.radio("Solver", ["exact", "greedy"], key=state.R_SOLVER, horizontal=True,
                  help="exact: the best allocation under the rules (min-cost flow, then integer "
                       "programming where the rules need it); greedy: fast, may leave "
                       "slots empty.")
faults: list[str] = []
if st.button("Staff the round", key=state.R_SOLVE, type="primary"):
    st.session_state.pop(state.R_RESULT, None)
    with st.status("Staffing the round...", expanded=True) as status:
        try:
            st.write("Reading requests, reviewers and past reviews")
            resolver = state.resolver()
            problems: list = []
            reqs = _parse(parse_requests, requests, _source(state.R_REQUESTS_DATA, "requests"),
                          resolver, problems)
            revs = _parse(parse_reviewers, reviewers,
                          _source(state.R_REVIEWERS_DATA, "reviewers"), resolver, problems)
            past = (_parse(parse_history, history, _source(state.R_HISTORY_DATA, "history"),
                           resolver, problems)
                    if _records(history) else [])
            if problems:
                raise LoadError(problems)
            past = past or past_reviews(kg)  # none given: the graph's own record
            pairs = {rule: [(r["request_id"].strip(), r["reviewer_id"].strip())
                            for r in _records(rules) if r.get("rule") == rule]
                     for rule in RULES}
            st.write(f"Scoring each reviewer against each team's focus and solving ({solver})")
            staffed = staff_round(kg, reqs, revs, past, locked=pairs["lock"],
                                  forbidden=pairs["forbid"], repeat=repeat, solver=solver)
            result, metrics = staffed.allocation, staffed.metrics
        except LoadError as exc:
            status.update(label="The tables need fixing", state="error", expanded=False)
            faults = [fault_line(p) for p in exc.problems]
        except (GraphError, ValueError) as exc:
            status.update(label="The round could not be staffed", state="error",
                          expanded=False)
            faults = [str(exc)]
        else:
            status.update(label=f"Staffed: {metrics.filled} of {metrics.demanded} places "
                                f"filled in {result.seconds:.2f} s ({result.status})",
                          state="complete", expanded=False)
            st.session_state[state.R_RESULT] = (staffed.instance, result, metrics)

if faults:  # shown open, outside the status box, one line per fault
    st.error("Fix these, then staff the round again:\n\n"
             + "\n".join(f"- {md(f)}" for f in faults))
if state.R_RESULT not in st.session_state:
    st.stop()
instance, result, metrics = st.session_state[state.R_RESULT]
names = {p.reviewer_id: p for p in instance.reviewers}

st.subheader("Result")
c1, c2, c3, c4 = st.columns(4)
c1.metric("Places filled", f"{metrics.filled} / {metrics.demanded}")
c2.metric("Mean team fit", f"{metrics.mean_team_fit:.2f}")
c3.metric("Weakest team fit", f"{metrics.worst_team_fit:.2f}")
c4.metric("Load inequality (Gini)", f"{metrics.load_gini:.2f}",
          help="0 = every council gives the same number of reviewers")

rows, _ = allocation_to_rows(result, instance)  # the same columns as `peerlink allocate --out`
unfilled_by_request: dict[str, list] = {}
for u in result.unfilled:
    unfilled_by_request.setdefault(u.request_id, []).append(u)

for q in instance.requests:
    team = [r for r in rows if r["request_id"] == q.request_id]
    mean = sum(r["fit"] for r in team) / len(team) if team else 0.0
    with st.container(border=True):
        st.markdown(f"**{md(q.request_id)}: {md(instance.name(q.council))}** \u00b7 "
                    f"{len(team)} of {q.slots} places \u00b7 team fit {mean:.2f}")
        if q.focus:
            st.caption("Focus: " + md(", ".join(kg.name(t) for t in q.focus)))
        if team:
            st.dataframe(pd.DataFrame(team).drop(columns=["request_id", "reviewed council"]),
                         hide_index=True, width="stretch")
        for r in team:
            if r["fit"] < NO_FIT:
                st.caption(f"{md(r['reviewer_id'])} ({md(r['reviewer council'])}) has fit 0.00: "
                           "none of their recorded expertise is among this review's focus "
                           f"themes; they fill the {md(r['role'])} place for their role, not "
                           "their expertise.")
        for u in unfilled_by_request.get(q.request_id, []):
            st.warning(f"{u.missing} {md(role_label(u.role))} place(s) empty: {md(u.reason)}")
            if u.relaxations:
                st.markdown("What would fill it:")
                ui.bullets(str(rx) for rx in u.relaxations)

st.subheader("Load across councils")
reviewed = Counter(next(q.council for q in instance.requests if q.request_id == r)
                   for r in {a.request_id for a in result.assignments})
load = ([{"council": instance.name(c), "reviews": n, "as": "its reviewers take part in"}
         for c, n in metrics.given.items()]
        + [{"council": instance.name(c), "reviews": n, "as": "it receives"}
           for c, n in reviewed.items()])
if load:
    st.caption("Reviews, not reviewers: a review of a council counts once however many "
               "reviewers its team has.")
    st.vega_lite_chart(spec=charts.grouped_bars(
        load, value="reviews", value_title="reviews in this round", category="council",
        group="as", sort="-x", height=max(160, 22 * len({r["council"] for r in load})),
        whole_numbers=True), width="stretch")

st.subheader("Save the round")
st.caption("Saves each team as peer-review engagements (agreed, with your name), so the "
           "ledger counts them and the next round avoids repeat visits and rests the councils "
           "that only give.")
st.text_input("Round name", key=state.R_SAVE_NAME, placeholder="Autumn 2026")
if st.button("Save as engagements", key=state.R_SAVE, disabled=not result.assignments):
    who = state.who()
    if not who:
        st.error("Enter your name in the sidebar first: every change records who made it.")
    else:
        reviewed = {q.request_id: (q.council, q.focus) for q in instance.requests}
        try:
            saved = round_engagements(
                kg, st.session_state.get(state.R_SAVE_NAME) or "",
                [(*reviewed[a.request_id], a.reviewer_id, names[a.reviewer_id].council)
                 for a in result.assignments], who)
            state.write([UpsertNode(node=e) for e in saved], who)
        except GraphError as exc:
            st.error(f"Not saved: {md(exc)}")
        else:
            st.success(f"Saved {len(saved)} peer-review engagement(s) as round "
                       f"“{md(saved[0].round)}”, recorded by {md(who)}.")

left, right = st.columns(2)
with left:
    ui.download_csv("Download teams (CSV)", rows, "peerlink-round-teams.csv",
                    key=state.R_EXPORT)
with right:
    ui.download_csv("Download empty places (CSV)", [
        {"request_id": u.request_id, "role": u.role, "missing": u.missing,
         "reason": u.reason, "relaxations": [str(rx) for rx in u.relaxations]}
        for u in result.unfilled],
        "peerlink-round-unfilled.csv", key=state.R_EXPORT_UNFILLED,
        columns=["request_id", "role", "missing", "reason", "relaxations"])
