"""Sanitizer reports of the processes an integration script starts (build-asan, build-tsan).

meson passes the build's `b_sanitize` as VEXP_SANITIZE. When it is not `none`, importing this module (tap.py
does, so every script does) points ASAN/UBSAN/LSAN/TSAN_OPTIONS at a log directory of this script, inherited
by every exporter the script starts (through the fixtures, subprocess.run or run.sh alike): each report goes to
`<dir>/report.<executable>.<pid>` instead of the process's stderr (GCC's UBSan still prints its message
to stderr and writes only its SUMMARY line there: enough to fail the test, and the message is in the
process's own log). The Exporter fixture looks for its own PID's reports when it stops the process;
Tap.done() fails the script when any report is left, whichever process wrote it.

Reports halt the process (ASan, UBSan: abort) or make it exit with 66 at exit (TSan: it goes on after a
race, so one run finds them all). Third-party suppressions live in tests/sanitizers/ with the reason each
one is not our bug.

VEXP_TIMEOUT_SCALE (default 1, or per sanitizer below) multiplies the time limits the tests wait for and
assert, since an instrumented exporter is several times slower; it never loosens a plain build's limits.
"""
import glob
import os
import tempfile

SANITIZE = os.environ.get("VEXP_SANITIZE", "none")
ACTIVE = SANITIZE not in ("", "none")
# Instrumented code is 2-15x slower per operation (TSan the most); these defaults passed the whole suite on
# 2 shared cores (2026-11-23) without loosening any limit of the plain build.
_DEFAULT_SCALE = {"thread": 4.0}.get(SANITIZE, 2.0 if ACTIVE else 1.0)
TIMEOUT_SCALE = float(os.environ.get("VEXP_TIMEOUT_SCALE") or _DEFAULT_SCALE)
EXIT_CODE = 66  # TSan's exit status after a report; the Exporter fixture also uses it for the others

_SUPP_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sanitizers")
LOG_DIR = None


def scaled(seconds):
    """A time limit of the plain build, for the build under test."""
    return seconds * TIMEOUT_SCALE


def _setup():
    global LOG_DIR
    if not ACTIVE or LOG_DIR:
        return
    # Not removed at exit: a script that found a report leaves it for the post-mortem; empty dirs are
    # removed by done().
    LOG_DIR = tempfile.mkdtemp(prefix="vexp-sanitizer-")
    supp = os.path.realpath(_SUPP_DIR)
    # One log_path for all: ASan and UBSan share a runtime, and different paths split one report in two.
    common = f"log_path={LOG_DIR}/report:log_exe_name=1"
    os.environ["ASAN_OPTIONS"] = ":".join([
        common, "halt_on_error=1", "abort_on_error=1", "detect_leaks=1", "check_initialization_order=1",
        "strict_init_order=1", "print_summary=1"])
    os.environ["UBSAN_OPTIONS"] = ":".join([
        common, "halt_on_error=1", "abort_on_error=1", "print_stacktrace=1", "print_summary=1",
        f"suppressions={supp}/ubsan.supp"])
    os.environ["LSAN_OPTIONS"] = ":".join([
        common, f"suppressions={supp}/lsan.supp", "print_suppressions=0"])
    os.environ["TSAN_OPTIONS"] = ":".join([
        common, f"exitcode={EXIT_CODE}", "halt_on_error=0", "second_deadlock_stack=1", "history_size=4",
        # libvirt, GLib, libtirpc and civetweb are not instrumented: their own accesses through
        # interceptors are not recorded, their synchronisation is (tests/sanitizers/tsan.supp says why).
        "ignore_noninstrumented_modules=1", f"suppressions={supp}/tsan.supp", "print_suppressions=0"])
    # Each of the 2048 HTTP worker threads of the default web.max_connections costs ASan ~140 KiB and TSan
    # ~1.2 MiB (an exporter at 2.4 GB, 17 s to start). No script but crowd.py, which sets its own, needs more
    # than a few dozen connections at once (soak.py: 50 from wrk and its slow clients).
    os.environ.setdefault("VIRT_EXPORTER_WEB_MAX_CONNECTIONS", "128")


def reports(pid=None):
    """{file: text} of the reports written so far, all of them or those of one process."""
    if not LOG_DIR:
        return {}
    found = {}
    for path in sorted(glob.glob(os.path.join(LOG_DIR, "*"))):
        if pid is not None and not path.endswith(f".{pid}"):
            continue
        with open(path, "rb") as f:
            found[path] = f.read().decode("utf-8", "replace")
    return found


def describe(found, limit=20000):
    text = "\n".join(f"==== {path}\n{body}" for path, body in found.items())
    return text if len(text) <= limit else text[:limit] + f"\n... ({len(text) - limit} more characters in {LOG_DIR})"


def finish():
    """(ok, detail) for the script's last check; removes the log dir when it is empty."""
    found = reports()
    if not found:
        if LOG_DIR:
            os.rmdir(LOG_DIR)
        return True, ""
    return False, describe(found)


_setup()
