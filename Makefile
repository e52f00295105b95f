# The two commands of the quick start (CONTRACT.md): `make run` and `make test`.
# Both create or reuse .venv/ and install the project into it.

VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install lint bench clean

install:
	@scripts/ensure-venv.sh server,test

run:
	@scripts/ensure-venv.sh server
	$(BIN)/python scripts/run_demo.py

test: install
	@scripts/system-deps.sh
	$(BIN)/ruff check app sync_server tests bench scripts main.py
	$(BIN)/mypy app sync_server
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check app sync_server tests bench
	$(BIN)/ruff format --check app sync_server tests bench
	$(BIN)/mypy app sync_server

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts
