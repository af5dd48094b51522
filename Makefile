# The two commands of the README: `make demo` and `make test`. Both install missing Debian packages first.
SWIFT ?= swift
OUT ?= payrecon-demo

.PHONY: deps test-deps demo test coverage build clean bench bench-webhooks

deps:
	@bash scripts/install-deps.sh

test-deps:
	@bash scripts/install-deps.sh --test

build: deps
	$(SWIFT) build

demo: deps
	$(SWIFT) run payrecon demo --out $(OUT)

test: test-deps
	$(SWIFT) test

# Line coverage per target (Sources/<Target>) from swift test --enable-code-coverage.
coverage: test-deps
	$(SWIFT) test --enable-code-coverage
	python3 scripts/coverage.py "$$($(SWIFT) test --show-codecov-path)"

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
