"""The roles over the years as a picture (SVG, or PNG through cairosvg):
ASEAN and ASCN Chair rotation, Shepherd terms, National Representatives,
with findings marked.

Imprecise dates are drawn honestly: a tenure "2019-2023" is solid where it
certainly held (from the end of 2019 to the start of 2023) and pale where
it may have (the rest of its first and last years). Inferred tenures are
hatched; alternative accounts are drawn thin and dashed under the main one.

>>> bounds("2023")
(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
>>> bounds("2024-02")
(datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from ascn_graph import api
from ascn_graph.loading import ASCN
from ascn_graph.project import Project
from ascn_graph.reasoning import ReasonedGraph
from ascn_graph.results import label

PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
SEVERITY_COLOURS = {"violation": "#d62728", "warning": "#ff7f0e", "information": "#1f77b4"}


def bounds(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day a date of any precision can mean."""
    parts = [int(p) for p in text[:10].split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], last)
    day = dt.date(*parts)
    return day, day


@dataclass
class Bar:
    """One tenure on the picture."""

    label: str
    colour_key: str
    start: tuple[dt.date, dt.date] | None
    end: tuple[dt.date, dt.date] | None
    inferred: bool = False
    alternative: bool = False
    resource: str = ""


@dataclass
class Lane:
    title: str
    bars: list[Bar] = field(default_factory=list)
    role: str = ""


def _text(cell) -> str:
    return "" if cell is None else str(cell)


def _lane(graph: ReasonedGraph, project: Project, role: str, title: str, lang: str,
          group_by_country: bool = False) -> list[Lane]:
    table = api.run_saved_query("role-timeline", {"role": role}, graph, project)
    col = {c: i for i, c in enumerate(table.columns)}
    view = graph.queryable()
    lanes: dict[str, Lane] = {}
    for row in table.rows:
        holder = label(view, row[col["holder"]], lang)
        scope = label(view, row[col["for"]], lang) if row[col["for"]] is not None else ""
        year, start, end = _text(row[col["year"]]), _text(row[col["start"]]), _text(row[col["end"]])
        first, last = _text(row[col["firstAttested"]]), _text(row[col["lastAttested"]])
        if year:  # a chair for a year holds it the whole year
            first_day, last_day = bounds(year)
            span_start, span_end = (first_day, first_day), (last_day, last_day)
        else:
            span_start = bounds(start) if start else (bounds(first) if first else None)
            span_end = bounds(end) if end else (bounds(last) if last else None)
        if span_start is None:
            continue
        key = f"{title}: {scope}" if group_by_country and scope else title
        lane = lanes.setdefault(key, Lane(key, role=str(ASCN[role.split(":", 1)[1]])))
        lane.bars.append(Bar(
            label=holder, colour_key=holder, start=span_start, end=span_end,
            inferred=_text(row[col["inferred"]]) in ("true", "True", "1"),
            alternative=row[col["alternativeOf"]] is not None,
            resource=str(row[col["tenure"]]),
        ))
    return list(lanes.values())


def collect_lanes(graph: ReasonedGraph, project: Project, lang: str = "en") -> list[Lane]:
    """The lanes of the picture, from the saved role-timeline query."""
    lanes = _lane(graph, project, "ascn:ASEANChair", "ASEAN Chair", lang)
    lanes += _lane(graph, project, "ascn:ASCNChair", "ASCN Chair", lang)
    lanes += _lane(graph, project, "ascn:Shepherd", "Shepherd", lang)
    lanes += _lane(graph, project, "ascn:NationalRepresentative", "NR", lang, group_by_country=True)
    lanes += _lane(graph, project, "ascn:ChiefSmartCityOfficer", "CSCO", lang, group_by_country=True)
    return [lane for lane in lanes if lane.bars]


def draw(lanes: list[Lane], findings: list[dict] | None = None,
         title: str = "ASCN roles over the years") -> str:
    """SVG text for the lanes; findings are dicts with 'resource', 'severity', 'message'."""
    findings = findings or []
    days = [d for lane in lanes for b in lane.bars for span in (b.start, b.end) if span for d in span]
    first_year = min(d.year for d in days)
    last_year = max(d.year for d in days)
    longest = max((len(lane.title) for lane in lanes), default=0)
    left, top, year_width, lane_height = max(190, 30 + 8 * longest), 70, 96, 46
    width = left + year_width * (last_year - first_year + 1) + 30
    extra_rows = sum(max((r for _, r in _pack(lane.bars, lambda d: d.toordinal())), default=0)
                     for lane in lanes)
    height = top + lane_height * len(lanes) + 34 * extra_rows + 120

    def x(day: dt.date) -> float:
        start = dt.date(day.year, 1, 1)
        length = 366 if calendar.isleap(day.year) else 365
        return left + year_width * (day.year - first_year + (day - start).days / length)

    colours: dict[str, str] = {}

    def colour(key: str) -> str:
        return colours.setdefault(key, PALETTE[len(colours) % len(PALETTE)])

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif">',
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="white"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#555" stroke-width="2"/></pattern></defs>',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="30" font-size="20" font-weight="bold">{escape(title)}</text>',
    ]
    for year in range(first_year, last_year + 1):
        gx = left + year_width * (year - first_year)
        out.append(f'<line x1="{gx}" y1="{top - 10}" x2="{gx}" y2="{height - 100}" stroke="#ddd"/>')
        out.append(f'<text x="{gx + year_width / 2}" y="{top - 16}" font-size="13" '
                   f'text-anchor="middle" fill="#333">{year}</text>')
    marks: dict[str, tuple[float, float]] = {}
    y = top
    for lane in lanes:
        rows = _pack(lane.bars, x)
        lane_top = y
        out.append(f'<text x="{left - 10}" y="{y + 26}" font-size="13" text-anchor="end" '
                   f'fill="#222">{escape(lane.title)}</text>')
        for bar, row in rows:
            by = lane_top + 8 + row * 34
            out += _bar_svg(bar, by, x, colour(bar.colour_key))
            marks[bar.resource] = (x(bar.start[0]), by)
        used = max((row for _, row in rows), default=0) + 1
        y += lane_height + (used - 1) * 34
    for finding in findings:
        where = marks.get(str(finding.get("resource")))
        if not where:
            continue
        fx, fy = where
        fill = SEVERITY_COLOURS.get(finding.get("severity", ""), "#555")
        out.append(f'<g><title>{escape(finding.get("severity", ""))}: '
                   f'{escape(finding.get("message", ""))}</title>'
                   f'<path d="M{fx:.1f},{fy - 2} l-7,-12 h14 z" fill="{fill}" stroke="white"/></g>')
    ly = height - 80
    legend = [
        ("certainly held", "#4e79a7", "0.9", ""),
        ("may have held (imprecise date)", "#4e79a7", "0.35", ""),
        ("inferred by a rule", "url(#hatch)", "0.9", ""),
        ("alternative account (*)", "#4e79a7", "0.3", ' stroke="#4e79a7" stroke-dasharray="4 3"'),
    ]
    lx = left
    for text, fill, opacity, extra_attr in legend:
        out.append(f'<rect x="{lx}" y="{ly}" width="22" height="12" fill="{fill}" '
                   f'fill-opacity="{opacity}"{extra_attr}/>')
        out.append(f'<text x="{lx + 28}" y="{ly + 11}" font-size="12">{escape(text)}</text>')
        lx += 40 + 7 * len(text)
    lx = left
    for severity, fill in SEVERITY_COLOURS.items():
        out.append(f'<path d="M{lx + 8},{ly + 38} l-7,-12 h14 z" fill="{fill}"/>')
        out.append(f'<text x="{lx + 22}" y="{ly + 36}" font-size="12">{severity}</text>')
        lx += 130
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _extent(bar: Bar) -> tuple[dt.date, dt.date]:
    end = bar.end or bar.start
    return bar.start[0], end[1]


def _pack(bars: list[Bar], x) -> list[tuple[Bar, int]]:
    """Give each bar a row so that bars in one row do not overlap (main accounts first)."""
    placed: list[tuple[Bar, int]] = []
    ends: list[float] = []
    for bar in sorted(bars, key=lambda b: (b.alternative, b.start[0], _extent(b)[1])):
        first, last = _extent(bar)
        left_edge, right_edge = x(first), x(last + dt.timedelta(days=1))
        right_edge = max(right_edge, left_edge + 12)
        for row, row_end in enumerate(ends):
            if left_edge >= row_end - 0.5:
                ends[row] = right_edge
                placed.append((bar, row))
                break
        else:
            ends.append(right_edge)
            placed.append((bar, len(ends) - 1))
    return placed


def _bar_svg(bar: Bar, by: float, x, fill: str) -> list[str]:
    start, end = bar.start, bar.end or bar.start
    x0, x1 = x(start[0]), x(end[1] + dt.timedelta(days=1))
    tip = escape(bar.label + (" (inferred)" if bar.inferred else "")
                 + (" (alternative account)" if bar.alternative else ""))
    out = [f"<g><title>{tip}</title>"]
    if start == end and start[0] == start[1]:  # attested on one day: a dot
        out.append(f'<circle cx="{x0:.1f}" cy="{by + 14}" r="6" fill="{fill}" stroke="white"/>')
        out.append(f'<text x="{x0 + 9:.1f}" y="{by + 18}" font-size="11" fill="#333">'
                   f'{escape(bar.label[:24])}</text></g>')
        return out
    dash = ' stroke-dasharray="4 3"' if bar.alternative else ""
    out.append(f'<rect x="{x0:.1f}" y="{by}" width="{max(x1 - x0, 2):.1f}" height="28" '
               f'fill="{fill}" fill-opacity="0.3" stroke="{fill}"{dash} rx="3"/>')
    sure0, sure1 = x(start[1]), x(end[0] + dt.timedelta(days=1))
    if sure1 > sure0 + 1:
        pattern = "url(#hatch)" if bar.inferred else fill
        out.append(f'<rect x="{sure0:.1f}" y="{by}" width="{sure1 - sure0:.1f}" height="28" '
                   f'fill="{pattern}" fill-opacity="{0.5 if bar.alternative else 0.85}" rx="3"/>')
    if bar.end is None:
        out.append(f'<text x="{x1 + 3:.1f}" y="{by + 19}" font-size="11" fill="#666">…?</text>')
    room = int((x1 - x0) / 7.2)
    if room < 4:  # too narrow for its name: write it beside the bar
        out.append(f'<text x="{x1 + 4:.1f}" y="{by + 19}" font-size="11" fill="#333">'
                   f'{escape(bar.label[:24])}</text>')
    if room >= 4:
        text = bar.label if len(bar.label) <= room else bar.label[: room - 1] + "…"
        if bar.alternative:
            text = text[: max(room - 2, 1)] + " *"
        out.append(f'<text x="{(x0 + x1) / 2:.1f}" y="{by + 19}" font-size="12" '
                   f'text-anchor="middle" fill="#111">{escape(text)}</text>')
    out.append("</g>")
    return out


def save(svg: str, path: Path) -> Path:
    """Write SVG, or PNG when the path ends in .png, atomically."""
    path = Path(path)
    if path.suffix.lower() == ".png":
        import cairosvg

        data = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=1.5)
    else:
        data = svg.encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)
    return path
