#!/usr/bin/env python3
"""The Grafana dashboards of contrib/grafana/ against real data: the exporter runs over the demo node, a real
Prometheus scrapes it every second and it pushes to a real InfluxDB 1.6. Each dashboard's structure is
checked (importable with no edit: datasource as an __inputs variable, no hard-coded datasource uid), then
EVERY template-variable query and EVERY panel target is rendered the way Grafana renders it and run: each
must parse and return data. Any Prometheus rule file shipped in contrib/prometheus/ must pass `promtool check
rules`.

Usage: grafana_dashboards.py EXPORTER SOURCE_DIR
"""
import json
import math
import os
import re
import subprocess
import sys
import time
import urllib.parse

from fixtures import Exporter, InfluxDB, Prometheus, exporter_config, http_get, wait_until, workdir
from tap import Tap

def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-grafana-")
    uri = f"test://{source_dir}/config/demo-node.xml"
    grafana_dir = os.path.join(source_dir, "contrib", "grafana")

    # What Grafana puts in place of its built-in variables (a 5 minute range, 10 s per point, scrapes every 1 s).
    BUILTINS = {"__rate_interval": "30s", "__interval": "10s", "__range": "5m", "timeFilter": "time > now() - 5m"}
    KINDS = {
        "virt-exporter-prometheus.json": {"plugin": "prometheus", "input": "DS_PROMETHEUS", "field": "expr"},
        "virt-exporter-influxdb.json": {"plugin": "influxdb", "input": "DS_INFLUXDB", "field": "query"},
    }
    INFLUX_TAGS = {"VMID", "name", "uuid", "host", "devtype", "device", "vcpu", "pool", "type"}
    INFLUX_MEASUREMENTS = {"vm_metrics", "vm_features", "vm_devices", "vm_totals", "vm_vcpus", "storage_pools"}

    # ---- The dashboard model ----

    def walk_panels(panels):
        """Every panel, rows included, also those nested in collapsed rows."""
        for p in panels:
            yield p
            yield from walk_panels(p.get("panels", []))

    def walk_objects(node, path="$"):
        if isinstance(node, dict):
            yield path, node
            for k, v in node.items():
                yield from walk_objects(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from walk_objects(v, f"{path}[{i}]")

    def variable_query(var):
        q = var["query"]
        return q["query"] if isinstance(q, dict) else q

    def check_structure(name, dash):
        kind = KINDS[name]
        ds_ref = {"type": kind["plugin"], "uid": "${%s}" % kind["input"]}
        problems = []
        if not (isinstance(dash.get("schemaVersion"), int) and dash["schemaVersion"] >= 36):
            problems.append(f"schemaVersion {dash.get('schemaVersion')!r} < 36")
        if dash.get("id", "missing") is not None:
            problems.append("id must be null so that import creates a new dashboard")
        if not (isinstance(dash.get("uid"), str) and re.fullmatch(r"[a-zA-Z0-9_-]{1,40}", dash["uid"])):
            problems.append(f"uid {dash.get('uid')!r} is not a stable uid of at most 40 characters")
        inputs = [i for i in dash.get("__inputs", []) if i.get("type") == "datasource"]
        if [(i.get("name"), i.get("pluginId")) for i in inputs] != [(kind["input"], kind["plugin"])]:
            problems.append(f"__inputs: want one datasource input {kind['input']} of plugin {kind['plugin']}, got {inputs}")
        req = {(r.get("type"), r.get("id")) for r in dash.get("__requires", [])}
        if ("datasource", kind["plugin"]) not in req or ("grafana", "grafana") not in req:
            problems.append(f"__requires lacks grafana or the {kind['plugin']} datasource: {sorted(req)}")
        ids = []
        for p in walk_panels(dash.get("panels", [])):
            ids.append(p.get("id"))
            if "gridPos" not in p:
                problems.append(f"panel {p.get('title')!r} has no gridPos")
            if p.get("type") == "row":
                continue
            if ("panel", p.get("type")) not in req:
                problems.append(f"panel type {p.get('type')} not in __requires")
            if not p.get("title") or not p.get("targets"):
                problems.append(f"panel {p.get('title')!r} has no title or no targets")
            refs = [t.get("refId") for t in p.get("targets", [])]
            if len(set(refs)) != len(refs) or None in refs:
                problems.append(f"panel {p.get('title')!r}: refIds {refs}")
            for t in p.get("targets", []):
                if not t.get(kind["field"]):
                    problems.append(f"panel {p.get('title')!r} target {t.get('refId')}: no {kind['field']}")
                if kind["plugin"] == "influxdb" and t.get("rawQuery") is not True:
                    problems.append(f"panel {p.get('title')!r} target {t.get('refId')}: not a raw InfluxQL query")
        if len(set(ids)) != len(ids) or None in ids:
            problems.append(f"panel ids not unique: {ids}")
        # Every datasource reference, wherever it is, is the input variable: never a uid of someone's Grafana.
        for path, obj in walk_objects(dash):
            if "datasource" in obj and obj["datasource"] != ds_ref:
                problems.append(f"{path}.datasource is {obj['datasource']!r}, not {ds_ref!r}")
        for p in walk_panels(dash.get("panels", [])):
            if p.get("type") != "row" and "datasource" not in p:
                problems.append(f"panel {p.get('title')!r} has no datasource")
            for t in p.get("targets", []):
                if "datasource" not in t:
                    problems.append(f"panel {p.get('title')!r} target {t.get('refId')} has no datasource")
        variables = {v.get("name"): v for v in dash.get("templating", {}).get("list", [])}
        if "host" not in variables or "domain" not in variables:
            problems.append(f"template variables host and domain wanted, got {sorted(variables)}")
        elif not (variables["domain"].get("multi") and variables["domain"].get("includeAll")):
            problems.append("domain must be multi-value with All")
        for v in variables.values():
            if "datasource" not in v:
                problems.append(f"variable {v.get('name')} has no datasource")
        assert not problems, "\n".join(problems)
        return True

    def targets_of(name, dash):
        """[(panel title, refId, query)] for every target of every panel."""
        field = KINDS[name]["field"]
        return [(p["title"], t["refId"], t[field]) for p in walk_panels(dash["panels"]) if p.get("type") != "row"
                for t in p.get("targets", [])]

    # Rows whose panels show what only happens on a real hypervisor, with the reason and the hypervisor tier's
    # check that runs their queries against a real Prometheus and InfluxDB: libvirt's test driver runs no jobs
    # (it lacks virDomainGetJobStats) and has no guest agent (it lacks virDomainGetGuestInfo).
    HYPERVISOR_ONLY_ROWS = {
        "VM jobs": "no job on libvirt's test driver: run by the hypervisor tier's check jobs",
        "Guest filesystems": "no guest agent on libvirt's test driver: run by the hypervisor tier's check guest_agent",
    }

    def hypervisor_only_titles(dash):
        """{panel title: why it is skipped here} for the panels of HYPERVISOR_ONLY_ROWS."""
        titles, row = {}, None
        for p in dash["panels"]:
            if p.get("type") == "row":
                row = p.get("title")
                if row in HYPERVISOR_ONLY_ROWS:
                    titles.update({q["title"]: HYPERVISOR_ONLY_ROWS[row] for q in p.get("panels", [])})
            elif row in HYPERVISOR_ONLY_ROWS:
                titles[p["title"]] = HYPERVISOR_ONLY_ROWS[row]
        return titles

    # ---- Rendering queries the way Grafana does ----

    def prom_regex_escape(value):
        """Grafana's prometheusSpecialRegexEscape: the value inside a PromQL "..." string used as a regex."""
        return re.sub(r"([$^*{}\[\]'+?.()|])", r"\\\\\1", value.replace("\\", "\\\\\\\\"))

    def influx_regex_escape(value):
        """Grafana's escapeRegex for InfluxQL /regex/ literals (plus the slash that would end the literal)."""
        return re.sub(r"([\\^$*+?.()|{}\[\]/])", r"\\\1", value)

    def render(query, plugin, values):
        """`values`: {variable: str (single value) or list (multi-value)}."""
        for var, v in values.items():
            if isinstance(v, list):
                esc = prom_regex_escape if plugin == "prometheus" else influx_regex_escape
                v = "(" + "|".join(esc(x) for x in v) + ")"
            query = re.sub(r"\$\{%s\}|\$%s\b" % (var, var), lambda m: v, query)
        for var, v in BUILTINS.items():
            query = re.sub(r"\$\{%s\}|\$%s\b" % (var, var), lambda m: v, query)
        left = re.findall(r"\$\{?[A-Za-z_]\w*", query)
        assert not left, f"variables left after rendering: {left} in {query}"
        return query

    # ---- Running them ----

    def prom_result_has_data(result):
        return any(math.isfinite(float(r["value"][1])) for r in result)

    def influx_series_have_data(series):
        return any(v is not None for s in series for row in s.get("values", []) for v in row[1:])

    def prom_variable(prom, query):
        """label_values(metric{selector}, label) or label_values(label), answered as Grafana does it."""
        m = re.fullmatch(r"\s*label_values\(\s*(?:(.+?)\s*,\s*)?(\w+)\s*\)\s*", query)
        assert m, f"not a label_values() query: {query}"
        params = [("start", str(time.time() - 300)), ("end", str(time.time()))]
        if m.group(1):
            params.append(("match[]", m.group(1)))
        status, _, body = http_get(f"{prom.url}/api/v1/label/{m.group(2)}/values?" + urllib.parse.urlencode(params))
        data = json.loads(body)
        assert status == 200 and data["status"] == "success", f"{status} {body[:300]!r}"
        return data["data"]

    def influx_variable(influx, query):
        series = influx.query(query)
        return [row[1] for s in series for row in s["values"]]

    def retry_until_data(run, has_data, seconds=15):
        """A query that errors fails at once; one that is empty is retried for a moment (data still arriving)."""
        deadline = time.monotonic() + seconds
        while True:
            result = run()
            if has_data(result) or time.monotonic() > deadline:
                return result
            time.sleep(1)

    # ---- Names: every metric, field and tag a query uses exists in the exporter ----

    def exporter_metric_names():
        """Family names of src/prom/ and src/instr/: literal names, and literal prefixes (`p + "read_bytes_total"`) joined with
        every literal (a superset, good enough to catch a typo)."""
        text = ""
        for f in os.listdir(os.path.join(source_dir, "src", "prom")):
            if f.endswith(".cpp"):
                with open(os.path.join(source_dir, "src", "prom", f), encoding="utf-8") as fh:
                    text += fh.read()
        literals = set(re.findall(r'"([a-z_]+)"', text))
        names = {x for x in literals if x.startswith(("libvirt_", "virt_exporter_"))}
        prefixes = {x for x in names if x.endswith("_")}
        # The exporter's own instrumentation (src/instr, prometheus-cpp): histograms, whose series add a suffix.
        with open(os.path.join(source_dir, "src", "instr", "instruments.cpp"), encoding="utf-8") as fh:
            own = set(re.findall(r'"(virt_exporter_[a-z_]+)"', fh.read()))
        own |= {n + suffix for n in own for suffix in ("_bucket", "_sum", "_count")}
        return names | own | {p + x for p in prefixes for x in literals}

    def check_prom_names(dash):
        known = exporter_metric_names()
        used = set()
        for _, _, q in targets_of("virt-exporter-prometheus.json", dash):
            used |= set(re.findall(r"\b((?:libvirt|virt_exporter)_\w+)", q))
        for v in dash["templating"]["list"]:
            used |= set(re.findall(r"\b((?:libvirt|virt_exporter)_\w+)", variable_query(v)))
        unknown = sorted(used - known)
        assert not unknown, f"not families of src/prom/: {unknown}"
        return used

    def check_influx_names(dash):
        fields = set()
        for source in ("measurements.cpp", "vcpu_extra_lines.cpp", "pool_lines.cpp", "guest_fs_lines.cpp"):
            with open(os.path.join(source_dir, "src", "influx", source), encoding="utf-8") as f:
                fields |= set(re.findall(r'"([a-z_]+)"', f.read())) - INFLUX_MEASUREMENTS
        unknown = set()
        queries = [q for _, _, q in targets_of("virt-exporter-influxdb.json", dash)]
        queries += [variable_query(v) for v in dash["templating"]["list"]]
        for q in queries:
            aliases = set(re.findall(r'\bAS "([^"]+)"', q))
            for ident in re.findall(r'"([^"]+)"', q):
                if ident not in aliases | fields | INFLUX_TAGS | INFLUX_MEASUREMENTS:
                    unknown.add(ident)
        assert not unknown, f"neither a measurement, a tag nor a field of src/influx/: {sorted(unknown)}"
        return True

    # ---- The run ----

    dashboards = {}
    for name in KINDS:
        def load(name=name):
            with open(os.path.join(grafana_dir, name), encoding="utf-8") as f:
                dashboards[name] = json.load(f)
            return True
        if tap.run(f"{name}: is JSON", load):
            tap.run(f"{name}: importable (schemaVersion >= 36, datasource input, no hard-coded datasource uid)",
                    lambda name=name: check_structure(name, dashboards[name]))

    def generator_agrees():
        p = subprocess.run([sys.executable, os.path.join(grafana_dir, "generate.py"), "--check"], capture_output=True,
                           text=True, timeout=60)
        assert p.returncode == 0, p.stdout + p.stderr
        return True
    tap.run("the JSON files are what contrib/grafana/generate.py writes", generator_agrees)

    if "virt-exporter-prometheus.json" in dashboards:
        tap.run("prometheus dashboard: every metric name is a family of src/prom/",
                lambda: check_prom_names(dashboards["virt-exporter-prometheus.json"]))
    if "virt-exporter-influxdb.json" in dashboards:
        tap.run("influxdb dashboard: every measurement, tag and field is one the exporter writes",
                lambda: check_influx_names(dashboards["virt-exporter-influxdb.json"]))

    def rule_files():
        """YAML files under contrib/prometheus/ that are Prometheus rule files (a top-level `groups:`)."""
        out = []
        for root, _, files in os.walk(os.path.join(source_dir, "contrib", "prometheus")):
            for f in sorted(files):
                if f.endswith((".yml", ".yaml")):
                    with open(os.path.join(root, f), encoding="utf-8") as fh:
                        if re.search(r"^groups:", fh.read(), re.M):
                            out.append(os.path.join(root, f))
        return out

    rules = rule_files()
    for path in rules:
        def promtool_check(path=path):
            p = subprocess.run(["promtool", "check", "rules", path], capture_output=True, text=True, timeout=60)
            assert p.returncode == 0, p.stdout + p.stderr
            return True
        tap.run(f"promtool check rules {os.path.relpath(path, source_dir)}", promtool_check)
    if not rules:
        print("# no Prometheus rule files under contrib/prometheus/ to check")

    influx = InfluxDB(work)
    cfg = exporter_config(os.path.join(work, "exporter.yaml"),
                          push={"url": influx.url, "database": influx.database, "interval": 1, "batch_max_sec": 0.2})
    exp = prom = None
    try:
        exp = Exporter(exporter_bin, work, uri, ["--config", cfg])
        prom = Prometheus(work, [f"127.0.0.1:{exp.port}"])
        instance = f"127.0.0.1:{exp.port}"
        domains = {d["name"] for d in json.loads(subprocess.run(
            [exporter_bin, "--once", "--libvirt.uri", uri], capture_output=True, text=True, timeout=60).stdout)["domains"]}

        # Enough data: Prometheus has found the target and holds several samples (a rate needs two); InfluxDB has
        # vm_features (from the second push on) in at least three 10 s buckets (a derivative needs two).
        tap.run("Prometheus sees the exporter up", lambda: wait_until(lambda: prom.query('up{job="virt"} == 1'), 60,
                                                                       "up == 1"))
        tap.run("Prometheus holds 5 samples of every series",
                lambda: wait_until(lambda: prom.query("count_over_time(libvirt_up[30s]) >= 5"), 60, "5 samples"))
        tap.run("InfluxDB holds pushes from three 10 s intervals",
                lambda: wait_until(lambda: len(influx.query('SELECT count("cpu_usage") FROM "vm_features" WHERE '
                                                            'time > now() - 5m GROUP BY time(10s) fill(none)')[0]
                                               ["values"]) >= 3, 90, "three intervals of vm_features", interval=1))

        runners = {
            "virt-exporter-prometheus.json": (lambda q: prom.query(q), prom_result_has_data,
                                              lambda q: prom_variable(prom, q), instance),
            "virt-exporter-influxdb.json": (lambda q: influx.query(q), influx_series_have_data,
                                            lambda q: influx_variable(influx, q), None),
        }
        for name, dash in dashboards.items():
            plugin = KINDS[name]["plugin"]
            run, has_data, run_variable, want_host = runners[name]
            values = {}
            for var in dash["templating"]["list"]:
                def resolve(var=var):
                    q = render(variable_query(var), plugin, values)
                    got = run_variable(q)
                    assert got, f"{q}: no values"
                    if var["name"] == "host":
                        # Prometheus: the scraped instance; InfluxDB: the one host tag the exporter wrote.
                        assert (want_host in got) if want_host else len(got) == 1, f"{q}: {got}"
                        values["host"] = want_host or got[0]
                    elif var["name"] == "domain":
                        assert set(got) == domains, f"{q}: {sorted(got)} != {sorted(domains)}"
                        values["domain"] = sorted(got)  # All, rendered as Grafana renders a multi-value variable
                    else:
                        values[var["name"]] = got if var.get("multi") else got[0]
                    return True
                tap.run(f"{name}: variable ${var['name']}: {variable_query(var)}", resolve)
            if set(values) != {v["name"] for v in dash["templating"]["list"]}:
                continue  # the panel queries cannot be rendered without the variables (already reported)

            hypervisor_only = hypervisor_only_titles(dash)
            for title, ref, query in targets_of(name, dash):
                if title in hypervisor_only:
                    tap.check(True, f"{name}: panel '{title}' query {ref} # SKIP {hypervisor_only[title]}")
                    continue
                def run_target(query=query):
                    q = render(query, plugin, values)
                    result = retry_until_data(lambda: run(q), has_data)
                    assert has_data(result), f"no data for\n{q}\nresult: {json.dumps(result)[:500]}"
                    return True
                tap.run(f"{name}: panel '{title}' query {ref} parses and returns data", run_target)
                # A PromQL query joined with `or` shows fields some hypervisors lack; say which parts had no data here.
                if plugin == "prometheus" and "\nor\n" in query:
                    for part in query.split("\nor\n"):
                        try:
                            empty = not has_data(run(render(part, plugin, values)))
                        except AssertionError:
                            empty = True
                        if empty:
                            print(f"# panel '{title}': no data on this libvirt for: {' '.join(part.split())}")
    finally:
        if prom:
            prom.stop()
        code = exp.stop() if exp else 0
        influx.stop()
        tap.check(code == 0, "exporter exits 0 on SIGTERM", exp.output()[-2000:] if exp else "")
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
