"""Domain rules: SPARQL CONSTRUCT files under ``queries/rules/``.

Each rule is applied with provenance: for every triple it derives we keep the
rule and the variable bindings that produced it, so ``explain`` can show the
asserted facts behind an inferred one.

The WHERE clause is evaluated by rdflib over an rdflib ``Graph`` (the plain
path), or by Oxigraph over an :class:`~ascn_graph.store.OxigraphGraph` (the
fast path, :mod:`ascn_graph.fastpath`) as the ``SELECT *`` query
:func:`select_text` makes of the rule's text; the template, the premises and
the provenance are filled in the same way from either engine's solutions.

>>> from ascn_graph.project import Project
>>> names = [r.name for r in load_rules(Project.default())]
>>> "ascn-chair-from-asean-chair" in names
True
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

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
from ascn_graph.store import is_oxigraph

if TYPE_CHECKING:  # pyoxigraph is imported by the fast path only
    from ascn_graph.store import OxigraphGraph

Triple = tuple
Solution = Mapping[Variable, object]

RULE_NS = NS_ID["rule/"]


@dataclass
class Derivation:
    """One firing of a rule: the bindings and the premises it matched."""

    rule: str
    bindings: dict[str, object]
    premises: list[Triple] = field(default_factory=list)


@dataclass
class Rule:
    """A CONSTRUCT rule read from a file; ``select`` is its WHERE clause as a
    ``SELECT *`` query, for Oxigraph."""

    name: str
    title: str
    description: str
    path: Path
    query: Query
    select: str = ""

    @property
    def iri(self) -> URIRef:
        return URIRef(RULE_NS + self.name)

    def describe(self, graph: Graph) -> None:
        """Add the rule itself, as an ascn:Rule, to ``graph``."""
        graph.add((self.iri, RDF.type, ASCN.Rule))
        graph.add((self.iri, RDFS.label, Literal(self.title, lang="en")))
        graph.add((self.iri, RDFS.comment, Literal(self.description, lang="en")))
        graph.add((self.iri, DCTERMS.source, Literal(f"queries/rules/{self.path.name}")))

    def apply(self, graph: Graph | OxigraphGraph) -> dict[Triple, Derivation]:
        """Every triple the rule derives over ``graph`` (an rdflib ``Graph`` or an
        ``OxigraphGraph``), with how it was derived.

        >>> from ascn_graph.project import Project
        >>> from ascn_graph.store import OxigraphGraph
        >>> rule = load_rule(Project.default().rules_dir / "merge-variant-object.rq")
        >>> g = Graph().parse(format="nt", data="<http://a/v> <%smergedInto> <http://a/c> .\\n"
        ...                   "<http://a/s> <http://a/p> <http://a/v> ." % ASCN)
        >>> derived = rule.apply(OxigraphGraph.from_graph(g))
        >>> list(derived) == list(rule.apply(g)), derived[(URIRef("http://a/s"),
        ...     URIRef("http://a/p"), URIRef("http://a/c"))].premises[0][1] == ASCN.mergedInto
        (True, True)
        """
        algebra = self.query.algebra
        template = algebra.template or algebra.p.p.triples
        patterns = list(_bgp_triples(algebra.p))
        out: dict[Triple, Derivation] = {}
        for solution in self.solutions(graph):
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

    def solutions(self, graph: Graph | OxigraphGraph) -> list[Solution]:
        """The solutions of the WHERE clause over ``graph``: by Oxigraph if ``graph`` is in
        Oxigraph (its ``engine`` says so), else by rdflib."""
        if is_oxigraph(graph):
            return self._oxigraph_solutions(graph)
        ctx = QueryContext(graph, initBindings={})
        ctx.prologue = self.query.prologue
        try:
            return list(evalPart(ctx, self.query.algebra.p))
        except SPARQLError as exc:
            raise DataSyntaxError(str(self.path), None, f"rule failed: {exc}") from None

    def _oxigraph_solutions(self, graph: OxigraphGraph) -> list[Solution]:
        from ascn_graph.store import OxigraphError

        try:
            return graph.query(self.select).bindings
        except OxigraphError as exc:
            raise DataSyntaxError(str(self.path), None, f"rule failed in Oxigraph: {exc}") from None

    @cached_property
    def value_predicates(self) -> frozenset[URIRef] | None:
        """The predicates whose objects the rule's expressions (FILTER, BIND...) may read,
        rather than only match or copy; None if that may be any predicate's. (A variable
        in the predicate's place counts as the terms a VALUES block gives it.)

        >>> from ascn_graph.project import Project
        >>> rules = {r.name: r for r in load_rules(Project.default())}
        >>> sorted(p.split("#")[1] for p in rules["date-bounds"].value_predicates)
        ['endDate', 'startDate']
        >>> rules["merge-variant-subject"].value_predicates
        frozenset()
        """
        where = self.query.algebra.p
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

    @cached_property
    def literals(self) -> frozenset[Literal]:
        """The literals written in the rule's WHERE clause.

        >>> from ascn_graph.project import Project
        >>> rules = {r.name: r for r in load_rules(Project.default())}
        >>> Literal("en") in rules["ascn-chair-from-asean-chair"].literals
        True
        """
        return frozenset(_terms(self.query.algebra.p, Literal))


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


_TOKEN = re.compile(
    r"""(?P<skip>\#[^\n]*                                  # a comment
         |"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}
         |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'          # strings
         |<[^<>"{}|^`\\\x00-\x20]*>)                       # an IRI
       |(?P<brace>[{}])
       |(?P<word>(?:[\w?$:.%-]|\\.)+)""",
    re.VERBOSE | re.DOTALL,
)


def select_text(text: str) -> str:
    """The CONSTRUCT query ``text`` as ``SELECT *`` over the same WHERE clause: the
    template is dropped, the prologue, dataset and solution modifiers kept. Comments,
    strings and IRIs are skipped when looking for the keyword and the braces.

    >>> select_text('PREFIX a: <http://a/#{>\\nCONSTRUCT { ?s a:p "}" } # }\\nWHERE { ?s a:q ?o }')
    'PREFIX a: <http://a/#{>\\nSELECT * # }\\nWHERE { ?s a:q ?o }'
    >>> select_text("# CONSTRUCT {\\nconstruct where { ?s ?p ?o } LIMIT 3")
    '# CONSTRUCT {\\nSELECT * where { ?s ?p ?o } LIMIT 3'
    """
    tokens = (t for t in _TOKEN.finditer(text) if t.lastgroup != "skip")
    keyword = next((t for t in tokens if t.group().upper() == "CONSTRUCT"), None)
    if keyword is None:
        raise ValueError("no CONSTRUCT keyword")
    end = keyword.end()
    first = next(tokens, None)
    if first is not None and first.group() == "{":  # the template, up to its closing brace
        depth = 1
        for token in tokens:
            depth += {"{": 1, "}": -1}.get(token.group(), 0)
            if depth == 0:
                end = token.end()
                break
    return f"{text[:keyword.start()]}SELECT *{text[end:]}"


def load_rule(path: Path) -> Rule:
    """Read and parse one rule file; a parse error names the file."""
    header, text = read_query_file(path)
    try:
        query = prepareQuery(text)
    except Exception as exc:  # pyparsing raises its own exception types
        raise DataSyntaxError(str(path), getattr(exc, "lineno", None), str(exc)) from None
    if query.algebra.name != "ConstructQuery":
        raise DataSyntaxError(str(path), None, "a rule must be a CONSTRUCT query")
    return Rule(header.name, header.title, header.description, path, query, select_text(text))


def load_rules(project: Project) -> list[Rule]:
    """All rules of the project, in file-name order."""
    return [load_rule(p) for p in sorted(project.rules_dir.glob("*.rq"))]
