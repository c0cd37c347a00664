"""The regulated example processes in process_specs/regulated/ do what they show.

One example per regulatory pack, each listing its pack in
``process.regimes`` and giving a working calendar. Every one checks clean
against its pack and the ISO 10002 pack (no finding at all, ``--fail-on
info``), except the Australian credit provider, which is built to break
RG 271's 30-calendar-day limit only when the Christmas and New Year holidays
(and its own Christmas shutdown) fall inside the period: its durations fit
in ordinary weeks, so every finding it gets names a start date in December.

The specs run through the installed console script, as a user would run
them, as of a fixed date, so that the reference year of the timing analysis
does not change with the calendar.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
REGULATED = ROOT / "process_specs" / "regulated"
PLAINT = Path(sys.executable).parent / "plaint"
AS_OF = "2026-12-01"

# Each example and the pack it shows.
EXAMPLES = {
    "fca-bank.yaml": "fca-disp1",
    "asic-credit-provider.yaml": "asic-rg271",
    "spso-council.yaml": "spso-mchp",
    "housing-association.yaml": "housing-ombudsman-2024",
    "nhs-trust.yaml": "nhs-england-2009",
}
CHRISTMAS = "asic-credit-provider.yaml"
CLEAN = sorted(set(EXAMPLES) - {CHRISTMAS})
# "received on 2026-12-07", "starts the clock on 2026-12-07": a date in December.
DECEMBER_START = re.compile(r"\b(?:on|from) (\d{4})-12-(\d{2})\b")


def check(name: str) -> tuple[int, list[dict[str, Any]]]:
    """Exit status and findings of ``plaint check`` on one example, as of AS_OF."""
    result = subprocess.run(
        [str(PLAINT), "check", "--today", AS_OF, "--fail-on", "info", "--format", "json",
         "--color", "never", str(Path("process_specs") / "regulated" / name)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert result.returncode in (0, 1), f"{name}: exit {result.returncode}\n{result.stderr}"
    [checked] = json.loads(result.stdout)["files"]
    assert checked["readable"] is True
    return result.returncode, checked["findings"]


def test_one_example_per_regulatory_pack() -> None:
    assert sorted(p.name for p in REGULATED.glob("*.yaml")) == sorted(EXAMPLES)
    for name, pack in EXAMPLES.items():
        text = (REGULATED / name).read_text(encoding="utf-8")
        assert text.startswith("# "), f"{name} starts with a comment saying what it shows"
        data = yaml.safe_load(text)
        assert data["process"]["regimes"] == [pack], name
        calendar = data["process"]["calendar"]
        assert calendar["weekdays"] and calendar["holidays"], name


@pytest.mark.parametrize("name", CLEAN)
def test_example_is_clean(name: str) -> None:
    status, findings = check(name)
    assert findings == [], "\n".join(f"{f['rule']}: {f['message']}" for f in findings)
    assert status == 0


def test_christmas_example_breaks_only_over_christmas() -> None:
    status, findings = check(CHRISTMAS)
    assert status == 1
    rules = {f["rule"] for f in findings}
    assert "asic-idr-response-within-30-days" in rules, rules
    for finding in findings:
        assert DECEMBER_START.search(finding["message"]), (
            f"{finding['rule']} does not name a December start date: {finding['message']}")


def test_christmas_example_says_why_in_its_comment() -> None:
    text = (REGULATED / CHRISTMAS).read_text(encoding="utf-8")
    head = text.split("\nplaint: 1", 1)[0].lower()
    assert "christmas" in head and "on purpose" in head
