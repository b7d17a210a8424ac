"""What a process costs the host, read from /proc: CPU seconds (utime+stime), peak RSS, and the QEMU
processes of qemu:///system with their idle rate, so that the CPU a monitor query costs QEMU can be told
from what the guests burn anyway. Shared by scrape_compare.py and interval_compare.py."""
import glob
import os
import re
import time


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"^VmHWM:\s+(\d+)", f.read(), re.M).group(1))


class QemuCpu:
    """The summed CPU of every QEMU that libvirt's system daemon runs (its pid files), all threads: vCPUs,
    the main loop that answers QMP, I/O threads. `measure_idle` takes their rate while nobody asks libvirt
    anything; `attributable(cpu, seconds)` is what a query window cost beyond that rate (never below 0).
    Without QEMUs (the test driver) every figure is 0."""

    @classmethod
    def for_uri(cls, uri):
        """Watches the QEMUs of qemu:///system; for any other URI (the test driver) there are none."""
        return cls() if uri.startswith("qemu:///system") else cls(pid_dir=None)

    def __init__(self, pid_dir="/run/libvirt/qemu"):
        self.pids = []
        for path in glob.glob(os.path.join(pid_dir, "*.pid")) if pid_dir else []:
            try:
                with open(path) as f:
                    self.pids.append(int(f.read().strip()))
            except (OSError, ValueError):
                pass
        self.idle_rate = 0.0

    def total(self):
        total = 0.0
        for pid in self.pids:
            try:
                total += cpu_seconds(pid)
            except OSError:  # a guest that went away is not the bench's to count
                pass
        return total

    def measure_idle(self, seconds=5.0):
        if not self.pids:
            return
        c0, t0 = self.total(), time.monotonic()
        time.sleep(seconds)
        self.idle_rate = (self.total() - c0) / (time.monotonic() - t0)

    def attributable(self, cpu, seconds):
        return max(0.0, cpu - self.idle_rate * seconds)
