"""JSON-LD that reads as plain JSON: a published ``@context``
(``ontology/context.jsonld``) gives every property a short key ("label",
"member", "role", "startDate"), says which ones hold links, and maps labels
by language; nodes are listed sorted, with short ids relative to
``https://w3id.org/ascn-graph/id/`` ("country/indonesia") and each citation
written inside the claim it supports.

>>> from rdflib import Graph, Literal
>>> from rdflib.namespace import RDFS
>>> from ascn_graph.loading import ASCN, NS_ID, ORG
>>> g = Graph()
>>> t = NS_ID["tenure/x"]
>>> _ = g.add((t, ORG.member, NS_ID["country/indonesia"]))
>>> _ = g.add((t, RDFS.label, Literal("Indonesia as ASCN Shepherd", lang="en")))
>>> _ = g.add((t, ASCN.termNumber, Literal(2)))
>>> doc = json.loads(jsonld(g, make_context(g)))
>>> doc["@graph"]
[{'id': 'tenure/x', 'label': {'en': 'Indonesia as ASCN Shepherd'}, 'member': 'country/indonesia', 'termNumber': 2}]
>>> sorted(Graph().parse(data=jsonld(g, make_context(g)), format="json-ld")) == sorted(g)
True
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ascn_graph.loading import NS_ID
from ascn_graph.skolem import owners
from ascn_graph.writers import PREFIXES, iri, term_key

CONTEXT_FILE = "context.jsonld"
CONTEXT_URL = "https://w3id.org/ascn-graph/ontology/context.jsonld"
VOCAB = PREFIXES["ascn"]
NATIVE = {str(XSD.boolean), str(XSD.integer)}
CANONICAL_INTEGER = re.compile(r"^-?(0|[1-9][0-9]*)$")
RELATIVE = re.compile(r"^[A-Za-z0-9_.~-]+(/[A-Za-z0-9_.~-]+)*$")
SAFE_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
CONTEXT_PREFIXES = ("ascn", "dcat", "dcterms", "foaf", "org", "owl", "prov", "rdf", "rdfs",
                    "schema", "sd", "skos", "vann", "void", "xsd")


def _local(p: URIRef) -> tuple[str, str]:
    text = str(p)
    cut = max(text.rfind("#"), text.rfind("/")) + 1
    return text[:cut], text[cut:]


def _prefix_of(namespace: str) -> str | None:
    for prefix in CONTEXT_PREFIXES:
        if PREFIXES[prefix] == namespace:
            return prefix
    return None


def _short(term: str) -> str:
    """An IRI as a compact IRI where one of the context's prefixes fits."""
    namespace, local = _local(URIRef(term))
    prefix = _prefix_of(namespace)
    return f"{prefix}:{local}" if prefix and SAFE_LOCAL.match(local) else term


def _definition(p: URIRef, objects: list) -> dict[str, str]:
    definition = {"@id": _short(str(p))}
    if all(isinstance(o, URIRef) for o in objects):
        definition["@type"] = "@id"
    elif all(isinstance(o, Literal) and o.language for o in objects):
        definition["@container"] = "@language"
    elif all(isinstance(o, Literal) and o.datatype and not o.language for o in objects):
        counts = Counter(str(o.datatype) for o in objects)
        common = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        if common != str(XSD.string) and common not in NATIVE:
            definition["@type"] = _short(common)
    return definition


def make_context(graph: Graph) -> dict:
    """A context with a short key for every property the graph uses.

    A key is the property's local name; where two properties share one, the
    ontology's keeps it and the other is written ``prefix:name``.
    """
    objects: dict[URIRef, list] = defaultdict(list)
    for _, p, o in graph:
        if p != RDF.type:
            objects[p].append(o)
    by_name: dict[str, list[URIRef]] = defaultdict(list)
    for p in objects:
        by_name[_local(p)[1]].append(p)
    context: dict = {"@version": 1.1, "@base": str(NS_ID), "@vocab": VOCAB,
                     "id": "@id", "type": "@type"}
    context.update({prefix: PREFIXES[prefix] for prefix in CONTEXT_PREFIXES})
    terms: dict[str, dict] = {}
    for name, properties in by_name.items():
        for p in properties:
            namespace, _ = _local(p)
            alone = len(properties) == 1 and name not in context and SAFE_LOCAL.match(name)
            mine = namespace == VOCAB and name not in context and SAFE_LOCAL.match(name)
            key = name if alone or mine else _short(str(p))
            if key == str(p):
                continue  # no short key: written with its full IRI
            terms[key] = _definition(p, objects[p])
    context.update(dict(sorted(terms.items())))
    return context


def context_document(context: dict) -> str:
    """The text of a context file."""
    return json.dumps({"@context": context}, ensure_ascii=False, indent=2) + "\n"


def load_context(ontology_dir: Path) -> dict:
    """The published context (``ontology/context.jsonld``)."""
    return json.loads((ontology_dir / CONTEXT_FILE).read_text(encoding="utf-8"))["@context"]


class _Writer:
    """Turns triples into node objects using one context."""

    def __init__(self, context: dict) -> None:
        self.context = context
        self.key_of: dict[str, tuple[str, dict]] = {}
        for key, value in context.items():
            if isinstance(value, dict) and "@id" in value:
                self.key_of[self.expand(value["@id"])] = (key, value)

    def expand(self, text: str) -> str:
        prefix, _, local = text.partition(":")
        namespace = self.context.get(prefix)
        return namespace + local if isinstance(namespace, str) and local else text

    def node_id(self, term: URIRef) -> str:
        text = str(term)
        if text.startswith(str(NS_ID)):
            relative = text[len(str(NS_ID)):]
            if RELATIVE.match(relative) and not {".", ".."} & set(relative.split("/")):
                return relative
        short = _short(text)
        return short if short != text and short.split(":")[0] in self.context else text

    def type_name(self, term: URIRef) -> str:
        text = str(term)
        if text.startswith(VOCAB):
            local = text[len(VOCAB):]
            if SAFE_LOCAL.match(local) and local not in self.context:
                return local
        return self.node_id(term)

    def literal(self, o: Literal, definition: dict):
        """The JSON for a literal under a term, or None if the term does not fit it."""
        datatype = str(o.datatype) if o.datatype else None
        if "@container" in definition:
            return None
        if o.language:
            return {"@value": str(o), "@language": o.language}
        coerced = definition.get("@type")
        if coerced and coerced != "@id" and datatype and self.expand(coerced) == datatype:
            return str(o)
        if coerced is None:
            if datatype is None or datatype == str(XSD.string):
                return str(o)
            if datatype == str(XSD.boolean) and str(o) in ("true", "false"):
                return str(o) == "true"
            if datatype == str(XSD.integer) and CANONICAL_INTEGER.match(str(o)):
                return int(str(o))
        if datatype is None or datatype == str(XSD.string):
            return {"@value": str(o)}
        return {"@value": str(o), "@type": _short(datatype)}

    def node(self, subject: URIRef, graph: Graph, embed: dict) -> dict:
        node: dict = {"id": self.node_id(subject)}
        types = sorted(graph.objects(subject, RDF.type), key=term_key)
        if types:
            names = [self.type_name(t) for t in types]
            node["type"] = names[0] if len(names) == 1 else names
        values: dict[str, list] = defaultdict(list)
        languages: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for p, o in sorted(graph.predicate_objects(subject), key=lambda po: (str(po[0]), term_key(po[1]))):
            if p == RDF.type:
                continue
            key, definition = self.key_of.get(str(p), (str(p), {}))
            if isinstance(o, URIRef):
                if "@container" in definition:
                    key, definition = str(p), {}
                if (subject, p) == embed.get(o):
                    value = self.node(o, graph, embed)
                elif definition.get("@type") == "@id":
                    value = self.node_id(o)
                else:
                    value = {"id": self.node_id(o)}
                values[key].append(value)
            elif "@container" in definition and o.language:
                languages[key][o.language].append(str(o))
            else:
                value = self.literal(o, definition)
                if value is None:
                    key, value = str(p), self.literal(o, {})
                values[key].append(value)
        for key, by_lang in languages.items():
            values[key] = [{lang: (v[0] if len(v) == 1 else v) for lang, v in sorted(by_lang.items())}]
        for key in sorted(values):
            found = values[key]
            node[key] = found[0] if len(found) == 1 else found
        return node


def _check_iris(graph: Graph) -> None:
    """An error naming the first IRI no RDF syntax can hold (JSON would take it).

    >>> g = Graph()
    >>> _ = g.add((NS_ID["x"], RDF.type, URIRef("http://a/b c")))
    >>> _check_iris(g)
    Traceback (most recent call last):
    ...
    ascn_graph.writers.ExportError: cannot write the IRI 'http://a/b c': it has a character IRIs may not hold
    """
    for triple in sorted(graph, key=lambda t: tuple(map(term_key, t))):
        for term in triple:
            if isinstance(term, URIRef):
                iri(term)
            elif isinstance(term, Literal) and term.datatype is not None:
                iri(term.datatype)


def jsonld(graph: Graph, context: dict) -> str:
    """The graph as JSON-LD with the context inline, nodes sorted by IRI."""
    _check_iris(graph)
    writer = _Writer(context)
    embed = owners(graph)
    subjects = sorted({s for s in graph.subjects() if s not in embed}, key=term_key)
    nodes = [writer.node(s, graph, embed) for s in subjects]
    return json.dumps({"@context": context, "@graph": nodes}, ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    """Print a context made from the current graph (to refresh ``ontology/context.jsonld``:
    ``python -m ascn_graph.jsonld > ontology/context.jsonld``; keys once published should not change)."""
    import sys

    from ascn_graph import api
    from ascn_graph.export import published

    sys.stdout.write(context_document(make_context(published(api.build(), inferred=True))))


if __name__ == "__main__":
    main()
