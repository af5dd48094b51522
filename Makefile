# The two commands of the README: `make demo` and `make test`. Both install missing Debian packages first.
SWIFT ?= swift
OUT ?= payrecon-demo

.PHONY: deps test-deps demo test lint coverage build clean bench bench-webhooks

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
# release build. Prints acknowledged events/s and latency percentiles; the second run books real orders.
EVENTS ?= 20000
CONCURRENCY ?= 32
bench-webhooks: deps
	$(SWIFT) build -c release --product webhook-bench
	.build/release/webhook-bench --events $(EVENTS) --concurrency $(CONCURRENCY)
	.build/release/webhook-bench --events 2000 --concurrency $(CONCURRENCY) --book
