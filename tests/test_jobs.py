"""Running a check: files in parallel give what a serial run gives; progress only on a
terminal; output to a device or a pipe."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL_SPEC, REPO, STRUCTURAL_ONLY_CONFIG, run_plaint

from plaint.cli.output import Progress
from plaint.core.run import CheckOptions, run_check
from plaint.renderers import RENDERERS, RenderContext

TODAY = date(2026, 12, 1)


def _tree(tmp_path: Path) -> Path:
    """Good specs, a broken one, one under a broken configuration, one unreadable."""
    root = tmp_path / "specs"
    (root / "good").mkdir(parents=True)
    (root / "broken-config").mkdir()
    (root / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    for i in range(6):
        (root / "good" / f"spec-{i}.yaml").write_text(MINIMAL_SPEC.replace("minimal", f"minimal-{i}"))
    (root / "good" / "typo.yaml").write_text(MINIMAL_SPEC.replace("next: close", "next: clsoe"))
    (root / "good" / "binary.yaml").write_bytes(b"\x00\x01\x02plaint")
    (root / "broken-config" / ".plaint.yaml").write_text("plaint-config: 1\npacks: [no-such-pack]\n")
    (root / "broken-config" / "spec.yaml").write_text(MINIMAL_SPEC)
    return root


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_two_processes_give_the_same_output_as_one(tmp_path: Path, fmt: str) -> None:
    paths = [str(_tree(tmp_path)), str(REPO / "process_specs")]
    context = RenderContext(tool_version="test")
    serial = run_check(CheckOptions(paths=paths, today=TODAY, jobs=1))
    parallel = run_check(CheckOptions(paths=paths, today=TODAY, jobs=2))
    assert [r.path for r in parallel] == [r.path for r in serial]
    assert RENDERERS[fmt](parallel, context) == RENDERERS[fmt](serial, context)
    # The rule set each file was checked with comes back too (the report and timing use it).
    assert [r.rules is None for r in parallel] == [r.rules is None for r in serial]
    assert any(r.rules is None for r in parallel) and any(r.rules is not None for r in parallel)


def test_parallel_results_are_whole(tmp_path: Path) -> None:
    """Model and graph survive the trip between processes (diagrams and reports need them)."""
    parallel = run_check(CheckOptions(paths=[str(REPO / "process_specs")], today=TODAY, jobs=2))
    serial = run_check(CheckOptions(paths=[str(REPO / "process_specs")], today=TODAY, jobs=1))
    for a, b in zip(parallel, serial, strict=True):
        assert a.process == b.process
        assert sorted(a.graph.reachable) == sorted(b.graph.reachable)
        assert a.document.text == b.document.text


def test_progress_is_shown_for_long_runs_and_cleared() -> None:
    stream = io.StringIO()
    progress = Progress(stream)
    progress.started -= 10  # a run that has gone on for a while
    progress(3, 10)
    assert stream.getvalue() == "\rplaint: checked 3 of 10 files"
    progress(10, 10)
    assert stream.getvalue().endswith("\r" + " " * len("plaint: checked 3 of 10 files") + "\r")


def test_progress_is_silent_for_short_runs() -> None:
    stream = io.StringIO()
    progress = Progress(stream)
    for done in range(1, 6):
        progress(done, 5)
    assert stream.getvalue() == ""


def test_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    assert Progress.for_terminal() is None


def test_jobs_on_the_command_line_give_identical_output(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    one = run_plaint("check", root, "--format", "json", "--jobs", "1", "--today", "2026-12-01")
    two = run_plaint("check", root, "--format", "json", "--jobs", "2", "--today", "2026-12-01")
    assert one.returncode == two.returncode == 2  # an unreadable file among them
    assert one.stdout == two.stdout and one.stdout
    assert "checked" not in two.stderr  # no progress when standard error is not a terminal


def test_output_to_a_device_writes_to_it_and_leaves_it_in_place(tmp_path: Path) -> None:
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    (tmp_path / "spec.yaml").write_text(MINIMAL_SPEC)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    done = run_plaint("check", "spec.yaml", "-f", "json", "-o", fifo, cwd=tmp_path)
    out, _ = reader.communicate(timeout=30)
    assert done.returncode == 0, done.stderr
    assert json.loads(out)["summary"]["files"] == 1
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still a pipe, not replaced by a file
