# Two commands: `make run` (the whole system with demo data) and `make test` (the test suite).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := marketplace

.PHONY: run test setup translations lint bench clean-demo

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed translations

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask demo seed
	$(BIN)/flask search rebuild
	$(BIN)/flask digest compile
	$(BIN)/honcho --procfile Procfile start

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .

clean-demo:
	rm -rf instance/
