"""Baselines: fingerprints that survive reformatting, counting, the file format, --baseline flags."""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, run_plaint
from hypothesis import given
from hypothesis import strategies as st

from plaint.cli.baseline_options import apply, baseline_options
from plaint.core.baseline import (
    BaselineEntry,
    baseline_text,
    compare,
    entry_for,
    file_key,
    filter_results,
    fingerprint,
    load_baseline,
    pair,
    parse_baseline,
    summary_lines,
)
from plaint.core.findings import Finding, Severity, Span
from plaint.core.pipeline import FileResult
from plaint.core.run import CheckOptions, UserError, exit_code, run_check

HOUSING = REPO / "process_specs" / "before-and-after" / "housing-association-current.yaml"

ORPHAN_STEP = """
  orphan:
    kind: task
    title: A step nothing leads to
    owner: complaints-officer
    next: close
"""


def reformat(text: str) -> str:
    """The same spec written differently: steps and roles in reverse order, four-space indents,
    block style, titles and addresses double-quoted, and comments everywhere."""
    data = yaml.safe_load(text)
    data["steps"] = dict(reversed(list(data["steps"].items())))
    data["roles"] = dict(reversed(list(data["roles"].items())))
    dumped = yaml.safe_dump(data, indent=4, sort_keys=False, allow_unicode=True, width=4096)
    lines = ["# Reformatted by a test: nothing in the procedure changed."]
    for line in dumped.splitlines():
        quoted = re.match(r"^(\s*)(title|where): ([^'\"].*)$", line)
        if quoted:
            line = f"{quoted.group(1)}{quoted.group(2)}: {json.dumps(quoted.group(3), ensure_ascii=False)}"
        lines.append(line)
        if re.match(r"^    [a-z0-9-]+:$", line):
            lines.append("        # a comment under every entry")
    return "\n".join(lines) + "\n"


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return proc.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with the housing association's current spec and a baseline for it."""
    root = tmp_path / "repo"
    (root / "specs").mkdir(parents=True)
    (root / "specs" / "housing.yaml").write_text(HOUSING.read_text(encoding="utf-8"), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "config", "user.email", "test@example.org")
    git(root, "config", "user.name", "Test")
    results = run_check(CheckOptions(paths=[str(root / "specs")]))
    (root / "baseline.json").write_text(baseline_text(results, str(root / "baseline.json")),
                                        encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "baseline")
    return root


def check_against(root: Path, cwd: Path | None = None):
    """Check the specs folder from ``cwd`` (default: the repository) against its baseline."""
    here = Path.cwd()
    os.chdir(cwd or root)
    try:
        specs = os.path.relpath(root / "specs")
        results = run_check(CheckOptions(paths=[specs]))
        outcome = compare(results, load_baseline(os.path.relpath(root / "baseline.json")))
        return results, outcome
    finally:
        os.chdir(here)


# -- the scenarios -----------------------------------------------------------------------

def test_the_baseline_accepts_every_finding_of_the_run_it_was_written_from(repo: Path) -> None:
    results, outcome = check_against(repo)
    assert sum(len(r.findings) for r in results) == 13
    assert len(outcome.matched) == 13
    assert outcome.new == () and outcome.fixed == ()
    shown = filter_results(results, outcome)
    assert [r.findings for r in shown] == [[]]
    assert exit_code(shown, Severity.WARNING) == 0


def test_reformatting_and_moving_steps_gives_no_new_finding(repo: Path) -> None:
    spec = repo / "specs" / "housing.yaml"
    spec.write_text(reformat(spec.read_text(encoding="utf-8")), encoding="utf-8")
    assert git(repo, "status", "--porcelain").strip() == "M specs/housing.yaml"
    results, outcome = check_against(repo)
    # The findings moved (other lines), but every one is still accepted.
    before = {f.span.line for f in run_check(CheckOptions(paths=[str(HOUSING)]))[0].findings}
    assert {f.span.line for f in results[0].findings} != before
    assert len(outcome.matched) == 13
    assert outcome.new == () and outcome.fixed == ()


def test_adding_a_real_problem_gives_exactly_one_new_finding(repo: Path) -> None:
    spec = repo / "specs" / "housing.yaml"
    # Reformatted as well, so the new finding is found among moved ones.
    spec.write_text(reformat(spec.read_text(encoding="utf-8") + ORPHAN_STEP), encoding="utf-8")
    results, outcome = check_against(repo)
    assert [(f.rule, f.element) for f in outcome.new] == [("unreachable-step", "orphan")]
    shown = filter_results(results, outcome)
    assert [f.rule for f in shown[0].findings] == ["unreachable-step"]
    assert exit_code(shown, Severity.ERROR) == 1


def test_fixing_a_finding_is_reported_so_the_baseline_can_shrink(repo: Path) -> None:
    spec = repo / "specs" / "housing.yaml"
    text = spec.read_text(encoding="utf-8").replace("    reference: unique\n",
                                                    "    reference: unique\n    retention: 6 years\n")
    spec.write_text(text, encoding="utf-8")
    results, outcome = check_against(repo)
    assert outcome.new == ()
    assert [(e.file, e.rule, e.element) for e in outcome.fixed] == [
        ("specs/housing.yaml", "records-retention-stated", "process")]
    lines = summary_lines(outcome)
    assert "1 baseline entry is fixed: remove it with --update-baseline" in lines
    assert "  fixed: specs/housing.yaml: records-retention-stated at process" in lines
    assert exit_code(filter_results(results, outcome), Severity.WARNING) == 0


def test_the_baseline_works_from_another_working_directory(repo: Path) -> None:
    (repo / "elsewhere").mkdir()
    _, outcome = check_against(repo, cwd=repo / "elsewhere")
    assert len(outcome.matched) == 13 and outcome.new == ()


# -- fingerprints and counting -------------------------------------------------------------------

def _finding(rule: str = "r", element: str | None = "step-a", message: str = "m", line: int = 1,
             file: str = "spec.yaml", **kw) -> Finding:
    return Finding(rule=rule, severity=Severity.ERROR, message=message, file=file,
                   span=Span(line, 3, line, 9), element=element, **kw)


def test_fingerprint_depends_on_rule_file_and_element_only(tmp_path: Path) -> None:
    a = _finding(line=3, pointer="/steps/step-a/next/0")
    moved = replace(a, span=Span(40, 7, 40, 12), pointer="/steps/step-a/next/2",
                    message="m, said   differently")
    assert fingerprint(a, tmp_path) == fingerprint(moved, tmp_path)
    assert fingerprint(a, tmp_path) != fingerprint(replace(a, rule="other"), tmp_path)
    assert fingerprint(a, tmp_path) != fingerprint(replace(a, element="step-b"), tmp_path)
    assert fingerprint(a, tmp_path) != fingerprint(replace(a, file="other.yaml"), tmp_path)
    assert re.fullmatch(r"[0-9a-f]{16}", fingerprint(a, tmp_path))


def test_findings_without_an_element_use_their_pointer_or_the_file() -> None:
    assert entry_for(_finding(element=None, pointer="/chanels"), "f").element == "/chanels"
    assert entry_for(_finding(element=None), "f").element == ""


def test_file_paths_are_relative_to_the_baseline_folder_with_forward_slashes(tmp_path: Path,
                                                                             monkeypatch) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a")
    assert file_key("b/spec.yaml", tmp_path) == "a/b/spec.yaml"
    assert file_key("./b/../b/spec.yaml", tmp_path) == "a/b/spec.yaml"
    assert file_key(str(tmp_path / "a" / "b" / "spec.yaml"), tmp_path) == "a/b/spec.yaml"
    assert file_key("b/spec.yaml", tmp_path / "a" / "b" / "c") == "../spec.yaml"
    assert file_key("<stdin>", tmp_path) == "<stdin>"


def _entries(*pairs: tuple[str, str]) -> list[BaselineEntry]:
    return [BaselineEntry("f", "r", element, message) for element, message in pairs]


def test_counting_two_accepted_three_found_makes_one_new() -> None:
    before = _entries(("process", "no 'assess' step"), ("process", "no 'record' step"))
    now = _entries(("process", "no 'assess' step"), ("process", "no 'close' step"),
                   ("process", "no 'record' step"))
    pairing = pair(now, before)
    assert pairing.new == (1,)  # the one whose message the baseline does not have
    assert len(pairing.matched) == 2 and pairing.gone == ()


def test_a_changed_message_still_matches_by_count() -> None:
    before = _entries(("review", "can take 15 working days"))
    now = _entries(("review", "can take 16 working days"))
    assert pair(now, before).matched == ((0, 0),)
    fewer = pair(_entries(("review", "can take 16 working days")),
                 _entries(("review", "a"), ("review", "b")))
    assert len(fewer.matched) == 1 and len(fewer.gone) == 1 and fewer.new == ()


_ENTRY = st.builds(BaselineEntry, st.sampled_from(["a.yaml", "b.yaml"]), st.sampled_from(["r", "s"]),
                   st.sampled_from(["process", "x", ""]), st.sampled_from(["m1", "m2", "m3"]))


@given(st.lists(_ENTRY, max_size=12), st.lists(_ENTRY, max_size=12))
def test_pairing_counts_per_fingerprint(current: list[BaselineEntry],
                                        previous: list[BaselineEntry]) -> None:
    pairing = pair(current, previous)
    used_now = [i for i, _ in pairing.matched] + list(pairing.new)
    used_before = [j for _, j in pairing.matched] + list(pairing.gone)
    assert sorted(used_now) == list(range(len(current)))
    assert sorted(used_before) == list(range(len(previous)))
    assert all(current[i].fingerprint == previous[j].fingerprint for i, j in pairing.matched)
    for key in {e.fingerprint for e in current + previous}:
        now = sum(1 for e in current if e.fingerprint == key)
        before = sum(1 for e in previous if e.fingerprint == key)
        assert sum(1 for i in pairing.new if current[i].fingerprint == key) == max(0, now - before)
        assert sum(1 for j in pairing.gone if previous[j].fingerprint == key) == max(0, before - now)
    # Equal messages pair up whenever they can: as many same-message pairs as possible.
    same = sum(1 for i, j in pairing.matched if current[i] == previous[j])
    most = sum(min(current.count(e), previous.count(e)) for e in set(current))
    assert same == most
    assert pair(current, previous) == pairing


def test_waived_and_unreadable_findings_are_never_baselined(tmp_path: Path) -> None:
    from plaint.core.findings import AppliedWaiver

    waiver = AppliedWaiver("r", "step-a", "accepted", "Head of complaints", "2099-01-01")
    waived = _finding(file=str(tmp_path / "spec.yaml"), waiver=waiver)
    fatal = _finding(rule="yaml-syntax", element=None, file=str(tmp_path / "bad.yaml"), fatal=True)
    plain = _finding(file=str(tmp_path / "spec.yaml"), rule="other")
    results = [FileResult(str(tmp_path / "spec.yaml"), [plain, waived]),
               FileResult(str(tmp_path / "bad.yaml"), [fatal])]
    path = str(tmp_path / "baseline.json")
    written = parse_baseline(baseline_text(results, path).encode(), path)
    assert [e.rule for e in written.entries] == ["other"]
    outcome = compare(results, written)
    shown = filter_results(results, outcome)
    assert shown[0].findings == [waived] and shown[1].findings == [fatal]
    assert exit_code(shown, Severity.INFO) == 2


def test_entries_of_files_not_checked_are_kept_while_the_file_exists(tmp_path: Path) -> None:
    for name in ("one.yaml", "two.yaml", "gone.yaml"):
        (tmp_path / name).write_text("x")
    path = str(tmp_path / "baseline.json")
    results = [FileResult(str(tmp_path / n), [_finding(file=str(tmp_path / n))])
               for n in ("one.yaml", "two.yaml", "gone.yaml")]
    first = parse_baseline(baseline_text(results, path).encode(), path)
    assert sorted(first.files) == ["gone.yaml", "one.yaml", "two.yaml"]
    (tmp_path / "gone.yaml").unlink()
    # Only one.yaml is checked now, and its finding is fixed.
    again = parse_baseline(baseline_text([FileResult(str(tmp_path / "one.yaml"), [])], path, first)
                           .encode(), path)
    assert sorted(again.files) == ["two.yaml"]
    # Fixed entries are only those of files this run checked.
    outcome = compare([FileResult(str(tmp_path / "one.yaml"), [])], first)
    assert [e.file for e in outcome.fixed] == ["one.yaml"]


def test_baseline_file_is_sorted_deterministic_and_documented_shape(repo: Path) -> None:
    results = run_check(CheckOptions(paths=[str(repo / "specs")]))
    path = str(repo / "baseline.json")
    text = baseline_text(results, path)
    assert text == baseline_text(list(reversed(results)), path)
    assert text == (repo / "baseline.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["format"] == "plaint-baseline" and data["version"] == 1
    assert list(data) == ["format", "version", "findings"]
    entries = data["findings"]
    assert [list(e) for e in entries[:1]] == [["file", "rule", "element", "message", "fingerprint"]]
    keys = [(e["file"], e["rule"], e["element"], e["message"]) for e in entries]
    assert keys == sorted(keys)
    assert all("line" not in e for e in entries)
    # The reformatted spec gives the same fingerprints.
    spec = repo / "specs" / "housing.yaml"
    spec.write_text(reformat(spec.read_text(encoding="utf-8")), encoding="utf-8")
    again = json.loads(baseline_text(run_check(CheckOptions(paths=[str(repo / "specs")])), path))
    assert sorted(e["fingerprint"] for e in again["findings"]) == sorted(
        e["fingerprint"] for e in entries)


# -- damaged baselines ---------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "says"), [
    (b"{not json", "not valid JSON (line 1, column 2"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b"[]", "not a plaint baseline"),
    (b'{"format": "plaint-findings", "version": 1}', "not a plaint baseline"),
    (b'{"format": "plaint-baseline", "version": 7, "findings": []}', "written by a newer plaint"),
    (b'{"format": "plaint-baseline", "version": "1", "findings": []}', "unknown format version '1'"),
    (b'{"format": "plaint-baseline", "version": 1}', '"findings" must be a list'),
    (b'{"format": "plaint-baseline", "version": 1, "findings": [3]}', "finding 1 is not an object"),
    (b'{"format": "plaint-baseline", "version": 1, "findings": [{"file": "a.yaml"}]}',
     'finding 1: "rule" must be text'),
    (b"[" * 100_000, "not valid JSON"),
])
def test_a_damaged_baseline_is_a_clear_error(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_bytes(content)
    with pytest.raises(UserError) as err:
        load_baseline(str(path))
    assert str(err.value).startswith(f"baseline {path}")
    assert says in str(err.value)


def test_a_missing_baseline_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist: create it with --update-baseline"):
        load_baseline(str(tmp_path / "nope.json"))
    with pytest.raises(UserError, match="is a folder"):
        load_baseline(str(tmp_path))


def test_a_hand_edited_entry_is_recomputed(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"format": "plaint-baseline", "version": 1, "findings": [
        {"file": "a.yaml", "rule": "r", "element": "x", "message": "m", "fingerprint": "stale"}]}))
    entry = load_baseline(str(path)).entries[0]
    assert entry.fingerprint != "stale" and entry.fingerprint == entry.as_dict()["fingerprint"]


# -- the options, on a command of the test's own (as plaint check attaches them) -----------------

@click.command()
@click.argument("paths", nargs=-1)
@baseline_options
def fake_check(paths: tuple[str, ...], baseline: str | None, update_baseline: bool) -> None:
    results = run_check(CheckOptions(paths=list(paths)))
    results, notes = apply(results, baseline, update_baseline)
    for result in results:
        for f in result.findings:
            click.echo(f"{f.location()}: {f.rule}")
    for note in notes:
        click.echo(note, err=True)
    raise SystemExit(exit_code(results, Severity.WARNING))


def _invoke(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(fake_check, list(args), catch_exceptions=True)
    if isinstance(result.exception, UserError):
        return 2, result.stdout, str(result.exception)
    return result.exit_code, result.stdout, result.stderr


def test_options_update_then_report_only_new_findings(repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    (repo / "baseline.json").unlink()
    code, out, err = _invoke("specs", "--baseline", "baseline.json", "--update-baseline")
    assert code == 0 and out == ""
    assert "wrote the baseline baseline.json: 13 findings in 1 file" in err
    assert "13 findings are in the baseline baseline.json and not shown" in err
    spec = repo / "specs" / "housing.yaml"
    spec.write_text(reformat(spec.read_text(encoding="utf-8") + ORPHAN_STEP), encoding="utf-8")
    code, out, err = _invoke("specs", "--baseline", "baseline.json")
    assert code == 1
    assert re.fullmatch(r"specs/housing\.yaml:\d+:\d+: unreachable-step\n", out)


def test_options_refuse_update_without_a_file_and_damaged_baselines(repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(fake_check, ["specs", "--update-baseline"])
    assert result.exit_code == 2 and "--update-baseline needs --baseline FILE" in result.output
    (repo / "baseline.json").write_text("{oops")
    code, _, err = _invoke("specs", "--baseline", "baseline.json", "--update-baseline")
    assert code == 2 and "not valid JSON" in err
    assert (repo / "baseline.json").read_text() == "{oops"  # not overwritten


def test_notes_cannot_drive_the_terminal(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text("x")
    path = str(tmp_path / "baseline.json")
    (tmp_path / "baseline.json").write_text(json.dumps({"format": "plaint-baseline", "version": 1,
        "findings": [{"file": "spec.yaml", "rule": "r", "element": "/\x1b[31mred", "message": ""}]}))
    _, notes = apply([FileResult(str(tmp_path / "spec.yaml"), [])], path, False)
    assert notes and not any("\x1b" in n for n in notes)


# -- plaint check --baseline ---------------------------------------------------------------------


def test_check_with_a_baseline_end_to_end(repo: Path) -> None:
    (repo / "baseline.json").unlink()
    made = run_plaint("check", "specs", "--baseline", "baseline.json", "--update-baseline", cwd=repo)
    assert made.returncode == 0, made.stderr
    assert "wrote the baseline baseline.json: 13 findings in 1 file" in made.stderr
    spec = repo / "specs" / "housing.yaml"
    spec.write_text(reformat(spec.read_text(encoding="utf-8")), encoding="utf-8")
    same = run_plaint("check", "specs", "--baseline", "baseline.json", "--fail-on", "warning",
                      cwd=repo)
    assert same.returncode == 0, same.stdout + same.stderr
    spec.write_text(spec.read_text(encoding="utf-8") + ORPHAN_STEP.replace("  ", "    "),
                    encoding="utf-8")
    one = run_plaint("check", "specs", "--baseline", "baseline.json", "--format", "json", cwd=repo)
    assert one.returncode == 1
    findings = [f for file in json.loads(one.stdout)["files"] for f in file["findings"]]
    assert [(f["rule"], f["element"]) for f in findings] == [("unreachable-step", "orphan")]


def test_check_with_a_damaged_baseline_exits_2(repo: Path) -> None:
    (repo / "baseline.json").write_text('{"format": "plaint-baseline", "version": 1, "findings": {}}')
    proc = run_plaint("check", "specs", "--baseline", "baseline.json", cwd=repo)
    assert proc.returncode == 2
    assert "baseline baseline.json: \"findings\" must be a list" in proc.stderr
    assert "Traceback" not in proc.stderr
