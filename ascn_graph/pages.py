"""HTML pages of the local service: a resource's page (labels in English
and Indonesian, its facts, the sources that support it with their quotes,
links to related resources and the claims that name it), the saved-query
page, the timeline page and the index. The stylesheet and the one small
script are served by the service itself (``/static/...``): nothing is
fetched from the internet. Every string from the graph or the request is
escaped.

>>> from rdflib import Graph, Literal
>>> from rdflib.namespace import RDFS
>>> g = Graph()
>>> x = NS_ID["country/lao-pdr"]
>>> _ = g.add((x, RDFS.label, Literal("Lao PDR", lang="en")))
>>> _ = g.add((x, RDFS.label, Literal("Laos <ID>", lang="id")))
>>> page = entity_page(g, x, asserted=set(g))
>>> "<h1>Lao PDR</h1>" in page and "Laos &lt;ID&gt;" in page
True
>>> local_path(x), local_path(ASCN.Shepherd)
('/id/country/lao-pdr', '/ontology/Shepherd')
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlencode

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from ascn_graph.loading import ASCN, KINDS, NS_ID, PROV
from ascn_graph.queries import SavedQuery
from ascn_graph.queryfiles import ParamSpec
from ascn_graph.results import Table, curie, label
from ascn_graph.skolem import is_skolem

LANG_NAMES = {"en": "English", "id": "Indonesian"}
DATES = {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.dateTime}
ONTOLOGY = URIRef(str(ASCN).rstrip("#"))
HIDDEN = {RDFS.label, SKOS.prefLabel, ASCN.citation, PROV.qualifiedDerivation}
CITATION_FIELDS = [(ASCN.confidence, "confidence"), (ASCN.confidenceReason, "why"),
                   (ASCN.recordSection, "record section"), (ASCN.citationNote, "note")]
MAX_LINKS = 300
PARAM_INPUTS = {  # type -> (pattern, placeholder); "*" always allowed
    "date": (r"\d{4}-\d{2}-\d{2}", "YYYY-MM-DD"),
    "year": (r"\d{4}", "YYYY"),
    "integer": (r"[+\-]?\d+", "a whole number"),
}

STYLE = """
:root{--ink:#1f2933;--muted:#52606d;--line:#d9e2ec;--soft:#f5f7fa;--accent:#1d5fa8;--warn:#b44d12}
*{box-sizing:border-box}
body{font:16px/1.5 "DejaVu Sans",system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);
margin:0;background:#fff}
header.site{background:#12324f;color:#fff;padding:.6rem 1.5rem;display:flex;gap:1.5rem;
align-items:baseline;flex-wrap:wrap}
header.site a{color:#fff;text-decoration:none;opacity:.85}header.site a:hover{opacity:1;
text-decoration:underline}header.site .brand{font-weight:bold;opacity:1;margin-right:.5rem}
main{max-width:72rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.7rem;margin:.8rem 0 .2rem;line-height:1.25}
h2{font-size:1.2rem;margin:1.8rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
a{color:var(--accent)}code{font-size:.88em;background:var(--soft);padding:.05rem .3rem;border-radius:3px}
.subtitle{font-size:1.1rem;color:var(--muted);margin:0 0 .4rem}
.iri{color:var(--muted);font-size:.85rem;word-break:break-all}
.types{margin:.3rem 0}.badge{display:inline-block;background:#e6eef7;border-radius:999px;
padding:0 .6rem;margin:0 .3rem .3rem 0;font-size:.85rem}.badge a{text-decoration:none}
table{border-collapse:collapse;margin:.4rem 0;width:100%}
th,td{border-bottom:1px solid var(--line);padding:.35rem .6rem;vertical-align:top;text-align:left}
thead th,table.results th{background:var(--soft);position:sticky;top:0}
table.facts th,table.labels th{width:14rem;font-weight:600;color:var(--muted)}
table.facts th a{text-decoration:none}table.facts td div+div{margin-top:.2rem}
.inferred{color:var(--warn);font-size:.75rem;border:1px solid var(--warn);border-radius:3px;
padding:0 .25rem;margin-left:.3rem;white-space:nowrap}
.lang{color:var(--muted);font-size:.75rem}.none{color:var(--muted);font-style:italic}
ul.citations{list-style:none;padding:0;margin:0}
ul.citations li{border-left:3px solid var(--accent);background:var(--soft);padding:.4rem .7rem;
margin:0 0 .6rem}
blockquote.quote{margin:.3rem 0;font-style:italic;font-family:"DejaVu Serif",Georgia,serif}
blockquote.quote::before{content:"\\201C"}blockquote.quote::after{content:"\\201D"}
.meta{font-size:.85rem;color:var(--muted)}
form.query{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem}
form.query label{display:block;margin:.5rem 0}form.query .name{display:inline-block;min-width:9rem;
font-weight:600}
input[type=text],select{font:inherit;padding:.25rem .4rem;border:1px solid #9aa5b1;border-radius:4px;
min-width:16rem}input:invalid{border-color:#c81e1e}
button{font:inherit;background:var(--accent);color:#fff;border:0;border-radius:4px;
padding:.35rem 1.1rem;cursor:pointer;margin-top:.4rem}
.hint{color:var(--muted);font-size:.85rem;margin-left:.4rem}
.error{color:#9b1c1c;background:#fdecec;border-left:3px solid #c81e1e;padding:.5rem .8rem}
.scroll{overflow-x:auto}.picture{max-width:100%;height:auto;border:1px solid var(--line)}
ul.queries li{margin:.2rem 0}summary{cursor:pointer;color:var(--accent)}
details[open] summary{margin-bottom:.4rem}
main.wide{max-width:100rem}.nowrap{white-space:nowrap}
table.results{font-size:.92rem}td.sources{min-width:16rem;font-size:.82rem}
td.sources ul{margin:0;padding-left:1rem}td.sources li{margin:0 0 .15rem}
textarea{font:14px/1.4 "DejaVu Sans Mono",monospace;width:100%;padding:.4rem;border:1px solid #9aa5b1;
border-radius:4px}
"""

SCRIPT = """
// Choosing another saved query shows its parameters (the form works without this too).
document.addEventListener("DOMContentLoaded", function () {
  var pick = document.getElementById("query-name");
  if (!pick) return;
  pick.addEventListener("change", function () {
    window.location = "/queries?name=" + encodeURIComponent(pick.value);
  });
});
"""


def local_path(term: object) -> str | None:
    """The path under which this service describes a resource, if it is one of ours."""
    text = str(term) if isinstance(term, URIRef) else ""
    if text.startswith(str(NS_ID)) and len(text) > len(str(NS_ID)):
        return "/id/" + quote(text[len(str(NS_ID)):], safe="/-._~")
    if text.startswith(str(ASCN)) and len(text) > len(str(ASCN)):
        return "/ontology/" + quote(text[len(str(ASCN)):], safe="-._~")
    if text == str(ONTOLOGY):
        return "/ontology"
    return None


def resource_for(path: str) -> URIRef | None:
    """The IRI a local path stands for (the reverse of ``local_path``).

    >>> resource_for("/ontology/Shepherd") == ASCN.Shepherd, resource_for("/elsewhere")
    (True, None)
    """
    if path.startswith("/id/") and len(path) > 4:
        return URIRef(str(NS_ID) + path[4:])
    if path.startswith("/ontology/") and len(path) > 10:
        return ASCN[path[10:]]
    if path == "/ontology":
        return ONTOLOGY
    return None


def layout(title: str, body: str, lang: str = "en", wide: bool = False) -> str:
    """A whole page (``wide`` for big tables)."""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} · ascn-graph</title>\n"
        '<link rel="stylesheet" href="/static/style.css">\n'
        '<script src="/static/queries.js" defer></script>\n</head>\n<body>\n'
        '<header class="site"><a class="brand" href="/">ASCN knowledge graph</a>'
        '<a href="/queries">Saved queries</a><a href="/timeline">Roles over the years</a>'
        '<a href="/sparql">SPARQL endpoint</a><a href="/ontology">Ontology</a></header>\n'
        f'<main{" class=wide" if wide else ""}>\n{body}\n</main>\n</body>\n</html>\n'
    )


def error_page(status: int, message: str) -> str:
    """A page that says what went wrong."""
    return layout(f"Error {status}", f'<h1>Error {status}</h1>\n<p class="error">{escape(message)}</p>')


def term_html(graph: Graph, term, lang: str = "en", tags: bool = True) -> str:
    """A term as HTML: a link for our resources, the label, a language tag for text."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = escape(label(graph, term, lang))
        if term.language and tags:
            return (f'<span lang="{escape(term.language)}">{text}</span> '
                    f'<span class="lang">{escape(term.language)}</span>')
        if term.datatype in DATES:
            return f'<span class="nowrap">{text}</span>'
        return text
    name = escape(label(graph, term, lang))
    path = local_path(term)
    if path:
        return f'<a href="{escape(path)}" title="{escape(curie(graph, term))}">{name}</a>'
    return f'<span title="{escape(str(term))}">{name}</span>'


def _labels(graph: Graph, resource: URIRef) -> str:
    rows = []
    for code, name in LANG_NAMES.items():
        found = sorted(str(o) for o in set(graph.objects(resource, RDFS.label))
                       | set(graph.objects(resource, SKOS.prefLabel))
                       if isinstance(o, Literal) and o.language == code)
        cells = "; ".join(f'<span lang="{code}">{escape(t)}</span>' for t in found)
        cells = cells or f'<span class="none">no {name} label in the sources</span>'
        rows.append(f'<tr><th>{name}</th><td class="label-{code}">{cells}</td></tr>')
    plain = sorted(str(o) for o in graph.objects(resource, RDFS.label)
                   if isinstance(o, Literal) and not o.language)
    if plain:
        rows.append(f"<tr><th>Label</th><td>{escape('; '.join(plain))}</td></tr>")
    return '<table class="labels">' + "".join(rows) + "</table>"


def _citations(graph: Graph, claim: URIRef) -> str:
    items = []
    for citation in sorted(graph.objects(claim, ASCN.citation), key=str):
        parts = [f'<div class="source">{term_html(graph, source)}</div>'
                 for source in sorted(graph.objects(citation, PROV.entity), key=str)]
        for value in sorted(graph.objects(citation, ASCN.quote), key=str):
            lang = escape(getattr(value, "language", None) or "und")
            parts.append(f'<blockquote class="quote" lang="{lang}">{escape(str(value))}</blockquote>')
        meta = [f"{name}: {term_html(graph, value, tags=False)}" for prop, name in CITATION_FIELDS
                for value in sorted(graph.objects(citation, prop), key=str)]
        if meta:
            parts.append('<div class="meta">' + " · ".join(meta) + "</div>")
        items.append("<li>" + "".join(parts) + "</li>")
    return '<ul class="citations">' + "".join(items) + "</ul>" if items else ""


def _folded_citations(graph: Graph, claim: URIRef) -> str:
    """A claim's citations folded under a one-line summary (for long lists of claims)."""
    citations = list(graph.objects(claim, ASCN.citation))
    sources = {source for c in citations for source in graph.objects(c, PROV.entity)}
    quotes = sum(1 for c in citations for _ in graph.objects(c, ASCN.quote))
    summary = (f"{len(citations)} citation{'s' if len(citations) != 1 else ''} from "
               f"{len(sources)} source{'s' if len(sources) != 1 else ''}"
               + (f", {quotes} quote{'s' if quotes != 1 else ''}" if quotes else ""))
    return f"<details><summary>{summary}</summary>{_citations(graph, claim)}</details>"


def _types(graph: Graph, resource: URIRef, asserted: set) -> str:
    types = sorted(graph.objects(resource, RDF.type), key=lambda t: ((resource, RDF.type, t) not in asserted,
                                                                     label(graph, t)))
    badges = [f'<span class="badge">{term_html(graph, t)}</span>' for t in types if t != OWL.Thing]
    return '<div class="types">' + "".join(badges) + "</div>" if badges else ""


def _facts(graph: Graph, resource: URIRef, asserted: set) -> str:
    values: dict = {}
    for p, o in sorted(graph.predicate_objects(resource), key=lambda po: (label(graph, po[0]), str(po[1]))):
        if p not in HIDDEN and p != RDF.type:
            mark = "" if (resource, p, o) in asserted else '<span class="inferred">inferred</span>'
            values.setdefault(p, []).append(f"<div>{term_html(graph, o)}{mark}</div>")
    rows = [f"<tr><th>{term_html(graph, p)}</th><td>{''.join(cells)}</td></tr>" for p, cells in values.items()]
    if not rows:
        return '<p class="none">No other facts.</p>'
    return '<table class="facts">' + "".join(rows) + "</table>"


def _incoming(graph: Graph, resource: URIRef) -> str:
    claims, others = [], []
    pairs = sorted(graph.subject_predicates(resource), key=lambda sp: (label(graph, sp[0]), str(sp[1])))
    for s, p in pairs:
        if is_skolem(s) or p in HIDDEN:
            continue
        if (s, ASCN.citation, None) in graph:
            claims.append(f"<tr><td>{term_html(graph, s)}</td><td>{term_html(graph, p)}</td>"
                          f"<td>{_folded_citations(graph, s)}</td></tr>")
        else:
            others.append(f"<tr><td>{term_html(graph, s)}</td><td>{term_html(graph, p)}</td></tr>")
    html = ""
    for title, rows, head, css in (
            ("Claims that name it", claims, "<th>claim</th><th>as</th><th>sources</th>", "claims"),
            ("Also linked from", others, "<th>resource</th><th>as</th>", "links")):
        if rows:
            more = f" (the first {MAX_LINKS} shown)" if len(rows) > MAX_LINKS else ""
            html += (f"<h2>{title} ({len(rows)}){more}</h2>\n<table class=\"{css}\"><thead><tr>{head}"
                     f"</tr></thead><tbody>{''.join(rows[:MAX_LINKS])}</tbody></table>\n")
    return html


def entity_page(graph: Graph, resource: URIRef, asserted: set) -> str:
    """The page of one resource."""
    title = label(graph, resource, "en")
    other = label(graph, resource, "id")
    path = local_path(resource) or ""
    alternates = " · ".join(
        f'<a href="{escape(path)}?format={f}">{n}</a>' for f, n in
        (("turtle", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples")))
    body = [f"<h1>{escape(title)}</h1>"]
    if other != title:
        body.append(f'<p class="subtitle" lang="id">{escape(other)}</p>')
    body += [_types(graph, resource, asserted),
             f'<p class="iri"><code>{escape(str(resource))}</code> · {alternates}</p>',
             "<h2>Names</h2>", _labels(graph, resource)]
    body += ["<h2>Facts</h2>", _facts(graph, resource, asserted)]
    citations = _citations(graph, resource)
    if citations:
        body += ["<h2>Sources</h2>", citations]
    body.append(_incoming(graph, resource))
    return layout(title, "\n".join(body))


def row_sources(graph: Graph, row: list) -> list[URIRef]:
    """The sources cited by the claims in a result row, in order of first mention."""
    found: list[URIRef] = []
    for term in row:
        if isinstance(term, URIRef):
            for citation in graph.objects(term, ASCN.citation):
                for source in sorted(graph.objects(citation, PROV.entity), key=str):
                    if source not in found:
                        found.append(source)
    return found


def table_html(table: Table, graph: Graph, lang: str = "en", sources: bool = True) -> str:
    """A result table with labels, links and (optionally) each row's sources."""
    columns = table.columns + (["sources"] if sources else [])
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    rows = []
    for row in table.rows:
        cells = [f"<td>{term_html(graph, t, lang)}</td>" for t in row]
        if sources:
            cells.append('<td class="sources"><ul>' + "".join(
                f"<li>{term_html(graph, s, lang)}</li>" for s in row_sources(graph, row)) + "</ul></td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="scroll"><table class="results" id="results"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def suggestions(graph: Graph, spec: ParamSpec) -> list[tuple[str, str]]:
    """Values to offer for an IRI parameter: (prefixed name, label), by label."""
    if spec.type != "iri":
        return []
    kind = spec.name if spec.name in KINDS else (spec.default or "").partition(":")[0]
    if spec.name == "role" or kind == "ascn":
        found = set(graph.subjects(RDF.type, ASCN.Role))
    elif kind in KINDS:
        prefix = str(NS_ID[kind + "/"])
        found = {s for s in graph.subjects(RDFS.label, None) if str(s).startswith(prefix)}
    else:
        return []
    return sorted(((curie(graph, s), label(graph, s)) for s in found), key=lambda p: p[1].lower())


def _param_input(spec: ParamSpec, value: str, offers: list[tuple[str, str]]) -> str:
    pattern, placeholder = PARAM_INPUTS.get(spec.type, (None, spec.default or ""))
    attrs = f' placeholder="{escape(placeholder)}"'
    if pattern:
        attrs += f' pattern="{escape(pattern)}|\\*"'
    datalist = ""
    if offers:
        attrs += f' list="offers-{escape(spec.name)}"'
        datalist = (f'<datalist id="offers-{escape(spec.name)}">'
                    + "".join(f'<option value="{escape(v)}">{escape(n)}</option>' for v, n in offers)
                    + "</datalist>")
    required = "default " + spec.default if spec.default else "required"
    return (f'<label><span class="name">{escape(spec.name)}</span>'
            f'<input type="text" name="p_{escape(spec.name)}" id="p_{escape(spec.name)}" '
            f'value="{escape(value)}"{attrs}>{datalist}'
            f'<span class="hint">{escape(spec.type)}, {escape(required)}: '
            f"{escape(spec.description)}</span></label>")


def queries_page(queries: list[SavedQuery], chosen: SavedQuery | None, values: dict[str, str],
                 lang: str = "en", sources: bool = True, result: str = "",
                 offers: dict[str, list[tuple[str, str]]] | None = None) -> str:
    """The saved-query form, and the result below it once run."""
    options = "".join(
        f'<option value="{escape(q.name)}"{" selected" if chosen and q.name == chosen.name else ""}>'
        f"{escape(q.header.title)} ({escape(q.name)})</option>" for q in queries)
    fields = ""
    if chosen:
        inputs = [_param_input(spec, values.get(spec.name, spec.default or ""),
                               (offers or {}).get(spec.name, [])) for spec in chosen.params]
        fields = (f'<p>{escape(chosen.header.description)}</p>'
                  f'<fieldset><legend>Parameters (<code>*</code> matches anything)</legend>'
                  f"{''.join(inputs) or '<p class=none>This query takes no parameters.</p>'}</fieldset>")
    langs = "".join(f'<option value="{c}"{" selected" if c == lang else ""}>{n}</option>'
                    for c, n in LANG_NAMES.items())
    listing = "".join(
        f'<li><a href="/queries?{escape(urlencode({"name": q.name}))}">{escape(q.name)}</a>: '
        f"{escape(q.header.title)}"
        + (" <span class=hint>(" + ", ".join(f"{escape(p.name)}: {escape(p.type)}" for p in q.params)
           + ")</span>" if q.params else "") + "</li>" for q in queries)
    body = (
        "<h1>Saved queries</h1>\n"
        '<form method="get" action="/queries" id="query-form" class="query">\n'
        '<label><span class="name">Query</span><select name="name" id="query-name">'
        f'<option value="">choose a query</option>{options}</select></label>\n'
        f"{fields}\n"
        f'<label><span class="name">Labels in</span><select name="lang" id="lang">{langs}</select></label>\n'
        f'<label><span class="name">Sources</span><select name="sources" id="sources">'
        f'<option value="1"{" selected" if sources else ""}>show each row\'s sources</option>'
        f'<option value="0"{"" if sources else " selected"}>leave them out</option></select></label>\n'
        '<input type="hidden" name="run" value="1">\n'
        '<button type="submit" id="run">Run</button>\n</form>\n'
        f'<div id="result">{result}</div>\n'
        f'<h2>All saved queries</h2><ul class="queries">{listing}</ul>'
    )
    return layout("Saved queries", body, wide=bool(result))


def result_html(title: str, table: Table, graph: Graph, lang: str, sources: bool,
                limited: bool) -> str:
    """A saved query's answer: a heading, the row count and the table."""
    count = len(table.rows)
    note = " (stopped at the row limit of this service)" if limited else ""
    return (f"<h2>{escape(title)}</h2><p id=\"row-count\">{count} row{'s' if count != 1 else ''}"
            f"{note}</p>{table_html(table, graph, lang, sources)}")


def timeline_page(lang: str = "en") -> str:
    """The page around the roles-over-the-years picture."""
    other = "id" if lang == "en" else "en"
    body = (
        "<h1>ASCN roles over the years</h1>\n"
        "<p>The ASEAN and ASCN Chairs, the Shepherd, the National Representatives and the Chief "
        "Smart City Officers, from the saved role-timeline query. Solid: certainly held; pale: "
        "may have held (the sources give only a year or a month); hatched: inferred by a rule; "
        "thin and dashed: an alternative account from a source that disagrees. Triangles mark the "
        "findings of the continuity checks (hover for the message).</p>\n"
        f'<p><a href="/timeline?lang={other}">Labels in {LANG_NAMES[other]}</a> · '
        f'<a href="/timeline.svg?lang={lang}">the picture alone (SVG)</a></p>\n'
        f'<div class="scroll"><object id="timeline" class="picture" type="image/svg+xml" '
        f'data="/timeline.svg?lang={lang}">The roles over the years (SVG)</object></div>'
    )
    return layout("Roles over the years", body)


def index_page(queries: list[SavedQuery], examples: list[tuple[str, str]]) -> str:
    """The front page: what is here."""
    links = "".join(f'<li><a href="{escape(p)}">{escape(n)}</a></li>' for p, n in examples)
    listed = "".join(f'<li><a href="/queries?{escape(urlencode({"name": q.name}))}">'
                     f"{escape(q.header.title)}</a></li>" for q in queries)
    body = (
        "<h1>ASEAN Smart Cities Network knowledge graph</h1>\n"
        "<p>Who held the ASCN's roles and when, its pilot cities, meetings, partners and projects: "
        "every fact says who says so, with the source's own words where it has them. Browse a "
        'resource, run a <a href="/queries">saved query</a>, see the '
        '<a href="/timeline">roles over the years</a>, or ask the read-only '
        '<a href="/sparql">SPARQL endpoint</a>. The dataset description: '
        '<a href="/.well-known/void">VoID</a>; the JSON-LD context: '
        '<a href="/ontology/context.jsonld">context.jsonld</a>.</p>\n'
        f'<h2>Start from</h2><ul>{links}</ul>\n<h2>Saved queries</h2><ul class="queries">{listed}</ul>'
    )
    return layout("ascn-graph", body)


def sparql_form_page(endpoint: str, limit: float, max_rows: int) -> str:
    """A form to type a query for the endpoint, for a browser."""
    example = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
               "SELECT ?s ?label WHERE { ?s rdfs:label ?label } LIMIT 10")
    body = (
        "<h1>SPARQL endpoint</h1>\n"
        f"<p>SPARQL 1.1 Protocol at <code>{escape(endpoint)}</code>: GET <code>?query=</code>, "
        "POST <code>application/x-www-form-urlencoded</code> or <code>application/sparql-query</code>. "
        "Results as JSON, XML, CSV or TSV and graphs as Turtle, JSON-LD, N-Triples or RDF/XML, "
        "by the Accept header (or <code>format=json|xml|csv|tsv|turtle|jsonld|nt|rdfxml</code>). "
        "The service description: <code>Accept: text/turtle</code> on this address.</p>\n"
        f"<p>Read-only: updates, LOAD, SERVICE, FROM and FROM NAMED are refused (403) before "
        f"anything runs. A query may run {limit:g} seconds (then 503) and return {max_rows} rows "
        "(then the answer stops, with the header <code>X-SPARQL-MaxRows</code>). A malformed "
        "query is a 400 with the parser's message, a format it cannot give a 406.</p>\n"
        '<form method="post" action="/sparql" class="query">'
        f'<textarea name="query" rows="8" cols="90">{escape(example)}</textarea><br>'
        '<input type="hidden" name="format" value="json">'
        '<button type="submit">Run (JSON results)</button></form>'
    )
    return layout("SPARQL endpoint", body)
