# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	@# exit 1 (standard not met) is the expected verdict on the samples; exit 2 would be an error
	$(BIN)/svcaudit check samples/tickets.csv samples/messages.csv --as-of 2026-11-23T12:00:00Z --limit 12 || test $$? -eq 1

# lint and type-check before the tests: CI (.ci/run) runs exactly this target
test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src/svcaudit
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) build src/*.egg-info

# `make bench`: generate benchmark exports (10k and 100k tickets) if missing, time svcaudit against a
# bare csv.reader parse and DuckDB, write benchmarks/out/results.json. DuckDB is a benchmark-only
# dependency, installed into the venv here. More sizes: make bench BENCH_ARGS="--sizes 10000,100000,1000000"
.PHONY: bench
BENCH_ARGS ?=
bench: $(STAMP)
	@$(BIN)/python -c 'import duckdb' 2>/dev/null || $(BIN)/python -m pip install --quiet duckdb \
		|| echo "bench: could not install duckdb; the DuckDB column is skipped"
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
