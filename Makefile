# sinorus-kg — `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
QUERY  ?= relations-established

.DEFAULT_GOAL := help
.PHONY: help run test test-slow lint typecheck pytest build release docs bench bench-scale java jena clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.run-installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(BIN)/.dev-installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(BIN)/.run-installed $@

java: ## Check that Java (for HermiT) is on PATH, or say how to get it
	@command -v java >/dev/null 2>&1 || { \
	  echo "Java was not found: HermiT (the OWL reasoner used by 'build') needs it."; \
	  echo "Install a JRE, e.g. 'sudo apt-get install -y default-jre-headless', then re-run."; exit 1; }

jena: ## Install Apache Jena (Debian libapache-jena-java: SHACL for large graphs, ARQ in bench-scale) if absent
	@test -f /usr/share/java/jena-shacl.jar || { \
	  echo "installing libapache-jena-java"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libapache-jena-java >/dev/null; }

run: $(BIN)/.run-installed java ## Set up, check (HermiT), build + validate + export the release, show a stored query
	$(BIN)/sinorus-kg consistency
	$(BIN)/sinorus-kg build -v
	$(BIN)/sinorus-kg query $(QUERY)
	@echo "next: $(BIN)/sinorus-kg queries (no activation needed; the README's quick start has a first session)"

test: $(BIN)/.dev-installed java jena lint typecheck pytest ## Set up and run ruff, mypy and pytest

lint: $(BIN)/.dev-installed ## ruff
	$(BIN)/ruff check sinorus_kg tests benchmarks

typecheck: $(BIN)/.dev-installed ## mypy
	$(BIN)/mypy

pytest: $(BIN)/.dev-installed ## the test suite without the long suites
	$(BIN)/python -m pytest -q -m "not slow"

test-slow: $(BIN)/.dev-installed java jena ## the long suites (marker `slow`: full hostile/fuzz sweeps, kill sweep, rebuild, wheel)
	$(BIN)/python -m pytest -q -m slow

release: $(BIN)/.run-installed java ## Check consistency (HermiT), rebuild release/ (deterministic; commit the result)
	$(BIN)/sinorus-kg consistency
	$(BIN)/sinorus-kg build -v

build: release

docs: $(BIN)/.run-installed ## HTML documentation of the ontology and the timeline picture into docs/
	$(BIN)/sinorus-kg docs --out docs
	$(BIN)/sinorus-kg timeline --out docs/timeline.png

bench: $(BIN)/.dev-installed ## Benchmarks (medians)
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_queries.py
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_security.py
	$(BIN)/python benchmarks/bench_service.py

bench-scale: $(BIN)/.dev-installed java jena ## Scale benchmark: stages and stored queries at 10k, 100k, 1M triples (long)
	$(BIN)/python benchmarks/bench_scale.py $(BENCH_ARGS)

clean: ## Remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist
