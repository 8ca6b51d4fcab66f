"""Saved queries: one ``.rq`` file per query under ``queries/``, each with a
header (name, title, description, parameters). Parameter values are checked
against their declared type and bound as RDF terms, never pasted into the
query text.

>>> from ascn_graph.project import Project
>>> catalogue = QueryCatalogue(Project.default())
>>> q = catalogue.get("holders-on-date")
>>> q.bind({"date": "2024-07-30"})["date"].n3()
'"2024-07-30"^^<http://www.w3.org/2001/XMLSchema#date>'
>>> q.bind({"dat": "2024-07-30"})
Traceback (most recent call last):
...
ascn_graph.errors.ParameterError: parameter 'dat': unknown; holders-on-date takes: date
>>> q.bind({"date": "30 July"})
Traceback (most recent call last):
...
ascn_graph.errors.ParameterError: parameter 'date': expected a date like 2024-07-30, got '30 July'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD

from ascn_graph.errors import DataSyntaxError, ParameterError, UnknownQueryError
from ascn_graph.loading import bind_prefixes
from ascn_graph.project import Project
from ascn_graph.queryfiles import ParamSpec, QueryHeader, read_query_file

IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')
PREFIXED_NAME = re.compile(r"^([A-Za-z][\w-]*)?:([\w.-]*)$")
PARAM_TYPES = ("iri", "date", "year", "string", "integer")
ANY = "*"  # a parameter given as * is left unbound: any value matches

_NAMESPACES = bind_prefixes(Graph()).namespace_manager


def to_term(spec: ParamSpec, raw: str) -> URIRef | Literal:
    """Check ``raw`` against the parameter's type and make it an RDF term.

    >>> to_term(ParamSpec("who", "iri", None, ""), "country:indonesia")
    rdflib.term.URIRef('https://w3id.org/ascn-graph/id/country/indonesia')
    >>> to_term(ParamSpec("year", "year", None, ""), "2023").n3()
    '"2023"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    >>> to_term(ParamSpec("who", "iri", None, ""), 'x> } DROP ALL #')
    Traceback (most recent call last):
    ...
    ascn_graph.errors.ParameterError: parameter 'who': expected an IRI or a prefixed name like country:indonesia, got 'x> } DROP ALL #'
    """
    value = raw.strip()
    if spec.type == "iri":
        return _to_iri(spec.name, value)
    if spec.type == "date":
        try:
            dt.date.fromisoformat(value)
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
        except ValueError:
            raise ParameterError(spec.name, f"expected a date like 2024-07-30, got {raw!r}") from None
        return Literal(value, datatype=XSD.date)
    if spec.type == "year":
        if not re.fullmatch(r"\d{4}", value):
            raise ParameterError(spec.name, f"expected a year like 2024, got {raw!r}")
        return Literal(value, datatype=XSD.gYear)
    if spec.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise ParameterError(spec.name, f"expected a whole number, got {raw!r}")
        return Literal(int(value))
    if spec.type == "string":
        return Literal(raw)
    raise ParameterError(spec.name, f"declared with unknown type {spec.type!r}")


def _to_iri(name: str, value: str) -> URIRef:
    problem = ParameterError(
        name, f"expected an IRI or a prefixed name like country:indonesia, got {value!r}"
    )
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if re.match(r"^https?://", value):
        if IRI_FORBIDDEN.search(value):
            raise problem
        return URIRef(value)
    match = PREFIXED_NAME.match(value)
    if not match:
        raise problem
    prefix = match.group(1) or ""
    namespace = dict(_NAMESPACES.namespaces()).get(prefix)
    if namespace is None:
        raise ParameterError(name, f"unknown prefix {prefix!r} in {value!r}")
    return URIRef(str(namespace) + match.group(2))


@dataclass
class SavedQuery:
    """A query read from a ``.rq`` file."""

    header: QueryHeader
    text: str
    path: Path

    @property
    def name(self) -> str:
        return self.header.name

    @property
    def params(self) -> list[ParamSpec]:
        return self.header.params

    def bind(self, values: dict[str, str]) -> dict[str, URIRef | Literal]:
        """Check the given values and fill in defaults: parameter name -> RDF term."""
        known = {p.name: p for p in self.params}
        for given in values:
            if given not in known:
                takes = ", ".join(known) or "no parameters"
                raise ParameterError(given, f"unknown; {self.name} takes: {takes}")
        bound: dict[str, URIRef | Literal] = {}
        for spec in self.params:
            raw = values.get(spec.name, spec.default)
            if raw is None:
                raise ParameterError(spec.name, f"required by {self.name} ({spec.description})")
            if raw == ANY:
                continue
            bound[spec.name] = to_term(spec, raw)
        return bound

    def run(self, graph: Graph, values: dict[str, str] | None = None):
        """Run on a local graph (rdflib, or Oxigraph: :mod:`ascn_graph.store`) with the
        parameters bound as RDF terms."""
        bindings = {Variable(k): v for k, v in self.bind(values or {}).items()}
        from ascn_graph.store import is_oxigraph

        if is_oxigraph(graph):
            return graph.query(self.text, initBindings=bindings)
        return graph.query(self.prepared(), initBindings=bindings)

    def prepared(self):
        """The query parsed by rdflib (its parser is loaded only when needed)."""
        from rdflib.plugins.sparql import prepareQuery

        try:
            return prepareQuery(self.text)
        except Exception as exc:
            raise DataSyntaxError(str(self.path), getattr(exc, "lineno", None), str(exc)) from None


class QueryCatalogue:
    """All saved queries of a project (``queries/*.rq``), by name."""

    def __init__(self, project: Project) -> None:
        self.queries: dict[str, SavedQuery] = {}
        for path in sorted(project.queries_dir.glob("*.rq")):
            header, text = read_query_file(path)
            if header.name != path.stem:
                raise DataSyntaxError(str(path), 1, f"name {header.name!r} differs from file name")
            for spec in header.params:
                if spec.type not in PARAM_TYPES:
                    raise DataSyntaxError(str(path), None, f"param {spec.name}: unknown type {spec.type}")
            self.queries[header.name] = SavedQuery(header, text, path)

    def get(self, name: str) -> SavedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise UnknownQueryError(
                f"no saved query named {name!r}; `ascn-graph queries` lists them"
            ) from None

    def __iter__(self):
        return iter(self.queries.values())
