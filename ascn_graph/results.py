"""Query results as tables people can read: labels instead of bare IRIs, in
English or Indonesian, optionally with each row's sources; rendered as a text
table, CSV, JSON (SPARQL 1.1 results with labels) or Markdown.

>>> from rdflib import Graph, URIRef, Literal
>>> from rdflib.namespace import RDFS
>>> g = Graph()
>>> x = URIRef("https://w3id.org/ascn-graph/id/country/lao-pdr")
>>> _ = g.add((x, RDFS.label, Literal("Lao PDR", lang="en")))
>>> _ = g.add((x, RDFS.label, Literal("Laos", lang="id")))
>>> t = Table(["who"], [[x]])
>>> print(render(t, g, "md", lang="id"))
| who |
|---|
| Laos |
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from ascn_graph.formats import LANGS, TABLE_FORMATS
from ascn_graph.loading import ASCN, PROV, bind_prefixes

FORMATS = TABLE_FORMATS
__all__ = ["FORMATS", "LANGS", "Table", "label", "curie", "render", "add_sources", "row_sources"]


@dataclass
class Table:
    """Column names and rows of RDF terms (None where unbound)."""

    columns: list[str]
    rows: list[list[object]]
    sources: list[list[str]] = field(default_factory=list)

    @classmethod
    def from_result(cls, result) -> Table:
        columns = [str(v) for v in result.vars]
        rows = [[row[i] for i in range(len(columns))] for row in result]
        return cls(columns, rows)


def label(graph: Graph, term: object, lang: str = "en") -> str:
    """A readable name for a term: its label in ``lang``, else in English,
    else any label, else a prefixed name. Of several labels in one language, the first in
    alphabetical order, so the name does not depend on the order a store keeps them in."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        if term.datatype is not None and str(term.datatype).endswith("#boolean"):
            return "yes" if term.toPython() else "no"
        return str(term)
    if isinstance(term, BNode):
        return "_:" + str(term)
    labels = list(graph.objects(term, RDFS.label)) or list(graph.objects(term, SKOS.prefLabel))
    for wanted in (lang, "en", None):
        matching = [str(c) for c in labels
                    if wanted is None or getattr(c, "language", None) == wanted]
        if matching:
            return min(matching)
    return curie(graph, term)


def curie(graph: Graph, term: URIRef) -> str:
    """A prefixed name where the graph knows the prefix, else the full IRI."""
    try:
        return graph.namespace_manager.normalizeUri(term).strip("<>")
    except Exception:
        return str(term)


def row_sources(graph: Graph, row: list[object], lang: str = "en") -> list[str]:
    """The sources cited by the claims that appear in a row: for each claim in the row's
    order, its sources in the order of their names (whatever order the store keeps)."""
    found: list[str] = []
    for term in row:
        if not isinstance(term, URIRef):
            continue
        names = {label(graph, source, lang)
                 for citation in graph.objects(term, ASCN.citation)
                 for source in graph.objects(citation, PROV.entity)}
        found += [name for name in sorted(names) if name not in found]
    return found


def add_sources(table: Table, graph: Graph, lang: str = "en") -> Table:
    """Attach each row's sources (shown as a last column)."""
    table.sources = [row_sources(graph, row, lang) for row in table.rows]
    return table


def _cells(table: Table, graph: Graph, lang: str, iris: bool) -> tuple[list[str], list[list[str]]]:
    columns = list(table.columns)
    rows = []
    for index, row in enumerate(table.rows):
        cells = [
            (str(term) if iris and isinstance(term, URIRef) else label(graph, term, lang))
            for term in row
        ]
        if table.sources:
            cells.append("; ".join(table.sources[index]))
        rows.append(cells)
    if table.sources:
        columns.append("sources")
    return columns, rows


def render(table: Table, graph: Graph, fmt: str = "table", lang: str = "en", iris: bool = False) -> str:
    """Render a table in one of FORMATS."""
    if fmt == "json":
        return _json(table, graph, lang)
    columns, rows = _cells(table, graph, lang, iris)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return out.getvalue().rstrip("\n")
    if fmt == "md":
        def esc(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
        return "\n".join(lines)
    if fmt == "table":
        widths = [len(c) for c in columns]
        for row in rows:
            widths = [max(w, len(c)) for w, c in zip(widths, row, strict=False)]
        def line(cells: list[str]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip()
        out_lines = [line(columns), line(["-" * w for w in widths])]
        out_lines += [line(row) for row in rows]
        out_lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
        return "\n".join(out_lines)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _json(table: Table, graph: Graph, lang: str) -> str:
    bindings = []
    for index, row in enumerate(table.rows):
        binding: dict[str, dict[str, str]] = {}
        for column, term in zip(table.columns, row, strict=False):
            if term is None:
                continue
            if isinstance(term, URIRef):
                binding[column] = {"type": "uri", "value": str(term), "label": label(graph, term, lang)}
            elif isinstance(term, BNode):
                binding[column] = {"type": "bnode", "value": str(term)}
            else:
                cell = {"type": "literal", "value": str(term)}
                if term.language:
                    cell["xml:lang"] = term.language
                elif term.datatype:
                    cell["datatype"] = str(term.datatype)
                binding[column] = cell
        if table.sources:
            binding["sources"] = {"type": "literal", "value": "; ".join(table.sources[index])}
        bindings.append(binding)
    columns = table.columns + (["sources"] if table.sources else [])
    return json.dumps({"head": {"vars": columns}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=2)


def prefixed(graph: Graph) -> Graph:
    """Make sure the project's prefixes are bound (for prefixed names in output)."""
    return bind_prefixes(graph)
