// Fuzz target: the classification of a write endpoint's answer (src/influx/write_answer.hpp) and the JSON
// reader under it (src/util/json_reader.hpp): everything there comes from whatever answers on the push URL.
//
// Input: a status (2 bytes, any value incl. outside 100..999), a Retry-After value (up to 300 bytes) and
// the rest as the body, bounded as the Writer bounds it. The seeds are real answers of InfluxDB 1.x, 2.x
// and 3.x, proxies and redirects.
//
// What classify promises, checked for each input (abort() on a mismatch, so libFuzzer reports it):
//   - it returns (no exception, no crash) and the message is one bounded line without control characters;
//   - a retry delay only for `throttled`, never negative, never above a day;
//   - rejected_count() never exceeds the batch, for every batch size;
//   - 2xx is ok, and an answer outside 100..999 is a network error.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "influx/write_answer.hpp"
#include "util/json_reader.hpp"

namespace {

void check(bool ok, const char* what)
{
    if (ok) return;
    std::fprintf(stderr, "fuzz_write_answer: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider in(data, size);
    influx::Answer answer;
    answer.status = static_cast<long>(in.ConsumeIntegralInRange<int>(-1, 1100));
    answer.retry_after = in.ConsumeRandomLengthString(influx::max_header_value);
    answer.body = in.ConsumeRemainingBytesAsString().substr(0, influx::max_answer_body);

    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'796'558'400));
    const influx::WriteResult r = influx::classify(answer, now);

    check(r.message.size() <= 1100, "message is bounded");
    for (char c : r.message) check(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F, "message is printable");
    if (r.retry_after) {
        check(r.outcome == influx::Outcome::throttled, "a retry delay only when throttled");
        check(*r.retry_after >= std::chrono::seconds(0) && *r.retry_after <= std::chrono::hours(24),
              "retry delay within [0, 1 day]");
    }
    for (std::size_t batch : {std::size_t{0}, std::size_t{1}, std::size_t{5000}})
        check(influx::rejected_count(r, batch) <= batch, "rejected lines within the batch");
    if (answer.status >= 200 && answer.status < 300) check(r.outcome == influx::Outcome::ok, "2xx is ok");
    if (answer.status < 100 || answer.status > 999)
        check(r.outcome == influx::Outcome::network_error, "no status is a network error");

    (void)util::parse_json(answer.body, {.max_depth = 8, .max_bytes = influx::max_answer_body});
    (void)influx::parse_retry_after(answer.retry_after, now);
    return 0;
}
