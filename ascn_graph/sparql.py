"""Ad-hoc SPARQL: read-only, local, no outbound requests.

Only SELECT, ASK, CONSTRUCT and DESCRIBE are accepted; SERVICE, LOAD and
FROM/FROM NAMED (which would fetch data from elsewhere) are refused.

>>> from rdflib import Graph
>>> run_text("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", Graph())
Traceback (most recent call last):
...
ascn_graph.errors.QueryRefusedError: query refused: SERVICE would make an outbound request
>>> run_text("INSERT DATA { <http://a> <http://b> <http://c> }", Graph())
Traceback (most recent call last):
...
ascn_graph.errors.QueryRefusedError: query refused: only SELECT, ASK, CONSTRUCT and DESCRIBE are allowed (the graph is read-only)
"""

from __future__ import annotations

from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from ascn_graph.errors import DataSyntaxError, QueryRefusedError
from ascn_graph.results import Table
from ascn_graph.store import is_oxigraph

READ_FORMS = {"SelectQuery", "AskQuery", "ConstructQuery", "DescribeQuery"}


def check_read_only(text: str, origin: str = "<query>"):
    """Parse a query and refuse updates and anything that reaches outside."""
    try:
        query = prepareQuery(text)
    except Exception as exc:
        message = str(exc)
        if "INSERT" in text.upper() or "DELETE" in text.upper() or "LOAD" in text.upper():
            raise QueryRefusedError(
                "query refused: only SELECT, ASK, CONSTRUCT and DESCRIBE are allowed "
                "(the graph is read-only)"
            ) from None
        raise DataSyntaxError(origin, getattr(exc, "lineno", None), message) from None
    algebra = query.algebra
    if algebra.name not in READ_FORMS:
        raise QueryRefusedError(f"query refused: {algebra.name} is not a read-only query")
    if algebra.get("datasetClause"):
        raise QueryRefusedError("query refused: FROM / FROM NAMED would load other data")
    if _mentions(algebra, "ServiceGraphPattern"):
        raise QueryRefusedError("query refused: SERVICE would make an outbound request")
    return query


def _mentions(node, name: str) -> bool:
    if isinstance(node, CompValue):
        if node.name == name:
            return True
        return any(_mentions(v, name) for v in node.values())
    if isinstance(node, (list, tuple)):
        return any(_mentions(v, name) for v in node)
    return False


def run_text(text: str, graph: Graph, origin: str = "<query>") -> Table | Graph | bool:
    """Run a read-only query; SELECT gives a Table, ASK a bool, CONSTRUCT/DESCRIBE a Graph."""
    query = check_read_only(text, origin)
    result = graph.query(text if is_oxigraph(graph) else query)
    if result.type == "SELECT":
        return Table.from_result(result)
    if result.type == "ASK":
        return bool(result.askAnswer)
    return result.graph
