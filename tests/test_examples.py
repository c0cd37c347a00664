"""The example processes in process_specs/ are exemplars: each checks clean.

They are run through the installed console script, as a user would run them,
so the test covers the whole pipeline and the exit status. Each example also
starts with a comment block that says what the process is and why it is
shaped the way it is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted((ROOT / "process_specs").glob("*.yaml"))
PLAINT = Path(sys.executable).parent / "plaint"


def run_plaint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PLAINT), *args], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )


def test_there_are_examples() -> None:
    assert PLAINT.exists(), f"console script not found at {PLAINT}"
    names = {p.name for p in SPECS}
    assert {"small-business.yaml", "consumer-company.yaml",
            "regulated-financial-firm.yaml"} <= names


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_example_checks_clean(spec: Path) -> None:
    result = run_plaint("check", "--format", "json", "--fail-on", "info", "--color", "never",
                        str(spec.relative_to(ROOT)))
    assert result.returncode == 0, (
        f"{spec.name} should check clean (exit 0), got exit {result.returncode}:\n"
        f"{result.stdout}\n{result.stderr}"
    )
    report = json.loads(result.stdout)
    [checked] = report["files"]
    assert checked["readable"] is True
    assert checked["findings"] == [], f"{spec.name} has findings: {checked['findings']}"
    summary = report["summary"]
    assert (summary["error"], summary["warning"], summary["info"], summary["waived"]) == (0, 0, 0, 0)

@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_example_text_output_reports_no_findings(spec: Path) -> None:
    result = run_plaint("check", "--color", "never", str(spec.relative_to(ROOT)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings, 0 info" in result.stdout, result.stdout


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
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
