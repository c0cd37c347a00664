"""Every output is byte-identical across runs and across --jobs, and carries no date or
time of the run (except the report's metadata, which --generated-at fixes).
tests/test_jobs.py compares --jobs in process for every format and on the command line
for JSON; here every format, render, report, diff and timing go through the command."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import REPO, run_many

from plaint.renderers import RENDERERS

SPECS = REPO / "process_specs"
ONE = SPECS / "consumer-company.yaml"
OTHER = SPECS / "small-business.yaml"
TODAY = "2026-12-01"


def _today_strings() -> list[str]:
    now = datetime.now(UTC)
    local = datetime.now()
    return sorted({now.strftime("%Y-%m-%d"), local.strftime("%Y-%m-%d"), now.strftime("%d %B %Y"),
                   local.strftime("%d %b %Y")})


@pytest.fixture(scope="module")
def check_runs() -> dict[tuple[str, str, int], str]:
    keys = [(fmt, jobs, n) for fmt in sorted(RENDERERS) for jobs in ("1", "2") for n in (1, 2)]
    runs = run_many([("check", SPECS, "--format", fmt, "--jobs", jobs, "--today", TODAY)
                     for fmt, jobs, _ in keys])
    for run in runs:
        assert run.returncode in (0, 1) and "Traceback" not in run.stderr, run.stderr
    return {key: run.stdout for key, run in zip(keys, runs, strict=True)}


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_check_output_is_the_same_every_run_and_for_every_jobs(check_runs: dict, fmt: str) -> None:
    outputs = {check_runs[(fmt, jobs, n)] for jobs in ("1", "2") for n in (1, 2)}
    assert len(outputs) == 1 and next(iter(outputs))
    text = next(iter(outputs))
    for today in _today_strings():
        assert today not in text, f"{fmt} holds the date of the run, {today}"


def test_render_report_diff_and_timing_are_the_same_every_run(tmp_path: Path) -> None:
    commands = []
    for n in (1, 2):
        out = tmp_path / str(n)
        commands += [
            ("render", ONE, "--output-dir", out / "diagrams", "-f", "svg", "-f", "png", "-f", "pdf",
             "-f", "dot", "-f", "mermaid"),
            ("report", ONE, "--today", TODAY, "--generated-at", "2026-12-01T09:30:00Z", "-o", out / "r.html"),
            ("diff", OTHER, ONE, "--today", TODAY, "-o", out / "diff.txt"),
            ("diff", OTHER, ONE, "--today", TODAY, "--format", "json", "-o", out / "diff.json"),
            ("timing", ONE, "--year", "2026", "-o", out / "timing.txt"),
            ("timing", ONE, "--year", "2026", "--format", "json", "-o", out / "timing.json"),
        ]
    (tmp_path / "1").mkdir()
    (tmp_path / "2").mkdir()
    runs = run_many(commands)
    for run in runs:
        assert run.returncode in (0, 1) and "Traceback" not in run.stderr, run.stderr
    first = sorted(p.relative_to(tmp_path / "1") for p in (tmp_path / "1").rglob("*") if p.is_file())
    second = sorted(p.relative_to(tmp_path / "2") for p in (tmp_path / "2").rglob("*") if p.is_file())
    assert first == second and len(first) >= 10, first
    for name in first:
        data = (tmp_path / "1" / name).read_bytes()
        assert data == (tmp_path / "2" / name).read_bytes(), name
        if name.suffix in (".png", ".pdf"):
            continue
        text = data.decode("utf-8")
        for today in _today_strings():
            assert today not in text, f"{name} holds the date of the run, {today}"
