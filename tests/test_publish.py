"""``ascn-graph publish`` against a real Oxigraph server: what it sends is what the
store holds, publishing again replaces rather than adds, named graphs follow the
sources, and a bad URL or a store that is not there is a one-line error."""

from __future__ import annotations

import sys
from io import StringIO

import pytest
from rdflib import Graph

from ascn_graph import api, cli
from ascn_graph.export import by_source, published
from ascn_graph.loading import NS_ID
from ascn_graph.publish import PublishError, count_triples, publish
from ascn_graph.remote import _select
from tests.test_stores import free_port, normalise, oxigraph  # noqa: F401  (the fixture)


def _run(args: list[str], project) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    saved, sys.stderr = sys.stderr, err
    try:
        status = cli.main([*args, "--root", str(project.root)], out=out)
    finally:
        sys.stderr = saved
    return status, out.getvalue(), err.getvalue()


def _count(base: str, where: str = "?s ?p ?o") -> int:
    return int(_select(f"{base}/query", f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows[0][0])


def test_publish_loads_the_graph_with_inferences(oxigraph, project) -> None:  # noqa: F811
    status, out, err = _run(["publish", "--endpoint", f"{oxigraph}/store"], project)
    assert status == 0, err
    graph = published(api.build(project), True)  # what the command sent (built from the cache)
    expected = len(graph)
    assert out.strip() == (f"published {expected} triples to {oxigraph}/store (into the default "
                           f"graph); the store now holds {expected} triples in the default graph")
    back = Graph().parse(data=_get(f"{oxigraph}/store?default"), format="nt")
    # Oxigraph gives "2"^^xsd:positiveInteger back as "2"^^xsd:integer: compare numbers by value
    assert {tuple(normalise(t, {}) for t in triple) for triple in back} == \
        {tuple(normalise(t, {}) for t in triple) for triple in graph}
    # again: replaced, not added to
    assert _run(["publish", "--endpoint", f"{oxigraph}/store"], project)[0] == 0
    assert _count(oxigraph) == expected


def _get(url: str) -> str:
    import urllib.request

    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read().decode("utf-8")


def test_asserted_only_and_named_graph(oxigraph, project, reasoned) -> None:  # noqa: F811
    graph = "https://example.org/ascn-asserted"
    status, out, err = _run(["publish", "--endpoint", f"{oxigraph}/store", "--asserted-only",
                             "--graph", graph], project)
    assert status == 0, err
    assert count_triples(f"{oxigraph}/store", graph) == len(published(reasoned, False))
    assert f"graph <{graph}>" in out


def test_named_graphs_follow_the_sources(oxigraph, reasoned) -> None:  # noqa: F811
    report = publish(reasoned, f"{oxigraph}/store", named_graphs=True, chunk=997)
    expected = by_source(published(reasoned, True))
    seed = NS_ID["source/seed-004"]
    assert report.graphs[str(seed)] == len(expected[seed])
    assert count_triples(f"{oxigraph}/store", str(seed)) == len(expected[seed])
    assert _count(oxigraph, f"GRAPH <{seed}> {{ ?s ?p ?o }}") == len(expected[seed])


@pytest.mark.parametrize("endpoint,message", [
    ("not a url", "parameter 'endpoint': expected an http(s) URL"),
    ("ftp://127.0.0.1/store", "parameter 'endpoint': expected an http(s) URL"),
])
def test_bad_endpoint_url_is_a_one_line_error(project, endpoint, message) -> None:
    status, out, err = _run(["publish", "--endpoint", endpoint], project)
    assert status == 2 and out == ""
    assert err.startswith("ascn-graph: error: " + message)
    assert err.count("\n") == 1


def test_refused_connection_is_a_one_line_error(project) -> None:
    port = free_port()  # nothing listens there
    status, _, err = _run(["publish", "--endpoint", f"http://127.0.0.1:{port}/store"], project)
    assert status == 2
    assert err == (f"ascn-graph: error: the store at http://127.0.0.1:{port}/store?default "
                   f"cannot be reached: [Errno 111] Connection refused\n")
    status, _, err = _run(["query", "conflicts", "--endpoint", f"http://127.0.0.1:{port}/query"],
                          project)
    assert status == 2 and err.count("\n") == 1 and "cannot be reached" in err


def test_store_that_refuses_the_data_is_named(oxigraph, reasoned) -> None:  # noqa: F811
    with pytest.raises(PublishError, match=r"answered 4\d\d to PUT"):
        publish(reasoned, f"{oxigraph}/query", verify=False)  # the query endpoint takes no PUT


def test_password_comes_from_the_environment(project, monkeypatch) -> None:
    monkeypatch.delenv("ASCN_STORE_PASSWORD", raising=False)
    status, _, err = _run(["publish", "--endpoint", "http://127.0.0.1:1/store", "--user", "dba"],
                          project)
    assert status == 2 and "parameter 'user'" in err and "ASCN_STORE_PASSWORD" in err


@pytest.mark.parametrize("command", [["query", "conflicts"], ["check"]])
def test_bad_query_endpoint_is_a_one_line_error(project, command) -> None:
    status, _, err = _run([*command, "--endpoint", "localhost:7878/query"], project)
    assert status == 2
    assert err == ("ascn-graph: error: parameter 'endpoint': expected an http(s) URL like "
                   "http://127.0.0.1:7878/query, got 'localhost:7878/query'\n")
