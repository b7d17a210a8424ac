// Writing whole HTTP responses on a CivetWeb connection, and the small pure helpers the handlers
// share. Called on CivetWeb's worker threads; nothing here throws except std::bad_alloc.
#pragma once

#include <functional>
#include <string>
#include <string_view>

struct mg_connection;

namespace http {

struct Response {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::string content_encoding;  // e.g. "gzip"; empty for none
    std::string extra_headers;     // complete "Name: value\r\n" lines
};

void send(mg_connection* conn, const Response& response, bool head_only = false);
// The status of the last send() on this thread since reset_sent_status(), 0 when none: CivetWeb does
// not see a status line written by send(), and the request metrics want it (request_metrics.hpp).
int sent_status() noexcept;
void reset_sent_status() noexcept;

// A JSON answer; `body` is a whole JSON document ending in a newline.
Response json_response(int status, std::string body);

// The one boundary of the API handlers: sends what `make` builds. Whatever it throws is counted as an
// internal error of the HTTP threads (util::ThreadRole::http), and answered 500 with a fixed JSON body:
// nothing reaches CivetWeb, and no exception text (which could name a file or a value) reaches a client.
void respond_json(mg_connection* conn, const std::function<Response()>& make) noexcept;
// The same for a configuration view: 200 with `render()`'s JSON, 404 when there is none to show.
void respond_config(mg_connection* conn, const std::function<std::string()>& render) noexcept;

// True when an Accept-Encoding header value allows gzip (`gzip` or `*`, with q > 0).
bool accepts_gzip(std::string_view accept_encoding) noexcept;

// Escapes text for HTML element content and attribute values.
std::string html_escape(std::string_view text);

const char* status_text(int status) noexcept;

}  // namespace http
