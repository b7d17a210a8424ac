#!/usr/bin/env python3
"""Writes the two Grafana dashboards of this folder from the panel tables below.

    python3 contrib/grafana/generate.py           # rewrite virt-exporter-{prometheus,influxdb}.json
    python3 contrib/grafana/generate.py --check   # exit 1 when a JSON file differs from what this writes

Edit the tables here, not the JSON (tests/integration/grafana_dashboards.py checks that they agree and runs
every query against a real Prometheus and a real InfluxDB fed by the exporter).
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# The colour of each virDomainState code; the texts come from the exporter's table of state names.
STATE_COLORS = ["text", "green", "yellow", "yellow", "orange", "text", "red", "blue"]


def state_labels():
    """The dashboard column of src/collect/domain_state.hpp, the one table of state names, in code order."""
    with open(os.path.join(HERE, "..", "..", "src", "collect", "domain_state.hpp")) as f:
        header = f.read()
    table = header[header.index("domain_state_names{{"):header.index("}};")]
    rows = re.findall(r'^\s*\{"([^"]*)", "([^"]*)", "([^"]*)"\},$', table, re.MULTILINE)
    if len(rows) != len(STATE_COLORS):
        sys.exit(f"src/collect/domain_state.hpp: {len(rows)} state rows, {len(STATE_COLORS)} colours here")
    return [dashboard for _virsh, _description, dashboard in rows]


STATE_MAPPINGS = [{
    "type": "value",
    "options": {str(code): {"text": text, "color": STATE_COLORS[code], "index": code}
                for code, text in enumerate(state_labels())},
}]
# libvirt's virStoragePoolState.
POOL_STATE_MAPPINGS = [{"type": "value", "options": {
    str(code): {"text": text, "color": color, "index": code} for code, (text, color) in enumerate(
        [("inactive", "red"), ("building", "blue"), ("running", "green"), ("degraded", "orange"),
         ("inaccessible", "red")])}}]
UP_MAPPINGS = [{"type": "value", "options": {"0": {"text": "down", "color": "red", "index": 0},
                                              "1": {"text": "up", "color": "green", "index": 1}}}]


def latency_right(unit):
    """The override that puts series named "... latency" on the right axis, dashed, in `unit`."""
    return [{"matcher": {"id": "byRegexp", "options": "/latency$/"},
             "properties": [{"id": "unit", "value": unit}, {"id": "custom.axisPlacement", "value": "right"},
                            {"id": "custom.lineStyle", "value": {"fill": "dash", "dash": [10, 10]}}]}]


class Dashboard:
    """Lays panels out on Grafana's 24-column grid, row by row, and numbers them."""

    def __init__(self, ds_type, ds_input):
        self.ds = {"type": ds_type, "uid": "${%s}" % ds_input}
        self.panels = []
        self.next_id = 1
        self.y = 0
        self.x = 0
        self.row_h = 0
        self.current_row = None

    def _id(self):
        i = self.next_id
        self.next_id += 1
        return i

    def row(self, title, collapsed=False, description=None):
        self._newline()
        row = {"type": "row", "title": title, "id": self._id(), "collapsed": collapsed,
               "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}, "panels": []}
        if description:
            row["description"] = description
        self.panels.append(row)
        self.current_row = row if collapsed else None
        self.y += 1

    def _newline(self):
        if self.x:
            self.y += self.row_h
            self.x, self.row_h = 0, 0

    def _place(self, w, h):
        if self.x + w > 24:
            self._newline()
        pos = {"h": h, "w": w, "x": self.x, "y": self.y}
        self.x += w
        self.row_h = max(self.row_h, h)
        return pos

    def add(self, panel):
        (self.current_row["panels"] if self.current_row else self.panels).append(panel)

    def panel(self, kind, title, description, targets, w, h, unit, options, custom=None, min_=None,
              mappings=None, overrides=None, decimals=None, thresholds=None):
        defaults = {"unit": unit, "mappings": mappings or [],
                    "color": {"mode": "palette-classic"},
                    "thresholds": thresholds or {"mode": "absolute", "steps": [{"color": "green", "value": None}]}}
        if custom is not None:
            defaults["custom"] = custom
        if min_ is not None:
            defaults["min"] = min_
        if decimals is not None:
            defaults["decimals"] = decimals
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        for i, t in enumerate(targets):
            t["refId"] = letters[i]
            t["datasource"] = dict(self.ds)
        self.add({"type": kind, "title": title, "description": description, "id": self._id(),
                  "gridPos": self._place(w, h), "datasource": dict(self.ds),
                  "fieldConfig": {"defaults": defaults, "overrides": overrides or []},
                  "options": options, "targets": targets})

    def timeseries(self, title, description, targets, unit, w=12, h=8, stack=False, min_=0, overrides=None,
                   draw="line", decimals=None):
        custom = {"drawStyle": draw, "lineWidth": 1, "fillOpacity": 10, "gradientMode": "none",
                  "showPoints": "never", "pointSize": 4, "spanNulls": False, "axisPlacement": "auto",
                  "axisSoftMin": None, "lineInterpolation": "linear", "barAlignment": 0,
                  "stacking": {"mode": "normal" if stack else "none", "group": "A"},
                  "thresholdsStyle": {"mode": "off"}}
        custom = {k: v for k, v in custom.items() if v is not None}
        options = {"legend": {"showLegend": True, "displayMode": "table", "placement": "bottom",
                              "calcs": ["mean", "max", "lastNotNull"]},
                   "tooltip": {"mode": "multi", "sort": "desc"}}
        self.panel("timeseries", title, description, targets, w, h, unit, options, custom=custom, min_=min_,
                   overrides=overrides, decimals=decimals)

    def stat(self, title, description, targets, unit, w=6, h=5, mappings=None, thresholds=None, decimals=None,
             overrides=None):
        options = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                   "orientation": "auto", "textMode": "value_and_name", "colorMode": "value",
                   "graphMode": "area", "justifyMode": "auto", "showPercentChange": False, "wideLayout": True}
        self.panel("stat", title, description, targets, w, h, unit, options, mappings=mappings,
                   thresholds=thresholds, decimals=decimals, overrides=overrides)

    def state_timeline(self, title, description, targets, w=24, h=7, mappings=None):
        options = {"showValue": "auto", "mergeValues": True, "alignValue": "left", "rowHeight": 0.9,
                   "legend": {"showLegend": True, "displayMode": "list", "placement": "bottom"},
                   "tooltip": {"mode": "single", "sort": "none"}}
        custom = {"lineWidth": 0, "fillOpacity": 80}
        self.panel("state-timeline", title, description, targets, w, h, "none", options, custom=custom,
                   mappings=mappings)


def document(d, uid, title, description, inputs, requires, variables):
    return {
        "__inputs": inputs,
        "__elements": {},
        "__requires": requires,
        "annotations": {"list": []},
        "description": description,
        "editable": True,
        "fiscalYearStartMonth": 0,
        "graphTooltip": 1,
        "id": None,
        "links": [],
        "liveNow": False,
        "panels": d.panels,
        "refresh": "30s",
        "schemaVersion": 39,
        "tags": ["libvirt", "kvm", "virt-exporter"],
        "templating": {"list": variables},
        "time": {"from": "now-1h", "to": "now"},
        "timepicker": {},
        "timezone": "browser",
        "title": title,
        "uid": uid,
        "version": 1,
        "weekStart": "",
    }


def requires(ds_id, ds_name, panels):
    out = [{"type": "grafana", "id": "grafana", "name": "Grafana", "version": "10.0.0"},
           {"type": "datasource", "id": ds_id, "name": ds_name, "version": "1.0.0"}]
    names = {"stat": "Stat", "timeseries": "Time series", "state-timeline": "State timeline"}
    for p in sorted(panels):
        out.append({"type": "panel", "id": p, "name": names[p], "version": ""})
    return out


def panel_types(panels):
    out = set()
    for p in panels:
        if p["type"] == "row":
            out |= panel_types(p["panels"])
        else:
            out.add(p["type"])
    return out


def query_variable(ds, name, label, query, multi, definition=None):
    v = {"type": "query", "name": name, "label": label, "datasource": dict(ds), "query": query,
         "definition": definition or (query if isinstance(query, str) else query["query"]),
         "refresh": 2, "regex": "", "sort": 1, "hide": 0, "skipUrlSync": False,
         "multi": multi, "includeAll": multi, "current": {}, "options": []}
    return v


# ---------------------------------------------------------------------------------------------------------
# Prometheus (PromQL). Names and labels: README.md's metric table, src/prom/.
# ---------------------------------------------------------------------------------------------------------

def prometheus():
    d = Dashboard("prometheus", "DS_PROMETHEUS")
    H = 'instance="$host"'
    S = 'instance="$host",domain=~"$domain"'
    R = "[$__rate_interval]"

    def t(expr, legend):
        return {"expr": expr, "legendFormat": legend, "range": True, "instant": False, "editorMode": "code",
                "interval": ""}

    def rate(metric, sel=S):
        return f"rate({metric}{{{sel}}}{R})"

    def tagged(expr, label, value):
        return f'label_replace({expr}, "{label}", "{value}", "", "")'

    d.row("Host overview")
    d.stat("VMs by state", "Domains on this host per libvirt state (libvirt_domain_info_state).",
           [t('count by (state) (label_replace(libvirt_domain_info_state{%s}, "state", "$1", "state_desc", '
              '"(?:the domain is )?(.*)"))' % H, "{{state}}")], "none", w=8, decimals=0)
    d.stat("Domains", "Domains libvirt reports on this host, and vCPUs they have.",
           [t("libvirt_domains{%s}" % H, "domains"),
            t("sum(libvirt_domain_info_virtual_cpus{%s})" % H, "vCPUs")], "none", w=4, decimals=0)
    d.timeseries("Host CPU used by VMs", "Sum over all VMs of the CPU time they used per second (cores busy), "
                 "against the vCPUs they have.",
                 [t("sum(%s)" % rate("libvirt_domain_info_cpu_time_seconds_total", H), "cores busy"),
                  t("sum(libvirt_domain_info_virtual_cpus{%s})" % H, "vCPUs")], "none", w=12)
    d.timeseries("Host memory used by VMs", "Sum over all VMs: resident memory on the host (rss), balloon "
                 "size (current) and maximum memory.",
                 [t("sum(libvirt_domain_memory_stats_rss_bytes{%s})" % H, "rss"),
                  t("sum(libvirt_domain_info_memory_usage_bytes{%s})" % H, "balloon current"),
                  t("sum(libvirt_domain_info_maximum_memory_bytes{%s})" % H, "maximum")], "bytes", w=12)
    d.timeseries("Host network and disk throughput", "Sum over all VMs' NICs and disks.",
                 [t("sum(%s)" % rate("libvirt_domain_interface_stats_receive_bytes_total", H), "net rx"),
                  t("sum(%s)" % rate("libvirt_domain_interface_stats_transmit_bytes_total", H), "net tx"),
                  t("sum(%s)" % rate("libvirt_domain_block_stats_read_bytes_total", H), "disk read"),
                  t("sum(%s)" % rate("libvirt_domain_block_stats_write_bytes_total", H), "disk write")],
                 "Bps", w=12)

    d.row("VM CPU")
    d.timeseries("CPU usage", "CPU time the VM used per second, in cores (1 = one host core busy).",
                 [t("sum by (domain) (%s)" % rate("libvirt_domain_info_cpu_time_seconds_total"), "{{domain}}")],
                 "none", w=8)
    d.timeseries("CPU user / system / steal", "Per VM: user and system time (cpu.user, cpu.system) and steal: "
                 "time its vCPUs waited in the host's run queue (vcpu.N.delay, summed over vCPUs). A series is "
                 "missing when the hypervisor does not report that field (libvirt's test driver has no "
                 "vcpu delay).",
                 [t("\nor\n".join([
                     tagged("sum by (domain) (%s)" % rate("libvirt_domain_cpu_user_seconds_total"), "mode", "user"),
                     tagged("sum by (domain) (%s)" % rate("libvirt_domain_cpu_system_seconds_total"), "mode",
                            "system"),
                     tagged("sum by (domain) (%s)" % rate("libvirt_domain_vcpu_delay_seconds_total"), "mode",
                            "steal")]), "{{domain}} {{mode}}")], "none", w=8)
    d.timeseries("vCPU time", "Per vCPU: time it ran per second.",
                 [t(rate("libvirt_domain_vcpu_time_seconds_total"), "{{domain}} vcpu {{vcpu}}")], "percentunit",
                 w=8)

    d.row("VM memory")
    d.timeseries("Memory: RSS and balloon", "Resident memory of the VM on the host (rss), the balloon's "
                 "current size, and the maximum memory.",
                 [t("libvirt_domain_memory_stats_rss_bytes{%s}" % S, "{{domain}} rss"),
                  t("libvirt_domain_memory_stats_actual_balloon_bytes{%s}" % S, "{{domain}} balloon"),
                  t("libvirt_domain_info_maximum_memory_bytes{%s}" % S, "{{domain}} maximum")], "bytes", w=12)
    d.timeseries("Guest memory (balloon driver)", "What the guest's balloon driver reports: available, "
                 "usable, unused and disk caches. Empty for a guest whose balloon statistics period is 0 "
                 "(libvirt_domain_memory_stats_period_seconds): it never reports them, and all that is known is "
                 "the configured size. Set <memballoon><stats period='10'/></memballoon> in its domain XML.",
                 [t("libvirt_domain_memory_stats_available_bytes{%s}" % S, "{{domain}} available"),
                  t("libvirt_domain_memory_stats_usable_bytes{%s}" % S, "{{domain}} usable"),
                  t("libvirt_domain_memory_stats_unused_bytes{%s}" % S, "{{domain}} unused"),
                  t("libvirt_domain_memory_stats_disk_caches_bytes{%s}" % S, "{{domain}} disk caches")],
                 "bytes", w=12)
    d.timeseries("Swap in / out", "Bytes the guest swapped in and out per second.",
                 [t(rate("libvirt_domain_memory_stats_swap_in_bytes_total"), "{{domain}} in"),
                  t(rate("libvirt_domain_memory_stats_swap_out_bytes_total"), "{{domain}} out")], "Bps", w=12)
    d.timeseries("Page faults", "Major and minor page faults in the guest per second.",
                 [t(rate("libvirt_domain_memory_stats_major_fault_total"), "{{domain}} major"),
                  t(rate("libvirt_domain_memory_stats_minor_fault_total"), "{{domain}} minor")], "short", w=12)

    nic_tx_down = [{"matcher": {"id": "byRegexp", "options": "/ tx$/"},
                    "properties": [{"id": "custom.transform", "value": "negative-Y"}]}]
    d.row("VM network (per NIC)")
    d.timeseries("NIC throughput", "Bytes received (up) and transmitted (down) per second, per NIC.",
                 [t(rate("libvirt_domain_interface_stats_receive_bytes_total"), "{{domain}} {{target_device}} rx"),
                  t(rate("libvirt_domain_interface_stats_transmit_bytes_total"), "{{domain}} {{target_device}} tx")],
                 "Bps", w=8, min_=None, overrides=nic_tx_down)
    d.timeseries("NIC packets", "Packets received (up) and transmitted (down) per second, per NIC.",
                 [t(rate("libvirt_domain_interface_stats_receive_packets_total"),
                    "{{domain}} {{target_device}} rx"),
                  t(rate("libvirt_domain_interface_stats_transmit_packets_total"),
                    "{{domain}} {{target_device}} tx")], "pps", w=8, min_=None, overrides=nic_tx_down)
    d.timeseries("NIC errors and drops", "Packets per second with errors or dropped, per NIC and direction.",
                 [t(rate("libvirt_domain_interface_stats_receive_errors_total"),
                    "{{domain}} {{target_device}} rx errors"),
                  t(rate("libvirt_domain_interface_stats_transmit_errors_total"),
                    "{{domain}} {{target_device}} tx errors"),
                  t(rate("libvirt_domain_interface_stats_receive_drops_total"),
                    "{{domain}} {{target_device}} rx drops"),
                  t(rate("libvirt_domain_interface_stats_transmit_drops_total"),
                    "{{domain}} {{target_device}} tx drops")], "pps", w=8)

    d.row("VM disks (per disk)")
    ops = []
    for op in ("read", "write", "flush"):
        ops.append(tagged(rate(f"libvirt_domain_block_stats_{op}_requests_total"), "op", f"{op} IOPS"))
    for op in ("read", "write", "flush"):
        ops.append(tagged("%s / %s" % (rate(f"libvirt_domain_block_stats_{op}_time_seconds_total"),
                                       rate(f"libvirt_domain_block_stats_{op}_requests_total")),
                          "op", f"{op} latency"))
    d.timeseries("Disk IOPS and latency", "Requests per second (left axis) and average time per request = "
                 "Δtime / Δrequests (right axis, dashed) for reads, writes and flushes, per disk. Latency and "
                 "flushes need block.N.*.times / fl.reqs, which QEMU reports and libvirt's test driver does not.",
                 [t("\nor\n".join(ops), "{{domain}} {{target_device}} {{op}}")], "iops", w=12,
                 overrides=latency_right("s"))
    d.timeseries("Disk throughput", "Bytes read (up) and written (down) per second, per disk.",
                 [t(rate("libvirt_domain_block_stats_read_bytes_total"), "{{domain}} {{target_device}} read"),
                  t(rate("libvirt_domain_block_stats_write_bytes_total"), "{{domain}} {{target_device}} write")],
                 "Bps", w=12, min_=None,
                 overrides=[{"matcher": {"id": "byRegexp", "options": "/ write$/"},
                             "properties": [{"id": "custom.transform", "value": "negative-Y"}]}])
    d.timeseries("Disk errors", "Block device errors per second (block.N.errors).",
                 [t(rate("libvirt_domain_block_stats_errors_total"), "{{domain}} {{target_device}}")], "short",
                 w=12)
    d.timeseries("Disk capacity and allocation", "Size the guest sees (capacity), what the image uses on the "
                 "host (allocation) and the host file or device size (physical).",
                 [t("libvirt_domain_block_stats_capacity_bytes{%s}" % S, "{{domain}} {{target_device}} capacity"),
                  t("libvirt_domain_block_stats_allocation_bytes{%s}" % S,
                    "{{domain}} {{target_device}} allocation"),
                  t("libvirt_domain_block_stats_physical_bytes{%s}" % S, "{{domain}} {{target_device}} physical")],
                 "bytes", w=12)

    d.row("Storage pools", description="libvirt storage pools of this host, read without a refresh: the sizes "
          "libvirt last refreshed. Used % is 1 − available / capacity, the share no longer free for new volumes "
          "(the alert StoragePoolAlmostFull fires above 90 % for 15 minutes).")
    P = 'instance="$host"'
    d.timeseries("Pool used %", "100 × (1 − available / capacity) per pool (libvirt_storage_pool_*_bytes).",
                 [t("100 * (1 - libvirt_storage_pool_available_bytes{%s} / "
                    "(libvirt_storage_pool_capacity_bytes{%s} > 0))" % (P, P), "{{storage_pool}}")],
                 "percent", w=8, decimals=1)
    d.timeseries("Pool free bytes", "Bytes free for new volumes per pool (libvirt_storage_pool_available_bytes).",
                 [t("libvirt_storage_pool_available_bytes{%s}" % P, "{{storage_pool}}")], "bytes", w=8)
    d.state_timeline("Pool state", "libvirt state of each pool (libvirt_storage_pool_state); a pool that did "
                     "not answer in time shows its last state (libvirt_storage_pool_timed_out).",
                     [t("libvirt_storage_pool_state{%s}" % P, "{{storage_pool}}")], w=8, h=8,
                     mappings=POOL_STATE_MAPPINGS)
    d.row("Guest filesystems", description="Filesystem usage inside the guests, from the QEMU guest agent "
          "(libvirt.guest_agent.enabled; virDomainGetGuestInfo): what the guest's statvfs says, each guest asked "
          "once per libvirt.guest_agent.interval. Empty where the option is off or no guest runs an agent (the "
          "alert GuestFilesystemAlmostFull fires above 90 % for 15 minutes).")
    d.timeseries("Guest filesystem used %", "100 × used / size per guest filesystem "
                 "(libvirt_domain_guest_filesystem_{used,size}_bytes).",
                 [t("100 * libvirt_domain_guest_filesystem_used_bytes{%s} / "
                    "(libvirt_domain_guest_filesystem_size_bytes{%s} > 0)" % (S, S), "{{domain}} {{mountpoint}}")],
                 "percent", w=8, decimals=1)
    d.timeseries("Guest filesystem free bytes", "size − used per guest filesystem.",
                 [t("libvirt_domain_guest_filesystem_size_bytes{%s} - libvirt_domain_guest_filesystem_used_bytes{%s}"
                    % (S, S), "{{domain}} {{mountpoint}}")], "bytes", w=8)
    d.timeseries("Guest agent answer age", "Seconds since the answer the filesystem values come from "
                 "(libvirt_domain_guest_agent_age_seconds); it grows while a guest's agent does not answer.",
                 [t("libvirt_domain_guest_agent_age_seconds{%s}" % S, "{{domain}}")], "s", w=8)
    d.row("VM jobs", description="Migrations, saves, dumps, snapshots and backups running on the VMs "
          "(libvirt_domain_job_info_*, virDomainGetJobStats). Empty while no job runs: the series exist only "
          "during a job.")
    d.timeseries("Job progress", "Data the job has processed and has to process in all (data_processed, "
                 "data_total).",
                 [t("libvirt_domain_job_info_data_processed_bytes{%s}" % S, "{{domain}} processed"),
                  t("libvirt_domain_job_info_data_total_bytes{%s}" % S, "{{domain}} total")], "bytes", w=8)
    d.timeseries("Job time", "Time since the job started, and libvirt's estimate of the time left (only for "
                 "jobs with a known end, such as migrations).",
                 [t("\nor\n".join([
                     tagged("libvirt_domain_job_info_time_elapsed_seconds{%s}" % S, "time", "elapsed"),
                     tagged("libvirt_domain_job_info_time_remaining_seconds{%s}" % S, "time", "remaining")]),
                    "{{domain}} {{time}}")], "s", w=8)
    d.timeseries("Job transfer rate", "How fast the job moves data: the change of data_processed per second, "
                 "and libvirt's memory and disk bandwidth for migrations.",
                 [t("\nor\n".join([
                     tagged("deriv(libvirt_domain_job_info_data_processed_bytes{%s}%s)" % (S, R), "rate",
                            "data"),
                     tagged("libvirt_domain_job_info_memory_bandwidth_bytes_per_second{%s}" % S, "rate",
                            "memory bandwidth"),
                     tagged("libvirt_domain_job_info_disk_bandwidth_bytes_per_second{%s}" % S, "rate",
                            "disk bandwidth")]), "{{domain}} {{rate}}")], "Bps", w=8)

    d.row("Exporter health", collapsed=True, description="virt-exporter's own metrics on this host.")
    d.stat("libvirt up", "libvirt_up: the last collection from libvirt succeeded; up: Prometheus reached the "
           "exporter.", [t("libvirt_up{%s}" % H, "libvirt"), t("up{%s}" % H, "scrape")], "none", w=6,
           mappings=UP_MAPPINGS,
           thresholds={"mode": "absolute", "steps": [{"color": "red", "value": None}, {"color": "green", "value": 1}]})
    d.timeseries("Collection duration", "Time one collection took, in total and per libvirt stats group.",
                 [t("virt_exporter_collection_duration_seconds{%s}" % H, "total"),
                  t("virt_exporter_collection_group_duration_seconds{%s}" % H, "{{group}}")], "s", w=9)
    d.timeseries("Collection problems", "Scrapes answered from an older collection (stale), collections "
                 "that hit their time budget (incomplete), and domains/devices skipped as unusable.",
                 [t("virt_exporter_snapshot_stale{%s}" % H, "stale"),
                  t("1 - virt_exporter_collection_complete{%s}" % H, "incomplete"),
                  t("virt_exporter_domains_skipped{%s}" % H, "domains skipped"),
                  t("virt_exporter_devices_skipped{%s}" % H, "devices skipped")], "short", w=9)
    d.timeseries("Push queue", "Lines waiting for InfluxDB, in memory and in the on-disk spool (only when the "
                 "InfluxDB push is configured).",
                 [t("virt_exporter_push_queue_lines{%s}" % H, "in memory"),
                  t("virt_exporter_push_spool_lines{%s}" % H, "in spool")], "short", w=8)
    d.timeseries("Push lines per second", "Lines InfluxDB accepted, lines dropped (no room in memory or "
                 "spool), lines InfluxDB rejected, and failed write attempts that were retried.",
                 [t(rate("virt_exporter_push_lines_written_total", H), "written"),
                  t(rate("virt_exporter_push_lines_dropped_total", H), "dropped"),
                  t(rate("virt_exporter_push_lines_rejected_total", H), "rejected"),
                  t(rate("virt_exporter_push_retries_total", H), "retries")], "short", w=8)
    d.stat("Push: dropped lines, time since last success", "Lines dropped since the exporter started, and "
           "seconds since InfluxDB last accepted a write.",
           [t("virt_exporter_push_lines_dropped_total{%s}" % H, "dropped lines"),
            t("time() - virt_exporter_push_last_success_timestamp_seconds{%s}" % H, "since last push (s)")],
           "short", w=8, h=8,
           thresholds={"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "red", "value": 1}]},
           overrides=[{"matcher": {"id": "byName", "options": "since last push (s)"},
                       "properties": [{"id": "unit", "value": "s"},
                                      {"id": "thresholds", "value": {"mode": "absolute", "steps": [
                                          {"color": "green", "value": None}, {"color": "orange", "value": 30},
                                          {"color": "red", "value": 120}]}}]}])

    # From the exporter's own histograms (src/instr): quantiles over $__rate_interval, which need a few
    # scrapes of data; the gauges above show the last value only.
    def quantiles(metric, by="", sel=H):
        keys = ", ".join(["le"] + ([by] if by else []))
        suffix = " {{%s}}" % by if by else ""
        return [t(f"histogram_quantile({q}, sum by ({keys}) (rate({metric}_bucket{{{sel}}}{R})))", f"p{int(q * 100)}{suffix}")
                for q in (0.5, 0.99)]

    d.row("Exporter latency", collapsed=True, description="Quantiles from virt-exporter's own histograms on this "
          "host (virt_exporter_*_seconds): collections, scrapes of /metrics, writes to InfluxDB.")
    d.timeseries("Collection duration p50 / p99", "Whole collections from libvirt. The LibvirtCollectionNearScrapeTimeout "
                 "alert fires when p99 stays above 8 s (80 % of web.scrape_timeout's default).",
                 quantiles("virt_exporter_collection_seconds"), "s", w=12)
    d.timeseries("Collection duration p99 per stats group", "Time spent on each libvirt stats group (the bulk call "
                 "plus any per-domain calls).",
                 [quantiles("virt_exporter_collection_group_seconds", "group")[1]], "s", w=12)
    d.timeseries("Scrape duration p50 / p99", "Time to answer GET /metrics (collection included when the scrape "
                 "waited for one).",
                 quantiles("virt_exporter_http_request_duration_seconds", sel=H + ',handler="/metrics"'), "s", w=12)
    d.timeseries("Push write duration p50 / p99", "One write request to InfluxDB, by write API (only when the "
                 "InfluxDB push is configured).",
                 quantiles("virt_exporter_push_write_duration_seconds", "api"), "s", w=12)

    ds = d.ds
    variables = [
        query_variable(ds, "host", "host",
                       {"query": "label_values(libvirt_up, instance)", "refId": "PrometheusVariableQueryEditor-VariableQuery"},
                       multi=False),
        query_variable(ds, "domain", "domain",
                       {"query": 'label_values(libvirt_domain_info{instance="$host"}, domain)',
                        "refId": "PrometheusVariableQueryEditor-VariableQuery"}, multi=True),
    ]
    inputs = [{"name": "DS_PROMETHEUS", "label": "Prometheus", "description": "Prometheus that scrapes virt-exporter",
               "type": "datasource", "pluginId": "prometheus", "pluginName": "Prometheus"}]
    return document(d, "virt-exporter-prometheus", "virt-exporter: libvirt / KVM (Prometheus)",
                    "Per-host and per-VM statistics from virt-exporter's /metrics.", inputs,
                    requires("prometheus", "Prometheus", panel_types(d.panels)), variables)


# ---------------------------------------------------------------------------------------------------------
# InfluxDB (InfluxQL) over vm_metrics, vm_features, vm_devices, vm_totals, vm_vcpus. Tags: VMID, name, uuid,
# host (+ devtype, device on vm_devices; vcpu on vm_vcpus); fields: src/influx/measurements.cpp and
# vcpu_extra_lines.cpp. Memory fields are KiB, times ns.
# ---------------------------------------------------------------------------------------------------------

def influxdb():
    d = Dashboard("influxdb", "DS_INFLUXDB")
    H = "\"host\" = '$host'"
    D = '"name" =~ /^$domain$/'
    T = "$timeFilter"
    G = "GROUP BY time($__interval)"

    def t(query, alias):
        return {"query": query, "rawQuery": True, "resultFormat": "time_series", "alias": alias}

    def per_vm(select, measurement, extra=""):
        where = f"{H} AND {D}{extra} AND {T}"
        return f'SELECT {select} FROM "{measurement}" WHERE {where} {G}, "name" fill(none)'

    def per_device(select, devtype):
        return (f'SELECT {select} FROM "vm_devices" WHERE "devtype" = \'{devtype}\' AND {H} AND {D} AND {T} '
                f'{G}, "name", "device" fill(none)')

    def host_sum(fields, measurement, inner="mean"):
        """Per interval, the sum over VMs of each VM's mean (or last) value in that interval."""
        inner_sel = ", ".join(f'{inner}("{f}") AS "{f}"' for f in fields)
        outer_sel = ", ".join(f'sum("{f}") AS "{a}"' for f, a in fields.items())
        return (f'SELECT {outer_sel} FROM (SELECT {inner_sel} FROM "{measurement}" WHERE {H} AND {T} {G}, "uuid") '
                f'WHERE {T} {G} fill(none)')

    def deriv(field, alias, scale=""):
        return f'non_negative_derivative(mean("{field}"), 1s){scale} AS "{alias}"'

    def iops_and_latency():
        """Per disk and interval: requests per second and Δtimes / Δrequests, the mean time of one request (ns;
        0 in an interval without requests). One query, so that the requests show where a hypervisor reports no
        times (libvirt's test driver)."""
        ops = {"r": ("rd_req", "rd_times", "read"), "w": ("wr_reqs", "wr_times", "write"),
               "f": ("fl_req", "fl_times", "flush")}
        inner = ", ".join(f'non_negative_derivative(mean("{reqs}"), 1s) AS "{k}n", '
                          f'non_negative_derivative(mean("{times}"), 1s) AS "{k}t"' for k, (reqs, times, _) in ops.items())
        outer = ", ".join(['"rn" AS "read"', '"wn" AS "write"'] +
                          [f'"{k}t" / "{k}n" AS "{name} latency"' for k, (_, _, name) in ops.items()])
        return (f'SELECT {outer} FROM (SELECT {inner} FROM "vm_devices" WHERE "devtype" = \'disk\' AND {H} AND {D} '
                f'AND {T} {G}, "name", "device" fill(none)) WHERE {T} GROUP BY "name", "device"')

    d.row("Host overview")
    state_count = ('SELECT count("state") AS "%s" FROM (SELECT last("state") AS "state" FROM "vm_metrics" '
                   'WHERE ' + H + ' AND ' + T + ' ' + G + ', "uuid") WHERE "state" %s AND ' + T + ' ' + G +
                   ' fill(none)')
    d.timeseries("VMs by state", "Domains on this host per interval: running (state 1) and not running "
                 "(any other libvirt state; see the state timeline below).",
                 [t(state_count % ("running", "= 1"), "$col"), t(state_count % ("not running", "<> 1"), "$col")],
                 "none", w=8, stack=True, draw="bars", decimals=0)
    d.timeseries("Host CPU used by VMs", "Sum over VMs of cpu_usage (cores busy, vm_features) against the vCPUs "
                 "they have (cpus, vm_metrics).",
                 [t(host_sum({"cpu_usage": "cores busy"}, "vm_features"), "$col"),
                  t(host_sum({"cpus": "vCPUs"}, "vm_metrics", inner="last"), "$col")], "none", w=8)
    d.timeseries("Host memory used by VMs", "Sum over VMs: resident memory (memrss, vm_totals), balloon size "
                 "(mem) and maximum memory (maxmem, vm_metrics).",
                 [t(host_sum({"memrss": "rss"}, "vm_totals", inner="last"), "$col"),
                  t(host_sum({"mem": "balloon current", "maxmem": "maximum"}, "vm_metrics", inner="last"), "$col")],
                 "kbytes", w=8)
    d.state_timeline("VM state", "libvirt state of each domain (vm_metrics.state).",
                     [t(f'SELECT last("state") FROM "vm_metrics" WHERE {H} AND {D} AND {T} {G}, "name" fill(none)',
                        "$tag_name")], mappings=STATE_MAPPINGS, h=6)
    d.timeseries("Host network and disk throughput", "Sum over VMs of the vm_features rates.",
                 [t(host_sum({"net_rxrate": "net rx", "net_txrate": "net tx", "disk_rdrate": "disk read",
                              "disk_wrrate": "disk write"}, "vm_features"), "$col")], "Bps", w=24, h=7)

    d.row("VM CPU")
    d.timeseries("CPU usage", "cpu_usage (vm_features): cores busy between two pushes.",
                 [t(per_vm('mean("cpu_usage")', "vm_features"), "$tag_name")], "none", w=12)
    d.timeseries("CPU user / system / steal", "Δtimeusr and Δtimesys (vm_totals, ns) per second, in cores, and "
                 "steal: Δvcpu_delay (vm_totals: libvirt's vcpu.N.delay summed over vCPUs), time the vCPUs were "
                 "runnable but waited for a host CPU. No steal series where the hypervisor reports no delay "
                 "(libvirt's test driver).",
                 [t(per_vm(deriv("timeusr", "user", " / 1000000000") + ", " +
                           deriv("timesys", "system", " / 1000000000") + ", " +
                           deriv("vcpu_delay", "steal", " / 1000000000"), "vm_totals"), "$tag_name $col")],
                 "none", w=12)
    d.timeseries("vCPU busy and steal per vCPU", "Per vCPU (vm_vcpus): Δcputime (libvirt's vcpu.N.time) and "
                 "Δdelay (vcpu.N.delay, steal) per second: the share of each second it ran, and the share it was "
                 "runnable but waited for a host CPU.",
                 [t(f'SELECT {deriv("cputime", "busy", " / 1000000000")}, {deriv("delay", "steal", " / 1000000000")} '
                    f'FROM "vm_vcpus" WHERE {H} AND {D} AND {T} {G}, "name", "vcpu" fill(none)',
                    "$tag_name vCPU $tag_vcpu $col")], "percentunit", w=24)

    d.row("VM memory")
    d.timeseries("Memory: RSS and balloon", "memrss and memactual (vm_totals) and maxmem (vm_metrics), KiB.",
                 [t(per_vm('last("memrss") AS "rss", last("memactual") AS "balloon"', "vm_totals"),
                    "$tag_name $col"),
                  t(per_vm('last("maxmem") AS "maximum"', "vm_metrics"), "$tag_name $col")], "kbytes", w=12)
    d.timeseries("Guest memory (balloon driver)", "memavailable, memusable and memdisk_cache (vm_totals), KiB. "
                 "Empty for a guest whose balloon statistics period is 0 (libvirt_domain_memory_stats_period_seconds "
                 "on /metrics): set <memballoon><stats period='10'/></memballoon> in its domain XML.",
                 [t(per_vm('last("memavailable") AS "available", last("memusable") AS "usable", '
                           'last("memdisk_cache") AS "disk caches"', "vm_totals"), "$tag_name $col")],
                 "kbytes", w=12)
    d.timeseries("RSS growth", "memrate (vm_features): change of rss per second, KiB/s.",
                 [t(per_vm('mean("memrate")', "vm_features"), "$tag_name")], "KiBs", w=8, min_=None)
    d.timeseries("Swap in / out", "Δmemswap_in and Δmemswap_out (vm_totals) per second, KiB/s.",
                 [t(per_vm(deriv("memswap_in", "in") + ", " + deriv("memswap_out", "out"), "vm_totals"),
                    "$tag_name $col")], "KiBs", w=8)
    d.timeseries("Page faults", "Δmemmajor_fault and Δmemminor_fault (vm_totals) per second.",
                 [t(per_vm(deriv("memmajor_fault", "major") + ", " + deriv("memminor_fault", "minor"),
                           "vm_totals"), "$tag_name $col")], "short", w=8)

    d.row("VM network (per NIC)")
    tx_down = [{"matcher": {"id": "byRegexp", "options": "/ tx$/"},
                "properties": [{"id": "custom.transform", "value": "negative-Y"}]}]
    d.timeseries("NIC throughput", "Δrxbytes (up) and Δtxbytes (down) per second (vm_devices, devtype nic).",
                 [t(per_device(deriv("rxbytes", "rx") + ", " + deriv("txbytes", "tx"), "nic"),
                    "$tag_name $tag_device $col")], "Bps", w=8, min_=None, overrides=tx_down)
    d.timeseries("NIC packets", "Δrxpackets (up) and Δtxpackets (down) per second.",
                 [t(per_device(deriv("rxpackets", "rx") + ", " + deriv("txpackets", "tx"), "nic"),
                    "$tag_name $tag_device $col")], "pps", w=8, min_=None, overrides=tx_down)
    d.timeseries("NIC errors and drops", "Δrxerrors, Δtxerrors, Δrxdrops, Δtxdrops per second.",
                 [t(per_device(", ".join([deriv("rxerrors", "rx errors"), deriv("txerrors", "tx errors"),
                                          deriv("rxdrops", "rx drops"), deriv("txdrops", "tx drops")]), "nic"),
                    "$tag_name $tag_device $col")], "pps", w=8)
    d.timeseries("VM network throughput (all NICs)", "net_rxrate and net_txrate (vm_features).",
                 [t(per_vm('mean("net_rxrate") AS "rx", mean("net_txrate") AS "tx"', "vm_features"),
                    "$tag_name $col")], "Bps", w=24, h=7, min_=None, overrides=tx_down)

    d.row("VM disks (per disk)")
    wr_down = [{"matcher": {"id": "byRegexp", "options": "/ write$/"},
                "properties": [{"id": "custom.transform", "value": "negative-Y"}]}]
    d.timeseries("Disk IOPS and latency", "Δrd_req (up) and Δwr_reqs (down) per second (vm_devices, devtype disk), "
                 "and on the right axis (dashed) the mean time of one read, write and flush: Δrd_times / Δrd_req, "
                 "Δwr_times / Δwr_reqs, Δfl_times / Δfl_req (libvirt's block.N.*.times and *.reqs; 0 in an interval "
                 "without requests).",
                 [t(iops_and_latency(), "$tag_name $tag_device $col")], "iops", w=8, min_=None,
                 overrides=wr_down + latency_right("ns"))
    d.timeseries("Disk throughput", "Δrd_bytes (up) and Δwr_bytes (down) per second.",
                 [t(per_device(deriv("rd_bytes", "read") + ", " + deriv("wr_bytes", "write"), "disk"),
                    "$tag_name $tag_device $col")], "Bps", w=8, min_=None, overrides=wr_down)
    d.timeseries("Disk errors", "Δerrors per second.",
                 [t(per_device(deriv("errors", "errors"), "disk"), "$tag_name $tag_device")], "short", w=8)
    d.timeseries("VM disk throughput (all disks)", "disk_rdrate and disk_wrrate (vm_features).",
                 [t(per_vm('mean("disk_rdrate") AS "read", mean("disk_wrrate") AS "write"', "vm_features"),
                    "$tag_name $col")], "Bps", w=24, h=7, min_=None, overrides=wr_down)

    d.row("Storage pools", description="libvirt storage pools of this host (storage_pools), read without a "
          "refresh: the sizes libvirt last refreshed. Used % is 1 − available / capacity.")

    def per_pool(select):
        return f'SELECT {select} FROM "storage_pools" WHERE {H} AND {T} {G}, "pool" fill(none)'
    d.timeseries("Pool used %", "100 × (1 − available / capacity) per pool (storage_pools).",
                 [t(per_pool('100 * (1 - last("available") / last("capacity")) AS "used"'), "$tag_pool")],
                 "percent", w=8, decimals=1)
    d.timeseries("Pool free bytes", "available (storage_pools): bytes free for new volumes per pool.",
                 [t(per_pool('last("available")'), "$tag_pool")], "bytes", w=8)
    d.state_timeline("Pool state", "libvirt state of each pool (storage_pools.state).",
                     [t(per_pool('last("state")'), "$tag_pool")], w=8, h=8, mappings=POOL_STATE_MAPPINGS)
    d.row("Guest filesystems", description="Filesystem usage inside the guests, from the QEMU guest agent: the "
          "vm_devices lines with devtype fs (device: the mountpoint), written with libvirt.guest_agent.enabled.")
    d.timeseries("Guest filesystem used %", "100 × fs_used / fs_size per guest filesystem (vm_devices, devtype fs).",
                 [t(per_device('100 * last("fs_used") / last("fs_size") AS "used"', "fs"), "$tag_name $tag_device")],
                 "percent", w=12, decimals=1)
    d.timeseries("Guest filesystem free bytes", "fs_size − fs_used per guest filesystem (vm_devices, devtype fs).",
                 [t(per_device('last("fs_size") - last("fs_used") AS "free"', "fs"), "$tag_name $tag_device")],
                 "bytes", w=12)
    d.row("VM jobs", description="Migrations, saves, dumps, snapshots and backups running on the VMs: the "
          "job_* fields of vm_metrics (virDomainGetJobStats), present only while a job runs.")
    d.timeseries("Job progress", "job_data_processed and job_data_total (vm_metrics), bytes.",
                 [t(per_vm('last("job_data_processed") AS "processed", last("job_data_total") AS "total"',
                           "vm_metrics"), "$tag_name $col")], "bytes", w=8)
    d.timeseries("Job time", "job_time_elapsed and job_time_remaining (vm_metrics, ms) in seconds; remaining "
                 "only for jobs with a known end, such as migrations.",
                 [t(per_vm('last("job_time_elapsed") / 1000 AS "elapsed", last("job_time_remaining") / 1000 AS '
                           '"remaining"', "vm_metrics"), "$tag_name $col")], "s", w=8)
    d.timeseries("Job transfer rate", "Δjob_data_processed per second, and job_memory_bps (libvirt's memory "
                 "bandwidth for migrations), bytes/s.",
                 [t(per_vm(deriv("job_data_processed", "data") + ', mean("job_memory_bps") AS "memory bandwidth"',
                           "vm_metrics"), "$tag_name $col")], "Bps", w=8)

    d.row("Push health", collapsed=True, description="What arrived from this host. The exporter's own health "
          "(libvirt_up, collection duration, push queue, dropped lines) is on /metrics: see the Prometheus "
          "dashboard.")
    d.timeseries("Points received per interval", "Points of each measurement written by this host per "
                 "interval; a drop to 0 means pushes stopped arriving.",
                 [t(f'SELECT count("state") AS "vm_metrics" FROM "vm_metrics" WHERE {H} AND {T} {G} fill(0)', "$col"),
                  t(f'SELECT count("state") AS "vm_totals" FROM "vm_totals" WHERE {H} AND {T} {G} fill(0)', "$col"),
                  t(f'SELECT count("cpu_usage") AS "vm_features" FROM "vm_features" WHERE {H} AND {T} {G} fill(0)',
                    "$col"),
                  t(f'SELECT count("rxbytes") AS "vm_devices nic", count("rd_bytes") AS "vm_devices disk" '
                    f'FROM "vm_devices" WHERE {H} AND {T} {G} fill(0)', "$col")], "short", w=24, draw="bars",
                 decimals=0)

    ds = d.ds
    variables = [
        query_variable(ds, "host", "host", 'SHOW TAG VALUES FROM "vm_metrics" WITH KEY = "host"', multi=False),
        query_variable(ds, "domain", "domain",
                       'SHOW TAG VALUES FROM "vm_metrics" WITH KEY = "name" WHERE "host" = \'$host\'', multi=True),
    ]
    inputs = [{"name": "DS_INFLUXDB", "label": "InfluxDB", "description": "InfluxDB (InfluxQL) that virt-exporter "
               "pushes to", "type": "datasource", "pluginId": "influxdb", "pluginName": "InfluxDB"}]
    return document(d, "virt-exporter-influxdb", "virt-exporter: libvirt / KVM (InfluxDB)",
                    "Per-host and per-VM statistics that virt-exporter pushes to InfluxDB (vm_metrics, "
                    "vm_features, vm_devices, vm_totals, vm_vcpus, storage_pools).", inputs,
                    requires("influxdb", "InfluxDB", panel_types(d.panels)), variables)


DASHBOARDS = {"virt-exporter-prometheus.json": prometheus, "virt-exporter-influxdb.json": influxdb}


def render(build):
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for name, build in DASHBOARDS.items():
        path = os.path.join(HERE, name)
        text = render(build)
        if check:
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() != text:
                        stale.append(name)
            except FileNotFoundError:
                stale.append(name)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    if stale:
        print("out of date (run contrib/grafana/generate.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
