#include "instr/instruments.hpp"

#include <algorithm>
#include <sstream>

#include <prometheus/text_serializer.h>

#include "instr/buckets.hpp"

namespace instr {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildHistogram;

// Runs `record`, swallowing what it throws (std::bad_alloc for a new child, std::system_error from a
// histogram's mutex): a measurement that cannot be recorded is left out, never an error of the caller.
template <typename Record>
void guarded(Record&& record) noexcept
{
    try {
        record();
    } catch (...) {  // nothing to do: the measurement is lost
    }
}

// A child of a labelled family; prometheus-cpp returns the same child for the same labels.
template <typename Metric, typename... Args>
Metric& child(prometheus::Family<Metric>& family, const prometheus::Labels& labels, Args&&... args)
{
    return family.Add(labels, std::forward<Args>(args)...);
}

}  // namespace

std::string_view auth_failure_name(AuthFailure reason) noexcept
{
    switch (reason) {
    case AuthFailure::missing: return "missing_credentials";
    case AuthFailure::wrong: return "wrong_credentials";
    case AuthFailure::busy: return "too_many_attempts";
    }
    return "unknown";
}

std::string_view libvirt_api_name(LibvirtApi api) noexcept
{
    const auto name = util::name_of<LibvirtApi>(libvirt_apis, api);
    return name.empty() ? "unknown" : name;
}

Instruments::Instruments(prometheus::Registry& registry)
    : http_duration_(BuildHistogram()
                         .Name("virt_exporter_http_request_duration_seconds")
                         .Help("Time to answer an HTTP request, by the handler that answered it.")
                         .Register(registry)),
      http_requests_(BuildCounter()
                         .Name("virt_exporter_http_requests_total")
                         .Help("HTTP requests answered, by handler and status code.")
                         .Register(registry)),
      collection_(BuildHistogram()
                      .Name("virt_exporter_collection_seconds")
                      .Help("Duration of whole collections from libvirt (virt_exporter_collection_duration_seconds "
                            "is the last one's).")
                      .Register(registry)
                      .Add({}, collection_seconds_buckets)),
      collection_group_(BuildHistogram()
                            .Name("virt_exporter_collection_group_seconds")
                            .Help("Time spent collecting each stats group (the bulk call plus any per-domain calls).")
                            .Register(registry)),
      beside_hung_(BuildCounter()
                       .Name("virt_exporter_collections_beside_hung_total")
                       .Help("Collections started while an earlier one had overrun a caller's timeout and still ran.")
                       .Register(registry)
                       .Add({})),
      push_write_(BuildHistogram()
                      .Name("virt_exporter_push_write_duration_seconds")
                      .Help("Time of one write request to InfluxDB, by write API.")
                      .Register(registry)),
      push_lines_(BuildHistogram()
                      .Name("virt_exporter_push_batch_lines")
                      .Help("Lines in one write request to InfluxDB, by write API.")
                      .Register(registry)),
      xml_fetch_(BuildHistogram()
                     .Name("virt_exporter_device_cache_fetch_duration_seconds")
                     .Help("Time to fetch one domain's XML (virDomainGetXMLDesc) for the device cache.")
                     .Register(registry)
                     .Add({}, xml_fetch_seconds_buckets)),
      tls_failures_(BuildCounter()
                        .Name("virt_exporter_tls_handshake_failures_total")
                        .Help("TLS connections closed before their handshake completed.")
                        .Register(registry)
                        .Add({})),
      reconnects_(BuildCounter()
                      .Name("virt_exporter_libvirt_reconnects_total")
                      .Help("Connections to libvirt opened again after the first one.")
                      .Register(registry)
                      .Add({}))
{
    auto& auth = BuildCounter()
                     .Name("virt_exporter_http_auth_failures_total")
                     .Help("HTTP requests refused by basic auth, by reason.")
                     .Register(registry);
    for (std::size_t i = 0; i < auth_failures.size(); ++i)
        auth_failures_[i] = &auth.Add({{"reason", std::string(auth_failure_name(auth_failures[i]))}});
    auto& calls = BuildCounter()
                      .Name("virt_exporter_libvirt_calls_total")
                      .Help("libvirt API calls made through the exporter's DomainSource, by API.")
                      .Register(registry);
    for (std::size_t i = 0; i < libvirt_api_count; ++i)
        libvirt_calls_[i] = &calls.Add({{"api", std::string(libvirt_apis[i].name)}});
}

void Instruments::record_http_request(std::string_view handler, int status, double seconds) noexcept
{
    guarded([&] {
        const std::string name(handler);
        child(http_duration_, {{"handler", name}}, http_seconds_buckets).Observe(seconds);
        child(http_requests_, {{"handler", name}, {"code", std::to_string(status)}}).Increment();
    });
}

void Instruments::record_collection(double seconds) noexcept
{
    guarded([&] { collection_.Observe(seconds); });
}

void Instruments::record_collection_group(std::string_view group, double seconds) noexcept
{
    guarded([&] {
        child(collection_group_, {{"group", std::string(group)}}, collection_seconds_buckets).Observe(seconds);
    });
}

void Instruments::record_collection_beside_hung() noexcept
{
    beside_hung_.Increment();
}

void Instruments::record_push_write(std::string_view api, double seconds, std::size_t lines) noexcept
{
    guarded([&] {
        const prometheus::Labels labels{{"api", std::string(api)}};
        child(push_write_, labels, push_seconds_buckets).Observe(seconds);
        child(push_lines_, labels, push_lines_buckets).Observe(static_cast<double>(lines));
    });
}

void Instruments::record_xml_fetch(double seconds) noexcept
{
    guarded([&] { xml_fetch_.Observe(seconds); });
}

void Instruments::record_tls_handshake_failure() noexcept
{
    tls_failures_.Increment();
}

void Instruments::record_auth_failure(AuthFailure reason) noexcept
{
    const auto i = static_cast<std::size_t>(reason);
    if (i < auth_failures_.size()) auth_failures_[i]->Increment();
}

void Instruments::record_libvirt_reconnect() noexcept
{
    reconnects_.Increment();
}

void Instruments::record_libvirt_call(LibvirtApi api) noexcept
{
    const auto i = static_cast<std::size_t>(api);
    if (i < libvirt_calls_.size()) libvirt_calls_[i]->Increment();
}

void append_text(const prometheus::Registry& registry, std::string& out)
{
    std::ostringstream text;
    prometheus::TextSerializer().Serialize(text, registry.Collect());
    out += text.str();
}

}  // namespace instr
