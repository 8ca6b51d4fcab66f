"""The operations of the ``ascn-graph`` command as plain functions, for
Python and notebooks.

:func:`build` reasons with the fast engine unless ``engine="plain"`` or the
environment variable ``ASCN_ENGINE=plain`` says otherwise; both give the same
graph (tests/test_fastpath.py).

>>> graph = build()
>>> graph.engine in ("fast", "plain")
True
>>> table = run_saved_query("role-timeline", {"role": "ascn:Shepherd"}, graph=graph)
>>> "holder" in table.columns
True
"""

from __future__ import annotations

from rdflib import Graph

from ascn_graph import cache
from ascn_graph.project import Project
from ascn_graph.queries import QueryCatalogue
from ascn_graph.reasoning import ReasonedGraph, reason, resolve_engine
from ascn_graph.results import Table, add_sources


def build(project: Project | None = None, use_cache: bool = True,
          engine: str | None = None) -> ReasonedGraph:
    """Load the ontology and data and reason over them (cached by input hash and engine).

    ``engine``: ``"fast"`` or ``"plain"``; default ``ASCN_ENGINE``, else fast.
    """
    project = project or Project.default()
    engine = resolve_engine(engine)
    digest = cache.input_digest(project, engine)
    if use_cache:
        cached = cache.load(project, digest, engine)
        if isinstance(cached, ReasonedGraph):
            return cached
    from ascn_graph.loading import load_project
    from ascn_graph.rules import load_rules

    loaded = load_project(project)
    result = reason(loaded, load_rules(project), engine=engine)
    if use_cache:
        cache.store(project, digest, result, engine)
    return result


def run_saved_query(
    name: str,
    params: dict[str, str] | None = None,
    graph: ReasonedGraph | None = None,
    project: Project | None = None,
    with_sources: bool = False,
    lang: str = "en",
) -> Table:
    """Run a saved query over the reasoned graph; parameters are checked and bound."""
    project = project or Project.default()
    graph = graph or build(project)
    query = QueryCatalogue(project).get(name)
    table = Table.from_result(query.run(graph.queryable(), params or {}))
    if with_sources:
        add_sources(table, graph.queryable(), lang)
    return table


def run_sparql(text: str, graph: ReasonedGraph | None = None, inferred: bool = True) -> Table | Graph:
    """Run an ad-hoc read-only query over the reasoned graph (or the asserted one)."""
    from ascn_graph.sparql import run_text

    graph = graph or build()
    return run_text(text, graph.queryable() if inferred else graph.asserted)
