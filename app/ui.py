"""Small render helpers every page shares: escaping, provenance captions, safe CSV export.

Text that comes from data is never rendered as HTML. Where it goes into Markdown (a caption,
a bullet) it passes through `md()` first, which backslash-escapes every ASCII punctuation
mark, so `<script>`, `[link](...)`, `$maths$` and `:red[...]` all show as typed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st

from app import state
from app.export import to_csv
from graph.changes import FIELD_WORDS
from graph.knowledge import KnowledgeGraph, cite
from graph.schema import Edge, Provenance

_MD_SPECIAL = set("\\`*_{}[]<>#|~$&:!=^")
_LIST_MARK = re.compile(r"^\s*(?:[-+]|\d+[.)])")

RAG_COLOURS = {
    "green": "#2e7d32", "amber-green": "#9ccc65", "yellow": "#fdd835", "amber": "#ffb300",
    "amber-red": "#f57c00", "red": "#c62828",
}
REGION_COLOURS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22",
]
NO_REGION_COLOUR = "#9e9e9e"


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


def download_csv(label: str, rows: Iterable[Mapping[str, Any]], file_name: str, key: str,
                 columns: list[str] | None = None) -> None:
    st.download_button(label, to_csv(rows, columns).encode("utf-8"), file_name=file_name,
                       mime="text/csv", key=key)


def citation(prov: Provenance | Mapping | str | None, kg: KnowledgeGraph | None = None) -> str:
    """A readable citation for a provenance (model, dict or plain source string)."""
    if prov is None:
        return "source not recorded"
    if isinstance(prov, Provenance):
        text = cite(prov, kg)
        if prov.source.startswith("user:") and prov.recorded_at:
            text += f" ({prov.recorded_at})"
        return text
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
    return RAG_COLOURS.get(rag.strip().lower(), NO_REGION_COLOUR)


def region_colours(regions: Iterable[str]) -> dict[str, str]:
    """A stable colour per region code (sorted order)."""
    return {r: REGION_COLOURS[i % len(REGION_COLOURS)]
            for i, r in enumerate(sorted(set(regions)))}


def council_picker(kg: KnowledgeGraph, resolver, text_key: str, pick_key: str,
                   label: str = "Council", placeholder: str = "Type a council, e.g. NE Lincs"
                   ) -> str | None:
    """A text box resolved to one current council (fuzzy, abbreviations, old names).

    An ambiguous name offers its candidates; an abolished council offers its successors.
    Returns the GSS code, or None until the person has said which council they mean.
    """
    typed = st.text_input(label, key=text_key, placeholder=placeholder)
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


def describe_change(change, kg: KnowledgeGraph) -> str:
    """One line saying what a journal entry changed, in words."""
    op = change.op
    if op == "upsert_node":
        return f"updated the record of {change.node.name}"
    if op == "update_node":
        fields = ", ".join(FIELD_WORDS.get(f, f.replace("_", " ")) for f in change.values)
        return f"changed {fields} of {kg.name(change.id)}"
    if op == "remove_node":
        return f"removed {kg.name(change.id)}"
    if op == "add_edge":
        e = change.edge
        return f"added {kg.name(e.src)} {e.type.value} {kg.name(e.dst)}"
    return f"removed {kg.name(change.src)} {change.type.value} {kg.name(change.dst)}"


# ---------------------------------------------------------------------- graph drawing

KIND_SHAPES = {
    "Council": "ellipse", "Theme": "diamond", "Practice": "round-rectangle",
    "Organisation": "hexagon", "Network": "star", "Region": "octagon",
    "Document": "rectangle", "Reviewer": "triangle", "Engagement": "tag",
    "SupportOffer": "barrel", "Characteristic": "vee", "Stage": "pentagon",
}


class _Style:
    """A raw Cytoscape style rule for st-link-analysis (it calls `.dump()` on each)."""

    def __init__(self, selector: str, style: dict[str, Any]):
        self.selector, self.style = selector, style

    def dump(self) -> dict[str, Any]:
        return {"selector": self.selector, "style": self.style}


def graph_elements(g, sizes: Mapping[str, float] | None = None,
                   colours: Mapping[str, str] | None = None,
                   highlight: Iterable[str] = ()) -> tuple[dict[str, list[dict]], list[str]]:
    """Cytoscape elements for a view graph, and the node ids in element order.

    Node size follows `sizes` (0..1), colour the node's region. st-link-analysis 0.4.0 writes
    every data field except `label` into its info panel with `innerHTML`, so the elements
    carry positional ids (`n0`, `n1`...) and HTML-escaped values; only `label` (drawn on the
    canvas and set with `innerText`) holds the name as it is.
    """
    sizes = sizes or {}
    colours = colours or {}
    top = max(sizes.values(), default=0.0) or 1.0
    marked = set(highlight)
    order = list(g.nodes)
    index = {n: f"n{i}" for i, n in enumerate(order)}
    nodes = []
    for n in order:
        d = g.nodes[n]
        size = 18 + 42 * (sizes.get(n, 0.0) / top)
        nodes.append({"data": {
            "id": index[n], "label": d["name"], "kind": html.escape(d["kind"]),
            "code": html.escape(n), "region": html.escape(d.get("region_name") or ""),
            "size": round(size, 1),
            "color": colours.get(d.get("region") or "", NO_REGION_COLOUR),
            "border": 4 if n in marked else 0,
        }})
    edges = []
    for i, (a, b, d) in enumerate(g.edges(data=True)):
        edges.append({"data": {
            "id": f"e{i}", "source": index[a], "target": index[b],
            "label": ", ".join(d.get("types", [])),
            "sources": html.escape("; ".join(d.get("citations", []))),
        }})
    return {"nodes": nodes, "edges": edges}, order


def draw_graph(g, key: str, sizes: Mapping[str, float] | None = None,
               colours: Mapping[str, str] | None = None, height: int = 560,
               highlight: Iterable[str] = (), layout: str = "cose") -> str | None:
    """Draw a view graph with st-link-analysis; return the id of a clicked node, if any."""
    from st_link_analysis import Event, st_link_analysis

    styles = [
        _Style("node", {"width": "data(size)", "height": "data(size)",
                        "background-color": "data(color)", "label": "data(label)",
                        "font-size": 11, "min-zoomed-font-size": 7, "text-valign": "bottom",
                        "text-wrap": "ellipsis",
                        "text-max-width": 110, "border-width": "data(border)",
                        "border-color": "#111"}),
        *[_Style(f"node[kind='{k}']", {"shape": s}) for k, s in KIND_SHAPES.items()],
        _Style("edge", {"width": 1, "line-color": "#bbb", "curve-style": "haystack"}),
    ]
    elements, order = graph_elements(g, sizes, colours, highlight)
    value = st_link_analysis(elements, layout=layout, node_styles=styles, edge_styles=[],
                             height=height, key=key,
                             events=[Event("node_click", "tap", "node")])
    # the component answers {"action", "data": {"type", "target_id", "target_group"}}
    if isinstance(value, dict) and value.get("action") == "node_click":
        target = str((value.get("data") or {}).get("target_id") or "")
        if target.startswith("n") and target[1:].isdigit() and int(target[1:]) < len(order):
            return order[int(target[1:])]
    return None


def region_legend(kg: KnowledgeGraph, colours: Mapping[str, str]) -> None:
    """A small legend: the colour of each region drawn (grey: no region)."""
    import altair as alt
    import pandas as pd

    names = [kg.name(r) for r in colours] + ["no region"]
    frame = pd.DataFrame({"region": names})
    st.altair_chart(
        alt.Chart(frame).mark_circle(opacity=0).encode(
            color=alt.Color("region:N", title=None, sort=None,
                            scale=alt.Scale(domain=names,
                                            range=[*colours.values(), NO_REGION_COLOUR]),
                            legend=alt.Legend(orient="top", columns=5, symbolOpacity=1,
                                              labelLimit=200)),
        ).properties(height=1),
        width="stretch",
    )
