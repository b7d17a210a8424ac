// Bucket boundaries of the exporter's histograms (instr/instruments.hpp), chosen for this workload.
// Each histogram costs one series per bucket per label set, so every list stays short (at most 13
// boundaries) and spans what the exporter really sees, with the limit that matters (a timeout, a batch
// size) as a boundary so that "how many were over it" is one bucket's count.
#pragma once

#include <prometheus/histogram.h>

namespace instr {

// HTTP answers: a health check or a JSON page takes well under a millisecond; /metrics takes ~1 ms
// for a few domains and ~30 ms (plain) to ~70 ms (gzip) at 1000 domains (bench/README.md), plus the
// collection it waits for, bounded by web.scrape_timeout (default 10 s). 10 s is the last boundary.
inline const prometheus::Histogram::BucketBoundaries http_seconds_buckets{
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

// Collections and their stats groups: the test driver answers in a millisecond, a host of 1000 domains
// in tens to hundreds of milliseconds (bulk call plus per-domain fill-in), and a collection stuck behind
// a guest runs into libvirt.timeout (default 10 s) or beyond. Boundaries at 5 and 10 s let an alert ask
// how many collections came near web.scrape_timeout (default 10 s) without interpolating.
inline const prometheus::Histogram::BucketBoundaries collection_seconds_buckets{
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

// One POST to InfluxDB: a few milliseconds on a LAN for a gzip body of 5000 lines, seconds when the
// server is busy compacting; a write that hangs is cut off by libcurl's timeout (push.timeout, 10 s by
// default), so anything above 10 s is the overflow bucket.
inline const prometheus::Histogram::BucketBoundaries push_seconds_buckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                                          0.25,  0.5,    1,     2.5,  5,     10};

// Lines per POST: a push of one domain is a handful of lines; a 1000-domain host writes ~10 000 lines per
// interval, cut into batches of push.batch_max_lines (5000 by default, a boundary) and halved on 413.
inline const prometheus::Histogram::BucketBoundaries push_lines_buckets{1,    10,   50,   100,   250,  500,
                                                                        1000, 2500, 5000, 10000, 50000};

// virDomainGetXMLDesc for the device cache: ~0.1-1 ms on a local socket, tens of milliseconds over
// qemu+ssh:// or qemu+tls://; a domain whose QEMU is stuck can hold the call for seconds.
inline const prometheus::Histogram::BucketBoundaries xml_fetch_seconds_buckets{
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5};

}  // namespace instr
