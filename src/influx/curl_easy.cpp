#include "influx/curl_easy.hpp"

#include <mutex>

namespace influx {

void detail::throw_option_error(CURLoption option, CURLcode code)
{
    const curl_easyoption* o = curl_easy_option_by_id(option);
    throw CurlError(std::string("libcurl option ") + (o && o->name ? o->name : std::to_string(option)) + ": " +
                    curl_easy_strerror(code));
}

void CurlHeaders::append(const std::string& header)
{
    curl_slist* next = curl_slist_append(list_.get(), header.c_str());
    if (!next) throw CurlError("libcurl: out of memory building request headers");
    (void)list_.release();  // curl_slist_append returned the same list, longer
    list_.reset(next);
}

CurlEasy::CurlEasy()
{
    // curl_easy_init would run the global init itself, but not thread-safely: do it once, here.
    static std::once_flag global;
    static CURLcode global_rc = CURLE_OK;
    std::call_once(global, [] { global_rc = curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (global_rc != CURLE_OK) throw CurlError(std::string("libcurl: ") + curl_easy_strerror(global_rc));
    easy_.reset(curl_easy_init());
    if (!easy_) throw CurlError("libcurl: cannot create a handle");
}

CURLcode CurlEasy::perform(std::string& error) noexcept
{
    char buffer[CURL_ERROR_SIZE] = "";
    if (curl_easy_setopt(easy_.get(), CURLOPT_ERRORBUFFER, buffer) != CURLE_OK) buffer[0] = '\0';
    const CURLcode rc = curl_easy_perform(easy_.get());
    curl_easy_setopt(easy_.get(), CURLOPT_ERRORBUFFER, nullptr);  // the buffer dies with this frame
    if (rc != CURLE_OK) {
        try {
            error = buffer[0] ? buffer : curl_easy_strerror(rc);
        } catch (...) {  // no memory for the message: the code alone tells the caller what happened
        }
    }
    return rc;
}

bool CurlEasy::request_started() const noexcept
{
    curl_off_t us = 0;
    return curl_easy_getinfo(easy_.get(), CURLINFO_PRETRANSFER_TIME_T, &us) == CURLE_OK && us > 0;
}

long CurlEasy::response_code() const noexcept
{
    long status = 0;
    if (curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &status) != CURLE_OK) return 0;
    return status;
}

}  // namespace influx
