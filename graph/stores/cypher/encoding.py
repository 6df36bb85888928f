"""How records are stored on a Cypher server, and read back.

- nodes `(:Node:<Kind> {id, kind, name, ...})`: scalar fields as native properties, lists of
  strings as lists, anything nested (a council's self-view) as a JSON string named in the
  node's `_json` list. None and empty lists are left out (their defaults restore them).
- edges `[:TYPE {source, locator, confidence, since, recorded_at, props_json, derived,
  derived_from}]`, keyed by (src, TYPE, dst, source) as `replay` keys them. Derived edges (a
  council's region, a practice's owners ...) carry `derived: true` and the id of the record
  they come from.
"""

from __future__ import annotations

import json
from typing import Any

from graph.schema import NODE_MODELS, Edge, EdgeType, Node, NodeKind, Provenance


def node_props(node: Node) -> dict[str, Any]:
    """A node's properties on the server (see the module docstring)."""
    data = node.model_dump(mode="json")
    out: dict[str, Any] = {}
    as_json: list[str] = []
    for key, value in data.items():
        if value is None or value == []:
            continue
        if isinstance(value, dict) or (
            isinstance(value, list) and not all(isinstance(v, str) for v in value)
        ):
            out[key] = json.dumps(value, ensure_ascii=False, sort_keys=True)
            as_json.append(key)
        else:
            out[key] = value
    if as_json:
        out["_json"] = as_json
    return out


def node_from_props(props: dict[str, Any]) -> Node:
    data = dict(props)
    for key in data.pop("_json", None) or []:
        data[key] = json.loads(data[key])
    kind = NodeKind(data.pop("kind"))
    return NODE_MODELS[kind].model_validate(data)


def edge_props(edge: Edge, derived_from: str | None = None) -> dict[str, Any]:
    p = edge.provenance
    props = {
        "source": p.source,
        "locator": p.locator,
        "confidence": p.confidence,
        "since": p.since,
        "recorded_at": p.recorded_at,
        "props_json": json.dumps(edge.props, ensure_ascii=False, sort_keys=True)
        if edge.props else None,
        "derived": edge.derived,
        "derived_from": derived_from,
    }
    return {k: v for k, v in props.items() if v is not None}


def edge_row(edge: Edge, derived_from: str | None = None) -> dict[str, Any]:
    return {"src": edge.src, "dst": edge.dst, "source": edge.provenance.source,
            "derived": edge.derived, "props": edge_props(edge, derived_from)}


def edge_from_props(src: str, type_: str, dst: str, props: dict[str, Any]) -> Edge:
    prov = Provenance(
        source=props["source"],
        locator=props.get("locator"),
        confidence=props.get("confidence", 1.0),
        since=props.get("since"),
        recorded_at=props.get("recorded_at"),
    )
    extra = json.loads(props["props_json"]) if props.get("props_json") else {}
    return Edge(src=src, type=EdgeType(type_), dst=dst, provenance=prov, props=extra)
