"""The benchmark's code cannot rot: its generator and one tiny case run here (no timing asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402
import run as bench  # noqa: E402

from plaint.core.run import CheckOptions, run_check  # noqa: E402


def test_generated_specs_are_deterministic_clean_and_about_sixty_steps(tmp_path: Path) -> None:
    paths = generate.write_specs(tmp_path / "specs", 3)
    again = generate.write_specs(tmp_path / "again", 3)
    assert [p.read_text() for p in paths] == [p.read_text() for p in again]
    results = run_check(CheckOptions(paths=[str(tmp_path / "specs")], jobs=1))
    assert [f.message for r in results for f in r.findings] == []
    assert all(55 <= len(r.process.steps) <= 62 for r in results if r.process)


def test_one_tiny_case_runs_and_reports(tmp_path: Path) -> None:
    generate.write_specs(tmp_path, 2)
    loop = bench.measure([sys.executable, "-c", bench._PLAINT_LOOP, str(tmp_path)])
    base = bench.measure([sys.executable, "-c", bench._YAML_LOOP, str(tmp_path)])
    assert loop.inner is not None and base.inner is not None and loop.peak_mib > 0
    case = bench.Case("tiny", "plaint", "yaml", "at most 2.5 times", 2.5, key="inner")
    case.runs = {"subject": [loop], "baseline": [base]}
    text = bench.report([case], 1, 2)
    assert "| tiny | plaint | yaml |" in text and "Before and after" in text
