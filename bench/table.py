#!/usr/bin/env python3
"""Turns the JSON lines of bench/run.sh into the Markdown tables of bench/README.md: the scrape
comparison (ratios within one scenario, all taken in the same run), the parallel figures, our push vs
collectd per interval, the hypervisor's cost per collection (exporter + libvirtd + QEMU), libvirtd's
profile, rendering, push, and each target with met/missed and its numbers.

Usage: table.py RESULTS.jsonl [DEFAULT_PARALLEL]
"""
import json
import sys

GO = "prometheus-libvirt-exporter"
BARE = "bare libvirt calls"
BY_GROUP = "bare bulk call per group"
GROUPS = ["state", "cpu_total", "balloon", "vcpu", "interface", "block"]


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.startswith("{")]


def ms(s):
    return f"{s * 1000:,.0f} ms" if s >= 0.01 else f"{s * 1000:.1f} ms"


def floor(bare):
    """The bare calls for the same data: the bulk call, plus the per-domain calls where they were timed."""
    return bare.get("bulk_plus_per_domain_seconds", bare["median_seconds"])


def scenarios(rows, mode=None):
    """{(scenario, domains): {exporter: row}} of the scrape rows, or with mode "interval" of
    interval_compare.py's rows."""
    out = {}
    for r in rows:
        if "scenario" in r and r.get("mode") == mode:
            out.setdefault((r["scenario"], r["domains"]), {})[r["exporter"]] = r
    return out


def ours(group, parallel):
    return group.get(f"virt-exporter parallel={parallel}")


def best(group):
    candidates = [r for name, r in group.items() if name.startswith("virt-exporter")]
    return min(candidates, key=lambda r: r["median_seconds"]) if candidates else None


def scrape_table(groups):
    print("| libvirt | domains | exporter | reports | scrape (median) | CPU / scrape | libvirtd CPU / scrape | "
          "peak RSS | Go ÷ this (latency) | this ÷ bare calls |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (label, n), g in groups.items():
        go, bare = g.get(GO), g.get(BARE, {})
        for name, r in g.items():
            if name == BY_GROUP:
                continue
            if name == BARE:
                extra = f" + per-domain {ms(r['per_domain_seconds'])} ({r['per_domain_calls']} calls)" \
                    if "per_domain_seconds" in r else ""
                print(f"| {label} | {n} | bare: one bulk call{extra} | {r['records']} | {ms(r['median_seconds'])} |"
                      " | | | | |")
                continue
            vs_go = f"{go['median_seconds'] / r['median_seconds']:.2f}×" if go else ""
            vs_bare = f"{r['median_seconds'] / floor(bare):.1f}×" if bare.get("median_seconds") else ""
            daemon = ms(r["libvirtd_cpu_seconds_per_scrape"]) if "libvirtd_cpu_seconds_per_scrape" in r else ""
            print(f"| {label} | {n} | {name} | {r['domains_reported']} | {ms(r['median_seconds'])} | "
                  f"{ms(r['cpu_seconds_per_scrape'])} | {daemon} | {r['peak_rss_kib'] / 1024:.0f} MiB | {vs_go} | {vs_bare} |")


def group_table(groups):
    print("| libvirt | domains | " + " | ".join(GROUPS) + " | all six |")
    print("|---|---|" + "---|" * (len(GROUPS) + 1))
    for (label, n), g in groups.items():
        r = g.get(BY_GROUP)
        if r:
            print(f"| {label} | {n} | " + " | ".join(ms(r[f"{x}_seconds"]) for x in GROUPS) +
                  f" | {ms(r['median_seconds'])} |")


def interval_table(intervals):
    print("| libvirt | domains | agent | CPU / interval | libvirtd CPU / interval | QEMU CPU / interval | peak RSS | "
          "series / domain | points / interval | bytes / interval |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (label, n), g in intervals.items():
        for name, r in g.items():
            cell = lambda key: ms(r[key]) if key in r else ""  # noqa: E731
            print(f"| {label} | {n} | {name} | {ms(r['cpu_seconds_per_interval'])} | "
                  f"{cell('libvirtd_cpu_seconds_per_interval')} | {cell('qemu_cpu_seconds_per_interval')} | "
                  f"{r['peak_rss_kib'] / 1024:.0f} MiB | {r['series_per_domain']} | {r['points_per_interval']:,} | "
                  f"{r['bytes_per_interval']:,} |")


def host_cost(r, per):
    """(exporter, libvirtd, QEMU, total) CPU seconds of one collection: a scrape or an interval."""
    parts = [r.get(f"cpu_seconds_per_{per}"), r.get(f"libvirtd_cpu_seconds_per_{per}"),
             r.get(f"qemu_cpu_seconds_per_{per}")]
    return (*parts, sum(p for p in parts if p is not None))


def cost_rows(groups, intervals):
    """{(label, n): [(agent, exporter, libvirtd, qemu, total)]} for the scenarios whose libvirtd or QEMUs
    were watched: every scrape exporter (per scrape) and every interval agent (per interval)."""
    out = {}
    for (label, n), g in groups.items():
        for name, r in g.items():
            if "libvirtd_cpu_seconds_per_scrape" in r or "qemu_cpu_seconds_per_scrape" in r:
                out.setdefault((label, n), []).append((f"{name}, per scrape", *host_cost(r, "scrape")))
    for (label, n), g in intervals.items():
        for name, r in g.items():
            if "libvirtd_cpu_seconds_per_interval" in r or "qemu_cpu_seconds_per_interval" in r:
                out.setdefault((label, n), []).append((f"{name}, per interval", *host_cost(r, "interval")))
    return out


def is_ours(agent):
    return agent.startswith("virt-exporter")


def cost_table(costs):
    print("| libvirt | domains | collection | exporter CPU | libvirtd CPU | QEMU CPU | **total** | ÷ best peer |")
    print("|---|---|---|---|---|---|---|---|")
    for (label, n), rows in costs.items():
        peers = [r[4] for r in rows if not is_ours(r[0])]
        for agent, exp, daemon, qemu, total in rows:
            vs = f"{total / min(peers):.2f}×" if peers and min(peers) > 0 else ""
            cells = " | ".join(ms(x) if x is not None else "not watched" for x in (exp, daemon, qemu))
            print(f"| {label} | {n} | {agent} | {cells} | **{ms(total)}** | {vs} |")


def profile_table(rows):
    for r in rows:
        if r.get("bench") != "libvirtd_profile":
            continue
        print(f"libvirtd during {r['rounds']} of our collections at {r['domains']} guests (libvirt.parallel "
              f"{r['parallel']}, {r['seconds']} s), share of its samples:\n")
        print("| by library | | top symbols | |")
        print("|---|---|---|---|")
        libs, syms = r["by_library"], r["top_symbols"]
        for i in range(max(len(libs), len(syms))):
            lib = f"{libs[i][1]} | {libs[i][0]:.1f} %" if i < len(libs) else " | "
            sym = f"`{syms[i][1]}` | {syms[i][0]:.1f} %" if i < len(syms) else " | "
            print(f"| {lib} | {sym} |")


def target(what, ok, numbers):
    print(f"| {what} | {'**met**' if ok else '**missed**'} | {numbers} |")


def targets(groups, rows, default):
    print("| target | | figures (this run) |")
    print("|---|---|---|")
    for (label, n), g in groups.items():
        go, bare, o = g.get(GO), g.get(BARE), ours(g, default) or ours(g, 1)
        if not (go and o):
            continue
        speedup = go["median_seconds"] / o["median_seconds"]
        p = o["exporter"].split("=")[1]
        if label.startswith("test driver, in process") and n == 1000:
            target("in-process test driver, 1000 domains: ≥ 10× faster than the Go exporter, reporting all 1000",
                   speedup >= 10 and o["domains_reported"] == 1000,
                   f"{speedup:.1f}× ({ms(o['median_seconds'])} vs {ms(go['median_seconds'])}, parallel {p}); we report "
                   f"{o['domains_reported']}, Go {go['domains_reported']}")
        if label.startswith("test driver over RPC") and n == 1000:
            target("RPC test driver, 1000 domains: ≥ 2× faster than the Go exporter", speedup >= 2,
                   f"{speedup:.2f}× ({ms(o['median_seconds'])} vs {ms(go['median_seconds'])}, parallel {p}); we report "
                   f"{o['domains_reported']}, Go {go['domains_reported']}")
        if n == 1000:
            rss = o["peak_rss_kib"] / go["peak_rss_kib"]
            target(f"{label}, 1000 domains: peak RSS ≤ 1/5 of the Go exporter's", rss <= 0.2,
                   f"{rss:.2f} ({o['peak_rss_kib'] / 1024:.0f} vs {go['peak_rss_kib'] / 1024:.0f} MiB, parallel {p})")
        if label.startswith("real QEMU guests") and bare:
            p1, b = ours(g, 1), best(g)
            target(f"{n} real guests: scrape ≤ 1.1× the bare bulk call with parallel 1",
                   p1["median_seconds"] <= 1.1 * bare["median_seconds"],
                   f"{p1['median_seconds'] / bare['median_seconds']:.2f}× ({ms(p1['median_seconds'])} vs "
                   f"{ms(bare['median_seconds'])})")
            target(f"{n} real guests: ≤ 0.6× the bare bulk call with the best parallel",
                   b["median_seconds"] <= 0.6 * bare["median_seconds"],
                   f"{b['median_seconds'] / bare['median_seconds']:.2f}× ({b['exporter']}: {ms(b['median_seconds'])})")
            target(f"{n} real guests: ≥ 2× faster than the Go exporter", speedup >= 2,
                   f"{speedup:.2f}× ({ms(o['median_seconds'])} vs {ms(go['median_seconds'])}, parallel {p})")
    for (label, n), rows_ in cost_rows(groups, scenarios(rows, "interval")).items():
        ours_ = [r for r in rows_ if is_ours(r[0])]
        peers = [r for r in rows_ if not is_ours(r[0])]
        if ours_ and peers and label.startswith("real QEMU guests"):
            o, b = min(ours_, key=lambda r: r[4]), min(peers, key=lambda r: r[4])
            target(f"{n} real guests: hypervisor CPU per collection ≤ the best peer's", o[4] <= b[4],
                   f"{o[4] / b[4]:.2f}× ({o[0]}: {ms(o[4])} vs {b[0]}: {ms(b[4])})")
    for r in rows:
        if r.get("bench") == "render":
            target("rendering ≥ 1 million series per second", r["series_per_second"] >= 1e6,
                   f"{r['series_per_second']:,.0f} series/s")


def other_table(rows):
    print("| what | figure |")
    print("|---|---|")
    for r in rows:
        b = r.get("bench")
        if b == "render":
            print(f"| /metrics rendering, fixed 1000-domain Snapshot (`render_bench`) | {r['series']:,} series, "
                  f"{r['series_per_second']:,.0f} series/s, {r['bytes_per_series']} bytes/series, "
                  f"{ms(r['median_seconds'])} per render |")
        elif b == "push_encode":
            print(f"| push encoding, 1000 domains (`push_bench`) | {r['lines_per_interval']} lines/interval, "
                  f"{r['lines_per_second']:,} lines/s, {r['bytes_per_line']} bytes/line, "
                  f"{r['bytes_per_interval']:,} bytes/interval plain, {r['gzip_bytes_per_interval']:,} gzip |")
        elif b == "push_cpu":
            print(f"| exporter CPU per push interval, 1000 test-driver domains to InfluxDB 1.6 (`push_cpu.py`) | "
                  f"{r['cpu_seconds_per_interval']} CPU-s ({r['lines_per_interval']} lines/interval) |")


def main():
    rows = load(sys.argv[1])
    default = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    groups = scenarios(rows)
    print("### Scrapes side by side\n")
    scrape_table(groups)
    if any(BY_GROUP in g for g in groups.values()):
        print("\n### The bare bulk call, one stats group at a time\n")
        group_table(groups)
    intervals = scenarios(rows, "interval")
    if intervals:
        print("\n### Per collection interval: our push vs collectd\n")
        interval_table(intervals)
    costs = cost_rows(groups, intervals)
    if costs:
        print("\n### Hypervisor cost per collection\n")
        cost_table(costs)
    if any(r.get("bench") == "libvirtd_profile" for r in rows):
        print("\n### Where libvirtd's time goes\n")
        profile_table(rows)
    print("\n### Rendering and push\n")
    other_table(rows)
    print(f"\n### Targets (ours with libvirt.parallel {default}, the default, where it was measured)\n")
    targets(groups, rows, default)


if __name__ == "__main__":
    main()
