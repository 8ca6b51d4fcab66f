"""`validate` on the real data, and each kind of bad input producing its own
clear error while changing no file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ascn_graph.errors import DataSyntaxError
from ascn_graph.project import Project
from ascn_graph.validation import validate
from tests.conftest import tree_digest

PREFIXES = (Path(__file__).resolve().parent.parent / "docs" / "prefixes.ttl.txt").read_text()


def test_the_real_data_is_valid(project: Project) -> None:
    report = validate(project)
    assert report.ok, str(report)
    assert any("quotes checked against" in note for note in report.notes)


def _add(project: Project, name: str, turtle: str) -> Path:
    path = project.data_dir / name
    path.write_text(PREFIXES + "\n" + turtle, encoding="utf-8")
    return path


def _problems(project: Project) -> list[str]:
    before = tree_digest(project.root)
    report = validate(project)
    assert tree_digest(project.root) == before, "validate must not change any file"
    return [str(p) for p in report.problems]


@pytest.mark.parametrize("engine", ["fast", "plain"])  # parsed by Oxigraph, by rdflib
def test_syntax_error_names_file_and_line(project_copy: Project, engine: str) -> None:
    path = _add(project_copy, "broken.ttl", 'city:x a ascn:City ;\n    rdfs:label "unterminated@en .\n')
    before = tree_digest(project_copy.root)
    with pytest.raises(DataSyntaxError) as caught:
        validate(project_copy, engine=engine)
    assert str(caught.value).startswith("data/broken.ttl, line ")
    line = caught.value.line
    assert line == PREFIXES.count("\n") + 3
    assert tree_digest(project_copy.root) == before
    assert path.exists()


@pytest.mark.parametrize("turtle, says", [
    ('city:x a ascn:City ; rdfs:label "x"@en--ltr .', "base direction"),
    ('city:x a ascn:City ; ascn:note <<( city:x a ascn:City )>> .', "RDF-star"),
])
def test_rdf_1_2_terms_rdflib_cannot_hold_are_refused_by_name(project_copy: Project, turtle: str,
                                                              says: str) -> None:
    """Oxigraph reads RDF 1.2; the graph is kept in rdflib, which cannot hold a triple term
    or a base direction: the fast engine's parse refuses them, naming the file."""
    _add(project_copy, "rdf12.ttl", turtle + "\n")
    with pytest.raises(DataSyntaxError) as caught:
        validate(project_copy, engine="fast")
    assert str(caught.value).startswith("data/rdf12.ttl: ") and says in str(caught.value)


def test_a_tenure_with_two_start_dates_is_a_violation(project_copy: Project) -> None:
    """The continuity checks take a tenure's start and end as single: two accounts of a
    date are two tenures (ascn:alternativeAccountOf)."""
    _add(project_copy, "two-dates.ttl", """
tenure:test-two-starts a ascn:Tenure ;
    rdfs:label "A tenure with two start dates"@en ;
    org:member country:thailand ;
    org:role ascn:Shepherd ;
    ascn:startDate "2019"^^xsd:gYear, "2020-07-01"^^xsd:date ;
    ascn:citation [ a ascn:Citation ; prov:entity source:asean-smart-cities-network ;
                    ascn:confidence ascn:HighConfidence ; ascn:confidenceReason "a test" ] .
""")
    problems = _problems(project_copy)
    found = [p for p in problems if "tenure:test-two-starts" in p and "two startDate values" in p]
    assert len(found) == 1 and "data/two-dates.ttl" in found[0], problems


def test_claim_without_citation(project_copy: Project) -> None:
    _add(project_copy, "uncited.ttl", """
tenure:test-uncited a ascn:Tenure ;
    rdfs:label "An uncited tenure"@en ;
    org:member country:thailand ;
    org:role ascn:Shepherd .
""")
    problems = _problems(project_copy)
    assert any(
        "data/uncited.ttl" in p and "tenure:test-uncited" in p and "cites no source" in p
        for p in problems
    ), problems


def test_quote_not_in_its_source(project_copy: Project) -> None:
    _add(project_copy, "misquoted.ttl", """
tenure:test-misquoted a ascn:Tenure ;
    rdfs:label "A misquoted tenure"@en ;
    org:member country:thailand ;
    org:role ascn:Shepherd ;
    ascn:citation [ a ascn:Citation ; prov:entity source:seed-004 ;
        ascn:quote "Thailand terpilih sebagai Shepherd"@id ] .
""")
    problems = _problems(project_copy)
    assert any(
        "data/misquoted.ttl" in p and "tenure:test-misquoted" in p and "quote not found" in p
        for p in problems
    ), problems


def test_end_before_start(project_copy: Project) -> None:
    _add(project_copy, "backwards.ttl", """
event:test-backwards a ascn:Meeting ;
    rdfs:label "A meeting that ends before it starts"@en ;
    ascn:startDate "2024-07-30"^^xsd:date ;
    ascn:endDate "2024-07"^^xsd:gYearMonth ;
    ascn:endDate "2023"^^xsd:gYear ;
    ascn:citation [ a ascn:Citation ; prov:entity source:seed-004 ;
        ascn:quote "Luang Prabang"@id ] .
""")
    problems = _problems(project_copy)
    hits = [p for p in problems if "event:test-backwards" in p and "before it starts" in p]
    assert len(hits) == 1, problems  # 2024-07 vs 2024-07-30 is no contradiction
    assert "2023" in hits[0]


def test_malformed_date(project_copy: Project) -> None:
    _add(project_copy, "baddate.ttl", """
event:test-baddate a ascn:Meeting ;
    rdfs:label "A meeting on 31 February"@en ;
    ascn:startDate "2024-02-31"^^xsd:date ;
    ascn:citation [ a ascn:Citation ; prov:entity source:seed-004 ;
        ascn:quote "Luang Prabang"@id ] .
""")
    problems = _problems(project_copy)
    assert any("event:test-baddate" in p and "startDate" in p for p in problems), problems


def test_typo_in_an_iri(project_copy: Project) -> None:
    _add(project_copy, "typo.ttl", """
tenure:test-typo a ascn:Tenure ;
    rdfs:label "A tenure of a misspelt country"@en ;
    org:member country:indonsia ;
    org:role ascn:Shepherd ;
    ascn:citation [ a ascn:Citation ; prov:entity source:seed-004 ;
        ascn:quote "Luang Prabang"@id ] .
""")
    problems = _problems(project_copy)
    assert any("country:indonsia" in p and "described nowhere" in p for p in problems), problems


def test_undefined_ontology_term(project_copy: Project) -> None:
    _add(project_copy, "term.ttl", """
country:thailand ascn:chairedIn "2019"^^xsd:gYear .
""")
    problems = _problems(project_copy)
    assert any("ascn:chairedIn" in p and "not defined" in p for p in problems), problems


def test_missing_sources_folder_is_said_plainly(project_copy: Project, tmp_path: Path) -> None:
    missing = Project(project_copy.root, tmp_path / "no-such-folder")
    report = validate(missing)
    assert not report.ok
    assert any("source texts not found" in str(p) for p in report.problems)
