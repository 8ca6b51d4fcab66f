"""A cache of the reasoned graph, keyed by a hash of every input (ontology,
data, rule files, the package's source, the versions of rdflib and owlrl) and
by the reasoning engine, so an unchanged graph is not reasoned twice.

Written atomically (a crash never leaves a half-written cache) with a header
that names the key and a SHA-256 of the payload: a damaged or foreign file is
rebuilt, never trusted. A reasoned graph is kept as a small head and, pickled apart, its asserted
and inferred graphs and provenance (and, on the plain engine, its view), which are unpickled
only when used. On the fast engine the view is kept as an Oxigraph store in a folder
beside it (written under a temporary name and renamed whole), which a query
opens read-only instead of unpickling anything. The parsed domain rules are kept
too (``rules-*.pickle``, keyed by the rule files: :func:`ascn_graph.rules.load_rules`).

>>> from ascn_graph.project import Project
>>> len(input_digest(Project.default()))
64
>>> input_digest(Project.default(), "fast") != input_digest(Project.default(), "plain")
True
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

from ascn_graph.project import Project

CACHE_ENV = "ASCN_GRAPH_NO_CACHE"
MAGIC = b"ascn-graph-cache 3\n"
PARTS = "reasoned-graph-parts"
DEPENDENCIES = ("rdflib", "owlrl", "pyoxigraph")


def package_version(name: str) -> str:
    """The installed version of a distribution ("none" if it is not installed).

    >>> package_version("no-such-distribution-here")
    'none'
    """
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"


def input_digest(project: Project, engine: str = "fast") -> str:
    """Hash of everything the reasoned graph depends on, and of the engine that made it."""
    from ascn_graph import __version__

    h = hashlib.sha256(f"{__version__}\0{engine}\0".encode())
    for name in DEPENDENCIES:
        h.update(f"{name} {package_version(name)}\0".encode())
    for path in project.graph_files() + sorted(project.rules_dir.glob("*.rq")):
        h.update(project.relative(path).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        h.update(module.name.encode() + b"\0")
        h.update(hashlib.sha256(module.read_bytes()).digest())
    return h.hexdigest()


def cache_file(project: Project, digest: str, engine: str = "fast") -> Path:
    """Where the cache for ``digest`` lives (one file per engine is kept).

    >>> cache_file(Project.default(), "ab" * 32, "plain").name
    'reasoned-plain-abababababababababababab.pickle'
    """
    return project.cache_dir / f"reasoned-{engine}-{digest[:24]}.pickle"


def rules_file(project: Project, digest: str) -> Path:
    """Where the parsed rules for ``digest`` live (:func:`ascn_graph.rules.load_rules`).

    >>> rules_file(Project.default(), "ef" * 32).name
    'rules-efefefefefefefefefefefef.pickle'
    """
    return project.cache_dir / f"rules-{digest[:24]}.pickle"


def load_value(path: Path, digest: str):
    """The object pickled in ``path`` under ``digest``; None if there is none, it was
    written for another digest, or it is damaged (rebuilt, never trusted)."""
    if os.environ.get(CACHE_ENV):
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = MAGIC + digest.encode() + b"\n"
    if not data.startswith(header):
        return None
    checksum, payload = data[len(header):len(header) + 64], data[len(header) + 65:]
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # a cache that does not load is rebuilt
        return None


def store_value(path: Path, digest: str, value, siblings: str) -> bool:
    """Pickle ``value`` to ``path`` atomically, removing the older files that match the
    glob ``siblings``; False (not an error) if it cannot be written."""
    if os.environ.get(CACHE_ENV):
        return False
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return False
    tmp = None
    try:
        path.parent.mkdir(exist_ok=True)
        for old in path.parent.glob(siblings):
            if old != path:
                old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC + digest.encode() + b"\n")
            handle.write(hashlib.sha256(payload).hexdigest().encode() + b"\n")
            handle.write(payload)
        os.replace(tmp, path)
    except OSError:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        return False
    return True


def load(project: Project, digest: str, engine: str = "fast"):
    """The cached object for ``digest``, or None if there is none or it is damaged."""
    value = load_value(cache_file(project, digest, engine), digest)
    if isinstance(value, tuple) and len(value) == 3 and value[0] == PARTS:
        from ascn_graph.reasoning import ReasonedGraph

        graph = ReasonedGraph.from_cache_parts(value[1], value[2])
        folder = store_folder(project, digest)
        if engine == "fast" and folder.is_dir():
            graph._store_path = str(folder)
        return graph
    return value


def store_folder(project: Project, digest: str) -> Path:
    """Where the fast engine's Oxigraph store for ``digest`` lives.

    >>> store_folder(Project.default(), "cd" * 32).name
    'oxigraph-cdcdcdcdcdcdcdcdcdcdcdcd'
    """
    return project.cache_dir / f"oxigraph-{digest[:24]}"


def _store_oxigraph(project: Project, digest: str, value) -> None:
    """Save the Oxigraph store of a fast-engine graph, whole or not at all."""
    target = store_folder(project, digest)
    for old in project.cache_dir.glob("oxigraph-*"):
        if old != target:
            shutil.rmtree(old, ignore_errors=True)
    if target.is_dir():
        return
    tmp = Path(tempfile.mkdtemp(dir=project.cache_dir, prefix=".oxigraph-"))
    try:
        value.queryable().save(str(tmp / "store"))
        os.rename(tmp / "store", target)
    except OSError:
        pass  # another process got there first, or the disk is full: no store is not an error
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def store(project: Project, digest: str, value, engine: str = "fast") -> None:
    """Write the cache atomically; older caches of the same engine are removed; failure
    to write is not an error."""
    if os.environ.get(CACHE_ENV):
        return
    reasoned = value if hasattr(value, "queryable") else None
    if hasattr(value, "cache_parts"):  # a ReasonedGraph: a small head, the rest read on use
        value = (PARTS, *value.cache_parts())
    for old in project.cache_dir.glob("reasoned-????????????????????????.pickle"):
        old.unlink(missing_ok=True)  # the engine-less name of earlier versions
    written = store_value(cache_file(project, digest, engine), digest, value,
                          f"reasoned-{engine}-*.pickle")
    if written and engine == "fast" and reasoned is not None:
        _store_oxigraph(project, digest, reasoned)
