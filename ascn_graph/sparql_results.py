"""SPARQL 1.1 query results in the four W3C formats (JSON, XML, CSV, TSV),
and graphs (CONSTRUCT, DESCRIBE) as Turtle, JSON-LD, N-Triples or RDF/XML.

>>> from rdflib import Literal, URIRef
>>> rows = [[URIRef("https://w3id.org/ascn-graph/id/country/lao-pdr"), Literal("Lao PDR", lang="en")]]
>>> select_body(["who", "name"], rows, "text/csv").decode().splitlines()
['who,name', 'https://w3id.org/ascn-graph/id/country/lao-pdr,Lao PDR']
>>> [line.split(chr(9)) for line in select_body(["who", "name"], rows, "text/tab-separated-values").decode().splitlines()]
[['?who', '?name'], ['<https://w3id.org/ascn-graph/id/country/lao-pdr>', '"Lao PDR"@en']]
>>> ask_body(True, "application/sparql-results+json")
b'{"head": {}, "boolean": true}'
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import XSD

from ascn_graph.writers import XML_BAD, nt_term

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
SELECT_TYPES = [JSON, XML, CSV, TSV]
ASK_TYPES = [JSON, XML]
TURTLE = "text/turtle"
JSONLD = "application/ld+json"
NTRIPLES = "application/n-triples"
RDFXML = "application/rdf+xml"
GRAPH_TYPES = [TURTLE, JSONLD, NTRIPLES, RDFXML]
RDFLIB_FORMATS = {TURTLE: "turtle", JSONLD: "json-ld", NTRIPLES: "nt", RDFXML: "xml"}
CHARSET = {JSON: "", XML: "", CSV: "; charset=utf-8", TSV: "; charset=utf-8",
           TURTLE: "; charset=utf-8", JSONLD: "", NTRIPLES: "", RDFXML: ""}


class ResultFormatError(ValueError):
    """A result that cannot be written in the format asked for."""


def _json_term(term) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    cell = {"type": "literal", "value": str(term)}
    if term.language:
        cell["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        cell["datatype"] = str(term.datatype)
    return cell


def _xml(text: str) -> str:
    if XML_BAD.search(text):
        raise ResultFormatError("the result holds a character XML cannot carry; ask for JSON")
    return escape(text, {"\r": "&#13;"})


def _xml_term(term) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{_xml(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{_xml(str(term))}</bnode>"
    attr = ""
    if term.language:
        attr = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype and term.datatype != XSD.string:
        attr = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attr}>{_xml(str(term))}</literal>"


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "_:" + str(term)
    return str(term)


def _tsv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "_:" + str(term)
    return nt_term(term)


def select_body(variables: list[str], rows: list[list], media: str) -> bytes:
    """A SELECT result (rows of terms, None where unbound) in ``media``."""
    if media == JSON:
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=False) if t is not None}
                    for row in rows]
        data = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    if media == XML:
        out = ['<?xml version="1.0" encoding="utf-8"?>',
               '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
        out += [f"    <variable name={quoteattr(v)}/>" for v in variables]
        out += ["  </head>", "  <results>"]
        for row in rows:
            out.append("    <result>")
            out += [f"      <binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(variables, row, strict=False) if t is not None]
            out.append("    </result>")
        out += ["  </results>", "</sparql>", ""]
        return "\n".join(out).encode("utf-8")
    if media == CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([[_csv_term(t) for t in row] for row in rows])
        return buffer.getvalue().encode("utf-8")
    if media == TSV:
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ResultFormatError(f"no SELECT results as {media}")


def ask_body(answer: bool, media: str) -> bytes:
    """An ASK result in ``media`` (JSON or XML)."""
    if media == JSON:
        return json.dumps({"head": {}, "boolean": answer}).encode("utf-8")
    if media == XML:
        return ('<?xml version="1.0" encoding="utf-8"?>\n'
                '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n  <head/>\n'
                f"  <boolean>{'true' if answer else 'false'}</boolean>\n</sparql>\n").encode()
    raise ResultFormatError(f"no ASK result as {media}")


def graph_body(graph: Graph, media: str, context: dict | None = None) -> bytes:
    """A CONSTRUCT or DESCRIBE result in ``media`` (JSON-LD compacted with ``context``)."""
    fmt = RDFLIB_FORMATS.get(media)
    if fmt is None:
        raise ResultFormatError(f"no graph as {media}")
    if fmt == "json-ld":
        data = graph.serialize(format="json-ld", context=context, auto_compact=bool(context))
    else:
        data = graph.serialize(format=fmt)
    return data.encode("utf-8") if isinstance(data, str) else data


def content_type(media: str) -> str:
    """The Content-Type header for a media type.

    >>> content_type(CSV)
    'text/csv; charset=utf-8'
    """
    return media + CHARSET.get(media, "")

