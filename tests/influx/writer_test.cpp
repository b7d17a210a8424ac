#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "influx/writer.hpp"

using influx::Outcome;
using namespace std::chrono_literals;

namespace {

// A loopback server that answers every connection with the same raw bytes (any bytes: a malformed status
// line, a lying Content-Length, ...), after reading the request. `trickle`: then one byte every 100 ms,
// forever (until the test ends), for a body that never ends.
class RawServer {
public:
    explicit RawServer(std::string answer, bool trickle = false) : answer_(std::move(answer)), trickle_(trickle)
    {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::listen(fd_, 8) == 0);
        socklen_t len = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~RawServer()
    {
        stop_ = true;
        ::shutdown(fd_, SHUT_RDWR);
        ::close(fd_);
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    int connections() const { return connections_; }

private:
    void serve()
    {
        while (!stop_) {
            const int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0) return;
            ++connections_;
            std::string request;
            char buf[4096];
            // Headers, then as much body as arrives in 200 ms: enough for the small test bodies.
            timeval tv{0, 200000};
            ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            for (ssize_t n; (n = ::read(c, buf, sizeof buf)) > 0;) request.append(buf, static_cast<std::size_t>(n));
            (void)!::write(c, answer_.data(), answer_.size());
            while (trickle_ && !stop_ && ::write(c, "x", 1) == 1) std::this_thread::sleep_for(100ms);
            ::close(c);
        }
    }

    std::string answer_;
    bool trickle_;
    int fd_ = -1;
    int port_ = 0;
    std::atomic<int> connections_{0};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

influx::WriteResult write_to(const RawServer& server, std::chrono::milliseconds timeout = 3000ms)
{
    config::PushConfig push;
    push.url = server.url();
    push.database = "vms";
    push.gzip = false;
    push.timeout = timeout;
    influx::Writer writer(push);
    return writer.write("m,a=b v=1i 1\nm,a=c v=2i 1\n");
}

}  // namespace

TEST_CASE("the writer classifies a well-formed 204 as delivered")
{
    RawServer server("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
    CHECK(write_to(server).outcome == Outcome::ok);
}

TEST_CASE("the writer reads a Retry-After of 0 on a 429 as zero seconds, which the pusher raises to its backoff")
{
    RawServer server("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n");
    const auto r = write_to(server);
    CHECK(r.outcome == Outcome::throttled);
    CHECK(r.retry_after == 0s);
}

TEST_CASE("the writer survives a dropped= count too large for 64 bits and bounds it by the batch")
{
    const std::string body = R"({"error":"partial write: bad dropped=99999999999999999999999999"})";
    RawServer server("HTTP/1.1 400 Bad Request\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    const auto r = write_to(server);
    CHECK(r.outcome == Outcome::rejected);
    CHECK(influx::rejected_count(r, 2) == 2);
}

TEST_CASE("the writer takes a malformed status line or a lying Content-Length as no answer")
{
    for (const char* answer : {"HTTP/1.1 abc\r\n\r\n", "FOO 200 OK\r\n\r\n", "\r\n\r\n",
                               "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nshort"}) {
        RawServer server(answer);
        CHECK(write_to(server).outcome == Outcome::network_error);
    }
}

TEST_CASE("the writer never follows a redirect")
{
    RawServer target("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
    RawServer server("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + target.url() +
                     "/write\r\nContent-Length: 0\r\n\r\n");
    const auto r = write_to(server);
    CHECK(r.outcome == Outcome::server_error);
    CHECK(target.connections() == 0);
}

TEST_CASE("the writer keeps a huge binary error body to one bounded printable line")
{
    std::string body(4 << 20, '\0');
    for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 7);
    RawServer server("HTTP/1.1 500 Oops\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    const auto r = write_to(server);
    CHECK(r.outcome == Outcome::server_error);
    CHECK(r.message.size() <= 515);
    for (char c : r.message) CHECK(static_cast<unsigned char>(c) >= 0x20);
}

TEST_CASE("the writer gives up on a body that never ends after push.timeout")
{
    RawServer server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n100000\r\n", true);
    const auto start = std::chrono::steady_clock::now();
    CHECK(write_to(server, 500ms).outcome == Outcome::network_error);
    CHECK(std::chrono::steady_clock::now() - start < 5s);  // bounded by the timeout, not by the server
}
