# Two commands do everything on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
NEO4J_PORT ?= 7687

.PHONY: install serve test lint neo4j neo4j-fetch neo4j-clean bench clean web web-deps e2e-deps

install: $(VENV)/.installed

# Re-installs when pyproject.toml changes; the marker keeps repeated runs instant.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

serve: install
	$(VENV)/bin/cartonet serve --host $(HOST) --port $(PORT)

lint: install
	$(VENV)/bin/ruff check .

neo4j-fetch:
	$(PYTHON) tools/neo4j_server.py fetch

# The whole suite, Neo4j included: the jars are fetched once into a cache outside the repo;
# the browser tests need Debian's Chromium and axe-core (from web/'s npm lock file).
test: install neo4j-fetch lint e2e-deps
	$(PY) -m pytest -q

# A local Neo4j for development, in the foreground (Ctrl-C stops it).
neo4j:
	NEO4J_PORT=$(NEO4J_PORT) $(PYTHON) tools/neo4j_server.py run --port $(NEO4J_PORT) --data .neo4j-data

neo4j-clean:
	rm -rf .neo4j-data

# The orientation guide and GraphiQL: web/ (npm lock file) built into the package, so
# `make serve` needs no Node. Reproducible: npm ci installs exactly the locked versions.
web: install
	cd web && npm ci --no-audit --no-fund && npm run build
	$(PY) scripts/web_stamp.py

web-deps:
	@if [ ! -d web/node_modules ]; then \
	  if command -v npm >/dev/null; then cd web && npm ci --no-audit --no-fund; \
	  else echo "npm not found: the browser tests will skip axe-core (fail under CI=true)"; fi; \
	fi

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
e2e-deps: web-deps
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y chromium; \
	  else echo "no /usr/bin/chromium: run 'sudo apt-get install chromium' (browser tests skip)"; fi; \
	fi

bench: install
	$(PY) bench/load_neo4j.py
	$(PY) bench/orientation.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
