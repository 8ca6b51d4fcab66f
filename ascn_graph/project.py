"""Where things live: ontology, data, queries and the source texts.

The source texts (the five articles) are not part of the project. They are
read from a folder the user names (``--sources`` or ``ASCN_SOURCES``); by
default ``../shared/seeds`` beside the project folder.

>>> p = Project.default()
>>> p.ontology_dir.name, p.data_dir.name
('ontology', 'data')
>>> sorted(f.name for f in p.ontology_files())
['ascn.ttl', 'shapes.ttl']
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ascn_graph.errors import SourcesNotFoundError

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCES_ENV = "ASCN_SOURCES"
ROOT_ENV = "ASCN_GRAPH_ROOT"


def _find_root() -> Path:
    """The checkout this package sits in (an editable install), else the current folder."""
    for candidate in (PACKAGE_DIR.parent, Path.cwd()):
        if (candidate / "ontology").is_dir() and (candidate / "data").is_dir():
            return candidate
    return PACKAGE_DIR.parent


@dataclass(frozen=True)
class Project:
    """The folders of one checkout of ascn-graph."""

    root: Path
    sources: Path | None = None

    @classmethod
    def default(cls, root: str | Path | None = None, sources: str | Path | None = None) -> Project:
        """The project the package belongs to, or the one at ``root``."""
        base = Path(root or os.environ.get(ROOT_ENV) or _find_root()).resolve()
        chosen = sources or os.environ.get(SOURCES_ENV)
        return cls(base, Path(chosen).resolve() if chosen else None)

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def rules_dir(self) -> Path:
        return self.queries_dir / "rules"

    @property
    def validation_dir(self) -> Path:
        """``*-violation.rq`` queries that find malformed data."""
        return self.queries_dir / "validation"

    @property
    def continuity_dir(self) -> Path:
        """``*-violation.rq`` queries that find gaps and overlaps in roles."""
        return self.queries_dir / "continuity"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache"

    @property
    def shapes_file(self) -> Path:
        return self.ontology_dir / "shapes.ttl"

    def ontology_files(self) -> list[Path]:
        return sorted(self.ontology_dir.glob("*.ttl"))

    def data_files(self) -> list[Path]:
        return sorted(self.data_dir.rglob("*.ttl"))

    def graph_files(self) -> list[Path]:
        """Files whose triples make up the asserted graph (shapes excluded)."""
        return [f for f in self.ontology_files() if f != self.shapes_file] + self.data_files()

    def sources_dir(self) -> Path:
        """The folder with the source texts; raises if it is not there.

        >>> Project(Path("/nonexistent"), Path("/nonexistent/seeds")).sources_dir()
        Traceback (most recent call last):
        ...
        ascn_graph.errors.SourcesNotFoundError: source texts not found in /nonexistent/seeds: quotes cannot be checked. Point --sources (or ASCN_SOURCES) at the folder with the articles.
        """
        folder = self.sources or (self.root.parent / "shared" / "seeds")
        if not folder.is_dir():
            raise SourcesNotFoundError(
                f"source texts not found in {folder}: quotes cannot be checked. "
                f"Point --sources (or {SOURCES_ENV}) at the folder with the articles."
            )
        return folder

    def relative(self, path: Path) -> str:
        """A path as the user sees it: relative to the project where possible."""
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)
