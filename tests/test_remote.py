"""The saved queries against a real SPARQL 1.1 endpoint: an Oxigraph server
(from PyPI) loaded with the reasoned graph answers as the local graph does."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ascn_graph.queries import QueryCatalogue
from ascn_graph.remote import EndpointError, run_remote, run_remote_text
from ascn_graph.results import Table


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        pytest.fail("the oxigraph server (pip package 'oxigraph') is not installed")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, view):
    folder = tmp_path_factory.mktemp("oxigraph")
    dump = folder / "graph.nt"
    dump.write_text(view.serialize(format="nt"), encoding="utf-8")
    store = folder / "store"
    binary = _oxigraph()
    subprocess.run([binary, "load", "--location", str(store), "--file", str(dump)],
                   check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [binary, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


def _rows(table: Table) -> set[tuple]:
    return {tuple(str(c) if c is not None else None for c in row) for row in table.rows}


CASES = [
    ("holders-on-date", {"date": "2024-07-30"}),
    ("role-timeline", {"role": "ascn:Shepherd"}),
    ("roles-of", {"holder": "person:amran"}),
    ("pilot-cities", {"country": "country:indonesia"}),
    ("conflicts", {}),
    ("label-search", {"text": 'Sumedang" } #'}),
]


@pytest.mark.parametrize("name,params", CASES)
def test_endpoint_answers_as_the_local_graph(endpoint, project, view, name, params) -> None:
    query = QueryCatalogue(project).get(name)
    local = Table.from_result(query.run(view, params))
    remote, labels = run_remote(endpoint, query, params)
    assert remote.columns == local.columns
    assert _rows(remote) == _rows(local)
    if name != "label-search":
        assert remote.rows, f"{name} found nothing"
        assert len(labels) > 0


def test_ad_hoc_select_on_endpoint(endpoint) -> None:
    table, _ = run_remote_text(
        endpoint,
        "PREFIX ascn: <https://w3id.org/ascn-graph/ontology#> "
        "SELECT (COUNT(*) AS ?n) WHERE { ?m a ascn:PilotCityMembership }",
    )
    assert int(table.rows[0][0]) > 26


def test_unreachable_endpoint_is_a_clear_error(project) -> None:
    query = QueryCatalogue(project).get("conflicts")
    with pytest.raises(EndpointError, match="cannot be reached|refused"):
        run_remote(f"http://127.0.0.1:{_free_port()}/query", query, {})
