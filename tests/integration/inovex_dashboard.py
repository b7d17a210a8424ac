"""What inovex's shipped Grafana dashboard (dashboards/openstack-libvirt-dashboard/libvirt-openstack.json,
v2.5) asks Prometheus for: the 25 metric names its panels and variables query, and the labels they group
and filter by. prometheus_scrape.py runs check() against a real Prometheus scraping the exporter, on the
demo node (test driver, one Nova instance) and on the real QEMU guests (Nova metadata on each)."""

# Every name the dashboard's queries use, as it spells them (names only; the panels' PromQL is theirs).
NAMES = [
    "libvirt_domain_block_stats_info",
    "libvirt_domain_block_stats_read_bytes_total",
    "libvirt_domain_block_stats_read_requests_total",
    "libvirt_domain_block_stats_read_time_seconds_total",
    "libvirt_domain_block_stats_write_bytes_total",
    "libvirt_domain_block_stats_write_requests_total",
    "libvirt_domain_block_stats_write_time_seconds_total",
    "libvirt_domain_info_cpu_time_seconds_total",
    "libvirt_domain_info_state",
    "libvirt_domain_interface_stats_info",
    "libvirt_domain_interface_stats_receive_bytes_total",
    "libvirt_domain_interface_stats_receive_drops_total",
    "libvirt_domain_interface_stats_receive_errors_total",
    "libvirt_domain_interface_stats_receive_packets_total",
    "libvirt_domain_interface_stats_transmit_bytes_total",
    "libvirt_domain_interface_stats_transmit_errors_total",
    "libvirt_domain_interface_stats_transmit_packets_total",
    "libvirt_domain_memory_stats_maximum_bytes",
    "libvirt_domain_memory_stats_swap_in_bytes",
    "libvirt_domain_memory_stats_swap_out_bytes",
    "libvirt_domain_memory_stats_used_percent",
    "libvirt_domain_openstack_info",
    "libvirt_domain_vcpu_current",
    "libvirt_domain_vcpu_delay_seconds_total",
    "libvirt_domain_vcpu_time_seconds_total",
]

# The labels the panels group by (`sum by (domain, target_device)`) or the variables read
# (`label_values(libvirt_domain_openstack_info, project_name)` → instance_name → instance_id → domain).
def group_labels(name):
    if name == "libvirt_domain_openstack_info":
        return ["domain", "project_name", "instance_name", "instance_id"]
    if name.startswith(("libvirt_domain_block_stats_", "libvirt_domain_interface_stats_")):
        return ["domain", "target_device"]
    return ["domain"]

# What libvirt's test driver does not report, so no exporter can serve it there: it has no per-vCPU
# scheduler delay (vcpu.N.delay needs a host's schedstat) and its virDomainBlockStats has no times.
TEST_DRIVER_LACKS = {
    "libvirt_domain_vcpu_delay_seconds_total": "the test driver reports no vcpu.N.delay",
    "libvirt_domain_block_stats_read_time_seconds_total": "the test driver's block stats have no rd.times",
    "libvirt_domain_block_stats_write_time_seconds_total": "the test driver's block stats have no wr.times",
}


def check(tap, prom, where, lacking=None):
    """One TAP line per name: Prometheus holds series of it with every group-by label present on each, and
    the dashboard's variable chain leads from a project to a domain that has data. `lacking`: names the
    libvirt behind the exporter cannot report (SKIP with the reason)."""
    lacking = lacking or {}
    for name in NAMES:
        if name in lacking:
            tap.check(True, f"{where}: inovex dashboard name {name} # SKIP {lacking[name]}")
            continue

        def has_data(n=name):
            series = prom.query('{__name__="%s"}' % n)
            assert series, "no series in Prometheus"
            # Prometheus stores no empty label: a domain without Nova metadata has no project_name or
            # instance_name there (the variable chain below needs them on one), but instance_id (the UUID).
            required = [label for label in group_labels(n) if label not in ("project_name", "instance_name")]
            for s in series:
                missing = [label for label in required if label not in s["metric"]]
                assert not missing, f"{s['metric']} lacks {missing}"
            if "project_name" in group_labels(n):
                assert any(s["metric"].get("project_name") and s["metric"].get("instance_name") for s in series), \
                    "no series with project_name and instance_name"
            return True
        tap.run(f"{where}: inovex dashboard name {name} has data, labelled by {', '.join(group_labels(name))}",
                has_data)

    def variable_chain():
        projects = {s["metric"].get("project_name", "") for s in prom.query("libvirt_domain_openstack_info")} - {""}
        assert projects, "no project_name in libvirt_domain_openstack_info"
        project = sorted(projects)[0]
        info = prom.query('libvirt_domain_openstack_info{project_name="%s"}' % project)
        instance = info[0]["metric"]
        assert instance["instance_name"] and instance["instance_id"], instance
        domain = instance["domain"].replace("\\", "\\\\").replace('"', '\\"')
        cpu = prom.query('libvirt_domain_info_cpu_time_seconds_total{domain="%s"}' % domain)
        assert cpu, f"no CPU time for {domain}, the domain of {project}/{instance['instance_name']}"
        return True
    tap.run(f"{where}: the dashboard's project → instance → domain variables lead to a domain with data",
            variable_chain)
