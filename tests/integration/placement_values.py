"""What the placement checks compare (placement_test_driver.py, hypervisor/check_placement.py): the series of
the vcpu_placement and block_iotune families on /metrics, and what virsh says of the same domain."""
import re
import subprocess


def virsh(uri, *args):
    return subprocess.run(["virsh", "-q", "-c", uri, *args], capture_output=True, text=True, timeout=60,
                          check=True).stdout


def series(text, family, domain):
    """{labels string: value} of `family`'s series for `domain`."""
    out = {}
    for m in re.finditer(r'^%s\{([^}]*domain="%s"[^}]*)\} (\S+)$' % (re.escape(family), re.escape(domain)),
                         text, re.M):
        out[m.group(1)] = float(m.group(2))
    return out


def label(labels, name):
    m = re.search(r'(?:^|,)%s="([^"]*)"' % name, labels)
    return m.group(1) if m else None


def exported_affinity(text, domain):
    """{vcpu: cpus} of libvirt_domain_vcpu_affinity_info."""
    return {int(label(k, "vcpu")): label(k, "cpus")
            for k, v in series(text, "libvirt_domain_vcpu_affinity_info", domain).items() if v == 1}


def exported_host_cpus(text, domain):
    """{vcpu: host CPU} of libvirt_domain_vcpu_cpu."""
    return {int(label(k, "vcpu")): int(v) for k, v in series(text, "libvirt_domain_vcpu_cpu", domain).items()}


def exported_limit(text, family, domain, disk):
    """The value of libvirt_domain_block_stats_<family> for `disk`, or None."""
    for k, v in series(text, "libvirt_domain_block_stats_" + family, domain).items():
        if label(k, "target_device") == disk:
            return v
    return None


def virsh_pinning(uri, domain):
    """{vcpu: cpulist} from `virsh vcpupin DOMAIN` (rows "VCPU   CPU Affinity")."""
    rows = [line.split() for line in virsh(uri, "vcpupin", domain).splitlines()]
    return {int(r[0]): r[1] for r in rows if len(r) == 2 and r[0].isdigit()}


def virsh_host_cpus(uri, domain):
    """{vcpu: host CPU} from `virsh vcpuinfo DOMAIN`."""
    return {int(v): int(c) for v, c in re.findall(r"^VCPU:\s+(\d+)\s*\nCPU:\s+(\d+)",
                                                  virsh(uri, "vcpuinfo", domain), re.M)}


def virsh_iotune(uri, domain, disk):
    """{key: value} from `virsh blkdeviotune DOMAIN DISK`."""
    return {k: int(v) for k, v in re.findall(r"^(\w+)\s*:\s*(\d+)\s*$", virsh(uri, "blkdeviotune", domain, disk),
                                             re.M)}
