# Two commands do everything on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
NEO4J_PORT ?= 7687

.PHONY: install serve test lint neo4j neo4j-fetch neo4j-clean bench clean

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

# The whole suite, Neo4j included: the jars are fetched once into a cache outside the repo.
test: install neo4j-fetch lint
	$(PY) -m pytest -q

# A local Neo4j for development, in the foreground (Ctrl-C stops it).
neo4j:
	NEO4J_PORT=$(NEO4J_PORT) $(PYTHON) tools/neo4j_server.py run --port $(NEO4J_PORT) --data .neo4j-data

neo4j-clean:
	rm -rf .neo4j-data

bench: install
	$(PY) bench/load_neo4j.py
	$(PY) bench/orientation.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
