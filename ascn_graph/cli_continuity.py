"""The continuity subcommands of ``ascn-graph``:

    ascn-graph check [--format text|json|shacl] [--as-of DATE] [--endpoint URL]
                                       run the continuity checks
    ascn-graph timeline ROLE           every tenure of a role, in time order
    ascn-graph timeline --out F.svg    the roles over the years as a picture (SVG or PNG),
                                       with the findings of ``check`` marked
    ascn-graph snapshot --date DATE    every role's holder on a day

``check`` exits 1 when a violation is found (warnings and information do not
fail it), so that it can guard a CI job. ROLE is a short name (ascn-chair,
asean-chair, shepherd, nr, csco), a prefixed name (ascn:Shepherd) or an IRI.

>>> import argparse, io
>>> parser = argparse.ArgumentParser(prog="ascn-graph")
>>> add_subcommands(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["check", "--format", "shacl", "--as-of", "2024-01-01"])
>>> args.command, args.format, args.as_of
('check', 'shacl', '2024-01-01')
>>> parser.parse_args(["timeline", "--out", "roles.svg"]).role is None
True
>>> sorted(COMMANDS)
['check', 'snapshot', 'timeline']
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ascn_graph.errors import ParameterError
from ascn_graph.formats import LANGS, REPORT_FORMATS
from ascn_graph.formats import TABLE_FORMATS as FORMATS
from ascn_graph.project import Project

if TYPE_CHECKING:
    from ascn_graph import continuity

COMMANDS = ("check", "timeline", "snapshot")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", help="project folder (default: the one this package is in)")
    parser.add_argument("--sources", help="folder with the source texts (default ../shared/seeds)")


def _table_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser.add_argument("--lang", choices=LANGS, default="en", help="language of labels")
    parser.add_argument("--no-sources", action="store_true", help="leave out each row's sources")
    parser.add_argument("--iris", action="store_true", help="show IRIs instead of labels")


def add_subcommands(sub) -> None:
    """Add ``check``, ``timeline`` and ``snapshot`` to the subparsers of ``ascn-graph``."""
    p = sub.add_parser("check", allow_abbrev=False, help="role continuity: gaps, overlaps, rules broken, conflicts; "
                                     "exits 1 on a violation")
    p.add_argument("--format", choices=REPORT_FORMATS, default="text",
                   help="text (readable), json, or shacl (a W3C SHACL validation report, Turtle)")
    p.add_argument("--as-of", dest="as_of", metavar="DATE",
                   help="check the record as it stood on this day (YYYY-MM-DD)")
    p.add_argument("--endpoint", help="run the checks on this SPARQL 1.1 endpoint instead of locally")
    _common(p)

    p = sub.add_parser("timeline", allow_abbrev=False,
                       help="every tenure of a role, in time order, with sources; "
                            "or, with --out, a picture of the roles over the years")
    p.add_argument("role", nargs="?",
                   help="ascn-chair, asean-chair, shepherd, nr, csco, or a role IRI")
    p.add_argument("--out", metavar="FILE",
                   help="draw the roles over the years to FILE (.svg or .png) instead")
    _common(p)
    _table_output(p)

    p = sub.add_parser("snapshot", allow_abbrev=False, help="every role's holder on a day, with sources")
    p.add_argument("--date", required=True, help="the day (YYYY-MM-DD)")
    _common(p)
    _table_output(p)


def _project(args) -> Project:
    return Project.default(getattr(args, "root", None), getattr(args, "sources", None))


def picture_findings(report: continuity.Report) -> list[dict]:
    """The findings to mark on the picture: on the resource at fault and on each claim
    given as evidence (a tenure drawn as a bar)."""
    marks = []
    for finding in report.findings:
        for resource in [finding.resource, *finding.evidence_claims()]:
            marks.append({"resource": resource, "severity": finding.severity,
                          "message": f"{finding.check}: {finding.message}"})
    return marks


def _draw(args, project: Project, out) -> int:
    from ascn_graph import api, continuity, picture
    from ascn_graph.results import label

    target = Path(args.out)
    if target.suffix.lower() not in (".svg", ".png"):
        raise ParameterError("out", f"expected a file name ending in .svg or .png, got {args.out!r}")
    if not target.parent.is_dir():
        raise ParameterError("out", f"folder {str(target.parent)!r} does not exist")
    graph = api.build(project)
    report = continuity.check(project, graph, with_timelines=False)
    lanes = picture.collect_lanes(graph, project, args.lang)
    if args.role:
        wanted = label(graph.queryable(), continuity.role_iri(args.role))
        lanes = [lane for lane in lanes if lane.role == str(continuity.role_iri(args.role))]
        if not lanes:
            raise ParameterError("role", f"no tenure of {wanted} to draw")
    svg = picture.draw(lanes, picture_findings(report))
    picture.save(svg, target)
    out.write(f"wrote {target} ({len(lanes)} lanes, {len(report.findings)} findings marked)\n")
    return 0


def run(args, out) -> int:
    """Run one of the continuity subcommands; returns the exit status."""
    from ascn_graph import api, continuity
    from ascn_graph.results import render

    project = _project(args)
    if args.command == "check":
        day = continuity.parse_day(args.as_of) if args.as_of else None
        report = continuity.check(project, as_of=day, endpoint=args.endpoint)
        out.write(report.render(args.format).rstrip("\n") + "\n")
        return report.exit_status()
    if args.command == "timeline" and args.out:
        return _draw(args, project, out)
    if args.command == "timeline":
        if not args.role:
            raise ParameterError("role", "give a ROLE (shepherd, nr, ...) or --out FILE.svg")
        role = continuity.role_iri(args.role)
        graph = api.build(project)
        table = continuity.timeline(role, graph, project, not args.no_sources, args.lang)
    elif args.command == "snapshot":
        day = continuity.parse_day(args.date, "date")
        graph = api.build(project)
        table = continuity.snapshot(day, graph, project, not args.no_sources, args.lang)
    else:
        raise ValueError(f"not a continuity command: {args.command!r}")
    out.write(render(table, graph.queryable(), args.format, args.lang, args.iris) + "\n")
    return 0
