"""Waivers: kept and shown as waived, expiring, unused, invalid."""

from __future__ import annotations

import json
from datetime import date

import pytest
from test_cli import run
from test_engine import SPEC as ENGINE_SPEC

from plaint.core.engine import RuleSet
from plaint.core.packs import builtin_packs
from plaint.core.pipeline import check_document
from plaint.core.source import load_text
from plaint.policies.functions import all_functions

# The engine tests' spec, with an unused role and a waiver of that finding.
SPEC = ENGINE_SPEC.replace("channels:\n", "  auditor: {title: Auditor}\nchannels:\n", 1) + """\
waivers:
  - {rule: unused-role, at: auditor, reason: Post being filled in March,
     approved_by: Jo Bloggs (COO), expires: 2027-06-30}
"""


def structural(today: date) -> RuleSet:
    packs = [p for p in builtin_packs() if p.always]
    return RuleSet(packs, all_functions(), today=today)


def findings(text: str, today: date = date(2027, 1, 1)):
    return check_document(load_text(text, "spec.yaml"), structural(today)).findings


def test_waived_finding_is_kept_and_marked() -> None:
    (finding,) = findings(SPEC)
    assert finding.rule == "unused-role" and finding.element == "auditor"
    assert finding.waived
    assert finding.waiver.reason == "Post being filled in March"
    assert finding.waiver.approved_by == "Jo Bloggs (COO)"
    assert finding.waiver.expires == "2027-06-30"


def test_expired_waiver_is_an_error_and_waives_nothing() -> None:
    result = findings(SPEC, today=date(2027, 7, 1))
    by_rule = {f.rule: f for f in result}
    assert not by_rule["unused-role"].waived
    expired = by_rule["waiver-expired"]
    assert expired.severity.name == "ERROR"
    assert "expired on 2027-06-30" in expired.message and "Jo Bloggs (COO)" in expired.message
    assert (expired.span.line, expired.pointer) == (15, "/waivers/0/expires")


def test_waiver_is_valid_on_its_expiry_date() -> None:
    assert findings(SPEC, today=date(2027, 6, 30))[0].waived


def test_unused_waiver_is_a_warning() -> None:
    text = SPEC.replace("  auditor: {title: Auditor}\n", "")
    text = text.replace("at: auditor", "at: agent")
    (finding,) = findings(text)
    assert finding.rule == "waiver-unused" and finding.severity.name == "WARNING"
    assert "covers no finding" in finding.message
    assert finding.span.line == 13


def test_waiver_for_an_unknown_rule() -> None:
    (first, second) = findings(SPEC.replace("rule: unused-role", "rule: unused-roles"))
    assert {first.rule, second.rule} == {"unused-role", "waiver-unknown-rule"}
    unknown = first if first.rule == "waiver-unknown-rule" else second
    assert "Did you mean 'unused-role'?" in unknown.message


def test_invalid_calendar_date() -> None:
    result = findings(SPEC.replace("2027-06-30", "2027-02-30"))
    assert any(f.rule == "waiver-expired" and "not a real date" in f.message for f in result)


@pytest.mark.parametrize("missing", ["reason", "approved_by", "expires"])
def test_waiver_without_reason_approver_or_expiry_is_invalid(missing: str) -> None:
    import re

    text = re.sub(rf",\s*{missing}: [^,}}]+", "", SPEC)
    assert missing not in text.split("waivers:")[1]
    result = findings(text)
    assert [f.rule for f in result] == ["schema"]
    assert f"'{missing}' is missing" in result[0].message


def test_waived_findings_in_text_and_json_and_exit_code(tmp_path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    (tmp_path / ".plaint.yaml").write_text("plaint-config: 1\npacks: []\n")
    proc = run("check", "--fail-on", "warning", "--today", "2027-01-01", str(spec))
    assert proc.returncode == 0, proc.stdout  # waived findings do not count
    assert f"{spec}:6:3: warning (waived): role 'auditor'" in proc.stdout
    shown = "waived: Post being filled in March (approved by Jo Bloggs (COO), expires 2027-06-30)"
    assert shown in proc.stdout
    assert "1 waived" in proc.stdout
    doc = json.loads(run("check", "-f", "json", "--today", "2027-01-01", str(spec)).stdout)
    finding = doc["files"][0]["findings"][0]
    assert finding["waiver"] == {"rule": "unused-role", "target": "auditor",
                                 "reason": "Post being filled in March",
                                 "approved_by": "Jo Bloggs (COO)", "expires": "2027-06-30"}
    assert doc["summary"]["waived"] == 1 and doc["summary"]["warning"] == 0
    late = run("check", "--today", "2027-07-01", str(spec))
    assert late.returncode == 1
    assert "[waiver-expired]" in late.stdout
