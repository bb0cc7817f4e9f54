# JMD digital-hub. `make run` serves the portal on the embedded default; `make test` runs the suite on
# real PostgreSQL, Redis and Chromium (installed and started by scripts/services).
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.synced-$(shell cat uv.lock pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test lint format services messages totp bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): uv.lock pyproject.toml
	@test -x $(PY) || { python=$$(scripts/find-python) && "$$python" -m venv $(VENV); }
	@test -x $(VENV)/bin/uv || $(PY) -m pip install -q uv
	@VIRTUAL_ENV=$(abspath $(VENV)) $(VENV)/bin/uv sync --frozen --quiet --active --python $(PY)
	@rm -f $(VENV)/.synced-* && touch $@

venv: $(STAMP)

run: $(STAMP) ## Serve the portal on http://127.0.0.1:8000 (SQLite, demo data, demo logins printed)
	$(MANAGE) migrate --noinput
	$(MANAGE) demo_data
	@echo "Portal: http://$(HOST):$(PORT)/  ·  staff: http://$(HOST):$(PORT)/de/staff/"
	$(MANAGE) runserver $(HOST):$(PORT)

# The suite runs on TEST_WORKERS processes (pytest-xdist; tests/workers.py keeps them apart): browser and
# server tests spend much of their time waiting, so on 2 cores 3 workers beat 2. TEST_WORKERS=0 runs it
# in one process. Bytecode is cached (in the venv) even where the environment switches that off: the suite
# starts dozens of Python processes (workers, Celery, servers), each importing Django and Wagtail.
TEST_WORKERS ?= 3
test: $(STAMP) ## Lint and run the whole suite (migrations checked too) on PostgreSQL, Redis and Chromium
	@eval "$$(scripts/services)" && \
	export PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(abspath $(VENV))/pycache && \
	$(PY) -m ruff check . && \
	$(PY) -m ruff format --check . && \
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

services: ## Install and start PostgreSQL, Redis and Chromium for the tests
	@scripts/services

lint: $(STAMP) ## ruff check and format check
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

format: $(STAMP) ## Format and auto-fix with ruff
	$(PY) -m ruff format . && $(PY) -m ruff check --fix .

messages: $(STAMP) ## Extract translatable strings into locale/ and compile them
	$(MANAGE) makemessages --all --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'scripts/*'
	$(MANAGE) compilemessages --ignore '.venv/*'

totp: $(STAMP) ## Print a demo staff user's current TOTP code: make totp USER=demo_counselor
	@$(MANAGE) totp_code $(USER)

bench: $(STAMP) ## Run the benchmark scripts under bench/ and print their figures
	@eval "$$(scripts/services)" && for script in bench/*.py; do $(PY) $$script; done

clean: ## Remove the virtual environment, the SQLite database and collected files
	rm -rf $(VENV) db.sqlite3 var .pytest_cache test-output
