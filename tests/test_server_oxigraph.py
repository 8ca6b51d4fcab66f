"""The fast engine's query guard (``query_guard.guard``): Oxigraph would run a
SERVICE with its own HTTP client, so the tokens of every query are checked
before Oxigraph sees it. Tricky queries get the right verdict; every query of
the project passes with its form; and, with the network shut off by the same
kernel filter the query workers run under, Oxigraph itself is asked whether
each tricky query holds a SERVICE, and a few thousand generated queries show
that the guard lets none through. The served endpoint is tested with the same
queries in ``test_server.py``."""

from __future__ import annotations

import contextlib
import json
import platform
import random
import re
import select
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ascn_graph.query_guard import Malformed, Refused, guard, tokens
from ascn_graph.server_worker import READ_FORMS
from tests.test_server import HARMLESS_SERVICES, TRICKY_SERVICES

ROOT = Path(__file__).resolve().parent.parent
THERE = "http://127.0.0.1:9"  # nothing is ever sent: the checks below run with no network

SERVICE, UPDATE, FROM, GRAPH = "SERVICE", "update", "FROM", "GRAPH"
VERDICTS = [
    # (query, the guard's verdict: a form, or what is refused)
    ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", SERVICE),
    ("select * where { service <http://x/> { ?s ?p ?o } }", SERVICE),
    ("SELECT * WHERE { SeRvIcE <http://x/> { ?s ?p ?o } }", SERVICE),
    ("SELECT * WHERE { # SERVICE <http://x/> {}\n SERVICE <http://x/> {} }", SERVICE),
    ("SELECT * WHERE { SERVICE#comment\n<http://x/> {} }", SERVICE),
    ("SELECT * WHERE { ?s ?p 1SERVICE <http://x/> {} }", SERVICE),
    ("SELECT * WHERE { ?s ?p trueSERVICE <http://x/> {} }", SERVICE),
    ("SELECT * WHERE { SERVICE\tSILENT ?x {} }", SERVICE),
    ("PREFIX x: <http://x/> SELECT * WHERE { ?s ?p x:a-b.SERVICE <http://x/> {} }", SERVICE),
    ("SELECT * WHERE { ?s ?p \"x\"@service }", SERVICE),  # a language tag no one uses
    ("SELECT * WHERE { \\u0053ERVICE <http://x/> {} }", SERVICE),  # if Oxigraph unescapes first
    ('SELECT * WHERE { ?s ?p "a\\u0022 } SERVICE <http://x/> { " }', SERVICE),
    # an IRI holding # or ' after an operand inside ( ) could be a less-than and a comment or a
    # string for Oxigraph; with SERVICE anywhere after it the query is refused
    ("SELECT * WHERE { VALUES (?a ?b) { (<http://x/a#b> <http://x/c#d>) } ?s ?p 'service' }",
     SERVICE),
    ("SELECT * WHERE { FILTER(?a<(1>?b) || ?c<'x>') SERVICE <http://x/> {} #'\n}", SERVICE),
    # ... and the same IRIs where no operator can be are IRIs
    ("SELECT * WHERE { VALUES (?a ?b) { (<http://x/a#b> <http://x/c#d>) } }", "SELECT"),
    ("SELECT * WHERE { ?s <http://www.w3.org/ns/sparql-service-description#endpoint> ?o }",
     "SELECT"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?p = <http://x/service#a>) }", "SELECT"),
    # SERVICE in a string, an IRI, a comment, a name, a variable
    ("SELECT * WHERE { ?s ?p 'SERVICE <http://x/> {}' }", "SELECT"),
    ('SELECT * WHERE { ?s ?p """SERVICE\n<http://x/> {}""" }', "SELECT"),
    ("SELECT * WHERE { ?s ?p <http://x/SERVICE> }", "SELECT"),
    ("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> {}", "SELECT"),
    ("PREFIX myservice: <http://x/> SELECT * WHERE { ?s myservice:SERVICE ?o }", "SELECT"),
    ("PREFIX x: <http://x/> SELECT * WHERE { ?s ?p x:service }", "SELECT"),
    ("SELECT ?service WHERE { ?service ?p ?o }", "SELECT"),
    # a keyword split by a comment is no keyword (Oxigraph will not parse it)
    ("SELECT * WHERE { SERV#x\nICE <http://x/> {} }", "SELECT"),
    # updates, in any case, alone or glued
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", UPDATE),
    ("insert data { <urn:a> <urn:b> <urn:c> }", UPDATE),
    ("DELETE WHERE { ?s ?p ?o }", UPDATE),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", UPDATE),
    ("LOAD <http://x/data.ttl>", UPDATE),
    ("CLEAR ALL", UPDATE),
    ("CREATE GRAPH <urn:g>", UPDATE),
    ("DROP ALL", UPDATE),
    ("COPY DEFAULT TO <urn:g>", UPDATE),
    ("MOVE DEFAULT TO <urn:g>", UPDATE),
    ("ADD DEFAULT TO <urn:g>", UPDATE),
    ("DELETE { ?s ?p ?o } USING <urn:g> WHERE { ?s ?p ?o }", UPDATE),
    ("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", UPDATE),
    # FROM, FROM NAMED, and FROM inside a subquery
    ("SELECT * FROM <http://x/data> WHERE { ?s ?p ?o }", FROM),
    ("SELECT * FROM NAMED <http://x/data> WHERE { ?s ?p ?o }", FROM),
    ("SELECT * WHERE { { SELECT * from <http://x/data> WHERE { ?s ?p ?o } } }", FROM),
    ("PREFIX from: <http://x/> SELECT ?from WHERE { ?from from:p 'FROM' }", "SELECT"),
    # GRAPH: no named graphs here
    ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", GRAPH),
    ("ask { graph <urn:g> { ?s ?p ?o } }", GRAPH),
    ("SELECT ?graph WHERE { ?graph ?p 'GRAPH' }", "SELECT"),
    # the form, for content negotiation
    ("PREFIX ask: <http://x/> # SELECT\nask { ?s ask:p ?o }", "ASK"),
    ("select*{?s ?p ?o}", "SELECT"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("BASE <http://x/> DESCRIBE <a>", "DESCRIBE"),
    ("SELEC ?x {}", None),
]
REFUSALS = {SERVICE: (Refused, "SERVICE would make an outbound request"),
            UPDATE: (Refused, "updates (INSERT, DELETE, LOAD, CLEAR, ...) are not accepted"),
            FROM: (Refused, "FROM / FROM NAMED would load data from elsewhere"),
            GRAPH: (Malformed, "GRAPH is not supported here")}


@pytest.mark.parametrize("query, verdict", VERDICTS, ids=[f"{i}-{v}" for i, (_, v) in
                                                           enumerate(VERDICTS)])
def test_guard_verdict(query: str, verdict: str | None) -> None:
    if verdict in REFUSALS:
        error, words = REFUSALS[verdict]
        with pytest.raises(error, match=re.escape(words)):
            guard(query)
    else:
        assert guard(query) == verdict


def test_every_project_query_passes_with_its_form(project) -> None:
    """Saved queries, continuity checks, rules and validation queries: the form the guard
    reads is the one rdflib parses."""
    from rdflib.plugins.sparql import prepareQuery

    paths = sorted(project.queries_dir.rglob("*.rq"))
    assert len(paths) >= 30
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert guard(text) == READ_FORMS[prepareQuery(text).algebra.name], path


@pytest.mark.parametrize("piece", ["a.", "x:a.", "'''a", '"""\\q', "<a", "FILTER(?a<(1>?b",
                                   "(", "?a<'x>'"])
def test_guard_takes_linear_time(piece: str) -> None:
    """A request-sized query (100 kB) of one piece over and over is checked in well under
    a second: no piece makes the scan quadratic."""
    import time

    query = piece * (100_000 // len(piece)) + " service"
    started = time.perf_counter()
    with contextlib.suppress(Refused, Malformed):
        guard(query)
    assert time.perf_counter() - started < 2


def test_strings_iris_and_comments_end_where_the_grammar_says() -> None:
    text = "PREFIX x: <a#b>\n'''a''b''''x' \"q\\\"\"@en-GB x:a\\#b ?v$w _:b.c 1e5 #c\r<a b>"
    kinds = [(kind, token) for kind, token, _ in tokens(text)]
    assert kinds == [("name", "PREFIX"), ("name", "x:"), ("iri", "<a#b>"),
                     ("string", "'''a''b'''"), ("string", "'x'"), ("string", '"q\\""@en-GB'),
                     ("name", "x:a\\#b"), ("var", "?v"), ("var", "$w"), ("name", "_:b.c"),
                     ("name", "1e5"), ("punct", "<"), ("name", "a"), ("name", "b"), ("punct", ">")]


# -- Oxigraph's own reading, with the network shut off ---------------------------------

ORACLE = """
import json, sys
import pyoxigraph as ox
from ascn_graph.sandbox import block_inet_sockets
assert block_inet_sockets(), "no kernel filter"
store = ox.Store()
store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o"),
                  ox.DefaultGraph()))

def parses(query):
    try:
        answer = store.query(query)
        if not isinstance(answer, ox.QueryBoolean):
            list(answer)
    except SyntaxError:
        return False
    except Exception:  # PermissionError from a SERVICE, among others: parsed all the same
        return True
    return True

print(json.dumps([parses(q) for q in json.load(sys.stdin)]))
"""
needs_filter = pytest.mark.skipif(
    platform.machine() not in ("x86_64", "aarch64") or not sys.platform.startswith("linux"),
    reason="the network is shut off by a seccomp filter on Linux x86-64 and arm64")


def oxigraph_parses(queries: list[str]) -> list[bool]:
    """Whether Oxigraph parses each query, asked in a process that cannot reach the network."""
    done = subprocess.run([sys.executable, "-c", ORACLE], input=json.dumps(queries), cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def without_service(query: str) -> str:
    """The query with every "service", in any case, misspelt: it still parses unless one
    of them was the keyword."""
    return re.sub("(?i)servi(c)e", lambda m: m.group()[:5] + "x" + m.group()[6:], query)


@needs_filter
def test_oxigraph_reads_a_service_in_each_tricky_query() -> None:
    """The queries the endpoint test refuses are real SERVICE calls for Oxigraph, and the
    harmless ones are not, so the guard is neither too lax nor too strict on them."""
    tricky = [q.format(there=THERE) for q in TRICKY_SERVICES]
    harmless = [q.format(there=THERE) for q in HARMLESS_SERVICES]
    queries = tricky + harmless
    answers = oxigraph_parses(queries + [without_service(q) for q in queries])
    parsed, parsed_without = answers[:len(queries)], answers[len(queries):]
    assert all(parsed), [q for q, ok in zip(queries, parsed, strict=True) if not ok]
    assert not any(parsed_without[:len(tricky)])
    assert all(parsed_without[len(tricky):])


@needs_filter
def test_the_kernel_filter_stops_oxigraphs_http_client() -> None:
    """A worker's last line of defence: under its filter even a SERVICE that got past the
    guard cannot open a socket, and nothing reaches the listening trap."""
    with socket.socket() as trap:
        trap.bind(("127.0.0.1", 0))
        trap.listen(8)
        there = f"http://127.0.0.1:{trap.getsockname()[1]}/"
        script = ("import pyoxigraph as ox\nfrom ascn_graph.sandbox import block_inet_sockets\n"
                  "assert block_inet_sockets()\n"
                  f"list(ox.Store().query('SELECT * WHERE {{ SERVICE <{there}> {{ ?s ?p ?o }} }}'))")
        done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                              text=True, timeout=120)
        assert "PermissionError" in done.stderr, done.stderr[-2000:]
        readable, _, _ = select.select([trap], [], [], 1.0)
        assert not readable, "something connected to the trap socket"


# -- generated queries -----------------------------------------------------------------

PIECES = {
    "term": ["?o", "$s", "<http://x/a#b>", "<http://x/it's>", "<http://x/service#x>", "x:service",
             "x:a\\'b", "x:a\\#b", "x:a.b", "x:a.b.service", "'service'", '"a#b"', '"x"@en',
             "'''multi\nline ' service'''", "'a\\'b'", '"""a""b"""', "''", "'''x'", "1e5", "true",
             "'#'", '"<"', "<(1>", "<1)>"],
    "space": [" ", " ", "", "\n", "\r", "\t", " #c\n", "#x\r", "# service\n", "#'\n", '#"""\n'],
    "service": ["SERVICE <{there}/> {{?s ?p ?o}}", "SERVICESILENT<{there}/>{{}}",
                "SERVICE x:y {{}}", "service:y {{}}", "SeRvIcE SILENT ?o {{}}"],
}


def generated(rng: random.Random, depth: int = 0) -> str:
    """A group pattern from pieces that hide SERVICE, reveal it, or confuse a lexer."""
    def pick(kind: str) -> str:
        return rng.choice(PIECES[kind])

    def element() -> str:
        w = pick("space")
        return rng.choice([
            f"?s{w}?p{w}{pick('term')}{w}.",
            f"FILTER({pick('term')}{w}<{w}{pick('term')})",
            f"FILTER(?o<'x>'){w}",
            f"FILTER((?o<(1>?o) ||{w}?o<'x>'){w}",
            f"FILTER(?o IN ({pick('term')},{w}{pick('term')}))",
            f"VALUES (?a ?b) {{ ({pick('term')}{w}{pick('term')}) }}",
            f"?s ?p ({pick('term')}{w}{pick('term')}) .",
            pick("service").format(there=THERE),
            f"OPTIONAL {{ {generated(rng, depth + 1)} }}" if depth < 2 else "?s ?p ?o .",
        ])

    return pick("space").join(element() for _ in range(rng.randint(1, 4)))


@needs_filter
def test_no_generated_query_gets_a_service_past_the_guard() -> None:
    rng = random.Random(6)
    head = f"PREFIX x: <{THERE}/> PREFIX : <{THERE}/> SELECT * WHERE {{ "
    passed = []
    for _ in range(3000):
        query = head + generated(rng) + " }"
        try:
            guard(query)
        except (Refused, Malformed):
            continue
        passed.append(query)
    answers = oxigraph_parses(passed + [without_service(q) for q in passed])
    parsed, parsed_without = answers[:len(passed)], answers[len(passed):]
    got_through = [q for q, a, b in zip(passed, parsed, parsed_without, strict=True) if a and not b]
    assert sum(parsed) > 300  # enough of them are real queries
    assert not got_through
