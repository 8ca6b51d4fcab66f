"""Turtle files -> graphs. A syntax error names the file and the line.

>>> from ascn_graph.project import Project
>>> loaded = load_project(Project.default())
>>> len(loaded.graph) > 1000
True
>>> any(f.endswith("core.ttl") for f in loaded.files_of(NS_ID["country/indonesia"]))
True
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from ascn_graph.errors import DataSyntaxError
from ascn_graph.project import Project

ASCN = Namespace("https://w3id.org/ascn-graph/ontology#")
NS_ID = Namespace("https://w3id.org/ascn-graph/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes (ascn:, org:, prov:, and one per kind of thing)."""
    graph.bind("ascn", ASCN)
    graph.bind("org", ORG)
    graph.bind("prov", PROV)
    graph.bind("schema", SCHEMA, override=True, replace=True)
    for kind in KINDS:
        graph.bind(kind, NS_ID[kind + "/"])
    return graph


KINDS = (
    "country city place organization person position tenure membership event participation "
    "delegation project partnership programme document measurement indicator source "
    "disagreement unknown rule rule-statement exception"
).split()


def parse_turtle(path: Path, label: str | None = None) -> Graph:
    """Parse one Turtle file; a syntax error becomes a DataSyntaxError with its line.

    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.ttl"
    >>> _ = bad.write_text('@prefix a: <http://x/> .\\na:b a:c a:d .\\na:e a:f "oops .\\n')
    >>> parse_turtle(bad, "bad.ttl")
    Traceback (most recent call last):
    ...
    ascn_graph.errors.DataSyntaxError: bad.ttl, line 3: newline found in string literal
    """
    name = label or str(path)
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except BadSyntax as exc:
        raise DataSyntaxError(name, exc.lines + 1, exc._why) from None
    except (ValueError, TypeError) as exc:
        raise DataSyntaxError(name, None, str(exc)) from None
    except OSError as exc:
        raise DataSyntaxError(name, None, f"cannot read: {exc.strerror or exc}") from None
    return graph


@dataclass
class FileTerms:
    """The subjects and objects of one file's triples, to say which file a message is about."""

    subjects: set = field(default_factory=set)
    objects: set = field(default_factory=set)

    @classmethod
    def of(cls, triples) -> FileTerms:
        terms = cls()
        for s, _, o in triples:
            terms.subjects.add(s)
            terms.objects.add(o)
        return terms


@dataclass
class LoadedGraph:
    """The asserted graph and, for messages, which file said what."""

    graph: Graph
    per_file: dict[str, FileTerms] = field(default_factory=dict)
    digest: str = ""
    _oxigraph: object | None = field(default=None, repr=False, compare=False)

    def files_of(self, resource: URIRef) -> list[str]:
        """The files in which ``resource`` is the subject of a triple."""
        return [name for name, terms in self.per_file.items() if resource in terms.subjects]

    def files_naming(self, resource: URIRef) -> list[str]:
        """The files in which ``resource`` is the object of a triple."""
        return [name for name, terms in self.per_file.items() if resource in terms.objects]

    def oxigraph(self):
        """The asserted graph copied into Oxigraph once, for the fast engine's shapes and
        violation queries (:class:`~ascn_graph.store.OxigraphGraph`; OxigraphError if it
        holds a term Oxigraph does not accept)."""
        if self._oxigraph is None:
            from ascn_graph.store import OxigraphGraph

            self._oxigraph = OxigraphGraph.from_graph(self.graph)
        return self._oxigraph


def digest_files(files: list[Path]) -> str:
    """A hash of the files' names and contents, to key caches."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def read_turtle(path: Path, label: str | None = None) -> list[tuple]:
    """The triples of one Turtle file, parsed by Oxigraph (the fast engine: 20-30 times
    rdflib's speed), as rdflib terms; a syntax error names the file and the line. An
    ``"x"^^xsd:string`` comes back as the simple literal ``"x"`` (the same RDF 1.1 term;
    rdflib's parser keeps the datatype written).

    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.ttl"
    >>> _ = bad.write_text('@prefix a: <http://x/> .\\na:b a:c a:d .\\nx:e a:f "oops" .\\n')
    >>> read_turtle(bad, "bad.ttl")
    Traceback (most recent call last):
    ...
    ascn_graph.errors.DataSyntaxError: bad.ttl, line 3: the prefix x: has not been declared
    """
    import pyoxigraph as ox

    from ascn_graph.store import OxigraphError, from_ox

    name = label or str(path)
    try:
        parsed = list(ox.parse(path=path, format=ox.RdfFormat.TURTLE,
                               base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        message = str(exc.msg).split(": ", 1)[-1]
        raise DataSyntaxError(name, exc.lineno, message[:1].lower() + message[1:]) from None
    except OSError as exc:
        raise DataSyntaxError(name, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in parsed]
    except OxigraphError as exc:
        raise DataSyntaxError(name, None, str(exc)) from None


def load_files(files: list[Path], project: Project | None = None,
               engine: str | None = None) -> LoadedGraph:
    """Load the given Turtle files into one graph: parsed by Oxigraph on the fast engine,
    by rdflib on the plain one (``engine``; default ``ASCN_ENGINE``, else fast)."""
    from ascn_graph.reasoning import resolve_engine

    fast = resolve_engine(engine) == "fast"
    loaded = LoadedGraph(bind_prefixes(Graph()))
    add = loaded.graph.add
    for path in files:
        name = project.relative(path) if project else str(path)
        triples = read_turtle(path, name) if fast else parse_turtle(path, name)
        loaded.per_file[name] = FileTerms.of(triples)
        for triple in triples:
            add(triple)
    loaded.digest = digest_files(files)
    return loaded


def load_project(project: Project, engine: str | None = None) -> LoadedGraph:
    """Ontology and data of a project, as asserted (parsed as :func:`load_files` says)."""
    return load_files(project.graph_files(), project, engine)
