"""Council profile: everything known about a council with its sources, its own self-view,
its priorities, its capacity and its stage of the improvement journey (all editable, saved
through the store), and who changed what and when."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import streamlit as st

from app import conflict, state, ui
from app.network_chart import kind_words
from app.ui import md
from graph.changes import EditConflict
from graph.edits import (
    capacity_changes,
    current_stage,
    journey_stages,
    priority_changes,
    self_view_changes,
    stage_changes,
)
from graph.errors import GraphError
from graph.history import history_sentences
from graph.schema import Council, EdgeType, NodeKind, SelfView
from graph.self_view import self_view_evidence, self_view_evidence_changes
from graph.wording import relationship_words
from matcher.mentions import find_mentions

SELF_VIEW_FIELDS = [
    (state.C_GOOD, "what_good_looks_like", "What good looks like here"),
    (state.C_SHARE, "what_we_can_share", "What we can share"),
    (state.C_WORRIES, "what_worries_us", "What worries us"),
    (state.C_SUPPORT, "support_wanted", "What support we want"),
]

kg = state.kg()
st.title("Council profile")
code = ui.council_picker(kg, state.resolver())
if code is None:
    st.info("Type a council's name (or GSS code) to see its profile.")
    st.stop()

council = kg.node(code)
assert isinstance(council, Council)
st.header(md(council.name))
facts = {
    "GSS code": council.id,
    "Type": council.type.value.replace("_", " "),
    "Region": kg.name(council.region),
    "Status": council.status,
}
if council.successors:
    facts["Succeeded by"] = ", ".join(kg.name(s) for s in council.successors)
if council.postcode_count is not None:
    facts["Postcodes (size)"] = f"{council.postcode_count:,}"
if council.occupied_km2 is not None:
    facts["Occupied km\u00b2 (rurality)"] = f"{council.occupied_km2:,}"
if council.capacity is not None:
    facts["Capacity (engagements at once)"] = str(council.capacity)
stage_edge = current_stage(kg, code)
if stage_edge is not None:
    facts["Improvement journey stage"] = kg.name(stage_edge.dst)
st.dataframe([{"fact": k, "value": v} for k, v in facts.items()], hide_index=True,
             width="content")
if council.aliases:
    st.markdown("**Also known as:** " + md("; ".join(council.aliases)))
ui.source_caption(ui.citation(council.provenance(), kg))

# ---------------------------------------------------------------- self-view
st.subheader("Self-view")
st.caption("The council's own account, in the four parts a peer challenge asks for.")
view = council.self_view or SelfView()
current = sorted({e.dst for e in kg.out_edges(code, EdgeType.HAS_PRIORITY)})
if st.session_state.get(state.C_LOADED_FOR) != code or state.C_GOOD not in st.session_state:
    # a new council (or the page was left): fill the forms from the record
    for key, field, _ in SELF_VIEW_FIELDS:
        st.session_state[key] = getattr(view, field)
    st.session_state[state.C_PRIORITIES] = current
    st.session_state[state.C_CAPACITY] = council.capacity
    st.session_state[state.C_STAGE] = stage_edge.dst if stage_edge else None
    st.session_state[state.C_LOADED_FOR] = code
    st.session_state[state.C_SEEN] = council  # the version edits are made against


def refill() -> None:
    """Fill the forms from the latest record on the next run (dropping unsaved edits)."""
    st.session_state[state.C_LOADED_FOR] = None
    st.session_state[state.C_THEMES_FOR] = None


def save(form: str, changes: list, who: str) -> None:
    """Write one form's changes; a conflict is kept to offer reload or re-apply."""
    if not changes:
        st.info(f"Nothing to save: no change to the {form}.")
        return
    try:
        state.write(changes, who)
    except EditConflict as exc:
        conflict.remember(form, exc)
        st.rerun()
    except GraphError as exc:
        st.error(f"Not saved: {md(exc)}")
    else:
        state.flash(f"{form[0].upper()}{form[1:]} of {council.name} saved by {who}.", form)
        refill()
        st.rerun()


def save_self_view(seen: Council) -> None:
    """Save the form's self-view as a change to `seen`, the record as the editor saw it."""
    if who := ui.editor():
        new_view = SelfView(**{f: st.session_state[k] for k, f, _ in SELF_VIEW_FIELDS})
        save("self-view", self_view_changes(seen, new_view) + self_view_evidence_changes(
            state.kg(), code, st.session_state[state.C_SHARE_THEMES],
            st.session_state[state.C_SUPPORT_THEMES], who, date.today().isoformat()), who)


evidence_now = self_view_evidence(kg, code)
if st.session_state.get(state.C_THEMES_FOR) != code:
    # themes already recorded from the self-view, else those its words name (to review)
    for key, part, field in ((state.C_SHARE_THEMES, "share", "what_we_can_share"),
                             (state.C_SUPPORT_THEMES, "support", "support_wanted")):
        st.session_state[key] = [e.dst for e in evidence_now[part]] or \
            sorted({m.id for m in find_mentions(getattr(view, field), kg) if m.kind == "theme"})
    st.session_state[state.C_THEMES_FOR] = code
theme_ids = sorted((t.id for t in kg.nodes(NodeKind.THEME)), key=kg.name)
with st.form(state.C_VIEW_FORM):
    for key, _, label in SELF_VIEW_FIELDS:
        st.text_area(label, key=key, height=90)
    st.multiselect("Themes we can share (recorded as offers partner searches use)",
                   theme_ids, key=state.C_SHARE_THEMES, format_func=kg.name)
    st.multiselect("Themes we want support on (recorded as challenges)", theme_ids,
                   key=state.C_SUPPORT_THEMES, format_func=kg.name)
    save_view = st.form_submit_button("Save self-view", key=state.C_SAVE_VIEW)
for part, label in (("share", "Can share"), ("support", "Wants support on")):
    for e in evidence_now[part]:
        ui.source_caption(f"{label}: {kg.name(e.dst)} \u2014 {ui.edge_source(e, kg)}")
if save_view:
    save_self_view(st.session_state.get(state.C_SEEN) or council)
conflict.offer("self-view", reload=refill,
               reapply=lambda: save_self_view(state.kg().node(code)))
ui.show_flash("self-view")

# ---------------------------------------------------------------- priorities
st.subheader("Improvement priorities")
themes = sorted(kg.nodes(NodeKind.THEME), key=lambda t: t.id)
for edge in kg.out_edges(code, EdgeType.HAS_PRIORITY):
    st.markdown(f"- {md(kg.name(edge.dst))}")
    ui.source_caption(ui.edge_source(edge, kg))
if not current:
    st.caption("No priorities recorded yet.")
chosen = st.multiselect("Edit priorities", [t.id for t in themes], key=state.C_PRIORITIES,
                        format_func=kg.name, **ui.THEME_PICKER)
if st.button("Save priorities", key=state.C_SAVE_PRIORITIES) and (who := ui.editor()):
    changes = priority_changes(kg, code, chosen, who)
    if not changes:
        st.info("Nothing to save: the priorities are unchanged.")
    else:
        try:
            state.write(changes, who)
        except GraphError as exc:
            st.error(f"Not saved: {md(exc)}")
        else:
            state.flash(f"Priorities of {council.name} saved by {who}.",
                        state.C_SAVE_PRIORITIES)
            st.rerun()
ui.show_flash(state.C_SAVE_PRIORITIES)

# ---------------------------------------------------------------- capacity and stage
st.subheader("Capacity and improvement journey")
st.caption("How many improvement engagements the council can support at once (partner "
           "searches leave it out when its open engagements reach this), and where it is on "
           "the improvement journey (partners further along rank higher). Blank = unknown.")
if stage_edge is not None:
    ui.source_caption(ui.edge_source(stage_edge, kg))
with st.form(state.C_STANDING_FORM):
    st.number_input("Capacity (engagements at once)", key=state.C_CAPACITY, value=None,
                    min_value=0, step=1, placeholder="Unknown")
    st.selectbox("Stage of the improvement journey", [s.id for s in journey_stages(kg)],
                 key=state.C_STAGE, index=None, format_func=kg.name, placeholder="Unknown")
    standing_clicked = st.form_submit_button("Save capacity and stage",
                                             key=state.C_SAVE_STANDING)


def save_standing(seen: Council) -> None:
    """Save capacity (as a change to `seen`, the record as shown) and stage."""
    if not (who := ui.editor()):
        return
    try:
        changes = capacity_changes(seen, st.session_state[state.C_CAPACITY])
        changes += stage_changes(state.kg(), code, st.session_state[state.C_STAGE], who,
                                 since=date.today().isoformat())
    except GraphError as exc:
        st.error(f"Not saved: {md(exc)}")
        return
    save("capacity and stage", changes, who)


if standing_clicked:
    save_standing(st.session_state.get(state.C_SEEN) or council)
conflict.offer("capacity and stage", reload=refill,
               reapply=lambda: save_standing(state.kg().node(code)))
ui.show_flash("capacity and stage")

# ---------------------------------------------------------------- neighbours
st.subheader("Connections")
NOTE_PROPS = ("note", "notes", "role", "rag", "date")
groups: dict[str, list[dict]] = defaultdict(list)
for edge, direction, other in kg.neighbours(code):
    if edge.type == EdgeType.HAS_PRIORITY:
        continue
    confidence = edge.provenance.confidence
    groups[relationship_words(edge.type, incoming=direction != "out")].append({
        "name": other.name,
        "kind": kind_words(other.kind.value),
        "note": "; ".join(str(edge.props[k]) for k in NOTE_PROPS if edge.props.get(k)),
        "source": ui.edge_source(edge, kg),
        "confidence": "" if confidence is None else f"{confidence:.0%}",
    })
if not groups:
    st.caption("No connections recorded.")
for relationship in sorted(groups):
    rows = sorted(groups[relationship], key=lambda r: r["name"])
    with st.expander(f"{md(council.name)} {relationship} ({len(rows)})",
                     expanded=len(groups) <= 4):
        st.dataframe(rows, hide_index=True, width="stretch")

# ---------------------------------------------------------------- history
st.subheader("Changes")
records = state.store().history(code, limit=500)
if not records:
    st.caption("No changes recorded for this council.")
else:
    ui.bullets(history_sentences(records, kg, state.original)[:50])
    st.caption("Times are UTC; newest first.")
