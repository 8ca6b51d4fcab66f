"""Content negotiation: pick the media type a client prefers among those
offered, from its ``Accept`` header (RFC 9110 q-values and wildcards).

>>> choose("text/html,application/xhtml+xml,*/*;q=0.8", ["text/turtle", "text/html"])
'text/html'
>>> choose("application/sparql-results+xml;q=0.9, text/csv", ["application/sparql-results+json",
...        "application/sparql-results+xml", "text/csv"])
'text/csv'
>>> choose("", ["text/turtle", "text/html"])
'text/turtle'
>>> choose("image/png", ["text/turtle"]) is None
True
>>> choose("text/*;q=0, */*", ["text/turtle", "application/ld+json"])
'application/ld+json'
"""

from __future__ import annotations


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``(media range, q)`` pairs; malformed q-values count as 0.

    >>> parse_accept("text/html;level=1;q=0.5, */*")
    [('text/html', 0.5), ('*/*', 1.0)]
    """
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = media + "/*" if media == "*" else media
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q of the most specific range matching ``media``."""
    kind = media.split("/")[0]
    best, specificity = 0.0, -1
    for pattern, q in ranges:
        if pattern == media:
            level = 2
        elif pattern == f"{kind}/*":
            level = 1
        elif pattern == "*/*":
            level = 0
        else:
            continue
        if level > specificity:
            best, specificity = q, level
    return best


def choose(header: str | None, offered: list[str]) -> str | None:
    """The offered type the client likes best (ties: the first offered);
    None when it accepts none of them. No header accepts anything."""
    if not header or not header.strip():
        return offered[0] if offered else None
    ranges = parse_accept(header)
    scored = [(_quality(media, ranges), -i, media) for i, media in enumerate(offered)]
    q, _, media = max(scored)
    return media if q > 0 else None
