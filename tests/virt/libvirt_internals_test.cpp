// The pure parts of the libvirt seam (error classification, typed-parameter conversion, the
// reconnect backoff) and what the test driver's per-connection quirks turn out to be.
#include "support/virt_helpers.hpp"

#include <libvirt/virterror.h>

#include <cstring>

#include "virt/domain_calls.hpp"
#include "virt/libvirt_error.hpp"
#include "virt/live_connection.hpp"
#include "virt/typed_params.hpp"

using namespace virt_test;
using virt::ErrorKind;
using virt::detail::classify_error;
using namespace std::chrono_literals;

TEST_CASE("libvirt error codes map to error kinds")
{
    CHECK(classify_error(VIR_ERR_NO_SUPPORT, VIR_FROM_NONE, "") == ErrorKind::unsupported);
    CHECK(classify_error(VIR_ERR_ARGUMENT_UNSUPPORTED, VIR_FROM_QEMU, "") == ErrorKind::unsupported);
    CHECK(classify_error(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_QEMU, "") == ErrorKind::unsupported);
    CHECK(classify_error(VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU, "Domain not found") == ErrorKind::no_domain);
    CHECK(classify_error(VIR_ERR_NO_CONNECT, VIR_FROM_REMOTE, "") == ErrorKind::disconnected);
    CHECK(classify_error(VIR_ERR_INVALID_CONN, VIR_FROM_NONE, "") == ErrorKind::disconnected);
    CHECK(classify_error(VIR_ERR_RPC, VIR_FROM_RPC, "") == ErrorKind::disconnected);
    CHECK(classify_error(VIR_ERR_OPERATION_TIMEOUT, VIR_FROM_QEMU, "cannot acquire state change lock") ==
          ErrorKind::busy);
    CHECK(classify_error(VIR_ERR_AGENT_UNRESPONSIVE, VIR_FROM_QEMU, "") == ErrorKind::busy);
    CHECK(classify_error(VIR_ERR_OPERATION_INVALID, VIR_FROM_QEMU, "domain is not running") == ErrorKind::other);
}

TEST_CASE("a system error counts as a lost connection only when the RPC layer reports it")
{
    CHECK(classify_error(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC, "Cannot write data: Broken pipe") ==
          ErrorKind::disconnected);
    CHECK(classify_error(VIR_ERR_SYSTEM_ERROR, VIR_FROM_REMOTE, "") == ErrorKind::disconnected);
    CHECK(classify_error(VIR_ERR_SYSTEM_ERROR, VIR_FROM_QEMU, "cannot open file") == ErrorKind::other);
    CHECK(classify_error(VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC, "client socket is closed") == ErrorKind::disconnected);
    CHECK(classify_error(VIR_ERR_INTERNAL_ERROR, VIR_FROM_QEMU, "unexpected reply") == ErrorKind::other);
}

TEST_CASE("unsupported flags count as unsupported, other invalid arguments do not")
{
    CHECK(classify_error(VIR_ERR_INVALID_ARG, VIR_FROM_QEMU,
                         "invalid argument: unsupported flags (0x20000000) in function qemuConnectGetAllDomainStats") ==
          ErrorKind::unsupported);
    CHECK(classify_error(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "invalid argument: 'vnet0' is not a known interface") ==
          ErrorKind::other);
}

TEST_CASE("typed parameters convert to int64, uint64, double, bool and string")
{
    std::vector<virTypedParameter> params(7);
    auto set = [&](int i, const char* field, int type) {
        std::strncpy(params[i].field, field, VIR_TYPED_PARAM_FIELD_LENGTH - 1);
        params[i].type = type;
    };
    set(0, "a.int", VIR_TYPED_PARAM_INT), params[0].value.i = -5;
    set(1, "a.llong", VIR_TYPED_PARAM_LLONG), params[1].value.l = -7000000000LL;
    set(2, "a.uint", VIR_TYPED_PARAM_UINT), params[2].value.ui = 4000000000u;
    set(3, "a.ullong", VIR_TYPED_PARAM_ULLONG), params[3].value.ul = 18000000000000000000ULL;
    set(4, "a.double", VIR_TYPED_PARAM_DOUBLE), params[4].value.d = 0.25;
    set(5, "a.bool", VIR_TYPED_PARAM_BOOLEAN), params[5].value.b = 1;
    char text[] = "vda";
    set(6, "a.string", VIR_TYPED_PARAM_STRING), params[6].value.s = text;

    const auto out = virt::detail::convert_typed_params(params.data(), 7, "block.0.");
    REQUIRE(out.size() == 7);
    CHECK(out[0] == virt::TypedParam{"block.0.a.int", std::int64_t{-5}});
    CHECK(out[1] == virt::TypedParam{"block.0.a.llong", std::int64_t{-7000000000LL}});
    CHECK(out[2] == virt::TypedParam{"block.0.a.uint", std::uint64_t{4000000000u}});
    CHECK(out[3] == virt::TypedParam{"block.0.a.ullong", std::uint64_t{18000000000000000000ULL}});
    CHECK(out[4] == virt::TypedParam{"block.0.a.double", 0.25});
    CHECK(out[5] == virt::TypedParam{"block.0.a.bool", true});
    CHECK(out[6] == virt::TypedParam{"block.0.a.string", std::string("vda")});
}

TEST_CASE("a typed parameter of an unknown type is skipped")
{
    virTypedParameter p{};
    std::strncpy(p.field, "future", VIR_TYPED_PARAM_FIELD_LENGTH - 1);
    p.type = 99;
    CHECK(virt::detail::convert_typed_params(&p, 1).empty());
    CHECK(virt::detail::convert_typed_params(nullptr, 3).empty());
}

TEST_CASE("block stats and memory stat names map to the bulk call's names")
{
    using virt::detail::block_stats_field;
    using virt::detail::memory_stat_field;
    CHECK(block_stats_field("rd_operations") == "rd.reqs");
    CHECK(block_stats_field("rd_total_times") == "rd.times");
    CHECK(block_stats_field("wr_bytes") == "wr.bytes");
    CHECK(block_stats_field("flush_operations") == "fl.reqs");
    CHECK(block_stats_field("flush_total_times") == "fl.times");
    CHECK(block_stats_field("errs") == "errors");
    CHECK(block_stats_field("something_new").empty());
    CHECK(memory_stat_field(VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON) == "balloon.current");
    CHECK(memory_stat_field(VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE) == "balloon.last-update");
    CHECK(memory_stat_field(VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL) == "balloon.hugetlb_pgfail");
    CHECK(memory_stat_field(VIR_DOMAIN_MEMORY_STAT_NR).empty());
}

TEST_CASE("interface and block stats leave out the values the driver reports as -1")
{
    virDomainInterfaceStatsStruct net{};
    net.rx_bytes = 100;
    net.rx_packets = -1;
    net.tx_drop = 0;
    net.rx_errs = net.rx_drop = net.tx_bytes = net.tx_packets = net.tx_errs = -1;
    const auto n = virt::detail::interface_stats_params(net);
    REQUIRE(n.size() == 2);
    CHECK(n[0] == virt::TypedParam{"rx.bytes", std::uint64_t{100}});
    CHECK(n[1] == virt::TypedParam{"tx.drop", std::uint64_t{0}});

    virDomainBlockStatsStruct blk{};
    blk.rd_req = 3;
    blk.errs = -1;
    const auto b = virt::detail::block_stats_params(blk);
    CHECK(b.size() == 4);
    CHECK_FALSE(has(b, "errors"));
}

TEST_CASE("the test driver lacks keepalive and virDomainBlockStatsFlags, and the quirk is remembered")
{
    virt::detail::LiveConnection live(options_for(demo_node_uri()), 1, std::make_shared<virt::detail::CallbackRelay>());
    CHECK(virConnectSetKeepAlive(live.get(), 5, 5) < 0);
    CHECK(virt::detail::last_error("virConnectSetKeepAlive").kind() == ErrorKind::unsupported);

    const virt::DomainRef db{"db-primary", "a1d2e3f4-5b6c-4d7e-8f90-1a2b3c4d5e03", 3};
    CHECK_FALSE(live.quirks().block_stats_flags_unsupported);
    const auto dom = live.domain(db);
    const auto stats = virt::detail::get_block_stats(dom.get(), db.name, "vda", live.quirks());
    CHECK(live.quirks().block_stats_flags_unsupported);
    CHECK_FALSE(live.quirks().block_info_unsupported);
    CHECK(has(stats, "rd.reqs"));
    CHECK(has(stats, "capacity"));
    // The test driver does have virDomainGetVcpusFlags(MAXIMUM).
    virt::detail::get_vcpu_stats(dom.get(), db.name, live.quirks());
    CHECK_FALSE(live.quirks().vcpus_maximum_unsupported);
}
