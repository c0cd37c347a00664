"""Regulatory packs apply to the processes that list them in 'regimes'."""

from __future__ import annotations

from datetime import date

from test_engine import SPEC as ENGINE_SPEC

from plaint.core.engine import RuleSet
from plaint.core.packs import builtin_packs, parse_pack
from plaint.core.pipeline import check_document
from plaint.core.source import load_text
from plaint.policies.functions import all_functions

REGIME_PACK = """\
plaint-pack: 1
pack: {id: test-regulator, title: A test regulator, version: "1.0", regime: true}
rules:
  - id: test-regulator-no-review
    title: Reports review steps (for the test)
    severity: error
    clauses: [{source: Test regulation, topic: Reviews}]
    checks: Review steps exist.
    rationale: To see when a regulatory pack applies.
    hint: None.
    examples: {non_compliant: "a", compliant: "b"}
    check: {function: kind-exists, params: {kinds: [investigate]}}
"""

# The engine tests' spec, with a place for the regimes it lists.
SPEC = ENGINE_SPEC.replace("owner: manager}", "owner: manager{regimes}}", 1)


def run(regimes: str, by_regime: tuple[str, ...] = ("test-regulator",)):
    packs = [p for p in builtin_packs() if p.always] + [parse_pack(REGIME_PACK, "reg.yaml")]
    rules = RuleSet(packs, all_functions(), today=date(2027, 1, 1), by_regime=by_regime)
    text = SPEC.replace("{regimes}", regimes)
    return check_document(load_text(text, "spec.yaml"), rules)


def test_regime_pack_applies_only_where_listed() -> None:
    assert [f.rule for f in run("").findings] == []
    listed = run(", regimes: [test-regulator]")
    assert [f.rule for f in listed.findings] == ["test-regulator-no-review"]
    assert ("test-regulator", "1.0") in listed.packs
    assert ("test-regulator", "1.0") not in run("").packs


def test_a_pack_the_configuration_names_applies_everywhere() -> None:
    assert [f.rule for f in run("", by_regime=()).findings] == ["test-regulator-no-review"]


def test_unknown_regime_is_an_error_with_a_suggestion() -> None:
    (finding,) = run(", regimes: [test-regulater]").findings
    assert finding.rule == "unknown-regime"
    assert "Did you mean 'test-regulator'?" in finding.message
    assert finding.pointer == "/process/regimes/0"
    assert (finding.span.line, finding.span.column) == (2, 71)


def test_check_today_sets_the_year_of_start_dates_for_timing_rules() -> None:
    import json
    import subprocess
    import sys
    from pathlib import Path

    plaint = Path(sys.executable).parent / "plaint"
    spec = Path(__file__).resolve().parent.parent / "process_specs/regulated/asic-credit-provider.yaml"
    for today, year in (("2026-12-01", "2026"), ("2027-06-01", "2027")):
        proc = subprocess.run([str(plaint), "check", "-f", "json", "--today", today, str(spec)],
                              capture_output=True, text=True, timeout=120)
        findings = json.loads(proc.stdout)["files"][0]["findings"]
        timing = [f for f in findings if f["rule"] in ("commitment-kept", "asic-idr-response-within-30-days")]
        assert timing and all(f"of the 365 days of {year}" in f["message"] for f in timing)
