// Test support: a blocking HTTP GET/POST over libcurl, returning status, headers and body.
#pragma once

#include <curl/curl.h>

#include <string>
#include <vector>

#include "util/c_handle.hpp"

namespace test_support {

struct HttpResult {
    long status = 0;
    std::string headers;
    std::string body;
    std::string error;
};

inline HttpResult http_request(const std::string& url, const std::vector<std::string>& headers = {},
                               const char* method = "GET", long timeout_ms = 10000)
{
    HttpResult r;
    const util::CHandle<CURL, curl_easy_cleanup> curl(curl_easy_init());
    curl_slist* list = nullptr;
    for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
    const util::CHandle<curl_slist, curl_slist_free_all> guard(list);
    auto write = +[](char* p, size_t s, size_t n, void* ud) {
        static_cast<std::string*>(ud)->append(p, s * n);
        return s * n;
    };
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, method);
    if (std::string(method) == "POST") curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, write);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, write);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &r.headers);
    const CURLcode rc = curl_easy_perform(curl.get());
    if (rc != CURLE_OK) r.error = curl_easy_strerror(rc);
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &r.status);
    return r;
}

}  // namespace test_support
