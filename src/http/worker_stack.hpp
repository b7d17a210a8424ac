// Gives the stack pages a CivetWeb worker touched for its last connection back to the kernel.
//
// CivetWeb 1.15 creates all web.max_connections workers at start and never ends one, and a page of a
// thread's stack, once touched, stays resident until the thread exits. An idle worker has touched about
// 16 KiB of its 100 KiB stack (Debian builds CivetWeb with USE_STACK_SIZE=102400); one that waited for
// a slow client, ran a TLS handshake or gzipped a scrape touched more, so after a crowd of clients RSS
// stayed up by what the deepest call of every worker ever needed (+18 MiB after one crowd of 1400 plain
// HTTP clients, measured by tests/integration/crowd.py). Called at the end of every connection, on the
// worker itself, release_unused_stack() drops the pages below the current frame, which nothing uses
// then; the next connection faults in (zeroed) what it needs.
//
// Thread-safety: touches only the calling thread's own stack; call it on a thread created with
// pthread_create (CivetWeb's workers), never on the main thread, whose stack grows on demand. noexcept.
#pragma once

namespace http {

void release_unused_stack() noexcept;

}  // namespace http
