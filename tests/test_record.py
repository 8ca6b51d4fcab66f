"""The public record (../shared/reference/public-record.md) is in the graph
row by row: every table row of sections 1-7 is cited by its page (or, where
it has no page, by the record itself) under its section; every item of
section 8 is an unknown; every disagreement of section 9 is in the
conflicts query with claims on both sides."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ascn_graph import api
from ascn_graph.loading import ASCN, NS_ID, PROV, SCHEMA

RECORD = Path(__file__).resolve().parents[2] / "shared" / "reference" / "public-record.md"
SECTION = re.compile(r"^#{2,3} (\d+)([a-z]?)\.")


def record_rows() -> list[tuple[str, str | None, str]]:
    """(section, url or None, row text) for every fact row of sections 1-7."""
    if not RECORD.exists():
        pytest.fail(f"the public record is not at {RECORD}")
    rows, section, url_column = [], None, None
    for line in RECORD.read_text(encoding="utf-8").splitlines():
        heading = SECTION.match(line)
        if heading:
            number, letter = heading.groups()
            section = number + letter if int(number) <= 7 else None
            url_column = None
            continue
        if section is None or not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if "Source URL" in cells:
            url_column = cells.index("Source URL")
            continue
        if set(line) <= set("|- ") or url_column is None:
            continue
        cell = cells[url_column] if url_column < len(cells) else ""
        found = re.search(r"https?://\S+", cell)
        rows.append((section, found.group(0) if found else None, line))
    return rows


ROWS = record_rows()


def test_the_record_has_the_rows_we_expect() -> None:
    counts = Counter(section for section, _, _ in ROWS)
    assert sum(counts.values()) >= 140
    assert set(counts) == {"1a", "1b", "2a", "2b", "2c", "3a", "3b", "3c", "4", "5", "6",
                           "7a", "7b", "7c", "7d"}


@pytest.fixture(scope="module")
def citations(view) -> list[dict]:
    found = []
    for claim, citation in view.subject_objects(ASCN.citation):
        source = view.value(citation, PROV.entity)
        found.append({
            "claim": claim,
            "source": source,
            "url": str(view.value(source, SCHEMA.url) or ""),
            "sections": {str(s) for s in view.objects(citation, ASCN.recordSection)},
            "confidence": view.value(citation, ASCN.confidence),
            "reason": view.value(citation, ASCN.confidenceReason),
            "note": str(view.value(citation, ASCN.citationNote) or ""),
        })
    return found


@pytest.mark.parametrize("section", sorted({s for s, _, _ in ROWS}))
def test_every_row_of_the_section_is_cited(section, citations) -> None:
    rows = [(url, text) for s, url, text in ROWS if s == section]
    cited_urls = {c["url"] for c in citations if section in c["sections"]}
    missing = [text[:120] for url, text in rows if url and url not in cited_urls]
    assert not missing, f"section {section}: rows whose page cites nothing:\n" + "\n".join(missing)
    without_page = [text for url, text in rows if not url]
    from_record = {
        c["claim"] for c in citations
        if c["source"] == NS_ID["source/public-record"] and section in c["sections"]
    }
    assert len(from_record) >= len(without_page) > -1, (
        f"section {section}: {len(without_page)} rows without a page, "
        f"{len(from_record)} claims citing the record itself"
    )


def test_every_web_page_citation_has_url_and_confidence(view, citations) -> None:
    pages = [c for c in citations if (c["source"], None, None) in view
             and view.value(c["source"], SCHEMA.url) is not None]
    assert len(pages) >= 150
    for c in pages:
        assert c["url"].startswith("http"), c
        assert c["confidence"] in (ASCN.HighConfidence, ASCN.MediumConfidence,
                                   ASCN.LowConfidence), c
        assert isinstance(c["reason"], Literal) and str(c["reason"]), c


def test_every_item_of_section_8_is_unknown(view, citations) -> None:
    text = RECORD.read_text(encoding="utf-8").split("## 8. Not found")[1].split("## 9.")[0]
    items = [int(n) for n in re.findall(r"^(\d+)\. ", text, flags=re.M)]
    assert items == list(range(1, len(items) + 1)) and len(items) >= 13
    for n in items:
        assert any(
            re.search(rf"section 8, item {n}\b", c["note"])
            and (c["claim"], None, ASCN.Unknown) in view
            for c in citations
        ), f"section 8 item {n} has no unknown"


def disagreement_ids() -> list[str]:
    text = RECORD.read_text(encoding="utf-8").split("## 9. Disagreements")[1]
    return re.findall(r"^\| (D\d+) \|", text, flags=re.M)


@pytest.fixture(scope="module")
def conflicts(project, reasoned):
    return api.run_saved_query("conflicts", {}, reasoned, project)


@pytest.mark.parametrize("ident", disagreement_ids())
def test_each_disagreement_is_in_the_conflicts_query(ident, conflicts, view) -> None:
    rows = [r for r in conflicts.rows if r[0] is not None and str(r[0]) == ident]
    assert rows, f"{ident} is not reported by the conflicts query"
    col = conflicts.columns
    side_a = {r[col.index("sideA")] for r in rows} - {None}
    assert side_a, f"{ident} has no side A"
    for claim in side_a:
        assert isinstance(claim, URIRef) and (claim, None, None) in view
    side_b = {r[col.index("sideB")] for r in rows} - {None}
    if ident != "D13":  # D13 lists spelling variants: one side only
        assert side_b, f"{ident} has no side B"
    for side in ("A", "B"):
        for row in rows:
            claim = row[col.index("side" + side)]
            if claim is not None and (claim, RDF.type, ASCN.Claim) in view:
                assert row[col.index("source" + side)] is not None, f"{ident}: {claim} has no source"
