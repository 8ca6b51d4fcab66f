"""Verbatim quotes checked against the source texts.

A quote must be an exact substring of its article as stored (UTF-8). The
texts are read from the sources folder (``--sources`` / ``ASCN_SOURCES``);
when it is missing the check says so instead of passing.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("Sumedang menjadi anggota terbaru.", encoding="utf-8")
>>> texts = SourceTexts(folder)
>>> texts.contains("a.txt", "anggota terbaru")
True
>>> texts.contains("a.txt", "anggota baru")
False
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from ascn_graph.loading import ASCN, PROV


class SourceTexts:
    """The source texts of one folder, read on demand."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._texts: dict[str, str | None] = {}

    def text(self, file_name: str) -> str | None:
        if file_name not in self._texts:
            path = self.folder / file_name
            self._texts[file_name] = path.read_text(encoding="utf-8") if path.is_file() else None
        return self._texts[file_name]

    def contains(self, file_name: str, quote: str) -> bool:
        text = self.text(file_name)
        return text is not None and quote in text


@dataclass(frozen=True)
class QuoteProblem:
    claim: object
    source: object
    message: str


def check_quotes(graph: Graph, texts: SourceTexts) -> list[QuoteProblem]:
    """Every quote whose source text is missing or does not contain it."""
    problems = []
    for claim, citation in graph.subject_objects(ASCN.citation):
        quote = graph.value(citation, ASCN.quote)
        source = graph.value(citation, PROV.entity)
        if quote is None or source is None:
            continue
        file_name = graph.value(source, ASCN.fileName)
        if file_name is None:
            problems.append(QuoteProblem(claim, source, "quotes a source that has no ascn:fileName"))
        elif texts.text(str(file_name)) is None:
            problems.append(QuoteProblem(
                claim, source, f"source text {file_name} is not in {texts.folder}"))
        elif not texts.contains(str(file_name), str(quote)):
            shown = str(quote) if len(quote) <= 90 else str(quote)[:87] + "..."
            problems.append(QuoteProblem(claim, source, f'quote not found in {file_name}: "{shown}"'))
    return problems
