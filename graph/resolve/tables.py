"""The facts about places the resolver needs beyond councils.csv, read from seed data:

- `areas.yaml`: places people name that are not one council (old counties, a name two councils
  share, regions), each with the councils it covers;
- `royal_boroughs.yaml`: the councils a "Royal Borough of" / "RB" designation picks out.

Both are validated like the rest of the seed data: every fault is `file:line: field: problem`,
and codes must be councils of the same directory's councils.csv (an id or a GSS alias).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from graph.errors import LoadError, Problem
from graph.loader import DEFAULT_SEED_DIR, read_validated
from graph.resolve.words import GSS
from graph.seed_cache import cached

AREAS_FILE = "areas.yaml"
ROYAL_BOROUGHS_FILE = "royal_boroughs.yaml"


def _gss(code: str) -> str:
    if not GSS.match(code):
        raise ValueError(f"{code!r} is not a GSS code such as E06000006")
    return code


class AreaRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    name: str
    councils: list[str]

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v

    @field_validator("councils")
    @classmethod
    def _codes(cls, v: list[str]) -> list[str]:
        return [_gss(c) for c in v]


class RoyalBoroughRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    council: str
    name: str

    @field_validator("council")
    @classmethod
    def _code(cls, v: str) -> str:
        return _gss(v)


@dataclass(frozen=True)
class NameTables:
    """Areas (name as written -> councils it covers) and the royal boroughs' codes."""

    areas: dict[str, tuple[str, ...]] = field(default_factory=dict)
    royal_boroughs: frozenset[str] = frozenset()


def _council_names(root: Path) -> dict[str, str] | None:
    """GSS code -> name for every id and GSS alias in councils.csv; None when there is none."""
    path = root / "councils.csv"
    if not path.is_file():
        return None
    names: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            code, name = row.get("code") or "", row.get("name") or ""
            names[code] = name
            for alias in (row.get("aliases") or "").split(";"):
                if GSS.match(alias.strip()):
                    names.setdefault(alias.strip(), name)
    return names


def load_name_tables(root: Path | str = DEFAULT_SEED_DIR) -> NameTables:
    """Read and validate the two tables from a seed directory, or raise `LoadError`."""
    root = Path(root)
    known = _council_names(root)
    problems: list[Problem] = []
    areas: dict[str, tuple[str, ...]] = {}
    royal: set[str] = set()

    for rec, origin in read_validated(root, AREAS_FILE, AreaRecord, problems):
        if rec.name.casefold() in {a.casefold() for a in areas}:
            problems.append(origin.at("name", f"{rec.name!r} is listed twice"))
        for code in rec.councils:
            if known is not None and code not in known:
                problems.append(origin.at("councils", f"{code} is not in councils.csv"))
        areas[rec.name] = tuple(rec.councils)
    for rec, origin in read_validated(root, ROYAL_BOROUGHS_FILE, RoyalBoroughRecord,
                                      problems):
        if known is not None and rec.council not in known:
            problems.append(origin.at("council", f"{rec.council} is not in councils.csv"))
        elif known is not None and known[rec.council] != rec.name:
            problems.append(origin.at("name", f"{rec.council} is {known[rec.council]!r} in "
                                              f"councils.csv, not {rec.name!r}"))
        royal.add(rec.council)
    if problems:
        raise LoadError(problems)
    return NameTables(areas=areas, royal_boroughs=frozenset(royal))


@lru_cache(maxsize=4)
def default_name_tables(root: Path = DEFAULT_SEED_DIR) -> NameTables:
    """The shipped tables, read once per process (and kept between commands)."""
    return cached("names", load_name_tables, NameTables, root)
