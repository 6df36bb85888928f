"""Write records out as a seed data directory that `graph.loader.load_dir` reads back equal.

Used by `peerlink pull`: the shared graph becomes files a person can read, diff and commit.
Councils and regions go to CSV (lists joined with `;`) when every value survives CSV; a
record CSV cannot carry (a council's self-view, an empty string, a list item holding `;`)
sends that file to YAML instead, which carries everything. Stated edges go to
`edges/<source>.yaml`. The directory is written to a temporary sibling and renamed into
place, so a reader never sees half a pull.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from graph import loader
from graph.errors import StoreError
from graph.loader import LIST_FIELDS, NODE_FILES, SeedData
from graph.schema import Edge, Node, NodeKind

CSV_KINDS = {NodeKind.COUNCIL: "councils", NodeKind.REGION: "regions"}
FILE_OF = {kind: stem for stem, kind in NODE_FILES.items()}


def _record(node: Node) -> dict[str, Any]:
    # Defaults are left out: the loader restores them. `kind` is decided by the file.
    return node.model_dump(mode="json", exclude_defaults=True, exclude={"kind"})


def _csv_safe(rows: list[dict[str, Any]]) -> bool:
    for row in rows:
        for key, value in row.items():
            if isinstance(value, dict):
                return False
            if isinstance(value, list):
                if key not in LIST_FIELDS:
                    return False
                if any(not isinstance(v, str) or ";" in v or v != v.strip() or not v
                       for v in value):
                    return False
            elif isinstance(value, str):
                if value == "" or value != value.strip():
                    return False
            elif isinstance(value, bool):
                return False
            elif key in LIST_FIELDS:
                return False
    return True


def _csv_text(rows: list[dict[str, Any]], fields: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        out = {}
        for key in fields:
            value = row.get(key)
            if value is None:
                out[key] = ""
            elif isinstance(value, list):
                out[key] = ";".join(value)
            else:
                out[key] = repr(value) if isinstance(value, float) else str(value)
        writer.writerow(out)
    return buf.getvalue()


def _yaml_text(items: list[dict[str, Any]], header: str) -> str:
    body = yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=100,
                          default_flow_style=False)
    return f"# {header}\n" + body


def _edge_record(edge: Edge) -> dict[str, Any]:
    p = edge.provenance
    out: dict[str, Any] = {"from": edge.src, "type": edge.type.value, "to": edge.dst,
                           "source": p.source}
    if p.locator is not None:
        out["locator"] = p.locator
    if p.confidence != 1.0:
        out["confidence"] = p.confidence
    if p.since is not None:
        out["since"] = p.since
    if p.recorded_at is not None:
        out["recorded_at"] = p.recorded_at
    if edge.props:
        out["props"] = dict(edge.props)
    return out


def edge_file_name(source: str) -> str:
    return (re.sub(r"[^a-z0-9.-]+", "_", source.lower()).strip("_.") or "edges") + ".yaml"


def render_seed_files(seed: SeedData) -> dict[str, str]:
    """Relative path -> file text for a whole seed directory."""
    files: dict[str, str] = {}
    by_kind: dict[NodeKind, list[Node]] = defaultdict(list)
    for node in seed.nodes:
        by_kind[node.kind].append(node)
    for kind, nodes in by_kind.items():
        nodes = sorted(nodes, key=lambda n: n.id)
        rows = [_record(n) for n in nodes]
        stem = FILE_OF[kind]
        if kind in CSV_KINDS and _csv_safe(rows):
            model_fields = [f for f in type(nodes[0]).model_fields if f != "kind"]
            used = {k for r in rows for k in r}
            fields = [f for f in model_fields if f in used or f in ("id", "name")]
            # mirror the shipped GSS tables, whose id column is `code`, where the loader maps it
            renames = {v: k for k, v in getattr(loader, "CSV_COLUMN_FIELDS", {}).items()}
            id_col = renames.get("id", "id")
            rows = [{(id_col if k == "id" else k): v for k, v in r.items()} for r in rows]
            fields = [id_col if f == "id" else f for f in fields]
            files[f"{stem}.csv"] = _csv_text(rows, fields)
        else:
            files[f"{stem}.yaml"] = _yaml_text(rows, f"{kind.value} records ({len(rows)})")
    # the loader needs these files even when empty
    for stem in ("regions", "councils", "documents", "themes"):
        if not any(p.startswith(stem + ".") for p in files):
            files[f"{stem}.yaml"] = "[]\n"
    edges: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for edge in sorted((e for e in seed.edges if not e.derived),
                       key=lambda e: (e.provenance.source, e.src, e.type.value, e.dst)):
        edges[edge_file_name(edge.provenance.source)].append(_edge_record(edge))
    for name, rows in edges.items():
        files[f"edges/{name}"] = _yaml_text(rows, f"stated edges ({len(rows)})")
    return files


def _known_seed_file(path: Path, root: Path) -> bool:
    rel = path.relative_to(root)
    if rel.parts[0] == "edges":
        return len(rel.parts) == 1 or (len(rel.parts) == 2 and rel.suffix in (".yaml", ".yml"))
    return len(rel.parts) == 1 and rel.stem in NODE_FILES and rel.suffix in (
        ".csv", ".yaml", ".yml")


def write_seed_dir(seed: SeedData, out_dir: Path | str) -> dict[str, int]:
    """Write `seed` as a seed directory at `out_dir`, atomically.

    An existing `out_dir` is replaced only if it holds nothing but seed data files (a
    previous pull); anything else there makes this refuse rather than delete it."""
    out = Path(out_dir)
    if out.exists():
        if not out.is_dir():
            raise StoreError(f"{out} exists and is not a directory")
        strangers = [p for p in out.rglob("*") if not _known_seed_file(p, out)]
        if strangers:
            raise StoreError(f"{out} holds other files (e.g. {strangers[0].name}); "
                             "pull into a new or empty directory")
    files = render_seed_files(seed)
    tmp = out.parent / f".{out.name}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        (tmp / "edges").mkdir(parents=True)
        for rel, text in files.items():
            (tmp / rel).write_text(text, encoding="utf-8")
        if out.exists():
            old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise StoreError(f"cannot write {out}: {exc}") from None
    return {"nodes": len(seed.nodes), "edges": sum(1 for e in seed.edges if not e.derived),
            "files": len(files)}
