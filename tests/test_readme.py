"""The README's examples are real: each `$ ascn-graph ...` block shows what
the command prints today (refresh them with tools/readme_examples.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import readme_examples  # noqa: E402

EXAMPLES = readme_examples.examples(readme_examples.README.read_text(encoding="utf-8"))


def test_readme_starts_with_the_two_commands() -> None:
    text = readme_examples.README.read_text(encoding="utf-8")
    blocks = [b for b in text.split("```sh\n")[1:3]]
    assert blocks[0].startswith("python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && ")
    assert blocks[1].startswith(".venv/bin/python -m pytest")
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("command,recorded", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_example_output_is_current(command: str, recorded: str) -> None:
    assert readme_examples.run(command) == recorded


def test_readme_lists_every_continuity_check() -> None:
    text = readme_examples.README.read_text(encoding="utf-8")
    for path in sorted((readme_examples.ROOT / "queries" / "continuity").glob("*-violation.rq")):
        name = path.stem.removesuffix("-violation")
        assert f"| `{name}` |" in text, f"README's table of checks lacks {name}"
