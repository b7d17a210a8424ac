// The InfluxDB push loop's health: queue, spool, delivered/dropped/rejected lines, retries.
#include "prom/families.hpp"

namespace prom {

namespace {

// Per write URL (push.urls), labelled with the URL as shown (its password masked).
void write_push_url_families(const PushStatus& p, TextWriter& out)
{
    if (p.urls.empty()) return;
    std::vector<std::string> labels;
    for (const auto& u : p.urls) append_label(labels.emplace_back(), "url", u.url);
    const auto each = [&](const Family& f, auto value_of) {
        out.family(f);
        for (std::size_t i = 0; i < p.urls.size(); ++i) out.sample(labels[i], value_of(p.urls[i]));
    };
    each({"virt_exporter_push_url_current", "1 for the write URL the push writes to now.", Type::gauge},
         [](const PushUrlStatus& u) { return std::uint64_t{u.current ? 1u : 0u}; });
    each(
        {"virt_exporter_push_url_up", "0 while a write URL's last attempt failed (network error or 5xx).", Type::gauge},
        [](const PushUrlStatus& u) { return std::uint64_t{u.up ? 1u : 0u}; });
    each({"virt_exporter_push_url_writes_total", "Write requests a URL accepted.", Type::counter},
         [](const PushUrlStatus& u) { return u.writes; });
    each({"virt_exporter_push_url_failures_total", "Write requests to a URL that failed (network error or 5xx).",
          Type::counter},
         [](const PushUrlStatus& u) { return u.failures; });
}

}  // namespace

void write_push_families(const Scrape& scrape, const DomainLabels&, TextWriter& out)
{
    if (!scrape.status.push) return;
    const PushStatus& p = *scrape.status.push;
    out.single(
        {"virt_exporter_push_running", "1 while the InfluxDB push loop runs (not stopped or paused).", Type::gauge},
        p.running ? 1 : 0);
    out.single({"virt_exporter_push_queue_lines", "Lines waiting in memory to be written to InfluxDB.", Type::gauge},
               p.queued_lines);
    out.single({"virt_exporter_push_spool_lines", "Lines waiting in the on-disk spool.", Type::gauge}, p.spooled_lines);
    out.single({"virt_exporter_push_spool_bytes", "Size of the on-disk spool.", Type::gauge}, p.spool_bytes);
    out.single({"virt_exporter_push_lines_written_total", "Lines InfluxDB accepted.", Type::counter}, p.lines_written);
    out.single({"virt_exporter_push_lines_dropped_total", "Lines dropped because neither memory nor spool had room.",
                Type::counter},
               p.lines_dropped);
    out.single({"virt_exporter_push_lines_rejected_total", "Lines InfluxDB refused (partial writes); not retried.",
                Type::counter},
               p.lines_rejected);
    out.single({"virt_exporter_push_retries_total", "Write attempts that failed and were retried.", Type::counter},
               p.retries);
    if (p.last_success_unix > 0)
        out.single(
            {"virt_exporter_push_last_success_timestamp_seconds", "When InfluxDB last accepted a write.", Type::gauge},
            p.last_success_unix);
    write_push_url_families(p, out);
}

}  // namespace prom
