"""Minimal TAP output for the integration scripts (meson runs them with protocol: 'tap')."""
import sys
import traceback

import sanitizers  # sets the sanitizer options of every process a script starts


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, ok, name, detail=""):
        # A test line is one line: a name with a multi-line PromQL query in it would leave TAP lines that
        # meson reports as unknown.
        name = " ".join(line.strip() for line in str(name).splitlines())
        self.n += 1
        if not ok:
            self.failed += 1
        print(f"{'ok' if ok else 'not ok'} {self.n} - {name}")
        if not ok and detail:
            for line in str(detail).splitlines():
                print(f"# {line}")
        sys.stdout.flush()
        return ok

    def run(self, name, fn):
        """Runs fn() as one test, which passes only when fn says so: by returning a true value (a function
        that only asserts ends with `return True`), or by recording checks of its own with tap.check (its
        verdict is in those). A function that returns None, False or another false value without either
        fails: a check that forgot its verdict must not pass. An exception fails it with the traceback."""
        before = self.n
        try:
            result = fn()
        except Exception:  # noqa: BLE001 - every failure must become a TAP line
            return self.check(False, name, traceback.format_exc())
        if result or self.n > before:
            return self.check(True, name)
        return self.check(False, name, f"the check function returned {result!r} and recorded no check of its own")

    def done(self):
        if sanitizers.ACTIVE:
            ok, detail = sanitizers.finish()
            self.check(ok, f"no {sanitizers.SANITIZE} sanitizer report from any process this script started",
                       detail)
        print(f"1..{self.n}")
        return 1 if self.failed else 0
