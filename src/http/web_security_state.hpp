// The web config file in force, re-read when it changes. Like exporter-toolkit, which reads the file on
// every request, a change to the file — or to the certificate, key or client CA files it names — takes
// effect without a restart: requests and TLS handshakes ask current(), which looks at the files' stat()
// at most once a second and loads a changed set. A set that does not load (bad YAML, a key that does
// not match its certificate, a half-written file) is logged once and the previous one stays in force.
// Switching between TLS and plain HTTP needs a restart (the listening sockets are one or the other):
// such a change is refused the same way.
//
// Ownership: Server holds it through a shared_ptr; generations are immutable and shared with the
// requests using them. Thread-safety: current() and tls_material() are called from any HTTP thread.
// Throws: the constructor throws config::ConfigError or std::runtime_error (start-up: exit code 2).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/web_security.hpp"
#include "http/basic_auth.hpp"
#include "http/tls_material.hpp"
#include "util/clock.hpp"

namespace http {

struct WebSecurityGeneration {
    config::WebSecurity settings;
    std::shared_ptr<const TlsMaterial> tls;  // null: plain HTTP
    BasicAuth auth;

    explicit WebSecurityGeneration(config::WebSecurity s);
};

class WebSecurityState final : public TlsMaterialSource {
public:
    // `clock` paces the once-a-second look at the files (borrowed; it outlives this object).
    explicit WebSecurityState(std::string path, const util::Clock& clock = util::SystemClock::instance());

    bool tls_enabled() const noexcept { return tls_at_start_; }
    std::shared_ptr<const WebSecurityGeneration> current() noexcept;
    std::shared_ptr<const TlsMaterial> tls_material() noexcept override;

    // Looks at the files now instead of waiting for the next second (tests).
    void check_now() noexcept;

private:
    struct FileStamp {
        bool exists = false;
        long long size = 0, mtime_ns = 0, inode = 0, ctime_ns = 0;
        bool operator==(const FileStamp&) const = default;
    };
    std::vector<FileStamp> stamps(const config::WebSecurity& s) const;
    void reload_if_changed();

    const std::string path_;
    const util::Clock& clock_;
    bool tls_at_start_ = false;
    std::mutex mu_;
    std::shared_ptr<const WebSecurityGeneration> generation_;
    std::vector<FileStamp> seen_;  // the stamps of the files last loaded or last refused
    std::chrono::steady_clock::time_point next_check_;
};

}  // namespace http
