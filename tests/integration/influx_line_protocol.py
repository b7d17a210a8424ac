#!/usr/bin/env python3
"""The line protocol encoder against a real influxd 1.6: every line the encoder writes for the hostile
fixture (names with space, comma, `=`, quotes, backslashes, control characters, non-ASCII, invalid
UTF-8; floats with exponents, int64 limits, empty strings) and every golden line is accepted, and
InfluxQL returns exactly the tags and fields the encoder promises (its `expect`, printed by the
encode_fixture helper). Also pins down how influxd 1.6 treats the inputs the encoder refuses to write.

Usage: influx_line_protocol.py ENCODE_FIXTURE SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request

from fixtures import workdir, InfluxDB
from tap import Tap

def main():
    encode_fixture, source_dir = sys.argv[1], sys.argv[2]
    if not shutil.which("influxd") and not os.path.exists("/usr/bin/influxd"):
        print("1..0 # SKIP influxd is not installed (Debian package influxdb)")
        sys.exit(0)

    tap = Tap()
    work = workdir("vexp-lp-")

    def post(url, body):
        req = urllib.request.Request(url, data=body, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def write(influx, db, body):
        q = urllib.parse.urlencode({"db": db, "precision": "ns"})
        return post(f"{influx.url}/write?{q}", body.encode("utf-8") if isinstance(body, str) else body)

    def select(influx, db, q):
        url = f"{influx.url}/query?" + urllib.parse.urlencode({"db": db, "q": q, "epoch": "ns"})
        with urllib.request.urlopen(url, timeout=30) as r:
            result = json.loads(r.read())["results"][0]
        assert "error" not in result, f"{q}: {result['error']}"
        return result.get("series", [])

    def stored_points(influx, db, measurement):
        """Every point of a measurement as (tags, time, fields), read back with InfluxQL."""
        out = []
        for s in select(influx, db, f'SELECT * FROM "{measurement}" GROUP BY *'):
            tags = {k: v for k, v in s.get("tags", {}).items() if v != ""}  # GROUP BY * lists absent tags as ""
            for row in s["values"]:
                values = dict(zip(s["columns"], row))
                time = values.pop("time")
                out.append((tags, time, {k: v for k, v in values.items() if v is not None}))
        return out

    def key(tags, time, fields):
        return (frozenset(tags.items()), time, frozenset(fields.items()))

    def fixture(*args):
        p = subprocess.run([encode_fixture, *args], capture_output=True, timeout=60)
        assert p.returncode == 0, p.stderr.decode("utf-8", "replace")
        return [json.loads(line) for line in p.stdout.decode("utf-8").splitlines()]

    def check_written_and_read_back(influx, db, entries, what):
        status, body = write(influx, db, "\n".join(e["line"] for e in entries) + "\n")
        if not tap.check(status == 204, f"{what}: influxd accepts all {len(entries)} lines", f"HTTP {status}: {body}"):
            return
        by_measurement = {}
        for e in entries:
            x = e["expect"]
            by_measurement.setdefault(x["measurement"], []).append(key(x["tags"], x["time"], x["fields"]))
        for measurement, expected in sorted(by_measurement.items()):
            got = [key(*p) for p in stored_points(influx, db, measurement)]
            missing = [k for k in expected if k not in got]
            extra = [k for k in got if k not in expected]
            detail = "\n".join([f"missing: {sorted(k[0])} {sorted(k[2])}" for k in missing[:5]] +
                               [f"unexpected: {sorted(k[0])} {sorted(k[2])}" for k in extra[:5]])
            tap.check(not missing and not extra and len(got) == len(expected),
                      f"{what}: {measurement}: {len(expected)} points, tags and fields read back as promised", detail)

    def probe(influx, line):
        status, body = write(influx, "probe", line)
        return status, body

    # The README's field table is the catalog's, as the encoder's tables make it.
    p = subprocess.run([encode_fixture, "--field-table"], capture_output=True, text=True, timeout=60)
    with open(os.path.join(source_dir, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    begin, end = "<!-- push field table: begin -->\n", "<!-- push field table: end -->"
    in_readme = readme[readme.find(begin) + len(begin):readme.find(end)] if begin in readme else None
    tap.check(p.returncode == 0 and in_readme == p.stdout,
              "README's push field table is encode_fixture --field-table's (regenerate it after a table change)",
              f"README has:\n{in_readme}\nthe tables give:\n{p.stdout}")

    influx = InfluxDB(work, database="lp")
    try:
        influx.query('CREATE DATABASE "probe"')

        entries = fixture()
        tap.check(all("\n" not in e["line"] and "\r" not in e["line"] for e in entries), "no line carries a raw newline")
        check_written_and_read_back(influx, "lp", entries, "hostile fixture")

        names = {e["expect"]["tags"].get("name") for e in entries}
        for name in ['web "front",a=b/ é\\nx', "comma,here", "equals=here", 'quote"here', "with space", "non-ASCII é ü 日本",
                     "DOMAIN\\user", "trailing/", "bad \ufffd utf8", "x/\\ny", " leading space"]:
            tap.check(name in names, f"sanitized name {name!r} is among the promised values")

        for i, golden in enumerate(("lines_first_push.txt", "lines.txt")):
            influx.query(f'CREATE DATABASE "golden{i}"')
            path = os.path.join(source_dir, "tests", "fixtures", "expected", golden)
            check_written_and_read_back(influx, f"golden{i}", fixture("--decode", path), f"golden {golden}")

        # How influxd 1.6 treats what the encoder never writes (the reasons for its rules).
        tap.check(probe(influx, "p,t=a\\ f=1i 1")[0] == 400, "influxd 1.6: a tag value ending in \\ escapes the space after it")
        tap.check(probe(influx, "p,t=a\\,u=b f=1i 1")[0] == 400, "influxd 1.6: ... and the comma after it")
        tap.check(probe(influx, "p,t=a\\\\ f=1i 1")[0] == 400, "influxd 1.6: doubling the trailing \\ does not help")
        tap.check(probe(influx, "p,t=a\nb f=1i 1")[0] == 400, "influxd 1.6: a raw newline in a tag splits the line")
        tap.check(probe(influx, "p,time=x f=1i 1")[0] == 400, "influxd 1.6: a tag named time rejects the point")
        tap.check(probe(influx, "p f=NaN 1")[0] == 400 and probe(influx, "p f=inf 1")[0] == 400,
                  "influxd 1.6: NaN and inf are rejected")
        tap.check(probe(influx, "p f=1u 1")[0] == 400, "influxd 1.6: no unsigned integers")
        status, _ = probe(influx, "p,case=exp x=1e+06,y=-1.5e-07,z=1.0e+300 1")
        tap.check(status == 204 and select(influx, "probe", "SELECT x, y, z FROM p WHERE \"case\"='exp'")[0]["values"][0][1:]
                  == [1e6, -1.5e-7, 1e300], "influxd 1.6: exponents with and without a decimal point")
        status, _ = probe(influx, 'p,case=str s="" 1')
        tap.check(status == 204 and select(influx, "probe", "SELECT s FROM p WHERE \"case\"='str'")[0]["values"][0][1] == "",
                  "influxd 1.6: an empty string field")
        status, _ = probe(influx, "p,case=bs,t=b\\\\\\ x f=1i 1")
        tap.check(status == 204 and select(influx, "probe", "SELECT f, t FROM p WHERE \"case\"='bs'")[0]["values"][0][2]
                  == "b\\\\ x", "influxd 1.6: keeps \\\\ as two backslashes (3.x and VictoriaMetrics read one)")
    finally:
        influx.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
