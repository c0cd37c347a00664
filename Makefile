# Two entry points do all the set-up: `make demo` and `make test`.
# Each creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	@echo "== plaint check process_specs/"
	-@$(BIN)/plaint check process_specs/
	@echo
	@echo "== plaint explain unreachable-step"
	@$(BIN)/plaint explain unreachable-step

test: $(STAMP)
	$(BIN)/ruff check plaint tests
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check plaint tests

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
