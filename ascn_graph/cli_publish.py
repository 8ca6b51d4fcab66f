"""The publishing subcommands of ``ascn-graph``:

    ascn-graph export --format F --out PATH [--inferred]
                                   Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML,
                                   deterministic and written atomically, with void.ttl beside it
    ascn-graph serve [--port N]    the local linked-data service on 127.0.0.1
    ascn-graph publish --endpoint URL
                                   load the graph (with inferences) into a triple store
                                   through the SPARQL 1.1 Graph Store Protocol
    ascn-graph docs --out PATH     the ontology as one self-contained HTML page

Until they are wired into ``ascn-graph``, ``python -m ascn_graph.cli_publish``
runs them on their own.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="ascn-graph")
>>> add_subcommands(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["export", "--format", "trig", "--out", "x.trig", "--inferred"])
>>> args.command, args.format, args.out, args.inferred
('export', 'trig', 'x.trig', True)
>>> parser.parse_args(["serve", "--port", "0"]).timeout
30.0
>>> sorted(COMMANDS)
['docs', 'export', 'publish', 'serve']
"""

from __future__ import annotations

import argparse
import sys

from ascn_graph.errors import AscnGraphError
from ascn_graph.formats import EXPORT_FORMATS as FORMATS
from ascn_graph.project import Project

COMMANDS = ("export", "serve", "publish", "docs")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", help="project folder (default: the one this package is in)")
    parser.add_argument("--sources", help="folder with the source texts (default ../shared/seeds)")


def _positive(kind):
    def check(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
        return value
    return check


def _non_negative_int(text: str) -> int:
    """A whole number, 0 or above, from the command line.

    >>> _non_negative_int("0")
    0
    """
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number 0 or above, got {text!r}")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 0-65535, got {text!r}")
    return int(text)


def add_subcommands(sub) -> None:
    """Add ``export``, ``serve`` and ``publish`` to the subparsers of ``ascn-graph``."""
    p = sub.add_parser("export", allow_abbrev=False,
                       help="write the graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML")
    p.add_argument("--format", choices=sorted(FORMATS), default="turtle", help="output format")
    p.add_argument("--out", required=True, help="the file to write (replaced atomically)")
    p.add_argument("--inferred", action="store_true",
                   help="include inferences (the graph the saved queries see)")
    p.add_argument("--no-void", action="store_true", help="do not write void.ttl beside the output")
    p.add_argument("--sparql-endpoint", metavar="URL", help="a SPARQL endpoint to name in void.ttl")
    p.add_argument("--download-url", metavar="URL", help="where the file will be published, for void.ttl")
    _common(p)

    p = sub.add_parser("serve", allow_abbrev=False,
                       help="serve a SPARQL endpoint, resource pages and saved queries on 127.0.0.1")
    p.add_argument("--port", type=_port, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--timeout", type=_positive(float), default=30.0,
                   help="seconds a query may run before it is stopped (default 30)")
    p.add_argument("--max-rows", type=_positive(int), default=10000,
                   help="rows (or triples) a query may return (default 10000)")
    p.add_argument("--workers", type=_positive(int), default=4,
                   help="queries evaluated at the same time (default 4)")
    p.add_argument("--max-request-bytes", type=_positive(int), default=100_000,
                   help="largest request accepted (default 100000)")
    p.add_argument("--memory-mb", type=_positive(int), default=1024,
                   help="memory a query worker may add (default 1024 MB)")
    p.add_argument("--reply-cache-mb", type=_non_negative_int, default=64,
                   help="memory for replies kept for the next asking of the same query "
                        "(default 64 MB; 0 keeps none)")
    p.add_argument("--quiet", action="store_true", help="do not log each request")
    _common(p)

    p = sub.add_parser("publish", allow_abbrev=False,
                       help="load the graph into a triple store (SPARQL 1.1 Graph Store Protocol)")
    p.add_argument("--endpoint", required=True, metavar="URL",
                   help="the store's Graph Store URL, e.g. http://127.0.0.1:7878/store (Oxigraph)")
    p.add_argument("--asserted-only", action="store_true", help="leave out the inferences")
    p.add_argument("--graph", metavar="IRI", help="load into this named graph instead of the default graph")
    p.add_argument("--named-graphs", action="store_true",
                   help="one named graph per source document (query with a union default graph)")
    p.add_argument("--no-verify", action="store_true", help="do not count the triples back")
    p.add_argument("--user", metavar="NAME",
                   help="user for a store that asks for HTTP basic or digest authentication "
                        "(the password is read from $ASCN_STORE_PASSWORD)")
    _common(p)

    p = sub.add_parser("docs", allow_abbrev=False,
                       help="write the ontology's documentation as one HTML page")
    p.add_argument("--out", required=True, help="the HTML file to write (replaced atomically)")
    _common(p)


def _project(args) -> Project:
    return Project.default(getattr(args, "root", None), getattr(args, "sources", None))


def run(args, out) -> int:
    """Run one of the publishing subcommands; returns the exit status."""
    from ascn_graph import api
    from ascn_graph.export import export

    project = _project(args)
    if args.command == "export":
        report = export(api.build(project), args.format, args.out, inferred=args.inferred,
                        project=project, void=not args.no_void,
                        sparql_endpoint=args.sparql_endpoint, download_url=args.download_url)
        out.write(f"{report}\n")
        return 0
    if args.command == "serve":
        from ascn_graph.server import serve

        return serve(out, project=project, port=args.port, timeout=args.timeout,
                     max_rows=args.max_rows, workers=args.workers,
                     max_request=args.max_request_bytes, memory_mb=args.memory_mb,
                     verbose=not args.quiet, reply_cache_mb=args.reply_cache_mb)
    if args.command == "publish":
        from ascn_graph.publish import check_endpoint, credentials, publish

        check_endpoint(args.endpoint)  # bad input is an error before the graph is built
        auth = credentials(args.user)
        report = publish(api.build(project), args.endpoint, inferred=not args.asserted_only,
                         named_graphs=args.named_graphs, graph_iri=args.graph,
                         verify=not args.no_verify, auth=auth)
        out.write(f"{report}\n")
        return 0
    if args.command == "docs":
        from ascn_graph.ontology_docs import write_docs

        count = write_docs(project.ontology_dir / "ascn.ttl", args.out)
        out.write(f"{count} terms documented in {args.out}\n")
        return 0
    raise ValueError(f"not a publishing command: {args.command}")


def main(argv: list[str] | None = None, out=None) -> int:
    """These subcommands on their own (``python -m ascn_graph.cli_publish``)."""
    out = out or sys.stdout
    parser = argparse.ArgumentParser(prog="ascn-graph", allow_abbrev=False)
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return run(args, out)
    except AscnGraphError as exc:
        sys.stderr.write(f"ascn-graph: error: {exc}\n")
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
