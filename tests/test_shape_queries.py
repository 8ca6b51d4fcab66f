"""The SHACL shapes as SPARQL queries in Oxigraph (ascn_graph/shape_queries.py) give
pySHACL's results: on the real graph, on small broken graphs (one per kind of constraint,
with the cases where pySHACL's rules are easy to get wrong), on a synthetic graph, whole
and damaged at random; a shapes graph the queries do not cover, and a graph whose
literals Oxigraph would write otherwise, are left to pySHACL."""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ascn_graph import shape_queries
from ascn_graph.loading import (
    ASCN,
    LoadedGraph,
    bind_prefixes,
    load_project,
    parse_turtle,
    read_turtle,
)
from ascn_graph.project import Project
from ascn_graph.store import OxigraphGraph
from ascn_graph.validation import SH, run_shapes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import write_project  # noqa: E402

PREFIXES = (ROOT / "docs" / "prefixes.ttl.txt").read_text()
SHAPES = parse_turtle(ROOT / "ontology" / "shapes.ttl", "ontology/shapes.ttl")
ONTOLOGY = Graph().parse(ROOT / "ontology" / "ascn.ttl")
PROV = "http://www.w3.org/ns/prov#"


def with_ontology(turtle: str) -> Graph:
    """The real ontology (class hierarchy and all) and some data in Turtle."""
    graph = bind_prefixes(Graph())
    graph += ONTOLOGY
    return graph.parse(data=PREFIXES + turtle, format="turtle")


def pyshacl_results(graph: Graph, shapes: Graph = SHAPES) -> Counter:
    """(focus, message, value) of each result, read as run_shapes reads pySHACL's report."""
    conforms, results, _ = shacl_validate(graph, shacl_graph=shapes, inference="none",
                                          advanced=True, allow_warnings=True)
    return Counter() if conforms else Counter(
        (results.value(r, SH.focusNode), str(results.value(r, SH.resultMessage)),
         results.value(r, SH.value)) for r in results.subjects(SH.resultMessage, None))


def query_results(graph: Graph, shapes: Graph = SHAPES, may_decline: bool = False) -> Counter | None:
    """The compiled queries' results; None where ``run`` leaves the graph to pySHACL, which
    it may only do (``may_decline``) because a literal is ill-typed for rdflib."""
    compiled = shape_queries.compile(shapes)
    assert compiled.supported, compiled.unsupported
    found = shape_queries.run(compiled, graph, OxigraphGraph.from_graph(graph))
    if found is None:
        assert may_decline, "the queries declined this graph"
        assert not shape_queries.all_well_typed(graph, compiled.datatypes)
        return None
    return Counter(found)


def problems(loaded: LoadedGraph, shapes: Graph, engine: str) -> Counter:
    return Counter(run_shapes(loaded, shapes, engine))


# -- (a) the real graph ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def real() -> LoadedGraph:
    return load_project(Project.default())


def test_real_graph_same_problems_on_both_engines(real: LoadedGraph) -> None:
    """ontology/shapes.ttl compiles whole (nothing left to pySHACL), and the real graph
    gives the same problems (none) from the queries as from pySHACL."""
    shapes = parse_turtle(Project.default().shapes_file, "shapes")
    assert shape_queries.compile(shapes).supported
    assert shape_queries.run(shape_queries.compile(shapes), real.graph,
                             OxigraphGraph.from_graph(real.graph)) is not None
    assert problems(real, shapes, "fast") == problems(real, shapes, "plain")


def test_real_graph_damaged_same_problems(real: LoadedGraph) -> None:
    """The real graph with its citations untyped, one citation's source dropped and one
    claim's label dropped: hundreds of results, the same from both engines (the files
    named by each problem too)."""
    graph = bind_prefixes(Graph())
    graph += real.graph
    graph.remove((None, RDF.type, ASCN.Citation))
    citation = next(graph.objects(None, ASCN.citation))
    graph.remove((citation, URIRef(PROV + "entity"), None))
    claim = next(graph.subjects(ASCN.citation, None))
    graph.remove((claim, RDFS.label, None))
    damaged = LoadedGraph(graph, real.per_file)
    fast = problems(damaged, SHAPES, "fast")
    assert len(fast) > 300
    assert fast == problems(damaged, SHAPES, "plain")
    assert pyshacl_results(graph) == query_results(graph)


# -- (b) one small broken graph per kind of constraint --------------------------------------

CITED = "ascn:citation [ a ascn:Citation ; prov:entity source:seed-001 ]"
SOURCE = 'source:seed-001 a ascn:Article ; ascn:fileName "001.txt" ; rdfs:label "seed 001"@en .\n'

BROKEN = {
    "minCount": """
        tenure:t1 a ascn:Tenure .
        tenure:t2 a ascn:Tenure ; rdfs:label "t2"@en ; org:member country:laos .
        participation:p1 a ascn:Participation .
        """,
    "maxCount": SOURCE + """
        measurement:m1 a ascn:Measurement ; rdfs:label "m1"@en ; ascn:indicator indicator:i ;
            ascn:value 1 , 2 ; ascn:citation [ a ascn:Citation ;
                prov:entity source:seed-001 , source:seed-002 ;
                ascn:quote "one"@en , "two"@en ; ascn:confidence ascn:HighConfidence ,
                ascn:LowConfidence ] .
        indicator:i a ascn:Indicator .
        source:seed-002 a ascn:WebPage ; ascn:publisherName "x" ;
            schema:url "https://example.org/a"^^xsd:anyURI , "https://example.org/b"^^xsd:anyURI .
        source:seed-003 a ascn:Article ; ascn:fileName "a.txt" , "b.txt" .
        """,
    "datatype": SOURCE + f"""
        tenure:t1 a ascn:Tenure ; rdfs:label "t1"@en ; org:member country:laos ;
            org:role ascn:Shepherd ; {CITED} ;
            ascn:forYear 2024 , "2024-01-05"^^xsd:date , "2025"^^xsd:gYear ,
                "abc"^^xsd:gYear , "2026" , country:laos .
        source:p a ascn:WebPage ; ascn:publisherName "x" ; schema:url "https://example.org/p" .
        source:q a ascn:WebPage ; ascn:publisherName "x" ; schema:url <https://example.org/q> .
        source:r a ascn:WebPage ; ascn:publisherName "x" ; schema:url "not a url"^^xsd:anyURI .
        tenure:t2 a ascn:Tenure ; rdfs:label "t2"@en ; org:member country:laos ;
            org:role ascn:Shepherd ; ascn:citation
                [ a ascn:Citation ; prov:entity source:seed-001 ; ascn:quote "no tag" ] ,
                [ a ascn:Citation ; prov:entity source:seed-001 ; ascn:quote <https://example.org/q> ] ,
                [ a ascn:Citation ; prov:entity source:seed-001 ; ascn:quote [ rdfs:label "b" ] ] ,
                [ a ascn:Citation ; prov:entity source:seed-001 ; ascn:quote "a quote"@id ] .
        """,
    # pySHACL: an ill-typed xsd:date fails sh:datatype; the queries leave the graph to it
    "ill-typed dates": f"""
        event:e a ascn:Meeting ; rdfs:label "e"@en ; {CITED} ;
            ascn:startDate "2024-02-30"^^xsd:date , "2024-1-5"^^xsd:date , "abc"^^xsd:date ,
                "0000-01-01"^^xsd:date , "-0044-03-15"^^xsd:date , "12024-01-01"^^xsd:date ,
                " 2024-01-06"^^xsd:date , "2024-02-29"^^xsd:date , "2023-02-29"^^xsd:date ,
                "2024-01-07Z"^^xsd:date , "2024-01-08+07:00"^^xsd:date ,
                "2024-01-09T10:00:00"^^xsd:date , "2024-W01-1"^^xsd:date , "20240110"^^xsd:date ;
            ascn:endDate "2024-13"^^xsd:gYearMonth , "24"^^xsd:gYear , "May 2024"^^xsd:gYear .
        """,
    "class": SOURCE + """
        participation:p1 a ascn:Participation ; rdfs:label "p1"@en ; ascn:participant country:laos ;
            ascn:event event:annual , event:city , event:untyped , "a meeting" , [ a ascn:Event ] ;
            ascn:citation [ a ascn:Citation ; prov:entity source:seed-001 ] ,
                [ a ascn:Citation ; prov:entity source:page ] ,
                [ a ascn:Citation ; prov:entity person:someone ] ,
                [ prov:entity source:seed-001 ] .
        event:annual a ascn:AnnualMeeting .
        event:city a ascn:City .
        source:page a ascn:WebPage ; ascn:publisherName "x" ; schema:url "https://e.org/"^^xsd:anyURI .
        person:someone a ascn:Person .
        membership:m1 a ascn:PilotCityMembership ; ascn:status ascn:Member ;
            org:member country:laos , city:sumedang .
        city:sumedang a ascn:City .
        measurement:m a ascn:Measurement ; ascn:indicator "people" ; ascn:value 3 .
        """,
    "or": """
        document:d a ascn:Framework ; rdfs:label "d"@en ;
            ascn:citation [ a ascn:Citation ; prov:entity source:seed-001 ] ;
            dcterms:date "2024"^^xsd:gYear , "May 2024" , "2024-05"^^xsd:gYearMonth ,
                "2024-05-01T10:00:00"^^xsd:dateTime , <https://example.org/may> , "2024-05-02"@en ;
            dcterms:issued "2024-05-03"^^xsd:date , 2024 ;
            ascn:adoptedOn "2024-05-04" .
        source:seed-001 a ascn:Article ; ascn:fileName "x" ; dcterms:date "someday" .
        """,
    "in": """
        tenure:t a ascn:Tenure ; rdfs:label "t"@en ; org:member country:laos ; org:role ascn:Shepherd ;
            ascn:citation [ a ascn:Citation ; prov:entity source:s ; ascn:confidence ascn:VeryHigh ] ,
                [ a ascn:Citation ; prov:entity source:s ; ascn:confidence "high" ] ,
                [ a ascn:Citation ; prov:entity source:s ; ascn:confidence ascn:HighConfidence ] .
        source:s a ascn:Article ; ascn:fileName "s.txt" .
        """,
    "minLength": """
        tenure:t a ascn:Tenure ; rdfs:label "t"@en ; org:member country:laos ; org:role ascn:Shepherd ;
            ascn:citation [ a ascn:Citation ; prov:entity source:s ; ascn:quote "ab"@en ] ,
                [ a ascn:Citation ; prov:entity source:s ; ascn:quote "abc"@en ] ,
                [ a ascn:Citation ; prov:entity source:s ; ascn:quote "é\\u0301"@id ] ,
                [ a ascn:Citation ; prov:entity source:s ; ascn:quote [ a ascn:Citation ] ] ,
                [ a ascn:Citation ; prov:entity source:s ; ascn:quote <x:y> ] .
        source:s a ascn:Article ; ascn:fileName "s.txt" .
        """,
    # a citation is a blank node; ascn:citation with a literal or an IRI makes those
    # focus nodes of the citation shape too
    "odd focus nodes": """
        tenure:t a ascn:Tenure ; rdfs:label "t"@en ; org:member country:laos ; org:role ascn:Shepherd ;
            ascn:citation "just text" , "2024"^^xsd:gYear , source:s , [ ascn:quote "q"@en ] .
        source:s a ascn:Article ; ascn:fileName "s.txt" .
        [ a ascn:Tenure ; ascn:startDate "soon" ] .
        """,
}


@pytest.mark.parametrize("parser", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_graph_same_results_as_pyshacl(kind: str, parser: str, tmp_path: Path) -> None:
    """Each small broken graph, parsed by rdflib or (as the fast engine loads files) by
    Oxigraph: pySHACL reports violations, and the queries report the same (focus,
    message, value) results, as many times each; run_shapes then gives the same problems
    on both engines."""
    graph = with_ontology(BROKEN[kind])
    if parser == "oxigraph":
        (tmp_path / "broken.ttl").write_text(PREFIXES + BROKEN[kind], encoding="utf-8")
        graph = bind_prefixes(Graph())
        graph += ONTOLOGY
        for triple in read_turtle(tmp_path / "broken.ttl"):
            graph.add(triple)
    expected = pyshacl_results(graph)
    assert expected, "pySHACL finds nothing: the test would prove nothing"
    # "abc"^^xsd:gYear (datatype) is ill-typed for rdflib once owlrl has run in the process
    found = query_results(graph, may_decline=kind in ("ill-typed dates", "datatype"))
    if kind == "ill-typed dates":
        assert found is None  # "2024-02-30"^^xsd:date: rdflib finds it ill-typed
    else:
        assert found is None or found == expected
    loaded = LoadedGraph(graph)
    assert problems(loaded, SHAPES, "fast") == problems(loaded, SHAPES, "plain")


def test_what_pyshacl_says_about_the_tricky_cases() -> None:
    """The cases above do test pySHACL's own rules (and so the queries'): an ill-typed
    xsd:date fails sh:datatype (the queries leave such a graph to pySHACL), a subclass
    instance satisfies sh:class, a literal never does, sh:minLength fails a blank node."""
    dates = {v for _, _, v in pyshacl_results(with_ontology(BROKEN["ill-typed dates"]))}
    assert Literal("2024-02-30", datatype=XSD.date) in dates
    assert Literal("0000-01-01", datatype=XSD.date) in dates
    assert Literal("2024-02-29", datatype=XSD.date) not in dates
    assert Literal("2024-01-07", datatype=XSD.date) not in dates  # rdflib drops the zone
    assert not shape_queries.pyshacl_accepts(Literal("2024-02-30", datatype=XSD.date))
    classes = {v for _, _, v in query_results(with_ontology(BROKEN["class"]))}
    ns = "https://w3id.org/ascn-graph/id/"
    assert URIRef(ns + "event/annual") not in classes and URIRef(ns + "source/page") not in classes
    assert {URIRef(ns + "event/city"), URIRef(ns + "event/untyped"), Literal("a meeting"),
            URIRef(ns + "person/someone"), Literal("people")} <= classes
    lengths = query_results(with_ontology(BROKEN["minLength"]))
    assert {m for _, m, v in lengths if isinstance(v, BNode)} == {
        "a quote is one language-tagged string"}


# -- (c) a synthetic graph ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> LoadedGraph:
    """About 1,000 synthetic triples (seed 6) with the real ontology."""
    folder = tmp_path_factory.mktemp("synthetic")
    write_project(folder, 300, seed=6)
    return load_project(Project(folder, folder / "sources"))


def test_synthetic_graph_same_problems_on_both_engines(synthetic: LoadedGraph) -> None:
    """The synthetic graph: the same problems from the queries as from pySHACL."""
    assert problems(synthetic, SHAPES, "fast") == problems(synthetic, SHAPES, "plain")
    assert query_results(synthetic.graph) == pyshacl_results(synthetic.graph)


@pytest.mark.parametrize("seed", range(4))
def test_synthetic_graph_damaged_at_random(synthetic: LoadedGraph, seed: int) -> None:
    """The synthetic graph with triples the shapes read dropped, doubled or given odd
    values at random: the same results (and problems) from the queries as from pySHACL."""
    rng = random.Random(seed)
    graph = bind_prefixes(Graph())
    graph += synthetic.graph
    read = {p for s in SHAPES.subjects(SH.path, None) for p in SHAPES.objects(s, SH.path)}
    read |= {RDF.type, ASCN.citation}
    triples = sorted(t for t in graph if t[1] in read)
    odd = [Literal("x"), Literal("ab", lang="en"), Literal("2024-02-28", datatype=XSD.date),
           Literal("2024", datatype=XSD.gYear), Literal(7), URIRef("https://example.org/odd"),
           BNode("odd"), ASCN.HighConfidence, ASCN.City, ASCN.Citation]
    for s, p, o in rng.sample(triples, len(triples) // 20):
        graph.remove((s, p, o))
    for s, p, _ in rng.sample(triples, len(triples) // 20):
        graph.add((s, p, rng.choice(odd)))
    expected = pyshacl_results(graph)
    assert expected
    assert query_results(graph) == expected
    loaded = LoadedGraph(graph)
    assert problems(loaded, SHAPES, "fast") == problems(loaded, SHAPES, "plain")


# -- (d) what the queries leave to pySHACL ------------------------------------------------------

SH_PREFIX = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
EXTRA_SHAPES = {
    "sh:pattern": """shapes:X sh:targetClass ascn:Tenure ; sh:property [ sh:path rdfs:label ;
        sh:pattern "^[A-Z]" ; sh:message "a label starts with a capital" ] .""",
    "sh:qualifiedValueShape": """shapes:X sh:targetClass ascn:Tenure ; sh:property [
        sh:path ascn:citation ; sh:qualifiedValueShape [ sh:class ascn:Citation ] ;
        sh:qualifiedMinCount 2 ; sh:message "two citations" ] .""",
    "no sh:message": """shapes:X sh:targetClass ascn:Tenure ; sh:property [
        sh:path ascn:forCountry ; sh:minCount 1 ] .""",
    "sh:severity": """shapes:X sh:targetClass ascn:Tenure ; sh:property [ sh:path ascn:forCountry ;
        sh:minCount 1 ; sh:severity sh:Warning ; sh:message "no country" ] .""",
    "complex path": """shapes:X sh:targetClass ascn:Tenure ; sh:property [
        sh:path [ sh:inversePath ascn:about ] ; sh:minCount 1 ; sh:message "nothing about it" ] .""",
    "SHACL-AF": """shapes:X sh:targetClass ascn:Tenure ; sh:rule [ a sh:TripleRule ;
        sh:subject sh:this ; sh:predicate rdfs:comment ; sh:object "ruled" ] .""",
}
NAMED = {  # how compile names each in the reasons it gives
    "sh:pattern": "sh:pattern", "sh:qualifiedValueShape": "sh:qualifiedValueShape",
    "no sh:message": "0 sh:message", "sh:severity": "sh:Warning",
    "complex path": "sh:inversePath",
    "SHACL-AF": "sh:rule",
}
TENURES = """
tenure:t1 a ascn:Tenure ; rdfs:label "lower case"@en ; org:member country:laos ; org:role ascn:Shepherd .
measurement:m a ascn:Measurement ; ascn:indicator indicator:i ; ascn:value "abc"^^xsd:integer , 2.5 .
indicator:i a ascn:Indicator .
"""


def test_an_ill_typed_literal_leaves_the_graph_to_pyshacl() -> None:
    """sh:datatype xsd:integer compiles; "abc"^^xsd:integer, ill-typed for rdflib, makes
    run decline (pySHACL reads rdflib's verdict), and run_shapes gives pySHACL's problems,
    the integer's among them. Without it, the queries answer and agree."""
    shapes = SHAPES + Graph().parse(format="turtle", data=PREFIXES + SH_PREFIX + """
        [] sh:targetClass ascn:Measurement ; sh:property [ sh:path ascn:value ;
            sh:datatype xsd:integer ; sh:message "value must be an integer" ] .""")
    compiled = shape_queries.compile(shapes)
    assert compiled.supported, compiled.unsupported
    graph = with_ontology(TENURES)
    assert shape_queries.run(compiled, graph, OxigraphGraph.from_graph(graph)) is None
    loaded = LoadedGraph(graph)
    fast = problems(loaded, shapes, "fast")
    assert fast == problems(loaded, shapes, "plain")
    assert any("value must be an integer" in str(p) and "abc" in str(p) for p in fast)
    clean = with_ontology(TENURES.replace('"abc"^^xsd:integer , ', ""))
    found = query_results(clean, shapes)
    assert found == pyshacl_results(clean, shapes) and any(
        m == "value must be an integer" for _, m, _ in found)


@pytest.mark.parametrize("construct", sorted(EXTRA_SHAPES))
def test_unsupported_shapes_left_to_pyshacl(construct: str) -> None:
    """A shapes graph with a construct the queries do not cover: compile says so by name,
    and run_shapes on the fast engine gives pySHACL's problems (the extra shape's too)."""
    shapes = Graph()
    shapes += SHAPES
    shapes.parse(data=PREFIXES + SH_PREFIX + "@prefix shapes: <https://w3id.org/ascn-graph/shapes#> .\n"
                 + EXTRA_SHAPES[construct], format="turtle")
    compiled = shape_queries.compile(shapes)
    assert any(NAMED[construct] in reason for reason in compiled.unsupported), compiled.unsupported
    with pytest.raises(shape_queries.Unsupported):
        shape_queries.run(compiled, Graph(), OxigraphGraph())
    graph = with_ontology(TENURES)
    loaded = LoadedGraph(graph)
    fast = problems(loaded, shapes, "fast")
    assert fast == problems(loaded, shapes, "plain")
    assert len(fast) > len(problems(loaded, SHAPES, "plain")) or construct == "SHACL-AF"


@pytest.mark.parametrize("turtle", [
    # Oxigraph holds "1.5" and "1.50" as one value: pySHACL counts two
    'measurement:m a ascn:Measurement ; ascn:indicator "i" ; ascn:value 1.5 , 1.50 .',
    # a wrong value Oxigraph writes as "1.5": pySHACL reports rdflib's "1.50"
    'tenure:t a ascn:Tenure ; ascn:forYear 1.50 .',
    # written back by Oxigraph as ...Z, at a predicate whose dates the queries read
    'document:d a ascn:Document ; dcterms:date "2024-05-01T10:00:00+00:00"^^xsd:dateTime .',
    # "x"^^xsd:string is the simple literal "x" in Oxigraph: pySHACL reports the former
    'tenure:t a ascn:Tenure ; ascn:citation [ ascn:quote "xyz"^^xsd:string ] .',
    # a language tag in capitals: Oxigraph writes it in lower case
    'tenure:t a ascn:Tenure ; ascn:citation [ ascn:quote "xy"@EN ] .',
])
def test_literals_oxigraph_writes_otherwise_left_to_pyshacl(turtle: str) -> None:
    """Where Oxigraph would hold a literal the shapes read otherwise than rdflib does,
    run declines (None) and run_shapes on the fast engine gives pySHACL's problems."""
    graph = with_ontology(turtle)
    assert shape_queries.run(shape_queries.compile(SHAPES), graph,
                             OxigraphGraph.from_graph(graph)) is None
    loaded = LoadedGraph(graph)
    fast = problems(loaded, SHAPES, "fast")
    assert fast and fast == problems(loaded, SHAPES, "plain")


def test_literal_forms_only_the_check_of_literals_sees() -> None:
    """Oxigraph writes "P0D"^^xsd:duration as "PT0S" (longer: a sh:minLength 4 passes), a
    fault no reported value gives away: run declines it, and run_shapes gives pySHACL's
    problems. A date kept as written ("2024-01-06Z", rdflib's normalising off) is
    well-typed for rdflib and for pySHACL: the queries agree."""
    shapes = SHAPES + Graph().parse(format="turtle", data=PREFIXES + SH_PREFIX + """
        [] sh:targetClass ascn:Tenure ; sh:property [ sh:path ascn:note ; sh:minLength 4 ;
            sh:message "a note of four characters at least" ] .""")
    duration = with_ontology('tenure:t a ascn:Tenure ; ascn:note "P0D"^^xsd:duration .')
    dated = with_ontology("")
    dated.add((URIRef("https://example.org/e"), ASCN.startDate,
               Literal("2024-01-06Z", datatype=XSD.date, normalize=False)))
    assert shape_queries.run(shape_queries.compile(shapes), duration,
                             OxigraphGraph.from_graph(duration)) is None
    loaded = LoadedGraph(duration)
    assert problems(loaded, shapes, "fast") == problems(loaded, shapes, "plain")
    assert pyshacl_results(duration, shapes)
    assert query_results(dated) == pyshacl_results(dated)


def test_a_term_oxigraph_cannot_hold_is_left_to_pyshacl() -> None:
    """An rdflib graph may hold an IRI Oxigraph refuses (rdflib's own parse lets a space
    through with a warning): run_shapes on the fast engine gives pySHACL's problems."""
    graph = with_ontology("")
    graph.add((URIRef("https://example.org/a b"), RDF.type, ASCN.Tenure))
    loaded = LoadedGraph(graph)
    fast = problems(loaded, SHAPES, "fast")
    assert fast and fast == problems(loaded, SHAPES, "plain")


def test_deactivated_shapes_report_nothing() -> None:
    """sh:deactivated on a node shape (the claim shape) and on a property shape (the
    startDate one): the queries skip them as pySHACL does, and still cover the rest."""
    shapes = SHAPES + Graph().parse(format="turtle", data=SH_PREFIX + """
        @prefix shapes: <https://w3id.org/ascn-graph/shapes#> .
        shapes:ClaimShape sh:deactivated true . shapes:startDate sh:deactivated true .""")
    graph = with_ontology(BROKEN["class"] + BROKEN["minCount"])
    expected = pyshacl_results(graph, shapes)
    assert expected and expected != pyshacl_results(graph)
    assert query_results(graph, shapes) == expected
