"""Shared fixtures: the real project, its reasoned graph (built once), and
throw-away copies of the project for tests that feed it bad input."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from ascn_graph import api
from ascn_graph.project import Project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.default(ROOT)


@pytest.fixture(scope="session")
def sources(project: Project) -> Path:
    """The folder with the five articles; the tests need the real texts."""
    return project.sources_dir()


@pytest.fixture(scope="session")
def reasoned(project: Project):
    return api.build(project)


class AnsweredOnce(Graph):
    """The rdflib view of the reasoned graph, answering each query text (without bindings)
    once per session: several test modules compare the same rdflib answers with another
    engine's, and rdflib takes minutes over some continuity checks. The graph is read-only
    in the tests, so an answer cannot go stale."""

    def __init__(self, graph: Graph) -> None:
        super().__init__(store=graph.store, identifier=graph.identifier,
                         namespace_manager=graph.namespace_manager)
        self.answers: dict[str, object] = {}

    def query(self, query_object, *args, **kwargs):
        if args or kwargs or not isinstance(query_object, str):
            return super().query(query_object, *args, **kwargs)
        if query_object not in self.answers:
            result = super().query(query_object)
            _ = result.bindings if result.type == "SELECT" else None  # read it all now
            self.answers[query_object] = result
        return self.answers[query_object]


@pytest.fixture(scope="session")
def view(reasoned) -> Graph:
    return AnsweredOnce(reasoned.view())


@pytest.fixture()
def project_copy(tmp_path: Path, sources: Path) -> Project:
    """A copy of ontology/, data/ and queries/ that a test may break."""
    for part in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / part, tmp_path / part)
    return Project(tmp_path, sources)


def tree_digest(folder: Path) -> str:
    """A hash of every file under a folder, to prove nothing was changed."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and ".cache" not in p.parts):
        h.update(str(path.relative_to(folder)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()
