"""Reasoning over the real graph: the rules' results, the merge of variant
names, owlrl's noise kept out, and inconsistencies reported."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ascn_graph.errors import InconsistencyError
from ascn_graph.explain import explain_resource, explain_triple
from ascn_graph.loading import ASCN, NS_ID, ORG, LoadedGraph, load_project
from ascn_graph.reasoning import check_consistent, reason
from ascn_graph.rules import load_rules

TENURE = NS_ID["tenure/"]


def test_asserted_and_inferred_are_apart(reasoned) -> None:
    assert len(reasoned.inferred) > 0
    assert not any(t in reasoned.asserted for t in reasoned.inferred)


def test_ascn_chair_2018_is_inferred_from_the_asean_chair(view) -> None:
    derived = URIRef(TENURE + "ascn-chair-2018-inferred")
    assert (derived, ORG.member, NS_ID["country/singapore"]) in view
    assert (derived, ORG.role, ASCN.ASCNChair) in view
    assert (derived, ASCN.howBegan, ASCN.ExOfficio) in view
    assert (derived, ASCN.inferredBy, NS_ID["rule/ascn-chair-from-asean-chair"]) in view
    assert (derived, ASCN.inferredFrom, URIRef(TENURE + "asean-chair-2018")) in view
    assert (derived, ASCN.citation, None) not in view  # inferred, not sourced


def test_no_ascn_chair_is_inferred_where_a_source_names_one(view) -> None:
    inferred_years = {
        str(view.value(t, ASCN.forYear))
        for t in view.subjects(ASCN.inferredBy, NS_ID["rule/ascn-chair-from-asean-chair"])
    }
    assert inferred_years == {"2018"}


def test_date_bounds_and_precision(view) -> None:
    shepherd = URIRef(TENURE + "shepherd-indonesia-2023")
    assert view.value(shepherd, ASCN.startPrecision) == ASCN.YearPrecision
    assert str(view.value(shepherd, ASCN.startEarliest)) == "2023-01-01"
    assert str(view.value(shepherd, ASCN.endLatest)) == "2025-12-31"


def test_variant_names_are_merged(view) -> None:
    variant = NS_ID["person/amran-jamaludin"]
    canonical = NS_ID["person/amran"]
    assert (variant, OWL.sameAs, canonical) in view
    # the variant keeps only its identity; its facts point at the canonical IRI
    assert {p for p in view.predicates(variant, None)} <= {
        OWL.sameAs, ASCN.mergedInto, RDFS.label, RDF.type, ASCN.identityNote
    }
    assert (None, None, variant) not in view.triples((None, ASCN.participant, None))
    assert (canonical, None, Literal("Amran Jamaludin", lang="en")) in view


def test_owlrl_noise_never_reaches_the_view(view) -> None:
    for s, p, o in view:
        assert not isinstance(s, Literal)
        if p in (OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf):
            assert s != o, (s, p)
        assert not (p == RDF.type and o in (OWL.Thing, RDFS.Resource))
        assert not str(s).startswith(str(OWL))


def test_acting_official_performs_nr_when_no_source_says_so(project) -> None:
    """Drop the direct statements that Amran was NR; the rule derives it from
    his acting post in the office that holds Indonesia's NR role."""
    loaded = load_project(project)
    graph = Graph()
    for t in loaded.graph:
        graph.add(t)
    direct = [
        t for t in graph.subjects(ORG.role, ASCN.NationalRepresentative)
        if (t, ORG.member, NS_ID["person/amran"]) in graph
    ]
    assert direct, "the data should state Amran's NR role directly"
    for tenure in direct:
        for citation in graph.objects(tenure, ASCN.citation):
            graph.remove((citation, None, None))
        graph.remove((tenure, None, None))
        graph.remove((None, None, tenure))
    result = reason(LoadedGraph(graph), load_rules(project))
    derived = [
        t for t in result.inferred.subjects(ASCN.inferredBy, NS_ID["rule/acting-official-performs-nr"])
        if (t, ORG.member, NS_ID["person/amran"]) in result.inferred
    ]
    assert derived
    assert all((t, ASCN.actingFor, NS_ID["organization/ditjen-bina-adwil"]) in result.inferred
               for t in derived)
    text = explain_resource(result, derived[0])
    assert "acting-official-performs-nr" in text and "sources of" in text


def test_inconsistency_is_reported_not_ignored(project) -> None:
    graph = Graph()
    a, b, x = URIRef("http://example.org/A"), URIRef("http://example.org/B"), BNode()
    graph.add((a, OWL.disjointWith, b))
    graph.add((x, RDF.type, a))
    graph.add((x, RDF.type, b))
    result = reason(LoadedGraph(graph), [])
    assert result.errors
    with pytest.raises(InconsistencyError, match="inconsistenc"):
        check_consistent(result)


def test_real_graph_is_consistent(reasoned) -> None:
    check_consistent(reasoned)


def test_explain_shows_rule_premises_and_citations(reasoned) -> None:
    derived = URIRef(TENURE + "ascn-chair-2018-inferred")
    text = explain_resource(reasoned, derived)
    assert "ascn-chair-from-asean-chair" in text
    assert "tenure:asean-chair-2018" in text
    assert "sources of tenure:asean-chair-2018" in text
    triple = (derived, ORG.member, NS_ID["country/singapore"])
    assert "from: tenure:asean-chair-2018 org:member country:singapore" in explain_triple(reasoned, triple)
