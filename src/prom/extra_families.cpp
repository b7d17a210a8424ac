// Families for the optional stats groups (perf, iothread, dirtyrate, vm, memory bandwidth) and any
// other numeric field the parser kept by name. Names are derived from libvirt's field names: numeric
// components become labels named after the component before them ("iothread.3.poll-max-ns" →
// libvirt_domain_iothread_poll_max_ns{iothread="3"}).
#include <cctype>
#include <map>
#include <string_view>

#include "prom/families.hpp"
#include "prom/family_builder.hpp"

namespace prom {
namespace {

struct Derived {
    std::string name;
    Labels labels;
    prometheus::MetricType type = prometheus::MetricType::Gauge;
    double scale = 1.0;
};

bool all_digits(std::string_view s)
{
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string sanitize(std::string_view s)
{
    std::string out;
    for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return out;
}

Derived derive(std::string_view field)
{
    Derived d;
    d.name = "libvirt_domain";
    std::string_view previous = "index";
    while (!field.empty()) {
        const auto dot = field.find('.');
        const std::string_view part = field.substr(0, dot);
        if (all_digits(part))
            d.labels.push_back({sanitize(previous), std::string(part)});
        else
            d.name += "_" + sanitize(part);
        previous = part;
        field = dot == std::string_view::npos ? std::string_view() : field.substr(dot + 1);
    }
    if (d.name.ends_with("_count")) {  // "_count" belongs to summaries: iothread.count → ..._iothreads
        d.name.resize(d.name.size() - 6);
        d.name += "s";
    }
    if (d.name.ends_with("_ns")) {  // e.g. iothread poll-max-ns: base units, as promtool asks
        d.name.resize(d.name.size() - 3);
        d.name += "_seconds";
        d.scale = ns;
    }
    if (d.name.starts_with("libvirt_domain_perf_")) {
        d.type = prometheus::MetricType::Counter;  // perf events only count up
        d.name += "_total";
    } else if (d.name.starts_with("libvirt_domain_cpu_haltpoll_") && d.name.ends_with("_time")) {
        d.type = prometheus::MetricType::Counter;
        d.name.resize(d.name.size() - 5);
        d.name += "_seconds_total";
        d.scale = ns;
    }
    return d;
}

}  // namespace

void add_extra_families(const Scrape& scrape, Families& out)
{
    if (!scrape.snapshot) return;
    // std::map keeps the output order stable from scrape to scrape.
    std::map<std::string, prometheus::MetricFamily> families;
    for (const auto& d : scrape.snapshot->domains) {
        for (const auto& e : d.extra) {
            Derived derived = derive(e.name);
            auto& family = families[derived.name];
            if (family.name.empty()) {
                family.name = derived.name;
                family.help = "libvirt domain statistic " + e.name + " (as reported by libvirt).";
                family.type = derived.type;
            }
            prometheus::ClientMetric m;
            m.label = domain_labels(d.name, d.uuid, std::move(derived.labels));
            const double v = e.value * derived.scale;
            if (family.type == prometheus::MetricType::Counter)
                m.counter.value = v;
            else
                m.gauge.value = v;
            family.metric.push_back(std::move(m));
        }
    }
    for (auto& [name, family] : families) out.push_back(std::move(family));
}

}  // namespace prom
