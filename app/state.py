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
from graph.loader import DEFAULT_SEED_DIR, load_dir
from graph.resolve import Resolver
from graph.schema import Node
from graph.stores import GraphStore, default_journal_path, open_store

# ---------------------------------------------------------------- app-wide (sidebar)
REGION = "region"  # E12 code or "" for all of England; carried across pages
WHO = "who"  # "Your name": who makes a change (local mode; signed in, the identity)
SIGN_OUT = "sign_out"
RELOAD = "reload"
FLASH = "flash"  # one message to show after a rerun (e.g. "saved")
COUNCIL = "council"  # the council typed on any page, carried to the next (and in the URL)
COUNCIL_PICK = "council_pick"  # which council was meant, when the name was ambiguous

# ---------------------------------------------------------------- find partners
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
UPLOADED_NAME = ".file_name"  # + after a table's data key: that file's name

# ---------------------------------------------------------------- council profile
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
D_UNCLAIMED = "documents.unclaimed."  # + sha256: its pairs named together, nothing proposed
D_ADD = "documents.add."  # + field + "." + sha256: the form adding a fact the reader missed
D_ADDED = "documents.added."  # + sha256: the facts a person added by hand, not yet applied
D_APPLY = "documents.apply."  # + sha256
D_DONE = "documents.done"  # what the last apply changed, to show after the rerun

# ---------------------------------------------------------------- ledger
L_SINCE = "ledger.since"

# ---------------------------------------------------------------- network explorer
# The explorer's choices are bound to the page address (short names: they are the URL's
# query parameters), so a view can be shared and reopened.
X_TAB = "tab"
X_MODE = "view"
X_REGIONS = "regions"
X_THEMES = "themes"
X_KINDS = "kinds"
X_CENTER = "centre"
X_CENTER_PICK = "explorer.center_pick"
X_RADIUS = "steps"
X_COMPARE_A = "compare"
X_COMPARE_B = "with"
X_MEASURE = "size"
X_COLOUR = "colour"
X_NAMES = "names"
X_MAX_NODES = "most"
X_GRAPH = "explorer.graph"
X_GRAPH_B = "explorer.graph_b"
X_DETAIL = "explorer.detail"
X_PATH_FROM = "explorer.path_from"
X_PATH_TO = "explorer.path_to"
X_HEAT_METRIC = "heat"
X_HEAT_DETAIL = "subthemes"
X_GROUP_SIZE = "explorer.group_size"
X_EXPORT = "explorer.export."  # + format


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


@st.cache_resource(show_spinner=False)
def _originals(key: tuple[str, str, str]) -> dict[str, Node]:
    seed = getattr(_store(key), "seed", None)
    data = seed() if callable(seed) else load_dir(DEFAULT_SEED_DIR)
    return {n.id: n for n in data.nodes}


def original(node_id: str) -> Node | None:
    """A record as the seed data has it, before any edit (what the history compares with)."""
    return _originals(where()).get(node_id)


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


_generation = [0]


def generation() -> int:
    """A number that changes whenever the cached snapshot is dropped: the key for anything
    cached from a snapshot (an object's id can be reused once it is freed)."""
    return _generation[0]


def refresh() -> None:
    """Drop every cached view of the graph, so the next read sees the latest writes."""
    for fn in (_snapshot, _resolver, _search_index):
        fn.clear()
    _generation[0] += 1


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


def flash(message: str, where: str) -> None:
    """Keep a message for the next run, to be shown at `where` (the control that caused it,
    so the person sees it where they are)."""
    st.session_state[FLASH] = (where, message)


def pop_flash(where: str) -> str | None:
    kept = st.session_state.get(FLASH)
    if not kept or kept[0] != where:
        return None
    del st.session_state[FLASH]
    return kept[1]
