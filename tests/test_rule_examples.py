"""Every rule's examples, laid over the example frame, behave as documented.

The non-compliant example fires the rule; the compliant one does not. The
compliant examples of the structural pack are also clean of every other
structural finding, so that they can be copied as they are.
"""

from __future__ import annotations

from functools import cache

import pytest

from plaint.core.engine import RuleSet
from plaint.core.findings import Finding
from plaint.core.packs import Rule
from plaint.core.pipeline import check_document
from plaint.core.run import default_ruleset
from plaint.core.source import load_text
from plaint.policies.examples import example_spec


@cache
def ruleset() -> RuleSet:
    return default_ruleset()


def checked_rules() -> list[Rule]:
    return [r for r in ruleset().rules.values() if r.function is not None]


def findings_of(fragment: str) -> list[Finding]:
    result = check_document(load_text(example_spec(fragment), "example.yaml"), ruleset())
    stages = {r.id for r in ruleset().rules.values() if r.stage is not None}
    stopped = [f"{f.location()} {f.message}" for f in result.findings if f.rule in stages]
    assert stopped == [], "the example is not a usable spec"
    return result.findings


@pytest.mark.parametrize("rule", checked_rules(), ids=lambda r: r.id)
def test_non_compliant_example_fires(rule: Rule) -> None:
    findings = findings_of(rule.examples["non_compliant"])
    assert any(f.rule == rule.id for f in findings)


@pytest.mark.parametrize("rule", checked_rules(), ids=lambda r: r.id)
def test_compliant_example_does_not_fire(rule: Rule) -> None:
    findings = findings_of(rule.examples["compliant"])
    assert [f.message for f in findings if f.rule == rule.id] == []


@pytest.mark.parametrize("rule", [r for r in checked_rules() if r.pack == "structural"],
                         ids=lambda r: r.id)
def test_structural_compliant_example_is_clean(rule: Rule) -> None:
    findings = findings_of(rule.examples["compliant"])
    assert [f"{f.rule}: {f.message}" for f in findings if f.pack == "structural"] == []
