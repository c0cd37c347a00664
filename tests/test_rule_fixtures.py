"""Every rule against its fixtures: tests/fixtures/rules/<rule-id>/{valid,invalid}-<n>.yaml.

An invalid fixture marks each line where the rule must report with a trailing
``# expect: <rule-id>`` comment (several ids may be given, separated by
commas); the rule must report on exactly those lines. A valid fixture is a
complete spec on which the rule stays silent and the structural pack reports
no error or warning at all.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from plaint.core.engine import RuleSet
from plaint.core.findings import Severity
from plaint.core.pipeline import FileResult, check_path
from plaint.core.run import default_ruleset

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
EXPECT = re.compile(r"#\s*expect:\s*([a-z0-9][a-z0-9 ,-]*)\s*$")


@cache
def ruleset() -> RuleSet:
    return default_ruleset()


def fixture_files(kind: str) -> list[Path]:
    return sorted(FIXTURES.glob(f"*/{kind}-*.yaml"))


def expected_lines(path: Path, rule_id: str) -> set[int]:
    lines = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = EXPECT.search(line)
        if match and rule_id in {part.strip() for part in match.group(1).split(",")}:
            lines.add(number)
    return lines


def check(path: Path) -> FileResult:
    result = check_path(path, ruleset())
    stages = {r.id for r in ruleset().rules.values() if r.stage is not None}
    stopped = [f for f in result.findings if f.rule in stages]
    assert not stopped, f"{path.name} is not a usable spec: " + "; ".join(
        f"{f.location()} {f.message}" for f in stopped)
    return result


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("path", fixture_files("invalid"), ids=_id)
def test_invalid_fixture(path: Path) -> None:
    rule_id = path.parent.name
    expected = expected_lines(path, rule_id)
    assert expected, f"{_id(path)} marks no line with '# expect: {rule_id}'"
    findings = [f for f in check(path).findings if f.rule == rule_id]
    assert {f.span.line for f in findings} == expected, "\n".join(
        f"{f.location()}: {f.message}" for f in findings)
    for f in findings:
        assert f.element, f"{f.location()}: finding names no element"
        assert f.element in f.message, f"{f.location()}: '{f.element}' not in: {f.message}"


@pytest.mark.parametrize("path", fixture_files("valid"), ids=_id)
def test_valid_fixture(path: Path) -> None:
    rule_id = path.parent.name
    findings = check(path).findings
    assert [f.message for f in findings if f.rule == rule_id] == []
    structural = [f for f in findings if f.pack == "structural" and f.severity >= Severity.WARNING]
    assert structural == [], "\n".join(f"{f.location()}: {f.message} [{f.rule}]" for f in structural)
    assert "# expect:" not in path.read_text(encoding="utf-8")


def test_every_rule_has_valid_and_invalid_fixtures() -> None:
    """The meta-test: each rule with a check function is shown to fire, and not to."""
    missing = []
    for rule in ruleset().rules.values():
        if rule.stage is not None:  # input rules are reported by the stages, not by checks
            continue
        folder = FIXTURES / rule.id
        for kind in ("valid", "invalid"):
            if not list(folder.glob(f"{kind}-*.yaml")):
                missing.append(f"{rule.id}/{kind}-1.yaml")
    assert missing == [], "rules without fixtures: " + ", ".join(missing)


def test_every_fixture_folder_names_a_rule() -> None:
    known = set(ruleset().rules)
    folders = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
    assert folders, "no fixture folders found"
    assert [name for name in folders if name not in known] == []
    for folder in FIXTURES.iterdir():
        if folder.is_dir():
            odd = [p.name for p in folder.iterdir()
                   if not re.fullmatch(r"(valid|invalid)-[0-9]+\.yaml", p.name)]
            assert odd == [], f"{folder.name}: unexpected files {odd}"
