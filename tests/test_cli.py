"""The command line, through the installed console script, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from plaint.core.validate import load_schema

PLAINT = Path(sys.executable).parent / "plaint"

GOOD = """\
plaint: 1
process: {id: shop, title: Shop complaints, owner: manager}
roles:
  agent: {title: Agent}
  manager: {title: Manager, senior: true}
channels:
  phone: {kind: phone, free: true}
steps:
  receive: {kind: receive, owner: agent, channels: [phone], next: respond}
  respond: {kind: respond, owner: manager, next: close}
  close: {kind: close, owner: agent}
"""

# 'orphan' is not reachable from the receive step: one error, on line 12.
UNREACHABLE = GOOD + "  orphan: {kind: task, owner: agent, next: close}\n"

# The role 'auditor' owns nothing: a warning only.
WARNING_ONLY = GOOD.replace("  manager: {title: Manager, senior: true}\n",
                            "  manager: {title: Manager, senior: true}\n  auditor: {title: Auditor}\n")


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full_env.update(env or {})
    proc = subprocess.run([str(PLAINT), *args], capture_output=True, text=True, input=stdin,
                          env=full_env, cwd=cwd, timeout=60)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


# These tests are about the command line, so their folders hold a configuration that
# runs the always-on packs only; the ISO 10002 rules have tests of their own.
STRUCTURAL_ONLY = "plaint-config: 1\npacks: []\n"


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY)
    (tmp_path / "good.yaml").write_text(GOOD)
    (tmp_path / "unreachable.yaml").write_text(UNREACHABLE)
    (tmp_path / "warning.yaml").write_text(WARNING_ONLY)
    (tmp_path / "broken.yaml").write_text("plaint: 1\nsteps: [a, b\n")
    return tmp_path


def test_clean_spec_exits_0(specs: Path) -> None:
    proc = run("check", str(specs / "good.yaml"))
    assert proc.returncode == 0, proc.stdout
    assert "1 file checked (1 clean): 0 errors, 0 warnings, 0 info" in proc.stdout


def test_finding_exits_1_with_position(specs: Path) -> None:
    proc = run("check", str(specs / "unreachable.yaml"))
    assert proc.returncode == 1
    assert f"{specs / 'unreachable.yaml'}:12:3: error: step 'orphan' cannot be reached" in proc.stdout
    assert "[unreachable-step]" in proc.stdout
    assert "hint:" in proc.stdout


def test_fail_on_sets_the_threshold(specs: Path) -> None:
    path = str(specs / "warning.yaml")
    assert run("check", path).returncode == 0
    warned = run("check", "--fail-on", "warning", path)
    assert warned.returncode == 1
    assert "[unused-role]" in warned.stdout
    assert run("check", "--fail-on", "error", str(specs / "unreachable.yaml")).returncode == 1


def test_unreadable_file_exits_2_and_others_are_still_checked(specs: Path) -> None:
    proc = run("check", "--format", "json", str(specs))
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    by_path = {Path(f["path"]).name: f for f in doc["files"]}
    assert sorted(by_path) == ["broken.yaml", "good.yaml", "unreachable.yaml", "warning.yaml"]
    assert by_path["broken.yaml"]["readable"] is False
    assert by_path["broken.yaml"]["findings"][0]["rule"] == "yaml-syntax"
    assert by_path["good.yaml"]["findings"] == []
    assert [f["rule"] for f in by_path["unreachable.yaml"]["findings"]] == ["unreachable-step"]
    assert doc["summary"]["unreadable"] == 1


def test_json_output_validates_against_the_shipped_schema(specs: Path) -> None:
    proc = run("check", "--format", "json", str(specs))
    jsonschema.validate(json.loads(proc.stdout), load_schema("findings-v1.json"))


def test_json_finding_fields(specs: Path) -> None:
    proc = run("check", "-f", "json", str(specs / "unreachable.yaml"))
    finding = json.loads(proc.stdout)["files"][0]["findings"][0]
    assert finding["line"] == 12 and finding["column"] == 3
    assert finding["pointer"] == "/steps/orphan"
    assert finding["element"] == "orphan"
    assert finding["pack"] == "structural"
    assert finding["severity"] == "error"
    assert finding["docs"] == "docs/rules/unreachable-step.md"
    assert finding["clauses"], "the engine stamps the rule's clauses"


def test_output_file_is_written_whole(specs: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "findings.json"
    target.parent.mkdir()
    proc = run("check", "-f", "json", "-o", str(target), str(specs / "unreachable.yaml"))
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert json.loads(target.read_text())["summary"]["error"] == 1
    assert [p.name for p in target.parent.iterdir()] == ["findings.json"]


def test_output_into_missing_folder_fails_cleanly(specs: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "findings.json"
    proc = run("check", "-o", str(target), str(specs / "good.yaml"))
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr
    assert not target.parent.exists()


def test_folder_expansion_is_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY)
    (tmp_path / "b.yml").write_text(GOOD)
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "notes.txt").write_text("not a spec")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.yaml").write_text("not: [valid")
    proc = run("check", "-f", "json", str(tmp_path))
    assert proc.returncode == 0
    assert [Path(f["path"]).name for f in json.loads(proc.stdout)["files"]] == ["a.yaml", "b.yml"]


def test_folder_without_specs_is_a_usage_error(tmp_path: Path) -> None:
    proc = run("check", str(tmp_path))
    assert proc.returncode == 2
    assert "no process specs" in proc.stderr


def test_missing_file_is_reported_with_the_others(specs: Path) -> None:
    proc = run("check", str(specs / "nope.yaml"), str(specs / "unreachable.yaml"))
    assert proc.returncode == 2
    assert f"{specs / 'nope.yaml'}:1:1: error: no such file" in proc.stdout
    assert "step 'orphan' cannot be reached" in proc.stdout


def test_standard_input(specs: Path) -> None:
    proc = run("check", "--config", str(specs / ".plaint.yaml"), "-", stdin=UNREACHABLE)
    assert proc.returncode == 1
    assert "<stdin>:12:3: error: step 'orphan'" in proc.stdout


def test_colour_only_when_asked_or_on_a_terminal(specs: Path) -> None:
    path = str(specs / "unreachable.yaml")
    assert "\x1b[" not in run("check", path).stdout  # not a terminal
    assert "\x1b[" in run("check", "--color", "always", path).stdout
    assert "\x1b[" not in run("check", "--color", "never", path).stdout


def test_no_color_is_respected_on_a_terminal(specs: Path) -> None:
    # A pseudo-terminal shows what a person sees; NO_COLOR must switch colour off there.
    import pty  # noqa: F401  (POSIX only, like the CI machines)
    path = str(specs / "unreachable.yaml")

    def on_terminal(env: dict[str, str]) -> bytes:
        script = f"import pty, sys; sys.exit(pty.spawn([{str(PLAINT)!r}, 'check', {path!r}]) >> 8)"
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, env=env, timeout=60)
        return out.stdout

    base = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert b"\x1b[" in on_terminal(base)
    assert b"\x1b[" not in on_terminal({**base, "NO_COLOR": "1"})


def test_spec_text_cannot_drive_the_terminal(tmp_path: Path) -> None:
    spec = tmp_path / "esc.yaml"
    spec.write_text(GOOD + '  orphan: {kind: task, title: "\\e[31mred", owner: agent, next: close}\n')
    proc = run("check", str(spec))
    assert "\x1b[31m" not in proc.stdout


def test_output_is_deterministic(specs: Path) -> None:
    for fmt in ("text", "json", "concise"):
        first = run("check", "-f", fmt, str(specs))
        second = run("check", "-f", fmt, str(specs))
        assert first.stdout == second.stdout


def test_concise_format(specs: Path) -> None:
    proc = run("check", "-f", "concise", str(specs / "unreachable.yaml"))
    assert proc.stdout == (f"{specs / 'unreachable.yaml'}:12:3: error [unreachable-step] "
                           "step 'orphan' cannot be reached from any receive step\n")


def test_usage_errors_exit_2() -> None:
    assert run("check").returncode == 2
    assert run("check", "--format", "nope", "x.yaml").returncode == 2
    assert run("frobnicate").returncode == 2


def test_rules_lists_every_rule_and_explain_works_for_each() -> None:
    from click.testing import CliRunner

    from plaint.cli.main import cli

    listed = json.loads(run("rules", "--format", "json").stdout)["rules"]
    ids = [r["id"] for r in listed]
    assert "unreachable-step" in ids and "yaml-duplicate-key" in ids
    assert len(ids) == len(set(ids))
    table = run("rules").stdout
    # Every rule in-process (fast), and a few through the console script.
    runner = CliRunner()
    for rule_id in ids:
        assert rule_id in table
        result = runner.invoke(cli, ["explain", rule_id])
        assert result.exit_code == 0, rule_id
        for heading in ("## What it checks", "## Why it matters", "## Example", "## How to fix"):
            assert heading in result.output, (rule_id, heading)
    for rule_id in ids[:: max(1, len(ids) // 3)]:
        proc = run("explain", rule_id)
        assert proc.returncode == 0 and f"# {rule_id}:" in proc.stdout


def test_explain_unknown_rule_suggests() -> None:
    proc = run("explain", "unreachable-stpe")
    assert proc.returncode == 2
    assert "Did you mean 'unreachable-step'?" in proc.stderr


def test_schema_command_prints_each_schema(tmp_path: Path) -> None:
    spec_schema = json.loads(run("schema").stdout)
    assert spec_schema["$id"] == "urn:plaint:schema:process-spec:1"
    jsonschema.Draft202012Validator.check_schema(spec_schema)
    for which in ("pack", "findings"):
        jsonschema.Draft202012Validator.check_schema(json.loads(run("schema", which).stdout))
    target = tmp_path / "spec.schema.json"
    assert run("schema", "-o", str(target)).returncode == 0
    assert json.loads(target.read_text()) == spec_schema


def test_python_dash_m_and_version() -> None:
    proc = subprocess.run([sys.executable, "-m", "plaint", "--version"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0
    assert proc.stdout.startswith("plaint, version ")


def test_readme_example_gives_the_findings_the_readme_shows() -> None:
    root = Path(__file__).resolve().parent.parent
    proc = run("check", "-f", "json", str(root / "docs" / "examples" / "complaints.yaml"))
    assert proc.returncode == 1
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    assert [(f["rule"], f["element"]) for f in findings] == [("choice-default", "respond"),
                                                              ("unbounded-loop", "respond")]
    readme = (root / "README.md").read_text()
    for f in findings:
        assert f["message"] in readme, "README shows the current message"


def test_folder_expansion_skips_packs_and_configurations(tmp_path: Path) -> None:
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY)
    (tmp_path / "spec.yaml").write_text(GOOD)
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "ours.yaml").write_text("# our rules\nplaint-pack: 1\npack: {}\n")
    (tmp_path / "ci-config.yml").write_text("plaint-config: 1\n")
    proc = run("check", "-f", "json", str(tmp_path))
    assert [Path(f["path"]).name for f in json.loads(proc.stdout)["files"]] == ["spec.yaml"]

