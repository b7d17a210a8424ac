// The one checked wrapper around libcurl's easy interface (after MPD's lib/curl/Easy.hxx): an owned
// handle whose option setters throw with the option's name, so a build of libcurl that lacks a feature
// says which one at start-up instead of being ignored; and an owned header list.
//
// Ownership: CurlEasy owns its CURL handle, CurlHeaders its curl_slist (a CurlEasy that was handed the
// list must not outlive it). Thread-safety: one thread at a time per handle.
// Throws: CurlError (a std::runtime_error) from the constructors, set() and append().
#pragma once

#include <curl/curl.h>

#include <stdexcept>
#include <string>

#include "util/c_handle.hpp"

namespace influx {

class CurlError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

namespace detail {
// "option URL: An unknown option was passed in to libcurl" — curl's own name for the option.
[[noreturn]] void throw_option_error(CURLoption option, CURLcode code);
}  // namespace detail

class CurlHeaders {
public:
    void append(const std::string& header);
    curl_slist* get() const noexcept { return list_.get(); }

private:
    util::CHandle<curl_slist, curl_slist_free_all> list_;
};

class CurlEasy {
public:
    CurlEasy();

    template <typename T>
    void set(CURLoption option, T value)
    {
        if (const CURLcode code = curl_easy_setopt(easy_.get(), option, value); code != CURLE_OK)
            detail::throw_option_error(option, code);
    }

    // The transfer; a failure is returned (with curl's message in `error`), never thrown.
    CURLcode perform(std::string& error) noexcept;
    long response_code() const noexcept;
    // Whether the last transfer got as far as sending its request (CURLINFO_PRETRANSFER_TIME).
    bool request_started() const noexcept;

private:
    util::CHandle<CURL, curl_easy_cleanup> easy_;
};

}  // namespace influx
