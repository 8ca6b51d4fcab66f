"""Query evaluation in worker processes that can be stopped.

A few long-lived worker processes each load the graph once (from a pickle
the server writes) and then answer jobs one at a time over a pipe. A job
that runs past the time limit has its worker killed, whatever it is doing,
and a fresh worker takes its place; the server answers 503 and keeps
serving. A worker cannot open a network connection, rdflib's loading of
``FROM`` graphs is switched off in it, and its memory is capped.

Before anything is evaluated, a query is parsed and refused (403) if it is an
update (INSERT, DELETE, LOAD, CLEAR, ...), uses SERVICE, or names a dataset
with FROM / FROM NAMED; a query that does not parse is a 400 with the
parser's message.

>>> from rdflib import Graph, Literal, URIRef
>>> g = Graph()
>>> _ = g.add((URIRef("http://a/x"), URIRef("http://a/p"), Literal(1)))
>>> reply = evaluate(g, SparqlJob("SELECT ?o WHERE { ?s ?p ?o }", "text/csv", 10))
>>> reply.status, reply.body
(200, b'o\\r\\n1\\r\\n')
>>> evaluate(g, SparqlJob("DELETE WHERE { ?s ?p ?o }", "", 10)).status
403
>>> evaluate(g, SparqlJob("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "", 10)).body
b'query refused: SERVICE would make an outbound request; this endpoint only answers from its own graph\\n'
>>> evaluate(g, SparqlJob("SELEC ?x {}", "", 10)).body[:60]
b'malformed query: Expected {SelectQuery | ConstructQuery | De'
>>> evaluate(g, SparqlJob("ASK {}", "text/csv", 10)).status
406
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import resource
import signal
import socket
from dataclasses import dataclass, field

import rdflib.plugins.sparql as rdflib_sparql
from rdflib import Graph, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from ascn_graph.negotiation import choose
from ascn_graph.results import Table
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

MESSAGE_CHARS = 300
READY = "ready"
STARTUP_SECONDS = 120.0
READ_FORMS = {"SelectQuery", "AskQuery", "ConstructQuery", "DescribeQuery"}


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


class Refused(Exception):
    """A query this endpoint will not run (HTTP 403)."""


class Malformed(Exception):
    """A query that does not parse (HTTP 400)."""


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
    """Parse a query; raise Malformed or Refused before anything is evaluated.

    >>> inspect("LOAD <http://127.0.0.1:9/x>")
    Traceback (most recent call last):
    ...
    ascn_graph.server_worker.Refused: query refused: updates (INSERT, DELETE, LOAD, CLEAR, ...) are not accepted; this endpoint is read-only
    >>> inspect("SELECT * FROM <http://127.0.0.1:9/x> { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    ascn_graph.server_worker.Refused: query refused: FROM / FROM NAMED would load data from elsewhere; query the default graph without them
    """
    try:
        query = prepareQuery(text)
    except Exception as exc:
        if _is_update(text):
            raise Refused("query refused: updates (INSERT, DELETE, LOAD, CLEAR, ...) are not "
                          "accepted; this endpoint is read-only") from None
        first = (str(exc).strip().splitlines() or ["the query does not parse"])[0]
        raise Malformed("malformed query: " + first) from None
    if query.algebra.name not in READ_FORMS:
        raise Refused(f"query refused: {query.algebra.name} is not a read-only query")
    if query.algebra.get("datasetClause"):
        raise Refused("query refused: FROM / FROM NAMED would load data from elsewhere; "
                      "query the default graph without them")
    if _mentions(query.algebra, "ServiceGraphPattern"):
        raise Refused("query refused: SERVICE would make an outbound request; "
                      "this endpoint only answers from its own graph")
    if _mentions(query.algebra, "Graph"):
        raise Malformed("GRAPH is not supported here: this service holds one default graph "
                        "(asserted and inferred triples) and no named graphs")
    return query


def _too_many(n: int) -> dict[str, str]:
    return {"X-SPARQL-MaxRows": str(n)}


def _rows(result, limit: int) -> tuple[list[list], bool]:
    """At most ``limit`` rows; True when there were more."""
    rows = []
    for row in result:
        if len(rows) == limit:
            return rows, True
        rows.append(list(row))
    return rows, False


def evaluate(graph: Graph, job: SparqlJob | SavedJob) -> Reply:
    """Run one job on ``graph``; refusals, syntax and format errors become short replies."""
    if isinstance(job, SavedJob):
        result = graph.query(prepareQuery(job.text),
                             initBindings={Variable(k): v for k, v in job.bindings.items()})
        rows, more = _rows(result, job.max_rows)
        table = Table([str(v) for v in result.vars], rows)
        return Reply(200, table=table, headers=_too_many(job.max_rows) if more else {})
    try:
        query = inspect(job.text)
    except Refused as exc:
        return Reply.text(403, str(exc))
    except Malformed as exc:
        return Reply.text(400, str(exc))
    kind = query.algebra.name
    offered = SELECT_TYPES if kind == "SelectQuery" else ASK_TYPES if kind == "AskQuery" else GRAPH_TYPES
    media = choose(job.accept, offered)
    if media is None:
        return Reply.text(406, f"cannot answer in the format asked for ({job.accept}); "
                               "available: " + ", ".join(offered))
    result = graph.query(query)
    headers: dict[str, str] = {}
    try:
        if kind == "SelectQuery":
            rows, more = _rows(result, job.max_rows)
            headers = _too_many(job.max_rows) if more else {}
            body = select_body([str(v) for v in result.vars], rows, media)
        elif kind == "AskQuery":
            body = ask_body(bool(result.askAnswer), media)
        else:
            found = result.graph
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


def _no_network() -> None:
    """Make any outbound connection from this process fail, and rdflib load nothing."""

    def refuse(*_args, **_kwargs):
        raise OSError("outbound connections are disabled in the query worker")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]
    rdflib_sparql.SPARQL_LOAD_GRAPHS = False


def _cap_memory(megabytes: int) -> None:
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[0])
        limit = pages * os.sysconf("SC_PAGE_SIZE") + megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError):
        pass


def _serve(conn, graph_path: str, memory_mb: int) -> None:
    """The body of a worker process: load the graph, then answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    _no_network()
    try:
        with open(graph_path, "rb") as handle:
            graph = pickle.load(handle)
    except Exception as exc:
        conn.send(f"cannot load the graph: {type(exc).__name__}")
        return
    _cap_memory(memory_mb)
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
    """``size`` worker processes; a job waits for a free one, and a worker that
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
