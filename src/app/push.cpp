#include "app/push.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "influx/measurements.hpp"
#include "influx/guest_fs_lines.hpp"
#include "influx/pool_lines.hpp"
#include "influx/failover.hpp"
#include "instr/instruments.hpp"
#include "util/log.hpp"

namespace app {
namespace {

std::string hostname()
{
    char buf[256] = "";
    if (gethostname(buf, sizeof buf - 1) != 0) return {};
    return buf;
}

std::vector<prom::PushUrlStatus> push_url_status(const std::vector<influx::UrlStats>& urls)
{
    std::vector<prom::PushUrlStatus> out;
    out.reserve(urls.size());
    for (const auto& u : urls)
        out.push_back(prom::PushUrlStatus{.url = u.url,
                                          .current = u.current,
                                          .up = u.up,
                                          .writes = u.writes,
                                          .failures = u.failures,
                                          .last_error = u.last_error});
    return out;
}

}  // namespace

std::size_t lines_in(std::string_view body) noexcept
{
    const auto newlines = static_cast<std::size_t>(std::count(body.begin(), body.end(), '\n'));
    return newlines + (!body.empty() && body.back() != '\n' ? 1 : 0);
}

std::unique_ptr<influx::Pusher> make_pusher(const config::Config& config, collect::SnapshotStore& store,
                                            instr::Instruments* instruments, const collect::PoolCollector* pools,
                                            const collect::GuestAgentCollector* guests)
{
    const config::PushConfig& push = config.push;
    if (!push.active()) return nullptr;
    std::shared_ptr<influx::FailoverWriter> writer = influx::FailoverWriter::for_config(push);
    influx::MeasurementOptions options{
        .host = push.host_tag.empty() ? hostname() : push.host_tag,
        .extra_tags = push.extra_tags,
        .measurements = push.measurements,
    };
    auto producer = [options, precision = push.precision, pools, guests](const collect::Snapshot& now,
                                                                         const collect::Snapshot* before) {
        auto lines = influx::measurement_lines(now, before, options, precision);
        // The pools' last answers, stamped with the domains' time: one push, one timestamp.
        if (pools && (options.measurements & config::m_storage_pools))
            influx::append_pool_lines(pools->snapshot(), now.taken_at, options, precision, lines);
        if (guests) influx::append_guest_fs_lines(now, guests->snapshot(), options, precision, lines);
        return lines;
    };
    // The writer lives as long as the pusher's copy of this function: only the sender thread calls it.
    auto write = [writer, instruments, api = config::name_of(push.api)](std::string_view lines) {
        if (!instruments) return writer->write(lines);
        const auto start = std::chrono::steady_clock::now();
        auto answer = writer->write(lines);
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        instruments->record_push_write(api, took.count(), lines_in(lines));
        return answer;
    };
    util::log_info("push", "pushing every " + std::to_string(push.interval.count()) + " ms to " +
                               influx::FailoverWriter::describe(push) +
                               (push.spool_dir.empty() ? ", no spool" : ", spool in " + push.spool_dir));
    auto pusher = std::make_unique<influx::Pusher>(push, store, producer, write, config.libvirt.timeout);
    pusher->set_url_stats([writer] { return writer->stats(); });
    return pusher;
}

prom::PushStatus push_status(const influx::PushStats& s)
{
    return prom::PushStatus{
        .running = s.running,
        .queued_lines = s.queued_lines,
        .spooled_lines = s.spooled_lines,
        .spool_bytes = s.spool_bytes,
        .lines_written = s.lines_written,
        .lines_dropped = s.lines_dropped,
        .lines_rejected = s.lines_rejected,
        .retries = s.retries,
        .last_success_unix = s.last_success_unix,
        .last_error = s.last_error,
        .urls = push_url_status(s.urls),
    };
}

}  // namespace app
