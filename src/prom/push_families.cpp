// The InfluxDB push loop's health: queue, spool, delivered/dropped/rejected lines, retries.
#include "prom/families.hpp"
#include "prom/family_builder.hpp"

namespace prom {

void add_push_families(const Scrape& scrape, Families& out)
{
    if (!scrape.status.push) return;
    using prometheus::MetricType;
    const PushStatus& p = *scrape.status.push;
    const auto one = [&](const char* name, const char* help, MetricType type, double value) {
        FamilyBuilder f(out, name, help, type);
        f.add({}, value);
    };
    one("virt_exporter_push_running", "1 while the InfluxDB push loop runs (not stopped or paused).", MetricType::Gauge,
        p.running ? 1 : 0);
    one("virt_exporter_push_queue_lines", "Lines waiting in memory to be written to InfluxDB.", MetricType::Gauge,
        static_cast<double>(p.queued_lines));
    one("virt_exporter_push_spool_lines", "Lines waiting in the on-disk spool.", MetricType::Gauge,
        static_cast<double>(p.spooled_lines));
    one("virt_exporter_push_spool_bytes", "Size of the on-disk spool.", MetricType::Gauge,
        static_cast<double>(p.spool_bytes));
    one("virt_exporter_push_lines_written_total", "Lines InfluxDB accepted.", MetricType::Counter,
        static_cast<double>(p.lines_written));
    one("virt_exporter_push_lines_dropped_total", "Lines dropped because neither memory nor spool had room.",
        MetricType::Counter, static_cast<double>(p.lines_dropped));
    one("virt_exporter_push_lines_rejected_total", "Lines InfluxDB refused (partial writes); not retried.",
        MetricType::Counter, static_cast<double>(p.lines_rejected));
    one("virt_exporter_push_retries_total", "Write attempts that failed and were retried.", MetricType::Counter,
        static_cast<double>(p.retries));
    if (p.last_success_unix > 0)
        one("virt_exporter_push_last_success_timestamp_seconds", "When InfluxDB last accepted a write.",
            MetricType::Gauge, p.last_success_unix);
}

}  // namespace prom
