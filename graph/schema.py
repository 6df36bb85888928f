"""The knowledge graph's records: every node and edge kind, validated with pydantic.

Relationships that a record states itself (a council's region and successors, a theme's
parent, a practice's owners and themes, a reviewer's council and expertise, an engagement's
provider and recipient) are fields on the record; `graph.build` turns them into edges marked
`derived`. Every other relationship is an `Edge` with its own provenance.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, Union

from pydantic import Field, field_validator, model_validator

from graph.engagement_words import (  # noqa: F401  (re-exported)
    EngagementStatus,
    EngagementType,
    Outcome,
    StatusChange,
)
from graph.evidence_kinds import (  # noqa: F401  (re-exported)
    ABOUT_KEY,
    EVIDENCE_KEY,
    EVIDENCE_TYPES,
    STRENGTH_KINDS,
    EvidenceAbout,
    EvidenceKind,
)
from graph.ids import GSS_COUNCIL, GSS_REGION, ISO_DATE, SLUG, source_shape  # noqa: F401
from graph.text import PlainText


class NodeKind(StrEnum):
    COUNCIL = "Council"
    REGION = "Region"
    THEME = "Theme"
    PRACTICE = "Practice"
    ORGANISATION = "Organisation"
    NETWORK = "Network"
    DOCUMENT = "Document"
    CHARACTERISTIC = "Characteristic"
    STAGE = "Stage"
    SUPPORT_OFFER = "SupportOffer"
    REVIEWER = "Reviewer"
    ENGAGEMENT = "Engagement"


class EdgeType(StrEnum):
    IN_REGION = "IN_REGION"
    SUCCEEDED_BY = "SUCCEEDED_BY"
    PART_OF = "PART_OF"
    HAS_PRIORITY = "HAS_PRIORITY"
    SHARES_PRACTICE = "SHARES_PRACTICE"
    DEVELOPED = "DEVELOPED"
    INVOLVED_IN = "INVOLVED_IN"
    ADDRESSES = "ADDRESSES"
    MEMBER_OF = "MEMBER_OF"
    RATED = "RATED"
    AT_STAGE = "AT_STAGE"
    OFFERS = "OFFERS"
    SUPPORTS = "SUPPORTS"
    RELATES_TO = "RELATES_TO"
    WORKS_FOR = "WORKS_FOR"
    HAS_EXPERTISE = "HAS_EXPERTISE"
    PROVIDED = "PROVIDED"
    RECEIVED = "RECEIVED"
    ABOUT = "ABOUT"
    PARTNERS_WITH = "PARTNERS_WITH"


K = NodeKind
_ACTORS = {K.COUNCIL, K.ORGANISATION}
_ANY = set(NodeKind)

# Which node kinds an edge type may join: (allowed source kinds, allowed target kinds).
EDGE_ENDPOINTS: dict[EdgeType, tuple[set[NodeKind], set[NodeKind]]] = {
    EdgeType.IN_REGION: ({K.COUNCIL, K.NETWORK, K.ORGANISATION, K.SUPPORT_OFFER}, {K.REGION}),
    EdgeType.SUCCEEDED_BY: ({K.COUNCIL}, {K.COUNCIL}),
    EdgeType.PART_OF: ({K.THEME}, {K.THEME}),
    EdgeType.HAS_PRIORITY: ({K.COUNCIL, K.REGION, K.NETWORK}, {K.THEME}),  # network: a group
    EdgeType.SHARES_PRACTICE: (_ACTORS | {K.NETWORK}, {K.THEME}),
    EdgeType.DEVELOPED: (_ACTORS | {K.NETWORK}, {K.PRACTICE}),
    EdgeType.INVOLVED_IN: (_ACTORS | {K.NETWORK}, {K.PRACTICE, K.NETWORK, K.ENGAGEMENT}),
    EdgeType.ADDRESSES: (
        {K.PRACTICE, K.NETWORK, K.SUPPORT_OFFER, K.ORGANISATION, K.DOCUMENT, K.CHARACTERISTIC},
        {K.THEME},
    ),
    EdgeType.MEMBER_OF: (_ACTORS | {K.REGION}, {K.NETWORK}),
    EdgeType.RATED: ({K.REGION}, {K.CHARACTERISTIC}),
    EdgeType.AT_STAGE: ({K.COUNCIL}, {K.STAGE}),
    EdgeType.OFFERS: (_ACTORS | {K.NETWORK}, {K.SUPPORT_OFFER}),
    EdgeType.SUPPORTS: ({K.SUPPORT_OFFER, K.NETWORK, K.PRACTICE}, {K.CHARACTERISTIC, K.STAGE}),
    EdgeType.RELATES_TO: (_ANY, _ANY),
    EdgeType.WORKS_FOR: ({K.REVIEWER}, {K.COUNCIL}),
    EdgeType.HAS_EXPERTISE: ({K.REVIEWER}, {K.THEME}),
    EdgeType.PROVIDED: (_ACTORS, {K.ENGAGEMENT}),
    EdgeType.RECEIVED: ({K.COUNCIL}, {K.ENGAGEMENT}),
    EdgeType.ABOUT: ({K.ENGAGEMENT}, {K.THEME}),
    EdgeType.PARTNERS_WITH: (_ACTORS | {K.NETWORK}, _ACTORS | {K.NETWORK}),
}


class Record(PlainText, extra="forbid", frozen=True, str_strip_whitespace=True,
             coerce_numbers_to_str=True):
    """Every record: strict and frozen; its text refuses control characters (graph/text.py)."""


# ---------------------------------------------------------------- provenance and edges


class Provenance(Record):
    """Where a fact came from: a document id (with a locator), `curated`, or `user:<who>`."""

    source: str = Field(min_length=1)
    locator: str | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    since: str | None = None
    recorded_at: str | None = None  # ISO timestamp, set for journal (user) edits

    _source_shape = field_validator("source")(classmethod(lambda cls, v: source_shape(v)))

    @field_validator("since")
    @classmethod
    def _since_iso(cls, v: str | None) -> str | None:
        if v is not None and not ISO_DATE.match(v):
            raise ValueError("must be an ISO date: YYYY, YYYY-MM or YYYY-MM-DD")
        return v

    @property
    def document(self) -> str | None:
        return None if self.source == "curated" or self.source.startswith("user:") else self.source

    def cite(self) -> str:
        """Short human-readable citation, e.g. `isos-workshops-2016, section 2 table (d)`."""
        return self.source if not self.locator else f"{self.source}, {self.locator}"


Scalar = Union[str, int, float, bool]


class Edge(Record):
    src: str
    type: EdgeType
    dst: str
    provenance: Provenance
    props: dict[str, Scalar] = Field(default_factory=dict)
    derived: bool = False  # made from a record's own field, not stated separately

    @model_validator(mode="after")
    def _evidence_fits_type(self) -> Edge:
        kind, about = self.props.get(EVIDENCE_KEY), self.props.get(ABOUT_KEY)
        allowed = EVIDENCE_TYPES.get(self.type)
        if (kind is not None or about is not None) and allowed is None:
            raise ValueError(f"props: {self.type.value} edges carry no evidence")
        if kind is not None and kind not in allowed[0]:
            names = ", ".join(sorted(allowed[0]))
            raise ValueError(f"props.evidence: {kind!r} is not one of: {names}")
        if about is not None and about not in set(EvidenceAbout):
            raise ValueError("props.about: must be 'subject' or 'group'")
        return self

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.src, self.type.value, self.dst)

    @property
    def evidence(self) -> EvidenceKind | None:
        """What this edge is evidence of, or None for edges that are not evidence."""
        allowed = EVIDENCE_TYPES.get(self.type)
        if allowed is None:
            return None
        return EvidenceKind(self.props.get(EVIDENCE_KEY, allowed[1]))

    @property
    def about(self) -> EvidenceAbout | None:
        """Whether the evidence is stated about the edge's subject or only about a group."""
        if self.type not in EVIDENCE_TYPES:
            return None
        return EvidenceAbout(self.props.get(ABOUT_KEY, EvidenceAbout.SUBJECT))


# ---------------------------------------------------------------- nodes


class Node(Record):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    description: str | None = None
    source: str | None = None  # document id the record rests on (or `curated`)
    locator: str | None = None

    kind: NodeKind  # set by each subclass

    _source_shape = field_validator("source")(
        classmethod(lambda cls, v: None if v is None else source_shape(v)))

    def provenance(self) -> Provenance:
        # Checked with the record by the same rules: not validated again (it is built for
        # every derived edge, and validators are most of what a light command would cost).
        return Provenance.model_construct(source=self.source or "curated", locator=self.locator)


def _slug(v: str) -> str:
    if not SLUG.match(v):
        raise ValueError("must be a lower-case slug such as 'workforce.recruitment-retention'")
    return v


class CouncilType(StrEnum):
    COUNTY = "county"
    UNITARY = "unitary"
    METROPOLITAN_DISTRICT = "metropolitan_district"
    LONDON_BOROUGH = "london_borough"


class SelfView(Record):
    """A council's own account of itself, as a peer challenge asks for it."""

    what_good_looks_like: str = ""
    what_we_can_share: str = ""
    what_worries_us: str = ""
    support_wanted: str = ""


class Council(Node):
    kind: Literal[NodeKind.COUNCIL] = NodeKind.COUNCIL
    type: CouncilType
    region: str
    lat: float | None = Field(default=None, ge=49.0, le=56.0)
    lon: float | None = Field(default=None, ge=-7.0, le=2.5)
    status: Literal["current", "abolished"] = "current"
    successors: list[str] = Field(default_factory=list)
    abolished: str | None = None  # ISO date the council ceased
    postcode_count: int | None = Field(default=None, ge=0)  # size proxy
    occupied_km2: int | None = Field(default=None, ge=0)  # 1 km squares holding a postcode
    capacity: int | None = Field(default=None, ge=0)  # engagements it can support at once
    self_view: SelfView | None = None

    @field_validator("id")
    @classmethod
    def _gss(cls, v: str) -> str:
        if not GSS_COUNCIL.match(v):
            raise ValueError("must be an ONS GSS council code such as E06000006")
        return v

    @field_validator("region")
    @classmethod
    def _region(cls, v: str) -> str:
        if not GSS_REGION.match(v):
            raise ValueError("must be an ONS E12 region code such as E12000002")
        return v

    @field_validator("successors")
    @classmethod
    def _successors(cls, v: list[str]) -> list[str]:
        for code in v:
            if not GSS_COUNCIL.match(code):
                raise ValueError(f"{code!r} is not a GSS council code")
        return v


class Region(Node):
    kind: Literal[NodeKind.REGION] = NodeKind.REGION

    @field_validator("id")
    @classmethod
    def _gss(cls, v: str) -> str:
        if not GSS_REGION.match(v):
            raise ValueError("must be an ONS E12 region code such as E12000002")
        return v


class Theme(Node):
    kind: Literal[NodeKind.THEME] = NodeKind.THEME
    parent: str | None = None
    synonyms: list[str] = Field(default_factory=list)
    naming_words: list[str] = Field(default_factory=list)  # one names it in a sentence (reader)
    hint_words: list[str] = Field(default_factory=list)  # two close together name it (reader)

    _id = field_validator("id")(classmethod(lambda cls, v: _slug(v)))


class Practice(Node):
    kind: Literal[NodeKind.PRACTICE] = NodeKind.PRACTICE
    summary: str = Field(min_length=1)
    owners: list[str] = Field(default_factory=list)  # councils/organisations that developed it
    themes: list[str] = Field(default_factory=list)
    year: str | None = None

    _id = field_validator("id")(classmethod(lambda cls, v: _slug(v)))


class Organisation(Node):
    kind: Literal[NodeKind.ORGANISATION] = NodeKind.ORGANISATION
    type: str = "organisation"  # charity, improvement partner, research body, provider, ...
    url: str | None = None

    _id = field_validator("id")(classmethod(lambda cls, v: _slug(v)))


class Network(Node):
    kind: Literal[NodeKind.NETWORK] = NodeKind.NETWORK
    type: str = "network"  # board, learning community, programme, professional network
    scope: str | None = None  # a region code, `national` or `local`

    _id = field_validator("id")(classmethod(lambda cls, v: _slug(v)))


class Document(Node):
    kind: Literal[NodeKind.DOCUMENT] = NodeKind.DOCUMENT
    publisher: str | None = None
    date: str | None = None
    licence: str | None = None
    file: str | None = None  # the source file this record describes, where we hold one
    url: str | None = None
    sha256: str | None = None  # of the file's bytes, for documents read in by `ingest`

    _id = field_validator("id")(classmethod(lambda cls, v: _slug(v)))


class Characteristic(Node):
    kind: Literal[NodeKind.CHARACTERISTIC] = NodeKind.CHARACTERISTIC
    number: int | None = None

    _id = field_validator("id")(classmethod(lambda cls, v: _slug(v)))


class Stage(Node):
    kind: Literal[NodeKind.STAGE] = NodeKind.STAGE
    order: int

    _id = field_validator("id")(classmethod(lambda cls, v: _slug(v)))


class SupportOffer(Node):
    kind: Literal[NodeKind.SUPPORT_OFFER] = NodeKind.SUPPORT_OFFER
    roles: list[str] = Field(default_factory=list)  # dcs, ad, lead_member, chief_executive, ...
    regions: list[str] = Field(default_factory=list)  # E12 codes; empty = national
    provider: str | None = None  # council, organisation or network id
    how_to_access: str | None = None
    status: Literal["current", "proposed", "historic"] = "current"  # as its source tells it
    _id = field_validator("id")(classmethod(lambda cls, v: _slug(v)))


class Reviewer(Node):
    kind: Literal[NodeKind.REVIEWER] = NodeKind.REVIEWER
    council: str
    role: str
    expertise: list[str] = Field(default_factory=list)
    capacity: int = Field(default=1, ge=0)


class Engagement(Node):
    kind: Literal[NodeKind.ENGAGEMENT] = NodeKind.ENGAGEMENT
    type: EngagementType
    provider: str
    recipient: str
    themes: list[str] = Field(default_factory=list)
    status: EngagementStatus = "proposed"
    start: str | None = None
    end: str | None = None
    feedback: float | None = Field(default=None, ge=1.0, le=5.0)  # 1 poor .. 5 excellent
    outcome: Outcome | None = None  # once completed, on `outcome_themes`, with a `note`
    outcome_themes: list[str] = Field(default_factory=list)
    note: str | None = None
    round: str | None = None  # the saved peer-review round it was staffed in
    reviewers: list[str] = Field(default_factory=list)  # reviewer ids sent, for a peer review
    history: list[StatusChange] = Field(default_factory=list)


AnyNode = Annotated[
    Union[Council, Region, Theme, Practice, Organisation, Network,
          Document, Characteristic, Stage, SupportOffer, Reviewer, Engagement],
    Field(discriminator="kind"),
]

NODE_MODELS: dict[NodeKind, type[Node]] = {
    NodeKind.COUNCIL: Council,
    NodeKind.REGION: Region,
    NodeKind.THEME: Theme,
    NodeKind.PRACTICE: Practice,
    NodeKind.ORGANISATION: Organisation,
    NodeKind.NETWORK: Network,
    NodeKind.DOCUMENT: Document,
    NodeKind.CHARACTERISTIC: Characteristic,
    NodeKind.STAGE: Stage,
    NodeKind.SUPPORT_OFFER: SupportOffer,
    NodeKind.REVIEWER: Reviewer,
    NodeKind.ENGAGEMENT: Engagement,
}

TOP_LEVEL_THEMES = ("workforce", "practice", "system", "governance", "innovation", "change")
