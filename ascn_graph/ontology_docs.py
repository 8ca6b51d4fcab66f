"""The ontology (``ontology/ascn.ttl``) as one self-contained HTML page: its
classes, properties and named individuals, each with its labels in English and
Indonesian, definition and comment, superclasses or superproperties, domain
and range, and the outside terms it aligns with (W3C ORG, PROV-O, SKOS, Dublin
Core, FOAF, schema.org), linked. No script, no stylesheet or font from
elsewhere: the page works offline. Written sorted, so the same ontology gives
the same bytes. (pyLODE 3.4.1, the newest, fails on import; 3.3.4 works with
rdflib 7 but would be a new dependency for one page.)

>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''
... @prefix ascn: <https://w3id.org/ascn-graph/ontology#> .
... @prefix owl: <http://www.w3.org/2002/07/owl#> .
... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
... @prefix org: <http://www.w3.org/ns/org#> .
... ascn:Tenure a owl:Class ; rdfs:subClassOf org:Membership ;
...     rdfs:label "tenure"@en , "masa jabatan"@id .
... ''')
>>> page = html_page(g)
>>> 'id="Tenure"' in page and "masa jabatan" in page and "org:Membership" in page
True
>>> terms(g)["classes"]
[rdflib.term.URIRef('https://w3id.org/ascn-graph/ontology#Tenure')]
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ascn_graph.writers import PREFIXES

VOCAB = PREFIXES["ascn"]
ONTOLOGY = URIRef("https://w3id.org/ascn-graph/ontology")
DCTERMS = "http://purl.org/dc/terms/"
SECTIONS = (("classes", "Classes"), ("object-properties", "Object properties"),
            ("datatype-properties", "Datatype properties"), ("individuals", "Named individuals"))
ALIGN = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty,
         SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)
STYLE = """body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.4}
section.term{border-top:1px solid #ccc;padding:.5em 0}code{background:#f4f4f4}
dt{font-weight:bold;float:left;clear:left;width:9em}dd{margin-left:10em}
.id{color:#555}nav li{display:inline;margin-right:.6em}"""


def _mine(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(VOCAB)


def terms(graph: Graph) -> dict[str, list[URIRef]]:
    """The ontology's own terms by kind, sorted."""
    found: dict[str, set] = {key: set() for key, _ in SECTIONS}
    kinds = {OWL.Class: "classes", RDFS.Class: "classes", OWL.ObjectProperty: "object-properties",
             OWL.DatatypeProperty: "datatype-properties", RDF.Property: "object-properties",
             OWL.NamedIndividual: "individuals"}
    for kind, key in kinds.items():
        found[key].update(t for t in graph.subjects(RDF.type, kind) if _mine(t))
    found["object-properties"] -= found["datatype-properties"]
    return {key: sorted(found[key], key=str) for key, _ in SECTIONS}


def short(term) -> str:
    """A prefixed name where a known prefix fits.

    >>> short(URIRef("http://www.w3.org/ns/prov#Entity"))
    'prov:Entity'
    """
    text = str(term)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(namespace) and "/" not in text[len(namespace):]:
            return f"{prefix}:{text[len(namespace):]}"
    return text


def _link(term) -> str:
    if isinstance(term, Literal):
        return escape(str(term))
    if _mine(term):
        local = str(term)[len(VOCAB):]
        return f'<a href="#{escape(local)}"><code>{escape(short(term))}</code></a>'
    return f'<a href="{escape(str(term))}"><code>{escape(short(term))}</code></a>'


def _texts(graph: Graph, term, prop) -> str:
    values = sorted(graph.objects(term, prop), key=lambda o: (getattr(o, "language", "") or "", str(o)))
    return "<br>".join(
        f'{escape(str(v))} <span class="id">({escape(v.language)})</span>' if getattr(v, "language", None)
        else escape(str(v)) for v in values)


def _row(name: str, html: str) -> str:
    return f"<dt>{name}</dt><dd>{html}</dd>\n" if html else ""


def _term_section(graph: Graph, term: URIRef) -> str:
    local = str(term)[len(VOCAB):]
    en = next((str(v) for v in graph.objects(term, RDFS.label) if getattr(v, "language", None) == "en"),
              local)
    rows = [_row("IRI", f"<code>{escape(str(term))}</code>"),
            _row("label", _texts(graph, term, RDFS.label)),
            _row("definition", _texts(graph, term, SKOS.definition)),
            _row("comment", _texts(graph, term, RDFS.comment))]
    for prop, name in ((RDF.type, "type"), (RDFS.domain, "domain"), (RDFS.range, "range")):
        values = sorted((v for v in graph.objects(term, prop) if isinstance(v, URIRef)), key=str)
        rows.append(_row(name, ", ".join(_link(v) for v in values)))
    for prop in ALIGN:
        values = sorted((v for v in graph.objects(term, prop) if isinstance(v, URIRef)), key=str)
        rows.append(_row(short(prop), ", ".join(_link(v) for v in values)))
    for prop, name in ((RDFS.subClassOf, "subclasses"), (RDFS.domain, "property of"),
                       (RDFS.range, "value of")):
        values = sorted((s for s in graph.subjects(prop, term) if _mine(s)), key=str)
        rows.append(_row(name, ", ".join(_link(v) for v in values)))
    return (f'<section class="term" id="{escape(local)}">\n<h3>{escape(en)} '
            f'<span class="id">{escape(short(term))}</span></h3>\n<dl>\n{"".join(rows)}</dl>\n</section>\n')


def html_page(graph: Graph) -> str:
    """The documentation page for the ontology in ``graph``."""
    title = next((str(v) for v in graph.objects(ONTOLOGY, URIRef(DCTERMS + "title"))
                  if getattr(v, "language", None) == "en"), "ASCN ontology")
    found = terms(graph)
    head = [f"<h1>{escape(title)}</h1>",
            "<dl>",
            _row("IRI", f"<code>{escape(str(ONTOLOGY))}</code>"),
            _row("namespace", f"<code>{escape(VOCAB)}</code> (prefix <code>ascn:</code>)"),
            _row("title", _texts(graph, ONTOLOGY, URIRef(DCTERMS + "title"))),
            _row("description", _texts(graph, ONTOLOGY, URIRef(DCTERMS + "description"))),
            _row("version", _texts(graph, ONTOLOGY, OWL.versionInfo)),
            _row("licence", ", ".join(_link(v) for v in sorted(
                graph.objects(ONTOLOGY, URIRef(DCTERMS + "license")), key=str))),
            "</dl>",
            "<nav><ul>" + "".join(f'<li><a href="#section-{key}">{name} ({len(found[key])})</a></li>'
                                  for key, name in SECTIONS) + "</ul></nav>"]
    body = []
    for key, name in SECTIONS:
        body.append(f'<h2 id="section-{key}">{name}</h2>\n')
        body.extend(_term_section(graph, t) for t in found[key])
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(head) + "\n" + "".join(body) + "</body>\n</html>\n")


def write_docs(ontology_file: Path, out_path: Path) -> int:
    """Write the page for ``ontology_file`` atomically; returns the number of terms."""
    from ascn_graph.export import write_atomic
    from ascn_graph.writers import ExportError

    graph = Graph().parse(ontology_file, format="turtle")
    try:
        write_atomic(Path(out_path), html_page(graph).encode("utf-8"))
    except OSError as exc:
        raise ExportError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    return sum(len(v) for v in terms(graph).values())
