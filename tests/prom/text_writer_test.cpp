#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "prom/domain_labels.hpp"
#include "support/exposition_parser.hpp"
#include "prom/exposition.hpp"
#include "prom/families.hpp"
#include "prom/text_writer.hpp"
#include "support/sample_snapshot.hpp"

namespace {

const prom::Family gauge{"g", "A gauge.", prom::Type::gauge};

// The text of one sample of family `g`, without its HELP/TYPE lines.
template <typename T>
std::string sample_line(T value)
{
    std::string text;
    prom::TextWriter out(text);
    out.single(gauge, value);
    return text.substr(text.rfind('\n', text.size() - 2) + 1);
}

// A snapshot whose names hold everything a label value must escape, and UTF-8.
collect::Snapshot hostile_snapshot()
{
    collect::Snapshot s = test_support::sample_snapshot();
    auto& d = s.domains.at(0);
    d.name = "a\\b \"q\"\nline2 \xc3\xa9\xe2\x82\xac \\n";
    d.nics.at(0).name = "tap\"0\\";
    d.disks.at(0).name = "vd\na";
    d.vcpus.at(0).index = 7;
    return s;
}

}  // namespace

TEST_CASE("label values escape backslash, double quote and newline, and keep UTF-8 as it is")
{
    std::string set;
    prom::append_label(set, "domain", "a\\b \"q\"\nx \xc3\xa9");
    prom::append_label(set, "uuid", "");
    CHECK(set == "domain=\"a\\\\b \\\"q\\\"\\nx \xc3\xa9\",uuid=\"\"");
}

TEST_CASE("HELP and TYPE are written with a family's first sample, so a family without samples leaves no text")
{
    std::string text;
    prom::TextWriter out(text);
    out.family({"empty_total", "Never sampled.", prom::Type::counter});
    out.family({"x_total", "Help with a \\ backslash\nand a newline.", prom::Type::counter});
    out.sample("a=\"1\"", 2);
    out.sample("a=\"2\"", "b=\"3\"", std::optional<int>(4));
    const std::optional<double> absent = std::nullopt;
    out.sample("", absent);  // absent: no line
    out.single(gauge, 0.5);
    CHECK(text ==
          "# HELP x_total Help with a \\\\ backslash\\nand a newline.\n"
          "# TYPE x_total counter\n"
          "x_total{a=\"1\"} 2\n"
          "x_total{a=\"2\",b=\"3\"} 4\n"
          "# HELP g A gauge.\n"
          "# TYPE g gauge\n"
          "g 0.5\n");
}

TEST_CASE("numbers are exact: integers as integers, other doubles as their shortest round trip")
{
    CHECK(sample_line(std::uint64_t{18446744073709551615u}) == "g 18446744073709551615\n");
    CHECK(sample_line(std::int64_t{-42}) == "g -42\n");
    CHECK(sample_line(1e9) == "g 1000000000\n");  // not 1e+09: an integral double reads as before
    CHECK(sample_line(2147483648.0) == "g 2147483648\n");
    CHECK(sample_line(0.1) == "g 0.1\n");
    CHECK(sample_line(3.2768e-05) == "g 3.2768e-05\n");
    CHECK(sample_line(1e300) == "g 1e+300\n");
    CHECK(sample_line(-0.25) == "g -0.25\n");
    std::mt19937_64 random(42);
    for (int i = 0; i < 10000; ++i) {
        const double v = std::bit_cast<double>(random());
        if (!std::isfinite(v)) continue;
        const std::string line = sample_line(v);
        CHECK(std::bit_cast<std::uint64_t>(std::strtod(line.c_str() + 2, nullptr)) == std::bit_cast<std::uint64_t>(v));
    }
}

TEST_CASE("NaN and the infinities are spelled as Prometheus spells them")
{
    CHECK(sample_line(std::numeric_limits<double>::quiet_NaN()) == "g NaN\n");
    CHECK(sample_line(std::numeric_limits<double>::infinity()) == "g +Inf\n");
    CHECK(sample_line(-std::numeric_limits<double>::infinity()) == "g -Inf\n");
}

TEST_CASE("a domain's label set is escaped once and its devices' sets extend it with target_device")
{
    const collect::Snapshot s = hostile_snapshot();
    const prom::DomainLabels labels(s.domains);
    const std::string base =
        "domain=\"a\\\\b \\\"q\\\"\\nline2 \xc3\xa9\xe2\x82\xac \\\\n\",uuid=\"" + s.domains[0].uuid + "\"";
    CHECK(labels.domain(0) == base);
    CHECK(labels.nic(0, 0) == base + ",target_device=\"tap\\\"0\\\\\"");
    CHECK(labels.disk(0, 0) == base + ",target_device=\"vd\\na\"");
    CHECK(labels.domain(2) == "domain=\"stopped\",uuid=\"99999999-9999-9999-9999-999999999999\"");
}

TEST_CASE("an exposition with hostile names parses back to the snapshot's strings and values")
{
    prom::Scrape scrape;
    scrape.snapshot = std::make_shared<collect::Snapshot>(hostile_snapshot());
    scrape.status.version = "v\"1\"";
    const auto families = test_support::parse_exposition(prom::render_text(scrape));
    const auto& d = scrape.snapshot->domains[0];

    const auto* rx = test_support::find_family(families, "libvirt_domain_interface_stats_receive_bytes_total");
    REQUIRE(rx != nullptr);
    CHECK(rx->type == "counter");
    REQUIRE(!rx->samples.empty());
    CHECK(*rx->samples[0].label("domain") == d.name);
    CHECK(*rx->samples[0].label("target_device") == d.nics[0].name);
    CHECK(rx->samples[0].value == static_cast<double>(*d.nics[0].rx_bytes));

    const auto* disk = test_support::find_family(families, "libvirt_domain_block_stats_info");
    REQUIRE(disk != nullptr);
    CHECK(*disk->samples[0].label("target_device") == d.disks[0].name);
    CHECK(*disk->samples[0].label("source_file") == d.disks[0].info->source);

    const auto* vcpu = test_support::find_family(families, "libvirt_domain_vcpu_state");
    REQUIRE(vcpu != nullptr);
    CHECK(*vcpu->samples[0].label("vcpu") == "7");
    CHECK(*test_support::find_family(families, "virt_exporter_build_info")->samples[0].label("version") == "v\"1\"");
}

TEST_CASE("the fixture's exposition is well-formed: every family has HELP, TYPE and samples, no series twice")
{
    prom::Scrape scrape;
    scrape.snapshot = std::make_shared<collect::Snapshot>(test_support::sample_snapshot());
    scrape.status.push = prom::PushStatus{};
    scrape.status.process = util::ProcessStats{};
    const auto families = test_support::parse_exposition(prom::render_text(scrape));
    CHECK(families.size() > 80);
    for (const auto& f : families) {
        CHECK(!f.help.empty());
        CHECK((f.type == "counter") == f.name.ends_with("_total"));
    }
}
