#include "influx/writer.hpp"

#include <stdexcept>

#include <curl/curl.h>

#include "util/gzip.hpp"

namespace influx {

struct Writer::Curl {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy{curl_easy_init(), curl_easy_cleanup};
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers{nullptr, curl_slist_free_all};
};

namespace {

std::size_t append_to_string(char* data, std::size_t size, std::size_t n, void* out)
{
    auto* s = static_cast<std::string*>(out);
    const std::size_t bytes = size * n;
    if (s->size() < 64 * 1024) s->append(data, std::min(bytes, 64 * 1024 - s->size()));  // errors are short
    return bytes;
}

struct Headers {
    std::string retry_after;
};

std::size_t read_header(char* data, std::size_t size, std::size_t n, void* out)
{
    const std::size_t bytes = size * n;
    std::string_view line(data, bytes);
    constexpr std::string_view name = "retry-after:";
    if (line.size() > name.size()) {
        bool match = true;
        for (std::size_t i = 0; i < name.size() && match; ++i)
            match = static_cast<char>(std::tolower(static_cast<unsigned char>(line[i]))) == name[i];
        if (match) {
            line.remove_prefix(name.size());
            while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
            static_cast<Headers*>(out)->retry_after = std::string(line);
        }
    }
    return bytes;
}

}  // namespace

Writer::Writer(const config::PushConfig& push)
    : curl_(std::make_unique<Curl>()), push_(push), request_(build_request(push, push.gzip))
{
    if (!curl_->easy) throw std::runtime_error("push: cannot initialise libcurl");
    CURL* c = curl_->easy.get();
    for (const auto& h : request_.headers) {
        curl_slist* next = curl_slist_append(curl_->headers.get(), h.c_str());
        if (!next) throw std::runtime_error("push: out of memory building request headers");
        curl_->headers.release();
        curl_->headers.reset(next);
    }
    curl_easy_setopt(c, CURLOPT_URL, request_.url.c_str());
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, curl_->headers.get());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(push.timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(push.timeout.count(), 5000)));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // we run in a thread; no SIGALRM for DNS timeouts
    curl_easy_setopt(c, CURLOPT_USERAGENT, "virt-exporter");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_to_string);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, read_header);
    if (!request_.basic_user.empty()) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERNAME, request_.basic_user.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, request_.basic_password.c_str());
    }
    if (!push.tls_ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, push.tls_ca_file.c_str());
    if (push.tls_insecure_skip_verify) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
}

Writer::~Writer() = default;

WriteResult Writer::write(std::string_view lines)
{
    std::string compressed;
    std::string_view body = lines;
    if (push_.gzip) {
        try {
            compressed = util::gzip_compress(lines);
            body = compressed;
        } catch (const std::exception& e) {
            return WriteResult{Outcome::network_error, 0, std::string("gzip: ") + e.what(), std::nullopt};
        }
    }
    last_body_bytes_ = body.size();
    CURL* c = curl_->easy.get();
    std::string response;
    Headers headers;
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &headers);
    char error[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    const CURLcode rc = curl_easy_perform(c);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
    if (rc != CURLE_OK) {
        // curl's messages name host and port, never the credentials.
        return WriteResult{Outcome::network_error, 0, error[0] ? error : curl_easy_strerror(rc), std::nullopt};
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    WriteResult result = classify(status, response, headers.retry_after);
    result.message = redact_credentials(std::move(result.message), push_);
    return result;
}

}  // namespace influx
