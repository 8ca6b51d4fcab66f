"""ascn-graph: a cited knowledge graph of the ASEAN Smart Cities Network.

The pipeline has one module per stage::

    project    where the ontology, data, queries and source texts live
    loading    Turtle files -> one asserted graph (errors name file and line)
    rules      SPARQL CONSTRUCT rule files, applied with provenance
    reasoning  OWL 2 RL closure (owlrl) + rules to a fixpoint, inferred apart
    queries    saved queries (.rq with a header) and safe parameter binding
    remote     the same saved queries against any SPARQL 1.1 endpoint
    results    tables with labels and sources, as table/csv/json/md
    quotes     verbatim quotes checked against the source texts
    validation SHACL shapes + violation queries + quotes
    explain    why an inferred fact holds
    cli        the ``ascn-graph`` command
"""

from ascn_graph.errors import AscnGraphError
from ascn_graph.project import Project

__version__ = "0.1.0"

__all__ = ["AscnGraphError", "Project", "__version__"]
