"""Matcher commands: partners, search, support, groups, eval."""

from __future__ import annotations

import textwrap

from app.cli.common import (
    CliError,
    add_json_flag,
    check_finite_weights,
    count,
    finite,
    graph_errors_as_cli,
    load_snapshot,
    print_json,
    resolve_council,
)
from app.cli.eval_cases import read_cases
from graph.knowledge import KnowledgeGraph
from graph.resolve import Resolver
from matcher.evaluate import EvalReport, evaluate_resolve, evaluate_search
from matcher.groups import learning_groups, learning_pairs
from matcher.partners import MatcherError, propose_partners
from matcher.search import SearchIndex
from matcher.search_results import WORKING_ON_IT
from matcher.support import SupportError, own_offers, resolve_region, support_menu
from matcher.weights import SIGNALS, Weights


def register(sub) -> None:
    p = sub.add_parser("partners", help="propose improvement partners for a council")
    p.add_argument("council", metavar="COUNCIL", help="a council name, alias or GSS code")
    p.add_argument("--theme", action="append", default=[], metavar="T",
                   help="a theme id or phrase (repeatable); default: the council's priorities")
    p.add_argument("--top", type=count(1, 1000), default=10)
    p.add_argument("--outside-region", action="store_true",
                   help="prefer councils outside the council's region")
    p.add_argument("--region", action="append", default=[], metavar="R",
                   help="only consider councils in this region (repeatable)")
    p.add_argument("--weight", action="append", default=[], metavar="NAME=VALUE",
                   help=f"override a signal weight; names: {', '.join(SIGNALS)}")
    p.add_argument("--include-no-evidence", action="store_true",
                   help="also rank councils with no recorded evidence on the themes")
    add_json_flag(p)
    p.set_defaults(run=graph_errors_as_cli(cmd_partners))

    p = sub.add_parser("search", help="search for best practice, councils and organisations")
    p.add_argument("query", nargs="+", metavar="QUERY")
    p.add_argument("--top", type=count(1, 1000), default=10)
    p.add_argument("--kind", action="append", default=None, metavar="KIND",
                   help="only results of this node kind (repeatable), e.g. Practice")
    add_json_flag(p)
    p.set_defaults(run=graph_errors_as_cli(cmd_search))

    p = sub.add_parser("support", help="the menu of support for a role in a region")
    p.add_argument("--role", default=None, help="e.g. DCS, AD, 'lead member', 'chief exec'")
    p.add_argument("--region", default=None,
                   help="a region name or E12 code, or a council name (its region)")
    p.add_argument("--all", action="store_true", dest="include_historic",
                   help="also offers described in older sources and not known to run now")
    add_json_flag(p)
    p.set_defaults(run=graph_errors_as_cli(cmd_support))

    p = sub.add_parser("groups", help="learning pairs and small learning groups of councils")
    p.add_argument("--region", default=None, help="only councils in this region")
    p.add_argument("--theme", action="append", default=None, metavar="T",
                   help="only these themes (ids or phrases; repeatable)")
    p.add_argument("--size", type=count(2, 12), default=3,
                   help="learning group size (default 3)")
    p.add_argument("--top", type=count(1, 1000), default=10)
    add_json_flag(p)
    p.set_defaults(run=graph_errors_as_cli(cmd_groups))

    p = sub.add_parser("eval", help="score search, resolution or partners against evaluation cases")
    esub = p.add_subparsers(dest="eval_kind", required=True, metavar="KIND")
    for kind, helptext in (("search", "search scenarios: [{q, councils|names, k, need}]"),
                           ("resolve", "resolve cases: [[name, [codes]]]"),
                           ("partners", "partner queries: {cases: [{council, themes, must, "
                                        "must_not, empty}]}")):
        e = esub.add_parser(kind, help=helptext)
        e.add_argument("file", metavar="FILE")
        e.add_argument("--min-score", type=finite(0.0, 1.0), default=1.0,
                       help="exit 1 when the share of cases passed is below this (default 1.0)")
        add_json_flag(e)
        e.set_defaults(run=graph_errors_as_cli(cmd_eval))


# ---------------------------------------------------------------------- helpers


def _council(kg: KnowledgeGraph, name: str) -> str:
    try:
        return resolve_council(kg, name)
    except CliError as exc:
        raise CliError(str(exc), 2) from None


def _region(kg: KnowledgeGraph, text: str) -> str:
    resolver = Resolver(kg.councils(status=None))

    def by_council(name: str) -> str | None:
        found = resolver.resolve(name)
        codes = found.current_codes
        return codes[0] if codes else found.code

    try:
        return resolve_region(kg, text, by_council)
    except SupportError as exc:
        raise CliError(str(exc), 2) from None


def _short(text: str, width: int = 100, indent: str = "        ") -> str:
    """The whole text, wrapped (a citation is never cut off)."""
    return textwrap.fill(text, width=width, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False)


BASIS_WORDS = {"practice": "has done it", "impact": "reports a result",
               "offer": "offers to share", "endorsement": "a council it helped says so",
               "challenge": "working on it", "participation": "shared learning at an event"}
SIGNAL_WORDS = {"expertise": "evidence", "journey": "journey", "context": "context",
                "proximity": "proximity", "relationship": "relationship",
                "capacity": "capacity"}


def _print_proposals(items: list[dict]) -> None:
    for i, p in enumerate(items, 1):
        basis = BASIS_WORDS.get(p.get("basis") or "", "")
        print(f"{i:>2}. {p['name']} ({p['code']})" + (f"  [{basis}]" if basis else "")
              + f"  score {p['score']:.3f}")
        print("      " + "  ".join(
            f"{SIGNAL_WORDS[k]} " + ("not recorded" if v is None else f"{v:.2f}")
            for k, v in p["signals"].items()))
        for reason in p["reasons"]:
            print(f"      - {_short(reason)}")


# ---------------------------------------------------------------------- commands


def cmd_partners(args) -> int:
    kg = load_snapshot()
    code = _council(kg, args.council)
    check_finite_weights(args.weight)
    try:
        weights = Weights.parse(args.weight)
    except ValueError as exc:
        raise CliError(str(exc), 2) from None
    regions = [_region(kg, r) for r in args.region] or None
    try:
        result = propose_partners(kg, code, themes=args.theme or None, weights=weights,
                                  top=args.top, outside_region=args.outside_region,
                                  include_regions=regions,
                                  require_expertise=not args.include_no_evidence)
    except MatcherError as exc:
        raise CliError(str(exc), 2) from None
    data = result.to_json()
    if args.theme and not data["themes"]:
        # Ranking on no themes at all would answer a question nobody asked.
        raise CliError(f"no theme matches {'; '.join(args.theme)!r}: try a theme id or other "
                       "words (peerlink search shows the themes a phrase reads as)", 2)
    if args.json:
        print_json(data)
        return 0
    c = data["council"]
    themes = "; ".join(t["name"] for t in data["themes"]) or "(no themes)"
    print(f"Partners for {c['name']} ({c['code']}) on: {themes}")
    for note in data["notes"]:
        print(f"  note: {_short(note)}")
    if data["partners"]:
        print("Partners (evidence of practice, results, offers or endorsements):")
        _print_proposals(data["partners"])
    else:
        print("  no partners found")
    if data["peers"]:
        print("Peers: working on the same challenge (learning partners, not sources of help):")
        _print_proposals(data["peers"])
    if data["excluded"]:
        print("Excluded:")
        for e in data["excluded"]:
            print(f"  {e['name']} ({e['code']}): {e['reason']}")
    return 0


def cmd_search(args) -> int:
    kg = load_snapshot()
    query = " ".join(args.query)
    try:
        results = SearchIndex.for_graph(kg).search(query, top=args.top, kinds=args.kind)
    except ValueError as exc:
        raise CliError(str(exc), 2) from None
    data = results.to_json()
    if args.json:
        print_json(data)
        return 0
    if data["themes"]:
        print("themes: " + "; ".join(f"{t['name']} ({t['score']:.2f})" for t in data["themes"]))
    if not data["results"]:
        print(f"nothing matched {query!r}")
    sources = [r for r in data["results"] if r.get("group") != WORKING_ON_IT]
    peers = [r for r in data["results"] if r.get("group") == WORKING_ON_IT]
    for i, r in enumerate(sources, 1):
        owner = f"  [{r['owner']['name']}]" if r["owner"] else ""
        print(f"{i:>2}. {r['name']} ({r['kind']} {r['id']}){owner}  {r['score']:.3f}")
        for reason in r["reasons"][:3]:
            print(f"      - {_short(reason)}")
    if peers:
        print("Working on this too (councils with the same challenge; not sources of help):")
        for r in peers:
            print(f"  - {r['name']} ({r['id']})")
            for reason in r["reasons"][:2]:
                print(f"      - {_short(reason)}")
    return 0


def cmd_support(args) -> int:
    kg = load_snapshot()
    region = _region(kg, args.region) if args.region else None
    try:
        items = support_menu(kg, args.role, region, include_historic=args.include_historic)
    except SupportError as exc:
        raise CliError(str(exc), 2) from None
    where = kg.name(region) if region else "England"
    notes = []
    if region and not own_offers(kg, region):
        notes.append(f"No offer in the data is specific to {where}: these are national offers "
                     f"and networks.")
    if args.json:
        print_json({"role": args.role, "region": region, "notes": notes,
                    "items": [i.to_json() for i in items]})
        return 0
    print(f"Support for {args.role or 'anyone'} in {where}: {len(items)} item(s)")
    for note in notes:
        print(f"  note: {_short(note)}")
    for i in items:
        print(f"- {i.name} ({i.kind})")
        for why in i.why:
            print(f"    {_short(why)}")
        if i.how_to_access:
            print(f"    how to access: {_short(i.how_to_access)}")
        if i.source:
            print(f"    source: {_short(i.source['citation'])}")
    return 0


def cmd_groups(args) -> int:
    kg = load_snapshot()
    region = _region(kg, args.region) if args.region else None
    themes = None
    if args.theme:
        from matcher.themes import read_themes

        themes = read_themes(kg, args.theme)
        if not themes:
            raise CliError(f"no theme matches {', '.join(args.theme)!r}", 2)
    pairs = learning_pairs(kg, region=region, top=args.top, themes=themes)
    try:
        groups = learning_groups(kg, region=region, size=args.size, themes=themes,
                                 top=args.top)
    except ValueError as exc:
        raise CliError(str(exc), 2) from None
    if args.json:
        print_json({"region": region, "pairs": [p.to_json() for p in pairs],
                    "groups": [g.to_json() for g in groups]})
        return 0
    print(f"Learning pairs{' in ' + kg.name(region) if region else ''}:")
    if not pairs:
        print("  none found")
    for p in pairs:
        print(f"  {p.a['name']} <-> {p.b['name']}  ({p.kind}, {p.score:.2f}): "
              f"{p.a_offers['name']} / {p.b_offers['name']}")
    print("Learning groups:")
    if not groups:
        print("  none found")
    for g in groups:
        members = ", ".join(f"{m['name']} ({m['role']})" for m in g.members)
        print(f"  {g.theme['name']}: {members}  [{g.score:.2f}]")
    return 0


def cmd_eval(args) -> int:
    kg = load_snapshot()
    cases = read_cases(args.file, args.eval_kind)
    if args.eval_kind == "search":
        index = SearchIndex.for_graph(kg)
        report: EvalReport = evaluate_search(
            cases, lambda q, k: index.search(q, top=k).to_json()["results"])
    elif args.eval_kind == "partners":
        return _eval_partners(kg, cases, args)
    else:
        resolver = Resolver(kg.councils(status=None))

        def resolve(name: str) -> list[str]:
            found = resolver.resolve(name)
            return found.current_codes

        report = evaluate_resolve(cases, resolve, kg.current_successors)
    if args.json:
        print_json(report.to_json() | {"min_score": args.min_score})
    else:
        for c in report.cases:
            print(f"{'PASS' if c.passed else 'FAIL'}  {c.case}  ({c.detail})")
        print(f"score: {report.passed}/{len(report.cases)} = {report.score:.3f} "
              f"(min {args.min_score:.3f})")
    return 0 if report.score >= args.min_score else 1


def _eval_partners(kg, cases, args) -> int:
    from matcher.evaluate import grade_partners

    resolver = Resolver(kg.councils(status=None))

    def codes_of(name: str) -> list[str]:
        found = resolver.resolve(name)
        if not found.current_codes:
            raise CliError(f"{args.file}: no council matches {name!r}", 2)
        return found.current_codes

    def propose(case) -> list[str]:
        answer = propose_partners(kg, codes_of(case["council"])[0],
                                  themes=case.get("themes") or None, top=10)
        return [p.code for p in answer.partners]

    grades, report = grade_partners(cases.get("cases", cases) if isinstance(cases, dict)
                                    else cases, propose, codes_of)
    if args.json:
        print_json(report.to_json() | grades.to_json() | {"min_score": args.min_score})
    else:
        for c in report.cases:
            print(f"{'PASS' if c.passed else 'FAIL'}  {c.case}  ({c.detail})")
        print(f"proposals: {grades.good} good, {grades.questionable} questionable, "
              f"{grades.wrong} wrong")
        print(f"score: {report.passed}/{len(report.cases)} = {report.score:.3f} "
              f"(min {args.min_score:.3f})")
    return 0 if report.score >= args.min_score else 1
