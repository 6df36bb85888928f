"""Best practice (anyone): a free-text question answered with sources grouped by kind, each
with why it matched and where the fact came from; and the menu of support for a role."""

from __future__ import annotations

from collections import defaultdict

import streamlit as st

from app import state, ui
from app.ui import md
from graph.roles import Role
from matcher import support

KIND_TITLES = {
    "Practice": "Practice examples", "Council": "Councils with practice on it",
    "Organisation": "Organisations",
    "Network": "Networks", "SupportOffer": "Support offers", "Document": "Documents",
    "Theme": "Themes", "Peers": "Councils working on this too (not sources of help)",
}
ROLES = {role.value: role.in_full[:1].upper() + role.in_full[1:] for role in Role}
ROLES[""] = "Any role"

kg = state.kg()
region = state.region()
st.title("Best practice")
st.caption("Ask in your own words: the search reads typos, abbreviations and paraphrase, and "
           "says why each source matched.")

tab_search, tab_menu = st.tabs(["Search", "Menu of support"])

with tab_search:
    query = st.text_input("What are you looking for?", key=state.S_QUERY,
                          placeholder="e.g. keeping experienced social workers")
    top = st.slider("How many results", 5, 50, 15, key=state.S_TOP)
    if query.strip():
        found = state.search_index().search(query, top=top).to_json()
        if found["themes"]:
            st.caption("Themes read in your question: "
                       + md(", ".join(t["name"] for t in found["themes"])))
        if not found["results"]:
            st.warning("Nothing matched: try other words, or a theme such as "
                       "'early help' or 'workforce'.")
        by_kind: dict[str, list[dict]] = defaultdict(list)
        for r in found["results"]:  # councils without strength evidence are peers, apart
            by_kind["Peers" if r.get("group") == "working on this too" else r["kind"]].append(r)
        for kind in sorted(by_kind, key=lambda k: -max(r["score"] for r in by_kind[k])):
            st.subheader(f"{KIND_TITLES.get(kind, kind)} ({len(by_kind[kind])})")
            for r in by_kind[kind]:
                with st.container(border=True):
                    owner = f" \u2014 {md(r['owner']['name'])}" if r.get("owner") else ""
                    st.markdown(f"**{md(r['name'])}**{owner} \u00b7 score {r['score']:.2f}")
                    ui.bullets(r["reasons"])
                    ui.sources(r["evidence"], kg, most=4)
        if found["results"]:
            ui.download_csv("Download results (CSV)", [
                {"kind": r["kind"], "name": r["name"], "id": r["id"], "score": r["score"],
                 "owner": (r.get("owner") or {}).get("name", ""),
                 "reasons": r["reasons"],
                 "sources": [ui.citation(ev, kg) for ev in r["evidence"]]}
                for r in found["results"]], "peerlink-search.csv", key=state.S_EXPORT)

with tab_menu:
    role = st.selectbox("Your role", list(ROLES), key=state.S_ROLE,
                        format_func=ROLES.get)
    st.caption(f"Region: {md(kg.name(region)) if region else 'all of England'} "
               "(change it in the sidebar)")
    try:
        items = [i.to_json() for i in support.support_menu(kg, role or None,
                                                            region or None)]
    except ValueError as exc:
        st.error(md(exc))
        items = []
    if region and not support.own_offers(kg, region):
        st.caption(f"No offer in the data is specific to {md(kg.name(region))}: these are "
                   "national offers and networks.")
    if not items:
        st.info("No support recorded for this role and region yet.")
    for kind in sorted({i["kind"] for i in items}):
        st.subheader(f"{KIND_TITLES.get(kind, kind)} "
                     f"({sum(i['kind'] == kind for i in items)})")
        for item in (i for i in items if i["kind"] == kind):
            with st.container(border=True):
                provider = (item.get("provider") or {}).get("name")
                st.markdown(f"**{md(item['name'])}**"
                            + (f" \u2014 {md(provider)}" if provider else ""))
                if item.get("description"):
                    st.markdown(md(item["description"]))
                ui.bullets(item["why"])
                if item.get("date"):
                    st.caption(f"{md((item.get('status') or 'described').capitalize())}"
                               f" \u00b7 {md(item['date'])}")
                if item.get("how_to_access"):
                    st.markdown(f"*How to access:* {md(item['how_to_access'])}")
                if item.get("source"):
                    ui.source_caption(ui.citation(item["source"], kg))
