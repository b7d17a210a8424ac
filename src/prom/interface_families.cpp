// Per-NIC counters and the NIC info metric: libvirt_domain_interface_stats_* (inovex names).
#include "prom/families.hpp"

namespace prom {
namespace {

using collect::NicSample;

struct NicFamily {
    Family family;
    collect::OptU64 NicSample::*field;
};

constexpr NicFamily counters[] = {
    {{"libvirt_domain_interface_stats_receive_bytes_total", "Number of bytes received on a network interface.",
      Type::counter},
     &NicSample::rx_bytes},
    {{"libvirt_domain_interface_stats_receive_packets_total", "Number of packets received on a network interface.",
      Type::counter},
     &NicSample::rx_pkts},
    {{"libvirt_domain_interface_stats_receive_errors_total", "Number of packet receive errors on a network interface.",
      Type::counter},
     &NicSample::rx_errs},
    {{"libvirt_domain_interface_stats_receive_drops_total", "Number of packet receive drops on a network interface.",
      Type::counter},
     &NicSample::rx_drop},
    {{"libvirt_domain_interface_stats_transmit_bytes_total", "Number of bytes transmitted on a network interface.",
      Type::counter},
     &NicSample::tx_bytes},
    {{"libvirt_domain_interface_stats_transmit_packets_total", "Number of packets transmitted on a network interface.",
      Type::counter},
     &NicSample::tx_pkts},
    {{"libvirt_domain_interface_stats_transmit_errors_total",
      "Number of packet transmit errors on a network interface.", Type::counter},
     &NicSample::tx_errs},
    {{"libvirt_domain_interface_stats_transmit_drops_total", "Number of packet transmit drops on a network interface.",
      Type::counter},
     &NicSample::tx_drop},
};

}  // namespace

void write_interface_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out)
{
    if (!scrape.snapshot) return;
    each_device_info(out, labels,
                     {"libvirt_domain_interface_stats_info", "Metadata on network interfaces.", Type::gauge},
                     &collect::DomainSample::nics, [](const NicSample& n, const collect::NicInfo& i, std::string& set) {
                         append_label(set, "interface_type", i.type);
                         append_label(set, "source_bridge", i.source_bridge);
                         append_label(set, "source_network", i.source_network);
                         append_label(set, "target_device", n.name);
                         append_label(set, "mac_address", i.mac);
                         append_label(set, "model_type", i.model);
                         append_label(set, "mtu_size", i.mtu);
                     });
    for (const NicFamily& f : counters) each_nic(out, labels, f.family, [&](const NicSample& n) { return n.*f.field; });
}

}  // namespace prom
