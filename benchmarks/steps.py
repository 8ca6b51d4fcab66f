"""The measured steps of benchmarks/run.py, each run in its own process:

    python benchmarks/steps.py KIND --root DIR --sources DIR [options]

prints one line of JSON (the step's report) as its last line of output.

- ``build``: parse, validate (SHACL, violation queries, quotes), reason with
  ``--engine fast|plain``, make the merged view and the store queries read
  (Oxigraph on the fast engine), run every continuity check; each phase timed.
- ``owlrl``: parse and one plain owlrl closure (the project's settings).
- ``fast-closure``: parse and the fast engine's OWL 2 RL closure alone.
- ``reasonable``: parse and the Rust ``reasonable`` reasoner, where installed.
- ``warm-parts``: where a warm ``ascn-graph query`` spends its time (imports,
  the cache key, reading the cache, the query, rendering).
- ``saved-queries``: every saved query on a built graph, each with a time cap.

>>> synthetic_params("entity", "iri")
'https://w3id.org/ascn-graph/id/synthetic/person/p000001'
>>> synthetic_params("role", "iri") is None
True
"""

from __future__ import annotations

import argparse
import hashlib
import json
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ASCN_TYPE_PREFIX = "https://w3id.org/ascn-graph/ontology#"
SYNTHETIC = "https://w3id.org/ascn-graph/id/synthetic/"
#: values of the saved queries' parameters that name synthetic things (others: the default)
SYNTHETIC_VALUES = {
    "entity": SYNTHETIC + "person/p000001",
    "holder": SYNTHETIC + "country/c0001",
    "source": SYNTHETIC + "source/page-00001",
    "text": "Synthetic Person 1",
    "date": "2020-06-30",
}


def synthetic_params(name: str, kind: str) -> str | None:
    """The value a parameter gets on a synthetic graph (None: keep its default)."""
    return SYNTHETIC_VALUES.get(name)


def canonical_digest(triples, asserted) -> str:
    """A digest of triples that does not depend on blank-node ids: each blank node is named
    by what the asserted graph says about it and who points at it."""
    from rdflib import BNode

    names: dict = {}

    def name(node) -> str:
        if not isinstance(node, BNode):
            return node.n3()
        if node not in names:
            out = sorted(f"{p.n3()} {o.n3()}" for p, o in asserted.predicate_objects(node)
                         if not isinstance(o, BNode))
            inc = sorted(f"{s.n3()} {p.n3()}" for s, p in asserted.subject_predicates(node)
                         if not isinstance(s, BNode))
            names[node] = "_:" + hashlib.sha1("\n".join(out + ["<-"] + inc).encode()).hexdigest()
        return names[node]

    lines = sorted(f"{name(s)} {name(p)} {name(o)}" for s, p, o in triples)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def ascn_types(triples) -> int:
    """How many rdf:type triples name a class of the ontology (ascn:)."""
    from rdflib.namespace import RDF

    return sum(1 for _, p, o in triples if p == RDF.type and str(o).startswith(ASCN_TYPE_PREFIX))


def _project(args):
    from ascn_graph.project import Project

    return Project(Path(args.root), Path(args.sources))


def step_build(args: argparse.Namespace) -> dict:
    """Parse, validate, reason, make the merged view and the query store, run the
    continuity checks; time each phase."""
    from ascn_graph.loading import load_project, parse_turtle
    from ascn_graph.reasoning import reason
    from ascn_graph.rules import load_rules
    from ascn_graph.validation import run_shapes, run_violation_queries

    project = _project(args)
    report: dict = {"engine": args.engine}
    t = time.perf_counter()
    loaded = load_project(project, args.engine)  # Oxigraph's parser on the fast engine
    report["parse"] = time.perf_counter() - t
    report["asserted"] = len(loaded.graph)
    if not args.no_validate:
        from ascn_graph.quotes import SourceTexts, check_quotes

        problems = 0
        t = time.perf_counter()
        problems += len(run_shapes(loaded, parse_turtle(project.shapes_file), args.engine))
        report["shapes"] = time.perf_counter() - t
        t = time.perf_counter()
        problems += len(run_violation_queries(loaded, project.validation_dir, args.engine))
        report["violation_queries"] = time.perf_counter() - t
        t = time.perf_counter()
        problems += len(check_quotes(loaded.graph, SourceTexts(project.sources_dir())))
        report["quotes"] = time.perf_counter() - t
        report["validate"] = report["shapes"] + report["violation_queries"] + report["quotes"]
        report["problems"] = problems
    t = time.perf_counter()
    result = reason(loaded, load_rules(project), engine=args.engine)
    report["reason"] = time.perf_counter() - t
    t = time.perf_counter()
    if args.engine == "plain":  # the fast engine puts the view's triples straight into Oxigraph
        result.view()
    report["view"] = time.perf_counter() - t
    t = time.perf_counter()
    queryable = result.queryable()  # the fast engine's Oxigraph store; the view on the plain one
    report["store"] = time.perf_counter() - t
    if not args.no_checks:
        from ascn_graph.continuity import run_checks

        t = time.perf_counter()
        report["findings"] = len(run_checks(queryable, project))
        report["checks"] = time.perf_counter() - t
    report["build"] = (report["parse"] + report.get("validate", 0) + report["reason"]
                       + report["view"] + report["store"] + report.get("checks", 0))
    report.update(inferred=len(result.inferred), rounds=result.rounds, errors=len(result.errors),
                  view_triples=len(queryable),
                  inferred_digest=canonical_digest(result.inferred, loaded.graph)[:16],
                  ascn_types=ascn_types(queryable))
    return report


def _parse(project):
    from rdflib import Graph

    t = time.perf_counter()
    graph = Graph()
    for path in project.graph_files():
        graph.parse(path, format="turtle")
    return graph, time.perf_counter() - t


def step_owlrl(args: argparse.Namespace) -> dict:
    """Parse the same files and run a plain owlrl closure (the project's settings)."""
    import owlrl

    graph, parse = _parse(_project(args))
    size = len(graph)
    t = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(graph)
    return {"parse": parse, "asserted": size, "closure": time.perf_counter() - t,
            "closure_triples": len(graph), "ascn_types": ascn_types(graph)}


def step_fast_closure(args: argparse.Namespace) -> dict:
    """Parse the same files and run the fast engine's OWL 2 RL closure alone (no rules)."""
    from ascn_graph.fastpath import owl_rl_closure

    graph, parse = _parse(_project(args))
    size = len(graph)
    t = time.perf_counter()
    added, errors = owl_rl_closure(graph)
    took = time.perf_counter() - t
    return {"parse": parse, "asserted": size, "closure": took, "closure_triples": size + len(added),
            "ascn_types": ascn_types(list(graph) + list(added)), "errors": len(errors)}


def step_reasonable(args: argparse.Namespace) -> dict:
    """The same graph through the Rust ``reasonable`` reasoner (OWL 2 RL)."""
    from importlib import metadata

    import reasonable

    graph, parse = _parse(_project(args))
    t = time.perf_counter()
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(graph)
    out = reasoner.reason()
    return {"parse": parse, "asserted": len(graph), "closure": time.perf_counter() - t,
            "closure_triples": len(out), "ascn_types": ascn_types(out),
            "version": metadata.version("reasonable")}


def step_warm_parts(args: argparse.Namespace) -> dict:
    """Where a warm ``ascn-graph query NAME`` spends its time, in one process."""
    marks = [("start", time.perf_counter())]
    import rdflib  # noqa: F401

    marks.append(("import rdflib", time.perf_counter()))
    from ascn_graph import cli  # noqa: F401 - what the command imports before it runs

    marks.append(("import ascn_graph.cli (the rest)", time.perf_counter()))
    from ascn_graph import cache
    from ascn_graph.queries import QueryCatalogue
    from ascn_graph.reasoning import resolve_engine
    from ascn_graph.results import Table, render

    project = _project(args)
    engine = resolve_engine(None)
    digest = cache.input_digest(project, engine)
    marks.append(("cache key (hash of the inputs)", time.perf_counter()))
    graph = cache.load(project, digest, engine)
    if graph is None:
        raise SystemExit("no warm cache")
    marks.append(("read the cache (unpickle)", time.perf_counter()))
    view = graph.queryable()  # as cli.cmd_query: the Oxigraph store on the fast engine
    marks.append(("open the query store", time.perf_counter()))
    table = Table.from_result(QueryCatalogue(project).get(args.query).run(view, {}))
    marks.append(("run the query", time.perf_counter()))
    render(table, view, "table")
    marks.append(("render", time.perf_counter()))
    parts = {name: marks[i][1] - marks[i - 1][1] for i, (name, _) in enumerate(marks) if i}
    return {"parts": parts, "modules": len(sys.modules),
            "heavy_modules": sorted(m for m in ("pyshacl", "owlrl", "SPARQLWrapper", "ascn_graph.fastpath")
                                    if m in sys.modules)}


class _Timeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Timeout


def step_saved_queries(args: argparse.Namespace) -> dict:
    """Build (through the cache) and run every saved query with a time cap each."""
    from ascn_graph import api
    from ascn_graph.queries import QueryCatalogue
    from ascn_graph.results import Table

    project = _project(args)
    t = time.perf_counter()
    graph = api.build(project)
    view = graph.queryable()
    out: dict = {"build": time.perf_counter() - t, "view_triples": len(view), "queries": {}}
    signal.signal(signal.SIGALRM, _alarm)
    for query in QueryCatalogue(project):
        values = {}
        if args.synthetic:
            values = {p.name: v for p in query.params
                      if (v := synthetic_params(p.name, p.type)) is not None}
        t = time.perf_counter()
        signal.alarm(int(args.cap))
        try:
            rows = len(Table.from_result(query.run(graph.queryable(), values)).rows)
            entry = {"seconds": time.perf_counter() - t, "rows": rows, "status": "ok"}
        except _Timeout:
            entry = {"seconds": None, "status": f"over the {args.cap:.0f} s cap"}
        finally:
            signal.alarm(0)
        out["queries"][query.name] = entry
    return out


STEPS = {"build": step_build, "owlrl": step_owlrl, "fast-closure": step_fast_closure,
         "reasonable": step_reasonable,
         "warm-parts": step_warm_parts, "saved-queries": step_saved_queries}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="steps.py")
    parser.add_argument("kind", choices=list(STEPS))
    parser.add_argument("--root", required=True)
    parser.add_argument("--sources", required=True)
    parser.add_argument("--engine", choices=("plain", "fast"), default="fast")
    parser.add_argument("--no-validate", action="store_true")
    parser.add_argument("--no-checks", action="store_true")
    parser.add_argument("--query", default="holders-on-date")
    parser.add_argument("--synthetic", action="store_true", help="parameters naming synthetic things")
    parser.add_argument("--cap", type=float, default=60, help="seconds per saved query")
    args = parser.parse_args(argv)
    print(json.dumps(STEPS[args.kind](args), default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
