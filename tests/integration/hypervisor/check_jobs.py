#!/usr/bin/env python3
"""Domain jobs on real guests while the exporter serves /metrics and pushes to a real InfluxDB 1.6.

A core dump of vexp-test-1 into a FIFO that a paced reader drains keeps the guest in a dump job (paused,
reason dump) for about JOB_SECONDS: the libvirt_domain_job_info_* families appear for it with a rising
data_processed and vanish after the job, vm_metrics carries job_* fields only while it runs, and the other
guests stay fresh. Then the frozen case: the same dump with the guest's QEMU stopped (SIGSTOP), where
virDomainGetJobStats waits on the monitor: scrapes still answer within scrape_timeout, the guest is
timed out and the others are fresh. The dashboards' job panels (contrib/grafana) are run against a real
Prometheus and the InfluxDB while the job runs.

Expects run.sh's fixture: running guests vexp-test-1 and vexp-test-2.
Usage: check_jobs.py EXPORTER SOURCE_DIR      (TAP on stdout)
"""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixtures import InfluxDB, Prometheus, influxql_string, metric, wait_until, workdir  # noqa: E402
from tap import Tap  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guests import Dump, dashboard_targets, pushing_exporter, qemu_pid, stop_all, value, virsh  # noqa: E402

GUEST, OTHER = "vexp-test-1", "vexp-test-2"
JOB_SECONDS = 25
SCRAPE_TIMEOUT = 5
ONE_COLLECTION = 1.5

exporter_bin, source_dir = sys.argv[1], sys.argv[2]
tap = Tap()
work = workdir("vexp-jobs-")




def job_families(text):
    return sorted({line.split("{")[0] for line in text.splitlines() if line.startswith("libvirt_domain_job_info_")})


def guest_memory_bytes():
    return int(virsh("dominfo", GUEST).stdout.split("Max memory:")[1].split()[0]) * 1024


influx = InfluxDB(work)
exp = pushing_exporter(exporter_bin, work, influx, scrape_timeout=SCRAPE_TIMEOUT)
prom = None
scrape = exp.metrics


def fresh_scrape():
    time.sleep(ONE_COLLECTION)
    return scrape()


def job_points(field, since_ns, until_ns=None):
    where = f'WHERE "name" = {influxql_string(GUEST)} AND time > {since_ns}'
    if until_ns:
        where += f" AND time < {until_ns}"
    series = influx.query(f'SELECT count("{field}") FROM "vm_metrics" {where}')
    return series[0]["values"][0][1] if series else 0


def slow_dump():
    start_ns = time.time_ns()
    before = scrape()
    tap.check(not job_families(before), "no job family before the job", job_families(before))
    dump = Dump(GUEST, work, guest_memory_bytes() / JOB_SECONDS)
    try:
        processed, fresh_other = [], True
        # The last scrape that showed the job, and when: the job may end before the loop does (a loaded
        # machine drains the dump faster than it scrapes), and the checks below are about the job.
        job_text, job_seen = "", time.time()
        last_other = value(before, "libvirt_domain_info_cpu_time_seconds_total", OTHER)
        deadline = time.monotonic() + JOB_SECONDS
        while dump.running() and time.monotonic() < deadline and len(processed) < 8:
            text = fresh_scrape()
            p = value(text, "libvirt_domain_job_info_data_processed_bytes", GUEST)
            if p is not None:
                processed.append(p)
                job_text, job_seen = text, time.time()
            cpu = value(text, "libvirt_domain_info_cpu_time_seconds_total", OTHER)
            fresh_other &= (cpu is not None and cpu > last_other and
                            value(text, "libvirt_domain_timed_out", OTHER) == 0 and
                            value(text, "libvirt_domain_timed_out", GUEST) == 0)
            last_other = cpu or last_other
        print(f"# data_processed over the job: {processed}")
        print(f"# job families: {job_families(job_text)}")
        tap.check(len(processed) >= 3 and processed == sorted(processed) and processed[-1] > processed[0],
                  "libvirt_domain_job_info_data_processed_bytes rises while the dump runs", processed)
        tap.check(value(job_text, "libvirt_domain_job_info_type", GUEST) in (1, 2) and
                  value(job_text, "libvirt_domain_job_info_operation", GUEST) == 8 and
                  (value(job_text, "libvirt_domain_job_info_time_elapsed_seconds", GUEST) or 0) > 1 and
                  (value(job_text, "libvirt_domain_job_info_data_total_bytes", GUEST) or 0) > 0,
                  "the job's type, operation (8: dump), elapsed time in seconds and total are there",
                  job_families(job_text))
        tap.check(bool(job_text) and value(job_text, "libvirt_domain_job_info_type", OTHER) is None,
                  "the other guest has no job series")
        tap.check(fresh_other, "the other guest stays fresh (its CPU time moves, timed_out 0) during the job")
        tap.run("vm_metrics carries job_data_processed and job_type for the guest while the job runs",
                lambda: wait_until(lambda: job_points("job_data_processed", start_ns) >= 2 and
                                   job_points("job_type", start_ns) >= 2, 10, "job_* fields in vm_metrics"))
        tap.check(influx.count("vm_metrics", f'WHERE "name" = {influxql_string(OTHER)} AND "job_type" > 0 '
                               f'AND time > {start_ns}') == 0, "no job_* fields on the other guest's vm_metrics")
        if prom:
            for title, q in dashboard_targets(source_dir, "virt-exporter-prometheus.json", "VM jobs"):
                q = q.replace("$host", f"127.0.0.1:{exp.port}").replace("$domain", ".*")
                q = q.replace("$__rate_interval", "30s").replace("$__interval", "10s")
                # Asked at the moment the job was last seen: once it ended its series are stale.
                tap.run(f"Prometheus dashboard panel '{title}' returns the job: {q}",
                        lambda q=q: wait_until(lambda: prom.query(q, at=job_seen), 10, q))
        for title, q in dashboard_targets(source_dir, "virt-exporter-influxdb.json", "VM jobs"):
            host = influx.query('SHOW TAG VALUES FROM "vm_metrics" WITH KEY = "host"')[0]["values"][0][1]
            q = q.replace("$host", host).replace("$timeFilter", "time > now() - 5m")
            q = q.replace("$__interval", "10s").replace("/^$domain$/", "/^.*$/")
            tap.run(f"InfluxDB dashboard panel '{title}' returns the job: {q}",
                    lambda q=q: wait_until(lambda: influx.query(q), 10, q))
    finally:
        dump.finish(abort=False)
    end_ns = time.time_ns()
    text = wait_until(lambda: (lambda t: t if not job_families(t) else None)(fresh_scrape()), 20,
                      "the job families to vanish")
    tap.check(not job_families(text) and value(text, "libvirt_domain_info_state", GUEST) == 1,
              "the job families vanish after the job and the guest runs again")
    time.sleep(3)
    tap.check(job_points("job_type", end_ns + int(2 * 1e9)) == 0 and
              influx.count("vm_metrics", f'WHERE "name" = {influxql_string(GUEST)} AND time > {end_ns + 2e9:.0f}') > 0,
              "vm_metrics goes on without job_* fields after the job")



def frozen_dump():
    dump = Dump(GUEST, work, guest_memory_bytes() / JOB_SECONDS)
    pid = qemu_pid(GUEST)
    try:
        wait_until(lambda: value(fresh_scrape(), "libvirt_domain_job_info_type", GUEST), 10, "the job on /metrics")
        before = scrape()
        os.kill(pid, signal.SIGSTOP)
        worst, texts = 0.0, []
        for _ in range(6):
            time.sleep(ONE_COLLECTION)
            t0 = time.monotonic()
            texts.append(scrape())
            worst = max(worst, time.monotonic() - t0)
        tap.check(worst < SCRAPE_TIMEOUT + 2, f"scrapes answer within scrape_timeout while the guest's QEMU is frozen "
                  f"in its dump job (slowest {worst:.1f} s)")
        text = texts[-1]
        tap.check(metric(text, "virt_exporter_snapshot_stale") == 0 and metric(text, "libvirt_up") == 1,
                  "the collection is fresh: the job call that waits on the frozen monitor does not hold it up")
        tap.check(value(text, "libvirt_domain_timed_out", GUEST) == 1 and
                  value(text, "libvirt_domain_timed_out", OTHER) == 0,
                  "the frozen guest is timed out, the other is not",
                  [line for line in text.splitlines() if line.startswith("libvirt_domain_timed_out")])
        tap.check(value(text, "libvirt_domain_info_cpu_time_seconds_total", OTHER) >
                  value(before, "libvirt_domain_info_cpu_time_seconds_total", OTHER),
                  "the other guest's CPU time keeps moving")
    finally:
        os.kill(pid, signal.SIGCONT)
        dump.finish(abort=True)
    wait_until(lambda: value(fresh_scrape(), "libvirt_domain_info_state", GUEST) == 1, 30,
               "the guest running again after the aborted dump")
    text = wait_until(lambda: (lambda t: t if value(t, "libvirt_domain_timed_out", GUEST) == 0 else None)(
        fresh_scrape()), 30, "timed_out back to 0")
    tap.check(not job_families(text), "no job families once the aborted job is over")


try:
    tap.run("the exporter serves the guests", lambda: wait_until(
        lambda: value(scrape(), "libvirt_domain_info_state", GUEST) is not None, 30, GUEST))
    prom = Prometheus(work, [f"127.0.0.1:{exp.port}"])
    for step in (slow_dump, frozen_dump):
        tap.run(f"{step.__name__} completes", step)
    calls = [line for line in scrape().splitlines() if 'api="virDomainGetJobStats"' in line]
    print(f"# {calls}")
    exp.signal(signal.SIGTERM)
    tap.check(exp.proc.wait(30) == 0, "exporter exits 0 on SIGTERM")
finally:
    stop_all(tap, exp, influx, *([prom] if prom else []))
sys.exit(tap.done())
