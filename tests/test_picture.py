"""The roles-over-the-years picture, drawn from the real graph."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ascn_graph import picture

SVG = "{http://www.w3.org/2000/svg}"


def test_svg_shows_every_role_lane(reasoned, project, tmp_path: Path) -> None:
    lanes = picture.collect_lanes(reasoned, project)
    titles = [lane.title for lane in lanes]
    assert titles[:3] == ["ASEAN Chair", "ASCN Chair", "Shepherd"]
    assert "NR: Indonesia" in titles
    svg = picture.draw(lanes, [{"resource": lanes[2].bars[0].resource, "severity": "warning",
                                "message": "two accounts"}])
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(SVG + "text")]
    assert {"2018", "2026", "ASEAN Chair", "Shepherd"} <= set(texts)
    # the inferred 2018 ASCN Chair is hatched, the findings are marked
    assert any(r.get("fill") == "url(#hatch)" for r in root.iter(SVG + "rect"))
    assert any("warning: two accounts" in (t.text or "") for t in root.iter(SVG + "title"))
    out = picture.save(svg, tmp_path / "roles.svg")
    assert out.read_text(encoding="utf-8") == svg


def test_png(reasoned, project, tmp_path: Path) -> None:
    svg = picture.draw(picture.collect_lanes(reasoned, project))
    out = picture.save(svg, tmp_path / "roles.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(tmp_path.glob("*.tmp"))


def test_timeline_command_draws_the_checks_findings(tmp_path: Path) -> None:
    import io

    from ascn_graph.cli import main

    out = io.StringIO()
    target = tmp_path / "roles.svg"
    assert main(["timeline", "--out", str(target)], out) == 0
    root = ET.fromstring(target.read_text(encoding="utf-8"))
    marks = [t.text or "" for t in root.iter(SVG + "title")]
    # the real record's known disagreements about the Shepherd are marked as warnings
    assert any(m.startswith("warning: conflicting-claims") for m in marks)
    texts = {t.text for t in root.iter(SVG + "text")}
    assert {"ASCN Chair", "Shepherd", "NR: Indonesia"} <= texts
    assert main(["timeline", "shepherd", "--out", str(tmp_path / "x.gif")], out) == 2
    assert not (tmp_path / "x.gif").exists()
