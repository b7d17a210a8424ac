#!/usr/bin/env python3
"""A misbehaving InfluxDB (issue 16): a loopback write endpoint on raw sockets plays a table of answers no
real server gives on demand, one row at a time, to one exporter that pushes every second: broken status
lines, HTTP/0.9, a 1xx for a final answer, redirects (never followed), huge and binary bodies, a body that
never ends, a 200 after 60 s, Content-Length lies, a reset in the middle of the headers, every Retry-After on
429 and 503, and the partial-write 400s of InfluxDB 1.x (with a dropped= count beyond 64 bits), 2.x and 3.x.

For each row: the process stays alive and /healthz and /metrics answer; the POST rate stays within what the
backoff allows (Retry-After 0 must not make a busy loop); the answer is classified as documented (the
outcome name that /api/status push.last_error starts with); and once the server behaves again (204, lines
recorded) the backlog drains. Over the whole run every line reaches the server exactly once, keyed by
(series, timestamp): recorded after a 204, or answered with a 400 (not retried by design, counted as
rejected by the exporter). Rows whose answer is retried lose nothing.

Usage: push_answers.py EXPORTER SOURCE_DIR
"""
import collections
import email.utils
import gzip
import json
import math
import os
import re
import socket
import struct
import sys
import threading
import time
import traceback
import urllib.error
import urllib.request

from fixtures import Exporter, exporter_config, http_get, wait_until, workdir
from sanitizers import scaled
from tap import Tap

INTERVAL = 1.0         # push.interval
BATCH_MAX_SEC = 1.5    # push.batch_max_sec: a batch holds 2-3 intervals, so a lost batch leaves a visible gap
TIMEOUT = 2.0          # push.timeout: far shorter than the 60 s stall
BACKOFF_MIN = 1.0      # push.retry_backoff_min
BACKOFF_MAX = 4.0      # push.retry_backoff_max
JITTER = 0.8           # util::backoff_delay shortens a delay by up to 20%
LEAST_BACKOFF = BACKOFF_MIN * JITTER - 0.05  # the shortest wait after a failure (less a timer's rounding)
WATCH = 1.5            # seconds a row lasts at least after its first POST, so that a busy loop shows
HUGE_BODY = 50 * 1024 * 1024
TOO_BIG_FOR_64_BITS = "99999999999999999999999"
NETWORK = r"network_error( \(HTTP \d+\))?"  # a status line may have come before the transfer broke


# --- the loopback server ------------------------------------------------------------------------------

class Request:
    def __init__(self, row, arrived, lines):
        self.row = row
        self.arrived = arrived  # time.monotonic() when its headers and body were read
        self.lines = lines


class WriteServer:
    """A write endpoint on a raw listening socket. Each request is answered by the row current when it
    arrived (None: behave, 204); a connection stays open after a well-formed answer (curl reuses it) and is
    closed after a malformed one. Lines count as delivered only after a well-formed 204; lines answered
    with a 400 are kept apart as rejected."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.lock = threading.Lock()
        self.row = None
        self.requests = []   # every request, in arrival order
        self.recorded = []   # lines answered 204
        self.rejected = []   # lines answered 400
        self.stopping = threading.Event()
        self.threads = []
        self.conns = set()
        self.errors = []     # anything unexpected in a handler (a test bug, not an exporter one)
        self.accepter = threading.Thread(target=self._accept_loop, name="accept", daemon=True)
        self.accepter.start()

    def _accept_loop(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            t = threading.Thread(target=self._connection, args=(conn,), daemon=True)
            with self.lock:
                self.conns.add(conn)
                self.threads = [x for x in self.threads if x.is_alive()]
                self.threads.append(t)
            t.start()

    def _read_request(self, conn, buf):
        """(headers dict, body bytes, rest of buf) of the next request, or None at EOF, stop or idle."""
        idle_until = time.monotonic() + 60
        while b"\r\n\r\n" not in buf:
            if self.stopping.is_set() or time.monotonic() > idle_until or len(buf) > 1 << 20:
                return None
            try:
                data = conn.recv(65536)
            except socket.timeout:
                continue
            if not data:
                return None
            buf += data
        head, buf = buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        if headers.get("expect", "").lower() == "100-continue" and len(buf) < length:
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        while len(buf) < length:
            if self.stopping.is_set():
                return None
            try:
                data = conn.recv(65536)
            except socket.timeout:
                continue
            if not data:
                return None
            buf += data
        body, buf = buf[:length], buf[length:]
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return headers, body, buf

    def _connection(self, conn):
        conn.settimeout(0.5)
        buf = b""
        try:
            while True:
                got = self._read_request(conn, buf)
                if got is None:
                    return
                _, body, buf = got
                lines = [l for l in body.decode("utf-8").split("\n") if l]
                with self.lock:
                    row = self.row
                    self.requests.append(Request(row, time.monotonic(), lines))
                answer = row.answer if row else behave
                conn.settimeout(10)  # a slow reader (a loaded machine) must not cut an answer short
                if not answer(self, conn, lines, row):
                    return
                conn.settimeout(0.5)
        except OSError:
            pass  # the exporter gave up on this connection: that is its right
        except Exception as e:  # noqa: BLE001 - reported as a failed check at the end
            self.errors.append(repr(e))
        finally:
            with self.lock:
                self.conns.discard(conn)
            conn.close()

    def set_row(self, row):
        with self.lock:
            self.row = row

    def current(self, row):
        return self.row is row and not self.stopping.is_set()

    def requests_of(self, row):
        with self.lock:
            return [r for r in self.requests if r.row is row]

    def stop(self):
        """Stops the accept loop and every connection thread; returns the threads still alive."""
        self.stopping.set()
        self.sock.close()
        self.accepter.join(5)
        with self.lock:
            conns, threads = list(self.conns), list(self.threads)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for t in threads:
            t.join(5)
        return [t for t in [self.accepter, *threads] if t.is_alive()]


class HitCounter:
    """Another loopback port that redirects point at: it must never see a connection."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="redirect-target", daemon=True)
        self.thread.start()

    def _loop(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.hits += 1
            try:
                conn.sendall(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            conn.close()

    def stop(self):
        self.stopping.set()
        self.sock.close()
        self.thread.join(5)
        return self.thread.is_alive()


# --- answers: each returns True when the connection may be used again ----------------------------------

def response(status, reason, headers=(), body=b""):
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{h}\r\n" for h in headers)
    return head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def behave(server, conn, lines, row):
    conn.sendall(b"HTTP/1.1 204 No Content\r\nX-Influxdb-Version: 1.8.10\r\n\r\n")
    with server.lock:
        server.recorded.extend(lines)
    return True


def raw(data):
    """Sends `data` and closes the connection."""
    def answer(server, conn, lines, row):
        conn.sendall(data)
        return False
    return answer


def status(code, reason, headers=(), body=b""):
    def answer(server, conn, lines, row):
        conn.sendall(response(code, reason, [h() if callable(h) else h for h in headers], body))
        return True
    return answer


def rejected(body):
    """A 400 partial write: the server keeps what it could parse, the exporter must not send it again."""
    def answer(server, conn, lines, row):
        conn.sendall(response(400, "Bad Request", ["Content-Type: application/json"], body.encode()))
        with server.lock:
            server.rejected.extend(lines)
        return True
    return answer


def huge_body(server, conn, lines, row):
    conn.sendall(f"HTTP/1.1 500 Internal Server Error\r\nContent-Length: {HUGE_BODY}\r\n\r\n".encode())
    chunk = b'{"error":"' + b"A" * (1024 * 1024 - 10)
    sent = 0
    while sent < HUGE_BODY:
        piece = chunk[:min(len(chunk), HUGE_BODY - sent)]
        conn.sendall(piece)
        sent += len(piece)
    return True


BINARY = bytes(range(256)) * 4 + b"\x00" * 64 + os.urandom(4096) + b"\x00"


def never_ending_body(server, conn, lines, row):
    """A 200 whose chunked body gains one byte a second and never ends (until the row does)."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n")
    while server.current(row):
        conn.sendall(b"1\r\nx\r\n")
        time.sleep(1)
    return False


def ok_after_60s(server, conn, lines, row):
    """Nothing for 60 s, then a 200 (not recorded: a client that waited that long did not honour its own
    push.timeout). The row ends long before, and then the connection is closed."""
    deadline = time.monotonic() + 60
    while server.current(row) and time.monotonic() < deadline:
        time.sleep(0.1)
    if server.current(row):
        conn.sendall(response(200, "OK"))
    return False


def reset_mid_headers(server, conn, lines, row):
    conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: applic")
    time.sleep(0.05)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close sends RST
    return False


def http_date(offset):
    return email.utils.formatdate(math.ceil(time.time()) + offset, usegmt=True)


# --- the table ------------------------------------------------------------------------------------------

class Row:
    def __init__(self, name, answer, expect, min_gap=None, max_gap=None, rejected_lines=None, check=None):
        self.name = name
        self.answer = answer
        self.expect = expect            # regex of push.last_error's outcome part
        self.expect_name = "network_error" if expect == NETWORK else expect.replace("\\", "")
        self.min_gap = min_gap          # least seconds between two POSTs of the row
        self.max_gap = max_gap          # most seconds between two POSTs of the row (generous: a cap, not a timing)
        self.rejected_lines = rejected_lines  # None: retried; "exact" or "at most": lines_rejected vs 400 lines
        self.check = check              # extra checks: check(row, exp, requests, context)


def no_redirect_followed(row, exp, requests, ctx):
    tap.check(ctx["redirect_target"].hits == 0, f"{row.name}: the redirect is not followed (the Location port saw "
              f"{ctx['redirect_target'].hits} connections)")


def memory_bounded(row, exp, requests, ctx):
    grew = ctx["rss_max"] - ctx["rss_start"]
    tap.check(grew < 32 * 1024, f"{row.name}: the exporter does not hold the 50 MB body (RSS grew by {grew} KiB)")


def status_stays_json(row, exp, requests, ctx):
    st, _, body = http_get(exp.url + "/api/status", timeout=5)
    try:
        json.loads(body.decode("utf-8"))
        ok, detail = st == 200, ""
    except ValueError as e:
        ok, detail = False, f"{e}: {body[:400]!r}"
    tap.check(ok, f"{row.name}: /api/status stays valid UTF-8 JSON with the binary message in last_error", detail)


def retry_after_rows():
    variants = [
        ("absent", None, LEAST_BACKOFF),
        ("0", lambda: "Retry-After: 0", LEAST_BACKOFF),
        ("-5", lambda: "Retry-After: -5", LEAST_BACKOFF),
        (TOO_BIG_FOR_64_BITS, lambda: "Retry-After: " + TOO_BIG_FOR_64_BITS, LEAST_BACKOFF),
        ("abc", lambda: "Retry-After: abc", LEAST_BACKOFF),
        ("an HTTP-date in the past", lambda: "Retry-After: " + http_date(-3600), LEAST_BACKOFF),
        # The date has whole seconds, so the exporter may see 3 s or a little less: 2.5 s at least.
        ("an HTTP-date 3 s in the future", lambda: "Retry-After: " + http_date(3), 2.5),
    ]
    rows = []
    for code, reason in ((429, "Too Many Requests"), (503, "Service Unavailable")):
        for label, header, least in variants:
            headers = [header] if header else []
            body = b'{"error":"slow down"}' if code == 429 else b""
            rows.append(Row(f"{code} with Retry-After {label}", status(code, reason, headers, body),
                            rf"throttled \(HTTP {code}\)", min_gap=least, max_gap=BACKOFF_MAX + 3))
    return rows


def table():
    redirects = [Row(f"{code} redirect to another loopback port", status(code, reason, [
        lambda: f"Location: http://127.0.0.1:{CONTEXT['redirect_target'].port}/write?db=vms"], b"moved"),
        rf"server_error \(HTTP {code}\)", check=no_redirect_followed)
        for code, reason in ((301, "Moved Permanently"), (302, "Found"), (307, "Temporary Redirect"))]
    return [
        Row("status line 'HTTP/1.1 abc'", raw(b"HTTP/1.1 abc\r\nContent-Length: 0\r\n\r\n"), NETWORK),
        Row("status line 'FOO 200 OK'", raw(b"FOO 200 OK\r\nContent-Length: 0\r\n\r\n"), NETWORK),
        Row("an empty line for a status line", raw(b"\r\n"), NETWORK),
        Row("HTTP/0.9: a body with no status line", raw(b"partial write: nothing to see here\n"), NETWORK),
        # curl waits for a final answer after a 1xx; the close ends the transfer without one (curl's
        # "Empty reply from server"): no answer, retried like any network error.
        Row("102 Processing as the final answer, then close", raw(b"HTTP/1.1 102 Processing\r\n\r\n"),
            NETWORK),
        *redirects,
        Row("500 with a 50 MB body", huge_body, r"server_error \(HTTP 500\)", check=memory_bounded),
        Row("500 with a binary body (NUL bytes, invalid UTF-8)",
            status(500, "Internal Server Error", ["Content-Type: application/octet-stream"], BINARY),
            r"server_error \(HTTP 500\)", check=status_stays_json),
        Row("200 whose chunked body never ends (a byte a second)", never_ending_body, NETWORK),
        Row("503 with headers without values (Retry-After:)",
            status(503, "Service Unavailable", ["Retry-After:", "Content-Type:", "X-Influxdb-Error:"]),
            r"throttled \(HTTP 503\)", min_gap=LEAST_BACKOFF),
        Row("500 whose Content-Length is larger than what is sent before the close",
            raw(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 1000\r\n\r\n{\"error\":\"short"), NETWORK),
        # curl reads the 3 announced bytes: a complete, well-formed 500; the excess is never read as an answer.
        Row("500 whose Content-Length is smaller than what is sent",
            raw(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 3\r\n\r\n{\"error\":\"far longer than 3\"}"),
            r"server_error \(HTTP 500\)"),
        Row("200 sent only after 60 s", ok_after_60s, NETWORK),
        Row("connection reset (SO_LINGER 0) after half the headers", reset_mid_headers, NETWORK),
        *retry_after_rows(),
        Row("400 v2-style JSON error",
            rejected('{"code":"invalid","message":"unable to parse \'x\': missing fields"}'),
            r"rejected \(HTTP 400\)", rejected_lines="exact"),
        Row("400 InfluxDB-3-style partial write with a data array",
            rejected('{"error":"partial write of line protocol occurred","data":[{"original_line":"x",'
                     '"line_number":2,"error_message":"No fields were provided"}]}'),
            r"rejected \(HTTP 400\)", rejected_lines="at most"),
        # Last: before the fix this one aborted the process (exit 134), so every other row still reports.
        Row(f"400 partial write with dropped={TOO_BIG_FOR_64_BITS}",
            rejected('{"error":"partial write: unable to parse \'x\': missing fields dropped=' + TOO_BIG_FOR_64_BITS
                     + '"}'),
            r"rejected \(HTTP 400\)", rejected_lines="exact"),
    ]


# --- the exporter's side --------------------------------------------------------------------------------

def push_status(exp):
    st, _, body = http_get(exp.url + "/api/status", timeout=5)
    assert st == 200, f"/api/status answered {st}"
    return json.loads(body.decode("utf-8", "replace"), strict=False)["push"]


def http_post(url):
    req = urllib.request.Request(url, data=b"", method="POST")
    try:
        with urllib.request.urlopen(req, timeout=scaled(5)) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            m = re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M)
        return int(m.group(1)) if m else 0
    except OSError:
        return 0


def alive(exp):
    return exp.proc.poll() is None


def describe_exit(exp):
    code = exp.proc.poll()
    if code is None:
        return "running"
    return f"killed by signal {-code}" if code < 0 else f"exit status {code}"


def line_key(line):
    """(series, timestamp) of a line: measurement and tags up to the first unescaped space, the last field."""
    i = 0
    while True:
        i = line.index(" ", i)
        if line[i - 1] != "\\":
            break
        i += 1
    return line[:i], int(line.rsplit(" ", 1)[1])


def newest_recorded_ns(server):
    with server.lock:
        return max((line_key(l)[1] for l in server.recorded[-400:]), default=0)


# --- one row --------------------------------------------------------------------------------------------

CONTEXT = {}


def run_row(row, exp, server):
    ctx = CONTEXT
    before = push_status(exp)
    ctx["rss_start"] = ctx["rss_max"] = rss_kib(exp.pid)
    start = time.monotonic()
    server.set_row(row)
    # The row lasts until two POSTs arrived (a retry, or the next batch after a 400) and WATCH seconds
    # have passed since the first, or until it has clearly seen more than the backoff allows, or until the
    # process is gone. The first POST comes when a batch is due (push.batch_max_sec).
    deadline = start + scaled(25)
    while True:
        requests = server.requests_of(row)
        since_first = time.monotonic() - requests[0].arrived if requests else 0
        ctx["rss_max"] = max(ctx["rss_max"], rss_kib(exp.pid))
        if (len(requests) >= 2 and since_first >= WATCH) or len(requests) > since_first / LEAST_BACKOFF + 30 \
                or not alive(exp) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    end_ns = time.time_ns()
    server.set_row(None)
    requests = server.requests_of(row)
    n = len(requests)
    window = time.monotonic() - requests[0].arrived if requests else 0

    # Alive, and both endpoints answer.
    ok = alive(exp)
    detail = describe_exit(exp)
    if ok:
        h = http_get(exp.url + "/healthz", timeout=5)[0]
        m = http_get(exp.url + "/metrics", timeout=10)[0]
        ok, detail = h == 200 and m == 200, f"/healthz {h}, /metrics {m}"
    tap.check(ok, f"{row.name}: the exporter stays alive, /healthz and /metrics answer",
              detail + ("" if ok else "\n" + exp.output()[-3000:]))
    if not alive(exp):
        return

    tap.check(n >= 2, f"{row.name}: a second POST comes within {scaled(25):.0f} s (the exporter keeps trying)",
              f"{n} POSTs in {window:.1f} s")
    # The first POST, then at most one per shortest backoff (a 400 is not retried: the next batch follows).
    allowed = int(window / LEAST_BACKOFF) + 2
    tap.check(n <= allowed, f"{row.name}: {n} POSTs in the {window:.1f} s from the first, within what the "
              f"backoff allows (at most {allowed})")
    gaps = [b.arrived - a.arrived for a, b in zip(requests, requests[1:])]
    shown = "gaps: " + ", ".join(f"{g:.2f}" for g in gaps[:20])
    if row.min_gap is not None and gaps:
        tap.check(min(gaps) >= row.min_gap, f"{row.name}: consecutive POSTs at least {row.min_gap:.2f} s apart",
                  shown)
    if row.max_gap is not None and gaps:
        tap.check(max(gaps) <= scaled(row.max_gap), f"{row.name}: consecutive POSTs at most {row.max_gap:.0f} s "
                  f"apart (the wait is capped by retry_backoff_max, {BACKOFF_MAX:.0f} s)", shown)

    # Classified as documented: push.last_error of a failure recorded during this row.
    pattern = re.compile(rf"^{row.expect}: ")

    def classified():
        p = push_status(exp)
        if row.rejected_lines:
            failed = p["rejected"] > before["rejected"]
        else:
            failed = p["retries"] > before["retries"]
        return p if failed else None

    try:
        after = wait_until(classified, 15, "a failure recorded in /api/status")
        tap.check(pattern.match(after["last_error"]) is not None,
                  f"{row.name}: classified as {row.expect_name}",
                  f"last_error: {after['last_error'][:300]!r}")
    except TimeoutError as e:
        tap.check(False, f"{row.name}: classified as {row.expect_name}", str(e))
        after = push_status(exp)

    if row.rejected_lines:
        # Every 400 of the row counted (each at least one line), or, for the exact rows, every line of them.
        sent = sum(len(r.lines) for r in requests)
        least = sent if row.rejected_lines == "exact" else n

        def counted():
            p = push_status(exp)
            return p if p["rejected"] - before["rejected"] >= least else None
        try:
            after = wait_until(counted, 10, "the row's 400s counted")
        except TimeoutError:
            after = push_status(exp)
        delta = after["rejected"] - before["rejected"]
        if row.rejected_lines == "exact":
            tap.check(delta == sent, f"{row.name}: lines_rejected rises by the {sent} lines answered 400 "
                      f"(capped at the batch, never 2^64)", f"rose by {delta}")
        else:
            tap.check(n <= delta <= sent, f"{row.name}: lines_rejected rises by at most the {sent} lines "
                      f"answered 400", f"rose by {delta}")
    if row.check:
        row.check(row, exp, requests, ctx)

    # The server behaves again: the spool empties and lines collected after the row arrive. Delivery keeps
    # its order (spool, the batch being retried, then memory), so everything older has arrived too.
    def drained():
        p = push_status(exp)
        return p["spooled_lines"] == 0 and newest_recorded_ns(server) > end_ns
    try:
        wait_until(drained, 30, "the spool to drain and newer lines to arrive")
        tap.check(True, f"{row.name}: once the server answers 204 again the backlog is delivered")
    except TimeoutError as e:
        tap.check(False, f"{row.name}: once the server answers 204 again the backlog is delivered",
                  f"{e}\n{exp.output()[-2000:]}")


# --- the whole run --------------------------------------------------------------------------------------

def final_checks(exp, server, rows_run):
    # Pause the push, so that the exporter's counters and the server's records hold still to be compared.
    st, _, _ = http_post(exp.url + "/api/push/stop")
    assert st == 200, f"POST /api/push/stop answered {st}"

    def settled():
        p = push_status(exp)
        with server.lock:
            recorded, rejected_lines = list(server.recorded), list(server.rejected)
        if p["lines_written"] + p["rejected"] == len(recorded) + len(rejected_lines):
            return p, recorded, rejected_lines
        return None
    try:
        p, recorded, rejected_lines = wait_until(settled, 10, "the exporter's counters to match the server")
    except TimeoutError:
        p = push_status(exp)
        with server.lock:
            recorded, rejected_lines = list(server.recorded), list(server.rejected)
    keys = collections.Counter(line_key(l) for l in recorded + rejected_lines)
    twice = [k for k, c in keys.items() if c > 1]
    tap.check(not twice, f"every line reaches the server exactly once ({len(recorded)} recorded after a 204, "
              f"{len(rejected_lines)} answered 400)",
              f"{len(twice)} lines more than once, e.g.\n" + "\n".join(f"{keys[k]}x {k}" for k in twice[:5]))

    series_at = collections.defaultdict(set)
    for series, ts in keys:
        series_at[ts].add(series)
    stamps = sorted(series_at)
    everything = set().union(*series_at.values()) if series_at else set()
    first_expected = {s for s in everything if not s.startswith("vm_features,")}
    # The storage pools are read on their own thread: the first pushes may come before its first answer.
    pools = {s for s in everything if s.startswith("storage_pools,")}
    pools_from = min((ts for ts in stamps if series_at[ts] & pools), default=None)

    def expected(ts):
        want = first_expected if ts == stamps[0] else everything
        return want if pools_from is not None and ts >= pools_from else want - pools
    partial = [(ts, sorted(expected(ts) - series_at[ts])[:3]) for ts in stamps if series_at[ts] != expected(ts)]
    tap.check(bool(stamps) and not partial, f"each of the {len(stamps)} collections arrived whole "
              f"({len(everything)} series each)", "\n".join(f"{ts}: missing {m}" for ts, m in partial[:10]))
    gaps = [(b - a) / 1e9 for a, b in zip(stamps, stamps[1:])]
    tap.check(bool(gaps) and max(gaps) < 2.5 * INTERVAL,
              f"no collection is missing: consecutive timestamps less than {2.5 * INTERVAL:.1f} s apart "
              f"(a lost batch holds 2-3 intervals)", f"largest gap {max(gaps, default=0):.2f} s")

    tap.check(p["dropped"] == 0, "nothing is dropped", json.dumps(p))
    tap.check(p["lines_written"] + p["rejected"] == len(recorded) + len(rejected_lines),
              "lines_written + lines_rejected equals what the server recorded and rejected",
              f"exporter {p['lines_written']} + {p['rejected']}, server {len(recorded)} + {len(rejected_lines)}")
    v3_rows = [r for r in rows_run if r.rejected_lines == "at most"]
    v3_lines = sum(len(q.lines) for r in v3_rows for q in server.requests_of(r))
    tap.check(len(rejected_lines) - v3_lines <= p["rejected"] <= len(rejected_lines),
              "lines_rejected matches the lines answered 400 (not retried by design)",
              f"lines_rejected {p['rejected']}, answered 400: {len(rejected_lines)} "
              f"(of them {v3_lines} in InfluxDB-3 partial writes that name their bad lines)")
    tap.check(CONTEXT["redirect_target"].hits == 0, "no redirect was ever followed")


def write_config(path, server_port, spool):
    return exporter_config(path, push={
        "url": f"http://127.0.0.1:{server_port}", "database": "vms", "interval": INTERVAL,
        "batch_max_sec": BATCH_MAX_SEC, "timeout": TIMEOUT, "retry_backoff_min": BACKOFF_MIN,
        "retry_backoff_max": BACKOFF_MAX, "spool_dir": spool, "shutdown_timeout": 2})


def main():
    global tap
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-answers-")
    uri = f"test://{source_dir}/config/demo-node.xml"
    server = WriteServer()
    CONTEXT["redirect_target"] = HitCounter()
    spool = os.path.join(work, "spool")
    os.makedirs(spool)
    exp = None
    rows_run = []
    try:
        exp = Exporter(exporter_bin, work, uri,
                       ["--config", write_config(os.path.join(work, "exporter.yaml"), server.port, spool)])
        # Two collections first, so that vm_features (a rate) is in every later one.
        tap.run("the exporter pushes to the loopback server while it behaves", lambda: wait_until(
            lambda: len({line_key(l)[1] for l in server.recorded}) >= 2, 20, "two collections recorded"))
        rows = table()
        for i, row in enumerate(rows):
            if not alive(exp):
                tap.check(False, f"{row.name}: not run, the exporter is gone ({describe_exit(exp)})")
                continue
            rows_run.append(row)
            try:
                run_row(row, exp, server)
            except Exception:  # noqa: BLE001 - a check that could not finish is a failed one
                tap.check(False, f"{row.name}: the row's checks ran to the end", traceback.format_exc())
        if alive(exp):
            try:
                final_checks(exp, server, rows_run)
            except Exception:  # noqa: BLE001
                tap.check(False, "the whole run: the delivery checks ran to the end", traceback.format_exc())
        else:
            tap.check(False, "the whole run: delivery cannot be judged, the exporter is gone",
                      f"{describe_exit(exp)}\n{exp.output()[-3000:]}")
        tap.check(not server.errors, "the test server's handlers raised nothing unexpected",
                  "\n".join(server.errors[:10]))
    finally:
        if exp is not None:
            was_alive = alive(exp)
            code = exp.stop()
            if was_alive:
                tap.check(code == 0, "SIGTERM after the table: the exporter exits 0", f"exit {code}")
        left = server.stop()
        left_target = CONTEXT["redirect_target"].stop()
        tap.check(not left and not left_target, "every server thread has stopped",
                  ", ".join(t.name for t in left))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
