# chipgate: two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR := .chipgate-demo

.PHONY: install demo test lint typecheck pytest bench eval serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@echo "decisions on examples/orders.csv (store: $(DEMO_DIR))"
	mkdir -p $(DEMO_DIR) && rm -f $(DEMO_DIR)/chipgate.db $(DEMO_DIR)/chipgate.db-wal $(DEMO_DIR)/chipgate.db-shm
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR) $(BIN)/chipgate license import examples/licenses.csv
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR) $(BIN)/chipgate check examples/orders.csv --format table
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR) $(BIN)/chipgate check examples/orders.csv --format jsonl --output $(DEMO_DIR)/decisions.jsonl --commit
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR) $(BIN)/chipgate ledger balances
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR) $(BIN)/chipgate audit verify
	COLUMNS=160 CHIPGATE_DATA_DIR=$(DEMO_DIR) $(BIN)/chipgate compare examples/orders.csv --regimes ac-2023,aid-2025,post-rescission-2025
	@echo "next: 'make serve' opens the web console on this demo store (it prints the URL and an officer key)"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

pytest: $(STAMP)
	$(BIN)/pytest -q

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
