// Helpers for building prometheus::MetricFamily values from plain data. A builder appends its family
// to `out` at once (so families keep the order they are declared in); a family that ends up with no
// samples is removed by build_families(), so a field no domain reported leaves no empty family behind.
// Not thread-safe; one builder per scrape. Throws only std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

namespace prom {

using Labels = std::vector<prometheus::ClientMetric::Label>;

class FamilyBuilder {
public:
    FamilyBuilder(std::vector<prometheus::MetricFamily>& out, std::string name, std::string help,
                  prometheus::MetricType type);
    FamilyBuilder(const FamilyBuilder&) = delete;
    FamilyBuilder& operator=(const FamilyBuilder&) = delete;

    void add(const Labels& labels, double value);
    // Adds value * scale when present; an absent value adds nothing (never a 0).
    template <typename T>
    void add(const Labels& labels, const std::optional<T>& value, double scale = 1.0)
    {
        if (value) add(labels, static_cast<double>(*value) * scale);
    }

private:
    std::vector<prometheus::MetricFamily>& out_;
    std::size_t index_;  // out_ only grows while a scrape is built, so the index stays valid
};

// {domain, uuid} plus `extra` labels.
Labels domain_labels(const std::string& domain, const std::string& uuid, Labels extra = {});

inline constexpr double kib = 1024.0;
inline constexpr double ns = 1e-9;

}  // namespace prom
