"""Deterministic RDF writers: Turtle, TriG, N-Triples, N-Quads and RDF/XML.

rdflib's own serialisers follow the store's (hash-seeded) iteration order;
these write subjects, predicates and objects sorted, the prefixes in
alphabetical order and every string escaped one way, so that the same graph
always gives the same bytes. They expect no blank nodes (skolemize first).

>>> from rdflib import Literal, URIRef
>>> from ascn_graph.loading import ASCN, NS_ID
>>> t = [(NS_ID["country/lao-pdr"], ASCN.ordinal, Literal(7)),
...      (NS_ID["country/lao-pdr"], URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
...       Literal('Lao "PDR"', lang="en"))]
>>> print(turtle(t), end="")
@prefix ascn: <https://w3id.org/ascn-graph/ontology#> .
@prefix country: <https://w3id.org/ascn-graph/id/country/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<BLANKLINE>
country:lao-pdr
    rdfs:label "Lao \\"PDR\\""@en ;
    ascn:ordinal "7"^^xsd:integer .
>>> print(ntriples(t[:1]), end="")
<https://w3id.org/ascn-graph/id/country/lao-pdr> <https://w3id.org/ascn-graph/ontology#ordinal> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ascn_graph.errors import AscnGraphError
from ascn_graph.loading import KINDS, NS_ID
from ascn_graph.skolem import owners

Triple = tuple
Quad = tuple  # (s, p, o, graph name or None)

PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": str(XSD),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "ascn": "https://w3id.org/ascn-graph/ontology#",
    "genid": str(NS_ID) + ".well-known/genid/",
    **{kind: str(NS_ID) + kind + "/" for kind in KINDS},
}

LOCAL_NAME = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
NC_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\b": "\\b", "\f": "\\f"}


class ExportError(AscnGraphError):
    """A graph that cannot be written in the format asked for."""


def quote(text: str) -> str:
    """A string as a Turtle / N-Triples string literal, on one line.

    >>> print(quote('a "b"\\nc\\x01'))
    "a \\"b\\"\\nc\\u0001"
    """
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def iri(term: URIRef) -> str:
    """``<IRI>``, or an error naming an IRI that cannot be written."""
    if IRI_BAD.search(str(term)):
        raise ExportError(f"cannot write the IRI {str(term)!r}: it has a character IRIs may not hold")
    return f"<{term}>"


def term_key(term) -> tuple:
    """Sort order: IRIs, then literals by value, datatype and language."""
    if isinstance(term, URIRef):
        return (0, str(term), "", "")
    if isinstance(term, BNode):
        raise ExportError("blank nodes must be skolemized before writing")
    return (1, str(term), str(term.datatype or ""), term.language or "")


def _check(triple: Triple) -> None:
    if any(isinstance(t, BNode) for t in triple):
        raise ExportError("blank nodes must be skolemized before writing")


def nt_term(term) -> str:
    """A term in N-Triples syntax."""
    if isinstance(term, URIRef):
        return iri(term)
    if isinstance(term, Literal):
        text = quote(str(term))
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{text}^^{iri(term.datatype)}"
        return text
    raise ExportError("blank nodes must be skolemized before writing")


def ntriples(triples: Iterable[Triple]) -> str:
    """N-Triples, one line per triple, lines sorted."""
    lines = sorted({f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in triples})
    return "".join(lines)


def nquads(quads: Iterable[Quad]) -> str:
    """N-Quads, lines sorted; a quad whose graph is None is in the default graph."""
    lines = set()
    for s, p, o, g in quads:
        where = f" {nt_term(g)}" if g is not None else ""
        lines.add(f"{nt_term(s)} {nt_term(p)} {nt_term(o)}{where} .\n")
    return "".join(sorted(lines))


class _Names:
    """Prefixed names for IRIs, remembering which prefixes were used."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.by_length = sorted(prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        self.used: dict[str, str] = {}

    def name(self, term: URIRef) -> str:
        text = str(term)
        for prefix, namespace in self.by_length:
            if text.startswith(namespace) and LOCAL_NAME.match(text[len(namespace):]):
                self.used[prefix] = namespace
                return f"{prefix}:{text[len(namespace):]}"
        return iri(term)

    def term(self, term) -> str:
        if isinstance(term, URIRef):
            return self.name(term)
        if isinstance(term, Literal):
            text = quote(str(term))
            if term.language:
                return f"{text}@{term.language}"
            if term.datatype and term.datatype != XSD.string:
                return f"{text}^^{self.name(term.datatype)}"
            return text
        raise ExportError("blank nodes must be skolemized before writing")

    def header(self) -> str:
        return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(self.used.items()))


def _predicate_key(p: URIRef) -> tuple:
    return (p != RDF.type, str(p))


def subject_order(triples: list[Triple]):
    """Sort key for subjects: by IRI, each Skolem node (a citation) right
    after the claim it belongs to."""
    owner = owners(triples)

    def key(s) -> tuple:
        if s in owner:
            return (*term_key(owner[s][0]), 1, str(s))
        return (*term_key(s), 0, "")

    return key


def _blocks(triples: Iterable[Triple], names: _Names, indent: str = "") -> list[str]:
    triples = list(triples)
    by_subject: dict = defaultdict(lambda: defaultdict(set))
    for triple in triples:
        _check(triple)
        s, p, o = triple
        by_subject[s][p].add(o)
    blocks = []
    for s in sorted(by_subject, key=subject_order(triples)):
        lines = [indent + names.term(s)]
        predicates = sorted(by_subject[s], key=_predicate_key)
        for n, p in enumerate(predicates):
            objects = ", ".join(names.term(o) for o in sorted(by_subject[s][p], key=term_key))
            verb = "a" if p == RDF.type else names.term(p)
            end = " ." if n == len(predicates) - 1 else " ;"
            lines.append(f"{indent}    {verb} {objects}{end}")
        blocks.append("\n".join(lines) + "\n")
    return blocks


def turtle(triples: Iterable[Triple], prefixes: dict[str, str] | None = None) -> str:
    """Turtle: used prefixes, then one block per subject, all sorted."""
    names = _Names(prefixes or PREFIXES)
    body = "\n".join(_blocks(triples, names))
    return names.header() + ("\n" + body if body else "")


def trig(graphs: dict[URIRef | None, Iterable[Triple]], prefixes: dict[str, str] | None = None) -> str:
    """TriG: the default graph (key None) first, then the named graphs in order."""
    names = _Names(prefixes or PREFIXES)
    parts = []
    for name in sorted(graphs, key=lambda g: (g is not None, str(g or ""))):
        blocks = _blocks(graphs[name], names, indent="    ")
        if not blocks:
            continue
        label = "" if name is None else names.term(name) + " "
        parts.append(label + "{\n" + "\n".join(blocks) + "}\n")
    return names.header() + "".join("\n" + p for p in parts)


def _xml_text(text: str) -> str:
    if XML_BAD.search(text):
        raise ExportError(f"cannot write {text[:40]!r} in RDF/XML: it holds a control character")
    return escape(text, {"\r": "&#13;"})


def _attr(text: str) -> str:
    _xml_text(text)
    return quoteattr(text, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


class _XmlNames:
    """Element names for properties; unknown namespaces get ns1, ns2 ... in order of use."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefix_of = {ns: p for p, ns in sorted(prefixes.items(), reverse=True)}
        self.used: dict[str, str] = {"rdf": str(RDF)}
        self.fresh = 0

    def tag(self, p: URIRef) -> str:
        text = str(p)
        cut = max(text.rfind("#"), text.rfind("/")) + 1
        namespace, local = text[:cut], text[cut:]
        if not NC_NAME.match(local):
            raise ExportError(f"cannot write the property {text} in RDF/XML: no XML name for it")
        if namespace not in self.prefix_of:
            self.fresh += 1
            self.prefix_of[namespace] = f"ns{self.fresh}"
        prefix = self.prefix_of[namespace]
        self.used[prefix] = namespace
        return f"{prefix}:{local}"


def rdfxml(triples: Iterable[Triple], prefixes: dict[str, str] | None = None) -> str:
    """RDF/XML: one ``rdf:Description`` per subject, properties sorted.

    >>> from rdflib import Literal, URIRef
    >>> print(rdfxml([(URIRef("http://a/x"), URIRef("http://b/p"), Literal("1 < 2"))]), end="")
    <?xml version="1.0" encoding="utf-8"?>
    <rdf:RDF
       xmlns:ns1="http://b/"
       xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
      <rdf:Description rdf:about="http://a/x">
        <ns1:p>1 &lt; 2</ns1:p>
      </rdf:Description>
    </rdf:RDF>
    """
    names = _XmlNames(prefixes or PREFIXES)
    by_subject: dict = defaultdict(set)
    for triple in triples:
        _check(triple)
        by_subject[triple[0]].add((triple[1], triple[2]))
    body = []
    for s in sorted(by_subject, key=term_key):
        iri(s)
        body.append(f"  <rdf:Description rdf:about={_attr(str(s))}>")
        pairs = sorted(by_subject[s], key=lambda po: (_predicate_key(po[0]), term_key(po[1])))
        for p, o in pairs:
            tag = names.tag(p)
            if isinstance(o, URIRef):
                iri(o)
                body.append(f"    <{tag} rdf:resource={_attr(str(o))}/>")
                continue
            attr = ""
            if o.language:
                attr = f" xml:lang={_attr(o.language)}"
            elif o.datatype and o.datatype != XSD.string:
                attr = f" rdf:datatype={_attr(str(o.datatype))}"
            body.append(f"    <{tag}{attr}>{_xml_text(str(o))}</{tag}>")
        body.append("  </rdf:Description>")
    spaces = "".join(f"\n   xmlns:{p}={_attr(ns)}" for p, ns in sorted(names.used.items()))
    head = f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{spaces}>\n'
    return head + "".join(line + "\n" for line in body) + "</rdf:RDF>\n"
