"""Why an inferred fact holds: the rule, and the asserted facts (with their
citations) that produced it.

>>> from ascn_graph.api import build
>>> g = build()
>>> from ascn_graph.loading import ASCN, NS_ID
>>> text = explain_resource(g, NS_ID["tenure/ascn-chair-2018-inferred"])
>>> "ascn-chair-from-asean-chair" in text
True
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ascn_graph.errors import UnknownResourceError
from ascn_graph.loading import ASCN, PROV
from ascn_graph.reasoning import OWL_RL, ReasonedGraph
from ascn_graph.results import curie, label
from ascn_graph.rules import Derivation


def _show(graph: Graph, term) -> str:
    if isinstance(term, Literal):
        return term.n3(graph.namespace_manager)
    return curie(graph, term)


def _triple(graph: Graph, triple) -> str:
    return " ".join(_show(graph, t) for t in triple)


def citations(graph: Graph, claim) -> list[str]:
    """One line per citation of a claim: source, then quote or confidence."""
    lines = []
    for citation in graph.objects(claim, ASCN.citation):
        source = graph.value(citation, PROV.entity)
        quote = graph.value(citation, ASCN.quote)
        confidence = graph.value(citation, ASCN.confidence)
        reason = graph.value(citation, ASCN.confidenceReason)
        text = f"{label(graph, source)} [{curie(graph, source)}]" if source else "(no source)"
        if quote is not None:
            text += f': "{quote}"'
        if confidence is not None:
            text += f" (confidence {label(graph, confidence)}: {reason})"
        lines.append(text)
    return sorted(lines)


def _owl_rl_reason(result: ReasonedGraph, triple) -> list[str]:
    """A short account of the OWL 2 RL step behind a triple, where one is easy to find."""
    graph = result.view()
    s, p, o = triple
    lines = []
    if p == RDF.type:
        for asserted_type in result.asserted.objects(s, RDF.type):
            if (asserted_type, RDFS.subClassOf, o) in graph:
                lines.append(f"{_show(graph, s)} is a {_show(graph, asserted_type)} (asserted), "
                             f"and {_show(graph, asserted_type)} rdfs:subClassOf {_show(graph, o)}")
        for prop in graph.predicates(s, None):
            if (prop, RDFS.domain, o) in graph and not lines:
                lines.append(f"{_show(graph, prop)} has rdfs:domain {_show(graph, o)}")
    for prop in result.asserted.predicates(s, o):
        if (prop, RDFS.subPropertyOf, p) in graph:
            lines.append(f"asserted {_show(graph, s)} {_show(graph, prop)} {_show(graph, o)}, "
                         f"and {_show(graph, prop)} rdfs:subPropertyOf {_show(graph, p)}")
    if (p, RDF.type, OWL.SymmetricProperty) in graph or (p, OWL.inverseOf, None) in graph:
        lines.append(f"{_show(graph, p)} is symmetric or has an inverse")
    return lines


def _derivation_lines(graph: Graph, how: Derivation) -> list[str]:
    rule_iri = URIRef(str(ASCN).replace("ontology#", "id/rule/") + how.rule)
    lines = [f"  by rule {how.rule}: {label(graph, rule_iri)} (queries/rules/{how.rule}.rq)"]
    lines += [f"    from: {_triple(graph, premise)}" for premise in how.premises]
    cited_subjects = list(dict.fromkeys(p[0] for p in how.premises))
    for subject in cited_subjects:
        cited = citations(graph, subject)
        if cited:
            lines.append(f"    sources of {curie(graph, subject)}:")
            lines += [f"      {c}" for c in cited]
    return lines


def explain_triple(result: ReasonedGraph, triple) -> str:
    """Explain one triple: asserted (with citations) or inferred (rule and premises)."""
    graph = result.view()
    head = _triple(graph, triple)
    if triple in result.asserted:
        lines = [head, "  asserted"]
        lines += [f"    cited: {c}" for c in citations(graph, triple[0])]
        return "\n".join(lines)
    how = result.how(triple)
    if how is None:
        raise UnknownResourceError(f"not in the graph: {head}")
    if how == OWL_RL:
        lines = [head, "  by the OWL 2 RL closure (owlrl)"]
        lines += [f"    because {r}" for r in _owl_rl_reason(result, triple)]
        return "\n".join(lines)
    assert isinstance(how, Derivation)
    return "\n".join([head] + _derivation_lines(graph, how))


def explain_resource(result: ReasonedGraph, resource: URIRef) -> str:
    """Explain every inferred fact about a resource, grouped by the rule firing
    that produced it, with the asserted facts and citations behind it."""
    graph = result.view()
    if (resource, None, None) not in graph and (None, None, resource) not in graph:
        raise UnknownResourceError(f"nothing in the graph is called {resource}")
    lines = [f"{label(graph, resource)} [{curie(graph, resource)}]"]
    cited = citations(graph, resource)
    if cited:
        lines.append("  cited by:")
        lines += [f"    {c}" for c in cited]
    if (resource, ASCN.inferredBy, None) in graph:
        lines.append("  inferred, not asserted: no source states it; it was derived from")
        for source in sorted(graph.objects(resource, ASCN.inferredFrom)):
            lines.append(f"    {label(graph, source)} [{curie(graph, source)}]")
    inferred = sorted(
        (t for t in result.inferred.triples((resource, None, None)) if t in graph),
        key=lambda t: (str(t[1]), str(t[2])),
    )
    if not inferred:
        lines.append("  no inferred facts about it")
        return "\n".join(lines)
    groups: dict[object, list] = {}
    for triple in inferred:
        how = result.how(triple)
        key = OWL_RL if how == OWL_RL else (how.rule, tuple(how.premises))
        groups.setdefault(key, []).append(triple)
    for key, triples in groups.items():
        lines.append("")
        if key == OWL_RL:
            lines.append("inferred by the OWL 2 RL closure (owlrl):")
            for triple in triples:
                lines.append(f"  {_triple(graph, triple)}")
                lines += [f"    because {r}" for r in _owl_rl_reason(result, triple)]
            continue
        lines.append("inferred:")
        lines += [f"  {_triple(graph, t)}" for t in triples]
        lines += _derivation_lines(graph, result.how(triples[0]))
    return "\n".join(lines)
