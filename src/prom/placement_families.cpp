// The pseudo stats groups' families: where each vCPU runs and may run (vcpu_placement) and each disk's
// I/O limits (block_iotune). Tinkoff's names: libvirt_domain_vcpu_cpu, and libvirt_domain_block_stats_limit_*
// and _size_iops_bytes in its units (bytes/s, requests/s, seconds, bytes); the pinning as a cpulist label
// is Telegraf's vcpu_mapping in spirit. A value the group did not collect, or a limit that is not set,
// has no sample.
#include "prom/families.hpp"

namespace prom {
namespace {

using collect::IoTuneLimit;

struct LimitFamily {
    Family family;
    IoTuneLimit limit;
};

const LimitFamily limit_families[] = {
    {{"libvirt_domain_block_stats_limit_total_bytes", "Limit on reads and writes together, in bytes per second.",
      Type::gauge},
     IoTuneLimit::total_bytes_sec},
    {{"libvirt_domain_block_stats_limit_read_bytes", "Limit on reads, in bytes per second.", Type::gauge},
     IoTuneLimit::read_bytes_sec},
    {{"libvirt_domain_block_stats_limit_write_bytes", "Limit on writes, in bytes per second.", Type::gauge},
     IoTuneLimit::write_bytes_sec},
    {{"libvirt_domain_block_stats_limit_total_requests", "Limit on read and write requests together, per second.",
      Type::gauge},
     IoTuneLimit::total_iops_sec},
    {{"libvirt_domain_block_stats_limit_read_requests", "Limit on read requests per second.", Type::gauge},
     IoTuneLimit::read_iops_sec},
    {{"libvirt_domain_block_stats_limit_write_requests", "Limit on write requests per second.", Type::gauge},
     IoTuneLimit::write_iops_sec},
    {{"libvirt_domain_block_stats_limit_burst_total_bytes",
      "Burst limit on reads and writes together, in bytes per second.", Type::gauge},
     IoTuneLimit::total_bytes_sec_max},
    {{"libvirt_domain_block_stats_limit_burst_read_bytes", "Burst limit on reads, in bytes per second.", Type::gauge},
     IoTuneLimit::read_bytes_sec_max},
    {{"libvirt_domain_block_stats_limit_burst_write_bytes", "Burst limit on writes, in bytes per second.", Type::gauge},
     IoTuneLimit::write_bytes_sec_max},
    {{"libvirt_domain_block_stats_limit_burst_total_requests",
      "Burst limit on read and write requests together, per second.", Type::gauge},
     IoTuneLimit::total_iops_sec_max},
    {{"libvirt_domain_block_stats_limit_burst_read_requests", "Burst limit on read requests per second.", Type::gauge},
     IoTuneLimit::read_iops_sec_max},
    {{"libvirt_domain_block_stats_limit_burst_write_requests", "Burst limit on write requests per second.",
      Type::gauge},
     IoTuneLimit::write_iops_sec_max},
    {{"libvirt_domain_block_stats_limit_burst_total_bytes_length_seconds",
      "How long the burst limit on bytes read and written together may last, in seconds.", Type::gauge},
     IoTuneLimit::total_bytes_sec_max_length},
    {{"libvirt_domain_block_stats_limit_burst_read_bytes_length_seconds",
      "How long the burst limit on bytes read may last, in seconds.", Type::gauge},
     IoTuneLimit::read_bytes_sec_max_length},
    {{"libvirt_domain_block_stats_limit_burst_write_bytes_length_seconds",
      "How long the burst limit on bytes written may last, in seconds.", Type::gauge},
     IoTuneLimit::write_bytes_sec_max_length},
    {{"libvirt_domain_block_stats_limit_burst_length_total_requests_seconds",
      "How long the burst limit on read and write requests together may last, in seconds.", Type::gauge},
     IoTuneLimit::total_iops_sec_max_length},
    {{"libvirt_domain_block_stats_limit_burst_length_read_requests_seconds",
      "How long the burst limit on read requests may last, in seconds.", Type::gauge},
     IoTuneLimit::read_iops_sec_max_length},
    {{"libvirt_domain_block_stats_limit_burst_length_write_requests_seconds",
      "How long the burst limit on write requests may last, in seconds.", Type::gauge},
     IoTuneLimit::write_iops_sec_max_length},
    {{"libvirt_domain_block_stats_size_iops_bytes",
      "Size one request counts for in the request limits (a larger request counts as several), in bytes.", Type::gauge},
     IoTuneLimit::size_iops_sec},
};

}  // namespace

void write_placement_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out)
{
    if (!scrape.snapshot) return;
    using collect::VcpuSample;
    each_vcpu(out, labels, {"libvirt_domain_vcpu_cpu", "Host CPU the vCPU runs on or last ran on.", Type::gauge},
              [](const VcpuSample& v) { return v.host_cpu; });
    out.family({"libvirt_domain_vcpu_affinity_info",
                "Host CPUs the vCPU may run on (its pinning), as a cpulist in the label cpus; always 1.", Type::gauge});
    std::string more;
    const auto& domains = labels.domains();
    for (std::size_t d = 0; d < domains.size(); ++d) {
        for (const auto& v : domains[d].vcpus) {
            if (v.affinity.empty()) continue;
            more.clear();
            append_label(more, "vcpu", std::to_string(v.index));
            append_label(more, "cpus", v.affinity);
            out.sample(labels.domain(d), more, 1);
        }
    }
    for (const LimitFamily& f : limit_families)
        each_disk(out, labels, f.family, [&f](const collect::DiskSample& b) { return limit(b.iotune, f.limit); });
}

}  // namespace prom
