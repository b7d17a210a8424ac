// Per-NIC counters and the NIC info metric: libvirt_domain_interface_stats_* (inovex names).
#include "prom/families.hpp"
#include "prom/family_builder.hpp"

namespace prom {

void add_interface_families(const Scrape& scrape, Families& out)
{
    if (!scrape.snapshot) return;
    using prometheus::MetricType;
    const std::string p = "libvirt_domain_interface_stats_";
    FamilyBuilder info(out, p + "info", "Metadata on network interfaces.", MetricType::Gauge);
    FamilyBuilder rx_bytes(out, p + "receive_bytes_total", "Number of bytes received on a network interface.",
                           MetricType::Counter);
    FamilyBuilder rx_pkts(out, p + "receive_packets_total", "Number of packets received on a network interface.",
                          MetricType::Counter);
    FamilyBuilder rx_errs(out, p + "receive_errors_total", "Number of packet receive errors on a network interface.",
                          MetricType::Counter);
    FamilyBuilder rx_drop(out, p + "receive_drops_total", "Number of packet receive drops on a network interface.",
                          MetricType::Counter);
    FamilyBuilder tx_bytes(out, p + "transmit_bytes_total", "Number of bytes transmitted on a network interface.",
                           MetricType::Counter);
    FamilyBuilder tx_pkts(out, p + "transmit_packets_total", "Number of packets transmitted on a network interface.",
                          MetricType::Counter);
    FamilyBuilder tx_errs(out, p + "transmit_errors_total", "Number of packet transmit errors on a network interface.",
                          MetricType::Counter);
    FamilyBuilder tx_drop(out, p + "transmit_drops_total", "Number of packet transmit drops on a network interface.",
                          MetricType::Counter);

    for (const auto& d : scrape.snapshot->domains) {
        for (const auto& n : d.nics) {
            const Labels labels = domain_labels(d.name, d.uuid, {{"target_device", n.name}});
            if (const collect::NicInfo* i = n.info) {
                info.add(domain_labels(d.name, d.uuid,
                                       {{"interface_type", i->type},
                                        {"source_bridge", i->source_bridge},
                                        {"source_network", i->source_network},
                                        {"target_device", n.name},
                                        {"mac_address", i->mac},
                                        {"model_type", i->model}}),
                         1);
            }
            rx_bytes.add(labels, n.rx_bytes);
            rx_pkts.add(labels, n.rx_pkts);
            rx_errs.add(labels, n.rx_errs);
            rx_drop.add(labels, n.rx_drop);
            tx_bytes.add(labels, n.tx_bytes);
            tx_pkts.add(labels, n.tx_pkts);
            tx_errs.add(labels, n.tx_errs);
            tx_drop.add(labels, n.tx_drop);
        }
    }
}

}  // namespace prom
