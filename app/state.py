"""Session-state keys and cached accessors for the store, the snapshot and the indexes.

Every key the app keeps in `st.session_state` (widget keys included) is named here, so a
page never types a string key of its own. The store and the snapshot are cached with
`st.cache_resource`, keyed on where the data lives (`PEERLINK_GRAPH`, `PEERLINK_JOURNAL`,
`PEERLINK_SEED_DIR`), so two journals never share a cache; `write()` applies a batch through
the store and refreshes every cached view of the graph.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import streamlit as st

from app import auth
from graph.access import Actor, CheckedStore
from graph.changes import Change
from graph.knowledge import KnowledgeGraph
from graph.resolve import Resolver
from graph.stores import GraphStore, default_journal_path, open_store

# ---------------------------------------------------------------- app-wide (sidebar)
REGION = "region"  # E12 code or "" for all of England; carried across pages
WHO = "who"  # "Your name": who makes a change (local mode; signed in, the identity)
SIGN_OUT = "sign_out"
RELOAD = "reload"
FLASH = "flash"  # one message to show after a rerun (e.g. "saved")

# ---------------------------------------------------------------- find partners
P_COUNCIL = "partners.council"  # typed council name
P_PICK = "partners.pick"  # choice among alternatives when the name is ambiguous
P_THEMES = "partners.themes"
P_THEMES_FOR = "partners.themes_for"  # the council the themes were prefilled for
P_OUTSIDE = "partners.outside"
P_TOP = "partners.top"
P_WEIGHT = "partners.w."  # + weight name
P_PROPOSE_TO = "partners.propose_to"
P_PROPOSE = "partners.propose"
P_EXPORT = "partners.export"
P_EGO = "partners.ego."  # + the top match's code: the graph around it

# ---------------------------------------------------------------- best practice
S_QUERY = "search.query"
S_TOP = "search.top"
S_ROLE = "search.role"
S_EXPORT = "search.export"

# ---------------------------------------------------------------- peer-review round
R_REQUESTS = "round.requests"  # the editors (their edits)
R_REVIEWERS = "round.reviewers"
R_RULES = "round.rules"
R_REQUESTS_DATA = "round.requests_data"  # the tables the editors start from
R_REVIEWERS_DATA = "round.reviewers_data"
R_RULES_DATA = "round.rules_data"
R_UP_REQUESTS = "round.upload_requests"
R_UP_REVIEWERS = "round.upload_reviewers"
R_HISTORY = "round.history"  # past reviews (optional)
R_HISTORY_DATA = "round.history_data"
R_UP_HISTORY = "round.upload_history"
R_REPEAT = "round.repeat"  # a reviewer going back to a council: "penalise" or "forbid"
R_SOLVER = "round.solver"
R_SOLVE = "round.solve"
R_RESULT = "round.result"
R_EXPORT = "round.export"
R_EXPORT_UNFILLED = "round.export_unfilled"
UPLOADED = ".file"  # + after a table's data key: the id of the file that filled it
R_SAVE_NAME = "round.save_name"  # the name a staffed round is saved under
R_SAVE = "round.save"

# ---------------------------------------------------------------- council profile
C_COUNCIL = "profile.council"
C_PICK = "profile.pick"
C_GOOD = "profile.what_good_looks_like"
C_SHARE = "profile.what_we_can_share"
C_WORRIES = "profile.what_worries_us"
C_SUPPORT = "profile.support_wanted"
C_SAVE_VIEW = "profile.save_view"
C_PRIORITIES = "profile.priorities"
C_SAVE_PRIORITIES = "profile.save_priorities"
C_CAPACITY = "profile.capacity"  # engagements it can support at once (None: unknown)
C_STAGE = "profile.stage"  # Stage id of the improvement journey (None: unknown)
C_SAVE_STANDING = "profile.save_standing"  # saves capacity and stage together
C_LOADED_FOR = "profile.loaded_for"  # council whose self-view fills the form
C_VIEW_FORM = "profile.self_view_form"
C_STANDING_FORM = "profile.standing_form"
C_SEEN = "profile.seen"  # that council's record as the forms were filled (edits are made
#                          against it, so a change saved by someone since is never undone)
CONFLICT = "conflict"  # a save refused because someone changed the same field since
C_SHARE_THEMES = "profile.share_themes"  # themes it can share -> offer evidence
C_SUPPORT_THEMES = "profile.support_themes"  # themes it wants support on -> challenges
C_THEMES_FOR = "profile.themes_for"  # council whose self-view themes fill the form

# ---------------------------------------------------------------- review documents
D_UPLOAD = "documents.upload"
D_PASTE = "documents.paste"  # a note pasted as text
D_PASTE_TITLE = "documents.paste_title"
D_READ = "documents.read"  # the button that reads the pasted note
D_FOUND = "documents.found"  # sha256 -> (SourceText, Extraction) read this session
D_CLAIMS = "documents.claims."  # + sha256: the claims editor of one document
D_APPLY = "documents.apply."  # + sha256
D_DONE = "documents.done"  # what the last apply changed, to show after the rerun
D_OPEN = "documents.open."  # + council code: open its profile

# ---------------------------------------------------------------- ledger
L_SINCE = "ledger.since"

# ---------------------------------------------------------------- network explorer
X_MODE = "explorer.mode"
X_REGIONS = "explorer.regions"
X_THEMES = "explorer.themes"
X_KINDS = "explorer.kinds"
X_CENTER = "explorer.center"
X_CENTER_PICK = "explorer.center_pick"
X_RADIUS = "explorer.radius"
X_MEASURE = "explorer.measure"
X_MAX_NODES = "explorer.max_nodes"
X_GRAPH = "explorer.graph"
X_DETAIL = "explorer.detail"
X_PATH_FROM = "explorer.path_from"
X_PATH_TO = "explorer.path_to"
X_HEAT_METRIC = "explorer.heat_metric"
X_HEAT_DETAIL = "explorer.heat_detail"
X_GROUP_SIZE = "explorer.group_size"


def where() -> tuple[str, str, str]:
    """Where the data lives: the cache key of the store and everything built from it."""
    return (os.environ.get("PEERLINK_GRAPH", ""), str(default_journal_path()),
            os.environ.get("PEERLINK_SEED_DIR", ""))


@st.cache_resource(show_spinner=False)
def _store(key: tuple[str, str, str]) -> GraphStore:
    return open_store()


@st.cache_resource(show_spinner="Loading the knowledge graph...")
def _snapshot(key: tuple[str, str, str]) -> KnowledgeGraph:
    return _store(key).snapshot()


@st.cache_resource(show_spinner=False)
def _resolver(key: tuple[str, str, str]) -> Resolver:
    return Resolver(_snapshot(key).councils(status=None))


@st.cache_resource(show_spinner="Indexing the graph for search...")
def _search_index(key: tuple[str, str, str]):
    from matcher.search import SearchIndex

    return SearchIndex.for_graph(_snapshot(key))  # one index per snapshot, shared


def store() -> GraphStore:
    """The store as the person at the page may use it: every write is checked against
    their role and recorded under their identity (see `graph.access`)."""
    return CheckedStore(_store(where()), actor())


def actor() -> Actor:
    """Who is at the page: the signed-in person, or (local mode) the typed name."""
    return auth.current_actor(st.session_state.get(WHO) or "")


def kg() -> KnowledgeGraph:
    """The current snapshot (cached; refreshed after every write made through `write`)."""
    return _snapshot(where())


def resolver() -> Resolver:
    return _resolver(where())


def search_index():
    return _search_index(where())


def refresh() -> None:
    """Drop every cached view of the graph, so the next read sees the latest writes."""
    for fn in (_snapshot, _resolver, _search_index):
        fn.clear()


def write(changes: Sequence[Change], who: str) -> None:
    """Apply one atomic batch through the store as `who`, then refresh the caches."""
    try:
        store().apply(changes, who)
    finally:
        refresh()


def region() -> str:
    """The region chosen in the sidebar ("" for all of England)."""
    return st.session_state.get(REGION) or ""


def who() -> str:
    """The name a change is recorded under: the signed-in identity, else the typed name."""
    return actor().identity


def flash(message: str) -> None:
    st.session_state[FLASH] = message


def pop_flash() -> str | None:
    return st.session_state.pop(FLASH, None)
