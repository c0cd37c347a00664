# Two entry points do all the set-up: `make demo` and `make test`.
# Each creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint docs bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	@echo "== plaint check process_specs/   (the bundled examples; before-and-after/ shows findings)"
	@$(BIN)/plaint check process_specs/ || test $$? -eq 1
	@echo
	@echo "== plaint check docs/examples/complaints.yaml   (a process with problems; exit 1 is expected)"
	@$(BIN)/plaint check docs/examples/complaints.yaml || test $$? -eq 1
	@echo
	@echo "== plaint timing process_specs/regulated/asic-credit-provider.yaml   (a deadline broken only over Christmas)"
	@$(BIN)/plaint timing process_specs/regulated/asic-credit-provider.yaml --year 2026 || test $$? -eq 1
	@echo
	@echo "== plaint rules"
	@$(BIN)/plaint rules
	@echo
	@echo "== plaint explain review-by-different-role"
	@$(BIN)/plaint explain review-by-different-role

test: $(STAMP)
	$(BIN)/ruff check plaint tests benchmarks
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/timing_scaling.py

docs: $(STAMP)
	$(BIN)/plaint docs docs/rules

lint: $(STAMP)
	$(BIN)/ruff check plaint tests benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
