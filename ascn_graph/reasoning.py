"""Reasoning: the domain rules, then the OWL 2 RL closure (owlrl), repeated
until nothing new is derived.

Two engines give the same result (tests/test_fastpath.py proves it): the
*fast* one (:mod:`ascn_graph.fastpath`, the default) and the *plain* one
(:func:`reason_plain`: rdflib, the rules and owlrl's own closure). Choose with
``engine=`` or the environment variable ``ASCN_ENGINE`` (``fast`` or ``plain``).

Inferred triples are kept apart from asserted ones. owlrl's noise (triples
with a literal subject, reflexive sameAs/subClassOf/..., axiomatic triples
about the W3C vocabularies, ``rdf:type owl:Thing``) is dropped, and its
inconsistency reports (``err:ErrorMessage``) become errors.

Names joined by ``variant owl:sameAs canonical`` are merged in the *view*
the queries see: the variant's facts appear on the canonical IRI only.

>>> from rdflib import Graph, URIRef, Literal
>>> from rdflib.namespace import OWL, RDFS
>>> is_noise((Literal("x"), RDFS.label, Literal("y")))
True
>>> is_noise((URIRef("http://a"), OWL.sameAs, URIRef("http://a")))
True
>>> is_noise((URIRef("http://a"), RDFS.label, Literal("y")))
False
>>> default_engine({"ASCN_ENGINE": "plain"}), default_engine({})
('plain', 'fast')
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from ascn_graph.errors import AscnGraphError, InconsistencyError
from ascn_graph.loading import ASCN, LoadedGraph, bind_prefixes

if TYPE_CHECKING:  # rules and owlrl are imported when reasoning runs, not when a cache is read
    from ascn_graph.rules import Derivation, Rule

OWL_RL = "owl-rl"
ENGINES = ("fast", "plain")
ENGINE_ENV = "ASCN_ENGINE"
W3C_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
REFLEXIVE_NOISE = {
    OWL.sameAs,
    ASCN.mergedInto,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
}
TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource}

Triple = tuple
LAZY_FIELDS = ("asserted", "inferred", "provenance", "_view")


def is_noise(triple: Triple) -> bool:
    """True for the triples owlrl derives that carry no information."""
    s, p, o = triple
    if isinstance(s, Literal) or not isinstance(p, URIRef):
        return True
    if s == o and p in REFLEXIVE_NOISE:
        return True
    if isinstance(s, URIRef) and str(s).startswith(W3C_NAMESPACES):
        return True
    if o in TRIVIAL_TYPES and p in (RDF.type, RDFS.subClassOf, RDFS.domain, RDFS.range):
        return True
    if p == ASCN.mergedInto:  # only the asserted direction is meaningful
        return True
    return p == RDF.type and o == OWL.NamedIndividual


@dataclass
class ReasonedGraph:
    """The outcome of reasoning: asserted and inferred triples, kept apart."""

    asserted: Graph
    inferred: Graph
    provenance: dict[Triple, Derivation | str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rounds: int = 0
    engine: str = "plain"
    _view: Graph | None = None
    _store: object | None = None
    _store_path: str | None = None

    def __getattr__(self, name: str):
        """Read from the cache, the fields a query does not need are unpickled when first used."""
        if name in LAZY_FIELDS and self._unpickle():
            return self.__dict__[name]
        raise AttributeError(name)

    def __getstate__(self) -> dict:
        """A pickle leaves out the Oxigraph store (it is made again, or opened, on use)."""
        state = dict(self.__dict__)
        state["_store"] = None
        return state

    def _unpickle(self) -> bool:
        pending = self.__dict__.get("_pending")
        if pending is None:
            return False
        self.__dict__.update(pickle.loads(pending))
        self.__dict__["_pending"] = None
        return True

    def cache_parts(self) -> tuple[dict, bytes]:
        """What a cache keeps: the small fields, and the rest pickled apart (the
        Oxigraph store of the fast engine is kept on disk beside it, see :mod:`cache`, and
        its view is left out: queries read the store, and the rdflib view that export and
        explain use is made again from asserted and inferred when first asked for)."""
        fields = {name: getattr(self, name) for name in LAZY_FIELDS if name != "_view"}
        fields["_view"] = None if self.engine == "fast" else self.view()
        rest = pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL)
        return {"errors": self.errors, "rounds": self.rounds, "engine": self.engine}, rest

    @classmethod
    def from_cache_parts(cls, head: dict, rest: bytes) -> ReasonedGraph:
        """The graph as :meth:`cache_parts` kept it; ``asserted``, ``inferred`` and
        ``provenance`` are read from ``rest`` only when used.

        >>> g = ReasonedGraph(Graph(), Graph(), rounds=2)
        >>> back = ReasonedGraph.from_cache_parts(*g.cache_parts())
        >>> "asserted" in back.__dict__, back.rounds, len(back.asserted), "asserted" in back.__dict__
        (False, 2, 0, True)
        """
        graph = cls.__new__(cls)
        graph.__dict__.update(head, _pending=rest)
        return graph

    def view(self) -> Graph:
        """Asserted plus inferred, with owl:sameAs variants merged into their canonical IRI."""
        if self._view is None and not (self._unpickle() and self._view is not None):
            self._view = merged_view(self.asserted, self.inferred)
        return self._view

    def queryable(self):
        """The view where queries run: in Oxigraph on the fast engine
        (:class:`~ascn_graph.store.OxigraphGraph`), the rdflib view on the plain one.

        >>> g = ReasonedGraph(Graph(), Graph(), engine="plain")
        >>> g.queryable() is g.view()
        True
        """
        if self.engine != "fast":
            return self.view()
        if self._store is None:
            from ascn_graph.store import OxigraphGraph

            if self._store_path is not None:
                self._store = OxigraphGraph.open_read_only(self._store_path)
            if self._store is None:
                view = self._view
                self._store = OxigraphGraph.from_graph(
                    view if view is not None else view_triples(self.asserted, self.inferred))
        return self._store

    def how(self, triple: Triple) -> Derivation | str | None:
        """How an inferred triple was derived (a rule's derivation or 'owl-rl')."""
        return self.provenance.get(triple)


def variants(graph: Graph) -> dict[URIRef, URIRef]:
    """Variant IRI -> canonical IRI, from the asserted ``variant ascn:mergedInto canonical``."""
    return {
        s: o
        for s, o in graph.subject_objects(ASCN.mergedInto)
        if isinstance(s, URIRef) and isinstance(o, URIRef) and s != o
    }


KEEP_ON_VARIANT = {OWL.sameAs, ASCN.mergedInto, RDFS.label, RDF.type}


def merged_view(asserted: Graph, inferred: Graph) -> Graph:
    """Asserted + inferred, where a variant keeps only its sameAs link, type,
    labels and identity note, and its facts live on the canonical IRI."""
    view = bind_prefixes(Graph())
    for triple in view_triples(asserted, inferred):
        view.add(triple)
    return view


def view_triples(asserted: Graph, inferred: Graph) -> Iterator[Triple]:
    """The triples of :func:`merged_view`, one by one (the fast engine puts them straight
    into Oxigraph)."""
    variant_of = variants(asserted)
    canonical = set(variant_of.values())
    for graph in (asserted, inferred):
        for s, p, o in graph:
            if _in_view(asserted, variant_of, canonical, s, p, o):
                yield s, p, o


def _in_view(asserted: Graph, variant_of: dict, canonical: set, s, p, o) -> bool:
    if s in variant_of and p not in KEEP_ON_VARIANT and not _is_identity_note(p):
        return False
    if o in variant_of and p not in (OWL.sameAs, ASCN.mergedInto):
        return False
    if s in canonical and o in variant_of and p == OWL.sameAs:
        return False
    return not (p == RDFS.label and s in canonical and not _asserted_label(asserted, s, o))


def _is_identity_note(p) -> bool:
    return str(p).endswith("#identityNote")


def _asserted_label(asserted: Graph, s, label) -> bool:
    return (s, RDFS.label, label) in asserted


def _owl_rl_closure(graph: Graph) -> tuple[Graph, list[str]]:
    import owlrl
    from owlrl.Namespaces import ERRNS

    work = Graph()
    for t in graph:
        work.add(t)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(work)
    errors: list[str] = []
    for message in list(work.subjects(RDF.type, ERRNS.ErrorMessage)):
        errors.extend(str(m) for m in work.objects(message, ERRNS.error))
        work.remove((message, None, None))
    return work, errors


class EngineError(AscnGraphError, ValueError):
    """An unknown reasoning engine (in ``ASCN_ENGINE`` or ``engine=``)."""


def default_engine(environ: Mapping[str, str] | None = None) -> str:
    """The engine ``ASCN_ENGINE`` names (``fast`` unless it says ``plain``)."""
    value = (os.environ if environ is None else environ).get(ENGINE_ENV, "").strip().lower()
    if value and value not in ENGINES:
        raise EngineError(f"{ENGINE_ENV}={value!r}: expected one of {', '.join(ENGINES)}")
    return value or ENGINES[0]


def resolve_engine(engine: str | None = None) -> str:
    """``engine`` if it is known, else the default; an unknown name is an error.

    >>> resolve_engine("plain")
    'plain'
    >>> resolve_engine("quick")
    Traceback (most recent call last):
    ...
    ascn_graph.reasoning.EngineError: unknown reasoning engine 'quick': expected one of fast, plain
    """
    if engine is None:
        return default_engine()
    if engine not in ENGINES:
        raise EngineError(f"unknown reasoning engine {engine!r}: expected one of {', '.join(ENGINES)}")
    return engine


def reason(loaded: LoadedGraph, rules: list[Rule], max_rounds: int = 10,
           engine: str | None = None) -> ReasonedGraph:
    """The rules and the OWL 2 RL closure to a fixpoint, with the chosen engine
    (``fast`` or ``plain``; default: :func:`default_engine`)."""
    if resolve_engine(engine) == "plain":
        return reason_plain(loaded, rules, max_rounds)
    from ascn_graph import fastpath

    return fastpath.reason(loaded, rules, max_rounds)


def reason_plain(loaded: LoadedGraph, rules: list[Rule], max_rounds: int = 10) -> ReasonedGraph:
    """The plain path: the rules over rdflib, then owlrl's closure from scratch, each
    round, until nothing new is derived."""
    asserted = loaded.graph
    result = ReasonedGraph(asserted, bind_prefixes(Graph()))
    for rule in rules:
        rule.describe(result.inferred)
    for number in range(1, max_rounds + 1):
        result.rounds = number
        added = 0
        for rule in rules:
            for triple, derivation in rule.apply(asserted + result.inferred).items():
                if triple in asserted or triple in result.inferred or is_noise(triple):
                    continue
                result.inferred.add(triple)
                result.provenance[triple] = derivation
                added += 1
        closure, errors = _owl_rl_closure(asserted + result.inferred)
        result.errors.extend(e for e in errors if e not in result.errors)
        for triple in closure:
            if triple in asserted or triple in result.inferred or is_noise(triple):
                continue
            if any(isinstance(t, BNode) for t in triple) and triple[1] == OWL.sameAs:
                continue
            result.inferred.add(triple)
            result.provenance[triple] = OWL_RL
            added += 1
        if not added:
            break
    return result


def check_consistent(result: ReasonedGraph) -> None:
    """Raise if the closure reported inconsistencies."""
    if result.errors:
        raise InconsistencyError(result.errors)


__all__ = ["ReasonedGraph", "reason", "reason_plain", "default_engine", "resolve_engine",
           "EngineError", "check_consistent", "is_noise", "merged_view", "SKOS"]
