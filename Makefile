# Two entry points do all the set-up: `make demo` and `make test`.
# Each creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := build/demo

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
	@echo "== plaint render process_specs/   (swimlane diagrams with findings: SVG, PNG, PDF, DOT, Mermaid)"
	@$(BIN)/plaint render process_specs/ --output-dir $(DEMO)/diagrams -f svg -f png -f pdf -f dot -f mermaid
	@echo "   diagrams for every example are in $(DEMO)/diagrams/"
	@echo
	@echo "== plaint report process_specs/   (the auditor's report: one self-contained HTML file)"
	@$(BIN)/plaint report process_specs/ --output $(DEMO)/report.html || test $$? -eq 1
	@$(BIN)/plaint report process_specs/before-and-after/housing-association-current.yaml --output $(DEMO)/housing-association-current.html || test $$? -eq 1
	@echo "   open $(DEMO)/report.html in a browser (no network needed); print it to PDF to file it"
	@echo
	@echo "== plaint rules"
	@$(BIN)/plaint rules
	@echo
	@echo "== plaint explain review-by-different-role"
	@$(BIN)/plaint explain review-by-different-role

test: $(STAMP)
	$(BIN)/ruff check plaint tests benchmarks
	@# The browser tests drive the system Chromium; this installs it when it is missing.
	@scripts/install-chromium >/dev/null
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	@# The timing analysis alone, without start-up or the other checks:
	$(BIN)/python benchmarks/timing_scaling.py

docs: $(STAMP)
	$(BIN)/plaint docs docs/rules

lint: $(STAMP)
	$(BIN)/ruff check plaint tests benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
