"""``ascn-graph serve``: a local linked-data service on 127.0.0.1, built on
the standard library's ``http.server``.

- ``/sparql``: the SPARQL 1.1 Protocol. A query by GET ``?query=``, by POST
  ``application/x-www-form-urlencoded`` or by POST ``application/sparql-query``.
  SELECT and ASK results as JSON, XML, CSV or TSV, CONSTRUCT and DESCRIBE
  graphs as Turtle, JSON-LD, N-Triples or RDF/XML, by the Accept header (or
  ``format=json|xml|csv|tsv|turtle|jsonld|nt|rdfxml``). Without a query: the
  SPARQL 1.1 Service Description (Turtle, or JSON-LD), or a form for a browser.
- ``/id/{kind}/{slug}`` for each ``https://w3id.org/ascn-graph/id/{kind}/{slug}``,
  ``/ontology/{Term}`` for each ``ascn:{Term}`` and ``/ontology`` for the
  ontology: answered directly (200, ``Vary: Accept``, no redirect) as HTML for a
  browser and as Turtle, JSON-LD or N-Triples for a client, by Accept (or
  ``?format=html|turtle|jsonld|nt``).
- ``/queries``: pick a saved query, fill its parameters, see the table; the
  parameters go through the saved query's typed binding, never into its text.
- ``/timeline`` and ``/timeline.svg``: the roles over the years, findings marked.
- ``/.well-known/void``, ``/ontology/context.jsonld``, ``/static/...``, ``/``.

Read-only and local: every query runs in a worker process (``server_worker``)
that is killed at the time limit and cannot reach the network (``sandbox``);
updates, LOAD, SERVICE and FROM are refused before anything is evaluated
(``query_guard`` on the fast engine) and no outbound request is ever made. On the fast
engine (the default) the workers answer from Oxigraph, on the plain one
(``ASCN_ENGINE=plain``) from rdflib; both serve the same published graph (the
query view with inferences, blank nodes skolemized).

Statuses (SPARQL 1.1 Protocol, section 2.1.4, leaves failures to 4XX/5XX
with an implementation-defined body; the body here is one plain line):
400 malformed query (the parser's message) or bad parameter, naming it;
403 update, LOAD, SERVICE, FROM / FROM NAMED, ``default-graph-uri`` or
``named-graph-uri`` (a well-formed request the service will not carry out);
404 unknown resource or path; 405 other methods; 406 no acceptable format;
411 POST without a length; 413 request over the size limit; 415 other POST
body types; 503 a query stopped at the time limit (or the service busy, with
``Retry-After``); 500 anything unexpected. A stack trace never reaches a
client and the service keeps serving.

>>> sd = service_description("http://127.0.0.1:8000/sparql", 10)
>>> str(sd.value(predicate=SD.endpoint, object=URIRef("http://127.0.0.1:8000/sparql")) is not None)
'True'
>>> sparql_accept(["tsv", "text/tab-separated-values"], "*/*")
'text/tab-separated-values'
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
import traceback
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID

from ascn_graph import api, cache
from ascn_graph.errors import AscnGraphError
from ascn_graph.export import context_for, published
from ascn_graph.loading import NS_ID, bind_prefixes
from ascn_graph.negotiation import choose
from ascn_graph.pages import (
    SCRIPT,
    STYLE,
    entity_page,
    error_page,
    index_page,
    local_path,
    queries_page,
    resource_for,
    result_html,
    sparql_form_page,
    suggestions,
    timeline_page,
)
from ascn_graph.project import Project
from ascn_graph.queries import QueryCatalogue
from ascn_graph.reply_cache import ReplyCache
from ascn_graph.server_worker import Reply, SavedJob, SparqlJob, Workers
from ascn_graph.skolem import is_skolem
from ascn_graph.sparql_results import GRAPH_TYPES, content_type, graph_body
from ascn_graph.void import DATASET, describe

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
HTML = "text/html"
HTML_TYPE = "text/html; charset=utf-8"
HOST = "127.0.0.1"
RESOURCE_FORMATS = {"turtle": "text/turtle", "jsonld": "application/ld+json",
                    "nt": "application/n-triples", "html": HTML}
SPARQL_FORMATS = {  # format=... -> an Accept header (results for SELECT/ASK, graphs otherwise)
    "json": "application/sparql-results+json, application/ld+json;q=0.9",
    "xml": "application/sparql-results+xml, application/rdf+xml;q=0.9",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ttl": "text/turtle", "jsonld": "application/ld+json",
    "json-ld": "application/ld+json", "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml", "rdf+xml": "application/rdf+xml",
}
EXAMPLES = ["organization/ascn", "country/indonesia", "person/amran", "city/sumedang",
            "tenure/shepherd-indonesia-2023", "tenure/ascn-chair-2018-inferred", "source/seed-004"]
TIMELINE_LANGS = ("en", "id")
DISCARD_BYTES = 4_000_000


def service_description(endpoint: str, triples: int) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint."""
    g = bind_prefixes(Graph())
    g.bind("sd", SD)
    g.bind("void", VOID)
    service, default = BNode("service"), BNode("defaultGraph")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, DCTERMS.description, Literal(
        "Read-only: updates, LOAD, SERVICE and FROM are refused; queries are time- and row-limited.",
        lang="en")))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "JSON-LD", "N-Triples", "RDF_XML"):
        g.add((service, SD.resultFormat, FORMATS[name]))
    g.add((service, SD.defaultDataset, DATASET))
    g.add((DATASET, RDF.type, SD.Dataset))
    g.add((DATASET, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(triples)))
    return g


def sparql_accept(formats: list[str], accept: str) -> str | None:
    """The Accept header a ``format`` parameter stands for (the first value known;
    SPARQLWrapper sends a short name and a media type), else the request's own;
    None when values are given and none is known."""
    if not formats:
        return accept
    for value in formats:
        key = value.strip().lower()
        if key in SPARQL_FORMATS:
            return SPARQL_FORMATS[key]
        if key in SPARQL_FORMATS.values() or key.startswith(("application/", "text/")):
            return key
    return None


def describe_resource(graph: Graph, subject: URIRef) -> Graph:
    """What a client gets for a resource: its triples (with its citations'), and
    the triples that point to it."""
    out = bind_prefixes(Graph())
    for p, o in graph.predicate_objects(subject):
        out.add((subject, p, o))
        if is_skolem(o):
            for p2, o2 in graph.predicate_objects(o):
                out.add((o, p2, o2))
    for s, p in graph.subject_predicates(subject):
        out.add((s, p, subject))
    return out


def draw_timelines(project: Project, folder: str) -> None:
    """Draw the roles-over-the-years picture in each language into ``folder``
    (run in its own process at start: the continuity checks take a while)."""
    from ascn_graph import continuity, picture
    from ascn_graph.cli_continuity import picture_findings

    graph = api.build(project)
    marks = picture_findings(continuity.check(project, graph, with_timelines=False))
    for lang in TIMELINE_LANGS:
        svg = picture.draw(picture.collect_lanes(graph, project, lang), marks)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(svg)
        os.replace(tmp, Path(folder) / f"timeline-{lang}.svg")


class Timeline:
    """The picture, drawn once per input by a background process and kept in .cache/."""

    def __init__(self, project: Project, context, scratch: str) -> None:
        folder = project.cache_dir / f"timeline-{cache.input_digest(project)[:24]}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for old in project.cache_dir.glob("timeline-*"):
                if old != folder:
                    shutil.rmtree(old, ignore_errors=True)
        except OSError:
            folder = Path(scratch)
        self.folder = folder
        self.process = None
        if not self.ready():
            self.process = context.Process(target=draw_timelines, args=(project, str(folder)),
                                           daemon=True, name="ascn-graph-timeline")
            self.process.start()

    def ready(self) -> bool:
        return all((self.folder / f"timeline-{lang}.svg").exists() for lang in TIMELINE_LANGS)

    def svg(self, lang: str, wait: float) -> bytes | None:
        """The picture, waiting up to ``wait`` seconds for it to be drawn."""
        if not self.ready() and self.process is not None:
            self.process.join(wait)
        path = self.folder / f"timeline-{lang}.svg"
        return path.read_bytes() if path.exists() else None

    def drawing(self) -> bool:
        return self.process is not None and self.process.is_alive()

    def close(self) -> None:
        if self.drawing():
            self.process.kill()
            self.process.join(5)


class Service:
    """What the request handlers share: the graph, the queries, the workers, the limits."""

    def __init__(self, project: Project, graph: Graph, asserted: set, timeout: float,
                 max_rows: int, max_request: int, engine: str = "fast",
                 reply_cache_mb: int = 64) -> None:
        self.project, self.graph, self.asserted, self.engine = project, graph, asserted, engine
        self.replies: ReplyCache[Reply] = ReplyCache(reply_cache_mb * 1024 * 1024)
        self.catalogue = QueryCatalogue(project)
        self.context = context_for(graph, project)
        self.timeout, self.max_rows, self.max_request = timeout, max_rows, max_request
        self.offers: dict[str, dict] = {}
        self.workers: Workers | None = None
        self.timeline: Timeline | None = None
        self.scratch = tempfile.TemporaryDirectory(prefix="ascn-graph-serve-")
        self.base = self.endpoint = ""

    def start(self, port: int, workers: int, memory_mb: int) -> None:
        """Start the query workers and the picture, and note the address."""
        self.base, self.endpoint = f"http://{HOST}:{port}", f"http://{HOST}:{port}/sparql"
        self.workers = Workers(self.write_graph(), workers, self.timeout, memory_mb)
        if not self.workers.wait_ready():
            raise AscnGraphError("the query workers did not start")
        self.timeline = Timeline(self.project, self.workers.context, self.scratch.name)

    def write_graph(self) -> str:
        """Write the graph for the workers into the scratch folder, once: an Oxigraph
        store folder on the fast engine, a pickle on the plain one; its path."""
        if self.engine == "fast":
            from ascn_graph.store import OxigraphGraph

            path = Path(self.scratch.name) / "oxigraph"
            OxigraphGraph.from_graph(self.graph).save(str(path))
            return str(path)
        path = Path(self.scratch.name) / "graph.pickle"
        with path.open("wb") as handle:
            pickle.dump(self.graph, handle, protocol=pickle.HIGHEST_PROTOCOL)
        return str(path)

    def offers_for(self, name: str) -> dict:
        if name not in self.offers:
            query = self.catalogue.get(name)
            self.offers[name] = {p.name: suggestions(self.graph, p) for p in query.params}
        return self.offers[name]

    def close(self) -> None:
        if self.workers:
            self.workers.close()
        if self.timeline:
            self.timeline.close()
        self.scratch.cleanup()


class Handler(BaseHTTPRequestHandler):
    """Routes requests; every error is a short message and the server carries on."""

    server_version = "ascn-graph"
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a client may take to send its request
    disable_nagle_algorithm = True  # TCP_NODELAY: the end of a reply is not held back

    @property
    def service(self) -> Service:
        return self.server.service  # type: ignore[attr-defined]

    # -- plumbing -----------------------------------------------------------

    def log_message(self, format: str, *args) -> None:
        if getattr(self.server, "verbose", True):
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def send_body(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_page(self, page: str, status: int = 200, headers: dict | None = None) -> None:
        self.send_body(status, page.encode("utf-8"), HTML_TYPE, headers)

    def fail(self, status: int, message: str, html: bool = False, **headers: str) -> None:
        if html:
            self.send_page(error_page(status, message), status, headers)
        else:
            self.send_body(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)

    def wants_html(self) -> bool:
        accept = self.headers.get("Accept") or ""
        return "html" in accept and choose(accept, [HTML, "text/turtle"]) == HTML

    def dispatch(self) -> None:
        try:
            self.route()
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception:
            traceback.print_exc(file=sys.stderr)  # for the operator, never for the client
            self.close_connection = True
            try:
                self.fail(500, "internal error; the service is still running")
            except OSError:
                pass

    do_GET = do_POST = do_HEAD = dispatch

    def refuse_method(self) -> None:
        self.close_connection = True
        self.fail(405, "this service is read-only: use GET, HEAD or POST (POST only at /sparql)",
                  Allow="GET, HEAD, POST")

    do_PUT = do_DELETE = do_PATCH = refuse_method

    # -- routes -------------------------------------------------------------

    def route(self) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if self.command == "POST" and path != "/sparql":
            self.refuse_method()
        elif path == "/sparql":
            self.sparql(parts.query)
        elif path == "/ontology/context.jsonld":
            body = (self.service.project.ontology_dir / "context.jsonld").read_bytes()
            self.send_body(200, body, "application/ld+json")
        elif resource_for(path) is not None:
            self.resource(resource_for(path), parts.query)
        elif path == "/queries":
            self.queries(parts.query)
        elif path in ("/timeline", "/timeline.svg"):
            self.timeline(path, parts.query)
        elif path == "/":
            examples = [(f"/id/{e}", self.label_of(NS_ID[e])) for e in EXAMPLES
                        if (NS_ID[e], None, None) in self.service.graph]
            self.send_page(index_page(list(self.service.catalogue), examples))
        elif path == "/static/style.css":
            self.send_body(200, STYLE.encode("utf-8"), "text/css; charset=utf-8",
                           {"Cache-Control": "max-age=3600"})
        elif path == "/static/queries.js":
            self.send_body(200, SCRIPT.encode("utf-8"), "text/javascript; charset=utf-8",
                           {"Cache-Control": "max-age=3600"})
        elif path == "/.well-known/void":
            self.void()
        else:
            self.fail(404, f"nothing at {parts.path}; see / for what is here", html=self.wants_html())

    def label_of(self, term: URIRef) -> str:
        from ascn_graph.results import label

        return label(self.service.graph, term)

    # -- SPARQL ---------------------------------------------------------------

    def read_body(self) -> bytes | None:
        """The request body, or None after answering an error."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            self.fail(411, "send the request with a Content-Length, not chunked")
            return None
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            self.close_connection = True
            self.fail(411, "a POST needs a Content-Length")
            return None
        if not length_text.strip().isdigit():
            self.close_connection = True
            self.fail(400, f"bad Content-Length {length_text[:40]!r}")
            return None
        length = int(length_text)
        if length > self.service.max_request:
            self.close_connection = True
            self.fail(413, f"request too large: {length} bytes; the limit is {self.service.max_request}")
            self.discard(length)
            return None
        return self.rfile.read(length)

    def discard(self, length: int) -> None:
        """Read and drop (some of) a body not wanted, so that closing the connection
        does not reset it before the client has read the answer."""
        self.connection.settimeout(2)
        left = min(length, DISCARD_BYTES)
        try:
            while left > 0:
                chunk = self.rfile.read1(min(65536, left))
                if not chunk:
                    return
                left -= len(chunk)
        except OSError:
            return

    def sparql_params(self, query_string: str) -> dict[str, list[str]] | None:
        """The protocol parameters from the URL and a POST body, or None after an error."""
        if len(query_string) > self.service.max_request:
            self.fail(413, f"request too large; the limit is {self.service.max_request} bytes")
            return None
        params = parse_qs(query_string, keep_blank_values=True)
        if self.command != "POST":
            return params
        body = self.read_body()
        if body is None:
            return None
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            decoded = body.decode("utf-8")
        except UnicodeDecodeError:
            self.fail(400, "the request body is not UTF-8")
            return None
        if ctype == "application/x-www-form-urlencoded":
            for key, values in parse_qs(decoded, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        elif ctype == "application/sparql-query":
            params.setdefault("query", []).insert(0, decoded)
        elif ctype == "application/sparql-update":
            params.setdefault("update", []).append(decoded)
        else:
            self.fail(415, "POST a query as application/x-www-form-urlencoded or "
                           f"application/sparql-query, not {ctype or 'an untyped body'}")
            return None
        return params

    def sparql(self, query_string: str) -> None:
        service = self.service
        params = self.sparql_params(query_string)
        if params is None:
            return
        if "update" in params:
            self.fail(403, "updates are refused: this endpoint is read-only")
            return
        for name in ("default-graph-uri", "named-graph-uri"):
            if name in params:
                self.fail(403, f"parameter {name!r} refused: this endpoint answers from its own "
                               "graph only and loads nothing")
                return
        accept = sparql_accept(params.get("format", []), self.headers.get("Accept") or "")
        if accept is None:
            self.fail(400, "parameter 'format': expected one of " + ", ".join(SPARQL_FORMATS))
            return
        queries = params.get("query", [])
        if len(queries) > 1:
            self.fail(400, "parameter 'query': give exactly one query")
            return
        if not queries:
            if set(params) - {"format", "output", "results"}:
                self.fail(400, "parameter 'query' is missing (GET ?query=... or POST it)")
            else:
                self.describe_service(accept)
            return
        if not queries[0].strip():
            self.fail(400, "parameter 'query' is empty")
            return
        key = (queries[0], accept)
        reply = service.replies.get(key)
        if reply is not None:
            self.send_body(reply.status, reply.body, reply.content_type,
                           {**reply.headers, "X-Cache": "HIT"})
            return
        reply = service.workers.run(SparqlJob(queries[0], accept, service.max_rows, service.context))
        if reply.status == 200:
            service.replies.put(key, reply, len(reply.body) + len(queries[0]))
        self.send_body(reply.status, reply.body, reply.content_type, {**reply.headers, "X-Cache": "MISS"})

    def describe_service(self, accept: str) -> None:
        service = self.service
        if self.wants_html():
            self.send_page(sparql_form_page(service.endpoint, service.timeout, service.max_rows))
            return
        media = choose(accept, GRAPH_TYPES)
        if media is None:
            self.fail(406, "the service description is available as " + ", ".join(GRAPH_TYPES))
            return
        description = service_description(service.endpoint, len(service.graph))
        self.send_body(200, graph_body(description, media), content_type(media), {"Vary": "Accept"})

    def void(self) -> None:
        media = choose(self.headers.get("Accept"), GRAPH_TYPES)
        if media is None:
            self.fail(406, "the VoID description is available as " + ", ".join(GRAPH_TYPES))
            return
        description = describe(self.service.graph, self.service.endpoint)
        self.send_body(200, graph_body(description, media), content_type(media), {"Vary": "Accept"})

    # -- resources ----------------------------------------------------------

    def resource(self, subject: URIRef, query_string: str) -> None:
        graph = self.service.graph
        wanted = parse_qs(query_string).get("format", [None])[-1]
        offered = ["text/turtle", HTML, "application/ld+json", "application/n-triples"]
        if wanted:
            media = RESOURCE_FORMATS.get(wanted)
            if media is None:
                self.fail(400, "parameter 'format': expected one of " + ", ".join(RESOURCE_FORMATS))
                return
        else:
            media = choose(self.headers.get("Accept"), offered)
        if (subject, None, None) not in graph and (None, None, subject) not in graph:
            self.fail(404, f"no resource {subject} in the graph", html=media == HTML or self.wants_html())
            return
        if media is None:
            self.fail(406, "this resource is available as " + ", ".join(offered), Vary="Accept")
            return
        path = local_path(subject)
        links = ", ".join(f'<{path}?format={f}>; rel="alternate"; type="{t}"'
                          for f, t in RESOURCE_FORMATS.items())
        headers = {"Vary": "Accept", "Link": links}
        if media == HTML:
            self.send_page(entity_page(graph, subject, self.service.asserted), headers=headers)
            return
        body = graph_body(describe_resource(graph, subject), media, self.service.context)
        self.send_body(200, body, content_type(media), headers)

    # -- saved queries and the picture ---------------------------------------

    def queries(self, query_string: str) -> None:
        service = self.service
        params = {k: v[-1] for k, v in parse_qs(query_string, keep_blank_values=True).items()}
        lang = params.get("lang") if params.get("lang") in ("en", "id") else "en"
        sources = params.get("sources", "1") != "0"
        name = params.get("name") or ""
        chosen = service.catalogue.queries.get(name)
        if name and chosen is None:
            self.fail(404, f"parameter 'name': no saved query named {name!r}", html=True)
            return
        values = {k[2:]: v.strip() for k, v in params.items() if k.startswith("p_") and v.strip()}
        result, status = "", 200
        if chosen and params.get("run"):
            result, status = self.run_saved(chosen, values, lang, sources)
        offers = service.offers_for(chosen.name) if chosen else {}
        page = queries_page(list(service.catalogue), chosen, values, lang, sources, result, offers)
        self.send_page(page, status)

    def run_saved(self, chosen, values: dict[str, str], lang: str, sources: bool) -> tuple[str, int]:
        try:
            bindings = chosen.bind(values)
        except AscnGraphError as exc:
            return f'<p class="error" id="error">{escape(str(exc))}</p>', 400
        reply = self.service.workers.run(SavedJob(chosen.text, bindings, self.service.max_rows))
        if reply.table is None:
            message = reply.body.decode("utf-8", "replace").strip()
            return f'<p class="error" id="error">{escape(message)}</p>', reply.status
        html = result_html(chosen.header.title, reply.table, self.service.graph, lang, sources,
                           bool(reply.headers))
        return html, 200

    def timeline(self, path: str, query_string: str) -> None:
        lang = parse_qs(query_string).get("lang", ["en"])[-1]
        if lang not in TIMELINE_LANGS:
            self.fail(400, "parameter 'lang': expected en or id", html=path == "/timeline")
            return
        if path == "/timeline":
            self.send_page(timeline_page(lang))
            return
        timeline = self.service.timeline
        svg = timeline.svg(lang, wait=120) if timeline else None
        if svg is None:
            still = timeline is not None and timeline.drawing()
            self.fail(503 if still else 500, "the picture is still being drawn; try again shortly"
                      if still else "the picture could not be drawn; see the service's log",
                      **({"Retry-After": "10"} if still else {}))
            return
        self.send_body(200, svg, "image/svg+xml; charset=utf-8")


class Server(ThreadingHTTPServer):
    """A thread per connection; a long listen queue, so that many clients connecting at
    once wait their turn instead of losing their connection requests."""

    daemon_threads = True
    request_queue_size = 128


def start(project: Project | None = None, port: int = 8000, timeout: float = 30.0,
          max_rows: int = 10000, workers: int = 4, max_request: int = 100_000,
          memory_mb: int = 1024, verbose: bool = True,
          reply_cache_mb: int = 64) -> ThreadingHTTPServer:
    """Bind the socket, build the graph, start the workers; the caller serves,
    then calls ``stop``."""
    project = project or Project.default()
    try:
        server = Server((HOST, port), Handler)
    except OSError as exc:
        raise AscnGraphError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from None
    server.verbose = verbose  # type: ignore[attr-defined]
    try:
        reasoned = api.build(project)
        graph = published(reasoned, inferred=True)
        service = Service(project, graph, set(published(reasoned, inferred=False)),
                          timeout, max_rows, max_request, reasoned.engine, reply_cache_mb)
        server.service = service  # type: ignore[attr-defined]
        service.start(server.server_address[1], workers, memory_mb)
    except BaseException:
        stop(server)
        raise
    return server


def stop(server: ThreadingHTTPServer) -> None:
    """Close the socket and stop the workers."""
    server.server_close()
    service = getattr(server, "service", None)
    if service is not None:
        service.close()


def serve(out=None, **options) -> int:
    """Run the service until interrupted (Ctrl-C or SIGTERM)."""
    out = out or sys.stdout
    server = start(**options)
    service: Service = server.service  # type: ignore[attr-defined]

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)
    out.write(f"serving on {service.base}/ (SPARQL endpoint {service.endpoint}); Ctrl-C stops\n")
    out.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop(server)
    return 0

