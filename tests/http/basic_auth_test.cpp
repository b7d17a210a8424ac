#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "http/basic_auth.hpp"

namespace {

// Cost 4 keeps the tests fast; the code is the same for every cost.
const std::string s3cret_hash = "$2b$04$cji7CsdShh./lv6iEObW/uXUtIJQqq7Qd.484wEA3LFpwqy0CiP6W";
const std::string other_hash = "$2b$04$1jxjBhEcKNxP851M7N3.JOJn2WJfT/TcnSi592s/lFjDgjEKsLvlC";

std::string header(const std::string& base64)
{
    return "Basic " + base64;
}

}  // namespace

TEST_CASE("a Basic authorization header decodes to user and password split at the first colon")
{
    const auto c = http::parse_basic_authorization("Basic cHJvbWV0aGV1czpzM2NyZXQ=");  // prometheus:s3cret
    REQUIRE(c);
    CHECK(c->user == "prometheus");
    CHECK(c->password == "s3cret");
    const auto colon = http::parse_basic_authorization("basic   dTpwOnE=");  // u:p:q, scheme in any case
    REQUIRE(colon);
    CHECK(colon->user == "u");
    CHECK(colon->password == "p:q");
    const auto empty = http::parse_basic_authorization("BASIC Og==");  // ":"
    REQUIRE(empty);
    CHECK(empty->user.empty());
    CHECK(empty->password.empty());
}

TEST_CASE("malformed authorization headers are no credentials")
{
    for (const char* h : {"", "Basic", "Basic ", "Bearer cHJvbWV0aGV1czpzM2NyZXQ=", "Basic cHJvbWV0aGV1czpzM2NyZXQ",
                          "Basic cHJvbW!0aGV1czpzM2NyZXQ=", "Basic cHJvbWV0aGV1cw==",  // "prometheus", no colon
                          "Basic dTpwAHg=",                                            // "u:p\0x": NUL in password
                          "Basic =cHJvbWV0aGV1czpzM2NyZXQ", "Basic cHJ=bWV0aGV1czpzM2NyZXQ=", "BasicdTpw"})
        CHECK_MESSAGE(!http::parse_basic_authorization(h), h);
}

TEST_CASE("basic auth grants the right password, denies a wrong one, an unknown user and no header")
{
    const http::BasicAuth auth({{"prometheus", s3cret_hash}, {"grafana", other_hash}});
    CHECK(auth.enabled());
    CHECK(auth.check(header("cHJvbWV0aGV1czpzM2NyZXQ=")) == http::AuthResult::granted);  // prometheus:s3cret
    CHECK(auth.check(header("cHJvbWV0aGV1czpvdGhlcg==")) == http::AuthResult::denied);   // prometheus:other
    CHECK(auth.check(header("Z3JhZmFuYTpvdGhlcg==")) == http::AuthResult::granted);      // grafana:other
    CHECK(auth.check(header("bWFsbG9yeTpzM2NyZXQ=")) == http::AuthResult::denied);       // mallory:s3cret
    CHECK(auth.check("") == http::AuthResult::denied);
    CHECK(auth.check("Basic !!!!") == http::AuthResult::denied);
}

TEST_CASE("answers stay right when they come from the cache, also from many threads at once")
{
    const http::BasicAuth auth({{"prometheus", s3cret_hash}});
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 5; ++i) {
                const auto good = auth.check(header("cHJvbWV0aGV1czpzM2NyZXQ="));
                const auto bad = auth.check(header("cHJvbWV0aGV1czpvdGhlcg=="));
                // busy is allowed while another thread runs bcrypt; granting a wrong password never is.
                if (good == http::AuthResult::denied || bad == http::AuthResult::granted) ++wrong;
            }
        });
    for (auto& t : threads) t.join();
    CHECK(wrong == 0);
    CHECK(auth.check(header("cHJvbWV0aGV1czpzM2NyZXQ=")) == http::AuthResult::granted);
    CHECK(auth.check(header("cHJvbWV0aGV1czpvdGhlcg==")) == http::AuthResult::denied);
}

TEST_CASE("without users every request is granted")
{
    const http::BasicAuth auth({});
    CHECK_FALSE(auth.enabled());
    CHECK(auth.check("") == http::AuthResult::granted);
}
