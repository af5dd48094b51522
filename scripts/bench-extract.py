#!/usr/bin/env python3
"""`make bench-extract`: a full pull from `payrecon sandbox` serving ORDERS orders (about 1.25 balance
transactions each) with LATENCY ms per request and FAIL_RATE random 500s, once per rate limit in RATES
(the sandbox answers 429 above it; the client keeps under it). Checks that the store ends with exactly
the sandbox's objects (count and SHA-256 over the sorted ids per list) and prints the wall time beside
the floor the rate limit sets (requests made / rate, and pages needed / rate).
  bench-extract.py PAYRECON OUT ORDERS LATENCY FAIL_RATE CONCURRENCY RATE..."""
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time

payrecon, out, orders, latency, fail_rate, concurrency = sys.argv[1:7]
rates = [int(r) for r in sys.argv[7:]]
tables = {"balance_transactions": "stripe_balance_transaction", "charges": "stripe_charge", "refunds": "stripe_refund",
          "disputes": "stripe_dispute", "payouts": "stripe_payout"}


def digest(ids):
    return len(ids), hashlib.sha256("".join(i + "\n" for i in sorted(ids)).encode()).hexdigest()


for rate in rates:
    folder = os.path.join(out, "rate-%d" % rate)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    sandbox = subprocess.Popen(
        [payrecon, "sandbox", "--port", "0", "--orders", orders, "--latency-ms", latency, "--fail-rate", fail_rate,
         "--rate-limit", str(rate), "--ledger-out", os.path.join(folder, "ledger.csv"),
         "--truth-out", os.path.join(folder, "truth.json"), "--ids-out", os.path.join(folder, "ids")],
        stdout=subprocess.PIPE, text=True)
    port = None
    for line in sandbox.stdout:
        found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if found:
            port = found.group(1)
            break
    db = os.path.join(folder, "pull.sqlite")
    env = dict(os.environ, STRIPE_API_KEY="sk_test_bench")
    def cpu_seconds(pid):
        with open("/proc/%d/stat" % pid) as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    server_cpu = cpu_seconds(sandbox.pid)
    started = time.monotonic()
    with open(os.path.join(folder, "extract.out"), "w+") as out, open(os.path.join(folder, "extract.err"), "w+") as err:
        child = subprocess.Popen(
            [payrecon, "extract", "--db", db, "--api-base", "http://127.0.0.1:%s" % port, "--full",
             "--requests-per-second", str(rate), "--concurrency", concurrency], env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        pulled = subprocess.CompletedProcess(child.args, os.waitstatus_to_exitcode(status), out.read(), err.read())
    server_cpu = cpu_seconds(sandbox.pid) - server_cpu
    sandbox.terminate()
    sandbox.wait()
    if pulled.returncode != 0:
        sys.exit("bench-extract: extract failed: %s" % pulled.stderr[-2000:])
    requests, pages, windows = map(int, re.search(r"requests: (\d+) \(list pages (\d+) in (\d+) windows", pulled.stdout).groups())
    links = int(re.search(r"payout composition pages (\d+)", pulled.stdout).group(1))
    connection = sqlite3.connect(db)
    exact = True
    for name, table in tables.items():
        with open(os.path.join(folder, "ids", name + ".txt")) as served:
            expected = digest([line.rstrip("\n") for line in served if line.strip()])
        actual = digest([row[0] for row in connection.execute("SELECT id FROM %s" % table)])
        exact &= expected == actual
        print("  %-21s %7d served, %7d stored, sha256 %s" % (name, expected[0], actual[0], "equal" if expected == actual else "DIFFERENT"))
    needed = pages + links
    print("rate %d/s, latency %s ms, %s%% 500s, concurrency %s: %.1f s wall; %d requests (floor %.1f s, %.2fx), "
          "%d pages needed (floor %.1f s, %.2fx); %d windows; %s"
          % (rate, latency, float(fail_rate) * 100, concurrency, wall, requests, requests / rate, wall / (requests / rate),
             needed, needed / rate, wall / (needed / rate), windows, "every object, once" if exact else "NOT EXACT"))
    rss = usage.ru_maxrss // 1024
    print("  extract peak RSS %d MiB; %.0f requests/s; the sandbox spent %.1f s of CPU on them (%.0f requests per CPU second)"
          % (rss, requests / wall, server_cpu, requests / server_cpu if server_cpu > 0 else 0))
