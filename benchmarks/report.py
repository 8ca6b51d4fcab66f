"""benchmarks/RESULTS.md and the log-log plot of cost against size (plain SVG),
from the numbers benchmarks/run.py collected.

>>> fmt(0.1234), fmt(123.4), fmt(None)
('0.12 s', '123 s', '–')
>>> ratio(3.0, 2.0)
'1.5×'
>>> "<polyline" in plot_svg({"build": [(1000, 2.0), (10000, 9.0)]})
True
"""

from __future__ import annotations

import math


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def cell(entry: dict, key: str = "wall") -> str:
    """A time, or why there is none."""
    if not entry or entry.get("status") != "ok":
        return (entry or {}).get("status", "not run")
    return fmt(entry.get(key))


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a and b else "–"


def mib(entry: dict) -> str:
    return f"{entry['peak_mib']:.0f}" if entry and entry.get("peak_mib") else "–"


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("**met**" if ok else "**not met**")


def header(info: dict, args) -> list[str]:
    return ["# Benchmarks (issue 6)", "",
            "Written by `benchmarks/run.py`; do not edit by hand. Raw numbers: "
            "`benchmarks/results.json`.", "",
            f"- Date: {info['date']}; commit {info['commit']}",
            f"- Machine: {info['nproc']} CPUs (`nproc`), {info['memory_gib']} GiB memory, "
            f"CPU model `{info['cpu']}`; {info['platform']}",
            f"- Python {info['python']}; " + ", ".join(f"{k} {v}" for k, v in info["packages"].items()),
            f"- Load average at the start {tuple(round(x, 2) for x in info['load_start'])}, at the end "
            f"{tuple(round(x, 2) for x in info.get('load_end', info['load_start']))}: other engineers ran "
            "tests on this machine at the same time, which slows every step alike; the ratios are the "
            "robust part.",
            f"- Every step ran in its own process with a time limit ({args.timeout:.0f} s; "
            f"{args.plain_timeout:.0f} s for the plain path and owlrl) and a {args.memory:g} GiB "
            "address-space limit; times are wall-clock, memory is the peak resident set of that process "
            "(`wait4`). Repetitions: " f"{args.reps} (floor, warm), {args.cold_reps} (cold, fast), 1 (cold, plain).",
            ""]


def section_queries(q: dict) -> tuple[list[str], dict]:
    floor = q["floor"].get("median")
    lines = ["## (a) `ascn-graph query` on the real graph", "",
             f"Floor: `python -c \"import rdflib\"` {fmt(floor)} (median of {len(q['floor']['runs'])}).", "",
             "| query | warm (cache) | cold, fast (default) | cold, fast, no cache at all "
             "| cold, plain (`ASCN_ENGINE=plain`) "
             "| warm / floor | peak MiB warm / cold fast / cold plain | same output |",
             "|---|---|---|---|---|---|---|---|"]
    targets: dict = {}
    for name, e in q["queries"].items():
        w, c, p = e["warm"], e["cold"], e.get("cold_plain", {})
        a = e.get("cold_all", {})
        lines.append(f"| {name} | {fmt(w.get('median'))} | {fmt(c.get('median'))} "
                     f"| {fmt(a.get('median')) if a else 'not run'} "
                     f"| {fmt(p.get('median')) if p else 'not run'} | {ratio(w.get('median'), floor)} "
                     f"| {mib(w)} / {mib(c)} / {mib(p)} | {'yes' if e['same_output'] else 'NO'} |")
        if w.get("median") and floor:
            targets.setdefault("warm", []).append(w["median"] / floor)
        if c.get("median"):
            targets.setdefault("cold", []).append(c["median"])
    lines += ["", "Cold (the issue's \"first run after a change to ontology/ or data/\"): what such a "
              "change makes stale (the reasoned graph and its Oxigraph store) is removed before each "
              "run, so the run parses, reasons, stores the cache and answers; the parsed rules, which "
              "depend on queries/rules/ only, stay. No cache at all: the whole cache folder is removed "
              "(the rules are parsed too). Warm: the cache is there.", ""]
    parts = q.get("warm_parts", {})
    if parts.get("status") == "ok":
        lines += ["Where a warm query's time goes (in one process; Python's own start-up, about the "
                  "floor minus `import rdflib`, comes on top):", "", "| part | seconds |", "|---|---|"]
        lines += [f"| {k} | {v:.3f} |" for k, v in parts["parts"].items()]
        lines += ["", f"Modules loaded: {parts['modules']}; of the heavy ones: "
                  f"{', '.join(parts['heavy_modules']) or 'none'}.", ""]
    return lines, targets


def section_sizes(rows: list[dict]) -> list[str]:
    lines = ["## (b) Full build by size: fast and plain path, owlrl alone, reasonable", "",
             "Synthetic graphs from `benchmarks/generate.py` plus the real ontology. Build = parse + "
             "validate (SHACL, violation queries, quotes) + reason (rules and OWL 2 RL to a fixpoint) + "
             "merged view. owlrl = one plain `DeductiveClosure(OWLRL_Semantics)` of the same graph "
             "(parse not included); fast engine = `fastpath.owl_rl_closure` of the same graph, the same "
             "entailments (tests/test_fastpath.py; parse not included); reasonable = `PyReasoner.from_graph` + `reason()` (parse not "
             "included).", "",
             "| target | asserted triples | build, fast | build, plain | reason, fast | reason, plain "
             "| OWL 2 RL closure: owlrl | OWL 2 RL closure: fast engine | reasonable "
             "| owlrl / fast closure | owlrl / fast build | same entailments |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        p, f, o, z = r["plain"], r["fast"], r["owlrl"], r["reasonable"]
        c = r.get("fast-closure", {})
        asserted = f.get("asserted") or p.get("asserted") or o.get("asserted")
        same = "–"
        if p.get("status") == "ok" and f.get("status") == "ok":
            same = "yes" if (p["inferred_digest"] == f["inferred_digest"] and p["errors"] == f["errors"]) else "NO"
        lines.append(
            f"| {r['target']:,} | {f'{asserted:,}' if asserted else '–'} | {cell(f, 'build')} "
            f"| {cell(p, 'build')} | {cell(f, 'reason')} | {cell(p, 'reason')} | {cell(o, 'closure')} "
            f"| {cell(c, 'closure')} | {cell(z, 'closure')} | {ratio(o.get('closure'), c.get('closure'))} "
            f"| {ratio(o.get('closure'), f.get('build'))} | {same} |")
    lines += ["", "Phases (seconds):", "",
              "| target | path | parse | SHACL | violation queries | quotes | reason | view | store "
              "| continuity checks | rounds | inferred |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        for name in ("fast", "plain"):
            e = r[name]
            if e.get("status") != "ok":
                lines.append(f"| {r['target']:,} | {name} | {e.get('status')} | | | | | | | | | |")
                continue
            lines.append(f"| {r['target']:,} | {name} | {e['parse']:.2f} | {e.get('shapes', 0):.2f} "
                         f"| {e.get('violation_queries', 0):.2f} | {e.get('quotes', 0):.2f} "
                         f"| {e['reason']:.2f} | {e['view']:.2f} | {e.get('store', 0):.2f} "
                         f"| {e.get('checks', 0):.2f} | {e['rounds']} | {e['inferred']:,} |")
    lines += ["", "owlrl and reasonable on the same graph (triples after the closure, and how many "
              "`rdf:type` triples name an `ascn:` class):", "",
              "| target | owlrl: triples | owlrl: ascn: types | fast closure: triples | fast closure: "
              "ascn: types | reasonable: triples | reasonable: ascn: types | reasonable |",
              "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        o, z, c = r["owlrl"], r["reasonable"], r.get("fast-closure", {})
        lines.append(f"| {r['target']:,} | {o.get('closure_triples', '–')} | {o.get('ascn_types', '–')} "
                     f"| {c.get('closure_triples', '–')} | {c.get('ascn_types', '–')} "
                     f"| {z.get('closure_triples', '–')} "
                     f"| {z.get('ascn_types', '–')} | {z.get('status')} |")
    return lines + [""]


def section_memory(rows: list[dict], endpoint: dict | None) -> list[str]:
    lines = ["## (d) Peak memory (MiB, resident)", "",
             "| target | build, fast | build, plain | owlrl | fast closure | reasonable |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {r['target']:,} | {mib(r['fast'])} | {mib(r['plain'])} | {mib(r['owlrl'])} "
              f"| {mib(r.get('fast-closure', {}))} | {mib(r['reasonable'])} |" for r in rows]
    if endpoint:
        lines += ["", "Servers after the load (the process and its children): "
                  f"ascn-graph serve {mib(endpoint.get('ascn-graph', {}))} MiB, "
                  f"oxigraph {mib(endpoint.get('oxigraph', {}))} MiB."]
    return lines + [""]


def section_endpoint(e: dict | None) -> tuple[list[str], dict]:
    if not e:
        return ["## (c) The SPARQL endpoint: not measured in this run", ""], {}
    lines = ["## (c) The SPARQL endpoint: saved-query mix", "",
             f"The {len(e['mix'])} saved queries with their default parameters (VALUES-bound, as "
             f"`--endpoint` sends them), POSTed as `application/sparql-query` for JSON results, each "
             f"client cycling through the mix for {e['seconds']:.0f} s. Same data in both: "
             f"`ascn-graph export --inferred` ({e.get('published_triples', '?')} triples) loaded into "
             "`oxigraph serve-read-only`; `ascn-graph serve` with its defaults (4 query workers, "
             "reply cache on: after each client's first round, the mix is answered from it), and "
             "`ascn-graph serve --reply-cache-mb 0` (every query evaluated by a worker).", "",
             "| server | clients | queries answered | errors | throughput (q/s) | p50 ms | p99 ms |",
             "|---|---|---|---|---|---|---|"]
    targets: dict = {}
    for name in ("ascn-graph", "ascn-graph-uncached", "oxigraph"):
        s = e.get(name, {})
        if name not in e:
            continue
        if "levels" not in s:
            lines.append(f"| {name} | – | {s.get('status', 'not run')} | | | | |")
            continue
        for lv in s["levels"]:
            lines.append(f"| {name} | {lv['clients']} | {lv['ok']} | {lv['errors']} "
                         f"| {lv.get('throughput', 0):.1f} | {lv.get('p50_ms', 0):.0f} "
                         f"| {lv.get('p99_ms', 0):.0f} |")
    ours, oxi = e.get("ascn-graph", {}), e.get("oxigraph", {})
    if "levels" in ours and "levels" in oxi:
        ratios = [a.get("throughput", 0) / b["throughput"] for a, b in zip(ours["levels"], oxi["levels"], strict=True)
                  if b.get("throughput")]
        targets["throughput"] = min(ratios) if ratios else None
        targets["p99_16"] = next((lv.get("p99_ms") for lv in ours["levels"] if lv["clients"] == 16), None)
        uncached = e.get("ascn-graph-uncached", {})
        if "levels" in uncached:
            ratios = [a.get("throughput", 0) / b["throughput"]
                      for a, b in zip(uncached["levels"], oxi["levels"], strict=True) if b.get("throughput")]
            targets["throughput_uncached"] = min(ratios) if ratios else None
            targets["p99_16_uncached"] = next((lv.get("p99_ms") for lv in uncached["levels"]
                                               if lv["clients"] == 16), None)
        lines += ["", "Rows per query (ascn-graph / oxigraph; a difference is a difference in what the "
                  "engines answer, e.g. rdflib and Oxigraph disagreeing on a query):", "",
                  "| query | ascn-graph rows | oxigraph rows | ascn-graph ms (alone) | oxigraph ms (alone) |",
                  "|---|---|---|---|---|"]
        for q in e["mix"]:
            a, b = ours["answers"].get(q, {}), oxi["answers"].get(q, {})
            lines.append(f"| {q} | {a.get('rows', a.get('status'))} | {b.get('rows', b.get('status'))} "
                         f"| {a.get('ms')} | {b.get('ms')} |")
    return lines + [""], targets


def section_saved(saved: dict | None) -> list[str]:
    if not saved:
        return []
    sizes = sorted(saved, key=int)
    lines = ["## Saved queries as the graph grows (a query gone quadratic shows here)", "",
             "Every saved query on the synthetic graphs (built through the cache, fast engine), with "
             "parameters naming synthetic things, each with a time cap. Growth exponent: "
             "log(time ratio) / log(size ratio) between the two sizes (1 = linear, 2 = quadratic; "
             "noisy for queries that take milliseconds).", "",
             "| query | " + " | ".join(f"{int(s):,}: s (rows)" for s in sizes) + " | growth exponent |",
             "|---|" + "---|" * len(sizes) + "---|"]
    names = sorted({q for s in sizes for q in saved[s].get("queries", {})})
    for q in names:
        cells, times = [], []
        for s in sizes:
            e = saved[s].get("queries", {}).get(q, {})
            if e.get("status") == "ok":
                cells.append(f"{e['seconds']:.3f} ({e['rows']})")
                times.append(e["seconds"])
            else:
                cells.append(e.get("status", saved[s].get("status", "–")))
                times.append(None)
        exp = "–"
        if len(sizes) >= 2 and times[0] and times[-1] and times[0] > 0.001:
            sa = saved[sizes[0]].get("view_triples") or int(sizes[0])
            sb = saved[sizes[-1]].get("view_triples") or int(sizes[-1])
            exp = f"{math.log(times[-1] / times[0]) / math.log(sb / sa):.2f}"
        lines.append(f"| {q} | " + " | ".join(cells) + f" | {exp} |")
    return lines + [""]


def section_targets(q_targets: dict, rows: list[dict], real_build: dict | None, e_targets: dict) -> list[str]:
    warm = max(q_targets.get("warm", []), default=None)
    cold = max(q_targets.get("cold", []), default=None)
    hundred = next((r for r in rows if r["target"] == 100_000), {})
    owl = hundred.get("owlrl", {}).get("closure")

    def over(entry: dict, key: str) -> float | None:
        return owl / entry[key] if owl and entry.get(key) else None

    speedup = over(hundred.get("fast", {}), "build")
    reason = over(hundred.get("fast", {}), "reason")
    closure = over(hundred.get("fast-closure", {}), "closure")
    build = (real_build or {}).get("build")
    lines = ["## Targets of issue 6", "",
             "| target | measured | |", "|---|---|---|",
             f"| warm query ≤ 1.5× `import rdflib` | {f'{warm:.1f}×' if warm else '–'} "
             f"| {verdict(warm <= 1.5 if warm else None)} |",
             f"| cold query ≤ 3 s | {fmt(cold)} | {verdict(cold <= 3 if cold else None)} |",
             f"| full build on the real graph ≤ 2 s (fast path) | {fmt(build)} "
             f"| {verdict(build <= 2 if build else None)} |",
             f"| at 100k: ≥ 10× faster than a plain owlrl closure: the full build (validation "
             f"included) | {f'{speedup:.1f}×' if speedup else '–'} | {verdict(speedup >= 10 if speedup else None)} |",
             f"| … reasoning alone (rules and closure to a fixpoint) | {f'{reason:.1f}×' if reason else '–'} "
             f"| {verdict(reason >= 10 if reason else None)} |",
             f"| … the OWL 2 RL closure alone (same entailments) | {f'{closure:.1f}×' if closure else '–'} "
             f"| {verdict(closure >= 10 if closure else None)} |"]
    tp, p99 = e_targets.get("throughput"), e_targets.get("p99_16")
    tpu, p99u = e_targets.get("throughput_uncached"), e_targets.get("p99_16_uncached")
    lines += [f"| endpoint throughput ≥ ½ Oxigraph's (worst level) | {f'{tp:.2f}×' if tp else '–'} "
              f"| {verdict(tp >= 0.5 if tp else None)} |",
              f"| endpoint p99 < 50 ms at 16 clients | {f'{p99:.0f} ms' if p99 else '–'} "
              f"| {verdict(p99 < 50 if p99 else None)} |",
              f"| … the same two without the reply cache (`--reply-cache-mb 0`) "
              f"| {f'{tpu:.2f}×' if tpu else '–'}, {f'{p99u:.0f} ms' if p99u else '–'} "
              f"| {verdict((tpu >= 0.5 and p99u < 50) if tpu and p99u else None)} |", ""]
    return lines


def plot_svg(series: dict[str, list[tuple[float, float]]]) -> str:
    """A log-log line chart, hand-written SVG (no plotting library needed)."""
    series = {k: [(x, y) for x, y in v if x and y] for k, v in series.items()}
    points = [p for v in series.values() for p in v]
    if not points:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n'
    lx = [math.log10(x) for x, _ in points]
    ly = [math.log10(y) for _, y in points]
    x0, x1 = math.floor(min(lx)), math.ceil(max(lx))
    y0, y1 = math.floor(min(ly)), math.ceil(max(ly))
    W, H, L, R, T, B = 760, 470, 70, 220, 40, 50

    def px(x: float, y: float) -> tuple[float, float]:
        return (L + (math.log10(x) - x0) / max(x1 - x0, 1) * (W - L - R),
                H - B - (math.log10(y) - y0) / max(y1 - y0, 1) * (H - T - B))

    colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           'font-family="sans-serif" font-size="11">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{(W - R + L) / 2}" y="22" text-anchor="middle" font-size="13">'
           'ascn-graph: cost against graph size (log-log)</text>']
    for k in range(x0, x1 + 1):
        x, _ = px(10 ** k, 10 ** y0)
        out.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{H - B}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{H - B + 15}" text-anchor="middle">{10 ** k:,}</text>')
    for k in range(y0, y1 + 1):
        _, y = px(10 ** x0, 10 ** k)
        label = f"{10.0 ** k:g} s"
        out.append(f'<line x1="{L}" y1="{y:.1f}" x2="{W - R}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    for k, (name, pts) in enumerate(series.items()):
        if not pts:
            continue
        c = colours[k % len(colours)]
        xy = [px(x, y) for x, y in sorted(pts)]
        out.append(f'<polyline fill="none" stroke="{c}" stroke-width="2" points="'
                   + " ".join(f"{a:.1f},{b:.1f}" for a, b in xy) + '"/>')
        out += [f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{c}"/>' for a, b in xy]
        out.append(f'<text x="{W - R + 12}" y="{T + 16 * k + 10}" fill="{c}">{name}</text>')
    out.append(f'<text x="{(W - R + L) / 2}" y="{H - 12}" text-anchor="middle">'
               'asserted triples (synthetic data + ontology)</text>')
    out.append(f'<text x="16" y="{H / 2}" transform="rotate(-90 16 {H / 2})" '
               'text-anchor="middle">wall time (s)</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def size_series(rows: list[dict]) -> dict[str, list[tuple[float, float]]]:
    def pts(key: str, field: str) -> list[tuple[float, float]]:
        return [(r[key].get("asserted"), r[key].get(field)) for r in rows
                if r.get(key, {}).get("status") == "ok"]

    return {"build, fast path": pts("fast", "build"), "build, plain path": pts("plain", "build"),
            "reason, fast path": pts("fast", "reason"), "reason, plain path": pts("plain", "reason"),
            "owlrl closure alone": pts("owlrl", "closure"),
            "fast engine closure alone": pts("fast-closure", "closure"), "reasonable": pts("reasonable", "closure"),
            "parse (rdflib)": pts("fast", "parse")}
