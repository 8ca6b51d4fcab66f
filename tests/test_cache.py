"""The cache of the reasoned graph: keyed by the inputs and the engine, rebuilt
when an input changes, and never trusted when damaged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from ascn_graph import api, cache
from ascn_graph.project import Project

ROOT = Path(__file__).resolve().parent.parent
EX = "http://example.org/"
MINI = """@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Tenure rdfs:subClassOf ex:Claim .
ex:member rdfs:domain ex:Tenure .
"""


@pytest.fixture()
def mini(tmp_path: Path) -> Project:
    """A tiny project (small enough for the plain engine to be quick), with the real rules."""
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "mini.ttl").write_text(MINI, encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "facts.ttl").write_text(
        "@prefix ex: <http://example.org/> .\nex:t1 ex:member ex:someone .\n", encoding="utf-8")
    shutil.copytree(ROOT / "queries", tmp_path / "queries")
    return Project(tmp_path, tmp_path)


def cache_files(project: Project) -> list[Path]:
    return sorted(project.cache_dir.glob("reasoned-*.pickle"))


def test_cached_build_is_served_and_equal(mini: Project) -> None:
    first = api.build(mini, engine="fast")
    assert len(cache_files(mini)) == 1
    second = api.build(mini, engine="fast")
    assert second is not first  # read back from the file
    assert set(second.inferred) == set(first.inferred)
    assert (URIRef(EX + "t1"), RDF.type, URIRef(EX + "Claim")) in second.inferred


def test_cache_is_keyed_on_the_engine(mini: Project) -> None:
    fast = api.build(mini, engine="fast")
    plain = api.build(mini, engine="plain")
    assert (fast.engine, plain.engine) == ("fast", "plain")
    names = [p.name for p in cache_files(mini)]
    assert len(names) == 2 and any("-fast-" in n for n in names) and any("-plain-" in n for n in names)
    assert api.build(mini, engine="plain").engine == "plain"  # not the fast one's cache
    assert api.build(mini, engine="fast").engine == "fast"
    assert cache.input_digest(mini, "fast") != cache.input_digest(mini, "plain")


def test_engine_from_the_environment(mini: Project, monkeypatch) -> None:
    monkeypatch.setenv("ASCN_ENGINE", "plain")
    assert api.build(mini).engine == "plain"
    monkeypatch.delenv("ASCN_ENGINE")
    assert api.build(mini).engine == "fast"


def test_changed_data_file_in_a_copy_of_the_project_is_rebuilt(project_copy: Project) -> None:
    before = api.build(project_copy)
    old_files = cache_files(project_copy)
    assert len(old_files) == 1
    core = project_copy.data_dir / "core.ttl"
    core.write_text(core.read_text(encoding="utf-8")
                    + "\n<http://example.org/new-body> a ascn:GovernmentBody .\n", encoding="utf-8")
    after = api.build(project_copy)
    new = URIRef(EX + "new-body")
    assert (new, RDF.type, None) not in before.view()
    assert (new, RDF.type, None) in after.asserted
    files = cache_files(project_copy)
    assert len(files) == 1 and files != old_files  # the stale cache is gone


@pytest.mark.parametrize("where", ["rules", "data", "new data file"])
def test_every_input_is_in_the_key(mini: Project, where: str) -> None:
    before = cache.input_digest(mini)
    if where == "rules":
        rule = sorted(mini.rules_dir.glob("*.rq"))[0]
        rule.write_text(rule.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    elif where == "data":
        (mini.data_dir / "facts.ttl").write_text("@prefix ex: <http://example.org/> .\n")
    else:
        (mini.data_dir / "more.ttl").write_text("@prefix ex: <http://example.org/> .\n")
    assert cache.input_digest(mini) != before


@pytest.mark.parametrize("damage", ["flip a byte", "truncate", "empty", "not a cache"])
def test_damaged_cache_is_rebuilt_not_trusted(mini: Project, damage: str) -> None:
    good = api.build(mini)
    [path] = cache_files(mini)
    data = path.read_bytes()
    if damage == "flip a byte":
        middle = len(data) // 2
        data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]
    elif damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "empty":
        data = b""
    else:
        data = b"\x80\x05N."  # a valid pickle (None) without the header
    path.write_bytes(data)
    assert cache.load(mini, cache.input_digest(mini)) is None
    rebuilt = api.build(mini)
    assert set(rebuilt.inferred) == set(good.inferred)
    assert cache.load(mini, cache.input_digest(mini)) is not None  # rewritten, whole again


def test_no_cache_when_asked(mini: Project, monkeypatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "1")
    api.build(mini)
    assert not cache_files(mini)
