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

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import DCTERMS, RDF, RDFS

from ascn_graph import cache
from ascn_graph.cache import package_version
from ascn_graph.errors import DataSyntaxError
from ascn_graph.loading import ASCN, NS_ID
from ascn_graph.project import Project
from ascn_graph.queryfiles import read_query_file
from ascn_graph.store import is_oxigraph

if TYPE_CHECKING:  # pyoxigraph is imported by the fast path only, rdflib's SPARQL on use
    from rdflib.plugins.sparql.sparql import Query

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
    ``SELECT *`` query, for Oxigraph. rdflib's parse of ``text`` (:attr:`query`) is
    made when first needed: the fast path needs only what :meth:`compile` keeps, which
    the rules cache holds (:func:`load_rules`)."""

    name: str
    title: str
    description: str
    path: Path
    text: str
    select: str = ""

    @cached_property
    def query(self) -> Query:
        """rdflib's parse of the rule; a parse error names the file."""
        from ascn_graph.rule_algebra import parse_rule

        try:
            query = parse_rule(self.text)
        except Exception as exc:  # pyparsing raises its own exception types
            raise DataSyntaxError(str(self.path), getattr(exc, "lineno", None), str(exc)) from None
        if query.algebra.name != "ConstructQuery":
            raise DataSyntaxError(str(self.path), None, "a rule must be a CONSTRUCT query")
        return query

    def compile(self) -> Rule:
        """Parse the rule and keep what the fast path needs (template, patterns, the
        predicates it reads, its literals), so a pickled rule carries them."""
        for name in ("template", "patterns", "value_predicates", "literals"):
            getattr(self, name)
        return self

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("query", None)  # parsed again where needed (the plain path)
        return state

    @cached_property
    def template(self) -> tuple[Triple, ...]:
        from ascn_graph.rule_algebra import template

        return template(self.query)

    @cached_property
    def patterns(self) -> tuple[Triple, ...]:
        from ascn_graph.rule_algebra import patterns

        return patterns(self.query)

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
        template, patterns = self.template, self.patterns
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
        from rdflib.plugins.sparql.evaluate import evalPart
        from rdflib.plugins.sparql.sparql import QueryContext, SPARQLError

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
        from ascn_graph.rule_algebra import value_predicates

        return value_predicates(self.query)

    @cached_property
    def literals(self) -> frozenset[Literal]:
        """The literals written in the rule's WHERE clause.

        >>> from ascn_graph.project import Project
        >>> rules = {r.name: r for r in load_rules(Project.default())}
        >>> Literal("en") in rules["ascn-chair-from-asean-chair"].literals
        True
        """
        from ascn_graph.rule_algebra import literals

        return literals(self.query)


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
    rule = Rule(header.name, header.title, header.description, path, text, select_text(text))
    return rule.compile()


def rules_digest(paths: list[Path]) -> str:
    """A hash of the rule files (names and contents), of this module and of the versions
    that parse them: the key of the rules cache."""
    h = hashlib.sha256(f"rdflib {package_version('rdflib')}\0".encode())
    for source in (Path(__file__), Path(__file__).with_name("rule_algebra.py")):
        h.update(hashlib.sha256(source.read_bytes()).digest())
    for path in paths:
        h.update(str(path).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def load_rules(project: Project, use_cache: bool = True) -> list[Rule]:
    """All rules of the project, in file-name order; parsed once per change of the files
    and kept in the cache folder (``.cache/rules-*.pickle``), where a rule needs no
    parsing again (see :meth:`Rule.compile`)."""
    paths = sorted(project.rules_dir.glob("*.rq"))
    if not use_cache:
        return [load_rule(p) for p in paths]
    digest = rules_digest(paths)
    cached = cache.load_value(cache.rules_file(project, digest), digest)
    if isinstance(cached, list) and all(isinstance(r, Rule) for r in cached):
        return cached
    rules = [load_rule(p) for p in paths]
    cache.store_value(cache.rules_file(project, digest), digest, rules, "rules-*.pickle")
    return rules
