// The exporter process itself, under the names of Prometheus' process collector, so dashboards and
// alerts written for other exporters work here too. Threads and descriptors are what the soak test
// watches for leaks.
#include "prom/families.hpp"
#include "prom/family_builder.hpp"

namespace prom {

void add_process_families(const Scrape& scrape, Families& out)
{
    using prometheus::MetricType;
    if (!scrape.status.process) return;
    const auto& p = *scrape.status.process;
    auto gauge = [&](const char* name, const char* help, double value) {
        FamilyBuilder(out, name, help, MetricType::Gauge).add({}, value);
    };
    FamilyBuilder(out, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                  MetricType::Counter)
        .add({}, p.cpu_seconds);
    gauge("process_open_fds", "Number of open file descriptors.", static_cast<double>(p.open_fds));
    gauge("process_max_fds", "Maximum number of open file descriptors.", static_cast<double>(p.max_fds));
    gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", static_cast<double>(p.virtual_bytes));
    gauge("process_resident_memory_bytes", "Resident memory size in bytes.", static_cast<double>(p.resident_bytes));
    gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", p.start_time_unix);
    gauge("process_threads", "Number of OS threads in the process.", static_cast<double>(p.threads));
}

}  // namespace prom
