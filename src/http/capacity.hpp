// How many connections the HTTP server can hold, and what it asks of CivetWeb and the kernel for that.
//
// CivetWeb 1.15 serves each connection on one worker thread from accept() to close: the TLS handshake,
// the wait for the request headers, the handler, and the idle time between kept-alive requests. Its
// master thread hands accepted sockets to the workers through a FIFO of `connection_queue` slots and,
// when that is full, stops accepting, so further connections wait in the kernel's listen queue. A silent
// client therefore holds a worker for up to request_timeout, and a scrape that arrives when every worker
// is held waits, with no timeout, behind all of them. The worker count is the number of clients that can
// be stalled at once without delaying a scrape (README "Crowds of clients").
//
// Every connection a worker or the queue holds is an open file. When accept() fails with EMFILE, 1.15's
// master thread polls the listener again at once and spins on one core until a file is closed, so the
// plan keeps workers + queue + a reserve for the rest of the exporter under RLIMIT_NOFILE.
//
// CivetWeb creates every worker at start and never ends one, and what a thread keeps until it exits
// would stay forever: release_worker_state() gives it back at the end of each connection.
//
// Thread-safety: plain functions; raise_open_files_limit() changes the process's limit (call it once at
// start, before threads that open files); release_worker_state() touches only the calling thread's own
// state. Nothing here throws.
#pragma once

#include <cstdint>
#include <string>

namespace http {

struct Capacity {
    unsigned workers = 0;          // CivetWeb num_threads: connections served at once
    unsigned queue = 0;            // CivetWeb connection_queue: accepted, waiting for a worker
    unsigned listen_backlog = 0;   // CivetWeb listen_backlog (the kernel caps it at net.core.somaxconn)
    std::uint64_t open_files = 0;  // the most files the server and the rest of the exporter may hold
    bool lowered = false;          // workers < the max_connections asked for: the open-files limit is too low
};

// Sockets waiting between CivetWeb's master and its workers. Small on purpose: a connection waits as
// long here as in the kernel's listen queue, but costs an open file here and none there.
inline constexpr unsigned connection_queue_slots = 32;
// Files the exporter holds besides client connections: libvirt connections (up to 16) and their event
// loop, InfluxDB connections, spool segments, the listeners, /proc reads, certificates being reloaded.
inline constexpr std::uint64_t reserved_open_files = 256;

// The plan for `max_connections` under an open-files limit of `open_files_limit`. Pure.
Capacity plan_capacity(unsigned max_connections, std::uint64_t open_files_limit);

// Raises the soft RLIMIT_NOFILE to the hard limit (unprivileged; systemd's default is 1024 soft and
// 524288 hard, because select() cannot go above 1024, and CivetWeb uses poll()). Returns the soft limit
// in force afterwards, which stays as it was where setrlimit is refused (a seccomp filter such as the
// unit's ~@resources).
std::uint64_t raise_open_files_limit();

// The soft RLIMIT_NOFILE now (UINT64_MAX when unlimited).
std::uint64_t open_files_limit();

// Called on a CivetWeb worker after each connection, once CivetWeb has freed the SSL and closed the
// socket (server.cpp's connection_closed callback). Gives back:
// - OpenSSL 3's per-thread state (error queue, the thread's two random generators), about 23 KiB per
//   worker that ran a handshake (+32 MiB after a crowd of 1400 TLS clients, tests/integration/crowd.py).
//   OPENSSL_thread_stop() frees it; the next handshake on this worker sets it up again (microseconds).
// - the stack pages below the current frame. An idle worker has touched about 16 KiB of its 100 KiB stack
//   (Debian builds CivetWeb with USE_STACK_SIZE=102400); one that waited for a slow client, ran a TLS
//   handshake or gzipped a scrape touched more, and a touched page stays resident until the thread exits:
//   +18 MiB after one crowd of 1400 plain HTTP clients. Nothing below the frame is in use once the
//   connection is closed; the next connection faults in (zeroed) what it needs.
// Only on threads made by pthread_create (CivetWeb's workers), never on the main thread, whose stack
// grows on demand.
void release_worker_state() noexcept;
// The stack part alone (exposed for tests).
void release_unused_stack() noexcept;

// "lowered web.max_connections from 2048 to 736: the open-files limit is 1024 ..." for the log.
std::string describe_lowered(unsigned max_connections, const Capacity& capacity);

}  // namespace http
