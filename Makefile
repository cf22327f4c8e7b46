# Linli's everyday commands. `make run` and `make test` are the two the README promises:
# on a fresh machine each one installs what it needs first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_PY := $(VENV)/.stamp-python
STAMP_JS := node_modules/.stamp-js

.PHONY: run test setup lint typecheck schema demo migrate bench clean messages check

run: setup
	$(BIN)/linli migrate
	$(BIN)/linli demo --if-empty
	$(BIN)/linli collectstatic --noinput --verbosity 0
	$(BIN)/linli run

test: setup
	$(BIN)/python scripts/run_tests.py

setup: $(STAMP_PY) $(STAMP_JS)

$(STAMP_PY): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

$(STAMP_JS): package.json package-lock.json scripts/vendor_assets.py
	@command -v npm >/dev/null || { echo "npm is needed to install the front-end assets: apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) scripts/vendor_assets.py
	@touch $@

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy linli
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python scripts/openapi_schema.py --check

schema: setup
	$(BIN)/python scripts/openapi_schema.py --write

messages: setup
	cd linli && ../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete --ignore "static/*"
	$(BIN)/python scripts/compile_messages.py

migrate: setup
	$(BIN)/linli migrate

demo: setup
	$(BIN)/linli demo

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) node_modules linli/static/vendor linli/core/fonts staticfiles
