# Two commands on a fresh machine: `make run` and `make test`. Everything else is derived.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint bench extract-messages update-messages clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP) $@

# Extra arguments: `make run ARGS="console --demo --staff"`.
ARGS ?=
run: $(STAMP)
	$(PY) -m bot $(ARGS)

test: $(DEV_STAMP)
	$(PY) -m pytest

lint: $(DEV_STAMP)
	$(PY) -m ruff check bot handlers tests bench
	$(PY) -m mypy bot handlers

bench: $(STAMP)
	$(PY) bench/dispatch_overhead.py
	$(PY) bench/knowledge_accuracy.py

# Translators: extract new msgids from the code, then merge them into both catalogs.
extract-messages: $(DEV_STAMP)
	$(VENV)/bin/pybabel extract -k N_ -k __ -o locales/messages.pot --no-location --sort-output --omit-header bot handlers

update-messages: extract-messages
	$(VENV)/bin/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --ignore-obsolete --no-wrap

clean:
	rm -rf $(VENV) var locales/*/LC_MESSAGES/*.mo
