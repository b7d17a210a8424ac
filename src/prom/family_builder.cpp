#include "prom/family_builder.hpp"

#include <utility>

namespace prom {

FamilyBuilder::FamilyBuilder(std::vector<prometheus::MetricFamily>& out, std::string name, std::string help,
                             prometheus::MetricType type)
    : out_(out), index_(out.size())
{
    auto& family = out_.emplace_back();
    family.name = std::move(name);
    family.help = std::move(help);
    family.type = type;
}

void FamilyBuilder::add(const Labels& labels, double value)
{
    prometheus::ClientMetric m;
    m.label = labels;
    auto& family = out_[index_];
    switch (family.type) {
    case prometheus::MetricType::Counter: m.counter.value = value; break;
    case prometheus::MetricType::Gauge: m.gauge.value = value; break;
    default: m.untyped.value = value; break;
    }
    family.metric.push_back(std::move(m));
}

Labels domain_labels(const std::string& domain, const std::string& uuid, Labels extra)
{
    Labels labels{{"domain", domain}, {"uuid", uuid}};
    for (auto& l : extra) labels.push_back(std::move(l));
    return labels;
}

}  // namespace prom
