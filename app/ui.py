"""Small render helpers every page shares: escaping, provenance captions, safe CSV export.

Text that comes from data is never rendered as HTML. Where it goes into Markdown (a caption,
a bullet) it passes through `md()` first, which backslash-escapes every ASCII punctuation
mark, so `<script>`, `[link](...)`, `$maths$` and `:red[...]` all show as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st

from app import state
from app.export import to_csv
from graph.history import when
from graph.knowledge import KnowledgeGraph, cite
from graph.schema import Edge, Provenance

_MD_SPECIAL = set("\\`*_{}[]<>#|~$&:!=^")
_LIST_MARK = re.compile(r"^\s*(?:[-+]|\d+[.)])")

RAG_COLOURS = {
    "green": "#2e7d32", "amber-green": "#9ccc65", "yellow": "#fdd835", "amber": "#ffb300",
    "amber-red": "#f57c00", "red": "#c62828",
}
NO_RAG_COLOUR = "#9e9e9e"
# A theme list filters by words contained in the names, and Enter picks one theme, never
# every match ("retain" + Enter must not choose all eleven themes a fuzzy match finds).
THEME_PICKER = {"filter_mode": "contains", "select_all": False}


def md(text: Any) -> str:
    r"""Escape data for Markdown so it shows exactly as typed.

    Backslash-escapes every character Markdown or Streamlit gives meaning to (HTML, links,
    emphasis, code, tables, `$` maths, `:colour[...]` and emoji), and a leading list or
    heading marker; line breaks become spaces.

    >>> md("<script>alert(1)</script>")
    '\\<script\\>alert(1)\\</script\\>'
    >>> md("- 1. [x](javascript:y) $5 :red[z]")
    '\\- 1. \\[x\\](javascript\\:y) \\$5 \\:red\\[z\\]'
    >>> md(None)
    ''
    """
    if text is None:
        return ""
    out = []
    for ch in str(text):
        if ch in _MD_SPECIAL:
            out.append("\\" + ch)
        elif ch in "\r\n":
            out.append(" ")
        else:
            out.append(ch)
    escaped = "".join(out)
    lead = _LIST_MARK.match(escaped)
    if lead:
        escaped = escaped[:lead.end() - 1] + "\\" + escaped[lead.end() - 1:]
    return escaped


_HEADING_MARK = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+")


def without_heading_marks(piece: str, at_line_start: bool) -> str:
    """A stretch of a document's text as a reader sees it: the '# ' marks the reader puts
    before headings (from Word and HTML too) dropped, but only where a line starts."""
    if at_line_start:
        return _HEADING_MARK.sub("", piece)
    first, newline, rest = piece.partition("\n")
    return first + newline + _HEADING_MARK.sub("", rest)


def download_csv(label: str, rows: Iterable[Mapping[str, Any]], file_name: str, key: str,
                 columns: list[str] | None = None) -> None:
    st.download_button(label, to_csv(rows, columns).encode("utf-8"), file_name=file_name,
                       mime="text/csv", key=key)


def citation(prov: Provenance | Mapping | str | None, kg: KnowledgeGraph | None = None) -> str:
    """A readable citation for a provenance (model, dict or plain source string)."""
    if prov is None:
        return "source not recorded"
    if isinstance(prov, Provenance):
        if prov.source.startswith("user:"):
            who = prov.source.removeprefix("user:")
            return f"entered by {who}" + (f" on {when(prov.recorded_at)}"
                                          if prov.recorded_at else "")
        return cite(prov, kg)
    if isinstance(prov, Mapping):
        if prov.get("citation"):
            return str(prov["citation"])
        try:
            return citation(Provenance.model_validate(
                {k: v for k, v in prov.items() if k in Provenance.model_fields}), kg)
        except ValueError:
            return str(prov.get("source") or "source not recorded")
    return str(prov)


def source_caption(text: str) -> None:
    """A 'Source: ...' caption under a fact."""
    st.caption("Source: " + md(text))


def edge_source(edge: Edge, kg: KnowledgeGraph) -> str:
    return citation(edge.provenance, kg)


def bullets(items: Iterable[Any]) -> None:
    lines = [f"- {md(item)}" for item in items if item not in (None, "")]
    if lines:
        st.markdown("\n".join(lines))


def editor() -> str | None:
    """Who is making a change; None (after saying why) when nobody has said who they are.

    The one place the app decides who an edit is recorded as: every page's save goes
    through it, so replacing typed names with signed-in identity is a change here only.
    """
    who = state.who()
    if not who:
        st.error("Enter your name in the sidebar first: every change records who made it.")
        return None
    return who


def rag_colour(rag: str) -> str:
    return RAG_COLOURS.get(rag.strip().lower(), NO_RAG_COLOUR)


def council_picker(kg: KnowledgeGraph, resolver, text_key: str = state.COUNCIL,
                   pick_key: str = state.COUNCIL_PICK, label: str = "Council",
                   placeholder: str = "Type a council, e.g. NE Lincs",
                   bind: str | None = "query-params") -> str | None:
    """A text box resolved to one current council (fuzzy, abbreviations, old names).

    By default the box is the app's one council box: what is typed on one page is there on
    the next, and in the page address (so a reload or a shared link keeps it).
    An ambiguous name offers its candidates; an abolished council offers its successors.
    Returns the GSS code, or None until the person has said which council they mean.
    """
    typed = st.text_input(label, key=text_key, placeholder=placeholder, bind=bind) or ""
    if not typed.strip():
        return None
    found = resolver.resolve(typed)
    if found.code is not None and found.status == "current":
        st.caption(f"Using {md(found.name)} ({md(found.code)})")
        return found.code
    if found.code is not None:  # abolished: offer its successors
        options = list(found.successors) or kg.current_successors(found.code)
        note = f"{md(found.name)} was abolished; it is now covered by:"
    else:
        options = [a.code for a in found.alternatives if kg.get(a.code) is not None]
        note = f"No single council matches \u201c{md(typed)}\u201d. Did you mean:"
    if not options:
        st.warning(f"No council matches \u201c{md(typed)}\u201d: try its full name or "
                   "GSS code.")
        return None
    st.caption(note)
    return st.radio("Choose the council", options, key=pick_key,
                    format_func=lambda c: f"{kg.name(c)} ({c})", index=None)


def show_flash(where: str) -> None:
    """Show, here (beside the control that acted), the message an action at `where` left
    before the page reran; once, so no sentence on the page is said twice."""
    if message := state.pop_flash(where):
        st.success(message)


def profile_link(code: str, kg: KnowledgeGraph) -> None:
    """A link to a council's profile page (the profile opens on that council)."""
    st.page_link("views/profile.py", label=f"Profile of {md(kg.name(code))}",
                 icon=":material/account_balance:", query_params={state.COUNCIL: code})


def sources(evidence: Iterable[Any], kg: KnowledgeGraph, most: int = 6) -> None:
    """One 'Source:' caption per distinct citation among some evidence (each said once)."""
    seen = list(dict.fromkeys(citation(ev, kg) for ev in evidence))
    for text in seen[:most]:
        source_caption(text)
    if len(seen) > most:
        st.caption(f"and {len(seen) - most} more sources")


ONE_LINE_ROW = 35
"""A table row's height in pixels holding one line (the grid's own default)."""


def wrapped_row_height(texts: Iterable[str], chars_per_line: int) -> int:
    """A table row height (pixels) that shows the longest of `texts` whole, wrapped at about
    `chars_per_line` characters. The grid wraps text only in rows taller than 64 pixels.

    >>> wrapped_row_height(["short"], 60), wrapped_row_height(["x" * 150], 60)
    (35, 77)
    """
    lines = max((-(-len(t) // chars_per_line) for t in texts), default=1)
    return ONE_LINE_ROW if lines <= 1 else max(65, 21 * lines + 14)
