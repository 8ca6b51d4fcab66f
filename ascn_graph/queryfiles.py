"""The header that every ``.rq`` file under ``queries/`` starts with.

A header is a block of ``# key: value`` comment lines::

    # name: holders-on-date
    # title: Who held each role on a given date
    # description: Every tenure whose dates contain the day asked about.
    # param: date | date | 2024-07-30 | the day to ask about

``param`` lines are ``name | type | default | description``; an empty default
makes the parameter required.

>>> h = parse_header("# name: x\\n# title: X\\n# param: day | date | | the day\\nSELECT * {}")
>>> h.name, h.title, h.params[0].name, h.params[0].type, h.params[0].default
('x', 'X', 'day', 'date', None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ascn_graph.errors import DataSyntaxError

HEADER_LINE = re.compile(r"^#\s*([a-z][a-z-]*)\s*:\s*(.*)$")


@dataclass(frozen=True)
class ParamSpec:
    """One declared parameter of a saved query."""

    name: str
    type: str
    default: str | None
    description: str


@dataclass
class QueryHeader:
    """What a query file says about itself."""

    name: str
    title: str = ""
    description: str = ""
    params: list[ParamSpec] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)


def parse_header(text: str, path: str = "<query>") -> QueryHeader:
    """Read the leading ``# key: value`` lines of a query file."""
    fields: dict[str, str] = {}
    params: list[ParamSpec] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = HEADER_LINE.match(stripped)
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            parts = [p.strip() for p in value.split("|")]
            if len(parts) != 4 or not parts[0] or not parts[1]:
                raise DataSyntaxError(
                    path, number, "a param line is 'name | type | default | description'"
                )
            params.append(ParamSpec(parts[0], parts[1], parts[2] or None, parts[3]))
        elif key in fields and key == "description":
            fields[key] += " " + value
        else:
            fields[key] = value
    if "name" not in fields:
        raise DataSyntaxError(path, 1, "the header has no '# name:' line")
    return QueryHeader(
        name=fields.pop("name"),
        title=fields.pop("title", ""),
        description=fields.pop("description", ""),
        params=params,
        extra=fields,
    )


def read_query_file(path: Path) -> tuple[QueryHeader, str]:
    """The header and the full text of a query file."""
    text = path.read_text(encoding="utf-8")
    return parse_header(text, str(path)), text
