"""The graph in Oxigraph: the query engine of the fast path (issue 6).

:class:`OxigraphGraph` holds a graph in a pyoxigraph ``Store`` and answers
the part of rdflib's ``Graph`` interface that queries, checks, results and
pages read (``query``, ``objects``, ``subjects``, ``value``, ``triples``,
``in``, ``len``, ``namespace_manager``), with rdflib terms in and out. So the
code that renders a table or follows a citation does not care which engine
answered; ``tests/test_store.py`` proves both engines give the same answers to
every saved query, check and validation query.

Oxigraph cannot take bindings beside a query unless the variable is projected,
so parameters are bound with a ``VALUES`` block of checked terms
(:mod:`ascn_graph.binding`), as for a remote endpoint.

A store copied from an rdflib graph, or saved to disk and opened again,
keeps the graph's blank node labels.

>>> from rdflib import Graph, Literal, URIRef, Variable
>>> from rdflib.namespace import RDFS
>>> g = Graph()
>>> x = URIRef("https://w3id.org/ascn-graph/id/country/indonesia")
>>> _ = g.add((x, RDFS.label, Literal("Indonesia", lang="en")))
>>> ox = OxigraphGraph.from_graph(g)
>>> len(ox), (x, RDFS.label, Literal("Indonesia", lang="en")) in ox
(1, True)
>>> text = "SELECT ?name WHERE { ?who <http://www.w3.org/2000/01/rdf-schema#label> ?name }"
>>> [row.name for row in ox.query(text, initBindings={Variable("who"): x})]
[rdflib.term.Literal('Indonesia', lang='en')]
>>> is_oxigraph(ox), is_oxigraph(g)
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD, NamespaceManager
from rdflib.query import Result

from ascn_graph.binding import with_values
from ascn_graph.errors import AscnGraphError
from ascn_graph.loading import bind_prefixes

_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
_DEFAULT = ox.DefaultGraph()
_NAMESPACES: NamespaceManager | None = None


class OxigraphError(AscnGraphError):
    """A term Oxigraph does not accept, or a query it cannot answer."""


def to_ox(term):
    """An rdflib term as a pyoxigraph term (None stays None: any value).

    >>> to_ox(Literal("2024", datatype=XSD.gYear))
    <Literal value=2024 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#gYear>>
    """
    if term is None:
        return None
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    except ValueError as exc:
        raise OxigraphError(f"{str(term)!r}: not accepted by Oxigraph: {exc}") from None
    raise OxigraphError(f"{term!r}: not an RDF term")


def from_ox(term):
    """A pyoxigraph term as an rdflib term; a simple literal has no datatype, as in rdflib.

    >>> from_ox(ox.Literal("x"))
    rdflib.term.Literal('x')
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            if getattr(term, "direction", None):
                raise OxigraphError(f"{term}: a base direction (RDF 1.2), which rdflib cannot hold")
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_STRING, _LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise OxigraphError(f"{term!r}: an RDF-star term, which the project does not use")


def _namespaces() -> NamespaceManager:
    global _NAMESPACES
    if _NAMESPACES is None:
        _NAMESPACES = bind_prefixes(Graph()).namespace_manager
    return _NAMESPACES


def is_oxigraph(graph) -> bool:
    """Whether ``graph`` is answered by Oxigraph (the fast engine), which takes query text,
    rather than by rdflib."""
    return getattr(graph, "engine", None) == OxigraphGraph.engine


class OxigraphGraph:
    """A read-only graph in an in-memory Oxigraph store, read like an rdflib ``Graph``."""

    engine = "oxigraph"

    def __init__(self, store: ox.Store | None = None) -> None:
        self.store = store if store is not None else ox.Store()

    @classmethod
    def from_graph(cls, graph: Iterable) -> OxigraphGraph:
        """Copy an rdflib graph (or any iterable of rdflib triples) term by term:
        blank nodes keep their labels."""
        made, known = cls(), {}

        def convert(term):
            converted = known.get(term)
            if converted is None:
                converted = known[term] = to_ox(term)
            return converted

        made.store.extend(ox.Quad(convert(s), convert(p), convert(o), _DEFAULT)
                          for s, p, o in graph)
        return made

    @classmethod
    def open_read_only(cls, path: str) -> OxigraphGraph | None:
        """A store written by :meth:`save`, opened read-only; None if it cannot be opened
        (missing or damaged: the caller rebuilds it)."""
        try:
            return cls(ox.Store.read_only(path))
        except (OSError, ValueError, RuntimeError):
            return None

    def save(self, path: str) -> None:
        """Write the store to a new folder ``path`` (blank nodes keep their labels)."""
        on_disk = ox.Store(path)
        on_disk.bulk_extend(self.store)
        on_disk.flush()
        del on_disk

    # -- SPARQL ----------------------------------------------------------------

    def query(self, query: str, initBindings: Mapping | None = None, **_ignored) -> Result:  # noqa: N803
        """Run a SPARQL query (text) with optional bindings; an rdflib ``Result``."""
        if not isinstance(query, str):
            raise OxigraphError("Oxigraph runs query text, not an rdflib prepared query")
        if initBindings:
            query = with_values(query, {str(k): v for k, v in initBindings.items()})
        return _result(self.answer(query))

    def answer(self, query: str):
        """Oxigraph's own answer to a query; its errors as :class:`OxigraphError`."""
        try:
            return self.store.query(query)
        except SyntaxError as exc:
            raise OxigraphError(f"query does not parse: {exc}") from None
        except (OSError, RuntimeError) as exc:
            raise OxigraphError(f"query failed: {exc}") from None

    # -- the read side of rdflib's Graph -----------------------------------------

    def triples(self, pattern) -> Iterator[tuple]:
        """The triples matching ``(s, p, o)`` (None: any); a pattern that cannot match
        (a literal subject, a string that is not an RDF term) matches nothing, as in rdflib."""
        s, p, o = pattern
        if p is not None and not isinstance(p, URIRef):
            return
        if s is not None and not isinstance(s, (URIRef, BNode)):
            return
        if o is not None and not isinstance(o, (URIRef, BNode, Literal)):
            return
        for quad in self.store.quads_for_pattern(to_ox(s), to_ox(p), to_ox(o), _DEFAULT):
            yield from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)

    def __iter__(self) -> Iterator[tuple]:
        return self.triples((None, None, None))

    def __len__(self) -> int:
        return len(self.store)

    def __contains__(self, triple) -> bool:
        return next(self.triples(triple), None) is not None

    def objects(self, subject=None, predicate=None) -> Iterator:
        for _, _, o in self.triples((subject, predicate, None)):
            yield o

    def subjects(self, predicate=None, object=None) -> Iterator:  # noqa: A002
        for s, _, _ in self.triples((None, predicate, object)):
            yield s

    def predicate_objects(self, subject=None) -> Iterator[tuple]:
        for _, p, o in self.triples((subject, None, None)):
            yield p, o

    def subject_objects(self, predicate=None) -> Iterator[tuple]:
        for s, _, o in self.triples((None, predicate, None)):
            yield s, o

    def value(self, subject=None, predicate=RDF.value, object=None, default=None, any=True):  # noqa: A002
        """The first value where one of subject or object is given (rdflib's ``any=True``)."""
        if object is None:
            found = next(self.objects(subject, predicate), None)
        else:
            found = next(self.subjects(predicate, object), None)
        return default if found is None else found

    @property
    def namespace_manager(self) -> NamespaceManager:
        return _namespaces()


def _result(answer) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
        return result
    if isinstance(answer, ox.QuerySolutions):
        from rdflib import Variable

        names = [v.value for v in answer.variables]
        result = Result("SELECT")
        result.vars = [Variable(n) for n in names]
        result.bindings = [
            {Variable(n): from_ox(solution[n]) for n in names if solution[n] is not None}
            for solution in answer
        ]
        return result
    result = Result("CONSTRUCT")
    graph = bind_prefixes(Graph())
    for triple in answer:
        graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
    result.graph = graph
    return result
