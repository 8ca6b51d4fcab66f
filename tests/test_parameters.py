"""Saved-query parameters: bound as RDF terms, never pasted into query text."""

from __future__ import annotations

import pytest

from ascn_graph import api
from ascn_graph.errors import ParameterError, UnknownQueryError
from ascn_graph.queries import QueryCatalogue


def test_every_saved_query_has_a_header_and_parses(project) -> None:
    catalogue = list(QueryCatalogue(project))
    assert len(catalogue) >= 12
    for query in catalogue:
        assert query.header.title and query.header.description, query.name
        query.prepared()


def test_unknown_parameter_is_named(project, reasoned) -> None:
    with pytest.raises(ParameterError, match="parameter 'when': unknown"):
        api.run_saved_query("holders-on-date", {"when": "2024-07-30"}, reasoned, project)


def test_wrong_type_is_named(project, reasoned) -> None:
    with pytest.raises(ParameterError, match="parameter 'role': expected an IRI"):
        api.run_saved_query("role-timeline", {"role": "the chair"}, reasoned, project)
    with pytest.raises(ParameterError, match="parameter 'date': expected a date"):
        api.run_saved_query("holders-on-date", {"date": "2024-13-01"}, reasoned, project)


def test_unknown_prefix_is_named(project, reasoned) -> None:
    with pytest.raises(ParameterError, match="unknown prefix 'cuntry'"):
        api.run_saved_query("roles-of", {"holder": "cuntry:indonesia"}, reasoned, project)


def test_unknown_query_is_named(project, reasoned) -> None:
    with pytest.raises(UnknownQueryError, match="no saved query named 'holders'"):
        api.run_saved_query("holders", {}, reasoned, project)


@pytest.mark.parametrize("attack", [
    'Amran" } ; DROP ALL ; #',
    "Amran' } UNION { ?thing ?p ?o } #",
    'x")) } } SELECT * WHERE { ?s ?p ?o } #',
])
def test_quote_breaking_string_is_just_a_string(project, reasoned, attack) -> None:
    size = len(reasoned.view())
    table = api.run_saved_query("label-search", {"text": attack}, reasoned, project)
    assert table.rows == []
    assert len(reasoned.view()) == size


def test_quote_breaking_iri_is_refused(project, reasoned) -> None:
    with pytest.raises(ParameterError, match="parameter 'entity'"):
        api.run_saved_query("entity-facts", {"entity": "person:amran> ?p ?o } #"}, reasoned, project)
