"""The fast engine's query guard: whether a SPARQL query is refused, decided from its
tokens alone, before Oxigraph sees it.

Oxigraph would run a SERVICE with its own HTTP client, so a query is judged
before Oxigraph is given it: :func:`guard` reads the query as tokens (about half
a millisecond, where rdflib's parser takes tens). The words left outside
comments, strings, IRIs, variables and prefixed names are the query's keywords;
among them an update keyword (INSERT, DELETE, LOAD, CLEAR, ...), SERVICE or FROM
makes the query :class:`Refused` (HTTP 403) and GRAPH :class:`Malformed`
(HTTP 400: the service holds no named graphs).

What it guarantees: a query Oxigraph would read as holding one of those keywords
does not get past it. Where Oxigraph reads a query otherwise than the grammar
does (a keyword glued to what follows it, a prefixed name ended early, an IRI's
``<`` taken for less-than, ``\\u`` escapes) the guard takes the reading that finds
the keyword, so it may refuse a query Oxigraph would have run harmlessly, never
the other way round; ``tests/test_server_oxigraph.py`` checks this for SERVICE
against Oxigraph itself, with the network shut off. A query that does not parse
is left for Oxigraph to reject with its own message. The refusal messages and
exceptions here serve the plain engine's check too
(:func:`ascn_graph.server_worker.inspect`).

>>> guard("SELECT ?service WHERE { ?s <http://x/SERVICE> 'SERVICE' } # SERVICE")
'SELECT'
>>> guard("SELECT * WHERE { \\\\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
ascn_graph.query_guard.Refused: query refused: SERVICE would make an outbound request; this endpoint only answers from its own graph
>>> guard("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
Traceback (most recent call last):
...
ascn_graph.query_guard.Malformed: GRAPH is not supported here: this service holds one default graph (asserted and inferred triples) and no named graphs
"""

from __future__ import annotations

import re
from collections.abc import Iterator

UPDATE_REFUSED = ("query refused: updates (INSERT, DELETE, LOAD, CLEAR, ...) are not accepted; "
                  "this endpoint is read-only")
FROM_REFUSED = ("query refused: FROM / FROM NAMED would load data from elsewhere; "
                "query the default graph without them")
SERVICE_REFUSED = ("query refused: SERVICE would make an outbound request; "
                   "this endpoint only answers from its own graph")
NO_GRAPHS = ("GRAPH is not supported here: this service holds one default graph "
             "(asserted and inferred triples) and no named graphs")


class Refused(Exception):
    """A query this endpoint will not run (HTTP 403)."""


class Malformed(Exception):
    """A query that does not parse (HTTP 400)."""


UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                "WITH", "USING")
REFUSED_WORDS = (*UPDATE_WORDS, "FROM", "SERVICE", "GRAPH")
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
         "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
         "\U00010000-\U000effff")  # the SPARQL grammar's PN_CHARS_BASE
_MARKS = "\u00b7\u0300-\u036f\u203f-\u2040"
_CHARS = f"{_BASE}_\\-0-9{_MARKS}"  # PN_CHARS
_PLX_ESCAPE = r"\\[_~.\-!$&'()*+,;=/?#@%]"  # PN_LOCAL_ESC
_ESCAPE = r"\\(?:[tbnrf\"'\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})"  # what Oxigraph accepts
_STRING = (  # the grammar's strings, long ones first; a long one that does not end is an
    # empty string and a quote, as for Oxigraph
    f"(?:'''(?:(?:''?)?(?:[^'\\\\]|{_ESCAPE}))*'''"
    f'|"""(?:(?:""?)?(?:[^"\\\\]|{_ESCAPE}))*"""'
    f"|'(?:[^'\\\\\r\n]|{_ESCAPE})*'"
    f'|"(?:[^"\\\\\r\n]|{_ESCAPE})*")'
    r"(?:@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)?"  # a language tag
)
_NAME = (  # a run of name characters: a keyword, a number, a prefixed name, a blank node
    # label, or several glued together (only _words_in looks inside; matching the grammar's
    # names here would rescan a long run from each of its dots, in quadratic time)
    f"(?:[{_CHARS}.:%]|{_PLX_ESCAPE})+"
)
_TOKEN = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in [
    ("space", r"[ \t\r\n]+"),  # SPARQL's white space; no other character is
    ("comment", r"#[^\r\n]*"),  # a comment ends at CR as well as at LF
    ("string", _STRING),
    ("iri", r"<[^<>\"{}|^`\\\x00-\x20]*>"),
    ("var", f"[?$][{_BASE}_0-9][{_BASE}_0-9{_MARKS}]*"),
    ("name", _NAME),
    ("punct", "."),  # anything else, one character at a time
]), re.S)
_HAZARD = re.compile(r"['#()\[\]]")
_ANY_REFUSED = re.compile("|".join(REFUSED_WORDS))
_SERVICE = re.compile("service", re.I)
_AFTER_TOKEN = "(?:[^A-Z]|TRUE|FALSE)SERVICE"  # SERVICE where a token may end before it
_GLUED_SERVICE, _INNER_SERVICE = re.compile("^SERVICE|" + _AFTER_TOKEN), re.compile(_AFTER_TOKEN)
_CODEPOINT_ESCAPE = re.compile(r"\\[uU]")
_HEX = re.compile(r"\+?[0-9A-Fa-f]+")
_CLOSING = {")": "(", "]": "[", "}": "{"}


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """The tokens of a query outside comments and white space, as ``(kind, text, offset)``:
    string (with its language tag), iri, var, name (a run of name characters: keywords,
    numbers, prefixed names, blank node labels) or punct. Strings, IRIs, variables and
    comments end where the grammar ends them; a string Oxigraph would not read is none here.

    >>> [(kind, token) for kind, token, _ in tokens('ASK#SERVICE\\r{<a#b> ?x "c\\\\"d"@en}')]
    [('name', 'ASK'), ('punct', '{'), ('iri', '<a#b>'), ('var', '?x'), ('string', '"c\\\\"d"@en'), ('punct', '}')]
    """
    for found in _TOKEN.finditer(text):
        if found.lastgroup not in ("space", "comment"):
            yield found.lastgroup, found.group(), found.start()


def _words_in(kind: str, token: str) -> set[str]:
    """The refused keywords a token may hold. Oxigraph reads a keyword without looking
    for the end of the word (``SERVICESILENT``, ``SERVICEx:y`` and even ``service:y``
    are SERVICE SILENT, SERVICE x:y and SERVICE :y), and ends some prefixed names
    before the grammar does (``x:a.b.SERVICE`` is ``x:a.b . SERVICE``): so a bare word
    is searched whole, and a prefixed name, a blank node or a language tag for SERVICE
    where another token could end just before it.

    >>> _words_in("name", "SERVICESILENT"), _words_in("name", "x:a.b.service")
    ({'SERVICE'}, {'SERVICE'})
    >>> _words_in("name", "myservice:x"), _words_in("name", "x:service"), _words_in("var", "?from")
    (set(), set(), set())
    """
    upper = token.upper()
    if kind == "string":
        tag = upper.rsplit("@", 1)[-1] if upper[-1:] not in "'\"" else ""
        return {"SERVICE"} if "SERVICE" in tag else set()
    if kind != "name":
        return set()
    if ":" not in upper:
        return {w for w in REFUSED_WORDS if w in upper} if _ANY_REFUSED.search(upper) else set()
    prefix, _, local = upper.partition(":")
    glued = _GLUED_SERVICE.search(prefix) or _INNER_SERVICE.search(local)
    return {"SERVICE"} if glued else set()


def _unbalanced(brackets: list[str], char: str) -> bool:
    """Follow ( [ {; True when a closing bracket does not match."""
    if char in "([{":
        brackets.append(char)
    elif char in _CLOSING:
        return not brackets or brackets.pop() != _CLOSING[char]
    return False


def _operator_hides(token: str, at: int, brackets: list[str], lost: bool, last: int) -> bool:
    """Whether Oxigraph could read this IRI's ``<`` as less-than and so find a SERVICE
    that the IRI seems to hide: after an operand inside ( ), an IRI holding ' or #
    (which would then open a string or a comment) or a bracket (which would then
    open or close an expression: ``(?a<(1>?b) || ?c<'x>')`` is two comparisons), with
    SERVICE anywhere after it (``last``: where the last "service" in the text begins)."""
    inside = lost or brackets[-1:] == ["("]
    return inside and last >= at and bool(_HAZARD.search(token))


def _scan(text: str) -> tuple[set[str], str | None]:
    """The refused keywords found in the query's code, and its form (the first of
    SELECT, ASK, CONSTRUCT or DESCRIBE)."""
    found: set[str] = set()
    form, brackets, lost, after_operand = None, [], False, False
    last = max((m.start() for m in _SERVICE.finditer(text)), default=-1)
    for kind, token, at in tokens(text):
        found |= _words_in(kind, token)
        if kind == "name":
            if form is None and ":" not in token:
                form = next((f for f in FORMS if token.upper().startswith(f)), None)
        elif kind == "iri" and after_operand and _operator_hides(token, at, brackets, lost, last):
            found.add("SERVICE")
        elif kind == "punct":
            lost = _unbalanced(brackets, token) or lost
        after_operand = kind != "punct" or token in _CLOSING
    return found, form


def _codepoint(digits: str) -> str | None:
    if not _HEX.fullmatch(digits):
        return None
    value = int(digits, 16)
    return None if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF else chr(value)


def unescape_codepoints(text: str) -> str:
    """The query with ``\\uXXXX`` and ``\\UXXXXXXXX`` replaced, in one pass, as SPARQL 1.1
    (section 19.2) has a parser do before parsing and as Oxigraph does when built with its
    ``standard-unicode-escaping`` feature (pyoxigraph 0.5 is not).

    >>> unescape_codepoints("\\\\u0053ERVICE \\\\\\\\u0053 \\\\u00zz")
    'SERVICE \\\\\\\\u0053 \\\\u00zz'
    """
    out, at = [], 0
    while (found := text.find("\\", at)) >= 0:
        out.append(text[at:found])
        width = {"u": 4, "U": 8}.get(text[found + 1 : found + 2])
        if width is None:
            out.append(text[found : found + 2])
            at = found + 2
            continue
        at = found + 2 + width
        digits = text[found + 2 : at]
        char = _codepoint(digits) if len(digits) == width else None
        out.append(char if char is not None else text[found:at])
    out.append(text[at:])
    return "".join(out)


def guard(text: str) -> str | None:
    """Refuse what Oxigraph must not run, from the query's tokens: an update keyword,
    SERVICE or FROM among its keywords is a 403, GRAPH a 400; the query's form (None
    if it has none: it will not parse). Both the text and the text with its
    ``\\u`` escapes replaced are checked.

    >>> guard('PREFIX s: <http://x/SERVICE> SELECT ("from" AS ?x) # SERVICE')
    'SELECT'
    >>> guard("ask { ?s ?p ?o . sErViCe <http://127.0.0.1:9/> {} }")
    Traceback (most recent call last):
    ...
    ascn_graph.query_guard.Refused: query refused: SERVICE would make an outbound request; this endpoint only answers from its own graph
    """
    found, form = _scan(text)
    if _CODEPOINT_ESCAPE.search(text):
        found |= _scan(unescape_codepoints(text))[0]
    if found & set(UPDATE_WORDS):
        raise Refused(UPDATE_REFUSED)
    if "FROM" in found:
        raise Refused(FROM_REFUSED)
    if "SERVICE" in found:
        raise Refused(SERVICE_REFUSED)
    if "GRAPH" in found:
        raise Malformed(NO_GRAPHS)
    return form

