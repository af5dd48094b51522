# The two commands of the README: `make demo` and `make test`. Both install missing Debian packages first.
SWIFT ?= swift
OUT ?= payrecon-demo

.PHONY: deps test-deps demo test coverage build clean

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
