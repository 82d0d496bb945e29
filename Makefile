# doctor-live: the two commands are `make dev` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)
export PYTHONDONTWRITEBYTECODE :=

.PHONY: dev test install unit integration bench clean-data help

help:
	@echo "make dev    run the platform locally (Postgres+pgvector, migrations, seed, API gateway)"
	@echo "make test   install what is missing and run every test suite"
	@echo "make bench  print the benchmarks"

# Installs only when pyproject.toml changed since the last install (or on a fresh clone).
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev,offline]'
	@touch $@

install: $(VENV)/.installed

dev: install
	$(PY) -m devstack.dev

test: install
	$(PY) -m pytest tests/unit tests/integration

bench: install
	$(PY) bench/cold_start.py
