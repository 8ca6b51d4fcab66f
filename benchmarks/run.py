"""Benchmarks of issue 6, measured side by side in one run; writes benchmarks/RESULTS.md,
benchmarks/results.json and benchmarks/cost-vs-size.svg.

    python benchmarks/run.py                 # (a)-(d) and the saved queries, sizes 1k, 10k, 100k
    python benchmarks/run.py --large         # and 1M
    python benchmarks/run.py --sizes 1000 --reps 2 --no-endpoint   # a quick look

(a) ``ascn-graph query`` on the real graph: warm (cache present) and cold (what a
    change to ontology/ or data/ makes stale removed; fast engine, the default, also
    with no cache at all, and ``ASCN_ENGINE=plain``), against
    ``python -c "import rdflib"``; and where a warm query's time goes.
(b) the full build (parse, validate, reason, view) on synthetic graphs
    (benchmarks/generate.py) at each size, fast and plain engine, against a
    plain owlrl closure and the ``reasonable`` package where it is installed
    (an optional extra, never a dependency).
(c) ``ascn-graph serve`` and ``oxigraph serve-read-only`` on the same data:
    the saved-query mix at 1, 4 and 16 clients (benchmarks/endpoint.py).
(d) the peak memory of every step.
And every saved query on the synthetic graphs at 10k and 100k with a time cap,
to catch a query gone quadratic.

Every step runs in its own process (benchmarks/steps.py) with a time limit
and an address-space limit: a runaway step is recorded as timed out or
failed, never hangs the run. Synthetic data and copies of the real project
live in a scratch folder, never under data/.

>>> median_of([3.0, 1.0, 2.0])
2.0
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks import report  # noqa: E402

DEFAULT_SIZES = (1_000, 10_000, 100_000)
LARGE = 1_000_000
QUERIES = (("holders-on-date", []), ("role-timeline", ["--role", "ascn:Shepherd"]))
STEPS = HERE / "steps.py"


def median_of(values: list[float]) -> float:
    return statistics.median(values)


def measure(argv: list[str], timeout: float, memory_gib: float, env: dict | None = None) -> dict:
    """Run ``argv`` in a new process group: wall time, peak RSS (MiB), status, stdout."""
    limit = int(memory_gib * 1024 ** 3)

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=out, stderr=err, env={**os.environ, **(env or {})},
                            start_new_session=True, preexec_fn=limits)
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - start > timeout:
            os.killpg(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            timed_out = True
            break
        time.sleep(0.02)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    err.seek(0)
    stderr = err.read().decode(errors="replace")
    out.seek(0)
    stdout = out.read().decode(errors="replace")
    out.close()
    err.close()
    result = {"wall": wall, "peak_mib": usage.ru_maxrss / 1024, "exit": code,
              "stdout": stdout, "stderr": stderr[-2000:]}
    if timed_out:
        result["status"] = f"timed out after {timeout:.0f} s"
    elif code != 0:
        last = stderr.strip().splitlines()[-1:] or [f"exit {code}"]
        result["status"] = f"failed ({last[0][:160]})"
    else:
        result["status"] = "ok"
    return result


def step(kind: str, args: list[str], timeout: float, memory_gib: float, env: dict | None = None) -> dict:
    """One step of benchmarks/steps.py in its own process; its JSON report merged in."""
    result = measure([sys.executable, str(STEPS), kind, *args], timeout, memory_gib, env)
    if result["status"] == "ok":
        try:
            result.update(json.loads(result["stdout"].strip().splitlines()[-1]))
        except (ValueError, IndexError):
            result["status"] = "failed (no report)"
    result.pop("stdout", None)
    if result["status"] == "ok":
        result.pop("stderr", None)
    return result


def median_runs(argv: list[str], reps: int, timeout: float, memory_gib: float,
                before=None, env: dict | None = None) -> dict:
    """Run a command ``reps`` times: the median wall time, the largest peak memory, the runs."""
    runs = []
    for _ in range(reps):
        if before:
            before()
        runs.append(measure(argv, timeout, memory_gib, env))
    ok = [r for r in runs if r["status"] == "ok"]
    summary = {"runs": [round(r["wall"], 3) for r in runs], "status": "ok" if ok else runs[-1]["status"],
               "output_sha256": sorted({hashlib.sha256(r["stdout"].encode()).hexdigest()[:16] for r in ok})}
    if ok:
        summary["median"] = median_of([r["wall"] for r in ok])
        summary["peak_mib"] = max(r["peak_mib"] for r in ok)
    return summary


def machine() -> dict:
    """Date, machine and versions, for the report."""
    from importlib import metadata

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), cpu)
    with open("/proc/meminfo", encoding="utf-8") as handle:
        total = next(int(line.split()[1]) for line in handle if line.startswith("MemTotal"))

    def git(*argv: str) -> str:
        return subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
        "memory_gib": round(total / 1024 ** 2, 1), "cpu": cpu,
        "python": platform.python_version(), "platform": platform.platform(),
        "packages": {n: version(n) for n in ("ascn-graph", "rdflib", "owlrl", "pyshacl", "oxigraph",
                                             "pyoxigraph", "reasonable")},
        "commit": git("rev-parse", "--short", "HEAD")
        + (" (other engineers' uncommitted files present)" if git("status", "--porcelain") else ""),
        "load_start": os.getloadavg(),
    }


def copy_real_project(scratch: Path) -> Path:
    """ontology/, data/ and queries/ of this checkout in a scratch folder (its own .cache)."""
    target = scratch / "real"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for part in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / part, target / part)
    return target


def bench_queries(args, exe: str, real: Path, sources: str, log) -> dict:
    """(a): the command on the real graph, warm and cold, against the floor."""
    out: dict = {"queries": {}}
    log("floor: python -c 'import rdflib'")
    out["floor"] = median_runs([sys.executable, "-c", "import rdflib"], args.reps, 60, args.memory)

    def no_cache() -> None:
        """What a change to ontology/ or data/ makes stale: the reasoned graph and its
        store (the parsed rules stay: they depend on queries/rules/ only)."""
        for stale in (*(real / ".cache").glob("reasoned-*"), *(real / ".cache").glob("oxigraph-*")):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)

    def no_cache_at_all() -> None:
        shutil.rmtree(real / ".cache", ignore_errors=True)

    for k, (name, params) in enumerate(QUERIES):
        argv = [exe, "query", name, *params, "--root", str(real), "--sources", sources]
        entry: dict = {}
        if k == 0:
            log(f"query {name}: cold, plain path (ASCN_ENGINE=plain)")
            entry["cold_plain"] = median_runs(argv, 1, args.plain_timeout, args.memory, before=no_cache,
                                              env={"ASCN_ENGINE": "plain"})
            log(f"query {name}: cold, fast path, rules changed too (no cache at all)")
            entry["cold_all"] = median_runs(argv, args.cold_reps, args.timeout, args.memory,
                                            before=no_cache_at_all)
        log(f"query {name}: cold, fast path (the default)")
        entry["cold"] = median_runs(argv, args.cold_reps, args.timeout, args.memory, before=no_cache)
        log(f"query {name}: warm")
        entry["warm"] = median_runs(argv, args.reps, args.timeout, args.memory)
        hashes = {h for key in ("cold", "cold_plain", "warm") for h in entry.get(key, {}).get("output_sha256", [])}
        entry["same_output"] = len(hashes) == 1
        out["queries"][name] = entry
    log("where a warm query's time goes")
    out["warm_parts"] = step("warm-parts", ["--root", str(real), "--sources", sources],
                             args.timeout, args.memory)
    log("full build of the real graph, fast path")
    out["real_build"] = step("build", ["--root", str(real), "--sources", sources, "--engine", "fast"],
                             args.timeout, args.memory)
    return out


def bench_sizes(args, scratch: Path, log, previous: list[dict] | None = None) -> list[dict]:
    """(b) and (d): the build at each size, fast and plain, owlrl alone, reasonable."""
    from benchmarks.generate import write_project

    rows = []
    earlier = {r["target"]: r for r in (previous or [])}
    for size in args.sizes:
        folder = scratch / f"synthetic-{size}"
        row: dict = earlier.get(size, {})
        if not (folder / "data").is_dir() or not row:
            synthetic = write_project(folder, size, args.seed)
            row.update(target=size, data_triples=synthetic.triples, years=synthetic.years,
                       countries=synthetic.countries)
        common = ["--root", str(folder), "--sources", str(folder / "sources")]
        big = args.large_timeout if size >= LARGE else None
        for name, kind, extra, timeout in (
                ("fast", "build", ["--engine", "fast"], big or args.timeout),
                ("plain", "build", ["--engine", "plain"], big or args.plain_timeout),
                ("owlrl", "owlrl", [], big or args.plain_timeout),
                ("fast-closure", "fast-closure", [], big or args.timeout),
                ("reasonable", "reasonable", [], big or args.timeout)):
            if name in args.skip or (args.only and name not in args.only):
                row.setdefault(name, {"status": "skipped"})
                continue
            log(f"{size:,}: {name}")
            row[name] = step(kind, [*common, *extra], timeout, args.memory)
            log(f"{size:,}: {name} {row[name]['status']} {row[name]['wall']:.1f} s")
        row["load"] = os.getloadavg()
        rows.append(row)
    return rows


def bench_saved(args, scratch: Path, log) -> dict:
    """Every saved query on the synthetic graphs at 10k and 100k (those generated)."""
    out = {}
    for size in (s for s in args.sizes if s in (10_000, 100_000)):
        folder = scratch / f"synthetic-{size}"
        log(f"{size:,}: every saved query (cap {args.query_cap:.0f} s each)")
        out[str(size)] = step("saved-queries", ["--root", str(folder), "--sources", str(folder / "sources"),
                                                "--synthetic", "--cap", str(args.query_cap)],
                              args.timeout + 20 * args.query_cap, args.memory)
    return out


def write(args, data: dict) -> None:
    Path(args.json).write_text(json.dumps(data, indent=1, default=str) + "\n", encoding="utf-8")


def render(args, data: dict) -> str:
    info = data["machine"]
    lines = report.header(info, args)
    q_targets: dict = {}
    if data.get("queries"):
        part, q_targets = report.section_queries(data["queries"])
        lines += part
        rb = data["queries"].get("real_build", {})
        if rb.get("status") == "ok":
            lines += [f"Full build of the real graph ({rb['asserted']:,} asserted triples), fast path: "
                      f"{report.fmt(rb['build'])} (parse {rb['parse']:.2f}, validate {rb['validate']:.2f}, "
                      f"reason {rb['reason']:.2f}, view {rb['view']:.2f}, store {rb.get('store', 0):.2f}, "
                      f"continuity checks {rb.get('checks', 0):.2f}); the cold plain query above is "
                      "the plain path's build plus the query.", ""]
    part, e_targets = report.section_endpoint(data.get("endpoint"))
    lines = lines + report.section_sizes(data.get("sizes", [])) + part
    lines += report.section_memory(data.get("sizes", []), data.get("endpoint"))
    lines += report.section_saved(data.get("saved"))
    lines += [f"## Cost against graph size\n\n![cost against graph size, log-log]({Path(args.plot).name})\n"]
    lines += report.section_targets(q_targets, data.get("sizes", []),
                                    (data.get("queries") or {}).get("real_build"), e_targets)
    if Path(args.notes).exists():
        lines += [Path(args.notes).read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks of issue 6 (see the module docstring).")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=list(DEFAULT_SIZES))
    parser.add_argument("--large", action="store_true", help="also 1M triples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=5, help="runs of the floor and the warm query")
    parser.add_argument("--cold-reps", type=int, default=3, help="runs of the cold query (fast path)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per step")
    parser.add_argument("--plain-timeout", type=float, default=900, help="seconds per plain/owlrl step")
    parser.add_argument("--large-timeout", type=float, default=1800, help="seconds per step at 1M")
    parser.add_argument("--memory", type=float, default=12, help="GiB of address space per step")
    parser.add_argument("--query-cap", type=float, default=60, help="seconds per saved query")
    parser.add_argument("--levels", type=lambda s: [int(x) for x in s.split(",")], default=[1, 4, 16])
    parser.add_argument("--load-seconds", type=float, default=10, help="per concurrency level")
    parser.add_argument("--skip", type=lambda s: s.split(","), default=[],
                        help="comma-separated: fast,plain,owlrl,reasonable")
    parser.add_argument("--no-queries", action="store_true", help="skip (a)")
    parser.add_argument("--no-endpoint", action="store_true", help="skip (c)")
    parser.add_argument("--scratch", help="scratch folder (default: a new one under /tmp)")
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"))
    parser.add_argument("--json", default=str(HERE / "results.json"))
    parser.add_argument("--plot", default=str(HERE / "cost-vs-size.svg"))
    parser.add_argument("--notes", default=str(HERE / "NOTES.md"),
                        help="hand-written findings appended to the report, if the file exists")
    parser.add_argument("--only", type=lambda s: s.split(","), default=[],
                        help="run only these size steps (fast,plain,owlrl,fast-closure,reasonable) and "
                             "merge them into the results.json of an earlier run (same --scratch)")
    parser.add_argument("--render-only", action="store_true", help="rewrite RESULTS.md from results.json")
    args = parser.parse_args(argv)
    if args.render_only or args.only:
        return rerun(args)
    if args.large and LARGE not in args.sizes:
        args.sizes.append(LARGE)
    scratch = Path(args.scratch or tempfile.mkdtemp(prefix="ascn-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {message}", flush=True)

    from ascn_graph.project import Project

    data: dict = {"machine": machine()}
    exe = shutil.which("ascn-graph", path=str(Path(sys.executable).parent)) or "ascn-graph"
    real = copy_real_project(scratch)
    sources = str(Project.default(ROOT).sources_dir())
    if not args.no_queries:
        data["queries"] = bench_queries(args, exe, real, sources, log)
        write(args, data)
    if not args.no_endpoint:
        from benchmarks.endpoint import bench_endpoint

        data["endpoint"] = bench_endpoint(exe, real, sources, scratch, args.levels, args.load_seconds, log)
        write(args, data)
    data["sizes"] = bench_sizes(args, scratch, log)
    write(args, data)
    data["saved"] = bench_saved(args, scratch, log)
    data["machine"]["load_end"] = os.getloadavg()
    write(args, data)
    Path(args.plot).write_text(report.plot_svg(report.size_series(data["sizes"])), encoding="utf-8")
    Path(args.out).write_text(render(args, data), encoding="utf-8")
    log(f"wrote {args.out}, {args.json}, {args.plot}; scratch in {scratch}")
    return 0


def rerun(args) -> int:
    """Re-render, or run some size steps again, from an earlier run's results.json."""
    data = json.loads(Path(args.json).read_text(encoding="utf-8"))
    if args.only:
        scratch = Path(args.scratch or "/nonexistent")
        fresh = bench_sizes(args, scratch, lambda m: print(m, flush=True), data.get("sizes"))
        kept = [r for r in data.get("sizes", []) if r["target"] not in {f["target"] for f in fresh}]
        data["sizes"] = sorted(kept + fresh, key=lambda r: r["target"])  # other sizes stay
        write(args, data)
    Path(args.plot).write_text(report.plot_svg(report.size_series(data["sizes"])), encoding="utf-8")
    Path(args.out).write_text(render(args, data), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
