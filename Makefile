# The two quick-start commands: `make refresh` (the main job) and `make test`.
# Both create or reuse .venv. The source mirror defaults to ../shared/data when that folder exists.
SHELL := /bin/bash
MIRROR_DEFAULT := $(abspath ../shared/data)
export WFH_MIRROR ?= $(if $(wildcard $(MIRROR_DEFAULT)),$(MIRROR_DEFAULT),)
export HF_HUB_OFFLINE := 1
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
WFH := .venv/bin/wfh

.PHONY: setup refresh refresh-full test test-fast lint bench dashboard serve docs

setup:
	@scripts/setup.sh

refresh: setup  ## the main job: full pipeline on the real data, published to warehouse/wfh.duckdb
	$(WFH) refresh

refresh-full: setup
	$(WFH) refresh --full

test: setup  ## the full test suite, what CI runs (installs headless Chromium for the dashboard test)
	@scripts/install-browser.sh
	.venv/bin/python -m pytest -q --durations=15

# The fast tier: no mirror, no model, no browser, no refresh (markers set from the fixtures in
# tests/conftest.py). WFH_MIRROR points nowhere, so a test that reads the mirror without saying so fails.
test-fast: setup
	WFH_MIRROR=$(abspath warehouse/.no-mirror) .venv/bin/python -m pytest -q \
		-m "not mirror and not model and not browser and not published_warehouse"

# sqlfluff's dbt templater compiles the project (nothing is built): it needs the profile's variables.
LINT_DIR := $(abspath warehouse/.lint)
lint: setup  ## ruff (check + format) for Python, sqlfluff for the dbt models
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	mkdir -p $(LINT_DIR)
	cd dbt_project && WFH_DB_PATH=$(LINT_DIR)/wfh.duckdb WFH_LANDING_DIR=$(LINT_DIR)/landing \
		DBT_PROFILES_DIR=. ../.venv/bin/sqlfluff lint .

bench: setup
	for script in bench/bench_*.py; do .venv/bin/python $$script || exit 1; done

dashboard: setup
	$(WFH) dashboard

serve: setup  ## weekly scheduled refresh, served locally by Prefect
	$(WFH) serve

docs: setup
	$(WFH) docs --serve
