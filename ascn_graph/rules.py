"""Domain rules: SPARQL CONSTRUCT files under ``queries/rules/``.

Each rule is applied with provenance: for every triple it derives we keep the
rule and the variable bindings that produced it, so ``explain`` can show the
asserted facts behind an inferred one.

>>> from ascn_graph.project import Project
>>> names = [r.name for r in load_rules(Project.default())]
>>> "ascn-chair-from-asean-chair" in names
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import DCTERMS, RDF, RDFS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query, QueryContext, SPARQLError

from ascn_graph.errors import DataSyntaxError
from ascn_graph.loading import ASCN, NS_ID
from ascn_graph.project import Project
from ascn_graph.queryfiles import read_query_file

Triple = tuple

RULE_NS = NS_ID["rule/"]


@dataclass
class Derivation:
    """One firing of a rule: the bindings and the premises it matched."""

    rule: str
    bindings: dict[str, object]
    premises: list[Triple] = field(default_factory=list)


@dataclass
class Rule:
    """A CONSTRUCT rule read from a file."""

    name: str
    title: str
    description: str
    path: Path
    query: Query

    @property
    def iri(self) -> URIRef:
        return URIRef(RULE_NS + self.name)

    def describe(self, graph: Graph) -> None:
        """Add the rule itself, as an ascn:Rule, to ``graph``."""
        graph.add((self.iri, RDF.type, ASCN.Rule))
        graph.add((self.iri, RDFS.label, Literal(self.title, lang="en")))
        graph.add((self.iri, RDFS.comment, Literal(self.description, lang="en")))
        graph.add((self.iri, DCTERMS.source, Literal(f"queries/rules/{self.path.name}")))

    def apply(self, graph: Graph) -> dict[Triple, Derivation]:
        """Every triple the rule derives over ``graph``, with how it was derived."""
        algebra = self.query.algebra
        template = algebra.template or algebra.p.p.triples
        patterns = list(_bgp_triples(algebra.p))
        ctx = QueryContext(graph, initBindings={})
        ctx.prologue = self.query.prologue
        out: dict[Triple, Derivation] = {}
        try:
            solutions = list(evalPart(ctx, algebra.p))
        except SPARQLError as exc:
            raise DataSyntaxError(str(self.path), None, f"rule failed: {exc}") from None
        for solution in solutions:
            bindings = {str(k): v for k, v in solution.items()}
            premises = [
                t
                for t in (_fill(p, solution) for p in patterns)
                if t is not None and t in graph
            ]
            for pattern in template:
                triple = _fill(pattern, solution)
                if triple is not None and _valid(triple):
                    out.setdefault(triple, Derivation(self.name, bindings, premises))
        return out


def _fill(pattern: Triple, solution) -> Triple | None:
    filled = []
    for term in pattern:
        if isinstance(term, Variable):
            value = solution.get(term)
            if value is None:
                return None
            filled.append(value)
        else:
            filled.append(term)
    return tuple(filled)


def _valid(triple: Triple) -> bool:
    s, p, _ = triple
    return not isinstance(s, Literal) and isinstance(p, URIRef)


def _bgp_triples(node):
    """The triple patterns of every basic graph pattern under an algebra node."""
    if isinstance(node, CompValue):
        if node.name == "BGP":
            yield from node.triples
        for value in node.values():
            yield from _bgp_triples(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _bgp_triples(item)


def load_rule(path: Path) -> Rule:
    """Read and parse one rule file; a parse error names the file."""
    header, text = read_query_file(path)
    try:
        query = prepareQuery(text)
    except Exception as exc:  # pyparsing raises its own exception types
        raise DataSyntaxError(str(path), getattr(exc, "lineno", None), str(exc)) from None
    if query.algebra.name != "ConstructQuery":
        raise DataSyntaxError(str(path), None, "a rule must be a CONSTRUCT query")
    return Rule(header.name, header.title, header.description, path, query)


def load_rules(project: Project) -> list[Rule]:
    """All rules of the project, in file-name order."""
    return [load_rule(p) for p in sorted(project.rules_dir.glob("*.rq"))]
