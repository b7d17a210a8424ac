"""Headless Chromium driven over the DevTools protocol, for the checks that need a real browser to click:
it sends Origin and Sec-Fetch-Site itself, follows the 303 of a form POST, and resends basic auth as a
browser does. No third-party module: the protocol runs on a pipe (--remote-debugging-pipe: JSON messages
ended by a NUL byte, commands on the browser's fd 3, answers and events on its fd 4), not a WebSocket.

The browser runs in its own process group with its own HOME and profile under the test's workdir, and is
closed by its PID (process group) when the script is done or a wait times out.
"""
import fcntl
import itertools
import json
import os
import shutil
import signal
import subprocess
import threading
import time

from sanitizers import scaled


class BrowserError(Exception):
    pass


class Browser:
    def __init__(self, workdir, timeout=30):
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if not exe:
            raise BrowserError("chromium is not installed (tools/install-deps test)")
        self.timeout = scaled(timeout)
        home = os.path.join(workdir, "chromium-home")
        os.makedirs(home, exist_ok=True)
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        # Above 9, so moving them to 3 and 4 in the shell below cannot overwrite one with the other (bash:
        # dash reads only one-digit descriptors in a redirection).
        child_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD_CLOEXEC, 10)
        for fd in (to_browser_r, from_browser_w):
            os.close(fd)
        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--remote-debugging-pipe",
                f"--user-data-dir={home}/profile", "about:blank"]
        self.log = open(os.path.join(workdir, "chromium.log"), "wb")
        self.proc = subprocess.Popen(
            ["/bin/bash", "-c", f'exec "$@" 3<&{child_r} 4>&{child_w} {child_r}<&- {child_w}>&-', "bash", *args],
            pass_fds=(child_r, child_w), stdout=self.log, stderr=subprocess.STDOUT,
            env=dict(os.environ, HOME=home), start_new_session=True)
        os.close(child_r)
        os.close(child_w)
        self.out = os.fdopen(to_browser_w, "wb", buffering=0)
        self.inp = os.fdopen(from_browser_r, "rb", buffering=0)
        self.ids = itertools.count(1)
        self.cond = threading.Condition()
        self.answers, self.events = {}, []
        self.closed = False
        threading.Thread(target=self._read, daemon=True).start()
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=self.session)

    def _read(self):
        buf = b""
        while True:
            chunk = self.inp.read(65536)
            if not chunk:
                break
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                with self.cond:
                    if "id" in msg:
                        self.answers[msg["id"]] = msg
                    else:
                        self.events.append(msg)
                    self.cond.notify_all()
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def _wait(self, predicate, what):
        deadline = time.monotonic() + self.timeout
        with self.cond:
            while True:
                found = predicate()
                if found is not None:
                    return found
                if self.closed:
                    raise BrowserError(f"chromium exited while waiting for {what}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise BrowserError(f"timed out after {self.timeout}s waiting for {what}")
                self.cond.wait(left)

    def call(self, method, params=None, session=None):
        """One DevTools command; its result, or BrowserError with the protocol's error."""
        msg_id = next(self.ids)
        msg = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.out.write(json.dumps(msg).encode() + b"\0")
        answer = self._wait(lambda: self.answers.pop(msg_id, None), method)
        if "error" in answer:
            raise BrowserError(f"{method}: {answer['error']}")
        return answer["result"]

    def _loaded_after(self, mark):
        """Waits for the page's load event after event number `mark` (the page a navigation ends on)."""
        def loaded():
            for e in self.events[mark:]:
                if e.get("method") == "Page.loadEventFired" and e.get("sessionId") == self.session:
                    return e
            return None
        self._wait(loaded, "the page to load")

    def navigate(self, url):
        mark = len(self.events)
        result = self.call("Page.navigate", {"url": url}, self.session)
        if result.get("errorText"):
            raise BrowserError(f"navigating to {url}: {result['errorText']}")
        self._loaded_after(mark)

    def evaluate(self, expression):
        """The value of a JavaScript expression in the page (run by the test; the page has no script)."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, self.session)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, element_id):
        """Clicks the element as a user would (a form's submit button submits it) and waits for the page
        the browser ends on (after a form POST: the 303's target, or the error answer)."""
        mark = len(self.events)
        if not self.evaluate(f"(() => {{ const e = document.getElementById({json.dumps(element_id)});"
                             f" if (!e) return false; e.click(); return true; }})()"):
            raise BrowserError(f"no element with id {element_id} on {self.evaluate('location.href')}")
        self._loaded_after(mark)

    def close(self):
        try:
            if self.proc.poll() is None and not self.closed:
                self.out.write(json.dumps({"id": next(self.ids), "method": "Browser.close"}).encode() + b"\0")
            self.proc.wait(scaled(10))
        except (OSError, subprocess.TimeoutExpired):
            pass
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        else:
            # Chromium's helpers (zygote, GPU, network) share its group; none may outlive the test.
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        # The reader thread ends at the pipe's end of file and closes nothing; it owns self.inp.
        for f in (self.out, self.log):
            try:
                f.close()
            except OSError:
                pass
