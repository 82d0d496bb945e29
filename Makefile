# doctor-live: the two commands are `make dev` and `make test`. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)
CDK_ENV := CDK_DISABLE_CLI_TELEMETRY=true CDK_DISABLE_VERSION_CHECK=true JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
STAGE ?= dev

.PHONY: help dev test lint install unit integration fuzz infra-test web e2e site-test synth bench chromium localstack

help:
	@echo "make dev     run the whole platform locally and print its URLs (Ctrl-C stops it)"
	@echo "make test    install what is missing, lint, and run every test suite"
	@echo "make lint    ruff over the repo, ESLint and tsc over both sites"
	@echo "make e2e     deploy the CDK app's local stage on LocalStack and test it end to end"
	@echo "make synth   cdk synth (STAGE=dev|prod|local)"
	@echo "make bench   print the benchmarks"

# ---- installs: each only when its inputs changed (or on a fresh clone) -------------------------
# torch first, pinned: this machine's pip takes the CPU build from local disk; a bare `torch`
# requirement would pull a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev,offline,infra,agent]'
	@touch $@

infra/node_modules/.installed: infra/package-lock.json
	npm ci --prefix infra --no-audit --no-fund --silent
	@touch $@

# npm ci writes node_modules/.package-lock.json (devstack/sites.py reads the same marker).
%/node_modules/.package-lock.json: %/package-lock.json
	npm ci --prefix $* --no-audit --no-fund --loglevel=error

SITE_MODULES := room-site/node_modules/.package-lock.json admin-site/node_modules/.package-lock.json

install: $(VENV)/.installed

localstack:
	localstack/ctl.sh install

# Debian's chromium for the browser tests (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# ---- the two commands ------------------------------------------------------------------------
dev: install localstack
	$(PY) -m devstack.dev

# Lint first, so a lint failure stops it before the long suites.
test: lint localstack chromium infra/node_modules/.installed
	$(PY) -m devstack.sites build
	$(PY) -m pytest tests/unit tests/integration tests/fuzz tests/agent tests/infra tests/web localstack/tests
	cd room-site && npm test --silent
	cd admin-site && npm test --silent
	$(PY) -m infra.e2e

# ---- pieces ----------------------------------------------------------------------------------
lint: install $(SITE_MODULES)
	$(VENV)/bin/ruff check .
	cd room-site && npm run lint --silent
	cd admin-site && npm run lint --silent

unit: install
	$(PY) -m pytest tests/unit

integration: install localstack
	$(PY) -m pytest tests/integration

fuzz: install localstack
	$(PY) -m pytest tests/fuzz

infra-test: install
	$(PY) -m pytest tests/infra

web: install localstack chromium
	$(PY) -m devstack.sites build
	$(PY) -m pytest tests/web

site-test:
	$(PY) -m devstack.sites build
	cd room-site && npm test

e2e: install localstack infra/node_modules/.installed
	$(PY) -m infra.e2e

synth: install infra/node_modules/.installed
	$(CDK_ENV) infra/node_modules/.bin/cdk synth -c stage=$(STAGE) --no-notices -q

bench: install
	$(PY) bench/cold_start.py
	$(PY) bench/kb.py
	$(PY) bench/agent.py
