"""What a rule's parse tree (rdflib's SPARQL algebra) tells the fast path: its
template, the triple patterns it matches, the predicates whose values its
expressions read, the literals it names. Kept apart from :mod:`ascn_graph.rules`
so that a rule read from the rules cache needs no SPARQL parser at all.

>>> query = parse_rule("PREFIX a: <http://a/> CONSTRUCT { ?s a:q ?o } WHERE { ?s a:p ?o }")
>>> [str(t[1]) for t in template(query)], [str(t[1]) for t in patterns(query)]
(['http://a/q'], ['http://a/p'])
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

Triple = tuple


def parse_rule(text: str) -> Query:
    """rdflib's parse of a rule's text (its exceptions are pyparsing's or rdflib's)."""
    return prepareQuery(text)


def template(query: Query) -> tuple[Triple, ...]:
    """The CONSTRUCT template's triple patterns (``CONSTRUCT WHERE``: the WHERE's)."""
    algebra = query.algebra
    return tuple(algebra.template or algebra.p.p.triples)


def patterns(query: Query) -> tuple[Triple, ...]:
    """The triple patterns of the WHERE clause's basic graph patterns."""
    return tuple(_bgp_triples(query.algebra.p))


def value_predicates(query: Query) -> frozenset[URIRef] | None:
    """The predicates whose objects the rule's expressions may read; None: any."""
    where = query.algebra.p
    read = set(_read_variables(where))
    values = _values(where)
    found: set[URIRef] = set()
    for _, p, o in _patterns(where):
        if not (isinstance(o, Variable) and o in read):
            continue
        if isinstance(p, URIRef):
            found.add(p)
        elif isinstance(p, Variable) and p in values:
            found |= values[p]
        else:
            return None
    return frozenset(found)


def literals(query: Query) -> frozenset[Literal]:
    """The literals written in the WHERE clause."""
    return frozenset(_terms(query.algebra.p, Literal))


def _children(node) -> Iterator:
    """The parts of an algebra node (not rdflib's cached ``_vars``)."""
    if isinstance(node, CompValue):
        yield from (value for key, value in node.items() if key != "_vars")
    elif isinstance(node, (list, tuple)):
        yield from node


def _bgp_triples(node):
    """The triple patterns of every basic graph pattern under an algebra node."""
    if isinstance(node, CompValue) and node.name == "BGP":
        yield from node.triples
    for child in _children(node):
        yield from _bgp_triples(child)


def _patterns(node) -> Iterator[Triple]:
    """Every triple pattern under an algebra node, also those rdflib keeps in parse-tree
    form until it runs them (the graph pattern of a FILTER NOT EXISTS)."""
    if isinstance(node, CompValue) and node.name == "BGP":
        yield from node.triples
    elif isinstance(node, CompValue) and node.name == "TriplesBlock":
        flat = [term for part in node.triples for term in part]
        yield from zip(flat[0::3], flat[1::3], flat[2::3], strict=False)
    else:
        for child in _children(node):
            yield from _patterns(child)


def _read_variables(node, reading: bool = False) -> Iterator[Variable]:
    """The variables an expression reads (under a FILTER, BIND, OPTIONAL condition,
    ORDER BY, GROUP BY or aggregate), with those of the patterns inside it (NOT EXISTS)."""
    if isinstance(node, Variable):
        if reading:
            yield node
    elif isinstance(node, CompValue):
        for key, value in node.items():
            if key != "_vars":
                yield from _read_variables(value, reading or key in ("expr", "A"))
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _read_variables(item, reading)


def _values(node) -> dict[Variable, set]:
    """The terms each variable of a VALUES block may take (not those left UNDEF in a row)."""
    rows = [row for block in _nodes(node, "values") for row in block.res]
    names = {name for row in rows for name in row}
    return {name: {row[name] for row in rows if name in row} for name in names
            if all(name in row for row in rows)}


def _nodes(node, name: str) -> Iterator[CompValue]:
    if isinstance(node, CompValue) and node.name == name:
        yield node
    for child in _children(node):
        yield from _nodes(child, name)


def _terms(node, kind: type) -> Iterator:
    """Every term of a kind under an algebra node (VALUES rows included)."""
    if isinstance(node, kind):
        yield node
    elif isinstance(node, dict) and not isinstance(node, CompValue):
        yield from (v for v in node.values() if isinstance(v, kind))
    for child in _children(node):
        yield from _terms(child, kind)
