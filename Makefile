# djlint-secrets: `make` installs what is missing and builds; `make demo`; `make test`;
# `make dist` (wheel + pre-commit mirror in dist/); `make install PREFIX=~/.local`.
SWIFT   ?= swift
PYTHON  ?= python3
VENV    := .venv
BIN     := .build/release/djlint-secrets
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libtree-sitter-dev libpcre2-dev
GRAMMAR := Grammars/TreeSitterPython/src/.fetched
DIST    := dist
PREFIX  ?= /usr/local

.PHONY: all build deps apt-deps grammar venv demo test test-swift test-e2e bench bench-server fuzz fuzz-build clean dist install

all: build

deps: apt-deps grammar

apt-deps:
	@missing=""; for package in $(APT_PACKAGES); do \
	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

grammar: $(GRAMMAR)

$(GRAMMAR): Grammars/requirements.txt Grammars/fetch-grammar.sh
	PYTHON=$(PYTHON) Grammars/fetch-grammar.sh

# The release binary is fully static (Swift runtime, tree-sitter, PCRE2): no dynamic loading at
# start-up, which decides the editor path (about 3 ms per start instead of 5-6 ms).
build: deps
	$(SWIFT) build -c release --static-swift-stdlib -Xswiftc -static-executable --product djlint-secrets

venv: $(VENV)/.installed

# The wheelhouse holds the build backend the pre-commit mirror needs, so the hook test runs offline.
# django-dotenv's module is also called `dotenv`: it goes to its own folder, which the end-to-end test
# of a django-dotenv project puts first on PYTHONPATH (Tests/EndToEnd/test_real_projects.py).
$(VENV)/.installed: Tests/EndToEnd/requirements.txt Tests/EndToEnd/requirements-django-dotenv.txt
	@# An existing venv (or a worktree's link to a shared one, which `venv` refuses) is reused.
	[ -x $(VENV)/bin/python ] || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r Tests/EndToEnd/requirements.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --upgrade --target $(VENV)/django-dotenv \
	  -r Tests/EndToEnd/requirements-django-dotenv.txt
	$(VENV)/bin/pip download --quiet --disable-pip-version-check --only-binary :all: \
	  -d $(VENV)/wheelhouse setuptools
	touch $@

# One platform wheel with the stripped static binary, and the pre-commit mirror (Packaging/make_dist.py).
dist: build
	$(PYTHON) Packaging/make_dist.py --binary $(BIN) --out $(DIST)

install: build
	install -d $(PREFIX)/bin
	install -m 0755 $(BIN) $(PREFIX)/bin/djlint-secrets

demo: build
	Fixtures/demo.sh $(BIN)

test-swift: deps
	$(SWIFT) test

test-e2e: build venv dist
	DJLINT_SECRETS_BIN=$(CURDIR)/$(BIN) DJLINT_SECRETS_DIST=$(CURDIR)/$(DIST) \
	  $(VENV)/bin/python -m pytest -q Tests/EndToEnd

test: test-swift test-e2e

bench: build
	Benchmarks/run.sh

# Only the language server part: djlint-secrets server against ruff server, edits interleaved.
bench-server: build
	BENCH_SERVER_ONLY=1 Benchmarks/run.sh

# libFuzzer with AddressSanitizer over parse → rules → fix planning (Sources/djlint-secrets-fuzz).
# Seeds: the rules' documented examples and every Python file under Fixtures/ and Tests/. New inputs
# accumulate in $(FUZZ_DIR)/corpus; a crash or property violation lands in $(FUZZ_DIR)/artifacts/.
# Replay inputs with the plain build: swift build --product djlint-secrets-fuzz && .build/debug/djlint-secrets-fuzz FILE...
FUZZ_SECONDS ?= 600
FUZZ_FLAGS   ?=
FUZZ_DIR     := .build-fuzz
FUZZ_BIN     := $(FUZZ_DIR)/release/djlint-secrets-fuzz

fuzz-build: deps
	$(SWIFT) build -c release --scratch-path $(FUZZ_DIR) --product djlint-secrets-fuzz \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
	$(SWIFT) build --product djlint-secrets-fuzz

fuzz: fuzz-build
	rm -rf $(FUZZ_DIR)/seeds
	mkdir -p $(FUZZ_DIR)/seeds $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
	.build/debug/djlint-secrets-fuzz --write-seeds $(FUZZ_DIR)/seeds
	find Fixtures Tests -name '*.py' -size -64k | while read -r file; do \
	  cp "$$file" "$(FUZZ_DIR)/seeds/$$(echo "$$file" | tr / _)"; done
	SWIFT_BACKTRACE=enable=no $(FUZZ_BIN) $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds \
	  -dict=Sources/djlint-secrets-fuzz/settings.dict -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
	  -timeout=10 -rss_limit_mb=4096 -artifact_prefix=$(FUZZ_DIR)/artifacts/ -print_final_stats=1 $(FUZZ_FLAGS)

clean:
	rm -rf .build $(FUZZ_DIR) $(VENV) $(DIST) Grammars/TreeSitterPython/src
