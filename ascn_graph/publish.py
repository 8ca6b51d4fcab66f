"""Load the graph into a triple store through the SPARQL 1.1 Graph Store
HTTP Protocol: ``PUT`` (replace) then ``POST`` (add) N-Triples in chunks to
``STORE?default`` or ``STORE?graph=IRI``. Blank nodes are skolemized first,
so the chunks are independent and a citation has the same IRI in the store
as in the exports and the local service.

Where the Graph Store is, for some stores:

- Oxigraph: ``http://HOST:7878/store``
- Apache Jena Fuseki: ``http://HOST:3030/DATASET/data``
- GraphDB: ``http://HOST:7200/repositories/REPO/rdf-graphs/service``
- Virtuoso: ``http://HOST:8890/sparql-graph-crud`` (use ``--graph``: its
  default graph is the union of all graphs, its own system triples included)

By default everything goes into the default graph, which is where the saved
queries look. With ``named_graphs=True`` each source's claims go into a graph
named by the source's IRI (the TriG rule of ``ascn_graph.export``) and the
rest into the default graph; query such a store with its union default graph
turned on (``oxigraph serve --union-default-graph``, Fuseki
``tdb2:unionDefaultGraph true``).

A store that asks for a password (Virtuoso's ``/sparql-graph-crud-auth``,
GraphDB with security on) gets HTTP basic or digest authentication:
``--user NAME`` with the password in ``$ASCN_STORE_PASSWORD`` (never on the
command line, where other users of the machine could read it).

>>> check_endpoint("ftp://h/store")
Traceback (most recent call last):
...
ascn_graph.publish.PublishError: parameter 'endpoint': expected an http(s) URL like http://127.0.0.1:7878/store, got 'ftp://h/store'
>>> store_url("http://127.0.0.1:7878/store", None)
'http://127.0.0.1:7878/store?default'
>>> store_url("http://h/sparql-graph-crud?x=1", "https://w3id.org/ascn-graph/id/source/seed-004")
'http://h/sparql-graph-crud?x=1&graph=https%3A%2F%2Fw3id.org%2Fascn-graph%2Fid%2Fsource%2Fseed-004'
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from ascn_graph.errors import AscnGraphError
from ascn_graph.export import by_source, published
from ascn_graph.reasoning import ReasonedGraph
from ascn_graph.writers import ntriples

NTRIPLES = "application/n-triples"
CHUNK_LINES = 20000
TIMEOUT_SECONDS = 120
URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")


PASSWORD_VARIABLE = "ASCN_STORE_PASSWORD"


class PublishError(AscnGraphError):
    """The store could not be reached or refused the data."""


def check_endpoint(endpoint: str) -> str:
    """The endpoint URL, or an error naming the parameter."""
    if not URL.match(endpoint or ""):
        raise PublishError(f"parameter 'endpoint': expected an http(s) URL like "
                           f"http://127.0.0.1:7878/store, got {endpoint!r}")
    return endpoint


def credentials(user: str | None) -> tuple[str, str] | None:
    """(user, password from $ASCN_STORE_PASSWORD), or None without a user."""
    if not user:
        return None
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        raise PublishError(f"parameter 'user': give the password in ${PASSWORD_VARIABLE}")
    return user, password


def _opener(endpoint: str, auth: tuple[str, str] | None):
    if auth is None:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, endpoint, *auth)
    opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords),
                                         urllib.request.HTTPDigestAuthHandler(passwords))
    opener._with_auth = True
    return opener


def store_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store URL of the default graph (None) or of a named graph."""
    joiner = "&" if "?" in endpoint else "?"
    return endpoint + joiner + ("default" if graph is None else urlencode({"graph": graph}))


def _send(method: str, url: str, body: bytes, timeout: float, opener=None) -> None:
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": NTRIPLES})
    opener = opener or urllib.request.build_opener()
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = " ".join(exc.read()[:300].decode("utf-8", "replace").split())
        if exc.code in (401, 403):
            detail = (detail + "; " if detail else "") + (
                f"the store wants a user and password: give --user and ${PASSWORD_VARIABLE}")
        raise PublishError(f"the store at {url} answered {exc.code} to {method}: {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        hint = ""
        if isinstance(reason, BrokenPipeError):
            hint = (" (the store closed the connection before taking the data: a wrong user or "
                    "password?)" if getattr(opener, "_with_auth", False) else
                    f" (the store closed the connection before taking the data: does it want "
                    f"a user and password? give --user and ${PASSWORD_VARIABLE})")
        raise PublishError(f"the store at {url} cannot be reached: {reason}{hint}") from None


def count_triples(endpoint: str, graph: str | None = None, timeout: float = TIMEOUT_SECONDS,
                  auth: tuple[str, str] | None = None) -> int:
    """How many triples the store holds in a graph (GET as N-Triples)."""
    request = urllib.request.Request(store_url(endpoint, graph), headers={"Accept": NTRIPLES})
    try:
        with _opener(endpoint, auth).open(request, timeout=timeout) as response:
            text = response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        raise PublishError(f"the store answered {exc.code} when asked for the graph back") from None
    except (urllib.error.URLError, OSError) as exc:
        raise PublishError(f"the store cannot be reached: {getattr(exc, 'reason', exc)}") from None
    return sum(1 for line in text.splitlines() if line.strip() and not line.startswith("#"))


def put_graph(endpoint: str, graph: str | None, lines: list[str], chunk: int = CHUNK_LINES,
              timeout: float = TIMEOUT_SECONDS, auth: tuple[str, str] | None = None) -> None:
    """Replace one graph of the store with these N-Triples lines."""
    url = store_url(endpoint, graph)
    opener = _opener(endpoint, auth)
    for start in range(0, max(len(lines), 1), chunk):
        body = "".join(lines[start : start + chunk]).encode("utf-8")
        _send("PUT" if start == 0 else "POST", url, body, timeout, opener)


@dataclass
class PublishReport:
    """What was sent where."""

    endpoint: str
    graphs: dict[str | None, int] = field(default_factory=dict)
    stored: int | None = None
    checked: str = "default graph"

    def __str__(self) -> str:
        total = sum(self.graphs.values())
        named = len([g for g in self.graphs if g is not None])
        if len(self.graphs) > 1:
            where = f" ({named} named graphs and the default graph)"
        elif named:
            where = f" (into the graph <{next(iter(self.graphs))}>)"
        else:
            where = " (into the default graph)"
        check = (f"; the store now holds {self.stored} triples in the {self.checked}"
                 if self.stored is not None else "")
        return f"published {total} triples to {self.endpoint}{where}{check}"


def _lines(triples: Iterable[tuple]) -> list[str]:
    return ntriples(triples).splitlines(keepends=True)


def publish(graph: ReasonedGraph, endpoint: str, inferred: bool = True, named_graphs: bool = False,
            graph_iri: str | None = None, verify: bool = True,
            chunk: int = CHUNK_LINES, timeout: float = TIMEOUT_SECONDS,
            auth: tuple[str, str] | None = None) -> PublishReport:
    """Send the graph (with inferences unless ``inferred`` is False) to a Graph Store."""
    check_endpoint(endpoint)
    if graph_iri is not None and not URL.match(graph_iri):
        raise PublishError(f"parameter 'graph': expected an http(s) IRI, got {graph_iri!r}")
    if named_graphs and graph_iri:
        raise PublishError("parameter 'graph': give either --graph or --named-graphs, not both")
    data = published(graph, inferred)
    report = PublishReport(endpoint)
    if named_graphs:
        for name, triples in sorted(by_source(data).items(), key=lambda kv: str(kv[0] or "")):
            target = None if name is None else str(name)
            put_graph(endpoint, target, _lines(triples), chunk, timeout, auth)
            report.graphs[target] = len(triples)
    else:
        put_graph(endpoint, graph_iri, _lines(data), chunk, timeout, auth)
        report.graphs[graph_iri] = len(data)
    if verify:
        target = graph_iri
        report.stored = count_triples(endpoint, target, timeout, auth)
        report.checked = f"graph <{target}>" if target else "default graph"
        expected = report.graphs.get(target, 0)
        if report.stored < expected:
            raise PublishError(f"the store holds {report.stored} triples in the graph, "
                               f"fewer than the {expected} sent")
    return report

