#include "http/web_security_state.hpp"

#include <sys/stat.h>

#include "util/log.hpp"

namespace http {
namespace {

constexpr auto check_every = std::chrono::seconds(1);

std::shared_ptr<const WebSecurityGeneration> load(const std::string& path)
{
    return std::make_shared<const WebSecurityGeneration>(config::load_web_security(path));
}

}  // namespace

WebSecurityGeneration::WebSecurityGeneration(config::WebSecurity s)
    : settings(std::move(s)),
      tls(settings.tls ? std::make_shared<const TlsMaterial>(*settings.tls) : nullptr),
      auth(settings.basic_auth_users)
{
}

WebSecurityState::WebSecurityState(std::string path, const util::Clock& clock) : path_(std::move(path)), clock_(clock)
{
    generation_ = load(path_);
    tls_at_start_ = generation_->tls != nullptr;
    seen_ = stamps(generation_->settings);
    next_check_ = clock_.now() + check_every;
}

std::vector<WebSecurityState::FileStamp> WebSecurityState::stamps(const config::WebSecurity& s) const
{
    std::vector<std::string> files{path_};
    if (s.tls) files.insert(files.end(), {s.tls->cert_file, s.tls->key_file, s.tls->client_ca_file});
    std::vector<FileStamp> out;
    for (const auto& f : files) {
        FileStamp stamp;
        struct stat st {};
        if (!f.empty() && ::stat(f.c_str(), &st) == 0) {
            // ctime too: a file replaced within the mtime's resolution, or touched back, still shows.
            stamp = {true, static_cast<long long>(st.st_size), st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
                     static_cast<long long>(st.st_ino), st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec};
        }
        out.push_back(stamp);
    }
    return out;
}

void WebSecurityState::reload_if_changed()
{
    auto now_seen = stamps(generation_->settings);
    if (now_seen == seen_) return;
    seen_ = std::move(now_seen);
    try {
        auto next = load(path_);
        if ((next->tls != nullptr) != tls_at_start_) {
            util::log_error("http", "web config " + path_ + " changed: " +
                                        (tls_at_start_ ? "tls_server_config removed" : "tls_server_config added") +
                                        "; switching between TLS and plain HTTP needs a restart, the previous "
                                        "settings stay in force");
            return;
        }
        generation_ = std::move(next);
        seen_ = stamps(generation_->settings);
        util::log_info("http", "web config " + path_ + " reloaded (TLS " + (tls_at_start_ ? "on" : "off") +
                                   ", basic auth " + (generation_->auth.enabled() ? "on" : "off") + ")");
    } catch (const std::exception& e) {
        // The messages name files and keys, never a hash or a key's content.
        util::log_error("http", std::string("web config changed but does not load, the previous settings stay in "
                                            "force: ") +
                                    e.what());
    }
}

std::shared_ptr<const WebSecurityGeneration> WebSecurityState::current() noexcept
{
    std::lock_guard lock(mu_);
    const auto now = clock_.now();
    if (now >= next_check_) {
        next_check_ = now + check_every;
        try {
            reload_if_changed();
        } catch (...) {
            // Out of memory while reloading: keep serving with what is loaded.
        }
    }
    return generation_;
}

std::shared_ptr<const TlsMaterial> WebSecurityState::tls_material() noexcept
{
    return current()->tls;
}

void WebSecurityState::check_now() noexcept
{
    std::lock_guard lock(mu_);
    next_check_ = std::chrono::steady_clock::time_point{};
}

}  // namespace http
