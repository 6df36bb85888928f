"""The curated tables `build_councils.py` combines with the ONS sources, read from
`seed_data/build_inputs/*.yaml` and validated like the rest of the seed data: every fault is
reported as `file:line: field: problem` and nothing is built from a half-valid table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from graph.errors import LoadError, Problem
from graph.loader import read_validated

INPUTS = Path(__file__).resolve().parent / "build_inputs"
_COUNCIL = re.compile(r"^E(06|07|08|09|10)\d{6}$")
_REGION = re.compile(r"^E12\d{6}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}\d{1,2}[A-Z]?$")


def _match(pattern: re.Pattern[str], what: str, value: str) -> str:
    if not pattern.match(value):
        raise ValueError(f"{value!r} is not {what}")
    return value


def _councils(values: list[str]) -> list[str]:
    return [_match(_COUNCIL, "a GSS council code", v) for v in values]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RegionRecord(_Record):
    code: str
    name: str
    aliases: list[str]
    councils: list[str]
    _code = field_validator("code")(lambda v: _match(_REGION, "a GSS region code", v))
    _members = field_validator("councils")(_councils)


class AliasRecord(_Record):
    council: str
    aliases: list[str]
    _code = field_validator("council")(lambda v: _match(_COUNCIL, "a GSS council code", v))


class RecodeRecord(_Record):
    council: str
    code_since_2024: str
    _codes = field_validator("council", "code_since_2024")(
        lambda v: _match(_COUNCIL, "a GSS council code", v))


class CreatedRecord(_Record):
    code: str
    name: str
    region: str
    replaces: str
    _codes = field_validator("code", "replaces")(
        lambda v: _match(_COUNCIL, "a GSS council code", v))
    _region = field_validator("region")(lambda v: _match(_REGION, "a GSS region code", v))


class AbolishedRecord(_Record):
    code: str
    name: str
    type: str
    region: str
    successors: list[str]
    abolished: str
    order: str
    area_districts: list[str] = []
    area_bcp_parts: list[str] = []
    _code = field_validator("code")(lambda v: _match(_COUNCIL, "a GSS council code", v))
    _lists = field_validator("successors", "area_districts")(_councils)
    _region = field_validator("region")(lambda v: _match(_REGION, "a GSS region code", v))
    _date = field_validator("abolished")(lambda v: _match(_DATE, "a date YYYY-MM-DD", v))

    @field_validator("type")
    @classmethod
    def _type(cls, v: str) -> str:
        if v not in ("county", "unitary", "metropolitan_district", "london_borough"):
            raise ValueError(f"{v!r} is not a council type")
        return v


class BcpPartRecord(_Record):
    part: str
    postcode_districts: list[str]
    _districts = field_validator("postcode_districts")(
        lambda v: [_match(_POSTCODE_DISTRICT, "a postcode district such as BH12", d) for d in v])


@dataclass(frozen=True)
class CouncilTables:
    regions: list[RegionRecord]
    aliases: dict[str, list[str]]  # council code -> aliases
    recoded_2024: dict[str, str]  # 2021 code -> code since 2024
    created_2023: list[CreatedRecord]
    abolished: list[AbolishedRecord]
    bcp_parts: dict[str, frozenset[str]]  # part -> postcode districts


def load_tables(root: Path = INPUTS) -> CouncilTables:
    """Every table, validated and cross-checked, or `LoadError` listing every fault."""
    problems: list[Problem] = []
    regions = read_validated(root, "regions.yaml", RegionRecord, problems)
    aliases = read_validated(root, "aliases.yaml", AliasRecord, problems)
    recoded = read_validated(root, "recoded_2024.yaml", RecodeRecord, problems)
    created = read_validated(root, "created_2023.yaml", CreatedRecord, problems)
    abolished = read_validated(root, "abolished.yaml", AbolishedRecord, problems)
    parts = read_validated(root, "bcp_parts.yaml", BcpPartRecord, problems)

    region_of: dict[str, str] = {}
    for rec, origin in regions:
        for code in rec.councils:
            if code in region_of:
                problems.append(origin.at("councils", f"{code} is already in {region_of[code]}"))
            region_of[code] = rec.code
    region_codes = {rec.code for rec, _ in regions}
    part_names = {rec.part for rec, _ in parts}
    for rec, origin in [*created, *abolished]:
        if rec.region not in region_codes:
            problems.append(origin.at("region", f"{rec.region} is not in regions.yaml"))
    for rec, origin in abolished:
        for part in rec.area_bcp_parts:
            if part not in part_names:
                problems.append(origin.at("area_bcp_parts", f"{part!r} is not in bcp_parts.yaml"))
        if not rec.area_districts and not rec.area_bcp_parts:
            problems.append(origin.at(None, "needs area_districts or area_bcp_parts"))
    owner: dict[str, str] = {}
    for rec, origin in aliases:
        for alias in rec.aliases:
            first = owner.setdefault(alias.casefold(), rec.council)
            if first != rec.council:
                problems.append(origin.at("aliases", f"{alias!r} is already an alias of {first}"))
    if problems:
        raise LoadError(problems)
    return CouncilTables(
        regions=[rec for rec, _ in regions],
        aliases={rec.council: list(rec.aliases) for rec, _ in aliases},
        recoded_2024={rec.council: rec.code_since_2024 for rec, _ in recoded},
        created_2023=[rec for rec, _ in created],
        abolished=[rec for rec, _ in abolished],
        bcp_parts={rec.part: frozenset(rec.postcode_districts) for rec, _ in parts},
    )
