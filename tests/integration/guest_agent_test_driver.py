#!/usr/bin/env python3
"""libvirt.guest_agent on libvirt's test driver, which has no virDomainGetGuestInfo: with the option off
nothing of it exists (no guest family, no start-up line about a read-write connection); with it on the
exporter says once at start-up that it opens a second, read-write connection, reports
libvirt_domain_guest_agent_up 0 for the running domain and nothing for the shut-off one, backs off (calls
at rounds 1, 2, 4, 8, ... of a 1 s interval: at most 5 in 10 s), and the domain families stay as they were.
Real agents are the hypervisor tier's check guest_agent.

Usage: guest_agent_test_driver.py EXPORTER SOURCE_DIR      (TAP on stdout)
"""
import os
import re
import sys
import time

from fixtures import Exporter, exporter_config, metric, wait_until, workdir
from tap import Tap

URI = "test:///default"
LINE = "opening a second, read-write connection"

exporter_bin = sys.argv[1]
tap = Tap()
work = workdir("vexp-guest-agent-td-")


def start(enabled):
    cfg = exporter_config(os.path.join(work, f"exporter-{enabled}.yaml"),
                          libvirt={"storage_pools": False, "guest_agent": {"enabled": enabled, "interval": 1}})
    return Exporter(exporter_bin, work, URI, ["--config", cfg])


def calls(text):
    m = re.search(r'^virt_exporter_libvirt_calls_total\{api="virDomainGetGuestInfo"\} (\S+)$', text, re.M)
    return float(m.group(1)) if m else None


def guest_up(text):
    return dict(re.findall(r'^libvirt_domain_guest_agent_up\{domain="([^"]*)"[^}]*\} (\S+)$', text, re.M))


exp = start(False)
try:
    text = wait_until(lambda: (lambda t: t if metric(t, "libvirt_up") == 1 else None)(exp.metrics()), 20, "libvirt_up")
    tap.check("libvirt_domain_guest_agent_up" not in text and calls(text) == 0,
              "option off: no guest family and no virDomainGetGuestInfo call")
    tap.check(LINE not in exp.output(), "option off: no start-up line about a read-write connection")
finally:
    tap.check(exp.stop() == 0, "option off: the exporter exits 0")

exp = start(True)
try:
    text = wait_until(lambda: (lambda t: t if guest_up(t) else None)(exp.metrics()), 20, "guest_agent_up")
    t0 = time.monotonic()
    c0 = calls(text)
    tap.check(exp.output().count(LINE) == 1, "option on: one start-up line says a read-write connection is opened",
              [line for line in exp.output().splitlines() if "read-write" in line])
    tap.check(guest_up(text) == {"test": "0"},
              "the running domain's agent is down (the test driver lacks the call); the shut-off one is not asked",
              guest_up(text))
    tap.check("libvirt_domain_guest_agent_age_seconds{" not in text and
              "libvirt_domain_guest_filesystem_size_bytes{" not in text, "no age and no filesystem without an answer")
    time.sleep(10 - (time.monotonic() - t0))
    text = exp.metrics()
    print(f"# virDomainGetGuestInfo calls: {c0:.0f} at the first answer, {calls(text):.0f} 10 s later")
    tap.check(calls(text) - c0 <= 4, "backoff: at most 4 more calls in 10 s at a 1 s interval", calls(text) - c0)
    tap.check(metric(text, "libvirt_up") == 1 and 'libvirt_domain_info_state{domain="test"' in text,
              "the domain families are there as before")
finally:
    tap.check(exp.stop() == 0, "option on: the exporter exits 0 on SIGTERM")
sys.exit(tap.done())
