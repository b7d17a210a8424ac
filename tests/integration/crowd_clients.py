#!/usr/bin/env python3
"""A crowd of hostile clients on one loopback port, in its own process (so that its work does not hold
the GIL of the script that times the scrapes), for crowd.py.

Usage: crowd_clients.py PORT tls|plain IDLE SLOW HALF STATUS_FILE MAX_SECONDS

- IDLE clients connect and send nothing (on a TLS port: stalled before the ClientHello);
- SLOW clients (slowloris) send a request header one byte a second and never finish it (on a TLS port,
  after a completed handshake);
- HALF clients send the first half of a real ClientHello and stall; on a plain port, where CivetWeb
  refuses those bytes at once (400), the first half of a request header instead.

Every client whose connection the server closes connects again, as an attacker would (at most once a
second each, so that a client the server refuses at once does not spin), so the crowd stays at its size
for as long as it runs. Once a second it writes its counts as JSON to
STATUS_FILE. It stops on SIGTERM, or by itself after MAX_SECONDS, closing every socket.
"""
import errno
import json
import os
import resource
import selectors
import signal
import socket
import ssl
import sys
import time

def main():
    port, mode = int(sys.argv[1]), sys.argv[2]
    counts = {"idle": int(sys.argv[3]), "slow": int(sys.argv[4]), "half": int(sys.argv[5])}
    status_file, max_seconds = sys.argv[6], float(sys.argv[7])
    HEADER = b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\nX-Padding: " + b"a" * 4000

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, sum(counts.values()) + 256)), hard))
    client_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client_tls.check_hostname = False
    client_tls.verify_mode = ssl.CERT_NONE  # the slow clients only need a session, not the server's identity

    def make_hello():
        """The bytes of a real ClientHello, as Python's OpenSSL sends them."""
        outgoing = ssl.MemoryBIO()
        obj = client_tls.wrap_bio(ssl.MemoryBIO(), outgoing, server_hostname="localhost")
        try:
            obj.do_handshake()
        except ssl.SSLWantReadError:
            pass
        return outgoing.read()

    HALF = make_hello() if mode == "tls" else HEADER[:200]
    HALF = HALF[: len(HALF) // 2]

    class Client:
        def __init__(self, kind):
            self.kind, self.sock, self.state, self.sent, self.next_byte = kind, None, "down", 0, 0.0
            self.next_connect = 0.0

    sel = selectors.DefaultSelector()
    clients = [Client(kind) for kind, n in counts.items() for _ in range(n)]
    slow_clients = [c for c in clients if c.kind == "slow"]
    stats = {"connected": {k: 0 for k in counts}, "reconnects": 0, "bytes": 0}

    def close(c):
        if c.sock is not None:
            try:
                sel.unregister(c.sock)
            except (KeyError, ValueError):
                pass
            c.sock.close()
        c.sock, c.state = None, "down"

    def connect(c):
        c.next_connect = time.monotonic() + 1.0
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        err = s.connect_ex(("127.0.0.1", port))
        if err not in (0, errno.EINPROGRESS):
            s.close()
            return
        c.sock, c.state, c.sent = s, "connecting", 0
        sel.register(s, selectors.EVENT_WRITE, c)

    def established(c):
        """The TCP connection is up: start what this kind of client does."""
        if c.kind == "slow" and mode == "tls":
            sel.unregister(c.sock)
            c.sock = client_tls.wrap_socket(c.sock, do_handshake_on_connect=False, server_hostname="localhost")
            c.state = "handshake"
            sel.register(c.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, c)
            return handshake(c)
        if c.kind == "half":
            c.sock.send(HALF)
        c.state, c.next_byte = "up", time.monotonic() + 1.0
        sel.modify(c.sock, selectors.EVENT_READ, c)  # readable now means the server closed or answered

    def handshake(c):
        try:
            c.sock.do_handshake()
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return
        c.state, c.next_byte = "up", time.monotonic() + 1.0
        sel.modify(c.sock, selectors.EVENT_READ, c)

    def on_event(c, mask):
        try:
            if c.state == "connecting":
                if c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                    return close(c)
                return established(c)
            if c.state == "handshake":
                return handshake(c)
            # Up and readable: TLS 1.3 session tickets (nothing for the application), or the server timed us
            # out (EOF) or answered (an error page before it closes); the last two end this connection.
            try:
                data = c.sock.recv(4096)
            except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
                return
            close(c)
            stats["reconnects"] += 1
        except (OSError, ssl.SSLError):
            close(c)

    def dribble(now):
        for c in slow_clients:
            if c.state == "up" and now >= c.next_byte:
                try:
                    c.sock.send(HEADER[c.sent % len(HEADER): c.sent % len(HEADER) + 1])
                    c.sent += 1
                    stats["bytes"] += 1
                except (OSError, ssl.SSLError):
                    close(c)
                    continue
                c.next_byte = now + 1.0

    stopping = False

    def on_term(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_term)
    start = last_status = time.monotonic()
    while not stopping and time.monotonic() - start < max_seconds:
        # Reconnect what is down, a few hundred per turn so that the server's accept queue is not the test.
        now = time.monotonic()
        down = [c for c in clients if c.state == "down" and c.next_connect <= now][:300]
        for c in down:
            connect(c)
        for key, mask in sel.select(timeout=0.05):
            on_event(key.data, mask)
        now = time.monotonic()
        dribble(now)
        if now - last_status >= 1.0:
            last_status = now
            for k in counts:
                stats["connected"][k] = sum(1 for c in clients if c.kind == k and c.state == "up")
            with open(status_file + ".tmp", "w") as f:
                json.dump(stats, f)
            os.replace(status_file + ".tmp", status_file)
    for c in clients:
        close(c)


if __name__ == "__main__":
    sys.exit(main())
