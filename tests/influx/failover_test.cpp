#include <doctest/doctest.h>

#include "influx/failover.hpp"
#include "support/manual_clock.hpp"

using namespace std::chrono_literals;
using influx::FailoverWriter;
using influx::Outcome;
using influx::WriteResult;

namespace {

// A fake URL: answers what `next` says and records the batches it was given.
struct FakeUrl {
    WriteResult next;
    std::vector<std::string> got;
};

WriteResult answer(Outcome outcome, long status, bool unsent = false)
{
    WriteResult r;
    r.outcome = outcome;
    r.status = status;
    r.unsent = unsent;
    r.message = "m";
    return r;
}

const WriteResult ok = answer(Outcome::ok, 204);
const WriteResult refused = answer(Outcome::network_error, 0, true);  // connection refused: never sent
const WriteResult timed_out = answer(Outcome::network_error, 0);      // may have been written

struct Fixture {
    test_support::ManualClock clock;
    FakeUrl a{ok, {}}, b{ok, {}}, c{ok, {}};
    FailoverWriter writer{{{"http://a", fake(a)}, {"http://b", fake(b)}, {"http://c", fake(c)}}, 10s, clock};

    static FailoverWriter::WriteFn fake(FakeUrl& u)
    {
        return [&u](std::string_view lines) {
            u.got.emplace_back(lines);
            return u.next;
        };
    }
    std::vector<bool> current() const
    {
        std::vector<bool> out;
        for (const auto& s : writer.stats()) out.push_back(s.current);
        return out;
    }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "writes go to the first URL while it answers")
{
    CHECK(writer.write("x 1").outcome == Outcome::ok);
    CHECK(a.got.size() == 1);
    CHECK(b.got.empty());
    CHECK(writer.stats().at(0).writes == 1);
    CHECK(current() == std::vector<bool>{true, false, false});
}

TEST_CASE_FIXTURE(Fixture, "a batch the first URL never received, or answered with 5xx, goes to the next in order")
{
    a.next = refused;
    b.next = answer(Outcome::throttled, 503);
    CHECK(writer.write("x 1").outcome == Outcome::ok);
    CHECK(a.got.size() == 1);
    CHECK(b.got.size() == 1);
    CHECK(c.got == std::vector<std::string>{"x 1"});
    CHECK(current() == std::vector<bool>{false, false, true});
    const auto s = writer.stats();
    CHECK_FALSE(s[0].up);
    CHECK(s[0].failures == 1);
    CHECK(s[0].last_error == "network_error: m");
    CHECK(s[2].writes == 1);
}

TEST_CASE_FIXTURE(Fixture, "an answer that may mean the batch was written is not sent elsewhere")
{
    a.next = timed_out;
    CHECK(writer.write("x 1").outcome == Outcome::network_error);
    CHECK(b.got.empty());  // the pusher retries it on the first URL
    a.next = answer(Outcome::rejected, 400);
    CHECK(writer.write("x 2").outcome == Outcome::rejected);
    CHECK(b.got.empty());
    CHECK(current() == std::vector<bool>{true, false, false});
}

TEST_CASE_FIXTURE(Fixture, "with every URL failing the last answer is returned and the current URL stays")
{
    a.next = refused;
    b.next = refused;
    c.next = answer(Outcome::server_error, 500);
    CHECK(writer.write("x 1").status == 500);
    CHECK(current() == std::vector<bool>{true, false, false});
}

TEST_CASE_FIXTURE(Fixture, "the first URL gets a batch again after probe_every and is current once it answers")
{
    a.next = refused;
    CHECK(writer.write("x 1").outcome == Outcome::ok);
    CHECK(current() == std::vector<bool>{false, true, false});
    clock.advance(5s);
    CHECK(writer.write("x 2").outcome == Outcome::ok);
    CHECK(a.got.size() == 1);  // not yet probed
    clock.advance(6s);
    CHECK(writer.write("x 3").outcome == Outcome::ok);  // probed, still down: on to b at once
    CHECK(a.got.size() == 2);
    CHECK(b.got == std::vector<std::string>{"x 1", "x 2", "x 3"});
    a.next = ok;
    clock.advance(5s);
    writer.write("x 4");
    CHECK(a.got.size() == 2);  // the next probe is 10 s after the last
    clock.advance(6s);
    writer.write("x 5");
    CHECK(a.got.back() == "x 5");
    CHECK(current() == std::vector<bool>{true, false, false});
    writer.write("x 6");
    CHECK(b.got.size() == 4);
    CHECK(a.got.back() == "x 6");
}
