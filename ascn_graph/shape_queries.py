"""SHACL shapes as SPARQL queries, for the fast engine's ``validate``.

:func:`compile` reads a shapes graph and writes one SELECT per constraint of
each shape that has targets; :func:`run` answers them in Oxigraph and gives
the validation results pySHACL gives (``validate(..., inference="none")``):
the same focus node, message and value, one row per result. The shapes graph
may use only what ``ontology/shapes.ttl`` uses:

* targets ``sh:targetClass`` (instances through ``rdf:type/rdfs:subClassOf*``
  in the data graph, which holds the ontology), ``sh:targetSubjectsOf``,
  ``sh:targetObjectsOf``;
* ``sh:property`` shapes whose ``sh:path`` is an IRI;
* ``sh:minCount``, ``sh:maxCount``, ``sh:datatype``, ``sh:class``, ``sh:in``
  (of IRIs), ``sh:minLength`` and ``sh:or`` (of node shapes made of these
  value tests), each shape that reports with one ``sh:message``;
* ``sh:severity sh:Violation``, ``sh:deactivated``, ``sh:name``,
  ``sh:description``, ``sh:order``.

Anything else (another constraint, a complex path, SHACL-AF, a shape with no
message, whose text pySHACL makes up) is named in ``Compiled.unsupported`` and
the caller runs pySHACL instead, for the whole run.

pySHACL's rules followed here (``tests/test_shape_queries.py`` checks them
against pySHACL): ``sh:datatype`` D passes a literal whose SPARQL datatype is
D (a simple literal is an ``xsd:string``, a tagged one an ``rdf:langString``)
unless rdflib found its lexical form ill-typed when it made it, or its value is
not of the Python type pySHACL expects for D. That last part is not asked of
SPARQL: :func:`run` reads it from every literal of such a datatype and gives
None (run pySHACL) if one fails, so the queries decide by the datatype alone.
``sh:class`` fails every literal; ``sh:minLength`` fails a blank node.

Oxigraph stores some typed literals in a canonical form (``"1.50"^^xsd:decimal``
as ``"1.5"``) and holds ``"x"`` and ``"x"^^xsd:string`` as one term, where rdflib
keeps what was written. :func:`run` first checks that Oxigraph holds the
literals the shapes read exactly as rdflib does, and gives None (run pySHACL)
if not.

>>> from rdflib import Graph
>>> shapes = Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> .
...     @prefix ex: <http://example.org/> .
...     ex:S sh:targetClass ex:City ; sh:property [ sh:path ex:name ; sh:minCount 1 ;
...         sh:message "a city has a name" ] .''')
>>> compiled = compile(shapes)
>>> compiled.unsupported, len(compiled.queries)
((), 1)
>>> from ascn_graph.store import OxigraphGraph
>>> data = Graph().parse(format="turtle", data='''@prefix ex: <http://example.org/> .
...     ex:paris a ex:City ; ex:name "Paris" . ex:nowhere a ex:City .''')
>>> run(compiled, data, OxigraphGraph.from_graph(data))
[Result(focus=rdflib.term.URIRef('http://example.org/nowhere'), message='a city has a name', value=None)]
>>> compile(Graph().parse(format="turtle", data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
...     <http://example.org/S> sh:targetNode <http://example.org/x> .''')).unsupported
('sh:targetNode is not supported',)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD, Namespace
from rdflib.term import Node

from ascn_graph.store import OxigraphGraph, from_ox

SH = Namespace("http://www.w3.org/ns/shacl#")

_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
_VALUE_TESTS = (SH.datatype, SH["class"], SH["in"], SH.minLength, SH["or"])
_COUNTS = (SH.minCount, SH.maxCount)
# every SHACL term a supported shapes graph may use; any other is unsupported
_KNOWN = {*_TARGETS, *_VALUE_TESTS, *_COUNTS, SH.property, SH.path, SH.message, SH.severity,
          SH.deactivated, SH.name, SH.description, SH.order, SH.NodeShape, SH.PropertyShape,
          SH.Violation}
_NOT_AN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"[a-zA-Z]+(-[a-zA-Z0-9]+)*")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}


class Unsupported(ValueError):
    """A shapes graph construct the queries do not cover: run pySHACL instead."""


class Result(NamedTuple):
    """One validation result: what pySHACL reports as sh:focusNode, sh:resultMessage
    and sh:value (None where it gives none)."""

    focus: Node
    message: str
    value: Node | None


@dataclass(frozen=True)
class ShapeQuery:
    """The SELECT of one constraint: ``?this`` (and ``?value``) of each result."""

    shape: Node
    constraint: str
    message: str
    text: str
    path: URIRef | None  # None: the value is the focus node
    gives_value: bool  # sh:value is ?value (not for sh:minCount and sh:maxCount)


@dataclass(frozen=True)
class Compiled:
    """The queries of a shapes graph, or why it cannot be checked by them."""

    queries: tuple[ShapeQuery, ...]
    unsupported: tuple[str, ...]
    exact: frozenset[URIRef]  # predicates whose literals the queries read as written
    datatypes: frozenset[URIRef] = frozenset()  # the datatypes of every sh:datatype

    @property
    def supported(self) -> bool:
        return not self.unsupported


def sparql_term(term: Node) -> str:
    """An IRI or literal written for SPARQL text, checked or escaped.

    >>> sparql_term(URIRef("http://example.org/a"))
    '<http://example.org/a>'
    >>> print(sparql_term(Literal('say "hi"\\n', lang="en")))
    "say \\"hi\\"\\n"@en
    >>> sparql_term(URIRef("http://example.org/a> } #"))
    Traceback (most recent call last):
    ...
    ascn_graph.shape_queries.Unsupported: not an IRI SPARQL can hold: 'http://example.org/a> } #'
    """
    if isinstance(term, URIRef):
        if _NOT_AN_IRI.search(term):
            raise Unsupported(f"not an IRI SPARQL can hold: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = '"' + "".join(_ECHAR.get(c, c) for c in str(term)) + '"'
        if term.language:
            if not _LANG.fullmatch(term.language):
                raise Unsupported(f"not a language tag: {term.language!r}")
            return f"{text}@{term.language}"
        return f"{text}^^{sparql_term(term.datatype)}" if term.datatype else text
    raise Unsupported(f"{term!r}: only IRIs and literals are written into a query")


def _name(term: Node) -> str:
    """``sh:minCount`` for a SHACL term, else the term in N3 (the shapes graph's
    namespace manager is not asked: it would bind new prefixes)."""
    return "sh:" + term[len(SH):] if isinstance(term, URIRef) and term.startswith(SH) else term.n3()


def _sorted(terms: Iterable[Node]) -> list[Node]:
    return sorted(terms, key=lambda t: (type(t).__name__, str(t)))


def _one(shapes: Graph, node: Node, parameter: URIRef) -> Node | None:
    values = list(shapes.objects(node, parameter))
    if len(values) > 1:
        raise Unsupported(f"{_name(parameter)} given more than once on {node.n3()}")
    return values[0] if values else None


def _count(shapes: Graph, node: Node, parameter: URIRef) -> int | None:
    value = _one(shapes, node, parameter)
    if value is None:
        return None
    if not (isinstance(value, Literal) and value.datatype == XSD.integer
            and isinstance(value.value, int) and value.value >= 0):
        raise Unsupported(f"{_name(parameter)} {value.n3()} is not a whole number")
    return value.value


def _datatype_test(datatype: Node) -> str:
    """SPARQL that is true when ``?value`` has the datatype pySHACL's ``sh:datatype``
    asks for. Whether rdflib finds the literal ill-typed (which pySHACL also reads) is
    not a matter for SPARQL: :func:`run` looks at every literal of such a datatype first
    and leaves the whole graph to pySHACL if one of them is."""
    if not isinstance(datatype, URIRef):
        raise Unsupported(f"sh:datatype {datatype.n3()} is not an IRI")
    if datatype in (RDFS.Literal, RDFS.Datatype):  # pySHACL's special cases
        raise Unsupported(f"sh:datatype {datatype.n3()} is not supported")
    return f"isLITERAL(?value) && sameTerm(DATATYPE(?value), {sparql_term(datatype)})"


#: the Python type pySHACL wants a literal's value to have, per datatype
#: (``DatatypeConstraintComponent._assert_actual_datatype``); others: any value
_PYSHACL_VALUE_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int,
    XSD.float: float, XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date,
    XSD.time: time, XSD.dateTime: datetime}


def pyshacl_accepts(literal: Literal) -> bool:
    """Whether pySHACL's ``sh:datatype`` passes a literal of the datatype it asks for:
    rdflib did not find it ill-typed, and its value is of the Python type pySHACL wants.

    >>> pyshacl_accepts(Literal("2024-02-30", datatype=XSD.date))
    False
    >>> pyshacl_accepts(Literal("2024-02-29", datatype=XSD.date))
    True
    """
    if getattr(literal, "ill_typed", None) is True:
        return False
    wanted = _PYSHACL_VALUE_TYPES.get(_datatype_of(literal))
    return wanted is None or isinstance(literal.value, wanted)


def _value_tests(shapes: Graph, node: Node) -> list[tuple[URIRef, Node, str]]:
    """(parameter, its value, SPARQL true when ``?value`` conforms) for each value test
    of a shape."""
    tests = []
    for parameter in _VALUE_TESTS:
        values = _sorted(shapes.objects(node, parameter))
        if parameter in (SH.datatype, SH["in"], SH.minLength) and len(values) > 1:
            raise Unsupported(f"{_name(parameter)} given more than once on {node.n3()}")
        tests += [(parameter, value, _value_test(shapes, parameter, value)) for value in values]
    return tests


def _value_test(shapes: Graph, parameter: URIRef, value: Node) -> str:
    if parameter == SH.datatype:
        return _datatype_test(value)
    if parameter == SH["class"]:
        if not isinstance(value, URIRef):
            raise Unsupported(f"sh:class {value.n3()} is not an IRI")
        return f"EXISTS {{ {_instance('?value', value)} }}"
    if parameter == SH["in"]:
        members = list(shapes.items(value))
        if not all(isinstance(m, URIRef) for m in members):
            raise Unsupported("sh:in is supported with IRIs only")
        return "(" + (" || ".join(f"sameTerm(?value, {sparql_term(m)})" for m in members)
                      or "false") + ")"
    if parameter == SH.minLength:
        if not (isinstance(value, Literal) and value.datatype == XSD.integer
                and isinstance(value.value, int) and value.value >= 0):
            raise Unsupported(f"sh:minLength {value.n3()} is not a whole number")
        if value.value == 0:
            return "true"
        return f"(!isBLANK(?value) && STRLEN(STR(?value)) >= {int(value.value)})"
    members = list(shapes.items(value))  # sh:or: each member a node shape of value tests
    if not members:
        raise Unsupported("sh:or with an empty or malformed list")
    return "(" + " || ".join(_member_test(shapes, m) for m in members) + ")"


def _member_test(shapes: Graph, member: Node) -> str:
    """A member of ``sh:or``: conforms when every value test of it passes."""
    if not isinstance(member, (URIRef, BNode)):
        raise Unsupported(f"sh:or member {member.n3()} is not a shape")
    allowed = {*_VALUE_TESTS, SH.message, SH.name, SH.description, SH.order}
    other = {p for p in shapes.predicates(member, None) if p.startswith(SH) and p not in allowed}
    if other:
        raise Unsupported(f"sh:or member with {', '.join(sorted(_name(p) for p in other))}")
    tests = [test for _, _, test in _value_tests(shapes, member)]
    return "(" + (" && ".join(tests) or "true") + ")"


def _instance(variable: str, cls: URIRef) -> str:
    """The pattern of a SHACL instance of ``cls``: its type or a subclass of it."""
    return f"{variable} {sparql_term(RDF.type)}/{sparql_term(RDFS.subClassOf)}* {sparql_term(cls)}"


def _off(shapes: Graph, node: Node) -> bool:
    flag = _one(shapes, node, SH.deactivated)
    if flag is not None and not isinstance(flag, Literal):
        raise Unsupported(f"sh:deactivated {flag.n3()} is not a literal")
    return flag is not None and bool(flag.value)


def _message(shapes: Graph, node: Node) -> str:
    messages = list(shapes.objects(node, SH.message))
    if len(messages) != 1 or not isinstance(messages[0], Literal):
        raise Unsupported(f"{node.n3()} has {len(messages)} sh:message (one literal is needed: "
                          "pySHACL writes its own text for none, and picks one of several)")
    return str(messages[0])


def _targets(shapes: Graph, shape: Node) -> str:
    """A pattern binding ``?this`` to the shape's focus nodes (some more than once)."""
    parts = []
    for target in shapes.objects(shape, SH.targetClass):
        if not isinstance(target, URIRef):
            raise Unsupported(f"sh:targetClass {target.n3()} is not an IRI")
        parts.append(f"{{ {_instance('?this', target)} }}")
    for target in shapes.objects(shape, SH.targetSubjectsOf):
        parts.append(f"{{ ?this {sparql_term(target)} [] }}")
    for target in shapes.objects(shape, SH.targetObjectsOf):
        parts.append(f"{{ [] {sparql_term(target)} ?this }}")
    return " UNION ".join(parts)


def _queries(shapes: Graph, shape: Node, targets: str, path: Node | None) -> list[ShapeQuery]:
    """The queries of one shape over the focus nodes of ``targets``: its value tests on
    the values at ``path`` (on the focus node itself if None) and its counts. A value test
    or sh:maxCount finds the failing values first, then keeps those of focus nodes (in
    Oxigraph, several times faster than the other way round)."""
    severity = _one(shapes, shape, SH.severity)
    if severity not in (None, SH.Violation):
        raise Unsupported(f"sh:severity {_name(severity)} (only sh:Violation is supported)")
    if path is not None and not isinstance(path, URIRef):
        raise Unsupported(f"sh:path {path.n3()}: only a predicate IRI is supported")
    tests = _value_tests(shapes, shape)
    least, most = (_count(shapes, shape, p) for p in _COUNTS)
    if path is None and (least is not None or most is not None):
        raise Unsupported(f"{shape.n3()}: sh:minCount or sh:maxCount on a node shape")
    if not tests and not least and most is None:
        return []
    message = _message(shapes, shape)
    focus = f"{{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}"
    of_focus = f"FILTER EXISTS {{ {targets} }}"
    values = f"?this {sparql_term(path)} ?value ." if path is not None else ""
    made = []
    for parameter, given, test in tests:
        # sh:class as MINUS: Oxigraph finds the instances once, not per value
        drop = (f"MINUS {{ {_instance('?value', given)} }}" if parameter == SH["class"]
                else f"FILTER(!({test}))")
        where = (f"{{ SELECT ?this ?value WHERE {{ {values} {drop} }} }} {of_focus}" if path
                 else f"{focus} BIND(?this AS ?value) {drop}")
        made.append(ShapeQuery(shape, f"{_name(parameter)} {given.n3()}", message,
                               f"SELECT DISTINCT ?this ?value WHERE {{ {where} }}", path, True))
    if least == 1:
        made.append(ShapeQuery(shape, "sh:minCount 1", message,
                               f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ {values} }} }}",
                               path, False))
    elif least:  # sh:minCount 0 always passes
        made.append(ShapeQuery(shape, f"sh:minCount {least}", message,
                               f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {values} }} }} "
                               f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {least})",
                               path, False))
    if most is not None:
        made.append(ShapeQuery(shape, f"sh:maxCount {most}", message,
                               f"SELECT ?this WHERE {{ {{ SELECT ?this WHERE {{ {values} }} GROUP BY "
                               f"?this HAVING (COUNT(DISTINCT ?value) > {most}) }} {of_focus} }}",
                               path, False))
    return made


def _unknown_terms(shapes: Graph) -> list[str]:
    """SHACL terms the queries do not cover, and shapes that are also classes (pySHACL
    targets a class's instances implicitly)."""
    terms = {p for p in shapes.predicates() if p.startswith(SH)}
    terms |= {o for o in shapes.objects(None, RDF.type) if isinstance(o, URIRef) and o.startswith(SH)}
    found = [f"{_name(t)} is not supported" for t in _sorted(terms - _KNOWN)]
    for shape in _sorted({s for s, p in shapes.subject_predicates() if p.startswith(SH)}):
        if set(shapes.objects(shape, RDF.type)) - {SH.NodeShape, SH.PropertyShape}:
            found.append(f"{shape.n3()} has a type besides sh:NodeShape and sh:PropertyShape")
    return found


def compile(shapes: Graph) -> Compiled:
    """The queries of every shape with targets, or what in ``shapes`` they cannot check."""
    unsupported = _unknown_terms(shapes)
    queries: list[ShapeQuery] = []
    exact: set[URIRef] = set()  # literal focus nodes come from these
    for shape in _sorted({s for t in _TARGETS for s in shapes.subjects(t, None)}):
        try:
            if _off(shapes, shape):
                continue
            targets = _targets(shapes, shape)
            exact.update(shapes.objects(shape, SH.targetObjectsOf))
            own_path = _one(shapes, shape, SH.path)
            queries += _queries(shapes, shape, targets, own_path)
            for prop in _sorted(shapes.objects(shape, SH.property)):
                path = _one(shapes, prop, SH.path)
                if own_path is not None or path is None or _one(shapes, prop, SH.property):
                    raise Unsupported(f"sh:property {prop.n3()}: a property shape (one sh:path, "
                                      "no sh:property of its own) of a node shape is needed")
                if not _off(shapes, prop):
                    queries += _queries(shapes, prop, targets, path)
        except Unsupported as exc:
            unsupported.append(str(exc))
        except RecursionError:  # an sh:or that holds itself
            unsupported.append(f"{shape.n3()}: sh:or nested without end")
    exact.update(q.path for q in queries if q.path is not None and "STR(?value)" in q.text)
    datatypes = frozenset(d for d in shapes.objects(None, SH.datatype) if isinstance(d, URIRef))
    return Compiled(tuple(queries), tuple(dict.fromkeys(unsupported)), frozenset(exact), datatypes)


# -- running -----------------------------------------------------------------------------

def _key(term) -> tuple:
    """A literal (rdflib or Oxigraph) as (lexical form, language, datatype other than
    xsd:string and rdf:langString): equal keys, the same term as written."""
    if isinstance(term, Literal):
        return str(term), term.language, str(term.datatype) if term.datatype else None
    datatype = term.datatype.value
    plain = datatype in (str(XSD.string), str(RDF.langString))
    return term.value, term.language, None if plain else datatype


def _originals(graph: Graph, store: OxigraphGraph, predicates: Iterable[URIRef]) -> dict | None:
    """rdflib's typed literals at ``predicates`` by key; None if Oxigraph does not hold the
    literals there as written. Oxigraph keeps a simple literal and a language
    tag in lower case as written: only the others are compared."""
    originals = {}
    plain = f"{sparql_term(XSD.string)}, {sparql_term(RDF.langString)}"
    for predicate in predicates:
        ours: Counter = Counter()
        for value in graph.objects(None, predicate):
            if isinstance(value, Literal) and (value.datatype or value.language
                                               and value.language != value.language.lower()):
                ours[_key(value)] += 1
                originals[_key(value)] = value
        typed = store.answer(f"SELECT ?o WHERE {{ ?s {sparql_term(predicate)} ?o "
                             f"FILTER(isLITERAL(?o) && !(DATATYPE(?o) IN ({plain}))) }}")
        if ours != Counter(_key(row["o"]) for row in typed):
            return None
    return originals


def _as_written(graph: Graph, originals: dict, focus: Node, path: URIRef | None, term):
    """rdflib's term for an Oxigraph term: the value at ``path`` of ``focus``, or (``path``
    None) a focus node, which is a literal only at a predicate of ``Compiled.exact``;
    None for a literal that rdflib does not hold as Oxigraph does."""
    if not isinstance(term, ox.Literal):
        return from_ox(term)
    key = _key(term)
    if path is not None:
        return next((o for o in graph.objects(focus, path)
                     if isinstance(o, Literal) and _key(o) == key), None)
    if key[2] is None and (key[1] is None or key[1] == key[1].lower()):
        return from_ox(term)  # held as written (checked by _originals)
    return originals.get(key)


def all_well_typed(graph: Graph, datatypes: frozenset[URIRef]) -> bool:
    """Whether pySHACL passes every literal of the graph whose datatype an sh:datatype
    asks for (:func:`pyshacl_accepts`): then the datatype alone decides, as the queries
    have it. rdflib decides ill-typedness when it makes a literal, by converters owlrl
    swaps in and out, so it is read from the literals themselves, never assumed."""
    for literal in graph.objects():
        if isinstance(literal, Literal) and _datatype_of(literal) in datatypes \
                and not pyshacl_accepts(literal):
            return False
    return True


def _datatype_of(literal: Literal) -> URIRef:
    """A literal's datatype as SPARQL's DATATYPE gives it."""
    return literal.datatype or (RDF.langString if literal.language else XSD.string)


def run(compiled: Compiled, graph: Graph, store: OxigraphGraph) -> list[Result] | None:
    """The results of the compiled queries over ``store`` (a copy of ``graph``), in
    ``graph``'s own terms; None if Oxigraph does not hold the terms the shapes read as
    ``graph`` does (run pySHACL then): two rdflib terms made one (the triple counts
    differ), a literal the queries read the lexical form of, or a literal they report,
    written otherwise."""
    if not compiled.supported:
        raise Unsupported("; ".join(compiled.unsupported))
    if len(store) != len(graph):
        return None
    if not all_well_typed(graph, compiled.datatypes):
        return None
    originals = _originals(graph, store, compiled.exact)
    if originals is None:
        return None
    results = []
    for query in compiled.queries:
        for row in store.answer(query.text):
            focus = _as_written(graph, originals, None, None, row["this"])
            value = (_as_written(graph, originals, focus, query.path, row["value"])
                     if query.gives_value else None)
            if focus is None or (query.gives_value and value is None):
                return None
            results.append(Result(focus, query.message, value))
    return results
