"""Saved and ad-hoc queries against any SPARQL 1.1 endpoint (SPARQLWrapper).

A remote endpoint cannot take rdflib's ``initBindings``, so parameters are
bound with a ``VALUES`` block of checked RDF terms (:mod:`ascn_graph.binding`).
"""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from ascn_graph.binding import with_values
from ascn_graph.errors import AscnGraphError
from ascn_graph.loading import bind_prefixes
from ascn_graph.queries import SavedQuery
from ascn_graph.results import Table
from ascn_graph.sparql import check_read_only

TIMEOUT_SECONDS = 60
URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")


class EndpointError(AscnGraphError):
    """The endpoint could not be reached or refused the query."""


def _term(cell: dict) -> URIRef | Literal | BNode:
    kind = cell.get("type")
    if kind == "uri":
        return URIRef(cell["value"])
    if kind == "bnode":
        return BNode(cell["value"])
    return Literal(cell["value"], lang=cell.get("xml:lang"),
                   datatype=cell.get("datatype"))


def check_endpoint(endpoint: str) -> str:
    """The endpoint URL, or an error naming the parameter.

    >>> check_endpoint("localhost:7878/query")
    Traceback (most recent call last):
    ...
    ascn_graph.remote.EndpointError: parameter 'endpoint': expected an http(s) URL like http://127.0.0.1:7878/query, got 'localhost:7878/query'
    """
    if not URL.match(endpoint or ""):
        raise EndpointError(f"parameter 'endpoint': expected an http(s) URL like "
                            f"http://127.0.0.1:7878/query, got {endpoint!r}")
    return endpoint


def _select(endpoint: str, text: str) -> Table:
    check_endpoint(endpoint)
    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(TIMEOUT_SECONDS)
    try:
        data = client.queryAndConvert()
    except SPARQLWrapperException as exc:
        raise EndpointError(f"endpoint {endpoint} refused the query: {exc}") from None
    except OSError as exc:
        raise EndpointError(f"endpoint {endpoint} cannot be reached: {exc}") from None
    if not isinstance(data, dict) or "head" not in data:
        raise EndpointError(f"endpoint {endpoint} did not answer with SPARQL JSON results")
    columns = list(data["head"].get("vars", []))
    rows = [
        [_term(b[c]) if c in b else None for c in columns]
        for b in data.get("results", {}).get("bindings", [])
    ]
    return Table(columns, rows)


def _labels(endpoint: str, table: Table) -> Graph:
    """Fetch the labels of the IRIs in a result, so tables show names."""
    graph = bind_prefixes(Graph())
    iris = sorted({t for row in table.rows for t in row if isinstance(t, URIRef)})
    for start in range(0, len(iris), 200):
        chunk = iris[start : start + 200]
        values = " ".join(i.n3() for i in chunk)
        query = (
            "SELECT ?s ?p ?o WHERE { VALUES ?s { " + values + " } "
            "VALUES ?p { <" + str(RDFS.label) + "> <" + str(SKOS.prefLabel) + "> } ?s ?p ?o }"
        )
        for s, p, o in _select(endpoint, query).rows:
            graph.add((s, p, o))
    return graph


def run_remote(endpoint: str, query: SavedQuery, values: dict[str, str]) -> tuple[Table, Graph]:
    """Run a saved query on an endpoint; returns the table and a graph of labels."""
    text = with_values(query.text, query.bind(values))
    table = _select(endpoint, text)
    return table, _labels(endpoint, table)


def run_remote_text(endpoint: str, text: str, origin: str = "<query>") -> tuple[Table, Graph]:
    """Run an ad-hoc read-only SELECT on an endpoint."""
    parsed = check_read_only(text, origin)
    if parsed.algebra.name != "SelectQuery":
        raise EndpointError("only SELECT queries can be sent to an endpoint from here")
    table = _select(endpoint, text)
    return table, _labels(endpoint, table)
