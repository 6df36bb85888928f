"""Review documents: read notes and reports in, see what they name, accept, edit or reject
each fact they state, and record the accepted ones citing the document and its characters."""

from __future__ import annotations

import html

import streamlit as st

from app import state, ui
from app.ui import md
from graph.errors import GraphError
from graph.ingest.apply import (
    PERSON_CONFIDENCE,
    AcceptedClaim,
    already_ingested,
    ingest_changes,
    recorded_words,
)
from graph.ingest.read import SUFFIXES, SourceText, read_bytes
from graph.schema import NodeKind
from graph.wording import one_line
from matcher.extract import Extraction
from matcher.extract_parts import extract_in_parts
from matcher.sentences import sentences

KIND_WORDS = {
    "challenge": "working on it (challenge)", "practice": "has done it (practice)",
    "impact": "a stated result (impact)", "participation": "took part (participation)",
    "offer": "can share it (offer)", "endorsement": "endorsed by a council it helped",
}
UNSAID = "choose what it is evidence of"  # the kind of a pair the reader could not read
MENTION_COLOURS = {"council": "#fde68a", "organisation": "#bfdbfe", "network": "#c7d2fe",
                   "theme": "#bbf7d0"}
SHOW_CHARS = 40_000
# Column widths that fit the whole table, theme and confidence included, in a 1280-pixel
# window beside the sidebar: the sentence wraps over more lines instead of pushing them out.
SENTENCE_PX = 200  # the sentence column's width ...
SENTENCE_CHARS = 28  # ... holds about this many characters a line
ACCEPT_PX, ACTOR_PX, KIND_PX, TARGET_PX, CONFIDENCE_PX = 70, 115, 150, 180, 95
HEADER_PX = 35  # the grid's header row


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


kg = state.kg()
st.title("Review documents")
st.caption("Workshop notes, peer-challenge letters, learning-day write-ups: the councils, "
           "organisations, networks and themes each names are highlighted, and every fact it "
           "states is proposed for you to accept, change or reject. Nothing is recorded until "
           "you apply, and each recorded fact cites the document and the sentence it rests on.")
if done := st.session_state.get(state.D_DONE):  # kept so its profile links stay
    title, count, accepted, councils = done
    st.success(f"Recorded {recorded_words(count, accepted)} from \u201c{md(title)}\u201d.")
    for code in councils:
        ui.profile_link(code, kg)

found: dict[str, tuple[SourceText, Extraction]] = st.session_state.setdefault(state.D_FOUND, {})


def read_in(name: str, data: bytes) -> None:
    try:
        src = read_bytes(name, data)
    except GraphError as exc:
        st.error(md(exc))
        return
    if src.sha256 in found:
        return
    bar = st.progress(0.0, text=f"Reading {name}...")
    result = extract_in_parts(src.text, kg, lambda done, total: bar.progress(
        done / total, text=f"Reading {name}: {done:,} of {total:,} characters"))
    bar.empty()
    found[src.sha256] = (src, result)


uploads = st.file_uploader("Files to read", type=[s.lstrip(".") for s in SUFFIXES],
                           accept_multiple_files=True, key=state.D_UPLOAD)
for up in uploads or []:
    read_in(up.name, up.getvalue())
with st.expander("Or paste a note"):
    st.text_input("Title", key=state.D_PASTE_TITLE, placeholder="Learning day, March 2026")
    st.text_area("Text", key=state.D_PASTE, height=160)
    if st.button("Read the note", key=state.D_READ):
        text = (st.session_state.get(state.D_PASTE) or "").strip()
        title = (st.session_state.get(state.D_PASTE_TITLE) or "").strip() or "pasted note"
        if text:
            read_in(f"{title}.md", f"# {title}\n\n{text}\n".encode())
        else:
            st.warning("Paste the note's text first.")

if not found:
    st.info("Upload a file (" + ", ".join(SUFFIXES) + ") or paste a note to start.")
    st.stop()


def highlighted(src: SourceText, result: Extraction) -> str:
    """The text with mentions marked: every piece of the document escaped, only our own
    <mark> tags added."""
    out, pos = [], 0

    def plain(a: int, b: int) -> str:
        at_line_start = a == 0 or src.text[a - 1] == "\n"
        return html.escape(ui.without_heading_marks(src.text[a:b], at_line_start))

    for m in sorted((m for m in result.mentions if m.start < SHOW_CHARS),
                    key=lambda m: (m.start, -m.end)):
        if m.start < pos:
            continue
        out.append(plain(pos, m.start))
        label = html.escape(f"{m.kind}: {kg.name(m.id)}", quote=True)
        out.append(f'<mark title="{label}" style="background:{MENTION_COLOURS[m.kind]}">'
                   f"{html.escape(src.text[m.start:m.end])}</mark>")
        pos = m.end
    out.append(plain(pos, SHOW_CHARS))
    return ('<div style="white-space:pre-wrap;max-height:28rem;overflow:auto;'
            'border:1px solid #ddd;padding:0.6rem;font-size:0.9rem">' + "".join(out) + "</div>")


actors = sorted((n for k in (NodeKind.COUNCIL, NodeKind.ORGANISATION) for n in kg.nodes(k)
                 if getattr(n, "status", "current") == "current"), key=lambda n: n.name)
targets = sorted((n for k in (NodeKind.THEME, NodeKind.PRACTICE, NodeKind.NETWORK)
                  for n in kg.nodes(k)), key=lambda n: n.name)
actor_ids = {n.name: n.id for n in actors}
target_ids = {n.name: n.id for n in targets}
kind_ids = {v: k for k, v in KIND_WORDS.items()}


def fact_grid(rows: list[dict], key: str, unsaid: bool = False) -> list[dict]:
    """A grid of facts to accept, change or reject, as the reviewer left it: every row shown,
    the whole sentence wrapped (rows grow to hold the longest); with `unsaid`, the kinds of
    evidence open with the choice still to make."""
    row_px = ui.wrapped_row_height((r["because"] for r in rows), SENTENCE_CHARS)
    columns = {
        "accept": st.column_config.CheckboxColumn("Accept", width=ACCEPT_PX),
        "because": st.column_config.TextColumn("The sentence it rests on", disabled=True,
                                               width=SENTENCE_PX),
        "who": st.column_config.SelectboxColumn("Council or organisation",
                                                options=list(actor_ids), required=True,
                                                width=ACTOR_PX),
        "what": st.column_config.SelectboxColumn("Evidence of",
                                                 options=[UNSAID] * unsaid + [*kind_ids],
                                                 required=True, width=KIND_PX),
        "on": st.column_config.SelectboxColumn("Theme, practice or network",
                                               options=list(target_ids), required=True,
                                               width=TARGET_PX),
        "confidence": st.column_config.NumberColumn("Confidence", min_value=0.0,
                                                    max_value=1.0, step=0.05,
                                                    width=CONFIDENCE_PX),
    }
    return st.data_editor(
        rows, key=key, hide_index=True, width="stretch", row_height=row_px,
        height=HEADER_PX + row_px * len(rows) + 3,  # every row, no scroll
        column_config={k: v for k, v in columns.items() if k in rows[0]})


def added_by_hand(src: SourceText, sha: str) -> list[tuple[dict, int, int, float]]:
    """A form for a fact the reader did not propose, on any sentence of the document, and the
    facts added so far (each may be unticked again before applying)."""
    added: list[dict] = st.session_state.setdefault(state.D_ADDED + sha, [])
    with st.expander("Add a fact the reader did not propose", expanded=bool(added)):
        spans = sentences(src.text)
        at = st.selectbox("The sentence it rests on", range(len(spans)), index=None,
                          format_func=lambda i: one_line(ui.without_heading_marks(
                              src.text[slice(*spans[i])], True), 140),
                          placeholder="Type words from the sentence",
                          key=f"{state.D_ADD}sentence.{sha}")
        left, middle, right = st.columns(3)
        who = left.selectbox("Council or organisation", list(actor_ids), index=None,
                             key=f"{state.D_ADD}who.{sha}")
        what = middle.selectbox("Evidence of", list(kind_ids), index=None,
                                key=f"{state.D_ADD}what.{sha}")
        on = right.selectbox("Theme, practice or network", list(target_ids), index=None,
                             key=f"{state.D_ADD}on.{sha}")
        if st.button("Add this fact", key=f"{state.D_ADD}button.{sha}"):
            if None in (at, who, what, on):
                st.warning("Choose the sentence, the council or organisation, what it is "
                           "evidence of and what it is on first.")
            else:
                start, end = spans[at]
                added.append({"accept": True, "because": " ".join(src.text[start:end].split()),
                              "who": who, "what": what, "on": on, "start": start, "end": end})
        if not added:
            return []
        # a new key for each added fact: the grid then shows every row added so far
        edited = fact_grid([{k: v for k, v in row.items() if k not in ("start", "end")}
                            for row in added], f"{state.D_ADDED}{len(added)}.{sha}")
    return [(row, fact["start"], fact["end"], PERSON_CONFIDENCE)
            for row, fact in zip(edited, added, strict=True) if row["accept"]]


for sha, (src, result) in list(found.items()):
    st.header(md(src.title))
    names = sorted({kg.name(m.id) for m in result.mentions if m.kind != "theme"})
    themes = sorted({kg.name(m.id) for m in result.mentions if m.kind == "theme"})
    st.caption(f"{src.name}, {len(src.text):,} characters. Names: {md(', '.join(names)) or 'none'}."
               f" Themes: {md(', '.join(themes)) or 'none'}.")
    st.html(highlighted(src, result))
    if len(src.text) > SHOW_CHARS:
        st.caption(f"Showing the first {SHOW_CHARS:,} characters; facts are proposed from all "
                   f"of it.")
    if already_ingested(kg, src):
        st.info("This document is already in the graph: applying it again would change nothing.")
        continue
    chosen: list[tuple[dict, int, int, float]] = []  # row, characters, confidence
    if result.claims:
        # the sentence comes first: it is what a reviewer reads to judge the rest of the row
        edited = fact_grid([{"accept": True, "because": " ".join(c.text.split()),
                             "who": kg.name(c.subject), "what": KIND_WORDS[c.kind],
                             "on": kg.name(c.target), "confidence": round(c.confidence, 2)}
                            for c in result.claims], state.D_CLAIMS + sha)
        chosen += [(row, c.start, c.end, float(row["confidence"] or 0.0))
                   for row, c in zip(edited, result.claims, strict=True) if row["accept"]]
    elif result.unclaimed:
        st.info("No facts proposed: the reader could not tell what the text states of the "
                "councils it names. The sentences naming one with a theme are listed below.")
    else:
        st.info("No facts proposed: the text names no council or organisation doing, offering "
                "or working on something the reader could tell.")
    if result.unclaimed:
        with st.expander(f"Named together, nothing proposed ({len(result.unclaimed)})",
                         expanded=not result.claims):
            st.caption("Each of these sentences names a council or organisation and a theme or "
                       "network, but the reader could not tell what it says of them. Tick any "
                       "that states a fact and choose what it is evidence of.")
            edited = fact_grid([{"accept": False, "because": " ".join(u.text.split()),
                                 "who": kg.name(u.subject), "what": UNSAID,
                                 "on": kg.name(u.target)} for u in result.unclaimed],
                               state.D_UNCLAIMED + sha, unsaid=True)
            chosen += [(row, u.start, u.end, PERSON_CONFIDENCE)
                       for row, u in zip(edited, result.unclaimed, strict=True) if row["accept"]]
    chosen += added_by_hand(src, sha)
    # one button per document on the page, so each names its document
    if st.button(f"Apply {counted(len(chosen), 'accepted fact')} from "
                 f"\u201c{md(src.title)}\u201d", key=state.D_APPLY + sha,
                 type="primary", disabled=not chosen):
        who = state.who()
        if not who:
            st.error("Enter your name in the sidebar first: every change records who made it.")
            st.stop()
        unread = next((row for row, *_ in chosen if row["what"] not in kind_ids), None)
        if unread is not None:
            st.error(f"Nothing recorded: choose what the sentence about {md(unread['who'])} "
                     f"and {md(unread['on'])} is evidence of, or untick it.")
            st.stop()
        try:
            accepted = [AcceptedClaim(actor_ids[row["who"]], kind_ids[row["what"]],
                                      target_ids[row["on"]], confidence, start, end)
                        for row, start, end, confidence in chosen]
            changes = ingest_changes(kg, src, accepted, who)
            state.write(changes, who)
        except (GraphError, KeyError) as exc:
            st.error(f"Nothing recorded: {md(exc)}")
        else:
            councils = sorted({a.subject for a in accepted if kg.get(a.subject) is not None
                               and kg.node(a.subject).kind == NodeKind.COUNCIL})
            st.session_state[state.D_DONE] = (src.title, len(changes) - 1, len(accepted),
                                              councils)
            st.rerun()
