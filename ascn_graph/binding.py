"""Parameters bound into a query's text as a ``VALUES`` block, for engines that
cannot take bindings beside the text: a remote endpoint, and Oxigraph (whose
substitutions only reach projected variables).

Only checked RDF terms go in (:func:`ascn_graph.queries.to_term` made them
from the user's value), written with rdflib's own serialiser, which escapes
them: a value can never close the block or add to the query.

>>> from rdflib import Literal
>>> text = "PREFIX a: <http://a/>\\nSELECT ?x WHERE { ?x a:p ?date }"
>>> print(with_values(text, {"date": Literal('2024" } #')}))
PREFIX a: <http://a/>
SELECT ?x WHERE { VALUES (?date) { ("2024\\" } #") } ?x a:p ?date }
"""

from __future__ import annotations

from rdflib import Literal, URIRef, Variable

from ascn_graph.errors import AscnGraphError


class QueryShapeError(AscnGraphError):
    """A query whose WHERE clause cannot be found to bind parameters in."""


def _where_brace(text: str) -> int:
    """Offset of the ``{`` that opens the query's WHERE clause, skipping
    comments, strings and IRIs."""
    depth, i, n = 0, 0, len(text)
    upper = text.upper()
    seen_where = "WHERE" not in upper
    while i < n:
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            i = n if i < 0 else i
            continue
        if c in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
            i += len(quote)
            while i < n and text[i : i + len(quote)] != quote:
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        if c == "<" and depth == 0:
            close = text.find(">", i)
            i = close + 1 if close > 0 else i + 1
            continue
        if depth == 0 and upper.startswith("WHERE", i):
            seen_where = True
        if c == "{":
            if depth == 0 and seen_where:
                return i
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    raise QueryShapeError("cannot find the WHERE clause to bind parameters in")


def with_values(text: str, bindings: dict[str, URIRef | Literal]) -> str:
    """The query text with a VALUES block binding the parameters."""
    if not bindings:
        return text
    names = " ".join(Variable(k).n3() for k in bindings)
    terms = " ".join(v.n3() for v in bindings.values())
    at = _where_brace(text) + 1
    return f"{text[:at]} VALUES ({names}) {{ ({terms}) }}{text[at:]}"


