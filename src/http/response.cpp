#include "http/response.hpp"

#include <cstdlib>

#include <civetweb.h>

#include "util/text.hpp"

namespace http {
namespace {

// HTTP's OWS: spaces and horizontal tabs (RFC 9110, 5.6.3).
constexpr std::string_view optional_whitespace = " \t";

}  // namespace

const char* status_text(int status) noexcept
{
    switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

void send(mg_connection* conn, const Response& r, bool head_only)
{
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
            // "q=0", "q=0.0", "q=0.000" refuse; anything else accepts.
            const std::string q(params.substr(2));
            if (std::strtod(q.c_str(), nullptr) <= 0.0) return false;
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
