"""``python -m ascn_graph`` runs the command."""

from ascn_graph.cli import console

console()
