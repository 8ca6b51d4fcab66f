"""The `ascn-graph` command as installed (a real subprocess), its formats and
its errors."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ascn_graph.cli import main, make_parser
from ascn_graph.queries import QueryCatalogue

ROOT = Path(__file__).resolve().parent.parent


def command() -> list[str]:
    found = shutil.which("ascn-graph") or str(Path(sys.executable).parent / "ascn-graph")
    if not Path(found).exists():
        pytest.fail("the ascn-graph console script is not installed (pip install -e .)")
    return [found]


def run(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command() + list(args), capture_output=True, text=True,
                          input=stdin, cwd=ROOT, timeout=600, env=env)


def test_console_script_answers_with_sources() -> None:
    done = run("query", "holders-on-date", "--date", "2024-07-30", "--show-sources")
    assert done.returncode == 0, done.stderr
    shepherd = [line for line in done.stdout.splitlines() if line.startswith("ASCN Shepherd")]
    assert shepherd and "seed 004" in done.stdout


def _capture(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_formats() -> None:
    code, text = _capture("query", "role-timeline", "--role", "ascn:Shepherd", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["holder"] for r in rows} == {"Singapore", "Indonesia"}
    code, text = _capture("query", "role-timeline", "--role", "ascn:Shepherd", "--format", "json",
                          "--show-sources")
    data = json.loads(text)
    assert "sources" in data["head"]["vars"]
    first = data["results"]["bindings"][0]
    assert first["holder"]["type"] == "uri" and first["holder"]["label"] == "Singapore"
    code, text = _capture("query", "role-timeline", "--format", "md", "--lang", "id")
    assert text.startswith("| holder |") and "Singapura" in text or "Singapore" in text


def test_indonesian_labels() -> None:
    code, text = _capture("query", "pilot-cities", "--country", "country:indonesia", "--lang", "id",
                          "--format", "csv")
    assert "calon anggota" in text and "Kabupaten Sumedang" in text


def test_query_parameter_is_not_taken_for_a_global_option() -> None:
    """Regression: `--source` was read as an abbreviation of `--sources`."""
    code, text = _capture("query", "source-claims", "--source", "source:pacis-394", "--format", "csv")
    assert code == 0
    assert "seed 004" not in text and "Sidang Tahunan" not in text
    assert "high" in text


def test_parameter_names_do_not_clash_with_options(project) -> None:
    options = {o.lstrip("-") for a in make_parser()._subparsers._group_actions[0].choices["query"]._actions
               for o in a.option_strings}
    for query in QueryCatalogue(project):
        for spec in query.params:
            assert spec.name not in options, (query.name, spec.name)


def test_console_script_writes_everything_before_it_exits() -> None:
    """The command leaves without tearing the interpreter down (cli.console): what it
    printed is flushed first, so a pipe gets the whole answer, the same as in-process (a
    short answer is the one left in the buffer)."""
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    for args in (("query", "holders-on-date", "--format", "csv"),
                 ("query", "source-claims", "--format", "csv")):
        done = run(*args, env=buffered)
        assert done.returncode == 0, done.stderr
        here = io.StringIO()
        assert main(list(args), out=here) == 0
        assert done.stdout == here.getvalue() and done.stdout.strip()


def test_errors_exit_2_with_one_clear_line() -> None:
    done = run("query", "holders-on-date", "--when", "2024-07-30")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "ascn-graph: error: parameter 'when': unknown; holders-on-date takes: date")
    assert "Traceback" not in done.stderr


def test_sparql_from_stdin_and_refusals() -> None:
    query = ("PREFIX ascn: <https://w3id.org/ascn-graph/ontology#> "
             "SELECT (COUNT(?d) AS ?n) WHERE { ?d a ascn:Disagreement }")
    done = run("sparql", "--format", "csv", stdin=query)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.splitlines()[1]) >= 15
    done = run("sparql", stdin="SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert done.returncode == 2 and "SERVICE" in done.stderr
    done = run("sparql", stdin="DELETE WHERE { ?s ?p ?o }")
    assert done.returncode == 2 and "read-only" in done.stderr


def test_validate_and_reason_commands() -> None:
    done = run("validate")
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().endswith("validate: valid")
    done = run("reason")
    assert done.returncode == 0, done.stderr
    assert "consistent" in done.stdout and "ascn-chair-from-asean-chair" in done.stdout


def test_explain_unknown_resource() -> None:
    code, _ = _capture("explain", "tenure:no-such-tenure")
    assert code == 2
