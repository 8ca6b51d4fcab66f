"""``ascn-graph validate``: SHACL shapes (ontology/shapes.ttl, run with
pySHACL), the ``*-violation.rq`` queries in ``queries/validation/``, and the
quote check against the source texts. Each problem names the file, the
resource and what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import Namespace

from ascn_graph.errors import SourcesNotFoundError
from ascn_graph.loading import LoadedGraph, load_project, parse_turtle
from ascn_graph.project import Project
from ascn_graph.queryfiles import read_query_file
from ascn_graph.quotes import SourceTexts, check_quotes
from ascn_graph.reasoning import resolve_engine
from ascn_graph.results import curie

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data."""

    files: tuple[str, ...]
    resource: str
    message: str
    check: str

    def __str__(self) -> str:
        where = ", ".join(self.files) or "(no file)"
        return f"{where}: {self.resource}: {self.message} [{self.check}]"


@dataclass
class ValidationReport:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        lines = [str(p) for p in sorted(self.problems, key=lambda p: (p.files, p.resource))]
        lines += self.notes
        verdict = "valid" if self.ok else f"{len(self.problems)} problem(s)"
        lines.append(f"validate: {verdict}")
        return "\n".join(lines)


def _owner(graph: Graph, node):
    """The named resource a blank node (a citation) hangs from, for messages."""
    seen = 0
    while isinstance(node, BNode) and seen < 5:
        parent = next(graph.subjects(None, node), None)
        if parent is None:
            break
        node, seen = parent, seen + 1
    return node


def _problem(loaded: LoadedGraph, node, message: str, check: str) -> Problem:
    owner = _owner(loaded.graph, node)
    files = tuple(loaded.files_of(owner)) if isinstance(owner, (URIRef, BNode)) else ()
    if not files and isinstance(owner, URIRef):
        files = tuple(loaded.files_naming(owner))
    name = curie(loaded.graph, owner) if isinstance(owner, URIRef) else str(owner)
    return Problem(files, name, message, check)


def run_shapes(loaded: LoadedGraph, shapes: Graph, engine: str | None = None) -> list[Problem]:
    """The SHACL shapes over the asserted graph. On the fast engine, as SPARQL queries in
    Oxigraph (:mod:`ascn_graph.shape_queries`: pySHACL's results, tests/test_shape_queries.py)
    unless the shapes or the graph need pySHACL; on the plain engine, pySHACL."""
    found = None
    if resolve_engine(engine) == "fast":
        from ascn_graph import shape_queries
        from ascn_graph.store import OxigraphError

        compiled = shape_queries.compile(shapes)
        try:
            store = loaded.oxigraph() if compiled.supported else None
        except OxigraphError:  # a term Oxigraph cannot hold (an rdflib parse): pySHACL
            store = None
        if store is not None:
            found = shape_queries.run(compiled, loaded.graph, store)
    if found is None:
        conforms, results, _ = shacl_validate(
            loaded.graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
        )
        found = [] if conforms else [
            (results.value(result, SH.focusNode), str(results.value(result, SH.resultMessage)),
             results.value(result, SH.value))
            for result in results.subjects(SH.resultMessage, None)]
    problems = []
    for focus, message, value in found:
        if value is not None and "must be" in message:
            message += f" (got {value.n3(loaded.graph.namespace_manager)})"
        problems.append(_problem(loaded, focus, message, "shapes"))
    return problems


def run_violation_queries(loaded: LoadedGraph, folder: Path, engine: str | None = None) -> list[Problem]:
    """Every ``*-violation.rq`` of ``folder`` over the asserted graph: in Oxigraph on the
    fast engine, in rdflib on the plain one (the same rows: tests/test_store.py)."""
    graph = loaded.graph
    if resolve_engine(engine) == "fast":
        graph = loaded.oxigraph()
    problems = []
    for path in sorted(folder.glob("*-violation.rq")):
        header, text = read_query_file(path)
        for row in graph.query(text):
            problems.append(_problem(loaded, row.resource, str(row.message), header.name))
    return problems


def validate_loaded(loaded: LoadedGraph, project: Project, check_sources: bool = True,
                    engine: str | None = None) -> ValidationReport:
    report = ValidationReport()
    shapes = parse_turtle(project.shapes_file, project.relative(project.shapes_file))
    report.problems += run_shapes(loaded, shapes, engine)
    report.problems += run_violation_queries(loaded, project.validation_dir, engine)
    if check_sources:
        try:
            texts = SourceTexts(project.sources_dir())
        except SourcesNotFoundError as exc:
            report.problems.append(Problem((), "quotes", str(exc), "quotes"))
        else:
            for q in check_quotes(loaded.graph, texts):
                report.problems.append(_problem(loaded, q.claim, q.message, "quotes"))
            report.notes.append(f"quotes checked against {texts.folder}")
    else:
        report.notes.append("quotes NOT checked (--skip-quotes)")
    # one problem reported by two routes is shown once
    report.problems = list(dict.fromkeys(report.problems))
    return report


def validate(project: Project | None = None, check_sources: bool = True,
             engine: str | None = None) -> ValidationReport:
    """Validate a project's ontology and data. Syntax errors raise DataSyntaxError.
    ``engine``: where the violation queries run (``fast``: Oxigraph; ``plain``: rdflib)."""
    project = project or Project.default()
    return validate_loaded(load_project(project, engine), project, check_sources, engine)
