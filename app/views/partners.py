"""Find partners (DCS): councils that could help with a council's priorities, each with its
signals, reasons and sources; propose one as an improvement partner (saved to the store)."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from app import charts, network_chart, state, ui
from app.ui import md
from graph import analytics
from graph.edits import partner_proposal
from graph.errors import GraphError
from graph.schema import EdgeType, NodeKind
from matcher import partners
from matcher.weights import Weights

SIGNAL_HELP = {
    "expertise": "evidence of practice, results, offers or endorsements on the themes",
    "journey": "has made the improvement journey you are starting",
    "context": "similar type, size and rurality",
    "proximity": "same region (or deliberately outside it)",
    "relationship": "shared networks and past engagements",
    "capacity": "spare capacity, so the load is shared fairly",
}

kg = state.kg()
st.title("Find improvement partners")
st.caption("Councils that could help yours on its priorities: every proposal says why, and "
           "every fact shows its source.")
code = ui.council_picker(kg, state.resolver(), label="Your council")
if code is None:
    st.info("Type your council's name: abbreviations and old names work "
            "(e.g. \u201cNE Lincs\u201d).")
    st.stop()

themes = sorted(kg.nodes(NodeKind.THEME), key=lambda t: kg.name(t.id))
priorities = sorted({e.dst for e in kg.out_edges(code, EdgeType.HAS_PRIORITY)})
if st.session_state.get(state.P_THEMES_FOR) != code or state.P_THEMES not in st.session_state:
    st.session_state[state.P_THEMES] = priorities  # prefill from the council's priorities
    st.session_state[state.P_THEMES_FOR] = code

left, right = st.columns([2, 1])
with left:
    chosen = st.multiselect("Themes you want help with", [t.id for t in themes],
                            key=state.P_THEMES, format_func=kg.name, **ui.THEME_PICKER,
                            help="Prefilled from the council's recorded priorities.")
    outside = st.toggle("Look outside our region", key=state.P_OUTSIDE,
                        help="Best practice from beyond the region")
    top = st.slider("How many proposals", 3, 25, 10, key=state.P_TOP)
with right, st.expander("Weights", expanded=False):
    defaults = Weights()
    values = {name: st.slider(name, 0.0, 1.0, float(getattr(defaults, name)), 0.05,
                              key=state.P_WEIGHT + name, help=SIGNAL_HELP.get(name))
              for name in type(defaults).model_fields}
    weights = Weights(**values)

if not chosen:
    st.info("Choose at least one theme you want help with"
            + ("." if priorities else f": {md(kg.name(code))} has no recorded priorities."))
    st.stop()
region = state.region()
if region:
    st.caption(f"Only councils in {md(kg.name(region))}, the region chosen in the sidebar "
               "(choose All of England there to look everywhere).")
try:
    result = partners.propose_partners(kg, code, themes=chosen, weights=weights,
                                       top=top, outside_region=outside,
                                       include_regions=[region] if region else None)
except (GraphError, ValueError) as exc:
    st.error(md(exc))
    st.stop()
answer = result.to_json()

KIND_WORDS = {"practice": "has done it", "impact": "reports a result",
              "offer": "offers to share", "endorsement": "a council it helped says so",
              "challenge": "working on it", "participation": "shared learning at an event"}


def show(items: list[dict], expand_first: bool) -> None:
    """One bordered card per council: basis, signal bars (unknown ones 'not recorded'),
    reasons and the source of every fact."""
    for rank, p in enumerate(items, start=1):
        with st.container(border=True):
            head, score = st.columns([4, 1])
            region_name = kg.name(p["region"]) if p.get("region") else ""
            basis = KIND_WORDS.get(p.get("basis") or "", "")
            head.markdown(f"**{rank}. {md(p['name'])}** \u00b7 {md(region_name)}"
                          + (f" \u00b7 *{basis}*" if basis else ""))
            score.metric("score", f"{p['score']:.2f}", label_visibility="collapsed")
            st.markdown(charts.signal_table(p["signals"]))
            with st.expander("Why, and where it comes from", expanded=expand_first and rank == 1):
                ui.bullets(p["reasons"])
                ui.sources(p["evidence"], kg, most=8)
            ui.profile_link(p["code"], kg)


for note in answer.get("notes", []):
    st.caption(md(note))
st.subheader(f"Proposed partners for {md(kg.name(code))}")
st.caption("Councils with evidence of practice, a result, an offer or an endorsement on the "
           "themes (or a narrower one), strongest and most recent evidence first.")
if answer["partners"]:
    show(answer["partners"], expand_first=True)
else:
    st.warning("No partner: no council has recorded evidence of strength on these themes.")
st.subheader("Peers working on the same challenge")
st.caption("Learning partners, not sources of help: councils with the same priority, or that "
           "shared learning on it.")
if answer["peers"]:
    show(answer["peers"], expand_first=not answer["partners"])
else:
    st.info("No other council has recorded this challenge.")
if not answer["partners"]:
    st.stop()

best = answer["partners"][0]
st.subheader(f"Around the top match: {md(best['name'])}")
ego = analytics.ego(kg, best["code"], 1)
network_chart.draw_network(ego, key=state.P_EGO + best["code"], highlight=[best["code"], code],
                           height=360)

ui.download_csv("Download proposals (CSV)", [
    {"rank": i, "council": p["name"], "code": p["code"], "score": p["score"],
     "basis": p.get("basis"),
     **{f"signal_{k}": "not recorded" if v is None else v for k, v in p["signals"].items()},
     "reasons": p["reasons"], "sources": [ui.citation(ev, kg) for ev in p["evidence"]]}
    for i, p in enumerate(answer["partners"], start=1)],
    f"peerlink-partners-{code}.csv", key=state.P_EXPORT)

st.subheader("Propose a partnership")
st.caption("Records an improvement partnership as *proposed*, with your name and the time.")
target = st.selectbox("Partner", [p["code"] for p in answer["partners"]],
                      key=state.P_PROPOSE_TO, format_func=kg.name)
if st.button("Propose", key=state.P_PROPOSE, type="primary") and (who := ui.editor()):
    try:
        state.write(partner_proposal(kg, code, target, chosen, who, datetime.now(UTC)), who)
    except GraphError as exc:
        st.error(f"Not saved: {md(exc)}")
    else:
        state.flash(f"Proposed {kg.name(target)} as improvement partner to "
                    f"{kg.name(code)} (recorded by {who}).", state.P_PROPOSE)
        st.rerun()
ui.show_flash(state.P_PROPOSE)
