"""The example processes in process_specs/ do what they are there to show.

- The exemplars (the top-level specs, the organisation's spec in
  process_specs/organisation/ and every ``*-revised.yaml``) check clean at
  ``--fail-on info``: no finding at all, except findings a waiver accepts,
  and every such waiver says why and who approved it.
- Every ``*-current.yaml`` in process_specs/before-and-after/ is a working
  process (nothing from the input or structural packs) with real ISO 10002
  gaps: findings from at least five ISO rules, covering at least four ISO
  10002 principles, so it fails ``--fail-on warning``.
- The organisation's own pack (process_specs/packs/house-rules.yaml) is
  listed by ``plaint rules`` in the organisation's folder, its examples
  behave as documented, and its rules fire on a deliberately non-compliant
  copy of the organisation's spec.
- The complete small example in docs/spec.md checks clean as well.

Specs are run through the installed console script, as a user would run
them, so the tests cover the whole pipeline, configuration discovery and the
exit status. Each example starts with a comment block that says what the
process is and why it is shaped the way it is.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from plaint.policies.examples import example_spec

ROOT = Path(__file__).resolve().parent.parent
SPECS_DIR = ROOT / "process_specs"
PLAINT = Path(sys.executable).parent / "plaint"


def specs_in(folder: Path, pattern: str = "*.yaml") -> list[Path]:
    """The specs in ``folder``: not the hidden configuration file."""
    return sorted(p for p in folder.glob(pattern) if not p.name.startswith("."))


ORGANISATION_DIR = SPECS_DIR / "organisation"
BEFORE_AFTER_DIR = SPECS_DIR / "before-and-after"
CURRENT = specs_in(BEFORE_AFTER_DIR, "*-current.yaml")
REVISED = specs_in(BEFORE_AFTER_DIR, "*-revised.yaml")
TOP = specs_in(SPECS_DIR)
ORGANISATION = specs_in(ORGANISATION_DIR)
EXEMPLARS = TOP + ORGANISATION + REVISED
REGULATED = specs_in(SPECS_DIR / "regulated")
# Built to break a deadline only for complaints received just before Christmas.
CHRISTMAS = SPECS_DIR / "regulated" / "asic-credit-provider.yaml"
HOUSE_RULES = SPECS_DIR / "packs" / "house-rules.yaml"
HOUSE_PACK = "larkspur-house-rules"
HOUSE_SOURCE = "Larkspur Home complaints policy"

# The guiding principles of ISO 10002:2018 as a certification body lists them
# (gbbcert.com, cited by the iso10002 pack's clauses, which name them as topics).
ISO_PRINCIPLES = {
    "commitment", "capability", "transparency", "accessibility", "responsiveness",
    "objectivity", "charges", "information integrity", "confidentiality",
    "customer-focused approach", "accountability", "competence", "timeliness",
    "continual improvement",
}


# The examples' waivers expire; checks run as of a fixed date so the tests do not
# change with the calendar (the waiver-expiry behaviour has tests of its own).
AS_OF = "2026-12-01"


def run_plaint(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    if args and args[0] == "check":
        args = ("check", "--today", AS_OF, *args[1:])
    return subprocess.run(
        [str(PLAINT), *args], capture_output=True, text=True, cwd=cwd, timeout=120, check=False,
    )


def check_json(spec: Path, *options: str, cwd: Path = ROOT) -> tuple[int, dict[str, Any]]:
    """Check one spec; the exit status and the JSON report of that file."""
    path = spec.relative_to(cwd) if spec.is_relative_to(cwd) else spec
    result = run_plaint("check", "--format", "json", "--color", "never", *options, str(path),
                        cwd=cwd)
    assert result.returncode in (0, 1), (
        f"{spec.name}: exit {result.returncode}\n{result.stdout}\n{result.stderr}")
    report = json.loads(result.stdout)
    [checked] = report["files"]
    assert checked["readable"] is True
    return result.returncode, checked


def rule_clauses(cwd: Path = ROOT) -> dict[str, dict[str, Any]]:
    """``plaint rules --format json`` run in ``cwd``: rule id to its listing."""
    result = run_plaint("rules", "--format", "json", cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    listing = json.loads(result.stdout)
    assert {"configuration", "packs", "rules"} <= listing.keys()
    return {rule["id"]: rule for rule in listing["rules"]}


def name(spec: Path) -> str:
    return str(spec.relative_to(SPECS_DIR))


# -- What is there ---------------------------------------------------------------------


def test_there_are_examples() -> None:
    assert PLAINT.exists(), f"console script not found at {PLAINT}"
    assert {"small-business.yaml", "consumer-company.yaml",
            "regulated-financial-firm.yaml"} <= {p.name for p in TOP}
    assert ORGANISATION, "process_specs/organisation/ should hold the organisation's spec"
    assert (ORGANISATION_DIR / ".plaint.yaml").is_file()
    assert HOUSE_RULES.is_file()
    assert CURRENT, "process_specs/before-and-after/ should hold a *-current.yaml"


def test_every_current_process_has_its_revision() -> None:
    currents = {p.name.removesuffix("-current.yaml") for p in CURRENT}
    revised = {p.name.removesuffix("-revised.yaml") for p in REVISED}
    assert currents == revised, "each <name>-current.yaml needs a <name>-revised.yaml, and back"


def test_checking_the_folder_checks_every_spec_and_skips_packs_and_configuration() -> None:
    result = run_plaint("check", "--format", "json", "process_specs/")
    # Only the Christmas example has errors; the 'current' processes have warnings only.
    assert result.returncode == 1, result.stdout + result.stderr
    files = json.loads(result.stdout)["files"]
    checked = {f["path"] for f in files}
    expected = {str(p.relative_to(ROOT))
                for p in TOP + ORGANISATION + CURRENT + REVISED + REGULATED}
    assert checked == expected
    with_errors = {f["path"] for f in files
                   if any(x["severity"] == "error" and not x["waiver"] for x in f["findings"])}
    assert with_errors == {str(CHRISTMAS.relative_to(ROOT))}


@pytest.mark.parametrize("spec", EXEMPLARS + CURRENT, ids=name)
def test_example_starts_with_a_comment_block(spec: Path) -> None:
    lines = spec.read_text(encoding="utf-8").splitlines()
    block = []
    for line in lines:
        if not line.startswith("#"):
            break
        block.append(line)
    assert len(block) >= 3, f"{spec.name} should open with a comment block saying what it models"
    assert not block[0].lstrip("# ").startswith("yaml-language-server"), (
        f"{spec.name}: the first line should describe the process, not be a schema modeline"
    )
    text = " ".join(line.lstrip("# ") for line in block)
    assert len(text.split()) >= 30, f"{spec.name}: the opening comment is too short to explain much"


# -- Exemplars: clean, apart from waived findings ---------------------------------------


@pytest.mark.parametrize("spec", EXEMPLARS, ids=name)
def test_exemplar_checks_clean(spec: Path) -> None:
    status, checked = check_json(spec, "--fail-on", "info")
    unwaived = [f"{f['line']}: {f['rule']}: {f['message']}"
                for f in checked["findings"] if not f.get("waiver")]
    assert unwaived == [], f"{name(spec)} has findings: {unwaived}"
    assert status == 0
    for finding in checked["findings"]:
        waiver = finding["waiver"]
        assert waiver["reason"].strip(), f"{name(spec)}: waiver of {finding['rule']} without a reason"
        assert waiver["approved_by"].strip(), f"{name(spec)}: waiver of {finding['rule']} without an approver"
        assert waiver["expires"], f"{name(spec)}: waiver of {finding['rule']} without an expiry"


@pytest.mark.parametrize("spec", EXEMPLARS, ids=name)
def test_exemplar_text_output_reports_no_findings(spec: Path) -> None:
    result = run_plaint("check", "--color", "never", "--fail-on", "info",
                        str(spec.relative_to(ROOT)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings, 0 info" in result.stdout, result.stdout


def test_small_business_waives_its_phone_line_and_shows_it() -> None:
    _, checked = check_json(SPECS_DIR / "small-business.yaml", "--fail-on", "info")
    waived = [(f["rule"], f["element"]) for f in checked["findings"] if f.get("waiver")]
    assert waived == [("channels-free-of-charge", "phone")]
    text = run_plaint("check", "--color", "never", "process_specs/small-business.yaml").stdout
    assert "warning (waived)" in text


# -- Before and after --------------------------------------------------------------------


@pytest.mark.parametrize("spec", CURRENT, ids=name)
def test_current_process_works_but_has_iso_gaps(spec: Path) -> None:
    status, checked = check_json(spec, "--fail-on", "warning")
    findings = checked["findings"]
    broken = [f"{f['line']}: {f['rule']}: {f['message']}" for f in findings
              if f["pack"] in ("input", "structural", "waivers")]
    assert broken == [], f"{name(spec)} should be a working process: {broken}"
    assert status == 1, f"{name(spec)} should fail --fail-on warning"
    assert all(f["pack"] == "iso10002" for f in findings)

    iso_rules = {f["rule"] for f in findings}
    assert len(iso_rules) >= 5, f"{name(spec)}: findings from only {sorted(iso_rules)}"
    listing = rule_clauses()
    principles = {
        clause["topic"].lower()
        for rule in iso_rules
        for clause in listing[rule]["clauses"]
        if clause["source"].startswith("ISO 10002") and clause["topic"].lower() in ISO_PRINCIPLES
    }
    assert len(principles) >= 4, f"{name(spec)}: gaps in only {sorted(principles)}"


@pytest.mark.parametrize("spec", CURRENT, ids=name)
def test_each_gap_is_explained_where_it_is(spec: Path) -> None:
    """Every finding on a 'current' process is at or just below a GAP comment."""
    lines = spec.read_text(encoding="utf-8").splitlines()
    _, checked = check_json(spec)
    gaps = [i + 1 for i, line in enumerate(lines) if "GAP (" in line]
    for finding in checked["findings"]:
        if finding["pointer"] == "/steps":
            continue  # a missing step has no line of its own; the header lists it
        near = [g for g in gaps if finding["line"] - 12 <= g <= finding["line"] + 8]
        assert near, f"{name(spec)}:{finding['line']}: {finding['rule']} has no GAP comment near it"


# -- The organisation's own pack ---------------------------------------------------------


def house_rule_ids() -> list[str]:
    pack = yaml.safe_load(HOUSE_RULES.read_text(encoding="utf-8"))
    assert pack["pack"]["id"] == HOUSE_PACK
    return [rule["id"] for rule in pack["rules"]]


def test_house_rules_are_listed_in_the_organisation_folder() -> None:
    ids = house_rule_ids()
    assert 2 <= len(ids) <= 3
    listing = rule_clauses(cwd=ORGANISATION_DIR)
    for rule_id in ids:
        rule = listing[rule_id]
        assert rule["pack"] == HOUSE_PACK and rule["enabled"]
        assert [c["source"] for c in rule["clauses"]] == [HOUSE_SOURCE]
    assert "channels-free-of-charge" in listing, "the ISO pack stays on in the organisation"
    text = run_plaint("rules", cwd=ORGANISATION_DIR).stdout
    assert f"Configuration: {ORGANISATION_DIR / '.plaint.yaml'}" in text
    assert all(rule_id in text for rule_id in ids)
    # Elsewhere the house rules are not in force.
    assert not set(ids) & rule_clauses().keys()


@pytest.mark.parametrize("kind", ["non_compliant", "compliant"])
def test_house_rule_examples_behave_as_documented(tmp_path: Path, kind: str) -> None:
    (tmp_path / ".plaint.yaml").write_text(
        f"plaint-config: 1\npacks: [iso10002, {HOUSE_RULES}]\n", encoding="utf-8")
    pack = yaml.safe_load(HOUSE_RULES.read_text(encoding="utf-8"))
    for rule in pack["rules"]:
        spec = tmp_path / f"{rule['id']}.yaml"
        spec.write_text(example_spec(rule["examples"][kind]), encoding="utf-8")
        _, checked = check_json(spec, cwd=tmp_path)
        rules = {f["rule"] for f in checked["findings"]}
        assert not rules & {"schema", "reference"}, f"{rule['id']} {kind}: not a usable spec"
        assert (rule["id"] in rules) == (kind == "non_compliant"), f"{rule['id']} {kind}: {rules}"


def break_house_rules(spec: dict[str, Any]) -> dict[str, Any]:
    """The organisation's spec with each house rule deliberately broken."""
    process = spec["process"]
    process["commitments"] = [c for c in process["commitments"] if c["to"] != "final-response"]
    steps = spec["steps"]
    del steps["investigate"]["tells"]
    steps["first-response"]["tells"] = [t for t in steps["first-response"]["tells"]
                                        if t not in ("escalation-options", "external-referral")]
    return spec


def test_house_rules_fire_on_a_non_compliant_copy(tmp_path: Path) -> None:
    specs = tmp_path / "process_specs"
    shutil.copytree(ORGANISATION_DIR, specs / "organisation")
    (specs / "packs").mkdir()
    shutil.copy(HOUSE_RULES, specs / "packs" / HOUSE_RULES.name)
    [original] = ORGANISATION
    broken = specs / "organisation" / "non-compliant.yaml"
    data = yaml.safe_load(original.read_text(encoding="utf-8"))
    broken.write_text(yaml.safe_dump(break_house_rules(data), sort_keys=False), encoding="utf-8")

    status, checked = check_json(specs / "organisation" / original.name, "--fail-on", "info",
                                 cwd=tmp_path)
    assert (status, checked["findings"]) == (0, []), "the copied folder should check as the original"

    status, checked = check_json(broken, cwd=tmp_path)
    fired = {f["rule"] for f in checked["findings"] if f["pack"] == HOUSE_PACK}
    assert fired == set(house_rule_ids())
    for finding in checked["findings"]:
        if finding["pack"] == HOUSE_PACK:
            assert finding["clauses"][0]["source"] == HOUSE_SOURCE
    # The eight-week promise is an error in the house rules: the check fails.
    assert status == 1


def test_the_organisation_spec_meets_what_the_top_level_one_does_not() -> None:
    """The house rules are stricter than ISO 10002: the plain copy breaks one of them."""
    config = ORGANISATION_DIR / ".plaint.yaml"
    result = run_plaint("check", "--format", "json", "--config", str(config),
                        "process_specs/consumer-company.yaml")
    fired = {f["rule"] for f in json.loads(result.stdout)["files"][0]["findings"]}
    assert fired == {"larkspur-updates-every-five-days"}


# -- The small example in docs/spec.md ----------------------------------------------------


def test_spec_doc_small_example_checks_clean(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "spec.md").read_text(encoding="utf-8")
    section = text.split("## A complete small example", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block, "docs/spec.md: no YAML block under 'A complete small example'"
    spec = tmp_path / "corner-shop.yaml"
    spec.write_text(block.group(1), encoding="utf-8")
    status, checked = check_json(spec, "--fail-on", "info", cwd=tmp_path)
    assert checked["findings"] == [], [f"{f['rule']}: {f['message']}" for f in checked["findings"]]
    assert status == 0
