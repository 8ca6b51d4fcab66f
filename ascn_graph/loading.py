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
class LoadedGraph:
    """The asserted graph and, for messages, which file said what."""

    graph: Graph
    per_file: dict[str, Graph] = field(default_factory=dict)
    digest: str = ""

    def files_of(self, resource: URIRef) -> list[str]:
        """The files in which ``resource`` is the subject of a triple."""
        return [name for name, g in self.per_file.items() if (resource, None, None) in g]


def digest_files(files: list[Path]) -> str:
    """A hash of the files' names and contents, to key caches."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def load_files(files: list[Path], project: Project | None = None) -> LoadedGraph:
    """Load the given Turtle files into one graph."""
    loaded = LoadedGraph(bind_prefixes(Graph()))
    for path in files:
        name = project.relative(path) if project else str(path)
        part = parse_turtle(path, name)
        loaded.per_file[name] = part
        loaded.graph += part
    loaded.digest = digest_files(files)
    return loaded


def load_project(project: Project) -> LoadedGraph:
    """Ontology and data of a project, as asserted."""
    return load_files(project.graph_files(), project)
