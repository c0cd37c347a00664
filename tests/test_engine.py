"""The engine: stamping, isolation of failing rules, pack validation."""

from __future__ import annotations

import pytest

from plaint.core.engine import RuleSet
from plaint.core.findings import Hit, Severity
from plaint.core.packs import PackError, builtin_packs, parse_pack
from plaint.core.pipeline import check_document
from plaint.core.source import load_text
from plaint.policies.functions import CheckFunction, builtin_functions

SPEC = """\
plaint: 1
process: {id: shop, title: Shop complaints, owner: manager}
roles:
  agent: {title: Agent}
  manager: {title: Manager, senior: true}
channels:
  phone: {kind: phone}
steps:
  receive: {kind: receive, owner: agent, channels: [phone], next: respond}
  respond: {kind: respond, owner: manager, next: close}
  close: {kind: close, owner: agent}
"""

PACK = """\
plaint-pack: 1
pack: {id: org, title: Our rules, version: "2.0"}
rules:
  - id: explodes
    title: A rule whose function raises
    severity: error
    clauses: [{source: Our policy, topic: Testing}]
    checks: Nothing useful.
    rationale: To prove a failing rule does not stop the others.
    hint: None.
    examples: {non_compliant: "a", compliant: "b"}
    check: {function: boom}
  - id: every-step
    title: Reports every step
    severity: warning
    clauses: [{source: Our policy, topic: Testing, ref: "1.2", verified: false}]
    checks: Reports each step.
    rationale: To see stamping.
    hint: The rule's own hint.
    examples: {non_compliant: "a", compliant: "b"}
    check: {function: each-step, params: {label: seen}}
"""


def _boom(process, graph):
    raise RuntimeError("kaput")
    yield  # pragma: no cover


def _each_step(process, graph, label):
    for step in process.steps.values():
        yield Hit(f"{label} {step.id}", step.path, step.id, key=True)


FUNCTIONS = {
    **builtin_functions(),
    "boom": CheckFunction("boom", _boom, {"type": "object"}, "Raises.", "tests"),
    "each-step": CheckFunction(
        "each-step", _each_step,
        {"type": "object", "properties": {"label": {"type": "string"}}, "required": ["label"]},
        "Reports every step.", "tests"),
}


def _ruleset(pack_text: str = PACK, severities=None) -> RuleSet:
    return RuleSet([*builtin_packs(), parse_pack(pack_text, "org.yaml")], FUNCTIONS, severities)


def test_failing_rule_becomes_internal_error_and_others_run() -> None:
    result = check_document(load_text(SPEC, "spec.yaml"), _ruleset())
    rules = [f.rule for f in result.findings]
    assert "internal-error" in rules
    internal = next(f for f in result.findings if f.rule == "internal-error")
    assert "rule 'explodes' failed: RuntimeError: kaput" in internal.message
    assert [f.element for f in result.findings if f.rule == "every-step"] == ["receive", "respond", "close"]


def test_engine_stamps_rule_metadata_and_positions() -> None:
    result = check_document(load_text(SPEC, "spec.yaml"), _ruleset())
    finding = next(f for f in result.findings if f.rule == "every-step" and f.element == "respond")
    assert finding.severity is Severity.WARNING
    assert finding.pack == "org"
    assert finding.hint == "The rule's own hint."
    assert finding.clauses[0].label() == "Our policy 1.2 (number not verified): Testing"
    assert (finding.span.line, finding.span.column) == (10, 3)
    assert finding.pointer == "/steps/respond"
    assert finding.file == "spec.yaml"


def test_findings_are_sorted_by_position() -> None:
    result = check_document(load_text(SPEC, "spec.yaml"), _ruleset())
    keys = [(f.span.line, f.span.column, f.rule) for f in result.findings]
    assert keys == sorted(keys)


def test_severity_override_and_off() -> None:
    raised = _ruleset(severities={"every-step": "error", "explodes": "off"})
    result = check_document(load_text(SPEC, "spec.yaml"), raised)
    assert {f.severity for f in result.findings if f.rule == "every-step"} == {Severity.ERROR}
    assert "internal-error" not in [f.rule for f in result.findings]


def test_duplicate_rule_id_is_refused() -> None:
    clash = PACK.replace("id: every-step", "id: unreachable-step")
    with pytest.raises(PackError, match="rule id 'unreachable-step' is already defined"):
        _ruleset(clash)


def test_unknown_function_and_bad_params_are_refused() -> None:
    with pytest.raises(PackError, match="unknown function 'nope'"):
        _ruleset(PACK.replace("function: boom", "function: nope"))
    with pytest.raises(PackError, match="parameters for 'each-step' are invalid"):
        _ruleset(PACK.replace("params: {label: seen}", "params: {label: 3}"))


def test_invalid_pack_is_reported_with_its_position() -> None:
    broken = PACK.replace("    severity: warning\n", "    severity: loud\n")
    with pytest.raises(PackError) as caught:
        parse_pack(broken, "org.yaml")
    assert str(caught.value).startswith("org.yaml:15:15: invalid pack:")
    assert "'loud' is not one of the allowed values" in str(caught.value)


def test_schema_errors_stop_later_stages() -> None:
    # A misspelt kind is a schema error; no graph rule may report on top of it.
    result = check_document(load_text(SPEC.replace("kind: respond", "kind: respnd"), "s.yaml"),
                            _ruleset())
    assert {f.rule for f in result.findings} == {"schema"}
    assert result.graph is None


def test_reference_errors_stop_later_stages() -> None:
    result = check_document(load_text(SPEC.replace("next: close", "next: clsoe"), "s.yaml"),
                            _ruleset())
    assert {f.rule for f in result.findings} == {"reference"}
    assert "Did you mean 'close'?" in result.findings[0].message
