"""The ``ascn-graph`` command.

    ascn-graph queries                         list the saved queries
    ascn-graph query NAME [--PARAM VALUE ...]  run one (--format, --lang, --show-sources)
    ascn-graph sparql [FILE]                   run an ad-hoc read-only query (stdin if no file)
    ascn-graph validate                        shapes, violation queries and quotes
    ascn-graph reason                          reason and report what was inferred
    ascn-graph explain IRI                     why the inferred facts about IRI hold
    ascn-graph check [--format text|json|shacl] [--as-of DATE] [--endpoint URL]
                                               role continuity; exits 1 on a violation
    ascn-graph timeline [ROLE] [--out FILE]    a role's tenures, or a picture of all roles
    ascn-graph snapshot --date DATE            every role's holder on a day
    ascn-graph export --format F --out PATH    the graph as a file (deterministic, atomic)
    ascn-graph serve [--port N]                SPARQL endpoint and pages on 127.0.0.1
    ascn-graph publish --endpoint URL          load into a Graph Store Protocol store

Every error the user can fix is printed as one line naming the file and line,
the resource or the parameter, and the command exits non-zero.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ascn_graph import __version__, api, cli_continuity, cli_publish
from ascn_graph.errors import AscnGraphError, ParameterError, UnknownResourceError
from ascn_graph.project import Project
from ascn_graph.queries import QueryCatalogue, _to_iri
from ascn_graph.results import FORMATS, LANGS, Table, add_sources, render

# Each command imports what only it needs (SHACL, owlrl, rdflib's SPARQL parser...) when
# it runs, so a query answered from the cache starts quickly (benchmarks/RESULTS.md).


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", help="project folder (default: the one this package is in)")
    parser.add_argument("--sources", help="folder with the source texts (default ../shared/seeds)")


def _output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser.add_argument("--lang", choices=LANGS, default="en", help="language of labels")
    parser.add_argument("--show-sources", action="store_true", help="add each row's sources")
    parser.add_argument("--iris", action="store_true", help="show IRIs instead of labels")
    parser.add_argument("--endpoint", help="run on this SPARQL 1.1 endpoint instead of locally")
    parser.add_argument("--asserted-only", action="store_true",
                        help="query the asserted graph, without inferences")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ascn-graph",
        allow_abbrev=False,
        description="A cited knowledge graph of the ASEAN Smart Cities Network.",
    )
    parser.add_argument("--version", action="version", version=f"ascn-graph {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("queries", allow_abbrev=False, help="list the saved queries and their parameters")
    _common(p)

    p = sub.add_parser("query", allow_abbrev=False, help="run a saved query; give parameters as --NAME VALUE")
    p.add_argument("name", help="the saved query (see `ascn-graph queries`)")
    _common(p)
    _output(p)

    p = sub.add_parser("sparql", allow_abbrev=False, help="run a read-only SPARQL query from a file or stdin")
    p.add_argument("file", nargs="?", help="query file (default: standard input)")
    _common(p)
    _output(p)

    p = sub.add_parser("validate", allow_abbrev=False, help="check the data: shapes, violation queries, quotes")
    p.add_argument("--skip-quotes", action="store_true", help="do not check quotes")
    _common(p)

    p = sub.add_parser("reason", allow_abbrev=False, help="reason (OWL 2 RL + rules) and report")
    p.add_argument("--output", help="write the inferred triples (Turtle) to this file")
    _common(p)

    p = sub.add_parser("explain", allow_abbrev=False, help="why the inferred facts about a resource hold")
    p.add_argument("resource", help="an IRI or prefixed name, e.g. tenure:ascn-chair-2018-inferred")
    _common(p)

    cli_continuity.add_subcommands(sub)
    cli_publish.add_subcommands(sub)
    return parser


def _param_values(extra: list[str]) -> dict[str, str]:
    """``--date 2024-07-30 --role=ascn:Shepherd`` -> {'date': ..., 'role': ...}."""
    values: dict[str, str] = {}
    items = list(extra)
    while items:
        item = items.pop(0)
        if not item.startswith("--") or len(item) < 3:
            raise ParameterError(item, "expected --NAME VALUE")
        name = item[2:]
        if "=" in name:
            name, value = name.split("=", 1)
        else:
            if not items:
                raise ParameterError(name, "given without a value")
            value = items.pop(0)
        values[name] = value
    return values


def _project(args) -> Project:
    return Project.default(args.root, args.sources)


def cmd_queries(args, out) -> int:
    for query in QueryCatalogue(_project(args)):
        out.write(f"{query.name}\n    {query.header.title}\n")
        for spec in query.params:
            default = f" (default {spec.default})" if spec.default else " (required)"
            out.write(f"    --{spec.name} {spec.type}{default}: {spec.description}\n")
    return 0


def _print_table(table: Table, graph, args, out) -> None:
    if args.show_sources and not table.sources:
        add_sources(table, graph, args.lang)
    out.write(render(table, graph, args.format, args.lang, args.iris) + "\n")


def cmd_query(args, extra: list[str], out) -> int:
    project = _project(args)
    values = _param_values(extra)
    query = QueryCatalogue(project).get(args.name)
    if args.endpoint:
        from ascn_graph.remote import run_remote

        table, labels = run_remote(args.endpoint, query, values)
        _print_table(table, labels, args, out)
        return 0
    query.bind(values)  # reject bad parameters before the graph is built
    graph = api.build(project)
    view = graph.asserted if args.asserted_only else graph.queryable()
    table = Table.from_result(query.run(view, values))
    _print_table(table, view, args, out)
    return 0


def cmd_sparql(args, out) -> int:
    project = _project(args)
    origin = args.file or "<stdin>"
    text = Path(args.file).read_text(encoding="utf-8") if args.file else sys.stdin.read()
    if args.endpoint:
        from ascn_graph.remote import run_remote_text

        table, labels = run_remote_text(args.endpoint, text, origin)
        _print_table(table, labels, args, out)
        return 0
    from ascn_graph.sparql import run_text

    graph = api.build(project)
    view = graph.asserted if args.asserted_only else graph.queryable()
    result = run_text(text, view, origin)
    if isinstance(result, Table):
        _print_table(result, view, args, out)
    elif isinstance(result, bool):
        out.write(("true" if result else "false") + "\n")
    else:
        out.write(result.serialize(format="turtle"))
    return 0


def cmd_validate(args, out) -> int:
    from ascn_graph.validation import validate

    report = validate(_project(args), check_sources=not args.skip_quotes)
    out.write(str(report) + "\n")
    return 0 if report.ok else 1


def cmd_reason(args, out) -> int:
    from ascn_graph.reasoning import check_consistent

    graph = api.build(_project(args))
    rules: dict[str, int] = {}
    for how in graph.provenance.values():
        name = how if isinstance(how, str) else how.rule
        rules[name] = rules.get(name, 0) + 1
    out.write(f"asserted triples: {len(graph.asserted)}\n")
    out.write(f"inferred triples: {len(graph.inferred)} in {graph.rounds} round(s)\n")
    for name, count in sorted(rules.items()):
        out.write(f"  {name}: {count}\n")
    if args.output:
        data = graph.inferred.serialize(format="turtle")
        target = Path(args.output)
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_text(data, encoding="utf-8")
        tmp.replace(target)
        out.write(f"inferred triples written to {target}\n")
    check_consistent(graph)
    out.write("consistent: no OWL 2 RL inconsistency found\n")
    return 0


def cmd_explain(args, out) -> int:
    from ascn_graph.explain import explain_resource

    project = _project(args)
    graph = api.build(project)
    try:
        resource = _to_iri("resource", args.resource)
    except ParameterError as exc:
        raise UnknownResourceError(str(exc)) from None
    out.write(explain_resource(graph, resource) + "\n")
    return 0


def main(argv: list[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    parser = make_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "query":
        parser.error(f"unrecognised arguments: {' '.join(extra)}")
    try:
        if args.command == "queries":
            return cmd_queries(args, out)
        if args.command == "query":
            return cmd_query(args, extra, out)
        if args.command == "sparql":
            return cmd_sparql(args, out)
        if args.command == "validate":
            return cmd_validate(args, out)
        if args.command == "reason":
            return cmd_reason(args, out)
        if args.command == "explain":
            return cmd_explain(args, out)
        if args.command in cli_continuity.COMMANDS:
            return cli_continuity.run(args, out)
        if args.command in cli_publish.COMMANDS:
            return cli_publish.run(args, out)
    except AscnGraphError as exc:
        sys.stderr.write(f"ascn-graph: error: {exc}\n")
        return 2
    except BrokenPipeError:
        return 0
    return 1


def console() -> None:
    """The ``ascn-graph`` command: :func:`main`, then out at once. Once the answer is
    written and flushed there is nothing left to do, so the interpreter is not torn down
    module by module (60-80 ms, a fifth of a warm query; benchmarks/NOTES.md). Every
    file the commands write is closed (and renamed into place) before they return."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = code or 0
    os._exit(code)


if __name__ == "__main__":
    console()
