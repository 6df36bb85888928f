"""Evidence channels: `ingest` (documents in, claims out), `engagement` (new, set, list) and
`ledger` (who gives and who receives)."""

from __future__ import annotations

from pathlib import Path

from app.cli.common import (
    CliError,
    add_json_flag,
    graph_errors_as_cli,
    load_snapshot,
    one_line,
    print_json,
    resolve_council,
)
from graph.changes import UpsertNode
from graph.engagements import (
    KINDS,
    NEXT,
    OUTCOMES,
    engagement_json,
    engagements,
    new_engagement,
    set_status,
)
from graph.errors import GraphError
from graph.ingest.apply import AcceptedClaim, already_ingested, ingest_changes, recorded_words
from graph.ingest.read import read_document
from graph.ingest.reviewed import read_reviewed
from graph.knowledge import KnowledgeGraph
from graph.ledger import ledger
from graph.resolve import Resolver
from graph.stores import open_store


def register(sub) -> None:
    p = sub.add_parser("ingest", help="read documents and propose the facts they state")
    p.add_argument("files", nargs="+", metavar="FILE", help=".txt, .md, .html, .docx or .pdf")
    p.add_argument("--apply", action="store_true",
                   help="record every proposed claim, naming the document (needs --who)")
    p.add_argument("--reviewed", type=Path, default=None, metavar="REVIEW",
                   help="with --apply: record the claims as a person left them in this file "
                        "(what --json printed, claims removed, changed or added) instead")
    p.add_argument("--who", default=None, help="your name, recorded with the change")
    add_json_flag(p)
    p.set_defaults(run=graph_errors_as_cli(cmd_ingest))

    p = sub.add_parser("engagement", help="record engagements between councils and how they went")
    esub = p.add_subparsers(dest="engagement_command", required=True, metavar="ACTION")
    e = esub.add_parser("new", help="propose an engagement")
    e.add_argument("--provider", required=True, help="the council that gives the support")
    e.add_argument("--recipient", required=True, help="the council that receives it")
    e.add_argument("--theme", action="append", required=True, metavar="T",
                   help="a theme id or phrase (repeatable)")
    e.add_argument("--kind", default="improvement partner",
                   help=f"one of: {', '.join(KINDS.values())} (default improvement partner)")
    e.add_argument("--who", required=True, help="your name, recorded with the change")
    add_json_flag(e)
    e.set_defaults(run=graph_errors_as_cli(cmd_engagement_new))
    e = esub.add_parser("set", help="move an engagement on, or record its outcome")
    e.add_argument("id", metavar="ID")
    e.add_argument("--status", required=True, choices=list(NEXT))
    e.add_argument("--who", required=True, help="your name, recorded with the change")
    e.add_argument("--outcome", choices=list(OUTCOMES),
                   help="on completion: did it help the receiving council?")
    e.add_argument("--theme", action="append", default=[], metavar="T",
                   help="the themes the outcome is about (default: the engagement's)")
    e.add_argument("--note", default=None, help="the receiving council's words")
    add_json_flag(e)
    e.set_defaults(run=graph_errors_as_cli(cmd_engagement_set))
    e = esub.add_parser("list", help="list engagements")
    e.add_argument("--council", default=None, help="only this council's (either side)")
    e.add_argument("--status", default=None, choices=list(NEXT))
    add_json_flag(e)
    e.set_defaults(run=graph_errors_as_cli(cmd_engagement_list))

    p = sub.add_parser("ledger", help="who gives support and who receives it")
    p.add_argument("--region", default=None, help="a region name or E12 code")
    p.add_argument("--since", type=int, default=None, metavar="YEAR",
                   help="only engagements that started in this year or later")
    add_json_flag(p)
    p.set_defaults(run=graph_errors_as_cli(cmd_ledger))


# ---------------------------------------------------------------------- ingest

QUOTE_CHARS = 160  # of a sentence quoted under a fact


def cmd_ingest(args) -> int:
    from matcher.extract import extract  # the reader's index is built only when needed

    if args.apply and not (args.who and args.who.strip()):
        raise CliError("--apply needs --who NAME: every change records who made it", 2)
    if args.reviewed is not None and not args.apply:
        raise CliError("--reviewed records a review: give --apply --who NAME with it", 2)
    sources = [read_document(Path(f)) for f in args.files]  # every file read before any write
    reviewed = read_reviewed(args.reviewed) if args.reviewed is not None else None
    for src in sources:
        if reviewed is not None and src.sha256 not in reviewed:
            raise CliError(f"{args.reviewed}: has no review of {src.name} (sha256 "
                           f"{src.sha256[:12]}...): review what --json prints for this file")
    store = open_store() if args.apply else None
    try:
        kg = store.snapshot() if store is not None else load_snapshot()
        results = []
        for src in sources:
            found = extract(src.text, kg)
            result = {"document": {"id": src.document_id, "title": src.title,
                                   "sha256": src.sha256, "chars": len(src.text)},
                      **found.to_json()}
            results.append([src, result, already_ingested(kg, src), (0, 0)])
        if store is not None:
            accepted = {src.sha256: reviewed[src.sha256] if reviewed is not None else
                        [AcceptedClaim.from_json(c) for c in result["claims"]]
                        for src, result, _, _ in results}
            for src, *_ in results:  # every document checked before any is written
                try:
                    ingest_changes(kg, src, accepted[src.sha256], args.who.strip())
                except GraphError as exc:
                    where = f"{args.reviewed}: the review of {src.name}" if reviewed \
                        is not None else src.name
                    raise CliError(f"{where}: {exc}; nothing written") from None
            for row in results:
                src = row[0]
                row[2] = already_ingested(kg, src)  # the same file given twice: once
                if not row[2]:
                    changes = ingest_changes(kg, src, accepted[src.sha256], args.who.strip())
                    store.apply(changes, args.who.strip())
                    row[3] = (len(changes) - 1, len(accepted[src.sha256]))
                    kg = store.snapshot()
    finally:
        if store is not None:
            store.close()
    if args.json:
        print_json([r for _, r, _, _ in results])
        return 0
    for src, result, seen, written in results:
        _print_ingest(kg, src, result, seen, written, args.apply)
    return 0


def _print_ingest(kg: KnowledgeGraph, src, result: dict, seen: bool,
                  written: tuple[int, int], applied: bool) -> None:
    """One document's reading; `written` is (facts recorded, claims accepted) once applied."""
    mentions = result["mentions"]
    names = sorted({kg.name(m["id"]) for m in mentions if m["kind"] != "theme"})
    themes = sorted({kg.name(m["id"]) for m in mentions if m["kind"] == "theme"})
    print(f"{src.name}: \"{src.title}\", {len(src.text):,} characters")
    print(f"  names {len(names)}: {', '.join(names) or 'none'}")
    print(f"  themes {len(themes)}: {', '.join(themes) or 'none'}")
    print(f"  proposed facts: {len(result['claims'])}")
    for c in result["claims"]:
        ev = c["evidence"]
        print(f"    {kg.name(c['subject'])}: {c['kind']} on {kg.name(c['target'])} "
              f"(confidence {c['confidence']:.2f}, characters {ev['start']}-{ev['end']})")
        print(f"        \u201c{one_line(ev['text'], QUOTE_CHARS)}\u201d")
    if result["unclaimed"]:
        print(f"  named together, nothing proposed: {len(result['unclaimed'])} (for a person to "
              f"judge on Review documents; --apply leaves them out)")
    for u in result["unclaimed"]:
        ev = u["evidence"]
        print(f"    {kg.name(u['subject'])} and {kg.name(u['target'])} "
              f"(characters {ev['start']}-{ev['end']})")
        print(f"        \u201c{one_line(ev['text'], QUOTE_CHARS)}\u201d")
    if seen:
        print("  this document is already in the graph: nothing changed")
    elif applied:
        print(f"  recorded {recorded_words(*written)} from this document")
    else:
        print("  nothing written: review the facts, then run again with --apply --who NAME")


# ---------------------------------------------------------------------- engagements


def _themes(kg: KnowledgeGraph, phrases: list[str]) -> list[str]:
    from matcher.themes import read_theme

    out: list[str] = []
    for phrase in phrases:
        found = read_theme(kg, phrase)
        if not found:
            raise CliError(f"--theme {phrase!r} matches no theme: try a theme's name, such "
                           f"as 'recruitment and retention'", 2)
        out += [t for t in found[:1] if t not in out]
    return out


def _write_engagement(changes, who: str) -> None:
    store = open_store()
    try:
        store.apply(changes, who)
    finally:
        store.close()


def cmd_engagement_new(args) -> int:
    kg = load_snapshot()
    provider = resolve_council(kg, args.provider)
    recipient = resolve_council(kg, args.recipient)
    eng = new_engagement(kg, provider, recipient, _themes(kg, args.theme), args.kind,
                         args.who.strip())
    _write_engagement([UpsertNode(node=eng)], args.who.strip())
    if args.json:
        print_json(engagement_json(kg, eng))
    else:
        print(f"{eng.id}: {eng.name}, proposed by {args.who.strip()}")
    return 0


def cmd_engagement_set(args) -> int:
    kg = load_snapshot()
    themes = _themes(kg, args.theme) if args.theme else []
    changes = set_status(kg, args.id, args.status, args.who.strip(), outcome=args.outcome,
                         themes=themes, note=args.note)
    _write_engagement(changes, args.who.strip())
    eng = changes[0].node
    if args.json:
        print_json(engagement_json(kg, eng))
        return 0
    print(f"{eng.id}: {eng.name} is now {eng.status} (recorded by {args.who.strip()})")
    if eng.outcome:
        said = OUTCOMES[eng.outcome]
        on = ", ".join(kg.name(t).lower() for t in eng.outcome_themes)
        print(f"  {kg.name(eng.recipient)} says it {said} on {on}")
        if len(changes) > 1:
            print(f"  {kg.name(eng.provider)} now has {kg.name(eng.recipient)}'s endorsement "
                  f"on {on}")
    return 0


def cmd_engagement_list(args) -> int:
    kg = load_snapshot()
    council = resolve_council(kg, args.council) if args.council else None
    found = engagements(kg, council, args.status)
    if args.json:
        print_json({"engagements": [engagement_json(kg, e) for e in found]})
        return 0
    if not found:
        print("No engagements recorded" + (f" for {kg.name(council)}" if council else "")
              + (f" that are {args.status}" if args.status else "") + ".")
        return 0
    for e in found:
        last = e.history[-1] if e.history else None
        when = f", {last.who} on {last.at[:10]}" if last else ""
        print(f"{e.id}  {e.status:<9} {e.name}{when}")
        if e.outcome:
            print(f"    outcome: {OUTCOMES[e.outcome]}" + (f" \u2014 {e.note}" if e.note else ""))
    return 0


# ---------------------------------------------------------------------- ledger


def cmd_ledger(args) -> int:
    from matcher.support import resolve_region

    kg = load_snapshot()
    region = None
    if args.region:
        resolver = Resolver(kg.councils(status=None))
        region = resolve_region(kg, args.region, lambda n: resolver.resolve(n).code)
    led = ledger(kg, region, args.since)
    if args.json:
        print_json(led.to_json())
        return 0
    where = kg.name(region) if region else "England"
    since = f" since {args.since}" if args.since else ""
    if not led.councils:
        print(f"No engagements recorded in {where}{since}: nobody has given or received yet.")
        return 0
    print(f"Who gives and who receives in {where}{since} (agreed, active or completed "
          f"engagements and peer reviews)")
    print(f"{'council':<36}{'gave':>6}{'received':>10}{'balance':>9}")
    for r in led.councils:
        print(f"{r.name:<36}{r.gave:>6}{r.received:>10}{r.balance:>+9}")
    givers = [r.name for r in led.councils if r.gave and not r.received]
    print(f"Inequality of giving (Gini, 0 even .. 1 one council gives all): {led.gini:.2f} "
          f"over {led.scope} councils")
    if givers:
        print(f"Only give, never receive: {', '.join(givers)}")
    return 0
