"""Role continuity: who held each role when, on whose word, and where the
record shows a gap, an overlap or a rule broken (``ascn-graph check``).

Each check is a SPARQL SELECT in ``queries/continuity/*-violation.rq`` (the
style of the OBO Ontology Development Kit): every row is a finding with
``?resource`` (the thing at fault), ``?severity`` ("violation", "warning" or
"information"), ``?message`` and ``?evidence`` (a claim; ``?evidence2``,
``?evidence3``... and several rows add more), and optionally ``?role``. The
files are plain SPARQL 1.1, so they run on any endpoint as well as here.

>>> checks = load_checks(Project.default())
>>> "role-gap-violation" in [c.name for c in checks]
True
>>> sorted(SEVERITIES, key=SEVERITY_ORDER.get)
['violation', 'warning', 'information']
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, Namespace

from ascn_graph import api, cache
from ascn_graph.errors import DataSyntaxError, ParameterError
from ascn_graph.formats import REPORT_FORMATS
from ascn_graph.loading import ASCN, NS_ID, PROV, SCHEMA, LoadedGraph, bind_prefixes
from ascn_graph.project import Project
from ascn_graph.queries import _to_iri
from ascn_graph.queryfiles import read_query_file
from ascn_graph.reasoning import ReasonedGraph, reason
from ascn_graph.results import Table, curie, label, render

SH = Namespace("http://www.w3.org/ns/shacl#")
CHECK_NS = NS_ID["check/"]
SEVERITIES = ("violation", "warning", "information")
SEVERITY_ORDER = {name: rank for rank, name in enumerate(SEVERITIES)}
SHACL_SEVERITY = {"violation": SH.Violation, "warning": SH.Warning, "information": SH.Info}
CHECK_SUFFIX = "-violation"

# the roles the report shows, each with its timeline, in this order
REPORT_ROLES = (ASCN.ASCNChair, ASCN.Shepherd, ASCN.NationalRepresentative,
                ASCN.ChiefSmartCityOfficer)
ROLE_NAMES = {
    "ascn-chair": ASCN.ASCNChair,
    "asean-chair": ASCN.ASEANChair,
    "shepherd": ASCN.Shepherd,
    "nr": ASCN.NationalRepresentative,
    "national-representative": ASCN.NationalRepresentative,
    "csco": ASCN.ChiefSmartCityOfficer,
    "chief-smart-city-officer": ASCN.ChiefSmartCityOfficer,
}
TIMELINE_COLUMNS = ("holder", "for", "year", "start", "end", "firstAttested", "lastAttested",
                    "how", "beganAt", "inferred", "alternativeOf")


# ---------------------------------------------------------------------------
# checks and findings
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One ``*-violation.rq`` file of ``queries/continuity``."""

    name: str
    title: str
    description: str
    path: Path
    text: str

    @property
    def short_name(self) -> str:
        """The name without its ``-violation`` suffix.

        >>> Check("role-gap-violation", "", "", Path("x"), "").short_name
        'role-gap'
        """
        return self.name.removesuffix(CHECK_SUFFIX)

    @property
    def iri(self) -> URIRef:
        return URIRef(CHECK_NS + self.short_name)


def load_checks(project: Project) -> list[Check]:
    """The continuity checks of a project, in file-name order."""
    checks = []
    for path in sorted(project.continuity_dir.glob(f"*{CHECK_SUFFIX}.rq")):
        header, text = read_query_file(path)
        if header.name != path.stem:
            raise DataSyntaxError(str(path), 1, f"name {header.name!r} differs from file name")
        checks.append(Check(header.name, header.title, header.description, path, text))
    return checks


@dataclass
class Citation:
    """What one source says for a claim: a quote (articles) or a confidence (web pages)."""

    source: str
    source_label: str
    url: str | None = None
    quote: str | None = None
    confidence: str | None = None
    reason: str | None = None
    note: str | None = None
    section: str | None = None

    def __str__(self) -> str:
        """One line, as the text report prints it.

        >>> print(Citation("s", "seed 002", quote="Sherpa dipilih"))
        seed 002: "Sherpa dipilih"
        >>> print(Citation("s", "CLC", url="https://x", confidence="high", reason="official page"))
        CLC <https://x>: confidence high (official page)
        """
        text = self.source_label + (f" <{self.url}>" if self.url else "")
        if self.quote:
            text += f': "{self.quote}"'
        if self.confidence:
            text += f": confidence {self.confidence}" + (f" ({self.reason})" if self.reason else "")
        elif self.reason:
            text += f" ({self.reason})"
        return text


@dataclass
class Evidence:
    """A claim behind a finding, with its citations (or, if inferred, the rule and premises)."""

    claim: str
    label: str
    citations: list[Citation] = field(default_factory=list)
    inferred_by: str | None = None
    inferred_from: list[Evidence] = field(default_factory=list)


@dataclass
class Finding:
    """One thing a check found.

    >>> f = Finding("role-gap", "violation", "https://w3id.org/ascn-graph/ontology#Shepherd",
    ...             "nobody is on record as ASCN Shepherd in 2022")
    >>> f.is_violation, f.severity_rank
    (True, 0)
    """

    check: str
    severity: str
    resource: str
    message: str
    evidence: list[Evidence] = field(default_factory=list)
    role: str | None = None
    resource_label: str = ""

    @property
    def is_violation(self) -> bool:
        return self.severity == "violation"

    @property
    def severity_rank(self) -> int:
        return SEVERITY_ORDER.get(self.severity, len(SEVERITIES))

    def evidence_claims(self) -> list[str]:
        return [e.claim for e in self.evidence]

    def sources(self) -> list[str]:
        """The labels of every source cited by the evidence (inferred claims: their premises')."""
        found: list[str] = []
        for item in self.evidence:
            for ev in [item, *item.inferred_from]:
                for citation in ev.citations:
                    if citation.source_label not in found:
                        found.append(citation.source_label)
        return found


def _text(term) -> str | None:
    return None if term is None else str(term)


def _one(graph: Graph, node, prop):
    """The value of ``prop`` on ``node``; of several, the first in order of their text (so the
    answer does not depend on the order a store keeps them in)."""
    values = list(graph.objects(node, prop))
    return min(values, key=str) if values else None


def _all(graph: Graph, node, prop) -> str | None:
    """Every value of ``prop`` on ``node``, in order, joined with commas.

    >>> g = Graph()
    >>> _ = g.add((ASCN.x, ASCN.recordSection, Literal("9")))
    >>> _ = g.add((ASCN.x, ASCN.recordSection, Literal("5")))
    >>> _all(g, ASCN.x, ASCN.recordSection)
    '5, 9'
    """
    values = sorted(str(v) for v in graph.objects(node, prop))
    return ", ".join(values) if values else None


def citations_of(graph: Graph, claim) -> list[Citation]:
    """The citations of a claim, as Citation objects, in a stable order."""
    found = []
    for node in graph.objects(claim, ASCN.citation):
        source = _one(graph, node, PROV.entity)
        confidence = _one(graph, node, ASCN.confidence)
        found.append(Citation(
            source=str(source) if source is not None else "",
            source_label=label(graph, source) if source is not None else "(no source)",
            url=_text(_one(graph, source, SCHEMA.url)) if source is not None else None,
            quote=_all(graph, node, ASCN.quote),
            confidence=label(graph, confidence) if confidence is not None else None,
            reason=_all(graph, node, ASCN.confidenceReason),
            note=_all(graph, node, ASCN.citationNote),
            section=_all(graph, node, ASCN.recordSection),
        ))
    return sorted(found, key=lambda c: (c.source_label, c.quote or "", c.note or "", c.section or "",
                                        c.reason or "", c.confidence or "", c.source, c.url or ""))


def evidence_of(graph: Graph, claim, depth: int = 1) -> Evidence:
    """A claim with its citations; for an inferred claim, the rule and the claims it came from."""
    rule = graph.value(claim, ASCN.inferredBy)
    premises = []
    if rule is not None and depth > 0:
        premises = [evidence_of(graph, p, depth - 1)
                    for p in sorted(graph.objects(claim, ASCN.inferredFrom), key=str)]
    return Evidence(
        claim=str(claim),
        label=label(graph, claim),
        citations=citations_of(graph, claim),
        inferred_by=str(rule) if rule is not None else None,
        inferred_from=premises,
    )


def _group(check: Check, columns: list[str], rows) -> list[tuple[Finding, list[URIRef]]]:
    """Rows -> findings (one per resource, severity and message), each with its evidence
    claims: the ?evidence of every row first, then ?evidence2, ...; each claim once, in IRI
    order within a column (rows come in an order each SPARQL engine chooses)."""
    evidence_columns = sorted((c for c in columns if c.startswith("evidence")),
                              key=lambda c: (len(c), c))
    findings: dict[tuple, Finding] = {}
    claims: dict[tuple, dict[str, list]] = {}
    for row in rows:
        cells = dict(zip(columns, row, strict=False))
        resource, severity, message = cells.get("resource"), cells.get("severity"), cells.get("message")
        if resource is None or message is None:
            continue
        severity = str(severity) if severity is not None else "violation"
        if severity not in SEVERITY_ORDER:
            raise DataSyntaxError(str(check.path), None,
                                  f"severity {severity!r} is not one of {', '.join(SEVERITIES)}")
        key = (str(resource), severity, str(message))
        if key not in findings:
            findings[key] = Finding(check.short_name, severity, str(resource), str(message))
            claims[key] = {column: [] for column in evidence_columns}
        finding = findings[key]
        if finding.role is None and cells.get("role") is not None:
            finding.role = str(cells["role"])
        for column in evidence_columns:
            term = cells.get(column)
            if isinstance(term, URIRef) and term not in claims[key][column]:
                claims[key][column].append(term)
    return [
        (finding, list(dict.fromkeys(c for column in evidence_columns
                                     for c in sorted(claims[key][column], key=str))))
        for key, finding in findings.items()
    ]


def _complete(grouped: list[tuple[Finding, list[URIRef]]], graph: Graph) -> list[Finding]:
    """Fill in labels, and the evidence with its citations, from ``graph``."""
    for finding, claims in grouped:
        finding.resource_label = label(graph, URIRef(finding.resource))
        finding.evidence = [evidence_of(graph, claim) for claim in claims]
    return [finding for finding, _ in grouped]


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.severity_rank, f.check, f.resource_label, f.message))


def run_check(check: Check, graph: Graph) -> list[Finding]:
    """Run one check on a local graph: its rows grouped into findings, with evidence."""
    try:
        result = graph.query(check.text)
    except Exception as exc:  # a query the engine cannot run names its file
        raise DataSyntaxError(str(check.path), getattr(exc, "lineno", None), str(exc)) from None
    return _complete(_group(check, [str(v) for v in result.vars], result), graph)


def run_checks(graph: Graph, project: Project | None = None) -> list[Finding]:
    """Every continuity check of the project, run on ``graph`` (asserted + inferred)."""
    project = project or Project.default()
    return _sorted([f for check in load_checks(project) for f in run_check(check, graph)])


def _remote_facts(endpoint: str, iris: list[URIRef]) -> Graph:
    """What the report needs about some resources, fetched from an endpoint: labels,
    citations (with their sources' labels and URLs), and how inferred ones were inferred."""
    from ascn_graph.remote import _select

    graph = bind_prefixes(Graph())
    wanted = sorted(set(iris), key=str)
    for start in range(0, len(wanted), 100):
        values = " ".join(i.n3() for i in wanted[start:start + 100])
        query = f"""
PREFIX ascn: <{ASCN}>
PREFIX prov: <{PROV}>
PREFIX rdfs: <{RDFS}>
PREFIX schema: <{SCHEMA}>
SELECT ?s ?p ?o WHERE {{
  VALUES ?claim {{ {values} }}
  {{ BIND (?claim AS ?s) ?s ?p ?o .
     FILTER (?p IN (rdfs:label, ascn:citation, ascn:inferredBy, ascn:inferredFrom)) }}
  UNION {{ ?claim ascn:citation ?s . ?s ?p ?o . }}
  UNION {{ ?claim ascn:citation/(prov:entity|ascn:confidence) ?s . ?s ?p ?o .
           FILTER (?p IN (rdfs:label, schema:url)) }}
  UNION {{ ?claim ascn:inferredBy ?s . ?s ?p ?o . FILTER (?p = rdfs:label) }}
}}"""
        for s, p, o in _select(endpoint, query).rows:
            graph.add((s, p, o))
    return graph


def run_checks_remote(endpoint: str, project: Project | None = None) -> tuple[list[Finding], Graph]:
    """Every continuity check run on a SPARQL 1.1 endpoint; the findings, and a graph of
    the labels and citations fetched for them."""
    from ascn_graph.remote import _select

    project = project or Project.default()
    grouped = []
    for item in load_checks(project):
        table = _select(endpoint, item.text)
        grouped += _group(item, table.columns, table.rows)
    iris = [URIRef(f.resource) for f, _ in grouped] + [c for _, claims in grouped for c in claims]
    iris += list(REPORT_ROLES)
    graph = _remote_facts(endpoint, iris)
    premises = [p for c in iris for p in graph.objects(c, ASCN.inferredFrom)]
    if premises:
        graph += _remote_facts(endpoint, premises)
    return _sorted(_complete(grouped, graph)), graph


# ---------------------------------------------------------------------------
# the record as it stood on a date
# ---------------------------------------------------------------------------


def earliest_day(term) -> dt.date | None:
    """The first day a typed date (year, month or day) can mean.

    >>> from rdflib.namespace import XSD
    >>> earliest_day(Literal("2024-07", datatype=XSD.gYearMonth))
    datetime.date(2024, 7, 1)
    >>> earliest_day(Literal("2023", datatype=XSD.gYear)), earliest_day(Literal("soon"))
    (datetime.date(2023, 1, 1), None)
    """
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(term)) if term is not None else None
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _source_dates(graph: Graph) -> dict:
    """Source -> the earliest day it can be from (dcterms:date, else ascn:notBefore)."""
    dates = {}
    for source in set(graph.subjects(DCTERMS.date, None)) | set(graph.subjects(ASCN.notBefore, None)):
        day = earliest_day(graph.value(source, DCTERMS.date)) or earliest_day(
            graph.value(source, ASCN.notBefore))
        if day is not None:
            dates[source] = day
    return dates


def _remove_node(graph: Graph, node) -> None:
    for _, _, o in list(graph.triples((node, None, None))):
        if isinstance(o, BNode):
            _remove_node(graph, o)
    graph.remove((node, None, None))


def record_as_of(graph: Graph, day: dt.date) -> Graph:
    """The asserted record as it stood on ``day``: citations of sources dated after it are
    dropped, then the claims left with no citation, the claims (tenures, events, ...) that
    start after it or began at a meeting after it, the tenures for a later year, and
    disagreements with a side left empty; attestations dated after it are dropped too.
    Undated sources are kept. An alternative account whose main account is dropped becomes
    the account on record.

    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix ascn: <https://w3id.org/ascn-graph/ontology#> .
    ... @prefix prov: <http://www.w3.org/ns/prov#> .
    ... @prefix dcterms: <http://purl.org/dc/terms/> .
    ... @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    ... <http://x/early> dcterms:date "2020-05-01"^^xsd:date .
    ... <http://x/late> dcterms:date "2024"^^xsd:gYear .
    ... <http://x/a> ascn:citation [ prov:entity <http://x/early> ] .
    ... <http://x/b> ascn:citation [ prov:entity <http://x/late> ] .
    ... <http://x/c> ascn:citation [ prov:entity <http://x/early> ] ;
    ...     ascn:startDate "2023"^^xsd:gYear .
    ... ''')
    >>> kept = record_as_of(g, dt.date(2021, 1, 1))
    >>> sorted(str(s) for s in kept.subjects(ASCN.citation, None))
    ['http://x/a']
    """
    kept = bind_prefixes(Graph())
    for triple in graph:
        kept.add(triple)
    dates = _source_dates(graph)
    dropped = set()
    for claim in set(graph.subjects(ASCN.citation, None)):
        nodes = list(graph.objects(claim, ASCN.citation))
        late = [n for n in nodes if dates.get(graph.value(n, PROV.entity), day) > day]
        for node in late:
            kept.remove((claim, ASCN.citation, node))
            _remove_node(kept, node)
        if nodes and len(late) == len(nodes):
            dropped.add(claim)
    for claim, start in graph.subject_objects(ASCN.startDate):
        begins = earliest_day(start)
        if begins is not None and begins > day:
            dropped.add(claim)
    for claim, meeting in graph.subject_objects(ASCN.beganAt):
        begins = earliest_day(graph.value(meeting, ASCN.startDate))
        if begins is not None and begins > day:
            dropped.add(claim)
    for claim, seen in list(kept.subject_objects(ASCN.attestedOn)):
        if (earliest_day(seen) or day) > day:
            kept.remove((claim, ASCN.attestedOn, seen))
    for claim, year in graph.subject_objects(ASCN.forYear):
        if (claim, RDF.type, ASCN.Tenure) in graph and str(year)[:4].isdigit() \
                and int(str(year)[:4]) > day.year:
            dropped.add(claim)
    for disagreement in set(graph.subjects(RDF.type, ASCN.Disagreement)):
        for side in (ASCN.sideA, ASCN.sideB):
            sides = set(graph.objects(disagreement, side))
            if sides and sides <= dropped:
                dropped.add(disagreement)
    for claim in dropped:
        _remove_node(kept, claim)
    for alternative, main in list(kept.subject_objects(ASCN.alternativeAccountOf)):
        if main in dropped:
            kept.remove((alternative, ASCN.alternativeAccountOf, main))
    return kept


def _as_of_cache(project: Project, day: dt.date) -> Path:
    digest = cache.input_digest(project)
    return project.cache_dir / f"as-of-{day.isoformat()}-{digest[:24]}.pickle"


def graph_as_of(graph: ReasonedGraph, day: dt.date, project: Project | None = None,
                use_cache: bool = False) -> ReasonedGraph:
    """Reason again over the record as it stood on ``day`` (the rules may then derive
    what a later source made unnecessary, such as an ex officio ASCN Chair)."""
    project = project or Project.default()
    path = _as_of_cache(project, day) if use_cache and not os.environ.get(cache.CACHE_ENV) else None
    if path is not None and path.exists():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except Exception:  # a damaged cache is rebuilt, never trusted
            pass
    from ascn_graph.rules import load_rules

    result = reason(LoadedGraph(record_as_of(graph.asserted, day)), load_rules(project))
    result.view()
    if path is not None:
        try:
            project.cache_dir.mkdir(exist_ok=True)
            for old in project.cache_dir.glob(f"as-of-{day.isoformat()}-*.pickle"):
                old.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(dir=project.cache_dir, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass
    return result


def parse_day(value: str | dt.date, name: str = "as-of") -> dt.date:
    """A date given as YYYY-MM-DD.

    >>> parse_day("2024-07-30")
    datetime.date(2024, 7, 30)
    >>> parse_day("July")
    Traceback (most recent call last):
    ...
    ascn_graph.errors.ParameterError: parameter 'as-of': expected a date like 2024-07-30, got 'July'
    """
    if isinstance(value, dt.date):
        return value
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ParameterError(name, f"expected a date like 2024-07-30, got {value!r}")


# ---------------------------------------------------------------------------
# timelines, snapshots, handovers (saved queries)
# ---------------------------------------------------------------------------


def role_iri(role: str | URIRef) -> URIRef:
    """A role given by short name (shepherd, nr, csco, ascn-chair, asean-chair), prefixed
    name or IRI.

    >>> role_iri("shepherd") == ASCN.Shepherd, role_iri("ascn:NationalRepresentative") == ASCN.NationalRepresentative
    (True, True)
    >>> role_iri("the chair")
    Traceback (most recent call last):
    ...
    ascn_graph.errors.ParameterError: parameter 'role': expected ascn-chair, asean-chair, shepherd, nr, national-representative, csco, chief-smart-city-officer, a prefixed name like ascn:Shepherd or an IRI, got 'the chair'
    """
    if isinstance(role, URIRef):
        return role
    known = ROLE_NAMES.get(role.strip().lower())
    if known is not None:
        return known
    try:
        return _to_iri("role", role.strip())
    except ParameterError:
        raise ParameterError("role", f"expected {', '.join(ROLE_NAMES)}, a prefixed name like "
                                     f"ascn:Shepherd or an IRI, got {role!r}") from None


def timeline(role: str | URIRef, graph: ReasonedGraph | None = None,
             project: Project | None = None, with_sources: bool = True,
             lang: str = "en") -> Table:
    """Every tenure of a role in time order (the saved query role-timeline), with sources."""
    params = {"role": str(role_iri(role))}
    return api.run_saved_query("role-timeline", params, graph, project, with_sources, lang)


def snapshot(day: str | dt.date, graph: ReasonedGraph | None = None,
             project: Project | None = None, with_sources: bool = True,
             lang: str = "en") -> Table:
    """Every role's holder on a day (the saved query holders-on-date), with sources."""
    params = {"date": parse_day(day, "date").isoformat()}
    return api.run_saved_query("holders-on-date", params, graph, project, with_sources, lang)


def handovers(graph: ReasonedGraph | None = None, project: Project | None = None,
              with_sources: bool = True, lang: str = "en") -> Table:
    """The Shepherd across each ASCN Chair handover (the saved query shepherd-across-handovers)."""
    return api.run_saved_query("shepherd-across-handovers", {}, graph, project, with_sources, lang)


# ---------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------


@dataclass
class Report:
    """The outcome of ``check``: findings, and the timelines and handovers they are read against."""

    findings: list[Finding]
    view: Graph
    checks: list[Check] = field(default_factory=list)
    as_of: dt.date | None = None
    timelines: dict[str, Table] = field(default_factory=dict)
    handovers: Table | None = None

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def summary(self) -> dict[str, int]:
        return {severity: self.count(severity) for severity in SEVERITIES}

    @property
    def ok(self) -> bool:
        """True when no violation was found (warnings and information do not fail a check)."""
        return self.count("violation") == 0

    def exit_status(self) -> int:
        return 0 if self.ok else 1

    def of_check(self, name: str) -> list[Finding]:
        """The findings of one check (its name with or without ``-violation``)."""
        short = name.removesuffix(CHECK_SUFFIX)
        return [f for f in self.findings if f.check == short]

    def render(self, fmt: str = "text") -> str:
        if fmt == "text":
            return render_text(self)
        if fmt == "json":
            return render_json(self)
        if fmt == "shacl":
            return render_shacl(self)
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(REPORT_FORMATS)}")




def check(project: Project | None = None, graph: ReasonedGraph | None = None,
          as_of: str | dt.date | None = None, with_timelines: bool = True,
          endpoint: str | None = None) -> Report:
    """Run every continuity check on the reasoned graph (built and cached if not given),
    optionally on the record as it stood on ``as_of``, or on a SPARQL 1.1 ``endpoint``
    that holds the reasoned graph.

    >>> from rdflib import Graph
    >>> p = Project.default()
    >>> g = Graph().parse(p.ontology_dir / "ascn.ttl").parse(format="turtle", data='''
    ... @prefix ascn: <https://w3id.org/ascn-graph/ontology#> .
    ... @prefix org: <http://www.w3.org/ns/org#> .
    ... @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    ... <https://w3id.org/ascn-graph/id/tenure/a> a ascn:Tenure ; org:role ascn:Shepherd ;
    ...     org:member <https://w3id.org/ascn-graph/id/country/a> ;
    ...     ascn:startDate "2019-01-01"^^xsd:date ; ascn:endDate "2020-06-30"^^xsd:date .
    ... <https://w3id.org/ascn-graph/id/tenure/b> a ascn:Tenure ; org:role ascn:Shepherd ;
    ...     org:member <https://w3id.org/ascn-graph/id/country/b> ;
    ...     ascn:startDate "2021"^^xsd:gYear .
    ... ''')
    >>> from ascn_graph.rules import load_rules
    >>> report = check(p, reason(LoadedGraph(g), load_rules(p)), with_timelines=False)
    >>> [(f.check, f.severity) for f in report.findings]
    [('role-gap', 'violation'), ('shepherd-handover-not-at-meeting', 'information'), ('shepherd-handover-not-at-meeting', 'information')]
    >>> report.exit_status()
    1
    """
    project = project or Project.default()
    day = parse_day(as_of) if as_of is not None else None
    if endpoint:
        if day is not None:
            raise ParameterError("as-of", "works on the local graph only, not with an endpoint")
        return _check_remote(endpoint, project, with_timelines)
    if graph is None:
        graph = api.build(project)
        if day is not None:
            graph = graph_as_of(graph, day, project, use_cache=True)
    elif day is not None:
        graph = graph_as_of(graph, day, project)
    view = graph.queryable()  # Oxigraph on the fast engine, rdflib on the plain one
    report = Report(run_checks(view, project), view, load_checks(project), day)
    if with_timelines:
        for role in REPORT_ROLES:
            report.timelines[str(role)] = timeline(role, graph, project)
        report.handovers = handovers(graph, project)
    return report


def _check_remote(endpoint: str, project: Project, with_timelines: bool) -> Report:
    from ascn_graph.queries import QueryCatalogue
    from ascn_graph.remote import run_remote

    findings, facts = run_checks_remote(endpoint, project)
    report = Report(findings, facts, load_checks(project))
    if with_timelines:
        catalogue = QueryCatalogue(project)
        for role in REPORT_ROLES:
            table, labels = run_remote(endpoint, catalogue.get("role-timeline"), {"role": str(role)})
            report.timelines[str(role)] = table
            facts += labels
        report.handovers, labels = run_remote(endpoint, catalogue.get("shepherd-across-handovers"), {})
        facts += labels
    return report


def _trimmed(table: Table, numbers: dict[str, int]) -> Table:
    """A timeline with the columns a reader needs, and none that is empty throughout; its
    sources given as numbers into the report's list of sources (``numbers``, grown here).

    >>> from rdflib import Literal
    >>> t = Table(["holder", "tenure", "year"], [[Literal("A"), None, Literal("2019")]])
    >>> t.sources = [["CLC", "seed 002"]]
    >>> numbers = {"seed 002": 1}
    >>> short = _trimmed(t, numbers)
    >>> short.columns, short.rows[0][-1], numbers
    (['holder', 'year', 'sources'], '[1] [2]', {'seed 002': 1, 'CLC': 2})
    """
    keep = [i for i, c in enumerate(table.columns)
            if c in TIMELINE_COLUMNS and any(row[i] is not None for row in table.rows)]
    columns = [table.columns[i] for i in keep]
    rows = [[row[i] for i in keep] for row in table.rows]
    if table.sources:
        columns.append("sources")
        for row, sources in zip(rows, table.sources, strict=True):
            refs = sorted(numbers.setdefault(name, len(numbers) + 1) for name in sources)
            row.append(" ".join(f"[{n}]" for n in refs))
    return Table(columns, rows)


def _finding_lines(finding: Finding, graph: Graph, previous: Finding | None = None) -> list[str]:
    """A finding, its resource and its evidence with citations; evidence the finding shares
    with the one printed just before it is not printed again."""
    lines = [f"  {finding.severity.upper():<11} {finding.check}: {finding.message}",
             f"              about {finding.resource_label} <{finding.resource}>"]
    if previous is not None and finding.evidence \
            and previous.evidence_claims() == finding.evidence_claims():
        return [*lines, "    - evidence: as above"]
    for item in finding.evidence:
        lines.append(f"    - {item.label} [{curie(graph, URIRef(item.claim))}]")
        for citation in item.citations:
            lines.append(f"        {citation}")
        if item.inferred_by:
            lines.append(f"        inferred by {curie(graph, URIRef(item.inferred_by))}, from:")
            for premise in item.inferred_from:
                lines.append(f"          {premise.label} [{curie(graph, URIRef(premise.claim))}]")
                lines += [f"            {c}" for c in premise.citations]
        if not item.citations and not item.inferred_by:
            lines.append("        (no citation of its own)")
    return lines


def _findings_lines(findings: list[Finding], graph: Graph) -> list[str]:
    lines: list[str] = []
    previous = None
    for finding in findings:
        lines += _finding_lines(finding, graph, previous)
        previous = finding
    return lines


def _section(title: str) -> list[str]:
    return ["", title, "=" * len(title)]


def render_text(report: Report) -> str:
    """The readable report: a summary, then per role its timeline and findings (each with
    its evidence and sources), the Shepherd across the Chair handovers, and the rest."""
    graph = report.view
    when = f"the record as it stood on {report.as_of.isoformat()}" if report.as_of \
        else "the record as it stands"
    counts = report.summary()
    lines = [f"ASCN role continuity: {when}",
             f"{counts['violation']} violation(s), {counts['warning']} warning(s), "
             f"{counts['information']} information finding(s), from {len(report.checks)} checks"]
    shown: set[int] = set()
    numbers: dict[str, int] = {}
    for role in REPORT_ROLES:
        lines += _section(label(graph, role))
        table = report.timelines.get(str(role))
        if table is not None:
            lines.append("Timeline (sources are listed at the end):")
            lines.append(render(_trimmed(table, numbers), graph, "table"))
        roles = {str(role)} | ({str(ASCN.ASEANChair)} if role == ASCN.ASCNChair else set())
        found = [f for f in report.findings if f.role in roles]
        shown.update(id(f) for f in found)
        lines.append("Findings:" if found else "Findings: none")
        lines += _findings_lines(found, graph)
    if report.handovers is not None:
        lines += _section("The Shepherd across the ASCN Chair handovers")
        columns = ["handover", "chairBefore", "chairAfter", "shepherdBefore", "shepherdAfter",
                   "carried"]
        index = [report.handovers.columns.index(c) for c in columns]
        table = Table(columns, [[row[i] for i in index] for row in report.handovers.rows])
        table.sources = report.handovers.sources
        lines.append(render(table, graph, "table"))
    rest = [f for f in report.findings if id(f) not in shown]
    lines += _section("Other findings")
    lines.append("" if rest else "none")
    lines += _findings_lines(rest, graph)
    if numbers:
        lines += _section("Sources of the timelines")
        lines += [f"[{n}] {name}" for name, n in sorted(numbers.items(), key=lambda i: i[1])]
    verdict = "no violation" if report.ok else f"{counts['violation']} violation(s)"
    lines += ["", f"check: {verdict}"]
    return "\n".join(lines).replace("\n\n\n", "\n\n")


def _cell(graph: Graph, term) -> dict | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return {"iri": str(term), "label": label(graph, term)}
    return {"value": str(term)}


def _table_json(table: Table, graph: Graph) -> list[dict]:
    rows = []
    for index, row in enumerate(table.rows):
        item = {c: _cell(graph, t) for c, t in zip(table.columns, row, strict=False) if t is not None}
        if table.sources:
            item["sources"] = table.sources[index]
        rows.append(item)
    return rows


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


def _evidence_json(item: Evidence) -> dict:
    data = {"claim": item.claim, "label": item.label,
            "citations": [{_camel(k): v for k, v in vars(c).items() if v is not None}
                          for c in item.citations]}
    if item.inferred_by:
        data["inferredBy"] = item.inferred_by
        data["inferredFrom"] = [_evidence_json(p) for p in item.inferred_from]
    return data


def report_data(report: Report) -> dict:
    """The report as plain data (what ``--format json`` prints)."""
    graph = report.view
    return {
        "asOf": report.as_of.isoformat() if report.as_of else None,
        "summary": report.summary(),
        "ok": report.ok,
        "checks": [{"name": c.short_name, "file": f"queries/continuity/{c.path.name}",
                    "title": c.title} for c in report.checks],
        "findings": [
            {"check": f.check, "severity": f.severity, "resource": f.resource,
             "resourceLabel": f.resource_label, "role": f.role, "message": f.message,
             "evidence": [_evidence_json(e) for e in f.evidence], "sources": f.sources()}
            for f in report.findings
        ],
        "timelines": {curie(graph, URIRef(role)): _table_json(table, graph)
                      for role, table in report.timelines.items()},
        "handovers": _table_json(report.handovers, graph) if report.handovers else [],
    }


def render_json(report: Report) -> str:
    return json.dumps(report_data(report), ensure_ascii=False, indent=2)


def shacl_report(report: Report) -> Graph:
    """The findings as a W3C SHACL validation report (sh:ValidationReport). Following SHACL,
    sh:conforms is true only when there is no result at all, of any severity; the exit
    status of ``ascn-graph check`` fails on violations only."""
    graph = bind_prefixes(Graph())
    graph.bind("sh", SH)
    graph.bind("check", CHECK_NS)
    node = BNode("report")
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(not report.findings)))
    if report.as_of:
        graph.add((node, RDFS.comment,
                   Literal(f"the record as it stood on {report.as_of.isoformat()}", lang="en")))
    for item in report.checks:
        graph.add((item.iri, RDF.type, SH.NodeShape))
        graph.add((item.iri, RDFS.label, Literal(item.title, lang="en")))
        if item.description:
            graph.add((item.iri, RDFS.comment, Literal(item.description, lang="en")))
        graph.add((item.iri, DCTERMS.source, Literal(f"queries/continuity/{item.path.name}")))
    for number, finding in enumerate(report.findings):
        result = BNode(f"result{number}")
        graph.add((node, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.focusNode, URIRef(finding.resource)))
        graph.add((result, SH.resultSeverity, SHACL_SEVERITY[finding.severity]))
        graph.add((result, SH.resultMessage, Literal(finding.message, lang="en")))
        graph.add((result, SH.sourceShape, URIRef(CHECK_NS + finding.check)))
        graph.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
        for item in finding.evidence:
            graph.add((result, RDFS.seeAlso, URIRef(item.claim)))
    return graph


def render_shacl(report: Report) -> str:
    return shacl_report(report).serialize(format="turtle")


__all__ = [
    "Check", "Citation", "Evidence", "Finding", "Report", "check", "graph_as_of", "handovers",
    "load_checks", "record_as_of", "render_json", "render_shacl", "render_text", "role_iri",
    "run_check", "run_checks", "shacl_report", "snapshot", "timeline",
]
