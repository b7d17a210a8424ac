#include "http/response.hpp"

#include <charconv>

#include <civetweb.h>

#include "util/internal_errors.hpp"

#include "util/text.hpp"

namespace http {
namespace {

// HTTP's OWS: spaces and horizontal tabs (RFC 9110, 5.6.3).
constexpr std::string_view optional_whitespace = " \t";

}  // namespace

// RFC 9110's reason phrases and RFC 6585's 429 and 431: every status a handler of ours sends (200, 204,
// 400, 401, 403, 404, 405, 429, 500, 503) and the rest, so a new one cannot go out as "Unknown".
const char* status_text(int status) noexcept
{
    switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Content";
    case 426: return "Upgrade Required";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: break;
    }
    // Not in the table: the class's name, which clients treat the same (RFC 9110 §15: the phrase is advisory).
    if (status >= 100 && status < 200) return "Informational";
    if (status >= 200 && status < 300) return "Success";
    if (status >= 300 && status < 400) return "Redirection";
    if (status >= 400 && status < 500) return "Client Error";
    return "Server Error";
}

namespace {
thread_local int last_sent_status = 0;
}  // namespace

int sent_status() noexcept
{
    return last_sent_status;
}

void reset_sent_status() noexcept
{
    last_sent_status = 0;
}

void send(mg_connection* conn, const Response& r, bool head_only)
{
    last_sent_status = r.status;
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + status_text(r.status) + "\r\n";
    head += "Content-Type: " + r.content_type + "\r\n";
    head += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
    if (!r.content_encoding.empty()) head += "Content-Encoding: " + r.content_encoding + "\r\n";
    head += "Vary: Accept-Encoding\r\nCache-Control: no-store\r\n";
    head += r.extra_headers;
    head += "\r\n";
    mg_write(conn, head.data(), head.size());
    if (!head_only && !r.body.empty()) mg_write(conn, r.body.data(), r.body.size());
}

Response json_response(int status, std::string body)
{
    return Response{status, "application/json", std::move(body), "", ""};
}

void respond_json(mg_connection* conn, const std::function<Response()>& make) noexcept
{
    try {
        send(conn, make());
    } catch (...) {
        util::count_internal_error(util::ThreadRole::http, std::current_exception());
        try {
            send(conn, json_response(500, "{\"error\":\"internal error\"}\n"));
        } catch (...) {  // no memory for the 500 either: the client sees the connection close
        }
    }
}

void respond_config(mg_connection* conn, const std::function<std::string()>& render) noexcept
{
    respond_json(conn, [&] {
        return render ? json_response(200, render() + "\n")
                      : json_response(404, "{\"error\":\"no configuration to show\"}\n");
    });
}

bool accepts_gzip(std::string_view header) noexcept
{
    while (!header.empty()) {
        const auto comma = header.find(',');
        std::string_view item = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        std::string_view params;
        if (const auto semi = item.find(';'); semi != std::string_view::npos) {
            params = item.substr(semi + 1);
            item = item.substr(0, semi);
        }
        item = util::trim(item, optional_whitespace);
        if (item != "gzip" && item != "*") continue;
        params = util::trim(params, optional_whitespace);
        if (params.starts_with("q=")) {
            // "q=0", "q=0.0", "q=0.000" and an unreadable qvalue refuse; anything else accepts.
            const std::string_view q = params.substr(2);
            double v = 0;
            const auto [ptr, ec] = std::from_chars(q.data(), q.data() + q.size(), v);
            if (ec != std::errc() || v <= 0.0) return false;
        }
        return true;
    }
    return false;
}

std::string html_escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

}  // namespace http
