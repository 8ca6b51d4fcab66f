"""A cache of the reasoned graph, keyed by a hash of every input (ontology,
data, rule files, package version), so an unchanged graph is not reasoned
twice. Written atomically: a crash never leaves a half-written cache.

>>> from ascn_graph.project import Project
>>> len(input_digest(Project.default()))
64
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from ascn_graph.project import Project

CACHE_ENV = "ASCN_GRAPH_NO_CACHE"


def input_digest(project: Project) -> str:
    """Hash of everything the reasoned graph depends on."""
    from ascn_graph import __version__

    h = hashlib.sha256(__version__.encode())
    for path in project.graph_files() + sorted(project.rules_dir.glob("*.rq")):
        h.update(project.relative(path).encode())
        h.update(path.read_bytes())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        h.update(module.read_bytes())
    return h.hexdigest()


def cache_file(project: Project, digest: str) -> Path:
    return project.cache_dir / f"reasoned-{digest[:24]}.pickle"


def load(project: Project, digest: str):
    """The cached object for ``digest``, or None."""
    if os.environ.get(CACHE_ENV):
        return None
    path = cache_file(project, digest)
    if not path.exists():
        return None
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # a stale or damaged cache is rebuilt, never trusted
        return None


def store(project: Project, digest: str, value) -> None:
    """Write the cache atomically; failure to write is not an error."""
    if os.environ.get(CACHE_ENV):
        return
    try:
        project.cache_dir.mkdir(exist_ok=True)
        for old in project.cache_dir.glob("reasoned-*.pickle"):
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=project.cache_dir, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache_file(project, digest))
    except OSError:
        pass
