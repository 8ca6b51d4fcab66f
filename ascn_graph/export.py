"""Export the graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML.

- **What**: the asserted facts, or with ``inferred=True`` the graph the saved
  queries see (asserted + inferred, a merged name's facts on its canonical IRI).
- **Deterministic**: blank nodes (citations) become Skolem IRIs derived from
  their content (``ascn_graph.skolem``), everything is written sorted, so the
  same input gives the same bytes.
- **Provenance** (TriG, N-Quads): one named graph per source document, named
  by the source's IRI. A *claim* is anything with an ``ascn:citation``. The
  graph of source S holds every triple of each claim that cites S, and of its
  citations only the one from S (the citation's own triples and the links to
  it). A claim cited by two sources is in both graphs. Triples about anything
  that cites nothing (the ontology, countries, people, the sources
  themselves, inferred claims) are in the default graph. The union of all
  graphs is the export in the other formats.
- **Atomic**: written to a temporary file in the target folder, then renamed
  over the target; on failure the old file is untouched and no part is left.
- **VoID/DCAT**: ``void.ttl`` beside the output describes it.

>>> sorted(FORMATS)
['json-ld', 'nquads', 'nt', 'trig', 'turtle', 'xml']
>>> from rdflib import Graph, Literal, URIRef
>>> from ascn_graph.loading import ASCN, NS_ID, PROV
>>> g, c = Graph(), NS_ID[".well-known/genid/1"]
>>> _ = g.add((NS_ID["tenure/t"], ASCN.citation, c))
>>> _ = g.add((c, PROV.entity, NS_ID["source/seed-004"]))
>>> _ = g.add((NS_ID["country/indonesia"], ASCN.ordinal, Literal(1)))
>>> sorted((str(k).rsplit("/", 1)[-1] if k else "default", len(v)) for k, v in by_source(g).items())
[('default', 1), ('seed-004', 2)]
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from ascn_graph.formats import EXPORT_FORMATS
from ascn_graph.jsonld import CONTEXT_FILE, jsonld, load_context, make_context
from ascn_graph.loading import ASCN, PROV, bind_prefixes
from ascn_graph.project import Project
from ascn_graph.reasoning import ReasonedGraph
from ascn_graph.skolem import skolem_map, skolemize
from ascn_graph.void import describe
from ascn_graph.writers import ExportError, nquads, ntriples, rdfxml, trig, turtle

FORMATS = EXPORT_FORMATS
VOID_FILE = "void.ttl"


def published(graph: ReasonedGraph, inferred: bool = True) -> Graph:
    """The graph as it leaves the program: asserted (or the query view with
    inferences), blank nodes skolemized with names taken from the asserted graph."""
    mapping = skolem_map(graph.asserted, graph.inferred)
    return bind_prefixes(skolemize(graph.view() if inferred else graph.asserted, mapping))


def by_source(graph: Graph) -> dict[URIRef | None, set[tuple]]:
    """Triples by the named graph they go in (None: the default graph)."""
    source_of = {
        c: s for c, s in graph.subject_objects(PROV.entity)
        if isinstance(s, URIRef) and (None, ASCN.citation, c) in graph
    }
    sources_of: dict = defaultdict(set)
    for claim, citation in graph.subject_objects(ASCN.citation):
        if citation in source_of:
            sources_of[claim].add(source_of[citation])
    graphs: dict[URIRef | None, set[tuple]] = defaultdict(set)
    for s, p, o in graph:
        if s in source_of:
            graphs[source_of[s]].add((s, p, o))
        elif o in source_of:
            graphs[source_of[o]].add((s, p, o))
        elif sources_of.get(s):
            for source in sources_of[s]:
                graphs[source].add((s, p, o))
        else:
            graphs[None].add((s, p, o))
    return dict(graphs)


def context_for(graph: Graph, project: Project | None) -> dict:
    """The published JSON-LD context, or one made from the graph if there is none."""
    folder = (project or Project.default()).ontology_dir
    if (folder / CONTEXT_FILE).exists():
        return load_context(folder)
    return make_context(graph)


def serialize(graph: Graph, fmt: str, project: Project | None = None) -> str:
    """The text of ``graph`` in ``fmt`` (one of FORMATS)."""
    if fmt == "turtle":
        return turtle(graph)
    if fmt == "nt":
        return ntriples(graph)
    if fmt == "xml":
        return rdfxml(graph)
    if fmt == "json-ld":
        return jsonld(graph, context_for(graph, project))
    if fmt in ("trig", "nquads"):
        graphs = by_source(graph)
        if fmt == "trig":
            return trig(graphs)
        return nquads((s, p, o, g) for g, triples in graphs.items() for s, p, o in triples)
    raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(sorted(FORMATS))}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path = Path(path)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass
class ExportReport:
    """What an export wrote."""

    path: Path
    triples: int
    graphs: int
    void: Path | None

    def __str__(self) -> str:
        named = f" in {self.graphs} named graphs + the default graph" if self.graphs else ""
        void = f"; VoID/DCAT description in {self.void}" if self.void else ""
        return f"{self.triples} triples written to {self.path}{named}{void}"


def export(
    graph: ReasonedGraph,
    fmt: str,
    out_path: str | Path,
    inferred: bool = False,
    project: Project | None = None,
    void: bool = True,
    sparql_endpoint: str | None = None,
    download_url: str | None = None,
) -> ExportReport:
    """Write the graph to ``out_path`` in ``fmt``, and ``void.ttl`` beside it."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(sorted(FORMATS))}")
    target = Path(out_path)
    if target.name == VOID_FILE and void:
        raise ExportError(f"{VOID_FILE} is where the dataset description goes; choose another name")
    if not target.parent.is_dir():
        raise ExportError(f"cannot write {target}: the folder {target.parent} does not exist")
    data = published(graph, inferred)
    text = serialize(data, fmt, project)
    subsets = by_source(data)
    description = None
    if void:
        description = turtle(describe(data, sparql_endpoint, subsets,
                                      (fmt, target.name, download_url), inferred))
    try:
        write_atomic(target, text.encode("utf-8"))
        if description is not None:
            write_atomic(target.parent / VOID_FILE, description.encode("utf-8"))
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    named = len([g for g in subsets if g is not None]) if fmt in ("trig", "nquads") else 0
    return ExportReport(target, len(data), named, target.parent / VOID_FILE if void else None)
