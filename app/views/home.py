"""Home: what peerlink is for, what the graph holds, and the way to each task."""

from __future__ import annotations

import streamlit as st

from app import state
from app.ui import md
from graph.schema import NodeKind
from graph.wording import kind_words

kg = state.kg()
stats = kg.stats()
nodes = stats["nodes"]

st.title("peerlink")
st.markdown(
    "A knowledge graph of English councils' children's services improvement, and a matcher "
    "that proposes **improvement partners**, **best-practice sources** and **peer-review "
    "teams**. Every proposal says why, and every fact shows where it came from."
)

region = state.region()
st.caption(f"Region: **{md(kg.name(region)) if region else 'All of England'}** "
           "(change it in the sidebar; every page uses it)")

cols = st.columns(6)
cols[0].metric("Councils (current)", stats["councils"]["current"])
cols[1].metric("Councils (abolished)", stats["councils"]["abolished"])
cols[2].metric("Practices", nodes.get(NodeKind.PRACTICE.value, 0))
cols[3].metric("Organisations", nodes.get(NodeKind.ORGANISATION.value, 0))
cols[4].metric("Networks", nodes.get(NodeKind.NETWORK.value, 0))
cols[5].metric("Themes", nodes.get(NodeKind.THEME.value, 0))

st.subheader("What would you like to do?")
left, middle, right = st.columns(3)
with left:
    st.markdown("**Director of Children's Services**")
    st.page_link("views/partners.py", label="Find improvement partners",
                 icon=":material/handshake:")
    st.caption("Councils that have made the journey you are starting, on your priorities.")
    st.page_link("views/profile.py", label="Your council's profile and self-view",
                 icon=":material/account_balance:")
with middle:
    st.markdown("**Sector-led improvement team**")
    st.page_link("views/peer_review.py", label="Staff a peer-review round",
                 icon=":material/groups:")
    st.caption("Fair teams, nobody reviewing their own council, gaps explained.")
    st.page_link("views/practice.py", label="Menu of support and best practice",
                 icon=":material/lightbulb:")
with right:
    st.markdown("**Analyst**")
    st.page_link("views/explorer.py", label="Explore the network", icon=":material/hub:")
    st.caption("Who is networked with whom, where demand and supply of expertise do not "
               "meet, and the region's self-improving-system ratings.")

with st.expander("What the graph holds"):
    st.dataframe(
        [{"records": kind_words(k), "how many": n} for k, n in nodes.items()],
        hide_index=True, width="content",
    )
    st.dataframe(
        [{"relationship": k, "edges": n} for k, n in stats["edges"].items()], hide_index=True,
        width="content",
    )
