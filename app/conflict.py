"""A save that met someone else's newer change: say what changed and by whom, and offer to
reload the latest or to re-apply this person's change over it.

A page keeps the record as it showed it (the version the editor saw) and saves field-level
changes against it (`graph.changes.update_fields`); the store refuses a save whose fields
moved since (`EditConflict`). `remember` keeps that refusal across the rerun a button click
causes; `offer`, placed under the form, shows it with the two ways forward.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app import state
from app.ui import md
from graph.changes import EditConflict


def remember(what: str, exc: EditConflict) -> None:
    """Keep a refused save (of the form named `what`) to show under that form."""
    st.session_state[state.CONFLICT] = {"what": what, "message": str(exc)}


def offer(what: str, reload: Callable[[], None], reapply: Callable[[], None]) -> None:
    """Under the form `what`: the refusal and two buttons. `reload` drops the person's
    unsaved edits for the latest record; `reapply` saves them over the latest record."""
    pending = st.session_state.get(state.CONFLICT)
    if not pending or pending["what"] != what:
        return
    st.error(f"Not saved: {md(pending['message'])}.")
    left, right = st.columns(2)
    if left.button("Reload the latest", key=f"{state.CONFLICT}.reload.{what}"):
        st.session_state.pop(state.CONFLICT, None)
        state.refresh()
        reload()
        st.rerun()
    if right.button("Re-apply my change", key=f"{state.CONFLICT}.reapply.{what}",
                    type="primary"):
        st.session_state.pop(state.CONFLICT, None)
        state.refresh()
        reapply()
