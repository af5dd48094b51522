#!/usr/bin/env python3
"""The reference for `make bench-ledger`: DuckDB (PyPI) loads the same ledger CSV into a table of a
file-backed database. Prints its time and this process's peak RSS."""
import os
import resource
import sys
import time

import duckdb

csv, db = sys.argv[1], sys.argv[2]
for suffix in ("", ".wal"):
    if os.path.exists(db + suffix):
        os.remove(db + suffix)
started = time.monotonic()
connection = duckdb.connect(db)
connection.execute("CREATE TABLE ledger AS SELECT * FROM read_csv(?, header = true, all_varchar = true)", [csv])
rows = connection.execute("SELECT count(*) FROM ledger").fetchone()[0]
connection.close()
elapsed = time.monotonic() - started
print(f"duckdb load: {rows} rows in {elapsed:.2f} s; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB")
