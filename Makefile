# chipgate: two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR := .chipgate-demo

.PHONY: install install-check demo test lint typecheck pytest browser bench eval serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $(STAMP)

install: $(STAMP)

# Build the package in a throwaway venv from wheels only (no compiler, no ICU).
install-check:
	bash .ci/install-check

demo: $(STAMP)
	@echo "decisions on examples/orders.csv (store: $(DEMO_DIR))"
	mkdir -p -m 700 $(DEMO_DIR) && chmod go-w $(DEMO_DIR) && rm -f $(DEMO_DIR)/chipgate.db $(DEMO_DIR)/chipgate.db-wal $(DEMO_DIR)/chipgate.db-shm
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR) $(BIN)/chipgate license import examples/licenses.csv
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR) $(BIN)/chipgate check examples/orders.csv --format table
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR) $(BIN)/chipgate check examples/orders.csv --format jsonl --output $(DEMO_DIR)/decisions.jsonl --commit
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR) $(BIN)/chipgate ledger balances
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR) $(BIN)/chipgate audit verify
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR) $(BIN)/chipgate compare examples/orders.csv --regimes ac-2023,aid-2025,post-rescission-2025
	@echo "cloud diligence: 10,000 synthetic customers, a real list change, usage (docs/diligence.md)"
	rm -rf $(DEMO_DIR)/diligence && $(BIN)/python -m bench.diligence_demo $(DEMO_DIR)/diligence/files
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR)/diligence $(BIN)/chipgate lists update --from $(DEMO_DIR)/diligence/files/lists-before --allow-shrink > /dev/null
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR)/diligence $(BIN)/chipgate customers import $(DEMO_DIR)/diligence/files/customers.csv
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR)/diligence $(BIN)/chipgate lists update --from $(DEMO_DIR)/diligence/files/lists-after --json > /dev/null
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR)/diligence $(BIN)/chipgate usage ingest $(DEMO_DIR)/diligence/files/usage.parquet
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR)/diligence $(BIN)/chipgate usage report --as-of 2026-12-01 --format json > $(DEMO_DIR)/diligence/usage-report.json
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR)/diligence $(BIN)/chipgate customers show C0000038
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR)/diligence $(BIN)/chipgate customers report C0000038 --output $(DEMO_DIR)/diligence
	@echo "next: 'make serve' opens the web console on this demo store (it prints the URL and an officer key)"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

# The console's browser tests drive Debian's Chromium (Playwright's own download cannot
# be reached from every build host); installed here when missing.
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# The suite on TEST_WORKERS processes (pytest-xdist), each test file whole in one
# of them, so that a file's module fixtures (real lists, indexes) are made once.
TEST_WORKERS ?= 2

pytest: $(STAMP) browser
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m bench

serve: $(STAMP)
	@test -f $(DEMO_DIR)/chipgate.db || $(MAKE) demo
	CHIPGATE_DATA_DIR=$(DEMO_DIR) $(BIN)/python -m chipgate.console.demo 8000

eval: $(STAMP)
	$(BIN)/python -m bench.screening_eval

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
