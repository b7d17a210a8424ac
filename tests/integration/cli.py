#!/usr/bin/env python3
"""The command line as an operator meets it: bad configuration exits 2 naming file, line and key;
unknown keys warn with their line; --check-config, --print-config (secrets masked), --version; the golden
metrics file passes promtool.

Usage: cli.py EXPORTER SOURCE_DIR
"""
import os
import subprocess
import sys

from fixtures import workdir
from tap import Tap

def main():
    exporter, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-cli-")
    SECRET = "s3cr3t-t0ken-value"

    def run(*args, env=None):
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("INFLUX_", "LIBVIRT_"))}
        full_env.update(env or {})
        return subprocess.run([exporter, *args], capture_output=True, text=True, timeout=30, env=full_env)

    def config_file(name, text):
        path = os.path.join(work, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    bad = {
        "unknown key is only a warning": None,
        "wrong type": ("web:\n  scrape_timeout: soon\n", 2, "web.scrape_timeout"),
        "bad URL": ("push:\n  url: \"ftp://influx:8086\"\n  database: vms\n", 2, "push.url"),
        "negative interval": ("push:\n  url: \"http://127.0.0.1:8086\"\n  database: vms\n  interval: -5\n", 4,
                              "push.interval"),
        "unknown stats group": ("libvirt:\n  stats_groups:\n    - state\n    - cpu_totl\n", 4, "libvirt.stats_groups"),
        "bad listen address": ("web:\n  listen_addresses: [\"localhost\"]\n", 2, "web.listen_addresses"),
        "a v3 option with api v1": ("push:\n  url: \"http://127.0.0.1:8086\"\n  database: vms\n  v3:\n"
                                    "    no_sync: true\n", 5, "push.v3.no_sync: is an option of push.api v3"),
        "a client certificate without its key": ("push:\n  tls_cert_file: /etc/hostname\n", 2,
                                                 "push.tls_cert_file: needs push.tls_key_file too"),
        "an unreadable client key": ("push:\n  tls_cert_file: /etc/hostname\n  tls_key_file: /nonexistent.key\n", 3,
                                     "push.tls_key_file: cannot read"),
    }
    for name, case in bad.items():
        if case is None:
            continue
        text, line, key = case
        path = config_file(name.replace(" ", "_") + ".yaml", text)
        p = run("--config", path, "--check-config")
        tap.check(p.returncode == 2 and f"{path}:{line}" in p.stderr and key in p.stderr,
                  f"{name}: exit 2 naming {path}:{line} and {key}", f"exit {p.returncode}: {p.stderr}")

    p = run("--config", os.path.join(work, "missing.yaml"), "--check-config")
    tap.check(p.returncode == 2 and "missing.yaml" in p.stderr, "a missing config file exits 2 naming it", p.stderr)

    path = config_file("unknown.yaml", "libvirt:\n  uri: \"test:///default\"\n  retries: 3\n")
    p = run("--config", path, "--check-config")
    tap.check(p.returncode == 0 and f"{path}:3" in p.stderr and "libvirt.retries" in p.stderr,
              "an unknown key is a warning with its line, not an error", f"exit {p.returncode}: {p.stderr}")

    p = run("--check-config", env={"INFLUX_API": "v9"})
    tap.check(p.returncode == 2 and "INFLUX_API" in p.stderr, "a bad environment value exits 2 naming the variable",
              p.stderr)

    p = run("--no-such-flag")
    tap.check(p.returncode == 2 and "--no-such-flag" in p.stderr, "an unknown flag exits 2 naming it", p.stderr)

    path = config_file("secret.yaml", f"push:\n  url: \"http://127.0.0.1:8086\"\n  database: vms\n  token: \"{SECRET}\"\n")
    p = run("--config", path, "--print-config", env={"INFLUX_TOKEN": SECRET})
    tap.check(p.returncode == 0 and SECRET not in p.stdout + p.stderr and "***" in p.stdout,
              "--print-config masks the token", p.stdout)

    p = run("--config", path, "--check-config", "--libvirt.uri", "test:///default")
    tap.check(p.returncode == 0 and SECRET not in p.stdout + p.stderr, "--check-config accepts a good file", p.stderr)

    p = run("--version")
    tap.check(p.returncode == 0 and p.stdout.startswith("virt-exporter "), "--version prints the version", p.stdout)

    web = config_file("web.yml", "tls_server_config: {}\n")
    p = run("--web.config.file", web, "--check-config")
    tap.check(p.returncode == 2 and f"{web}:1: tls_server_config: cert_file and key_file are both required" in p.stderr,
              "a web config file without certificate and key exits 2 naming file, line and key", p.stderr)

    tls_dir = os.path.join(source_dir, "tests/fixtures/tls")
    web = config_file("web.yml", f"tls_server_config:\n  cert_file: {tls_dir}/server.pem\n"
                                 f"  key_file: {tls_dir}/server2.key\n")
    p = run("--web.config.file", web, "--check-config")
    tap.check(p.returncode == 2 and "does not match cert_file" in p.stderr,
              "--check-config loads the certificate and key, and refuses a key of another certificate", p.stderr)

    web = config_file("web.yml", "basic_auth_users:\n  prometheus: plain-text-password\n")
    p = run("--web.config.file", web, "--check-config")
    tap.check(p.returncode == 2 and "must be a bcrypt hash" in p.stderr and "plain-text-password" not in p.stderr,
              "a password that is not a bcrypt hash exits 2 without showing it", p.stderr)

    web = config_file("web.yml", f"tls_server_config:\n  cert_file: {tls_dir}/server.pem\n  key_file: {tls_dir}/server.key\n"
                                 "basic_auth_users:\n  prometheus: $2b$04$cji7CsdShh./lv6iEObW/uXUtIJQqq7Qd.484wEA3LFpwqy0CiP6W\n")
    p = run("--web.config.file", web, "--check-config")
    tap.check(p.returncode == 0, "--check-config accepts a web config with TLS and basic auth", p.stderr)

    golden = os.path.join(source_dir, "tests/fixtures/expected/metrics.prom")
    with open(golden) as f:
        p = subprocess.run(["promtool", "check", "metrics"], stdin=f, capture_output=True, text=True)
    tap.check(p.returncode == 0 and not (p.stdout + p.stderr).strip(), "promtool check metrics accepts the golden file",
              p.stdout + p.stderr)

    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
