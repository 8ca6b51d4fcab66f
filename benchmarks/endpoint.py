"""(c) of benchmarks/run.py: the saved-query mix against ``ascn-graph serve`` and
against an Oxigraph server (``oxigraph serve-read-only``) holding the same data
(``ascn-graph export --inferred``), at several numbers of concurrent clients.

Each saved query is sent as SPARQL text with its default parameters bound by a
VALUES block (as ``--endpoint`` does), by POST ``application/sparql-query``,
asking for JSON results; every client is a thread with its own connections
that cycles through the mix from its own starting point for a fixed time.

>>> percentile([1.0, 2.0, 3.0, 4.0], 50), percentile([1.0, 2.0, 3.0, 4.0], 99)
(2.5, 3.97)
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ACCEPT = "application/sparql-results+json"


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile, linearly interpolated."""
    ordered = sorted(values)
    at = (len(ordered) - 1) * q / 100
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (at - low), 6)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def query_mix(project) -> list[tuple[str, str]]:
    """(name, SPARQL text with the default parameters bound) for every saved query."""
    from ascn_graph.binding import with_values
    from ascn_graph.queries import QueryCatalogue

    return [(q.name, with_values(q.text, q.bind({}))) for q in QueryCatalogue(project)]


def post(url: str, text: str, timeout: float = 60) -> tuple[int, float, bytes]:
    """Status, seconds and body of one query."""
    request = urllib.request.Request(url, data=text.encode(), method="POST", headers={
        "Content-Type": "application/sparql-query", "Accept": ACCEPT})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            body = reply.read()
            status = reply.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    except (urllib.error.URLError, OSError):
        body, status = b"", 0
    return status, time.perf_counter() - start, body


def rows(body: bytes) -> int | None:
    try:
        return len(json.loads(body)["results"]["bindings"])
    except (ValueError, KeyError, TypeError):
        return None


def wait_ready(url: str, timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if post(url, "ASK { ?s ?p ?o }", timeout=5)[0] == 200:
            return True
        time.sleep(0.5)
    return False


def run_load(url: str, mix: list[tuple[str, str]], clients: int, seconds: float) -> dict:
    """Throughput and latency of the mix at ``clients`` concurrent clients."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        i = offset
        while time.perf_counter() < deadline:
            status, took, _ = post(url, mix[i % len(mix)][1])
            with lock:
                (latencies if status == 200 else errors).append(took if status == 200 else status)
            i += 1

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k * 3,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    out = {"clients": clients, "seconds": round(wall, 2), "ok": len(latencies),
           "errors": len(errors), "error_statuses": sorted(set(errors))}
    if latencies:
        out.update(throughput=len(latencies) / wall, p50_ms=1000 * percentile(latencies, 50),
                   p99_ms=1000 * percentile(latencies, 99))
    return out


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            continue
        for kid in kids:
            found += [kid, *_children(kid)]
    return found


def peak_rss_mib(pid: int) -> float:
    """Peak resident memory of a process and its children (VmHWM), in MiB."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def stop(proc: subprocess.Popen) -> None:
    """Stop a server this benchmark started (its own process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()


def measure_server(name: str, url: str, proc: subprocess.Popen, mix, levels, seconds, log) -> dict:
    """The mix at each concurrency level against one running server."""
    answers = {}
    for query, text in mix:
        status, took, body = post(url, text)
        answers[query] = {"status": status, "rows": rows(body), "ms": round(1000 * took, 1)}
    out = {"answers": answers, "levels": []}
    for clients in levels:
        log(f"endpoint: {name}, {clients} client(s), {seconds:.0f} s")
        out["levels"].append(run_load(url, mix, clients, seconds))
    out["peak_mib"] = peak_rss_mib(proc.pid)
    return out


def bench_endpoint(exe: str, real: Path, sources: str, scratch: Path, levels, seconds, log) -> dict:
    """(c): ``ascn-graph serve`` and ``oxigraph serve-read-only`` on the same data."""
    from ascn_graph.project import Project

    mix = query_mix(Project(real, Path(sources)))
    common = ["--root", str(real), "--sources", sources]
    out: dict = {"mix": [name for name, _ in mix], "levels": list(levels), "seconds": seconds}
    # with the reply cache (the default: after the first round the mix is answered from it)
    # and without (--reply-cache-mb 0: every query evaluated by a worker)
    for key, options in (("ascn-graph", []), ("ascn-graph-uncached", ["--reply-cache-mb", "0"])):
        out[key] = _measure_ours(exe, [*common, *options], scratch, mix, levels, seconds, log, key)
    oxigraph = Path(exe).with_name("oxigraph")
    data = scratch / "published.nt"
    store = scratch / "oxigraph-store"
    subprocess.run([exe, "export", "--format", "nt", "--inferred", "--no-void", "--out", str(data),
                    *common], check=True, capture_output=True)
    subprocess.run([str(oxigraph), "load", "--location", str(store), "--file", str(data)],
                   check=True, capture_output=True)
    port = free_port()
    log("endpoint: starting oxigraph serve-read-only")
    oxi = subprocess.Popen([str(oxigraph), "serve-read-only", "--location", str(store), "--bind",
                            f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                           stderr=(scratch / "oxigraph.log").open("wb"), start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/query"
        if not wait_ready(url, 60):
            out["oxigraph"] = {"status": "did not start: " + _tail(scratch / "oxigraph.log")}
        else:
            out["oxigraph"] = measure_server("oxigraph", url, oxi, mix, levels, seconds, log)
    finally:
        stop(oxi)
    out["published_triples"] = sum(1 for _ in data.open(encoding="utf-8"))
    return out


def _measure_ours(exe: str, options: list[str], scratch: Path, mix, levels, seconds, log,
                  name: str) -> dict:
    """Start ``ascn-graph serve`` with ``options``, measure the mix, stop it."""
    port = free_port()
    log(f"endpoint: starting {name} ({' '.join(options[4:]) or 'default options'})")
    ours = subprocess.Popen([exe, "serve", "--port", str(port), "--quiet", *options],
                            stdout=subprocess.DEVNULL, stderr=(scratch / "serve.log").open("wb"),
                            start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/sparql"
        if not wait_ready(url, 300):
            return {"status": "did not start: " + _tail(scratch / "serve.log")}
        _get(f"http://127.0.0.1:{port}/timeline.svg", 300)  # let its start-up work end first
        return measure_server(name, url, ours, mix, levels, seconds, log)
    finally:
        stop(ours)


def _tail(log: Path) -> str:
    lines = log.read_text(errors="replace").strip().splitlines()
    return lines[-1][:200] if lines else "not ready in time"


def _get(url: str, timeout: float) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            reply.read()
            return reply.status
    except (urllib.error.URLError, OSError):
        return 0
