"""A VoID and DCAT description of the dataset: its size (triples, entities,
classes, properties), the vocabularies it uses, its licence (CC BY 4.0), the
sources it cites, its SPARQL endpoint when there is one, example resources,
and one subset per source document (the named graphs of a TriG export).

Only what can be counted from the graph is stated: no publisher, no dates.

>>> from rdflib import Graph, Literal
>>> from rdflib.namespace import RDFS
>>> from ascn_graph.loading import NS_ID
>>> g = Graph()
>>> _ = g.add((NS_ID["country/indonesia"], RDFS.label, Literal("Indonesia", lang="en")))
>>> d = describe(g, sparql_endpoint="http://127.0.0.1:8000/sparql")
>>> d.value(DATASET, VOID.triples).toPython(), d.value(DATASET, VOID.properties).toPython()
(1, 1)
>>> str(d.value(DATASET, VOID.sparqlEndpoint))
'http://127.0.0.1:8000/sparql'
"""

from __future__ import annotations

from collections import Counter

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from ascn_graph.loading import ASCN, NS_ID, PROV
from ascn_graph.skolem import is_skolem

DATASET = URIRef("https://w3id.org/ascn-graph/dataset")
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
EXAMPLES = ("organization/ascn", "country/indonesia", "person/amran", "city/sumedang",
            "tenure/ascn-chair-2018-inferred")
MEDIA_TYPES = {
    "turtle": ("text/turtle", FORMATS.Turtle),
    "nt": ("application/n-triples", FORMATS["N-Triples"]),
    "nquads": ("application/n-quads", FORMATS["N-Quads"]),
    "trig": ("application/trig", FORMATS.TriG),
    "json-ld": ("application/ld+json", FORMATS["JSON-LD"]),
    "xml": ("application/rdf+xml", FORMATS.RDF_XML),
}


def namespace_of(term: URIRef) -> str:
    """The vocabulary an IRI belongs to.

    >>> namespace_of(URIRef("http://www.w3.org/ns/org#member"))
    'http://www.w3.org/ns/org#'
    """
    text = str(term)
    return text[: max(text.rfind("#"), text.rfind("/")) + 1]


def _count(d: Graph, node: URIRef, prop: URIRef, n: int) -> None:
    d.add((node, prop, Literal(n, datatype=XSD.integer)))


def describe(
    graph: Graph,
    sparql_endpoint: str | None = None,
    subsets: dict[URIRef | None, set] | None = None,
    distribution: tuple[str, str, str | None] | None = None,
    inferred: bool = True,
) -> Graph:
    """The VoID/DCAT description of ``graph``.

    ``subsets`` maps a source IRI to the triples of its named graph;
    ``distribution`` is (format, file name, download URL or None).
    """
    d = Graph()
    d.bind("void", VOID)
    d.bind("dcat", DCAT)
    d.bind("dcterms", DCTERMS)
    d.add((DATASET, RDF.type, VOID.Dataset))
    d.add((DATASET, RDF.type, DCAT.Dataset))
    d.add((DATASET, DCTERMS.title, Literal("ASEAN Smart Cities Network knowledge graph", lang="en")))
    what = "asserted facts and inferences" if inferred else "asserted facts only"
    d.add((DATASET, DCTERMS.description, Literal(
        "Who held the ASEAN Smart Cities Network's roles and when, its pilot cities, meetings, "
        f"projects and documents, each claim cited to its source ({what}).", lang="en")))
    d.add((DATASET, DCTERMS.license, LICENCE))
    d.add((DATASET, VOID.uriSpace, Literal(str(NS_ID))))
    d.add((DATASET, VOID.vocabulary, URIRef(str(ASCN))))
    for keyword in ("ASEAN", "smart cities", "ASEAN Smart Cities Network", "provenance"):
        d.add((DATASET, DCAT.keyword, Literal(keyword, lang="en")))
    _statistics(d, DATASET, graph)
    for source in sorted(set(graph.objects(None, PROV.entity))):
        if isinstance(source, URIRef):
            d.add((DATASET, DCTERMS.source, source))
    for slug in EXAMPLES:
        if (NS_ID[slug], None, None) in graph:
            d.add((DATASET, VOID.exampleResource, NS_ID[slug]))
    if sparql_endpoint:
        endpoint = URIRef(sparql_endpoint)
        service = URIRef(str(DATASET) + "/service")
        d.add((DATASET, VOID.sparqlEndpoint, endpoint))
        d.add((service, RDF.type, DCAT.DataService))
        d.add((service, DCAT.endpointURL, endpoint))
        d.add((service, DCAT.servesDataset, DATASET))
    if distribution:
        _distribution(d, graph, *distribution)
    for source, triples in sorted((subsets or {}).items(), key=lambda kv: str(kv[0] or "")):
        if source is None:
            continue
        subset = URIRef(str(DATASET) + "/graph/" + str(source)[len(str(NS_ID)):])
        d.add((DATASET, VOID.subset, subset))
        d.add((subset, RDF.type, VOID.Dataset))
        d.add((subset, DCTERMS.source, source))
        _count(d, subset, VOID.triples, len(triples))
    return d


def _statistics(d: Graph, node: URIRef, graph: Graph) -> None:
    subjects = {s for s in graph.subjects() if not is_skolem(s)}
    classes = set(graph.objects(None, RDF.type))
    properties = set(graph.predicates())
    _count(d, node, VOID.triples, len(graph))
    _count(d, node, VOID.entities, sum(1 for s in subjects if str(s).startswith(str(NS_ID))))
    _count(d, node, VOID.classes, len(classes))
    _count(d, node, VOID.properties, len(properties))
    _count(d, node, VOID.distinctSubjects, len(set(graph.subjects())))
    _count(d, node, VOID.distinctObjects, len(set(graph.objects())))
    used = Counter(namespace_of(p) for p in properties) + Counter(namespace_of(c) for c in classes
                                                                   if isinstance(c, URIRef))
    for namespace in sorted(used):
        if namespace and not namespace.startswith(str(NS_ID)):
            d.add((node, VOID.vocabulary, URIRef(namespace)))


def _distribution(d: Graph, graph: Graph, fmt: str, name: str, url: str | None) -> None:
    media, feature = MEDIA_TYPES[fmt]
    dist = URIRef(f"{DATASET}/distribution/{fmt}")
    d.add((DATASET, DCAT.distribution, dist))
    d.add((DATASET, VOID.feature, feature))
    d.add((dist, RDF.type, DCAT.Distribution))
    d.add((dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + media)))
    d.add((dist, DCTERMS.format, Literal(media)))
    d.add((dist, DCTERMS.title, Literal(name)))
    d.add((dist, DCTERMS.license, LICENCE))
    _count(d, dist, VOID.triples, len(graph))
    if url:
        d.add((dist, DCAT.downloadURL, URIRef(url)))
        d.add((DATASET, VOID.dataDump, URIRef(url)))
