"""Read and validate a seed data directory into records, locating every fault.

A directory holds one file per node kind (CSV or YAML) and `edges/*.yaml`. Every record is
validated by its pydantic model, then ids are cross-checked (duplicates, dangling references,
edge endpoints of the wrong kind, unknown documents). Any fault raises `LoadError` listing
each problem as `file:line: field: problem`; nothing is returned half-loaded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from graph.errors import LoadError, Problem
from graph.knowledge import KnowledgeGraph, derived_edges
from graph.schema import (
    EDGE_ENDPOINTS,
    NODE_MODELS,
    Council,
    Edge,
    EdgeType,
    EvidenceAbout,
    Node,
    NodeKind,
    Provenance,
)
from graph.text import control_character_problem

# file stem -> node kind; each may be .csv or .yaml
NODE_FILES: dict[str, NodeKind] = {
    "regions": NodeKind.REGION,
    "councils": NodeKind.COUNCIL,
    "documents": NodeKind.DOCUMENT,
    "themes": NodeKind.THEME,
    "organisations": NodeKind.ORGANISATION,
    "networks": NodeKind.NETWORK,
    "practices": NodeKind.PRACTICE,
    "characteristics": NodeKind.CHARACTERISTIC,
    "stages": NodeKind.STAGE,
    "support_offers": NodeKind.SUPPORT_OFFER,
    "reviewers": NodeKind.REVIEWER,
    "engagements": NodeKind.ENGAGEMENT,
}
REQUIRED_FILES = ("regions", "councils", "documents", "themes")
LIST_FIELDS = {"aliases", "successors", "synonyms", "owners", "themes", "roles", "regions",
               "expertise", "naming_words", "hint_words"}
CSV_COLUMN_FIELDS = {"code": "id"}  # GSS tables say `code`; the records say `id`
EDGE_KEYS = {"from", "type", "to", "source", "locator", "confidence", "since", "props",
             "recorded_at"}

DEFAULT_SEED_DIR = Path(__file__).resolve().parents[1] / "seed_data"


@dataclass(frozen=True)
class Origin:
    file: str
    line: int | None
    field_lines: dict[str, int] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)  # record field -> name in the file

    def at(self, field_name: str | None, message: str) -> Problem:
        line = self.field_lines.get(field_name or "", self.line)
        return Problem(self.file, line, self.renamed.get(field_name or "", field_name), message)


@dataclass(frozen=True)
class SeedData:
    nodes: list[Node]
    edges: list[Edge]
    origins: dict[str, Origin]  # node id -> where it was defined

    def graph(self) -> KnowledgeGraph:
        return KnowledgeGraph(self.nodes, self.edges)


# ---------------------------------------------------------------------- raw readers


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml parses ~20x faster


class _LineLoader(_BaseLoader):
    """Safe loader that remembers the line of every mapping and of each of its keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    lines = {}
    for key_node, _ in node.value:
        lines[str(loader.construct_object(key_node))] = key_node.start_mark.line + 1
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = lines
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay strings: the schema stores ISO text, and a YAML date object would not validate.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k not in ("__line__", "__lines__")}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def read_yaml_records(path: Path, label: str) -> list[tuple[dict, Origin]]:
    text = ""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise LoadError([Problem(label, line, None, f"not valid YAML: {exc.problem}")]) from None
    except yaml.reader.ReaderError as exc:  # a raw control character (a NUL byte, ESC ...)
        line = text[: exc.position].count("\n") + 1
        start = text.rfind("\n", 0, exc.position) + 1
        end = text.find("\n", exc.position)
        why = control_character_problem(text[start:end if end >= 0 else None]) or exc.reason
        raise LoadError([Problem(label, line, None, why)]) from None
    except yaml.YAMLError as exc:
        raise LoadError([Problem(label, None, None, f"not valid YAML: {exc}")]) from None
    except UnicodeDecodeError as exc:
        raise LoadError([Problem(label, None, None, f"not UTF-8 text: {exc}")]) from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise LoadError([Problem(label, 1, None, "must be a list of records")])
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            raise LoadError([Problem(label, None, None, f"item {i + 1} is not a mapping")])
        origin = Origin(label, item.get("__line__"), item.get("__lines__", {}))
        out.append((_strip_lines(item), origin))
    return out


def read_validated(root: Path, name: str, model: type[BaseModel],
                   problems: list[Problem]) -> list[tuple[Any, Origin]]:
    """The records of the YAML list file `root/name`, each validated by `model`; every fault
    (file missing, bad YAML, invalid record) is added to `problems` as file:line: field."""
    path = root / name
    if not path.is_file():
        problems.append(Problem(str(path), None, None, "required file missing"))
        return []
    try:
        rows = read_yaml_records(path, f"{root.name}/{name}")
    except LoadError as exc:
        problems.extend(exc.problems)
        return []
    out = []
    for raw, origin in rows:
        try:
            out.append((model.model_validate(raw), origin))
        except ValidationError as exc:
            problems.extend(validation_problems(exc, origin))
    return out

def _read_csv(path: Path, label: str) -> list[tuple[dict, Origin]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError([Problem(label, None, None, f"not UTF-8 text: {exc}")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    out = []
    start = 2
    for row in reader:
        if None in row:
            raise LoadError([Problem(label, start, None, "more cells than header columns")])
        record: dict[str, Any] = {}
        for key, value in row.items():
            value = (value or "").strip()
            key = CSV_COLUMN_FIELDS.get(key, key)
            if key in LIST_FIELDS:
                record[key] = [v.strip() for v in value.split(";") if v.strip()]
            elif value != "":
                record[key] = value
        renamed = {CSV_COLUMN_FIELDS[k]: k for k in row if k in CSV_COLUMN_FIELDS}
        out.append((record, Origin(label, start, renamed=renamed)))
        start = reader.line_num + 1
    return out


def _read(path: Path, root: Path) -> list[tuple[dict, Origin]]:
    label = str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)
    return _read_csv(path, label) if path.suffix == ".csv" else read_yaml_records(path, label)


# ---------------------------------------------------------------------- validation


def validation_problems(exc: ValidationError, origin: Origin) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        # discriminated unions prefix the kind; drop it so the field reads as in the file
        field_name = ".".join(loc) if loc else None
        top = loc[0] if loc else None
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        if top in origin.renamed:
            field_name = ".".join([origin.renamed[top], *loc[1:]])
        out.append(Problem(origin.file, origin.field_lines.get(top or "", origin.line),
                           field_name, msg))
    return out


def _node(kind: NodeKind, raw: dict, origin: Origin) -> tuple[Node | None, list[Problem]]:
    if "kind" in raw:
        return None, [origin.at("kind", "do not set kind: the file decides it")]
    try:
        return NODE_MODELS[kind].model_validate(raw), []
    except ValidationError as exc:
        return None, validation_problems(exc, origin)


def parse_edge(raw: dict, origin: Origin) -> tuple[Edge | None, list[Problem]]:
    unknown = set(raw) - EDGE_KEYS
    if unknown:
        return None, [origin.at(sorted(unknown)[0], "unknown field")]
    for key in ("from", "type", "to", "source"):
        if key not in raw:
            return None, [origin.at(key, "missing")]
    try:
        prov = Provenance(
            source=str(raw["source"]),
            locator=raw.get("locator"),
            confidence=raw.get("confidence", 1.0),
            since=None if raw.get("since") is None else str(raw["since"]),
            recorded_at=None if raw.get("recorded_at") is None else str(raw["recorded_at"]),
        )
    except ValidationError as exc:
        return None, validation_problems(exc, origin)
    try:
        edge = Edge(src=str(raw["from"]), type=raw["type"], dst=str(raw["to"]),
                    provenance=prov, props=raw.get("props") or {})
    except ValidationError as exc:
        problems = validation_problems(exc, origin)
        renamed = {"src": "from", "dst": "to"}
        return None, [Problem(p.file, p.line, renamed.get(p.field or "", p.field), p.message)
                      for p in problems]
    return edge, []


def check_references(
    nodes: Iterable[Node],
    edges: Iterable[tuple[Edge, Origin]],
    origins: dict[str, Origin],
) -> list[Problem]:
    """Cross-record rules: every id an edge or field names exists and has the right kind."""
    by_id = {n.id: n for n in nodes}
    problems: list[Problem] = []
    # a fact rests on a document, or on an engagement (an outcome its recipient recorded)
    docs = {i for i, n in by_id.items() if n.kind in (NodeKind.DOCUMENT, NodeKind.ENGAGEMENT)}

    def check_source(source: str | None, origin: Origin, field_name: str) -> None:
        if source and source != "curated" and not source.startswith("user:") \
                and source not in docs:
            problems.append(origin.at(field_name, f"unknown document {source!r}"))

    field_of = {EdgeType.IN_REGION: "region", EdgeType.SUCCEEDED_BY: "successors",
                EdgeType.PART_OF: "parent", EdgeType.DEVELOPED: "owners",
                EdgeType.ADDRESSES: "themes", EdgeType.OFFERS: "provider",
                EdgeType.WORKS_FOR: "council", EdgeType.HAS_EXPERTISE: "expertise",
                EdgeType.PROVIDED: "provider", EdgeType.RECEIVED: "recipient",
                EdgeType.ABOUT: "themes"}
    for node in by_id.values():
        origin = origins[node.id]
        check_source(node.source, origin, "source")
        for edge in derived_edges(node):
            other = edge.dst if edge.src == node.id else edge.src
            name = field_of.get(edge.type, edge.type.value.lower())
            if edge.type == EdgeType.IN_REGION and node.kind != NodeKind.COUNCIL:
                name = "regions" if node.kind == NodeKind.SUPPORT_OFFER else "scope"
            problems += _endpoint_problems(edge, by_id, origin, name, other)
        if isinstance(node, Council) and node.status == "abolished" and not node.successors:
            problems.append(origin.at("successors", "an abolished council needs successors"))
    for edge, origin in edges:
        check_source(edge.provenance.source, origin, "source")
        problems += _endpoint_problems(edge, by_id, origin, None, None)
        subject = by_id.get(edge.src)
        if edge.about == EvidenceAbout.GROUP and subject and subject.kind != NodeKind.NETWORK:
            problems.append(origin.at("from", f"{edge.src!r} is a {subject.kind.value}; a fact "
                                              "stated about a group starts from the group's "
                                              "Network node"))
    return problems


def _endpoint_problems(edge: Edge, by_id: dict[str, Node], origin: Origin,
                       field_name: str | None, other: str | None) -> list[Problem]:
    src_kinds, dst_kinds = EDGE_ENDPOINTS[edge.type]
    out = []
    for end, ref, kinds in (("from", edge.src, src_kinds), ("to", edge.dst, dst_kinds)):
        if other is not None and ref != other:
            continue
        where = field_name or end
        node = by_id.get(ref)
        if node is None:
            out.append(origin.at(where, f"unknown id {ref!r}"))
        elif node.kind not in kinds:
            allowed = ", ".join(sorted(k.value for k in kinds))
            out.append(origin.at(where, f"{ref!r} is a {node.kind.value}; {edge.type.value} "
                                        f"{end} must be one of: {allowed}"))
    return out


def _files(root: Path) -> list[tuple[NodeKind | None, Path]]:
    found: list[tuple[NodeKind | None, Path]] = []
    for stem, kind in NODE_FILES.items():
        for suffix in (".csv", ".yaml", ".yml"):
            path = root / f"{stem}{suffix}"
            if path.exists():
                found.append((kind, path))
    edge_dir = root / "edges"
    if edge_dir.is_dir():
        found += [(None, p) for p in sorted(edge_dir.glob("*.y*ml"))]
    return found


def load_dir(root: Path | str = DEFAULT_SEED_DIR) -> SeedData:
    """Load and validate a whole seed directory, or raise `LoadError` with every problem."""
    root = Path(root)
    if not root.is_dir():
        raise LoadError([Problem(str(root), None, None, "no such directory")])
    problems: list[Problem] = []
    files = _files(root)
    present = {p.stem for _, p in files}
    problems += [Problem(str(root / f"{stem}.csv|yaml"), None, None, "required file missing")
                 for stem in REQUIRED_FILES if stem not in present]
    nodes: list[Node] = []
    origins: dict[str, Origin] = {}
    edges: list[tuple[Edge, Origin]] = []
    for kind, path in files:
        try:
            rows = _read(path, root)
        except LoadError as exc:
            problems += exc.problems
            continue
        for raw, origin in rows:
            if kind is None:
                edge, found = parse_edge(raw, origin)
                if edge is not None:
                    edges.append((edge, origin))
            else:
                node, found = _node(kind, raw, origin)
                if node is not None:
                    if node.id in origins:
                        first = origins[node.id]
                        found.append(origin.at("id", f"duplicate id {node.id!r} (first defined "
                                                     f"at {first.file}:{first.line})"))
                    else:
                        nodes.append(node)
                        origins[node.id] = origin
            problems += found
    if not problems:
        problems += check_references(nodes, edges, origins)
    if problems:
        raise LoadError(problems)
    return SeedData(nodes=nodes, edges=[e for e, _ in edges], origins=origins)


def load_graph(root: Path | str = DEFAULT_SEED_DIR) -> KnowledgeGraph:
    return load_dir(root).graph()
