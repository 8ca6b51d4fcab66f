"""Refresh the example outputs in README.md: every ```console block that
starts with `$ ascn-graph ...` gets the command's real output.

    python tools/readme_examples.py            # rewrite README.md in place
    python tools/readme_examples.py --check    # exit 1 if any output is stale

tests/test_readme.py runs the same comparison.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n\$ (ascn-graph [^\n]*)\n(.*?)```", re.S)


def run(command: str) -> str:
    """The output a user sees for one `ascn-graph ...` command line."""
    from ascn_graph.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        main(shlex.split(command)[1:], out=out)
    return out.getvalue() + err.getvalue()


def examples(text: str) -> list[tuple[str, str]]:
    """(command, recorded output) for every console block."""
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(text)]


def refresh(text: str) -> str:
    return BLOCK.sub(lambda m: f"```console\n$ {m.group(1)}\n{run(m.group(1))}```", text)


if __name__ == "__main__":
    original = README.read_text(encoding="utf-8")
    updated = refresh(original)
    if "--check" in sys.argv:
        sys.exit(0 if updated == original else 1)
    README.write_text(updated, encoding="utf-8")
