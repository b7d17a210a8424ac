#include "influx/failover.hpp"

#include "influx/writer.hpp"
#include "util/log.hpp"

namespace influx {
namespace {

// The push settings of one of push.endpoints(): a Writer for it, or its description.
config::PushConfig endpoint_config(const config::PushConfig& push, const std::string& url)
{
    config::PushConfig one = push;
    one.url = url;
    one.urls.clear();
    return one;
}

}  // namespace

FailoverWriter::FailoverWriter(std::vector<Target> targets, std::chrono::milliseconds probe_every,
                               const util::Clock& clock)
    : targets_(std::move(targets)), probe_every_(probe_every), clock_(clock)
{
    for (const auto& t : targets_) {
        UrlStats s;
        s.url = t.url;
        stats_.push_back(std::move(s));
    }
    if (!stats_.empty()) stats_.front().current = true;
}

std::unique_ptr<FailoverWriter> FailoverWriter::for_config(const config::PushConfig& push)
{
    std::vector<Target> targets;
    for (const auto& url : push.endpoints()) {
        auto writer = std::make_shared<Writer>(endpoint_config(push, url));
        targets.push_back(Target{masked_url(url), [writer](std::string_view lines) { return writer->write(lines); }});
    }
    return std::make_unique<FailoverWriter>(std::move(targets), push.retry_backoff_max);
}

std::string FailoverWriter::describe(const config::PushConfig& push)
{
    std::string out;
    for (const auto& url : push.endpoints())
        out += (out.empty() ? "" : ", failing over to ") + influx::describe(endpoint_config(push, url));
    return out;
}

bool FailoverWriter::fails_over(const WriteResult& r) noexcept
{
    return r.status >= 500 || (r.outcome == Outcome::network_error && r.unsent);
}

WriteResult FailoverWriter::attempt(std::size_t i, std::string_view lines)
{
    WriteResult r = targets_[i].write(lines);
    const bool failed = r.status >= 500 || r.outcome == Outcome::network_error;
    const std::lock_guard lock(mu_);
    UrlStats& s = stats_[i];
    s.up = !failed;
    if (r.outcome == Outcome::ok) ++s.writes;
    if (failed) {
        ++s.failures;
        s.last_error = std::string(outcome_name(r.outcome)) + ": " + r.message;
    }
    return r;
}

WriteResult FailoverWriter::write(std::string_view lines)
{
    const std::size_t n = targets_.size();
    const auto now = clock_.now();
    // While a later URL is current, the first gets a batch again once per probe_every.
    std::size_t start = current_;
    if (current_ != 0 && now >= next_probe_) {
        start = 0;
        next_probe_ = now + probe_every_;
    }
    WriteResult r;
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (start + k) % n;
        r = attempt(i, lines);
        if (fails_over(r) && k + 1 < n) continue;  // not taken there: the next URL in order
        if (!fails_over(r) && i != current_) {
            const std::string change = "writing to " + targets_[i].url + " now (was " + targets_[current_].url + ")";
            if (i == 0)
                util::log_info("push", change);  // back on the first
            else
                util::log_warn("push", change);
            if (current_ == 0) next_probe_ = now + probe_every_;
            const std::lock_guard lock(mu_);
            stats_[current_].current = false;
            stats_[i].current = true;
            current_ = i;
        }
        return r;
    }
    return r;
}

std::vector<UrlStats> FailoverWriter::stats() const
{
    const std::lock_guard lock(mu_);
    return stats_;
}

}  // namespace influx
