// The exporter process itself, under the names of Prometheus' process collector, so dashboards and
// alerts written for other exporters work here too. Threads and descriptors are what the soak test
// watches for leaks.
#include "prom/families.hpp"

namespace prom {

void write_process_families(const Scrape& scrape, const DomainLabels&, TextWriter& out)
{
    if (!scrape.status.process) return;
    const auto& p = *scrape.status.process;
    out.single({"process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", Type::counter},
               p.cpu_seconds);
    out.single({"process_open_fds", "Number of open file descriptors.", Type::gauge}, p.open_fds);
    out.single({"process_max_fds", "Maximum number of open file descriptors.", Type::gauge}, p.max_fds);
    out.single({"process_virtual_memory_bytes", "Virtual memory size in bytes.", Type::gauge}, p.virtual_bytes);
    out.single({"process_resident_memory_bytes", "Resident memory size in bytes.", Type::gauge}, p.resident_bytes);
    out.single({"process_start_time_seconds", "Start time of the process since unix epoch in seconds.", Type::gauge},
               p.start_time_unix);
    out.single({"process_threads", "Number of OS threads in the process.", Type::gauge}, p.threads);
}

}  // namespace prom
