"""A faster reasoning path with the same results as :mod:`ascn_graph.reasoning` (issue 6).

The plain path (``reasoning.reason_plain``) is kept as it is; this module is
the default engine (``reasoning.reason`` with ``engine="fast"``), proven equal
by ``tests/test_fastpath.py`` (same asserted and inferred triples, the same
rule or ``owl-rl`` behind each inferred triple, the same inconsistency
messages) on the real graph, on synthetic ones and on small graphs that use
each OWL construct the ontology uses. What it changes:

1. **The OWL 2 RL closure.** owlrl re-reads every triple of the graph in
   every cycle, through rdflib's store, and the build repeats the closure
   from scratch in every round. :class:`OwlRlClosure` computes the same
   closure (owlrl's own rules, with ``axiomatic_triples=False,
   datatype_axioms=False`` as the project runs it) semi-naively: terms are
   numbered once, every new triple is joined once against hash indexes, and
   the state carries over from round to round (the closure is monotone, so
   adding the rules' new triples and continuing gives the closure of the
   whole). It implements the rules our ontology uses: rdfs:subClassOf,
   rdfs:subPropertyOf, rdfs:domain, rdfs:range, owl:equivalentClass,
   owl:equivalentProperty, owl:TransitiveProperty, owl:sameAs (with
   ascn:mergedInto below it), owl:disjointWith and owl:Nothing (as errors),
   and owlrl's one-time datatype rules (including its lexical checks). If the
   graph ever uses any other OWL construct (a functional or inverse
   functional property, a restriction, a property chain, ``owl:inverseOf``,
   ``owl:differentFrom``...), or a datatype as a class of a resource, it
   says so and the closure falls back to owlrl itself: the results stay
   owlrl's.
2. **No redundant closure.** A round whose rules add nothing ends the
   fixpoint: its closure would be the closure of a graph already closed.
   (Not after a fall-back: owlrl's own closure is not idempotent when a
   resource gets a datatype as its class, so then every round runs as on
   the plain path.)
3. **No graph copies.** The rules run over one union graph (asserted +
   inferred) kept up to date, instead of a fresh ``asserted + inferred`` copy
   for every rule in every round.
4. **The rules' WHERE clauses run in Oxigraph.** That union is a
   :class:`RulesStore` (pyoxigraph), and each rule's WHERE clause is its
   ``SELECT *`` query there (:meth:`ascn_graph.rules.Rule.apply`); template,
   premises and provenance are filled in as on the plain path. Literals
   Oxigraph would not give back as written go in as stand-ins, and a rule
   that reads the value of one runs over rdflib (:meth:`RulesStore.runs`); so
   does every rule if Oxigraph rejects a term of the graph. The rule files are
   written to mean the same in both engines: no ``IRI()`` of a string that may
   not be an IRI, no ``STR()`` of a blank node, no ``xsd:integer()`` of what
   only Python's ``int()`` reads.

Where several bindings of one rule derive the same triple, which of them is
kept as its :class:`~ascn_graph.rules.Derivation` depends on the order the
store yields solutions in; that order is not fixed on the plain path either
(owlrl adds triples from a ``set``), so only the rule and valid premises are
promised, not the particular binding.

>>> from ascn_graph.project import Project
>>> from ascn_graph.loading import load_project
>>> from ascn_graph.rules import load_rules
>>> result = reason(load_project(Project.default()), load_rules(Project.default()))
>>> result.rounds >= 2 and len(result.inferred) > 0
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain

import pyoxigraph as ox
from owlrl import DatatypeHandling
from owlrl.AxiomaticTriples import OWLRL_Datatypes_Disjointness
from owlrl.DatatypeHandling import AltXSDToPYTHON
from owlrl.OWLRL import OWLRL_Annotation_properties
from owlrl.XsdDatatypes import OWL_Datatype_Subsumptions, OWL_RL_Datatypes
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.query import Result

from ascn_graph.loading import LoadedGraph, bind_prefixes
from ascn_graph.reasoning import OWL_RL, ReasonedGraph, _owl_rl_closure, is_noise
from ascn_graph.rules import Rule
from ascn_graph.store import OxigraphError, OxigraphGraph, from_ox, to_ox

Triple = tuple

#: OWL constructs whose rules this engine does not implement: if one appears, owlrl runs.
UNSUPPORTED_PREDICATES = (
    OWL.propertyChainAxiom, OWL.propertyDisjointWith, OWL.inverseOf, OWL.hasKey,
    OWL.sourceIndividual, OWL.intersectionOf, OWL.unionOf, OWL.complementOf,
    OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasValue, OWL.maxCardinality,
    OWL.maxQualifiedCardinality, OWL.oneOf, OWL.differentFrom,
)
UNSUPPORTED_TYPES = (
    OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.IrreflexiveProperty,
    OWL.SymmetricProperty, OWL.AsymmetricProperty, OWL.AllDisjointProperties,
    OWL.AllDifferent, OWL.AllDisjointClasses,
)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)


_EMPTY: dict = {}


class Unsupported(Exception):
    """The graph uses an OWL construct this engine leaves to owlrl."""


def _identity(value):
    return value


class OwlRlClosure:
    """owlrl's OWL 2 RL closure, computed semi-naively and kept across rounds.

    ``add(triples)`` then ``run()``; ``new_triples()`` yields the triples
    derived since the last call (what owlrl would add to the graph), and
    ``errors`` its inconsistency messages. Raises :class:`Unsupported` when
    owlrl must be used instead.

    >>> from rdflib import URIRef
    >>> from rdflib.namespace import RDFS
    >>> a, b, c, x = (URIRef(f"http://example.org/{n}") for n in "abcx")
    >>> engine = OwlRlClosure()
    >>> engine.add([(a, RDFS.subClassOf, b), (b, RDFS.subClassOf, c), (x, RDF.type, a)])
    >>> engine.run()
    >>> sorted(t for t in engine.new_triples() if t[1] == RDF.type and t[0] == x)[-1][2] == c
    True
    """

    def __init__(self) -> None:
        self.ids: dict[object, int] = {}
        self.terms: list[object] = []
        self.spo: dict[int, dict[int, set[int]]] = {}
        self.pos: dict[int, dict[int, set[int]]] = {}
        self.osp: dict[int, dict[int, set[int]]] = {}
        self.queue: list[tuple[int, int, int]] = []
        self.derived: list[tuple[int, int, int]] = []
        self.reported = 0
        self.literal_types: dict[int, int] = {}
        self.used_datatypes: set[int] = set()
        self.datatype_errors: list[str] = []
        self.errors: list[str] = []
        self.input_phase = True
        self.literal: list[bool] = []
        self.bnode: list[bool] = []
        i = self.id
        self.TYPE, self.SCO, self.SPO = i(RDF.type), i(RDFS.subClassOf), i(RDFS.subPropertyOf)
        self.DOM, self.RNG = i(RDFS.domain), i(RDFS.range)
        self.EQC, self.EQP, self.SAME = i(OWL.equivalentClass), i(OWL.equivalentProperty), i(OWL.sameAs)
        self.DW, self.CLASS, self.THING = i(OWL.disjointWith), i(OWL.Class), i(OWL.Thing)
        self.NOTHING, self.TRANS = i(OWL.Nothing), i(OWL.TransitiveProperty)
        self.DATATYPE = i(RDFS.Datatype)
        self.PROPERTY_TYPES = {i(t) for t in PROPERTY_TYPES}
        self.UNSUPPORTED_P = {i(t) for t in UNSUPPORTED_PREDICATES}
        self.UNSUPPORTED_T = {i(t) for t in UNSUPPORTED_TYPES}
        self.RL_DATATYPES = {i(t) for t in OWL_RL_Datatypes}
        self.SUBSUMPTIONS = {i(k): [i(t) for t in v] for k, v in OWL_Datatype_Subsumptions.items()}
        self.DISJOINT = [(i(s), i(o)) for s, _, o in OWLRL_Datatypes_Disjointness]
        self._one_time_axioms()

    # -- terms and the store --------------------------------------------------------------

    def id(self, term) -> int:
        """The number of a term (rdflib's equality, as its store uses)."""
        number = self.ids.get(term)
        if number is None:
            number = self.ids[term] = len(self.terms)
            self.terms.append(term)
            self.literal.append(isinstance(term, Literal))
            self.bnode.append(isinstance(term, BNode))
        return number

    def has(self, s: int, p: int, o: int) -> bool:
        return o in self.spo.get(s, _EMPTY).get(p, ())

    def _put(self, s: int, p: int, o: int) -> bool:
        by_p = self.spo.setdefault(s, {})
        objects = by_p.get(p)
        if objects is None:
            objects = by_p[p] = set()
        elif o in objects:
            return False
        objects.add(o)
        self.pos.setdefault(p, {}).setdefault(o, set()).add(s)
        self.osp.setdefault(o, {}).setdefault(s, set()).add(p)
        return True

    def _derive(self, s: int, p: int, o: int) -> None:
        """owlrl's store_triple: never a literal predicate; reflexive sameAs is left implicit."""
        if self.literal[p] or (p == self.SAME and s == o):
            return
        if self._put(s, p, o):
            self.queue.append((s, p, o))
            self.derived.append((s, p, o))

    def objects(self, s: int, p: int) -> Iterable[int]:
        return self.spo.get(s, _EMPTY).get(p, ())

    def subjects(self, p: int, o: int) -> Iterable[int]:
        return self.pos.get(p, _EMPTY).get(o, ())

    def pairs(self, p: int) -> Iterator[tuple[int, int]]:
        for o, subjects in list(self.pos.get(p, _EMPTY).items()):
            for s in list(subjects):
                yield s, o

    # -- input ------------------------------------------------------------------------------

    def add(self, triples: Iterable[Triple]) -> None:
        """Add input triples (the graph owlrl would be given); ``run()`` closes over them."""
        literal_objects = []
        for s, p, o in triples:
            si, pi, oi = self.id(s), self.id(p), self.id(o)
            if self._put(si, pi, oi):
                self.queue.append((si, pi, oi))
                if self.literal[oi]:
                    literal_objects.append(oi)
                if pi == self.TYPE and oi in self.RL_DATATYPES:
                    raise Unsupported(f"{s} is typed with the datatype {o}")
                if pi == self.SAME and self.literal[oi]:
                    raise Unsupported(f"{s} owl:sameAs the literal {o}")
        self._datatypes(literal_objects)

    def _one_time_axioms(self) -> None:
        """owlrl's cls-thing, cls-nothing, prp-ap and dt-type1."""
        self._derive(self.THING, self.TYPE, self.CLASS)
        self._derive(self.NOTHING, self.TYPE, self.CLASS)
        for prop in OWLRL_Annotation_properties:
            self._derive(self.id(prop), self.TYPE, self.id(OWL.AnnotationProperty))
        for dt in OWL_RL_Datatypes:
            self._derive(self.id(dt), self.TYPE, self.DATATYPE)

    def _datatypes(self, literal_objects: list[int]) -> None:
        """owlrl's dt-type2 and dt-not-type for new literals, their supertypes, and the
        disjointness of the datatypes in use."""
        for lt in literal_objects:
            if lt in self.literal_types:
                continue
            term = self.terms[lt]
            if term.datatype is None or term.datatype not in OWL_RL_Datatypes:
                continue
            dt = self.id(term.datatype)
            self.literal_types[lt] = dt
            self.used_datatypes.add(dt)
            self._derive(lt, self.TYPE, dt)
            try:
                AltXSDToPYTHON.get(term.datatype, _identity)(str(term))
            except ValueError:
                message = (f"Lexical value of the literal '{term}' does not match"
                           f" its datatype ({term.datatype})")
                if message not in self.datatype_errors:
                    self.datatype_errors.append(message)
            for wider in self.SUBSUMPTIONS.get(dt, ()):
                self._derive(lt, self.TYPE, wider)
                self._derive(wider, self.TYPE, self.DATATYPE)
                self.used_datatypes.add(wider)
        for left, right in self.DISJOINT:
            if left in self.used_datatypes and right in self.used_datatypes:
                self._derive(left, self.DW, right)

    # -- the fixpoint -------------------------------------------------------------------------

    def run(self) -> None:
        """Apply the rules until nothing new is derived."""
        queue = self.queue
        while queue:
            batch, self.queue = queue, []
            for triple in batch:
                self._fire(*triple)
            queue = self.queue
        self._check()

    def _fire(self, s: int, p: int, o: int) -> None:  # noqa: C901 - one branch per rule group
        d = self._derive
        if p in self.UNSUPPORTED_P or s == self.SAME:
            raise Unsupported(f"uses {self.terms[p] if p in self.UNSUPPORTED_P else self.terms[s]}")
        # the triple as data (x p y): prp-dom, prp-rng, prp-spo1, prp-eqp, prp-trp, eq-rep-*
        for c in list(self.objects(p, self.DOM)):
            d(s, self.TYPE, c)
        for c in list(self.objects(p, self.RNG)):
            d(o, self.TYPE, c)
        for p2 in list(self.objects(p, self.SPO)):
            d(s, p2, o)
        for p2 in list(self.objects(p, self.EQP)):
            if p2 != p:
                d(s, p2, o)
        for p1 in list(self.subjects(self.EQP, p)):
            if p1 != p:
                d(s, p1, o)
        if self.has(p, self.TYPE, self.TRANS):
            for z in list(self.objects(o, p)):
                d(s, p, z)
            for w in list(self.subjects(p, s)):
                d(w, p, o)
        for s2 in list(self.objects(s, self.SAME)):
            d(s2, p, o)
        for p2 in list(self.objects(p, self.SAME)):
            d(s, p2, o)
        for x in list(self.subjects(self.SAME, o)):
            d(s, p, x)
        # the triple as a schema or equality axiom
        if p == self.TYPE:
            if o in self.UNSUPPORTED_T:
                raise Unsupported(f"uses {self.terms[o]}")
            if o in self.RL_DATATYPES and not self.literal[s]:
                raise Unsupported(f"{self.terms[s]} is typed with the datatype {self.terms[o]}")
            for c2 in list(self.objects(o, self.SCO)):  # cax-sco
                if c2 != o:
                    d(s, self.TYPE, c2)
            for c2 in list(self.objects(o, self.EQC)):  # cax-eqc1
                if c2 != o:
                    d(s, self.TYPE, c2)
            for c1 in list(self.subjects(self.EQC, o)):  # cax-eqc2
                if c1 != o:
                    d(s, self.TYPE, c1)
            if o == self.CLASS:  # scm-cls
                d(s, self.SCO, s)
                d(s, self.EQC, s)
                d(s, self.SCO, self.THING)
                d(self.NOTHING, self.SCO, s)
            elif o in self.PROPERTY_TYPES:  # scm-op, scm-dp
                d(s, self.SPO, s)
                d(s, self.EQP, s)
            elif o == self.TRANS:  # prp-trp, the axiom arriving last
                for x, y in list(self.pairs(s)):
                    for z in list(self.objects(y, s)):
                        d(x, s, z)
        elif p == self.SCO:
            if s != o:
                for x in list(self.subjects(self.TYPE, s)):  # cax-sco
                    d(x, self.TYPE, o)
                for c3 in list(self.objects(o, self.SCO)):  # scm-sco, as first premise
                    if c3 != s:
                        d(s, self.SCO, c3)
                for pp in list(self.subjects(self.DOM, s)):  # scm-dom1, as second premise
                    d(pp, self.DOM, o)
                for pp in list(self.subjects(self.RNG, s)):  # scm-rng1, as second premise
                    d(pp, self.RNG, o)
            for c1 in list(self.subjects(self.SCO, s)):  # scm-sco, as second premise
                if c1 != s and c1 != o:
                    d(c1, self.SCO, o)
            if self.has(o, self.SCO, s):  # scm-eqc2, both ways round
                d(s, self.EQC, o)
                d(o, self.EQC, s)
        elif p == self.EQC:
            if s != o:
                for x in list(self.subjects(self.TYPE, s)):  # cax-eqc1
                    d(x, self.TYPE, o)
                for x in list(self.subjects(self.TYPE, o)):  # cax-eqc2
                    d(x, self.TYPE, s)
                d(s, self.SCO, o)  # scm-eqc
                d(o, self.SCO, s)
        elif p == self.SPO:
            for x, y in list(self.pairs(s)):  # prp-spo1
                d(x, o, y)
            if s != o:
                for p3 in list(self.objects(o, self.SPO)):  # scm-spo, as first premise
                    if p3 != s:
                        d(s, self.SPO, p3)
                if self.has(o, self.SPO, s):  # scm-eqp2, both ways round
                    d(s, self.EQP, o)
                    d(o, self.EQP, s)
                for c in list(self.objects(o, self.DOM)):  # scm-dom2, as second premise
                    d(s, self.DOM, c)
                for c in list(self.objects(o, self.RNG)):  # scm-rng2, as second premise
                    d(s, self.RNG, c)
            for p1 in list(self.subjects(self.SPO, s)):  # scm-spo, as second premise
                if p1 != s and p1 != o:
                    d(p1, self.SPO, o)
        elif p == self.EQP:
            if s != o:
                for x, y in list(self.pairs(s)):  # prp-eqp1
                    d(x, o, y)
                for x, y in list(self.pairs(o)):  # prp-eqp2
                    d(x, s, y)
                d(s, self.SPO, o)  # scm-eqp
                d(o, self.SPO, s)
        elif p == self.DOM:
            for x, _ in list(self.pairs(s)):  # prp-dom
                d(x, self.TYPE, o)
            for c2 in list(self.objects(o, self.SCO)):  # scm-dom1
                if c2 != o:
                    d(s, self.DOM, c2)
            for p1 in list(self.subjects(self.SPO, s)):  # scm-dom2
                if p1 != s:
                    d(p1, self.DOM, o)
        elif p == self.RNG:
            for _, y in list(self.pairs(s)):  # prp-rng
                d(y, self.TYPE, o)
            for c2 in list(self.objects(o, self.SCO)):  # scm-rng1
                if c2 != o:
                    d(s, self.RNG, c2)
            for p1 in list(self.subjects(self.SPO, s)):  # scm-rng2
                if p1 != s:
                    d(p1, self.RNG, o)
        elif p == self.SAME and s != o:
            if self.literal[s] or self.literal[o]:  # owlrl then types resources as datatypes
                raise Unsupported(f"{self.terms[s]} owl:sameAs {self.terms[o]}")
            d(o, self.SAME, s)  # eq-sym
            for z in list(self.objects(o, self.SAME)):  # eq-trans, as first premise
                d(s, self.SAME, z)
            for w in list(self.subjects(self.SAME, s)):  # eq-trans, as second premise
                d(w, self.SAME, o)
            for pp, objects in list(self.spo.get(s, {}).items()):  # eq-rep-s
                for oo in list(objects):
                    d(o, pp, oo)
            for ss, oo in list(self.pairs(s)):  # eq-rep-p
                d(ss, o, oo)
            for ss, predicates in list(self.osp.get(o, {}).items()):  # eq-rep-o (owlrl's way round)
                for pp in list(predicates):
                    d(ss, pp, s)

    def _check(self) -> None:
        """owlrl's inconsistency messages: datatypes, cls-nothing2, cax-dw."""
        errors = list(self.datatype_errors)
        for c in self.subjects(self.TYPE, self.NOTHING):
            errors.append(f"{self.terms[c]} is defined of type 'Nothing'")
        for c1, c2 in self.pairs(self.DW):
            both = set(self.subjects(self.TYPE, c1)) & set(self.subjects(self.TYPE, c2))
            for x in both:
                errors.append(f"Disjoint classes {self.terms[c1]} and {self.terms[c2]}"
                              f" have a common individual {self.terms[x]}")
        self.errors = list(dict.fromkeys(errors))

    def new_triples(self) -> Iterator[Triple]:
        """Triples derived since the last call, as rdflib terms; owlrl's post-processing drops
        those with a blank-node predicate."""
        terms, bnode = self.terms, self.bnode
        start, self.reported = self.reported, len(self.derived)
        for s, p, o in self.derived[start:self.reported]:
            if not bnode[p]:
                yield terms[s], terms[p], terms[o]


def owl_rl_closure(graph: Graph) -> tuple[list[Triple], list[str]]:
    """The triples owlrl's closure of ``graph`` adds, and its errors (owlrl itself if need be)."""
    engine = OwlRlClosure()
    try:
        engine.add(graph)
        engine.run()
    except Unsupported:
        closure, errors = _owl_rl_closure(graph)
        return [t for t in closure if t not in graph], errors
    _owlrl_side_effect()
    return list(engine.new_triples()), engine.errors


def _owlrl_side_effect() -> None:
    """owlrl's ``expand`` switches rdflib's literal conversions to its own and back, which
    leaves xsd:gYear, xsd:gYearMonth and a few more converted by owlrl's functions for the
    rest of the process. Do the same, so that literals made afterwards (by the rules, by a
    query in the same process) behave as on the plain path."""
    DatatypeHandling.use_Alt_lexical_conversions()
    DatatypeHandling.use_RDFLib_lexical_conversions()


#: the datatype of a literal's stand-in: a literal Oxigraph would not give back as written
AS_WRITTEN = "urn:ascn-graph:as-written:"
_DEFAULT = ox.DefaultGraph()
_CHECK = ox.NamedNode("urn:ascn-graph:check")


class RulesStore(OxigraphGraph):
    """asserted + inferred in Oxigraph, where the fast path runs the rules' WHERE clauses;
    :meth:`add` keeps it up to date, :meth:`query` answers a SELECT query.

    Oxigraph does not give every literal back as written: it keeps a valid number, boolean
    or date in canonical form ("1.50"^^xsd:decimal as "1.5"), xsd:positiveInteger and the
    other integer types as xsd:integer, language tags in lower case, and "x"^^xsd:string
    comes back a simple literal, which rdflib tells apart. Such a literal goes in as a
    stand-in, its lexical form with the datatype ``AS_WRITTEN`` + its own datatype or
    language, so it stays a term of its own: it matches, joins and is copied as in rdflib
    and comes back as it was. Only an expression that reads its value (DATATYPE, a
    comparison...) would see the stand-in: :meth:`runs` says which rules can run here.
    (So this is the rules' working store, not one to save: ``nquads`` would write stand-ins.)

    >>> from rdflib.namespace import XSD
    >>> x, count = URIRef("http://example.org/x"), URIRef("http://example.org/count")
    >>> two = Literal("2", datatype=XSD.positiveInteger)
    >>> store = RulesStore.of([(x, count, two)])
    >>> [row[Variable("n")] == two for row in store.query("SELECT ?n { ?s ?p ?n }").bindings]
    [True]
    >>> (x, count, two) in store, sorted(store.stand_in_predicates) == [count]
    (True, True)
    """

    def __init__(self) -> None:
        super().__init__()
        self.stand_in_predicates: set[URIRef] = set()
        self._checked: set[Literal] = set()
        self._stand_in: dict[Literal, ox.Literal] = {}
        self._rdflib: dict[object, object] = {}  # Oxigraph term -> rdflib term (stand-ins too)
        self._ox: dict[object, object] = {}  # rdflib term -> Oxigraph term (stand-ins too)

    @classmethod
    def of(cls, triples: Iterable[Triple]) -> RulesStore | None:
        """A store of these triples; None if Oxigraph rejects one of their terms."""
        made = cls()
        try:
            made.add(triples)
        except OxigraphError:
            return None
        return made

    def add(self, triples: Iterable[Triple]) -> None:
        """Add triples (rdflib terms); OxigraphError if Oxigraph rejects a term."""
        triples = list(triples)
        self._check(o for _, _, o in triples if isinstance(o, Literal))
        quads = []
        for s, p, o in triples:
            if isinstance(o, Literal) and o in self._stand_in:
                self.stand_in_predicates.add(p)
            quads.append(ox.Quad(self._encode(s), self._encode(p), self._encode(o), _DEFAULT))
        self.store.extend(quads)

    def runs(self, rule: Rule) -> bool:
        """Whether the rule's WHERE clause gives here what it gives in rdflib: its own
        literals must be kept as written, and it must not read the value of a stand-in."""
        self._check(rule.literals)
        if any(literal in self._stand_in for literal in rule.literals):
            return False
        reads = rule.value_predicates
        return not self.stand_in_predicates or (
            reads is not None and reads.isdisjoint(self.stand_in_predicates))

    def query(self, query: str, initBindings=None, **_ignored) -> Result:  # noqa: N803
        """A SELECT query's solutions, as rdflib terms, literals as written."""
        if initBindings:
            raise OxigraphError("a RulesStore takes no bindings beside the query")
        answer = self.answer(query)
        if not isinstance(answer, ox.QuerySolutions):
            raise OxigraphError("a RulesStore answers SELECT queries only")
        names = [Variable(v.value) for v in answer.variables]
        result = Result("SELECT")
        result.vars = names
        decode = self._decode
        result.bindings = [{name: decode(value) for name, value in zip(names, row, strict=True)
                            if value is not None} for row in answer]
        return result

    def triples(self, pattern) -> Iterator[tuple]:
        s, p, o = pattern
        if (p is not None and not isinstance(p, URIRef)) or isinstance(s, Literal):
            return
        try:
            if isinstance(o, Literal) and o not in self._checked:
                self._check([o])
            s, p, o = (None if t is None else self._encode(t) for t in pattern)
        except OxigraphError:  # a term Oxigraph rejects is not in the store
            return
        decode = self._decode
        for quad in self.store.quads_for_pattern(s, p, o, _DEFAULT):
            yield decode(quad.subject), decode(quad.predicate), decode(quad.object)

    # -- literals as written -----------------------------------------------------------------

    def _encode(self, term):
        # a literal is checked (given its stand-in or not) before it is first encoded, so
        # what a term encodes to never changes and can be kept
        known = self._ox.get(term)
        if known is None:
            stand_in = self._stand_in.get(term) if isinstance(term, Literal) else None
            known = self._ox[term] = stand_in if stand_in is not None else to_ox(term)
        return known

    def _decode(self, term):
        known = self._rdflib.get(term)
        if known is None:
            known = self._rdflib[term] = from_ox(term)
        return known

    def _check(self, literals: Iterable[Literal]) -> None:
        """Give every new literal that Oxigraph would not give back as written a stand-in
        (found by storing the literals in a scratch store and reading them back)."""
        new = {literal for literal in literals if literal not in self._checked}
        self._checked.update(new)
        new = [x for x in new if x.language or x.datatype is not None]  # simple: kept
        if not new:
            return
        scratch, quads = ox.Store(), []
        for number, literal in enumerate(new):
            try:
                quads.append(ox.Quad(ox.NamedNode(f"urn:n:{number}"), _CHECK, to_ox(literal),
                                     _DEFAULT))
            except OxigraphError:  # an ill-formed language tag, say
                self._make_stand_in(literal)
        scratch.extend(quads)
        for quad in scratch:
            literal = new[int(quad.subject.value[6:])]
            if not _as_written(from_ox(quad.object), literal):
                self._make_stand_in(literal)

    def _make_stand_in(self, literal: Literal) -> None:
        kind = f"@{literal.language}" if literal.language else str(literal.datatype)
        try:
            stand_in = ox.Literal(str(literal), datatype=ox.NamedNode(AS_WRITTEN + kind))
        except ValueError as exc:
            raise OxigraphError(f"{literal.n3()}: not accepted by Oxigraph: {exc}") from None
        self._stand_in[literal] = stand_in
        self._rdflib[stand_in] = literal


def _as_written(back: Literal, literal: Literal) -> bool:
    """The same lexical form, datatype and language tag (rdflib ignores the tag's case)."""
    return (str(back), back.datatype, back.language) == (
        str(literal), literal.datatype, literal.language)


class _Union:
    """asserted + inferred, where the rules run: a :class:`RulesStore` kept up to date,
    with a fresh rdflib copy for a rule it cannot run; rdflib (one graph kept up to date)
    once Oxigraph rejects a term; ``copy=True``: a fresh rdflib copy for every rule, as on
    the plain path."""

    def __init__(self, asserted: Graph, inferred: Graph, copy: bool = False) -> None:
        self.asserted, self.inferred, self.copy = asserted, inferred, copy
        self.store = None if copy else RulesStore.of(chain(asserted, inferred))
        self.graph: Graph | None = None

    def for_rule(self, rule: Rule):
        """The graph to apply ``rule`` to."""
        if self.store is not None:
            return self.store if self.store.runs(rule) else self.asserted + self.inferred
        if self.copy:
            return self.asserted + self.inferred
        if self.graph is None:
            self.graph = self.asserted + self.inferred
        return self.graph

    def add(self, triples: list[Triple]) -> None:
        """Triples just added to ``inferred``."""
        if self.store is not None:
            try:
                self.store.add(triples)
                return
            except OxigraphError:
                self.store = None  # on over rdflib: the next rule copies the union
        if self.graph is not None:
            for triple in triples:
                self.graph.add(triple)


def reason(loaded: LoadedGraph, rules: list[Rule], max_rounds: int = 10,
           copy_union: bool = False) -> ReasonedGraph:
    """Like :func:`ascn_graph.reasoning.reason_plain`, faster, with the same results.

    ``copy_union=True`` gives the rules a fresh rdflib ``asserted + inferred`` copy as the
    plain path does (for measuring what the copies and Oxigraph save).
    """
    asserted = loaded.graph
    result = ReasonedGraph(asserted, bind_prefixes(Graph()), engine="fast")
    for rule in rules:
        rule.describe(result.inferred)
    union = _Union(asserted, result.inferred, copy_union)
    known = set(asserted)  # asserted + inferred so far: a set answers "seen?" faster than rdflib
    known.update(result.inferred)
    engine: OwlRlClosure | None = OwlRlClosure()
    fed = 0  # how many of the rules' triples the engine has been given
    fresh: list[Triple] = list(result.inferred)  # what the rules add, for the engine
    for number in range(1, max_rounds + 1):
        result.rounds = number
        added = 0
        for rule in rules:
            new = []
            for triple, derivation in rule.apply(union.for_rule(rule)).items():
                if triple in known or is_noise(triple):
                    continue
                known.add(triple)
                result.inferred.add(triple)
                result.provenance[triple] = derivation
                new.append(triple)
            union.add(new)
            fresh.extend(new)
            added += len(new)
        if number > 1 and not added and engine is not None:
            break  # closed already: our closure of a closed graph adds nothing (owlrl's may)
        closure, errors = _closure(engine, asserted if number == 1 else (), fresh[fed:])
        if closure is None:  # an OWL construct owlrl must handle
            engine = None
            closure, errors = _owl_rl_closure(asserted + result.inferred)
        fed = len(fresh)
        result.errors.extend(e for e in errors if e not in result.errors)
        new = []
        for triple in closure:
            if triple in known or is_noise(triple):
                continue
            if triple[1] == OWL.sameAs and any(isinstance(t, BNode) for t in triple):
                continue
            known.add(triple)
            result.inferred.add(triple)
            result.provenance[triple] = OWL_RL
            new.append(triple)
        union.add(new)
        added += len(new)
        if not added:
            break
    return result


def _closure(engine: OwlRlClosure | None, asserted: Iterable[Triple],
             fresh: list[Triple]) -> tuple[Iterable[Triple] | None, list[str]]:
    """Feed the engine and run it; (None, []) when owlrl must take over."""
    if engine is None:
        return None, []
    try:
        engine.add(asserted)
        engine.add(fresh)
        engine.run()
    except Unsupported:
        return None, []
    _owlrl_side_effect()
    return list(engine.new_triples()), engine.errors


__all__ = ["OwlRlClosure", "RulesStore", "Unsupported", "owl_rl_closure", "reason"]
