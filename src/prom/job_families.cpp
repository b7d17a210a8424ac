// libvirt_domain_job_info_*: the job running on a domain at collection time (virDomainGetJobStats),
// one series per family for each domain with a job; nothing for the others, so the families vanish
// when the last job ends. The names of inovex's exporter where it has the value (it reads
// virDomainGetJobInfo and exports its milliseconds unconverted under _seconds: ours are seconds), and
// the same scheme for what only virDomainGetJobStats has. inovex's file_* are the job's disk_*
// (virDomainGetJobInfo's fileTotal is GetJobStats' disk_total).
#include "prom/families.hpp"

namespace prom {
namespace {

using collect::JobSample;
using collect::OptU64;

std::optional<double> dirty_bytes_per_second(const JobSample& j)
{
    if (!j.memory_dirty_rate || !j.memory_page_size) return std::nullopt;
    return static_cast<double>(*j.memory_dirty_rate) * static_cast<double>(*j.memory_page_size);
}

struct JobFamily {
    Family family;
    std::optional<double> (*get)(const JobSample&);
};

template <OptU64 JobSample::*Member, Unit From = Unit::one>
std::optional<double> value(const JobSample& j)
{
    return to_base(j.*Member, From);
}

const JobFamily job_families[] = {
    {{"libvirt_domain_job_info_type", "Type of the running job (virDomainJobType: 1 bounded, 2 unbounded).",
      Type::gauge},
     [](const JobSample& j) { return std::optional<double>(j.type); }},
    {{"libvirt_domain_job_info_operation",
      "Operation of the running job (virDomainJobOperation: 2 save, 5 outgoing migration, 6 snapshot, 8 dump, "
      "9 backup, ...).",
      Type::gauge},
     [](const JobSample& j) { return j.operation ? std::optional<double>(*j.operation) : std::nullopt; }},
    {{"libvirt_domain_job_info_time_elapsed_seconds", "Time since the job started, in seconds.", Type::gauge},
     value<&JobSample::time_elapsed, Unit::ms>},
    {{"libvirt_domain_job_info_time_remaining_seconds", "Estimated time until the job ends, in seconds.", Type::gauge},
     value<&JobSample::time_remaining, Unit::ms>},
    {{"libvirt_domain_job_info_downtime_seconds", "Downtime of the migration: expected while it runs, in seconds.",
      Type::gauge},
     value<&JobSample::downtime, Unit::ms>},
    {{"libvirt_domain_job_info_data_total_bytes", "Data the job has to process in all, in bytes.", Type::gauge},
     value<&JobSample::data_total>},
    {{"libvirt_domain_job_info_data_processed_bytes", "Data the job has processed, in bytes.", Type::gauge},
     value<&JobSample::data_processed>},
    {{"libvirt_domain_job_info_data_remaining_bytes", "Data the job has still to process, in bytes.", Type::gauge},
     value<&JobSample::data_remaining>},
    {{"libvirt_domain_job_info_memory_total_bytes", "Guest memory the job has to transfer, in bytes.", Type::gauge},
     value<&JobSample::memory_total>},
    {{"libvirt_domain_job_info_memory_processed_bytes", "Guest memory the job has transferred, in bytes.", Type::gauge},
     value<&JobSample::memory_processed>},
    {{"libvirt_domain_job_info_memory_remaining_bytes", "Guest memory the job has still to transfer, in bytes.",
      Type::gauge},
     value<&JobSample::memory_remaining>},
    {{"libvirt_domain_job_info_memory_bandwidth_bytes_per_second",
      "Rate at which the job transfers guest memory, in bytes per second.", Type::gauge},
     value<&JobSample::memory_bps>},
    {{"libvirt_domain_job_info_memory_dirty_rate_bytes_per_second",
      "Rate at which the guest dirties memory during the migration, in bytes per second.", Type::gauge},
     dirty_bytes_per_second},
    {{"libvirt_domain_job_info_memory_iteration", "Pass of the migration over guest memory (1 the first).",
      Type::gauge},
     value<&JobSample::memory_iteration>},
    {{"libvirt_domain_job_info_file_total_bytes", "Disk data the job has to transfer, in bytes.", Type::gauge},
     value<&JobSample::disk_total>},
    {{"libvirt_domain_job_info_file_processed_bytes", "Disk data the job has transferred, in bytes.", Type::gauge},
     value<&JobSample::disk_processed>},
    {{"libvirt_domain_job_info_file_remaining_bytes", "Disk data the job has still to transfer, in bytes.",
      Type::gauge},
     value<&JobSample::disk_remaining>},
    {{"libvirt_domain_job_info_disk_bandwidth_bytes_per_second",
      "Rate at which the job transfers disk data, in bytes per second.", Type::gauge},
     value<&JobSample::disk_bps>},
};

}  // namespace

void write_job_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out)
{
    if (!scrape.snapshot) return;
    for (const auto& f : job_families) {
        each_domain(out, labels, f.family,
                    [&f](const collect::DomainSample& d) { return d.job ? f.get(*d.job) : std::optional<double>{}; });
    }
}

}  // namespace prom
