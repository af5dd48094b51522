# The two commands of the README: `make demo` and `make test`. Both install missing Debian packages first.
SWIFT ?= swift
OUT ?= payrecon-demo

.PHONY: deps test-deps demo test lint coverage build clean bench bench-webhooks bench-ledger bench-report bench-extract

deps:
	@bash scripts/install-deps.sh

test-deps:
	@bash scripts/install-deps.sh --test

build: deps
	$(SWIFT) build

demo: deps
	$(SWIFT) run payrecon demo --out $(OUT)

# The house style (.swift-format, the toolchain's `swift format`) and the target graph (DESIGN.md's
# "may import" rule, and docs/architecture.md's graph kept equal to Package.swift's).
lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Benchmarks
	python3 scripts/target-graph.py --check

# The whole suite once, with code coverage: prints line coverage per target and fails under COVERAGE_MIN %.
COVERAGE_MIN ?= 85
test: test-deps lint
	$(SWIFT) test --enable-code-coverage
	python3 scripts/coverage.py "$$($(SWIFT) test --enable-code-coverage --show-codecov-path)" --min $(COVERAGE_MIN)

# The same figures without the lint (kept for habit: `make test` prints them too).
coverage: test-deps
	$(SWIFT) test --enable-code-coverage
	python3 scripts/coverage.py "$$($(SWIFT) test --enable-code-coverage --show-codecov-path)"

clean:
	rm -rf .build $(OUT)

# The reconcile-stage benchmark: ORDERS orders (default 1,000,000), release build. Prints load/match/write and peak RSS.
ORDERS ?= 1000000
BENCH_DB ?= .build/bench-$(ORDERS).sqlite
bench: deps
	$(SWIFT) build -c release --product reconcile-bench
	@test -f $(BENCH_DB) || .build/release/reconcile-bench prepare --orders $(ORDERS) --db $(BENCH_DB)
	.build/release/reconcile-bench run --db $(BENCH_DB) --fresh --repeat 5

# The webhook endpoint benchmark: EVENTS signed payment_intent.succeeded events, CONCURRENCY in flight,
# release build. Prints acknowledged events/s, latency percentiles and processed events/s: on SQLite,
# then on a PostgreSQL of its own with two replicas (needs `make test-deps` for the server); the last
# run books real orders and prints the booking goal beside it.
EVENTS ?= 20000
CONCURRENCY ?= 32
bench-webhooks: deps
	$(SWIFT) build -c release --product webhook-bench
	.build/release/webhook-bench --events 2000 --concurrency $(CONCURRENCY) --book
	.build/release/webhook-bench --events $(EVENTS) --concurrency $(CONCURRENCY)
	.build/release/webhook-bench --events $(EVENTS) --concurrency $(CONCURRENCY) --postgres --replicas 2

# The report benchmark: the reconciled period of the reconcile benchmark's store (ORDERS orders; `make
# bench` makes it), written by payrecon as a workbook and CSVs, beside a plain C program writing the same
# rows and columns through libxlsxwriter (Benchmarks/ReportFloor), then the CSVs alone.
bench-report: deps
	$(SWIFT) build -c release --product reconcile-bench
	$(SWIFT) build -c release --product payrecon
	@test -f $(BENCH_DB) || .build/release/reconcile-bench prepare --orders $(ORDERS) --db $(BENCH_DB)
	.build/release/reconcile-bench run --db $(BENCH_DB) --repeat 1
	cc -O2 -o .build/report-floor Benchmarks/ReportFloor/report_floor.c $$(pkg-config --cflags --libs xlsxwriter)
	python3 scripts/bench-report.py $(abspath $(BENCH_DB)) $(abspath .build/release/payrecon) $(abspath .build/report-floor) $(abspath .build/bench-report)

# The extraction benchmark: a full pull from the sandbox serving EXTRACT_ORDERS orders (160,000: about
# 200,000 balance transactions) with 100 ms latency and 2 % random 500s, at 25 and at 100 requests/s
# (test and live mode). Prints wall time beside the rate limit's floor, and whether every object arrived once.
EXTRACT_ORDERS ?= 160000
EXTRACT_CONCURRENCY ?= 16
bench-extract: deps
	$(SWIFT) build -c release --product payrecon
	python3 scripts/bench-extract.py $(abspath .build/release/payrecon) $(abspath .build/bench-extract) $(EXTRACT_ORDERS) 100 0.02 $(EXTRACT_CONCURRENCY) 25 100

# The ledger import benchmark: the sandbox's ledger CSV at LEDGER_ORDERS orders (default 1,000,000; about
# 1.2 M rows, 140 MB), imported into a fresh store, beside DuckDB (PyPI) loading the same file into a
# file-backed table, in one run; then the same rows from a PostgreSQL table (a throwaway server, as the
# tests start one). Prints the times and peak RSS.
LEDGER_ORDERS ?= 1000000
LEDGER_CSV ?= .build/ledger-$(LEDGER_ORDERS).csv
bench-ledger: test-deps
	$(SWIFT) build -c release --product ledger-bench
	@python3 -c "import duckdb" 2>/dev/null || python3 -m pip install -q duckdb
	@test -f $(LEDGER_CSV) || .build/release/ledger-bench write-csv --orders $(LEDGER_ORDERS) --out $(LEDGER_CSV)
	python3 scripts/duckdb-ledger.py $(LEDGER_CSV) .build/bench-ledger.duckdb
	.build/release/ledger-bench import --csv $(LEDGER_CSV) --db .build/bench-ledger.sqlite
	python3 scripts/duckdb-ledger.py $(LEDGER_CSV) .build/bench-ledger.duckdb
	.build/release/ledger-bench import --csv $(LEDGER_CSV) --db .build/bench-ledger.sqlite
	bash scripts/bench-ledger-postgres.sh $(LEDGER_CSV) .build/bench-ledger-pg.sqlite
