"""Query jobs, their evaluation, and the worker processes that run them and can be stopped.

This module holds what a job is (:class:`SparqlJob`, :class:`SavedJob`) and
what comes back (:class:`Reply`); :func:`evaluate`, which runs one job on a
graph; and :class:`Workers`, the pool of processes that evaluate them.

A few long-lived worker processes each load the graph once and then answer
jobs one at a time over a pipe. On the fast engine (the default) the server
writes the graph as an Oxigraph store folder and each worker opens it
read-only and copies it into memory (an in-memory store answers the saved
queries about five times faster than the store on disk); on the plain engine
(``ASCN_ENGINE=plain``) the server pickles an rdflib graph and rdflib
answers. A job that runs past the time limit has its worker killed, whatever
it is doing, and a fresh worker takes its place; the server answers 503 and
keeps serving. A worker can neither open a network connection nor use more
than its share of memory (:mod:`ascn_graph.sandbox`).

Before anything is evaluated, a query is refused (403) if it is an update
(INSERT, DELETE, LOAD, CLEAR, ...), uses SERVICE, or names a dataset with
FROM / FROM NAMED; GRAPH is a 400 (the service holds no named graphs); a
query that does not parse is a 400 with the parser's message. For rdflib the
query is parsed first (:func:`inspect`); for Oxigraph, which would run
SERVICE with its own HTTP client, :func:`ascn_graph.query_guard.guard`
decides from the query's tokens alone.

>>> from rdflib import Graph, Literal, URIRef
>>> from ascn_graph.store import OxigraphGraph
>>> g = Graph()
>>> _ = g.add((URIRef("http://a/x"), URIRef("http://a/p"), Literal(1)))
>>> for graph in (g, OxigraphGraph.from_graph(g)):
...     print(evaluate(graph, SparqlJob("SELECT ?o WHERE { ?s ?p ?o }", "text/csv", 10)).body)
b'o\\r\\n1\\r\\n'
b'o\\r\\n1\\r\\n'
>>> evaluate(g, SparqlJob("DELETE WHERE { ?s ?p ?o }", "", 10)).status
403
>>> evaluate(g, SparqlJob("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "", 10)).body
b'query refused: SERVICE would make an outbound request; this endpoint only answers from its own graph\\n'
>>> evaluate(g, SparqlJob("SELEC ?x {}", "", 10)).body[:60]
b'malformed query: Expected {SelectQuery | ConstructQuery | De'
>>> evaluate(OxigraphGraph(), SparqlJob("SELEC ?x {}", "", 10)).body
b'malformed query: error at 1:10: expected CONSTRUCT\\n'
>>> evaluate(g, SparqlJob("ASK {}", "text/csv", 10)).status
406
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from ascn_graph.binding import with_values
from ascn_graph.loading import bind_prefixes
from ascn_graph.negotiation import choose
from ascn_graph.query_guard import (
    FROM_REFUSED,
    NO_GRAPHS,
    SERVICE_REFUSED,
    UPDATE_REFUSED,
    Malformed,
    Refused,
    guard,
)
from ascn_graph.results import Table
from ascn_graph.sandbox import cap_memory, no_network
from ascn_graph.sparql_results import (
    ASK_TYPES,
    GRAPH_TYPES,
    SELECT_TYPES,
    ResultFormatError,
    ask_body,
    content_type,
    graph_body,
    select_body,
)
from ascn_graph.store import OxigraphGraph, from_ox, is_oxigraph

MESSAGE_CHARS = 300
READY = "ready"
STARTUP_SECONDS = 120.0
READ_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
              "DescribeQuery": "DESCRIBE"}
OFFERED = {"SELECT": SELECT_TYPES, "ASK": ASK_TYPES, "CONSTRUCT": GRAPH_TYPES,
           "DESCRIBE": GRAPH_TYPES}


@dataclass
class Reply:
    """What a worker hands back: an HTTP status, a body, or a table."""

    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    table: Table | None = None
    retire: bool = False  # the worker should not be used again

    @classmethod
    def text(cls, status: int, message: str, **headers: str) -> Reply:
        """A short plain-text reply.

        >>> Reply.text(400, "bad\\nthing").body
        b'bad\\n'
        """
        line = message.strip().splitlines()[0] if message.strip() else "error"
        return cls(status, (line[:MESSAGE_CHARS] + "\n").encode("utf-8"), headers=headers)


@dataclass
class SparqlJob:
    """An ad-hoc query from the endpoint, with the media type wanted (an Accept header)."""

    text: str
    accept: str
    max_rows: int
    context: dict | None = None


@dataclass
class SavedJob:
    """A saved query with its parameters already checked and bound as terms."""

    text: str
    bindings: dict
    max_rows: int


# -- the plain engine's guard: rdflib parses the query ---------------------------------


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


def _mentions(node, name: str) -> bool:
    if isinstance(node, CompValue):
        return node.name == name or any(_mentions(v, name) for v in node.values())
    if isinstance(node, (list, tuple)):
        return any(_mentions(v, name) for v in node)
    return False


def inspect(text: str):
    """Parse a query with rdflib; raise Malformed or Refused before anything is evaluated.

    >>> inspect("LOAD <http://127.0.0.1:9/x>")
    Traceback (most recent call last):
    ...
    ascn_graph.query_guard.Refused: query refused: updates (INSERT, DELETE, LOAD, CLEAR, ...) are not accepted; this endpoint is read-only
    >>> inspect("SELECT * FROM <http://127.0.0.1:9/x> { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    ascn_graph.query_guard.Refused: query refused: FROM / FROM NAMED would load data from elsewhere; query the default graph without them
    """
    try:
        query = prepareQuery(text)
    except Exception as exc:
        if _is_update(text):
            raise Refused(UPDATE_REFUSED) from None
        first = (str(exc).strip().splitlines() or ["the query does not parse"])[0]
        raise Malformed("malformed query: " + first) from None
    if query.algebra.name not in READ_FORMS:
        raise Refused(f"query refused: {query.algebra.name} is not a read-only query")
    if query.algebra.get("datasetClause"):
        raise Refused(FROM_REFUSED)
    if _mentions(query.algebra, "ServiceGraphPattern"):
        raise Refused(SERVICE_REFUSED)
    if _mentions(query.algebra, "Graph"):
        raise Malformed(NO_GRAPHS)
    return query


# -- evaluation ------------------------------------------------------------------------


def _too_many(n: int) -> dict[str, str]:
    return {"X-SPARQL-MaxRows": str(n)}


def _first(rows: Iterable[list], limit: int) -> tuple[list[list], bool]:
    """At most ``limit`` rows; True when there were more.

    >>> _first(iter([[1], [2], [3]]), 2)
    ([[1], [2]], True)
    """
    kept = []
    for row in rows:
        if len(kept) == limit:
            return kept, True
        kept.append(row)
    return kept, False


def _not_acceptable(accept: str, offered: list[str]) -> Reply:
    return Reply.text(406, f"cannot answer in the format asked for ({accept}); "
                           "available: " + ", ".join(offered))


def evaluate(graph, job: SparqlJob | SavedJob) -> Reply:
    """Run one job on ``graph`` (an rdflib ``Graph`` or an :class:`OxigraphGraph`);
    refusals, syntax and format errors become short replies."""
    if isinstance(job, SavedJob):
        return _saved(graph, job)
    if is_oxigraph(graph):
        return _evaluate_oxigraph(graph, job)
    return _evaluate_rdflib(graph, job)


def _refused(error: Refused | Malformed) -> Reply:
    return Reply.text(403 if isinstance(error, Refused) else 400, str(error))


def _saved(graph, job: SavedJob) -> Reply:
    """A saved query: its text to Oxigraph (which binds with VALUES; the bound text is
    guarded too, though the values were checked), parsed for rdflib."""
    if is_oxigraph(graph):
        try:
            guard(with_values(job.text, job.bindings))
        except (Refused, Malformed) as exc:
            return _refused(exc)
    query = job.text if is_oxigraph(graph) else prepareQuery(job.text)
    result = graph.query(query, initBindings={Variable(k): v for k, v in job.bindings.items()})
    rows, more = _first((list(row) for row in result), job.max_rows)
    table = Table([str(v) for v in result.vars], rows)
    return Reply(200, table=table, headers=_too_many(job.max_rows) if more else {})


def _evaluate_rdflib(graph: Graph, job: SparqlJob) -> Reply:
    try:
        query = inspect(job.text)
    except (Refused, Malformed) as exc:
        return _refused(exc)
    kind = READ_FORMS[query.algebra.name]
    media = choose(job.accept, OFFERED[kind])
    if media is None:
        return _not_acceptable(job.accept, OFFERED[kind])
    result = graph.query(query)
    if kind == "SELECT":
        answer = ([str(v) for v in result.vars], (list(row) for row in result))
    else:
        answer = bool(result.askAnswer) if kind == "ASK" else result.graph
    return _respond(kind, answer, media, job)


def _evaluate_oxigraph(graph: OxigraphGraph, job: SparqlJob) -> Reply:
    try:
        form = guard(job.text)
    except (Refused, Malformed) as exc:
        return _refused(exc)
    media = choose(job.accept, OFFERED[form]) if form else None
    if form and media is None:
        return _not_acceptable(job.accept, OFFERED[form])
    try:
        found = graph.store.query(job.text)
    except SyntaxError as exc:
        return Reply.text(400, "malformed query: " + str(exc))
    kind, answer = _oxigraph_answer(found)
    if media not in OFFERED[kind]:  # a form the tokens did not show
        media = choose(job.accept, OFFERED[kind])
        if media is None:
            return _not_acceptable(job.accept, OFFERED[kind])
    return _respond(kind, answer, media, job)


_TERMS: dict = {}  # pyoxigraph term -> rdflib term, in this worker
TERMS_KEPT = 100_000


def rdflib_term(term):
    """:func:`~ascn_graph.store.from_ox`, remembered: a worker meets the same IRIs and
    literals again and again, and making an rdflib literal costs more than finding it.

    >>> year = "http://www.w3.org/2001/XMLSchema#gYear"
    >>> rdflib_term(ox.Literal("2024", datatype=ox.NamedNode(year)))
    rdflib.term.Literal('2024', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear'))
    """
    found = _TERMS.get(term)
    if found is None and term is not None:
        if len(_TERMS) >= TERMS_KEPT:
            _TERMS.clear()
        found = _TERMS[term] = from_ox(term)
    return found


def _oxigraph_answer(found) -> tuple[str, object]:
    """Oxigraph's answer as rdflib terms: (names, rows) for SELECT, a bool for ASK,
    a graph otherwise."""
    if isinstance(found, ox.QueryBoolean):
        return "ASK", bool(found)
    if isinstance(found, ox.QuerySolutions):
        names = [v.value for v in found.variables]
        width = range(len(names))
        return "SELECT", (names, ([rdflib_term(s[i]) for i in width] for s in found))
    graph = bind_prefixes(Graph())
    for t in found:
        graph.add((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)))
    return "CONSTRUCT", graph


def _respond(kind: str, answer, media: str, job: SparqlJob) -> Reply:
    """The answer in ``media``, cut at the row limit (``X-SPARQL-MaxRows`` says so)."""
    headers: dict[str, str] = {}
    try:
        if kind == "SELECT":
            names, rows = answer
            kept, more = _first(rows, job.max_rows)
            headers = _too_many(job.max_rows) if more else {}
            body = select_body(names, kept, media)
        elif kind == "ASK":
            body = ask_body(answer, media)
        else:
            found = answer
            if len(found) > job.max_rows:
                found, headers = _truncate(found, job.max_rows), _too_many(job.max_rows)
            body = graph_body(found, media, job.context)
    except ResultFormatError as exc:
        return Reply.text(406, str(exc))
    return Reply(200, body, content_type(media), headers)


def _truncate(graph: Graph, limit: int) -> Graph:
    out = Graph()
    for prefix, namespace in graph.namespace_manager.namespaces():
        out.bind(prefix, namespace)
    for n, triple in enumerate(sorted(graph)):
        if n == limit:
            break
        out.add(triple)
    return out


# -- the worker process ----------------------------------------------------------------


def load_graph(path: str):
    """The graph a worker answers from: an Oxigraph store folder (the fast engine),
    opened read-only and copied into memory, or a pickled rdflib graph (the plain one)."""
    if os.path.isdir(path):
        on_disk = OxigraphGraph.open_read_only(path)
        if on_disk is None:
            raise OSError(f"cannot open the Oxigraph store in {path}")
        graph = OxigraphGraph()
        graph.store.bulk_extend(on_disk.store)
        return graph
    with open(path, "rb") as handle:
        return pickle.load(handle)


def _serve(conn, graph_path: str, memory_mb: int) -> None:
    """The body of a worker process: load the graph, then answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    if not no_network():
        sys.stderr.write("ascn-graph: the kernel cannot be asked to block network access in "
                         "this query worker; the query checks still refuse SERVICE\n")
    try:
        graph = load_graph(graph_path)
    except Exception as exc:
        conn.send(f"cannot load the graph: {type(exc).__name__}")
        return
    cap_memory(memory_mb)
    conn.send(READY)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = evaluate(graph, job)
        except MemoryError:
            reply = Reply.text(503, "query stopped: it needed more memory than the service allows")
            reply.retire = True
        except Exception as exc:  # never a traceback to the client
            reply = Reply.text(500, f"the query could not be evaluated: {type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(Reply(503, b"query stopped: its answer is too large\n", retire=True))
        if reply.retire:
            return


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context, graph_path: str, memory_mb: int) -> None:
        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child, graph_path, memory_mb),
                                       daemon=True, name="ascn-graph-query-worker")
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, limit: float) -> bool:
        if not self.ready and self.conn.poll(limit):
            self.ready = self.conn.recv() == READY
        return self.ready

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class Workers:
    """``size`` worker processes answering from ``graph_path`` (a store folder or a
    pickle, see :func:`load_graph`); a job waits for a free one, and a worker that
    runs past the time limit is killed and replaced."""

    def __init__(self, graph_path: str, size: int = 4, timeout: float = 30.0,
                 memory_mb: int = 1024) -> None:
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload([__name__])
        self.graph_path, self.memory_mb, self.timeout = graph_path, memory_mb, timeout
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.closed = False
        self.started = [self._new() for _ in range(size)]
        for worker in self.started:
            self.idle.put(worker)

    def _new(self) -> _Worker:
        return _Worker(self.context, self.graph_path, self.memory_mb)

    def wait_ready(self, limit: float = STARTUP_SECONDS) -> bool:
        """True once every first worker has loaded the graph."""
        return all(worker.wait_ready(limit) for worker in self.started)

    def run(self, job, timeout: float | None = None) -> Reply:
        """Run ``job`` in a free worker; stop it at the time limit."""
        limit = self.timeout if timeout is None else timeout
        try:
            worker = self.idle.get(timeout=limit)
        except queue.Empty:
            return Reply.text(503, "the service is busy; try again shortly", **{"Retry-After": "2"})
        healthy = False
        try:
            if not worker.wait_ready(STARTUP_SECONDS):
                return Reply.text(503, "no query worker could be started; try again shortly")
            worker.conn.send(job)
            if not worker.conn.poll(limit):
                return Reply.text(503, f"query stopped: it ran longer than the {limit:g}-second "
                                       "time limit of this service")
            reply = worker.conn.recv()
            healthy = not reply.retire
            return reply
        except (EOFError, OSError):
            return Reply.text(503, "query stopped: the worker ended without an answer "
                                   "(it may have needed too much memory)")
        finally:
            self._give_back(worker, healthy)

    def _give_back(self, worker: _Worker, healthy: bool) -> None:
        if healthy and not self.closed:
            self.idle.put(worker)
            return
        worker.stop()
        if not self.closed:
            self.idle.put(self._new())

    def close(self) -> None:
        """Stop every idle worker; busy ones are stopped when they finish."""
        self.closed = True
        while True:
            try:
                self.idle.get_nowait().stop()
            except queue.Empty:
                return
