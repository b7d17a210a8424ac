#include "prom/family_builder.hpp"

#include <utility>

namespace prom {

FamilyBuilder::FamilyBuilder(std::vector<prometheus::MetricFamily>& out, std::string name, std::string help,
                             prometheus::MetricType type)
    : out_(out)
{
    family_.name = std::move(name);
    family_.help = std::move(help);
    family_.type = type;
}

FamilyBuilder::~FamilyBuilder()
{
    if (family_.metric.empty()) return;
    try {
        out_.push_back(std::move(family_));
    } catch (...) {
        // Out of memory mid-scrape: the family is lost, the scrape still answers.
    }
}

void FamilyBuilder::add(const Labels& labels, double value)
{
    prometheus::ClientMetric m;
    m.label = labels;
    switch (family_.type) {
    case prometheus::MetricType::Counter: m.counter.value = value; break;
    case prometheus::MetricType::Gauge: m.gauge.value = value; break;
    default: m.untyped.value = value; break;
    }
    family_.metric.push_back(std::move(m));
}

Labels domain_labels(const std::string& domain, const std::string& uuid, Labels extra)
{
    Labels labels{{"domain", domain}, {"uuid", uuid}};
    for (auto& l : extra) labels.push_back(std::move(l));
    return labels;
}

}  // namespace prom
