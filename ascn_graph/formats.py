"""The names of the output formats and languages the commands offer, in a
module of their own so the command line can list them without importing the
code that writes them.

>>> EXPORT_FORMATS["turtle"], REPORT_FORMATS[0], TABLE_FORMATS[0], LANGS
('.ttl', 'text', 'table', ('en', 'id'))
"""

from __future__ import annotations

#: how a query's table is printed (``--format`` of query, sparql, timeline, snapshot)
TABLE_FORMATS = ("table", "csv", "json", "md")
#: the languages labels are shown in
LANGS = ("en", "id")
#: how ``check`` reports
REPORT_FORMATS = ("text", "json", "shacl")
#: what ``export`` writes, with each format's file suffix
EXPORT_FORMATS = {"turtle": ".ttl", "nt": ".nt", "nquads": ".nq", "trig": ".trig",
                  "json-ld": ".jsonld", "xml": ".rdf"}
