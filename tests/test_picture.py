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
