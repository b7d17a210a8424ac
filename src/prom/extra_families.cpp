// Families for the optional stats groups (perf, iothread, dirtyrate, vm, memory bandwidth) and any
// other numeric field the parser kept by name. Names are derived from libvirt's field names: numeric
// components become labels named after the component before them ("iothread.3.poll-max-ns" →
// libvirt_domain_iothread_poll_max_ns{iothread="3"}).
#include <algorithm>
#include <cctype>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "prom/families.hpp"

namespace prom {
namespace {

struct Derived {
    std::string name;
    std::string labels;  // escaped, e.g. iothread="3"
    Type type = Type::gauge;
    Unit unit = Unit::one;
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
            append_label(d.labels, sanitize(previous), part);
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
        d.unit = Unit::ns;
    }
    if (d.name.starts_with("libvirt_domain_perf_")) {
        d.type = Type::counter;  // perf events only count up
        d.name += "_total";
    } else if (d.name.starts_with("libvirt_domain_cpu_haltpoll_") && d.name.ends_with("_time")) {
        d.type = Type::counter;
        d.name.resize(d.name.size() - 5);
        d.name += "_seconds_total";
        d.unit = Unit::ns;
    }
    return d;
}

// One sample to write: which field of which domain, under which derived family.
struct Entry {
    const Derived* derived;
    std::size_t domain;
    const collect::ExtraField* field;
};

}  // namespace

void write_extra_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out)
{
    if (!scrape.snapshot) return;
    const auto& domains = labels.domains();
    // Most domains report the same field names: each is derived once.
    std::unordered_map<std::string_view, Derived> derived;
    std::vector<Entry> entries;
    for (std::size_t d = 0; d < domains.size(); ++d) {
        for (const auto& e : domains[d].extra) {
            auto it = derived.find(e.name);
            if (it == derived.end()) it = derived.emplace(e.name, derive(e.name)).first;
            entries.push_back({&it->second, d, &e});
        }
    }
    // Families in name order, so the output is stable from scrape to scrape; samples in snapshot order.
    // A family's HELP names the first field that produced it.
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.derived->name < b.derived->name; });
    std::string help;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const Derived& f = *entries[i].derived;
        if (i == 0 || entries[i - 1].derived->name != f.name) {
            help = "libvirt domain statistic " + entries[i].field->name + " (as reported by libvirt).";
            out.family({f.name, help, f.type});
        }
        out.sample(labels.domain(entries[i].domain), f.labels, to_base(entries[i].field->value, f.unit));
    }
}

}  // namespace prom
