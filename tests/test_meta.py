"""Meta-tests: the rules, functions, packs and docs stay consistent with each other."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from plaint.core.packs import builtin_packs
from plaint.core.run import default_ruleset
from plaint.policies.functions import builtin_functions
from plaint.renderers import rule_doc

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "fixtures" / "broken"


def test_builtin_packs_load_and_rule_ids_are_unique() -> None:
    ruleset = default_ruleset()  # raises on a duplicate id or an unknown function
    total = sum(len(p.rules) for p in builtin_packs())
    assert len(ruleset.rules) == total


@pytest.mark.parametrize("rule", [r for p in builtin_packs() for r in p.rules], ids=lambda r: r.id)
def test_every_rule_is_documented(rule) -> None:
    assert rule.title and rule.checks and rule.rationale and rule.hint
    assert rule.examples["non_compliant"].strip() and rule.examples["compliant"].strip()
    assert rule.examples["non_compliant"] != rule.examples["compliant"]
    if rule.stage is None:
        assert rule.clauses, f"{rule.id} must cite what it rests on"
        assert rule.function in builtin_functions()
    page = rule_doc.render(rule, next(p for p in builtin_packs() if p.id == rule.pack))
    positions = [page.index(f"## {heading}") for heading in rule_doc.HEADINGS]
    assert positions == sorted(positions), "headings in the fixed order"


def test_every_function_is_documented_and_used() -> None:
    used = {r.function for p in builtin_packs() for r in p.rules if r.function}
    for name, function in builtin_functions().items():
        assert function.doc, f"function {name} needs a module docstring"
        params = inspect.signature(function.run).parameters
        assert list(params)[:2] == ["process", "graph"], name
        assert name in used, f"function {name} is not called by any built-in rule"


def test_every_load_rule_has_a_broken_fixture() -> None:
    load_rules = [r.id for p in builtin_packs() for r in p.rules if r.stage == "load"]
    # These two depend on the file system, not on content, and are made by the tests themselves.
    made_at_test_time = {"file-unreadable", "file-too-large", "config-invalid"}
    names = [f.name for f in BROKEN.rglob("*") if f.is_file()]
    for rule_id in load_rules:
        if rule_id in made_at_test_time:
            continue
        assert any(name.startswith(rule_id) for name in names), f"no fixture for {rule_id}"


def test_readme_gives_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


@pytest.mark.parametrize("name", sorted(builtin_functions()))
def test_every_function_parameter_schema_is_valid(name: str) -> None:
    # The engine validates rule parameters without re-checking these schemas on every run.
    import jsonschema

    schema = dict(builtin_functions()[name].params_schema)
    jsonschema.validators.validator_for(schema).check_schema(schema)
