"""Stable names for blank nodes: each blank node becomes a Skolem IRI under
``https://w3id.org/ascn-graph/id/.well-known/genid/`` derived from a hash of
what the graph says about it (its own triples and the triples that point to
it), so that the same data always gets the same IRIs, whatever the order in
which it was read. Exports, the SPARQL service and published stores all use
these IRIs, so a citation has one name everywhere.

The hash is a colour refinement (Weisfeiler-Leman): a node's colour is the
hash of its neighbours' terms, blank neighbours by their colour, repeated
until the partition stops changing. Nodes that still share a colour have the
same triples; they get ``-1``, ``-2`` ... suffixes.

>>> from rdflib import BNode, Graph, Literal, URIRef
>>> g = Graph()
>>> claim, cite = URIRef("https://w3id.org/ascn-graph/id/tenure/x"), BNode()
>>> _ = g.add((claim, URIRef("https://w3id.org/ascn-graph/ontology#citation"), cite))
>>> _ = g.add((cite, URIRef("https://w3id.org/ascn-graph/ontology#quote"), Literal("kata", lang="id")))
>>> iri = skolem_map(g)[cite]
>>> str(iri).startswith(GENID) and iri == skolem_map(g)[cite]
True
>>> [t for t in skolemize(g, skolem_map(g)) if isinstance(t[0], BNode) or isinstance(t[2], BNode)]
[]
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from rdflib import BNode, Graph, URIRef

from ascn_graph.loading import ASCN, NS_ID

GENID = str(NS_ID) + ".well-known/genid/"
HASH_CHARS = 32
CITATION = ASCN.citation


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(parts)).encode("utf-8")).hexdigest()[:HASH_CHARS]


def _colours(graph: Graph, nodes: set[BNode]) -> dict[BNode, str]:
    """The refined colour of each blank node in ``nodes``."""
    colour = {b: "" for b in nodes}
    classes = 0
    for _ in range(len(nodes) + 1):

        def term(x, colour: dict[BNode, str] = colour) -> str:
            return ("_:" + colour.get(x, "")) if isinstance(x, BNode) else x.n3()

        new = {}
        for b in nodes:
            parts = ["> " + p.n3() + " " + term(o) for p, o in graph.predicate_objects(b)]
            parts += ["< " + term(s) + " " + p.n3() for s, p in graph.subject_predicates(b)]
            new[b] = _digest(parts)
        colour = new
        count = len(set(new.values()))
        if count == classes:
            break
        classes = count
    return colour


def blank_nodes(graph: Graph) -> set[BNode]:
    """Every blank node in subject or object position."""
    found = set()
    for s, _, o in graph:
        for t in (s, o):
            if isinstance(t, BNode):
                found.add(t)
    return found


def skolem_map(basis: Graph, extra: Graph | None = None) -> dict[BNode, URIRef]:
    """Blank node -> Skolem IRI. Nodes of ``basis`` are named from ``basis``
    alone (so asserted and inferred exports agree); nodes found only in
    ``extra`` are named from both graphs together."""
    colours = _colours(basis, blank_nodes(basis))
    if extra is not None:
        rest = blank_nodes(extra) - set(colours)
        if rest:
            colours.update(_colours(basis + extra, rest))
    groups: dict[str, list[BNode]] = defaultdict(list)
    for node, c in colours.items():
        groups[c].append(node)
    mapping: dict[BNode, URIRef] = {}
    for c, members in groups.items():
        if len(members) == 1:
            mapping[members[0]] = URIRef(GENID + c)
        else:  # indistinguishable nodes: any order names them alike
            for n, node in enumerate(sorted(members), start=1):
                mapping[node] = URIRef(f"{GENID}{c}-{n}")
    return mapping


def skolemize(graph: Graph, mapping: dict[BNode, URIRef]) -> Graph:
    """A copy of ``graph`` with its blank nodes replaced by their Skolem IRIs
    (a blank node missing from ``mapping`` is named from ``graph`` itself)."""
    missing = blank_nodes(graph) - set(mapping)
    if missing:
        mapping = {**skolem_map(graph), **mapping}
    out = Graph()
    for prefix, namespace in graph.namespace_manager.namespaces():
        out.bind(prefix, namespace, override=True, replace=True)
    for s, p, o in graph:
        out.add((mapping.get(s, s), p, mapping.get(o, o)))
    return out


def owners(triples) -> dict[URIRef, tuple]:
    """Each Skolem IRI -> the (subject, property) that it is written next to:
    the first claim that cites it by ``ascn:citation``, else the first other
    subject that points to it.

    >>> from ascn_graph.loading import ASCN
    >>> c, t = URIRef(GENID + "1"), URIRef("https://w3id.org/ascn-graph/id/tenure/x")
    >>> owners([(t, URIRef("http://www.w3.org/ns/prov#qualifiedDerivation"), c), (t, ASCN.citation, c)])[c][1]
    rdflib.term.URIRef('https://w3id.org/ascn-graph/ontology#citation')
    """
    found: dict[URIRef, tuple] = {}
    links = [(s, p, o) for s, p, o in triples if is_skolem(o) and not is_skolem(s)]
    for s, p, o in sorted(links, key=lambda t: (t[1] != CITATION, str(t[0]), str(t[1]))):
        found.setdefault(o, (s, p))
    return found


def is_skolem(term) -> bool:
    """True for an IRI minted here for a blank node.

    >>> is_skolem(URIRef(GENID + "abc")), is_skolem(URIRef("https://w3id.org/ascn-graph/id/x"))
    (True, False)
    """
    return isinstance(term, URIRef) and str(term).startswith(GENID)
