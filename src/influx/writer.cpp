#include "influx/writer.hpp"

#include <algorithm>
#include <chrono>

#include "util/gzip.hpp"
#include "util/text.hpp"

namespace influx {
namespace {

// The body is kept up to max_answer_body (error messages are short); the rest is read and discarded, so
// the connection stays usable and a huge or endless body costs no memory (push.timeout ends the latter).
std::size_t read_body(char* data, std::size_t size, std::size_t n, void* out) noexcept
{
    auto* answer = static_cast<Answer*>(out);
    const std::size_t bytes = size * n;
    try {
        if (answer->body.size() < max_answer_body)
            answer->body.append(data, std::min(bytes, max_answer_body - answer->body.size()));
    } catch (...) {
        return 0;  // out of memory: curl ends the transfer with a write error, a network_error for us
    }
    return bytes;
}

bool has_name(std::string_view line, std::string_view name) noexcept
{
    return line.size() > name.size() && util::iequals(line.substr(0, name.size()), name);
}

// Only Retry-After is read, bounded. A status line starts a new answer (curl passes the headers of a
// 100 Continue, or of each answer it reads, through here), so what was read before it is forgotten.
std::size_t read_header(char* data, std::size_t size, std::size_t n, void* out) noexcept
{
    auto* answer = static_cast<Answer*>(out);
    const std::size_t bytes = size * n;
    const std::string_view line = util::trim_end(std::string_view(data, bytes), "\r\n");
    try {
        if (has_name(line, "http/")) {
            answer->retry_after.clear();
            answer->body.clear();
        } else if (constexpr std::string_view name = "retry-after:"; has_name(line, name)) {
            answer->retry_after.assign(line.substr(name.size(), max_header_value));
        }
    } catch (...) {
        return 0;
    }
    return bytes;
}

}  // namespace

bool Writer::never_sent(CURLcode rc) const noexcept
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM: return true;
    case CURLE_OPERATION_TIMEDOUT: return !curl_.request_started();  // timed out connecting
    default: return false;
    }
}

Writer::Writer(const config::PushConfig& push) : push_(push), request_(build_request(push, push.gzip))
{
    for (const auto& h : request_.headers) headers_.append(h);
    curl_.set(CURLOPT_URL, request_.url.c_str());
    // Only the scheme of push.url, and no redirect: one would carry our credentials elsewhere.
    curl_.set(CURLOPT_PROTOCOLS_STR, "http,https");
    curl_.set(CURLOPT_FOLLOWLOCATION, 0L);
    curl_.set(CURLOPT_POST, 1L);
    curl_.set(CURLOPT_HTTPHEADER, headers_.get());
    curl_.set(CURLOPT_TIMEOUT_MS, static_cast<long>(push.timeout.count()));
    curl_.set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(push.timeout.count(), 5000)));
    curl_.set(CURLOPT_NOSIGNAL, 1L);  // we run in a thread; no SIGALRM for DNS timeouts
    curl_.set(CURLOPT_USERAGENT, "virt-exporter");
    curl_.set(CURLOPT_WRITEFUNCTION, read_body);
    curl_.set(CURLOPT_HEADERFUNCTION, read_header);
    if (!request_.basic_user.empty()) {
        curl_.set(CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
        curl_.set(CURLOPT_USERNAME, request_.basic_user.c_str());
        curl_.set(CURLOPT_PASSWORD, request_.basic_password.c_str());
    }
    if (!push.tls_ca_file.empty()) curl_.set(CURLOPT_CAINFO, push.tls_ca_file.c_str());
    if (push.tls_insecure_skip_verify) {
        curl_.set(CURLOPT_SSL_VERIFYPEER, 0L);
        curl_.set(CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!push.tls_cert_file.empty()) {  // validate() saw to it that the key comes with it
        curl_.set(CURLOPT_SSLCERT, push.tls_cert_file.c_str());
        curl_.set(CURLOPT_SSLKEY, push.tls_key_file.c_str());
    }
    // push.proxy wins over the environment's http_proxy/https_proxy, push.no_proxy over its no_proxy;
    // unset, libcurl reads the environment. The same TLS settings apply to an https:// proxy.
    if (!push.proxy.empty()) {
        curl_.set(CURLOPT_PROXY, push.proxy.c_str());
        if (!push.tls_ca_file.empty()) curl_.set(CURLOPT_PROXY_CAINFO, push.tls_ca_file.c_str());
        if (push.tls_insecure_skip_verify) {
            curl_.set(CURLOPT_PROXY_SSL_VERIFYPEER, 0L);
            curl_.set(CURLOPT_PROXY_SSL_VERIFYHOST, 0L);
        }
    }
    if (!push.no_proxy.empty()) curl_.set(CURLOPT_NOPROXY, push.no_proxy.c_str());
}

void Writer::set_body(std::string_view body, Answer& answer)
{
    curl_.set(CURLOPT_POSTFIELDS, body.data());
    curl_.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_.set(CURLOPT_WRITEDATA, static_cast<void*>(&answer));
    curl_.set(CURLOPT_HEADERDATA, static_cast<void*>(&answer));
}

WriteResult Writer::write(std::string_view lines)
{
    std::string compressed;
    std::string_view body = lines;
    Answer answer;
    try {
        if (push_.gzip) {
            compressed = util::gzip_compress(lines);
            body = compressed;
        }
        set_body(body, answer);
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        return transport_error(printable_line(e.what()));
    }
    std::string error;
    if (const CURLcode rc = curl_.perform(error); rc != CURLE_OK) {
        // curl's messages name host and port, never the credentials; the answer may still be redacted.
        WriteResult r = transport_error(redact_credentials(printable_line(error), push_));
        r.unsent = never_sent(rc);
        return r;
    }
    answer.status = curl_.response_code();
    WriteResult result = classify(answer, std::chrono::system_clock::now());
    result.message = redact_credentials(std::move(result.message), push_);
    return result;
}

}  // namespace influx
