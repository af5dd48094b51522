#!/usr/bin/env python3
"""`make bench-report`: the report of the reconciled period in STORE, written by payrecon (workbook and
CSVs, then the CSVs alone), beside the floor (Benchmarks/ReportFloor: a plain C program writing the same
rows and columns through libxlsxwriter from those CSVs), in one run. Prints times, peak RSS and ratios.
  bench-report.py STORE PAYRECON FLOOR OUT"""
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import time

store, payrecon, floor, out = sys.argv[1:5]
row = sqlite3.connect(store).execute(
    "SELECT parameters FROM run WHERE stage = 'reconcile' AND status = 'succeeded' ORDER BY id DESC LIMIT 1").fetchone()
if row is None:
    sys.exit("bench-report: no reconcile has succeeded in %s (run make bench first)" % store)
first, last, zone = re.match(r"period=(\S+)\.\.(\S+) (\S+)", row[0]).groups()


def timed(command):
    """Wall time and the child's peak RSS (MiB); a new child each time, so RUSAGE_CHILDREN is its own peak."""
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        # What the commands print (file lists) is not the benchmark's.
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.execv(command[0], command)
    _, status, usage = os.wait4(pid, 0)
    if status != 0:
        sys.exit("bench-report: %s failed (status %d)" % (command[0], status))
    return time.monotonic() - started, usage.ru_maxrss // 1024


def report(folder, formats):
    shutil.rmtree(folder, ignore_errors=True)
    return timed([payrecon, "report", "--db", store, "--from", first, "--to", last, "--tz", zone, "--out", folder, "--format", formats])


whole, whole_rss = report(out, "xlsx,csv")
sheets = ["Summary=summary.csv", "Discrepancies=discrepancies.csv", "Payouts=payouts.csv", "Matched=matched.csv",
          "Stripe-only=stripe_only.csv", "Ledger-only=ledger_only.csv", "Fees=fees.csv", "Disputes=disputes.csv", "Closed=closed.csv"]
os.chdir(out)
floor_time, floor_rss = timed([floor, os.path.join(out, "floor.xlsx")] + sheets)
os.chdir("/")
csv_time, csv_rss = report(out + "-csv", "csv")
rows = sum(1 for _ in open(os.path.join(out, "matched.csv"), "rb")) - 1
print("period %s..%s %s: %d matched rows" % (first, last, zone, rows))
print("payrecon report (workbook and CSVs): %.2f s, peak RSS %d MiB" % (whole, whole_rss))
print("C floor (libxlsxwriter, same rows and columns): %.2f s, peak RSS %d MiB" % (floor_time, floor_rss))
print("ratio: %.2fx the floor (target under 1.5x)" % (whole / floor_time))
print("payrecon report --format csv: %.2f s, peak RSS %d MiB (target under 5 s)" % (csv_time, csv_rss))
