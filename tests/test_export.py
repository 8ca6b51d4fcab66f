"""Exports: every format parses back to the graph it was written from, the same
input gives the same bytes, a failed export leaves the old file alone, TriG and
N-Quads put each claim in the graph of the source that cites it, JSON-LD reads
as plain JSON, void.ttl tells the truth about the file, and the ontology page
lists every term."""

from __future__ import annotations

import json
from collections import Counter
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, VOID

from ascn_graph import api, cli
from ascn_graph.export import FORMATS, VOID_FILE, by_source, export, published
from ascn_graph.jsonld import CONTEXT_FILE
from ascn_graph.loading import ASCN, NS_ID, PROV
from ascn_graph.ontology_docs import html_page, terms
from ascn_graph.reasoning import ReasonedGraph
from ascn_graph.skolem import is_skolem
from ascn_graph.void import DATASET, LICENCE
from ascn_graph.writers import ExportError

RDFLIB_FORMAT = {"turtle": "turtle", "nt": "nt", "nquads": "nquads", "trig": "trig",
                 "json-ld": "json-ld", "xml": "xml"}
SEED_004 = NS_ID["source/seed-004"]


def _read_back(path: Path, fmt: str) -> Graph:
    """The triples of an export as rdflib reads them (quads: the union of all graphs)."""
    if fmt in ("trig", "nquads"):
        dataset = Dataset()
        dataset.parse(path, format=RDFLIB_FORMAT[fmt])
        union = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return Graph().parse(path, format=RDFLIB_FORMAT[fmt])


@pytest.fixture(scope="module")
def exported(tmp_path_factory, reasoned) -> dict[tuple[str, bool], Path]:
    """Every format, asserted only and with inferences, each in its own folder."""
    files = {}
    for inferred in (False, True):
        for fmt, ext in FORMATS.items():
            folder = tmp_path_factory.mktemp(f"{fmt}-{'inferred' if inferred else 'asserted'}")
            report = export(reasoned, fmt, folder / f"ascn{ext}", inferred=inferred)
            files[fmt, inferred] = report.path
    return files


@pytest.mark.parametrize("inferred", [False, True], ids=["asserted", "inferred"])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_round_trips(exported, reasoned, fmt, inferred) -> None:
    source = published(reasoned, inferred)
    back = _read_back(exported[fmt, inferred], fmt)
    assert len(back) == len(source)
    assert set(back) == set(source)  # no blank nodes left: plain set equality
    assert isomorphic(back, source)


def test_asserted_is_the_default_and_inferred_adds(exported, reasoned) -> None:
    asserted = _read_back(exported["nt", False], "nt")
    inferred = _read_back(exported["nt", True], "nt")
    assert len(asserted) < len(inferred)
    rule_made = NS_ID["tenure/ascn-chair-2018-inferred"]
    assert (rule_made, None, None) not in asserted
    assert (rule_made, ASCN.inferredBy, None) in inferred


def test_blank_nodes_are_skolemised_with_the_same_names_everywhere(exported) -> None:
    """Citations (blank nodes in the Turtle sources) get Skolem IRIs from their
    content, the same in the asserted and the inferred export."""
    asserted = _read_back(exported["nt", False], "nt")
    inferred = _read_back(exported["nt", True], "nt")
    cited = {c for c in asserted.objects(None, ASCN.citation)}
    assert cited and all(is_skolem(c) for c in cited)
    assert cited <= set(inferred.objects(None, ASCN.citation))


def test_nt_lines_are_sorted_and_unique(exported) -> None:
    lines = exported["nt", True].read_text(encoding="utf-8").splitlines()
    assert lines == sorted(set(lines))


def test_same_input_gives_the_same_bytes(tmp_path, reasoned, exported) -> None:
    for fmt, ext in FORMATS.items():
        again = export(reasoned, fmt, tmp_path / f"again{ext}", inferred=True, void=False)
        assert again.path.read_bytes() == exported[fmt, True].read_bytes(), fmt


def test_a_copy_of_the_project_gives_the_same_bytes(tmp_path, project_copy, exported) -> None:
    """Reasoned afresh from a copy (another folder, another cache, another hash seed
    for rdflib's stores): byte-identical files, the description included."""
    graph = api.build(project_copy)
    for fmt, ext in FORMATS.items():
        folder = tmp_path / fmt
        folder.mkdir()
        report = export(graph, fmt, folder / f"ascn{ext}", inferred=True, project=project_copy)
        original = exported[fmt, True]
        assert report.path.read_bytes() == original.read_bytes(), fmt
        assert (folder / VOID_FILE).read_bytes() == (original.parent / VOID_FILE).read_bytes(), fmt


def _broken(reasoned) -> ReasonedGraph:
    """The graph with one IRI that no RDF syntax can hold (a space in it)."""
    asserted = Graph()
    asserted += reasoned.asserted
    asserted.add((NS_ID["country/indonesia"], RDFS.seeAlso, URIRef("https://example.org/a b")))
    return ReasonedGraph(asserted, reasoned.inferred)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_failed_export_leaves_the_old_file_intact(tmp_path, reasoned, fmt) -> None:
    target = tmp_path / f"ascn{FORMATS[fmt]}"
    export(reasoned, fmt, target)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(ExportError, match="example.org/a b"):
        export(_broken(reasoned), fmt, target)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # the export and void.ttl untouched, no temporary file left


def test_a_failed_write_leaves_nothing_behind(tmp_path, reasoned) -> None:
    """The rename itself fails (the target is a folder): the folder is untouched
    and the temporary file is gone."""
    target = tmp_path / "ascn.ttl"
    target.mkdir()
    (target / "keep").write_text("mine")
    with pytest.raises(ExportError, match="cannot write"):
        export(reasoned, "turtle", target, void=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ascn.ttl"]
    assert (target / "keep").read_text() == "mine"


def test_missing_folder_and_unknown_format_are_clear_errors(tmp_path, reasoned) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        export(reasoned, "turtle", tmp_path / "no" / "ascn.ttl")
    with pytest.raises(ExportError, match="unknown format 'rdfa'"):
        export(reasoned, "rdfa", tmp_path / "ascn.html")


def test_cli_export(tmp_path, project) -> None:
    out = StringIO()
    target = tmp_path / "ascn.trig"
    assert cli.main(["export", "--format", "trig", "--out", str(target), "--root", str(project.root)],
                    out=out) == 0
    assert "named graphs" in out.getvalue()
    assert (tmp_path / VOID_FILE).exists()
    dataset = Dataset()
    dataset.parse(target, format="trig")
    assert len(list(dataset.graphs())) > 10


# --- provenance: one named graph per source --------------------------------


@pytest.fixture(scope="module")
def quads(exported) -> Dataset:
    dataset = Dataset()
    dataset.parse(exported["nquads", True], format="nquads")
    return dataset


def test_claims_land_in_the_graph_of_the_source_that_cites_them(quads, reasoned) -> None:
    data = published(reasoned, True)
    source_of = {c: data.value(c, PROV.entity) for c in data.objects(None, ASCN.citation)}
    checked = 0
    for claim, citation in data.subject_objects(ASCN.citation):
        source = source_of[citation]
        graph = quads.graph(source)
        assert (claim, ASCN.citation, citation) in graph
        for p, o in data.predicate_objects(claim):
            if source_of.get(o, source) != source:
                assert (claim, p, o) not in graph  # another source's citation: not here
                continue
            assert (claim, p, o) in graph, (claim, p, o, source)
        for p, o in data.predicate_objects(citation):
            assert (citation, p, o) in graph
        checked += 1
    assert checked > 500


def test_a_graph_holds_only_its_own_source_citations(quads, reasoned) -> None:
    data = published(reasoned, True)
    graph = quads.graph(SEED_004)
    citations = set(graph.objects(None, ASCN.citation))
    assert citations
    assert {data.value(c, PROV.entity) for c in citations} == {SEED_004}


def test_uncited_triples_are_in_the_default_graph(quads, reasoned) -> None:
    """The ontology, countries, the sources' own descriptions and inferred claims
    cite nothing: they are in the default graph (see ascn_graph.export)."""
    default = quads.graph(quads.default_context.identifier)
    assert (ASCN.Tenure, RDF.type, OWL.Class) in default
    assert (SEED_004, RDF.type, None) in default
    inferred_claim = NS_ID["tenure/ascn-chair-2018-inferred"]
    assert (inferred_claim, ASCN.inferredBy, None) in default
    named = {c.identifier for c in quads.contexts() if c.identifier != quads.default_context.identifier}
    sources = {s for s in published(reasoned, True).objects(None, PROV.entity) if isinstance(s, URIRef)}
    assert named == sources


def test_by_source_partitions_every_triple_once_per_source(reasoned) -> None:
    data = published(reasoned, False)
    graphs = by_source(data)
    union = set().union(*graphs.values())
    assert union == set(data)


# --- JSON-LD as plain JSON ---------------------------------------------------


def test_jsonld_reads_as_plain_json(exported) -> None:
    doc = json.loads(exported["json-ld", True].read_text(encoding="utf-8"))
    nodes = {n["id"]: n for n in doc["@graph"]}
    tenure = nodes["tenure/shepherd-indonesia-2023"]
    assert tenure["member"] == "country/indonesia"
    assert tenure["role"] == "ascn:Shepherd"
    assert tenure["startDate"] == "2023"
    assert tenure["label"]["en"].startswith("Indonesia as ASCN Shepherd")
    assert tenure["label"]["id"].startswith("Indonesia sebagai Shepherd ASCN")
    quotes = [c.get("quote") for c in _as_list(nodes["tenure/nr-indonesia-amran-2024"]["citation"])]
    assert any(quotes)
    assert nodes["country/indonesia"]["label"]["id"] == "Indonesia"


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def test_jsonld_uses_the_published_context(exported, project) -> None:
    doc = json.loads(exported["json-ld", True].read_text(encoding="utf-8"))
    published_context = json.loads((project.ontology_dir / CONTEXT_FILE).read_text())["@context"]
    assert doc["@context"] == published_context


def test_the_context_gives_every_property_a_short_key(reasoned, project) -> None:
    context = json.loads((project.ontology_dir / CONTEXT_FILE).read_text())["@context"]
    expanded = set()
    for value in context.values():
        if isinstance(value, dict):
            prefix, _, local = value["@id"].partition(":")
            expanded.add(context[prefix] + local)
    used = set(published(reasoned, True).predicates()) - {RDF.type}
    missing = {str(p) for p in used} - expanded
    assert not missing, ("properties without a key in ontology/context.jsonld; refresh it with "
                         f"python -m ascn_graph.jsonld > ontology/context.jsonld: {sorted(missing)}")


def test_jsonld_parses_back_to_the_same_graph(exported, reasoned) -> None:
    back = Graph().parse(exported["json-ld", True], format="json-ld")
    assert set(back) == set(published(reasoned, True))


# --- VoID and DCAT -------------------------------------------------------------


def test_void_counts_and_names_what_is_there(exported, reasoned) -> None:
    void = Graph().parse(exported["trig", True].parent / VOID_FILE, format="turtle")
    data = published(reasoned, True)
    assert void.value(DATASET, VOID.triples) == Literal(len(data))
    assert int(void.value(DATASET, VOID.properties)) == len(set(data.predicates()))
    assert int(void.value(DATASET, VOID.classes)) == len(set(data.objects(None, RDF.type)))
    assert int(void.value(DATASET, VOID.distinctSubjects)) == len(set(data.subjects()))
    back = _read_back(exported["trig", True], "trig")
    assert int(void.value(DATASET, VOID.triples)) == len(back)
    vocabularies = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    assert {"http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#",
            "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/",
            str(ASCN)} <= vocabularies
    assert void.value(DATASET, URIRef("http://purl.org/dc/terms/license")) == LICENCE
    sources = set(void.objects(DATASET, URIRef("http://purl.org/dc/terms/source")))
    assert sources == {s for s in data.objects(None, PROV.entity) if isinstance(s, URIRef)}
    for example in void.objects(DATASET, VOID.exampleResource):
        assert (example, None, None) in data


def test_void_subsets_match_the_named_graphs(exported, quads) -> None:
    void = Graph().parse(exported["nquads", True].parent / VOID_FILE, format="turtle")
    subsets = list(void.objects(DATASET, VOID.subset))
    assert subsets
    for subset in subsets:
        source = void.value(subset, URIRef("http://purl.org/dc/terms/source"))
        assert int(void.value(subset, VOID.triples)) == len(quads.graph(source))


def test_void_names_the_endpoint_and_the_download(tmp_path, reasoned) -> None:
    export(reasoned, "turtle", tmp_path / "ascn.ttl", sparql_endpoint="http://127.0.0.1:7878/query",
           download_url="https://example.org/ascn.ttl")
    void = Graph().parse(tmp_path / VOID_FILE, format="turtle")
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:7878/query")
    assert void.value(DATASET, VOID.dataDump) == URIRef("https://example.org/ascn.ttl")


# --- ontology documentation ----------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter = Counter()
        self.open: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] += 1
        if tag in ("script", "link", "img") or (tag == "style" and attrs.get("src")):
            self.external.append(tag)
        if tag not in ("meta", "br"):
            self.open.append(tag)

    def handle_endtag(self, tag) -> None:
        assert self.open and self.open[-1] == tag, (tag, self.open[-5:])
        self.open.pop()


def test_ontology_page_lists_every_class_and_property(tmp_path, project) -> None:
    out = StringIO()
    target = tmp_path / "ontology.html"
    assert cli.main(["docs", "--out", str(target), "--root", str(project.root)], out=out) == 0
    page = target.read_text(encoding="utf-8")
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.open == []  # every element closed, in order
    assert parser.external == []  # self-contained
    assert all(n == 1 for n in parser.ids.values())
    ontology = Graph().parse(project.ontology_dir / "ascn.ttl")
    listed = [t for kind in terms(ontology).values() for t in kind]
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, kind):
            if str(term).startswith(str(ASCN)):
                assert term in listed
                assert parser.ids[str(term)[len(str(ASCN)):]] == 1, term
    assert "masa jabatan" in page  # the Indonesian label of ascn:Tenure
    assert "org:Membership" in page and "prov:Entity" in page and "skos:Concept" in page
    assert html_page(ontology) == page  # deterministic
