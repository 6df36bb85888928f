"""The menu of support: "what support is there for me as a lead member in the North West?"

Answers from three kinds of node, each item with why it is on the menu and its source:

- **support offers** whose roles include the person's role (or any role) and whose regions
  include theirs (an offer with no regions is national and counts everywhere);
- **networks** scoped to the region, or national, whose description does not name only other
  roles (local groups such as one council's steering group are left out);
- **organisations** that provide any offer on the menu.

Role and region accept loose words ("Lead Member", "LM", "chief exec"; "North West", "NW",
"E12000002"); a council name can stand for its region when the caller passes a resolver.

>>> from graph.knowledge import KnowledgeGraph
>>> from graph.schema import Region, SupportOffer
>>> kg = KnowledgeGraph([Region(id="E12000002", name="North West", aliases=["NW"]),
...     SupportOffer(id="menu", name="NW menu of support", roles=["lead_member"],
...                  regions=["E12000002"]),
...     SupportOffer(id="peer-review", name="Peer review", roles=["dcs"])])
>>> [i.name for i in support_menu(kg, "Lead Member", "north-west")]
['NW menu of support']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from graph.knowledge import KnowledgeGraph, cite
from graph.roles import Role
from graph.schema import EdgeType, Network, NodeKind, Region, SupportOffer
from matcher import lexicon

ANY_ROLE = {"any", "all", "everyone"}


class SupportError(ValueError):
    """A role or region that could not be understood; the message says what to write."""


@dataclass(frozen=True)
class SupportItem:
    id: str
    kind: str
    name: str
    score: float
    why: tuple[str, ...]
    source: dict | None
    provider: dict | None = None
    how_to_access: str | None = None
    description: str | None = None
    status: str | None = None  # current | proposed | historic, as its source tells it
    date: str | None = None  # when its source described it

    def to_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "name": self.name,
                "score": round(self.score, 4), "why": list(self.why), "source": self.source,
                "provider": self.provider, "how_to_access": self.how_to_access,
                "description": self.description, "status": self.status, "date": self.date}


def resolve_role(text: str | None) -> str | None:
    """Canonical role for loose words; None for no role (everything). Raises SupportError."""
    if text is None or not text.strip() or text.strip().lower() in ANY_ROLE:
        return None
    role = lexicon.canonical_role(text)
    if role is None:
        known = ", ".join(r.replace("_", " ") for r in lexicon.ROLES)
        raise SupportError(f"unknown role {text!r}: try one of {known}")
    return role


def resolve_region(kg: KnowledgeGraph, text: str,
                   resolve_council: Callable[[str], str | None] | None = None) -> str:
    """E12 code for a region name, alias or code, or (given a resolver) a council's name.

    `resolve_council` maps a name to a GSS council code or None; the caller supplies it (the
    matcher does no I/O and does not import the resolver itself).
    """
    regions: list[Region] = kg.nodes(NodeKind.REGION)  # type: ignore[assignment]
    raw = text.strip()
    if raw.upper() in {r.id for r in regions}:
        return raw.upper()
    norm = " ".join(lexicon.words(raw))
    choices: dict[str, str] = {}
    for r in regions:
        for label in (r.name, *r.aliases):
            choices[" ".join(lexicon.words(label))] = r.id
    if norm in choices:
        return choices[norm]
    if resolve_council is not None:
        code = resolve_council(raw)
        if code and kg.region_of(code):
            return kg.region_of(code)  # type: ignore[return-value]
    if len(norm) > 3:
        hit = process.extractOne(norm, list(choices), scorer=fuzz.WRatio, score_cutoff=88)
        if hit is not None:
            return choices[hit[0]]
    names = ", ".join(r.name for r in regions)
    raise SupportError(f"unknown region {text!r}: use a region name or E12 code ({names})")


def _offer_roles(offer: SupportOffer) -> set[str]:
    out = set()
    for r in offer.roles:
        low = r.strip().lower()
        if low in ANY_ROLE:
            out.add("any")
            continue
        role = Role.parse(low)
        out.add(role.value if role else lexicon.canonical_role(low) or low)
    return out


def _mentioned_roles(text: str) -> set[str]:
    low = " " + " ".join(lexicon.words(text)) + " "
    found = set()
    for role, spellings in lexicon.ROLES.items():
        for s in spellings:
            words = " ".join(lexicon.words(s))
            if len(words) > 2 and f" {words} " in low:
                found.add(role)
    return found


def _source(kg: KnowledgeGraph, node) -> dict | None:
    if not node.source:
        return None
    prov = node.provenance()
    return {"source": prov.source, "locator": prov.locator, "citation": cite(prov, kg)}


def _date(kg: KnowledgeGraph, node) -> str | None:
    doc = kg.get(node.source) if node.source else None
    return getattr(doc, "date", None)


def own_offers(kg: KnowledgeGraph, region: str) -> list[str]:
    """Ids of the support offers tied to this region (not national ones)."""
    return [o.id for o in kg.nodes(NodeKind.SUPPORT_OFFER)
            if isinstance(o, SupportOffer) and region in o.regions]


def support_menu(kg: KnowledgeGraph, role: str | None, region: str | None,
                 resolve_council: Callable[[str], str | None] | None = None,
                 include_historic: bool = False) -> list[SupportItem]:
    """The support open to a person in a role and a region: current and proposed offers
    first (most recently described first within equal fit), historic ones only on request.

    Parameters
    ----------
    role : str or None
        Loose words for a role ('DCS', 'lead member', 'chief exec'); None for every role.
    region : str or None
        A region name, alias or E12 code, or a council name when `resolve_council` is given;
        None for national support only.

    Raises
    ------
    SupportError
        When the role or region cannot be understood.

    A region with no offer of its own gets only national ones: check with `own_offers`.
    """
    want_role = resolve_role(role)
    want_region = None if region is None else resolve_region(kg, region, resolve_council)
    known = Role.parse(want_role or "")
    role_label = known.in_full if known else (want_role or "anyone").replace("_", " ")
    region_label = kg.name(want_region) if want_region else "England"
    items: list[SupportItem] = []
    menu_offers: set[str] = set()

    for offer in kg.nodes(NodeKind.SUPPORT_OFFER):
        assert isinstance(offer, SupportOffer)
        roles = _offer_roles(offer)
        if want_role and roles and "any" not in roles and want_role not in roles:
            continue
        if offer.regions and (want_region is None or want_region not in offer.regions):
            continue
        if offer.status == "historic" and not include_historic:
            continue
        why = []
        score = 1.0
        if offer.regions:
            why.append(f"Offered in {region_label}")
        else:
            why.append("A national offer, open to every region")
            score -= 0.15
        if want_role and want_role in roles:
            why.append(f"Meant for the {role_label}")
        elif roles and "any" in roles:
            why.append("Open to anyone involved in children's services improvement")
            score -= 0.2
        else:
            why.append("No particular role named")
            score -= 0.25
        for e in kg.out_edges(offer.id, EdgeType.SUPPORTS):
            why.append(f"Helps with: {kg.name(e.dst)} ({cite(e.provenance, kg)})")
        provider = None
        if offer.provider:
            provider = {"id": offer.provider, "name": kg.name(offer.provider)}
            why.append(f"Provided by {kg.name(offer.provider)}")
        menu_offers.add(offer.id)
        date = _date(kg, offer)
        why.append({"current": f"Running when its source was written ({date or 'undated'})",
                    "proposed": f"Proposed in {date or 'an undated source'}; not yet "
                                f"confirmed as running",
                    "historic": f"Described in {date or 'an undated source'}; not known to "
                                f"run now"}[offer.status])
        if offer.status == "historic":
            score -= 1.0  # after every current and proposed offer
        items.append(SupportItem(offer.id, "SupportOffer", offer.name, score, tuple(why),
                                 _source(kg, offer), provider, offer.how_to_access,
                                 offer.description, offer.status, date))

    for net in kg.nodes(NodeKind.NETWORK):
        assert isinstance(net, Network)
        scope = net.scope or ""
        if scope == "local" or not scope:
            continue
        if scope.startswith("E12") and scope != want_region:
            continue
        mentioned = _mentioned_roles(f"{net.name} {net.description or ''}")
        if want_role and mentioned and want_role not in mentioned:
            continue
        why = [f"A network for {region_label}" if scope.startswith("E12")
               else "A national network or programme"]
        score = 0.75 if scope.startswith("E12") else 0.55
        if want_role and want_role in mentioned:
            why.append(f"Brings together people in the {role_label} role")
            score += 0.1
        items.append(SupportItem(net.id, "Network", net.name, score, tuple(why),
                                 _source(kg, net), None, None, net.description, None,
                                 _date(kg, net)))

    providers: dict[str, list[str]] = {}
    for offer_id in menu_offers:
        for e in kg.in_edges(offer_id, EdgeType.OFFERS):
            providers.setdefault(e.src, []).append(offer_id)
    for org_id, offers in sorted(providers.items()):
        org = kg.get(org_id)
        if org is None or org.kind != NodeKind.ORGANISATION:
            continue
        names = "; ".join(kg.name(o) for o in sorted(offers))
        items.append(SupportItem(org.id, "Organisation", org.name, 0.5,
                                 (f"Provides: {names}",), _source(kg, org), None, None,
                                 org.description))
    items.sort(key=lambda i: (-i.score, "" if i.date is None else _negate(i.date),
                              i.kind, i.name))
    return items


def _negate(date: str) -> str:
    """A key that sorts ISO dates newest first."""
    return "".join(chr(255 - ord(ch)) for ch in date)
