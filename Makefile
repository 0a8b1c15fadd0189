# djlint-secrets: `make` installs what is missing and builds; `make demo`; `make test`.
SWIFT   ?= swift
PYTHON  ?= python3
VENV    := .venv
BIN     := .build/release/djlint-secrets
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libtree-sitter-dev libpcre2-dev
GRAMMAR := Grammars/TreeSitterPython/src/.fetched

.PHONY: all build deps apt-deps grammar venv demo test test-swift test-e2e bench clean

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

$(VENV)/.installed: Tests/EndToEnd/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r Tests/EndToEnd/requirements.txt
	touch $@

demo: build
	Fixtures/demo.sh $(BIN)

test-swift: deps
	$(SWIFT) test

test-e2e: build venv
	DJLINT_SECRETS_BIN=$(CURDIR)/$(BIN) $(VENV)/bin/python -m pytest -q Tests/EndToEnd

test: test-swift test-e2e

bench: build
	Benchmarks/run.sh

clean:
	rm -rf .build $(VENV) Grammars/TreeSitterPython/src
