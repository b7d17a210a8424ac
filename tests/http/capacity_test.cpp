// The HTTP server's connection plan under RLIMIT_NOFILE, and the workers giving back their stack pages.
#include <doctest/doctest.h>

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <thread>
#include <vector>

#include "http/capacity.hpp"

TEST_CASE("with room for them, every connection asked for gets a worker")
{
    const auto c = http::plan_capacity(2048, 20000);
    CHECK(c.workers == 2048);
    CHECK_FALSE(c.lowered);
    CHECK(c.queue == http::connection_queue_slots);
    CHECK(c.listen_backlog == 2048);
    CHECK(c.open_files == 2048 + http::connection_queue_slots + http::reserved_open_files);
    CHECK(http::plan_capacity(65536, UINT64_MAX).workers == 65536);
}

TEST_CASE("under the usual soft limit of 1024 the workers are lowered to fit, with the reserve kept")
{
    const auto c = http::plan_capacity(2048, 1024);
    CHECK(c.lowered);
    CHECK(c.workers == 1024 - http::connection_queue_slots - http::reserved_open_files);
    CHECK(c.open_files == 1024);
    const auto text = http::describe_lowered(2048, c);
    CHECK(text.starts_with("web.max_connections lowered from 2048 to 736: the open-files limit"));
    CHECK(text.find("LimitNOFILE") != std::string::npos);
}

TEST_CASE("a limit too small for the reserve still leaves one worker; the backlog stays within 128-4096")
{
    CHECK(http::plan_capacity(16, 100).workers == 1);
    CHECK(http::plan_capacity(16, 100).lowered);
    CHECK(http::plan_capacity(16, 20000).listen_backlog == 128);
    CHECK(http::plan_capacity(10000, 20000).listen_backlog == 4096);
}

TEST_CASE("raise_open_files_limit() lifts the soft limit to the hard one")
{
    rlimit saved{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &saved) == 0);
    if (saved.rlim_max < 64 || saved.rlim_max == RLIM_INFINITY) return;  // nothing to show here
    rlimit low = saved;
    low.rlim_cur = 64;
    REQUIRE(setrlimit(RLIMIT_NOFILE, &low) == 0);
    CHECK(http::raise_open_files_limit() == saved.rlim_max);
    CHECK(http::open_files_limit() == saved.rlim_max);
    setrlimit(RLIMIT_NOFILE, &saved);
}

namespace {

// Touches `bytes` of stack below the caller and returns a value that depends on all of it. alloca, not
// an array: under ASan an array may live on a heap "fake stack", an alloca is always on the real one.
[[gnu::noinline]] unsigned touch_stack(std::size_t bytes)
{
    auto* volatile area = static_cast<volatile unsigned char*>(__builtin_alloca(bytes));
    for (std::size_t i = 0; i < bytes; i += 64) area[i] = static_cast<unsigned char>(i / 64);
    unsigned sum = 0;
    for (std::size_t i = 0; i < bytes; i += 4096) sum += area[i + 64];
    return sum;
}

// Resident pages in [begin, end) of this process, from mincore().
std::size_t resident_pages(std::uintptr_t begin, std::uintptr_t end)
{
    const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    begin &= ~(page - 1);
    std::vector<unsigned char> map((end - begin + page - 1) / page);
    if (mincore(reinterpret_cast<void*>(begin), end - begin, map.data()) != 0) return SIZE_MAX;
    std::size_t n = 0;
    for (unsigned char m : map) n += m & 1;
    return n;
}

}  // namespace

TEST_CASE("release_unused_stack() frees the pages a deep call touched, and the thread goes on working")
{
    std::size_t before = 0, touched = 0, after = 0;
    unsigned first = 0, again = 0;
    std::thread worker([&] {
        const auto frame = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
        const std::uintptr_t low = frame - 512 * 1024, high = frame - 16 * 1024;
        before = resident_pages(low, high);
        first = touch_stack(256 * 1024);
        touched = resident_pages(low, high);
        http::release_unused_stack();
        after = resident_pages(low, high);
        again = touch_stack(256 * 1024);  // the released pages come back as zero pages
    });
    worker.join();
    CHECK(touched >= before + 200 * 1024 / 4096);
    CHECK(after <= before + 2);
    CHECK(again == first);
}
