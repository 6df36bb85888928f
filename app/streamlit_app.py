"""peerlink's Streamlit app: the entry file builds the pages and the sidebar they share.

Run with `peerlink app` or `streamlit run app/streamlit_app.py`.
"""

from __future__ import annotations

import streamlit as st

from app import auth, state
from app.ui import md
from graph.errors import GraphError
from graph.schema import NodeKind

st.set_page_config(page_title="peerlink", page_icon=":link:", layout="wide")

PAGES = [
    st.Page("views/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("views/partners.py", title="Find partners", icon=":material/handshake:"),
    st.Page("views/practice.py", title="Best practice", icon=":material/lightbulb:"),
    st.Page("views/peer_review.py", title="Peer-review round", icon=":material/groups:"),
    st.Page("views/profile.py", title="Council profile", icon=":material/account_balance:"),
    st.Page("views/explorer.py", title="Network explorer", icon=":material/hub:"),
    st.Page("views/review_documents.py", title="Review documents",
            icon=":material/fact_check:"),
    st.Page("views/ledger.py", title="Who gives and receives", icon=":material/balance:"),
]
page = st.navigation(PAGES)
auth.guard()  # refuses an exposed address without sign-in; asks for sign-in when configured

try:
    kg = state.kg()
except GraphError as exc:
    st.error(f"The knowledge graph could not be loaded: {md(exc)}")
    st.stop()

with st.sidebar:
    regions = sorted(kg.nodes(NodeKind.REGION),
                     key=lambda r: r.name)
    st.selectbox("Region", [""] + [r.id for r in regions], key=state.REGION,
                 format_func=lambda c: kg.name(c) if c else "All of England",
                 bind="query-params", filter_mode="contains",
                 help="Narrows partner proposals, the support menu, learning networks and "
                      "the explorer's starting view; kept in the page address.")
    if auth.sign_in_configured():
        st.caption(md(auth.describe(state.actor(), kg.name)))
        st.button("Sign out", key=state.SIGN_OUT, on_click=st.logout)
    else:
        st.text_input("Your name", key=state.WHO, bind="query-params",
                      help="Recorded with every change you make (who changed what, and "
                           "when); kept in the page address, so a reload keeps it.")
    if st.button("Reload graph", key=state.RELOAD, help="Read the latest changes"):
        state.refresh()
    st.caption(md(state.store().describe()))

page.run()
