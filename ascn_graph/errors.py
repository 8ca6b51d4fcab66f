"""Errors the user can act on: each names the file and line, the resource or
the parameter at fault.

>>> str(DataSyntaxError("data/x.ttl", 3, "newline found in string literal"))
'data/x.ttl, line 3: newline found in string literal'
>>> str(ParameterError("date", "expected a date like 2024-07-30, got 'soon'"))
"parameter 'date': expected a date like 2024-07-30, got 'soon'"
"""

from __future__ import annotations


class AscnGraphError(Exception):
    """Base class of every error the command reports without a traceback."""


class DataSyntaxError(AscnGraphError):
    """A Turtle or SPARQL file that does not parse."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}, line {line}" if line else path
        super().__init__(f"{where}: {message}")


class ParameterError(AscnGraphError):
    """A query parameter that is unknown, missing or of the wrong type."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(f"parameter {name!r}: {message}")


class UnknownQueryError(AscnGraphError):
    """A saved query name that does not exist."""


class SourcesNotFoundError(AscnGraphError):
    """The folder with the source texts is missing, so quotes cannot be checked."""


class InconsistencyError(AscnGraphError):
    """The OWL 2 RL closure found the graph inconsistent (owlrl err:ErrorMessage)."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("the reasoner found inconsistencies:\n  " + "\n  ".join(messages))


class UnknownResourceError(AscnGraphError):
    """An IRI or prefixed name that names nothing in the graph."""


class QueryRefusedError(AscnGraphError):
    """A query that would change the graph or reach outside it."""
