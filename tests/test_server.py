"""`ascn-graph serve` as a client sees it: a real server on 127.0.0.1 (started
here on a free port, stopped at the end), queried with SPARQLWrapper and
plain HTTP. Answers are compared with the same query run locally on the
reasoned graph; bad requests get the right status and a short message, and
the server keeps serving; nothing ever makes an outbound request.

The server answers from Oxigraph on the fast engine (the default) and from
rdflib on the plain one (``ASCN_ENGINE=plain``): the tests that take
``engine_base`` run against both. The fast engine's query guard is tested
on its own, with tricky queries, in ``test_server_oxigraph.py``."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import os
import platform
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from xml.dom.minidom import Document

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import RDFS
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from ascn_graph.loading import ASCN, NS_ID
from ascn_graph.sparql import run_text

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 20  # seconds a query may run on the test server (label-search takes ~9)
MAX_ROWS = 5000
MAX_REQUEST = 20000
PREFIXES = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "PREFIX ascn: <https://w3id.org/ascn-graph/ontology#>\n"
            "PREFIX org: <http://www.w3.org/ns/org#>\n")
LABELS_ID = PREFIXES + 'SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER (lang(?label) = "id") }'
SHEPHERDS = PREFIXES + ("SELECT ?tenure ?holder WHERE { ?tenure org:role ascn:Shepherd ; "
                        "org:member ?holder }")
NEVER_ENDS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@contextlib.contextmanager
def running_server(*options: str, started: list | None = None, engine: str = "fast"):
    """Start ``ascn-graph serve --port 0`` on ``engine`` in a subprocess; yield its base
    URL; stop it. The process is appended to ``started`` when given."""
    log = tempfile.TemporaryFile()
    command = [sys.executable, "-m", "ascn_graph", "serve", "--port", "0", "--quiet", *options]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True,
                               env={**os.environ, "ASCN_ENGINE": engine})
    if started is not None:
        started.append(process)
    try:
        deadline, line = time.monotonic() + 600, ""
        while time.monotonic() < deadline and process.poll() is None:
            ready, _, _ = select.select([process.stdout], [], [], 1.0)
            if ready:
                line = process.stdout.readline()
                break
        found = re.search(r"serving on (http://127\.0\.0\.1:\d+)/", line)
        if not found:
            log.seek(0)
            pytest.fail(f"the server did not start: {line!r} {log.read().decode()[-2000:]}")
        yield found.group(1)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        process.stdout.close()
        log.close()


def fetch(url: str, data: bytes | None = None, headers: dict | None = None,
          method: str | None = None) -> tuple[int, dict, bytes]:
    """Status, headers (lower-case names) and body of one request, errors included."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=120) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def get_query(base: str, query: str, accept: str = "", **params: str) -> tuple[int, dict, bytes]:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query, **params})
    return fetch(url, headers={"Accept": accept} if accept else {})


SERVER_OPTIONS = ("--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS),
                  "--max-request-bytes", str(MAX_REQUEST), "--workers", "2")


SERVERS: dict[str, subprocess.Popen] = {}  # base URL -> the server's process


@pytest.fixture(scope="module")
def base() -> str:
    """The server on the fast engine (Oxigraph)."""
    started: list = []
    with running_server(*SERVER_OPTIONS, engine="fast", started=started) as url:
        SERVERS[url] = started[0]
        yield url


@pytest.fixture(scope="module")
def plain_base() -> str:
    """The server on the plain engine (rdflib)."""
    started: list = []
    with running_server(*SERVER_OPTIONS, engine="plain", started=started) as url:
        SERVERS[url] = started[0]
        yield url


@pytest.fixture(params=["fast", "plain"])
def engine_base(request) -> str:
    """Each server in turn: the test runs on both engines."""
    return request.getfixturevalue("base" if request.param == "fast" else "plain_base")


@pytest.fixture(scope="module")
def served(reasoned) -> Graph:
    """The graph the service serves: the query view with inferences, skolemized."""
    from ascn_graph.export import published

    return published(reasoned, inferred=True)


def wrapper(base: str, query: str, fmt: str, method: str | None = None) -> SPARQLWrapper:
    client = SPARQLWrapper(base + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method == POSTDIRECTLY:
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
    elif method:
        client.setMethod(method)
    return client


def local_rows(served: Graph, query: str) -> set[tuple[str, ...]]:
    table = run_text(query, served)
    return {tuple(str(term) for term in row) for row in table.rows}


ASKED = itertools.count()


def assert_still_serving(base: str) -> None:
    """A worker still answers: a query never asked before (so not from the reply cache)."""
    query = f"ASK {{ ?s ?p ?o }} # still serving? {next(ASKED)}"
    status, headers, body = get_query(base, query, "application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True
    assert headers["x-cache"] == "MISS"


def test_a_query_asked_again_is_answered_from_the_reply_cache(engine_base: str) -> None:
    """The same text for the same media type: the second reply is the first one, kept
    (the graph does not change while served); another media type is another reply."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?class } # reply cache"
    first = get_query(engine_base, query, "application/sparql-results+json")
    second = get_query(engine_base, query, "application/sparql-results+json")
    as_csv = get_query(engine_base, query, "text/csv")
    assert first[0] == second[0] == as_csv[0] == 200
    assert (first[1]["x-cache"], second[1]["x-cache"], as_csv[1]["x-cache"]) == ("MISS", "HIT", "MISS")
    assert second[2] == first[2] and as_csv[2] != first[2]
    assert second[1]["content-type"] == first[1]["content-type"]


def test_a_failed_query_is_never_answered_from_the_reply_cache(engine_base: str) -> None:
    query = "SELECT ?x WHERE { ?x ?p } # malformed, twice"
    replies = [get_query(engine_base, query) for _ in range(2)]
    assert [r[0] for r in replies] == [400, 400]
    assert [r[1]["x-cache"] for r in replies] == ["MISS", "MISS"]


# -- the protocol, with SPARQLWrapper ------------------------------------------


@pytest.mark.parametrize("method", [None, POST, POSTDIRECTLY], ids=["GET", "POST-form", "POST-query"])
def test_select_json_by_each_method(engine_base: str, served: Graph, method) -> None:
    result = wrapper(engine_base, LABELS_ID, JSON, method).query()
    data = result.convert()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+json")
    rows = {(b["s"]["value"], b["label"]["value"]) for b in data["results"]["bindings"]}
    assert all(b["label"]["xml:lang"] == "id" for b in data["results"]["bindings"])
    assert rows == local_rows(served, LABELS_ID) and len(rows) > 100


def test_select_xml(engine_base: str, served: Graph) -> None:
    document = wrapper(engine_base, SHEPHERDS, XML).query().convert()
    assert isinstance(document, Document)
    rows = set()
    for result in document.getElementsByTagName("result"):
        cells = {b.getAttribute("name"): b.getElementsByTagName("uri")[0].firstChild.data
                 for b in result.getElementsByTagName("binding")}
        rows.add((cells["tenure"], cells["holder"]))
    assert rows == local_rows(served, SHEPHERDS) and len(rows) >= 5


def test_select_csv(engine_base: str, served: Graph) -> None:
    text = wrapper(engine_base, LABELS_ID, CSV).query().convert().decode("utf-8")
    records = list(csv.reader(io.StringIO(text)))
    assert records[0] == ["s", "label"]
    assert {tuple(r) for r in records[1:]} == local_rows(served, LABELS_ID)


def test_select_tsv(engine_base: str, served: Graph) -> None:
    lines = wrapper(engine_base, SHEPHERDS, TSV).query().convert().decode("utf-8").splitlines()
    assert lines[0] == "?tenure\t?holder"
    rows = {tuple(cell.strip("<>") for cell in line.split("\t")) for line in lines[1:]}
    assert rows == local_rows(served, SHEPHERDS)


def test_ask_json_and_xml(engine_base: str) -> None:
    ask = PREFIXES + "ASK { ?t org:role ascn:Shepherd }"
    assert wrapper(engine_base, ask, JSON).query().convert()["boolean"] is True
    document = wrapper(engine_base, ask.replace("Shepherd", "NoSuchRole"), XML).query().convert()
    assert document.getElementsByTagName("boolean")[0].firstChild.data == "false"


CONSTRUCT = PREFIXES + ("CONSTRUCT { ?t org:member ?who ; rdfs:label ?l } WHERE { "
                        "?t org:role ascn:Shepherd ; org:member ?who ; rdfs:label ?l }")


def test_construct_as_jsonld_and_turtle_graphs(engine_base: str, served: Graph) -> None:
    local = run_text(CONSTRUCT, served)
    from_jsonld = wrapper(engine_base, CONSTRUCT, JSONLD).query().convert()
    assert isinstance(from_jsonld, Graph)
    turtle = wrapper(engine_base, CONSTRUCT, TURTLE, POST).query().convert()
    from_turtle = Graph().parse(data=turtle, format="turtle")
    assert len(local) > 10
    assert set(from_jsonld) == set(local) == set(from_turtle)


def test_describe_as_turtle(engine_base: str, served: Graph) -> None:
    query = "DESCRIBE <https://w3id.org/ascn-graph/id/country/indonesia>"
    status, headers, body = get_query(engine_base, query, "text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    got = Graph().parse(data=body, format="turtle")
    assert to_isomorphic(got) == to_isomorphic(run_text(query, served))


def test_format_parameter(base: str) -> None:
    status, headers, body = get_query(base, SHEPHERDS, "text/html", format="csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert body.decode().splitlines()[0] == "tenure,holder"


def test_service_description(base: str) -> None:
    status, headers, body = fetch(base + "/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    g = Graph().parse(data=body, format="turtle")
    service = g.value(predicate=URIRef(sd + "endpoint"), object=URIRef(base + "/sparql"))
    assert service is not None
    assert (service, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in g
    assert (service, URIRef(sd + "resultFormat"),
            URIRef("http://www.w3.org/ns/formats/SPARQL_Results_TSV")) in g


# -- limits --------------------------------------------------------------------


def test_row_limit_cuts_an_endless_result(engine_base: str) -> None:
    status, headers, body = get_query(engine_base, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                                      "application/sparql-results+json")
    assert status == 200 and headers["x-sparql-maxrows"] == str(MAX_ROWS)
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS


def test_time_limit_stops_a_query_that_never_returns(engine_base: str) -> None:
    """Two at once, one per worker: both workers are killed and replaced."""
    from concurrent.futures import ThreadPoolExecutor

    def never(_):
        started = time.monotonic()
        status, _, body = get_query(engine_base, NEVER_ENDS, "application/sparql-results+json")
        return status, body, time.monotonic() - started

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(never, range(2)))
    for status, body, took in answers:
        assert status == 503, body
        assert b"time limit" in body and TIMEOUT <= took < TIMEOUT + 20
    started = time.monotonic()
    for _ in range(3):
        assert_still_serving(engine_base)
    assert time.monotonic() - started < 30


# -- bad requests: the right status, a short message, and the service goes on ----

BAD_REQUESTS = [
    # (what, method, path, body, headers, status, words in the message)
    ("malformed query", "GET", "/sparql?" + urllib.parse.urlencode({"query": "SELEC ?x WHERE {}"}),
     None, {}, 400, ["malformed query", "expected"]),
    ("unsupported Accept", "GET", "/sparql?" + urllib.parse.urlencode({"query": SHEPHERDS}),
     None, {"Accept": "image/png"}, 406, ["format", "text/csv"]),
    ("oversized POST", "POST", "/sparql", b"x" * (MAX_REQUEST + 1),
     {"Content-Type": "application/sparql-query"}, 413, ["too large", str(MAX_REQUEST)]),
    ("very large POST", "POST", "/sparql", b"x" * 3_000_000,
     {"Content-Type": "application/x-www-form-urlencoded"}, 413, ["too large"]),
    ("oversized GET", "GET", "/sparql?" + urllib.parse.urlencode(
        {"query": "ASK {} #" + "x" * MAX_REQUEST}), None, {}, 413, ["too large"]),
    ("unknown resource", "GET", "/id/country/atlantis", None, {"Accept": "text/turtle"}, 404,
     ["country/atlantis"]),
    ("unknown ontology term", "GET", "/ontology/NoSuchTerm", None, {}, 404, ["NoSuchTerm"]),
    ("unknown path", "GET", "/nowhere", None, {}, 404, ["/nowhere"]),
    ("update in the query", "POST", "/sparql", urllib.parse.urlencode(
        {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode(),
     {"Content-Type": "application/x-www-form-urlencoded"}, 403, ["refused", "read-only"]),
    ("update parameter", "POST", "/sparql", urllib.parse.urlencode(
        {"update": "CLEAR ALL"}).encode(),
     {"Content-Type": "application/x-www-form-urlencoded"}, 403, ["read-only"]),
    ("update body", "POST", "/sparql", b"DROP ALL", {"Content-Type": "application/sparql-update"},
     403, ["read-only"]),
    ("unknown body type", "POST", "/sparql", b"ASK {}", {"Content-Type": "text/plain"}, 415,
     ["application/sparql-query"]),
    ("bad format", "GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK {}", "format": "png"}),
     None, {}, 400, ["parameter 'format'"]),
    ("no query", "GET", "/sparql?default=1", None, {}, 400, ["parameter 'query'"]),
    ("PUT", "PUT", "/sparql", b"x", {}, 405, ["read-only"]),
    ("GRAPH with no named graphs", "GET", "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"}), None, {}, 400,
     ["GRAPH is not supported", "no named graphs"]),
    ("GRAPH in lower case", "GET", "/sparql?" + urllib.parse.urlencode(
        {"query": "ask { graph <urn:g> { ?s ?p ?o } }"}), None, {}, 400, ["GRAPH is not supported"]),
]


def assert_brief(got: int, message: bytes, status: int, words: list[str], html: bool = False) -> str:
    """The status, no trace of Python, a short message holding ``words`` (any case)."""
    text = message.decode("utf-8")
    assert got == status, text
    assert "Traceback" not in text and 'File "' not in text
    if not html:
        assert len(text) < 400, text
    for word in words:
        assert word.lower() in text.lower(), text
    return text


@pytest.mark.parametrize("what, method, path, body, headers, status, words", BAD_REQUESTS,
                         ids=[case[0] for case in BAD_REQUESTS])
def test_bad_request_is_answered_briefly(engine_base: str, what, method, path, body, headers,
                                         status, words) -> None:
    got, _, message = fetch(engine_base + path, data=body, headers=headers, method=method)
    assert_brief(got, message, status, words, "html" in headers.get("Accept", ""))
    assert_still_serving(engine_base)


# each engine's own evaluation error: rdflib 7 fails inside SUM over IRIs, Oxigraph knows
# no custom function; answered without a traceback
EVALUATION_ERRORS = {"plain": "SELECT (SUM(?s) AS ?x) WHERE { ?s ?p ?o }",
                     "fast": "SELECT (<urn:x-no-such:f>(?s) AS ?x) WHERE { ?s ?p ?o }"}


@pytest.mark.parametrize("engine", ["fast", "plain"])
def test_evaluation_error_is_answered_briefly(request, engine: str) -> None:
    url = request.getfixturevalue("base" if engine == "fast" else "plain_base")
    got, _, message = get_query(url, EVALUATION_ERRORS[engine])
    assert_brief(got, message, 500, ["could not"])
    assert_still_serving(url)


def test_malformed_query_gets_oxigraphs_message(base: str) -> None:
    got, _, message = get_query(base, "SELECT ?x WHERE { ?x ?p }")
    assert_brief(got, message, 400, ["malformed query: error at 1:"])


def test_both_engines_give_the_same_rows_for_every_saved_query(base: str, plain_base: str,
                                                               project) -> None:
    """The saved-query mix of the benchmark (default parameters bound by VALUES, POSTed
    for JSON): the same rows, in any order, from Oxigraph and from rdflib."""
    from ascn_graph.binding import with_values
    from ascn_graph.queries import QueryCatalogue

    def rows(url: str, text: str) -> list[str]:
        status, _, body = fetch(url + "/sparql", text.encode(), {
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
        assert status == 200, body
        data = json.loads(body)
        return sorted(json.dumps(b, sort_keys=True) for b in data["results"]["bindings"])

    catalogue = list(QueryCatalogue(project))
    assert len(catalogue) >= 10
    for query in catalogue:
        text = with_values(query.text, query.bind({}))
        assert rows(base, text) == rows(plain_base, text), query.name


# -- nothing leaves the machine --------------------------------------------------


def test_no_outbound_request_is_ever_made(engine_base: str) -> None:
    """SERVICE, LOAD, FROM, FROM NAMED and the dataset parameters all point at a
    socket this test listens on: each is refused (403) and nothing connects."""
    with socket.socket() as trap:
        trap.bind(("127.0.0.1", 0))
        trap.listen(8)
        there = f"http://127.0.0.1:{trap.getsockname()[1]}"
        refused = [
            {"query": f"SELECT * WHERE {{ SERVICE <{there}/sparql> {{ ?s ?p ?o }} }}"},
            {"query": f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{there}/> {{ ?s ?q ?r }} }} }}"},
            {"query": f"LOAD <{there}/data.ttl>"},
            {"query": f"LOAD SILENT <{there}/data.ttl> INTO GRAPH <urn:g>"},
            {"query": f"SELECT * FROM <{there}/data.ttl> WHERE {{ ?s ?p ?o }}"},
            {"query": f"SELECT * FROM NAMED <{there}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
            {"query": "ASK { ?s ?p ?o }", "default-graph-uri": f"{there}/data.ttl"},
            {"query": "ASK { ?s ?p ?o }", "named-graph-uri": f"{there}/data.ttl"},
            {"update": f"LOAD <{there}/data.ttl>"},
        ]
        for params in refused:
            status, _, body = fetch(engine_base + "/sparql", urllib.parse.urlencode(params).encode(),
                                    {"Content-Type": "application/x-www-form-urlencoded"})
            assert status == 403, (params, body)
        status, _, _ = get_query(engine_base, f"DESCRIBE <{there}/thing>", "text/turtle")
        assert status == 200  # described from the graph (nothing), not fetched
        readable, _, _ = select.select([trap], [], [], 1.0)
        assert not readable, "something connected to the trap socket"
    assert_still_serving(engine_base)


# Oxigraph would call each of these SERVICEs ({there} is the trap; test_server_oxigraph.py
# proves that Oxigraph reads a SERVICE in each, with the network shut off)
TRICKY_SERVICES = [
    "select * where {{ service <{there}/> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SeRvIcE <{there}/> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ # a comment\nSERVICE <{there}/> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ # a comment ends at CR too\rSERVICE <{there}/> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o .SERVICE<{there}/>{{?s ?p ?o}} }}",
    "SELECT * WHERE {{ SERVICESILENT <{there}/> {{ ?s ?p ?o }} }}",
    "PREFIX x: <{there}/> SELECT * WHERE {{ SERVICEx:y {{ ?s ?p ?o }} }}",
    "PREFIX : <{there}/> SELECT * WHERE {{ service:y {{ ?s ?p ?o }} }}",
    "PREFIX x: <http://x/> SELECT * WHERE {{ ?s ?p x:a.b.SERVICE <{there}/> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER(?o<'x>')SERVICE<{there}/>{{?s ?p ?o}} #'\n }}",
    "SELECT * WHERE {{ VALUES (?a ?b) {{ ('''x') }} SERVICE <{there}/> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{there}/> {{ ?s ?p ?o }} }} }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{there}/> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ BIND(1 AS ?a) BIND(2 AS ?b) BIND('x' AS ?c) FILTER(?a<(1>?b) || ?c<'x>') }}"
    " UNION {{ SERVICE <{there}/> {{ ?s ?p ?o }} }} #'\n}}",
]
# ... and none of these (SERVICE in a string, an IRI, a comment, a name, a variable)
HARMLESS_SERVICES = [
    "SELECT * WHERE {{ ?s ?p 'SERVICE <{there}/> {{ }}' }}",
    'SELECT * WHERE {{ ?s ?p """x\nSERVICE <{there}/> {{ ?s ?p ?o }}""" }}',
    "SELECT * WHERE {{ ?s ?p <{there}/SERVICE> }}",
    "SELECT * WHERE {{ ?s ?p ?o # SERVICE <{there}/> {{ ?s ?p ?o }}\n }}",
    "PREFIX myservice: <{there}/> SELECT * WHERE {{ ?s ?p myservice:SERVICE }}",
    "SELECT ?service WHERE {{ ?service ?p ?o }} LIMIT 1",
]


def test_tricky_service_is_refused_and_never_connects(base: str) -> None:
    with socket.socket() as trap:
        trap.bind(("127.0.0.1", 0))
        trap.listen(8)
        there = f"http://127.0.0.1:{trap.getsockname()[1]}"
        for query in TRICKY_SERVICES:
            got, _, message = get_query(base, query.format(there=there))
            assert_brief(got, message, 403, ["SERVICE would make an outbound request"])
        for query in HARMLESS_SERVICES:
            got, _, message = get_query(base, query.format(there=there))
            assert got == 200, (query, message)
        readable, _, _ = select.select([trap], [], [], 1.0)
        assert not readable, "something connected to the trap socket"


def seccomp_filters(pid: int) -> int | None:
    """How many seccomp filters a process runs under; None where /proc does not say."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Seccomp_filters:"):
                return int(line.split()[1])
    return None


@pytest.mark.skipif(platform.machine() not in ("x86_64", "aarch64")
                    or seccomp_filters(os.getpid()) is None,
                    reason="the kernel filter is set on Linux x86-64 and arm64 with seccomp")
def test_query_workers_cannot_open_network_sockets(engine_base: str) -> None:
    """Beside the checks on the query, the kernel refuses every query worker any IPv4 or
    IPv6 socket: each runs under one seccomp filter more than the server."""
    server = SERVERS[engine_base].pid
    filters = seccomp_filters(server) or 0
    filtered = [pid for pid in descendants(server) if (seccomp_filters(pid) or 0) > filters]
    assert len(filtered) >= 2  # --workers 2


# -- dereferenceable IRIs ----------------------------------------------------------


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                         ("application/n-triples", "nt")])
def test_resource_by_content_negotiation(base: str, accept: str, fmt: str) -> None:
    status, headers, body = fetch(base + "/id/tenure/shepherd-indonesia-2023", headers={"Accept": accept})
    assert status == 200 and headers["content-type"].startswith(accept)
    assert headers["vary"] == "Accept"
    g = Graph().parse(data=body, format=fmt)
    tenure = NS_ID["tenure/shepherd-indonesia-2023"]
    assert (tenure, RDFS.label, Literal("Indonesia as ASCN Shepherd, 2023-2025 (first term)", lang="en")) in g
    quotes = {str(q) for c in g.objects(tenure, ASCN.citation) for q in g.objects(c, ASCN.quote)}
    assert any("ditunjuk sebagai Shepherd" in q for q in quotes)


def test_resource_html_for_a_browser(base: str) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    status, headers, body = fetch(base + "/id/country/indonesia", headers={"Accept": accept})
    page = body.decode("utf-8")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "<h1>Indonesia</h1>" in page and 'href="/id/tenure/shepherd-indonesia-2023"' in page


def test_ontology_term_is_dereferenceable(base: str) -> None:
    status, _, body = fetch(base + "/ontology/Shepherd", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=body, format="turtle")
    assert status == 200 and (ASCN.Shepherd, RDFS.label, Literal("Shepherd ASCN", lang="id")) in g
    status, _, body = fetch(base + "/ontology/Shepherd?format=html")
    assert status == 200 and "Shepherd ASCN" in body.decode()


def test_resource_refuses_an_unknown_format(base: str) -> None:
    status, _, body = fetch(base + "/id/country/indonesia", headers={"Accept": "image/png"})
    assert status == 406 and b"text/turtle" in body


# -- the saved-query page and the picture (HTML; the browser tests are in test_pages) --


def test_saved_query_page_runs_with_typed_parameters(engine_base: str) -> None:
    query = urllib.parse.urlencode({"name": "holders-on-date", "p_date": "2024-07-30", "run": "1"})
    status, _, body = fetch(engine_base + "/queries?" + query)
    page = body.decode("utf-8")
    assert status == 200 and 'id="results"' in page and "Lao PDR" in page


@pytest.mark.parametrize("value", ['2024-07-30"^^xsd:date } } ; DROP ALL #', "30 July 2024"])
def test_saved_query_page_rejects_a_bad_parameter(base: str, value: str) -> None:
    query = urllib.parse.urlencode({"name": "holders-on-date", "p_date": value, "run": "1"})
    status, _, body = fetch(base + "/queries?" + query)
    assert status == 400 and "parameter &#x27;date&#x27;: expected a date" in body.decode()
    assert_still_serving(base)


def test_saved_query_string_parameter_is_bound_not_pasted(engine_base: str) -> None:
    query = urllib.parse.urlencode({"name": "label-search", "p_text": '"} UNION { ?x ?y ?z } #',
                                    "run": "1"})
    status, _, body = fetch(engine_base + "/queries?" + query)
    assert status == 200 and ">0 rows<" in body.decode()


def test_unknown_saved_query(base: str) -> None:
    status, _, body = fetch(base + "/queries?name=no-such-query")
    assert status == 404 and "no-such-query" in body.decode()


def test_timeline_picture(base: str) -> None:
    status, headers, body = fetch(base + "/timeline.svg")
    assert status == 200 and headers["content-type"].startswith("image/svg+xml")
    assert body.startswith(b"<svg") and b"Shepherd" in body and b"Lao PDR" in body


# -- starting and stopping -----------------------------------------------------------


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to list the worker processes")
def test_stopping_the_server_ends_every_worker() -> None:
    started: list = []
    with running_server("--workers", "2", started=started) as url:
        assert_still_serving(url)
        children = descendants(started[0].pid)
        assert len(children) >= 3  # the fork server and two workers
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(alive(pid) for pid in children):
        time.sleep(0.2)
    assert not [pid for pid in children if alive(pid)]


def test_a_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = str(taken.getsockname()[1])
        done = subprocess.run([sys.executable, "-m", "ascn_graph", "serve", "--port", port],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr
