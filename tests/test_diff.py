"""plaint diff: the change report between two versions of a spec, and --base GIT-REF."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, STRUCTURAL_ONLY_CONFIG, run_many, run_plaint
from test_baseline import reformat

from plaint.core.diff import DiffReport, diff_files, exit_code
from plaint.core.findings import Severity
from plaint.core.run import CheckOptions, run_check
from plaint.core.timing import as_of
from plaint.renderers.diff_report import md, render_markdown, render_text

BEFORE_AND_AFTER = REPO / "process_specs" / "before-and-after"
CURRENT = BEFORE_AND_AFTER / "housing-association-current.yaml"
REVISED = BEFORE_AND_AFTER / "housing-association-revised.yaml"
TODAY = "2026-06-01"

# Clean under the always-on packs: the commitment is kept (worst case 4 working days of 5).
SHOP = """\
plaint: 1
process:
  id: shop
  title: Shop complaints
  owner: manager
  calendar: {weekdays: [mon, tue, wed, thu, fri]}
  commitments:
    - {name: answer, from: receive, to: respond, within: 5 working days}
roles:
  agent: {title: Agent}
  manager: {title: Manager, senior: true}
channels:
  phone: {kind: phone, free: true}
steps:
  receive: {kind: receive, owner: agent, channels: [phone], next: assess}
  assess:
    kind: assess
    owner: agent
    takes: 1 working day
    next:
      - {to: respond, when: simple}
      - {to: investigate, when: otherwise}
  investigate: {kind: investigate, owner: manager, takes: 2 working days, next: respond}
  respond: {kind: respond, owner: manager, takes: 1 working day, next: close}
  close: {kind: close, owner: agent}
"""

# A role that owns nothing: one warning ('unused-role').
UNUSED_ROLE = SHOP.replace("  manager: {title: Manager, senior: true}\n",
                           "  manager: {title: Manager, senior: true}\n  auditor: {title: Auditor}\n")
# The investigation takes longer, and the commitment is broken: one error ('commitment-kept').
SLOW = SHOP.replace("takes: 2 working days", "takes: 4 working days")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    return tmp_path


def write(folder: Path, name: str, text: str) -> str:
    (folder / name).write_text(text, encoding="utf-8")
    return str(folder / name)


def diff_of(old: str, new: str, fail_on: Severity = Severity.ERROR):
    with as_of(date(2026, 6, 1)):
        results = run_check(CheckOptions(paths=[old, new], today=date(2026, 6, 1)))
        return diff_files(results[0], results[1], year=2026, fail_on=fail_on)


def changes(diff) -> dict[tuple[str, str], str]:
    return {(e.group, e.id): e.change for e in diff.elements}


# -- the bundled before-and-after ----------------------------------------------------------------

def test_housing_association_current_to_revised() -> None:
    d = diff_of(str(CURRENT), str(REVISED))
    assert d.old_state == d.new_state == "ok" and d.old_process == d.new_process == "brookvale-homes"
    process = {c.field: (c.before, c.after) for c in d.process}
    assert process["owner"] == ("complaints-officer", "director-of-customer-services")
    assert process["records.retention"] == (None, "6 years")
    found = changes(d)
    assert found[("step", "satisfaction-survey")] == "added"
    assert found[("step", "complaints-review")] == "added"
    assert found[("role", "stage2-reviewer")] == "added"
    assert found[("channel", "letter")] == "changed"
    steps = {e.id: e for e in d.of_group("step")}
    assert {(m.change, m.target) for m in steps["log-call"].transitions} == {
        ("added", "acknowledge"), ("removed", "assess")}
    owner = next(c for c in steps["investigate"].fields if c.field == "owner")
    assert (owner.before, owner.after) == ("service-manager", "complaints-officer")
    tells = next(c for c in steps["stage2-response"].fields if c.field == "tells")
    assert tells.added == ("external-referral",) and tells.removed == ()
    # Steps whose text is the same but whose comments changed are not reported.
    assert ("step", "put-right") not in found and ("step", "receive-written") not in found
    # Findings: every one of the 13 is fixed, none introduced.
    assert len(d.fixed) == 13 and d.introduced == () and d.unchanged == ()
    assert not d.fails
    # Timing: the same four commitments; phone complaints are now acknowledged, so the best
    # case of the acknowledgement promise is shorter, and its worst case is the same.
    timing = {p.name: p for p in d.promises}
    assert list(timing) == ["stage1-acknowledge", "stage1-response", "stage2-acknowledge",
                            "stage2-response"]
    ack = timing["stage1-acknowledge"]
    assert ack.change == "changed" and ack.worst_delta == 0
    assert ack.before.best == 3 and ack.after.best < 3 and ack.after.status == "kept"
    assert all(timing[name].change == "unchanged" for name in list(timing)[1:])


def test_housing_association_on_the_command_line_in_every_format() -> None:
    args = ("diff", CURRENT.relative_to(REPO), REVISED.relative_to(REPO), "--today", TODAY)
    text, as_json, markdown = run_many([args, (*args, "-f", "json"), (*args, "-f", "markdown")])
    assert text.returncode == as_json.returncode == markdown.returncode == 0, text.stderr
    out = text.stdout
    assert "Findings: 0 introduced, 13 fixed, 0 unchanged" in out
    assert "  owner: complaints-officer -> director-of-customer-services" in out
    assert "  + satisfaction-survey: satisfaction, owner contact-centre-advisor" in out
    assert "      next: + to acknowledge\n      next: - to assess" in out
    assert re.search(r"stage1-acknowledge\s+5 working days\s+3 working days\s+3 working days\s+=\s+kept",
                     out)
    assert "      best case: 3 working days -> 2 working days and 2 hours" in out
    assert out.endswith("1 spec compared: 0 findings introduced, 13 fixed; the change introduces "
                        "no finding at or above error.\n")
    data = json.loads(as_json.stdout)
    assert data["format"] == "plaint-diff" and data["version"] == 1
    assert data["summary"] == {"files": 1, "changed": 1, "introduced": 0, "fixed": 13, "failing": 0,
                               "unreadable": 0, "fails": False}
    file = data["files"][0]
    assert list(file["changes"]) == ["process", "steps", "roles", "channels", "commitments",
                                     "publications", "waivers"]
    assert {s["id"] for s in file["changes"]["steps"] if s["change"] == "added"} == {
        "satisfaction-survey", "complaints-review"}
    assert file["timing"][0]["before"]["worst"] == file["timing"][0]["after"]["worst"] == 3
    assert len(file["findings"]["fixed"]) == 13
    assert markdown.stdout.startswith("## plaint diff: passes\n")
    assert "| changed | step investigate | owner: service-manager → complaints-officer<br>" \
           "independent\\_of: + service-manager, frontline-officer |" in markdown.stdout


def test_output_is_deterministic_and_written_to_a_file(tmp_path: Path) -> None:
    runs = []
    for fmt in ("text", "json", "markdown"):
        args = ("diff", CURRENT, REVISED, "--today", TODAY, "-f", fmt)
        runs += [args, args]
    outputs = run_many(runs)
    for first, second in zip(outputs[::2], outputs[1::2], strict=True):
        assert first.stdout == second.stdout and first.stdout
    target = tmp_path / "diff.md"
    proc = run_plaint("diff", CURRENT, REVISED, "--today", TODAY, "-f", "markdown", "-o", target)
    assert proc.returncode == 0 and proc.stdout == ""
    assert target.read_text(encoding="utf-8") == outputs[4].stdout


# -- what counts as a change ---------------------------------------------------------------------

def test_reformatting_the_spec_changes_nothing(folder: Path) -> None:
    old = write(folder, "old.yaml", CURRENT.read_text(encoding="utf-8"))
    new = write(folder, "new.yaml", reformat(CURRENT.read_text(encoding="utf-8")))
    d = diff_of(old, new)
    assert d.process == () and d.elements == ()
    assert d.introduced == () and d.fixed == () and len(d.unchanged) == 0  # structural config
    assert all(p.change == "unchanged" for p in d.promises)
    assert not d.changed
    assert "Procedure: no change." in render_text(DiffReport((d,), Severity.ERROR, 2026))


def test_reordering_branches_is_no_change_but_guards_and_bounds_are(folder: Path) -> None:
    old = write(folder, "old.yaml", SHOP)
    swapped = SHOP.replace("      - {to: respond, when: simple}\n      - {to: investigate, when: otherwise}",
                           "      - {to: investigate, when: otherwise}\n      - {to: respond, when: simple}")
    assert swapped != SHOP
    assert diff_of(old, write(folder, "same.yaml", swapped)).elements == ()
    guarded = SHOP.replace("when: simple}", "when: the answer is obvious, max: 1}")
    d = diff_of(old, write(folder, "guarded.yaml", guarded))
    [assess] = d.elements
    [move] = assess.transitions
    assert (assess.id, move.change, move.target) == ("assess", "changed", "respond")
    assert (move.before.guard, move.after.guard) == ("simple", "the answer is obvious")
    assert (move.before.max, move.after.max) == (None, 1)


def test_a_change_that_breaks_a_promise_shows_the_timing_and_fails(folder: Path) -> None:
    d = diff_of(write(folder, "old.yaml", SHOP), write(folder, "new.yaml", SLOW))
    [answer] = d.promises
    assert (answer.before.worst, answer.after.worst, answer.worst_delta) == (4, 6, 2)
    assert (answer.before.status, answer.after.status) == ("kept", "broken")
    assert answer.after.margin == -1 and answer.after.path[-1] == "respond"
    assert [f.rule for f in d.introduced] == ["commitment-kept"] and d.fails
    text = render_text(DiffReport((d,), Severity.ERROR, 2026))
    assert re.search(r"answer\s+5 working days\s+4 working days\s+6 working days\s+"
                     r"\+2 working days\s+kept -> BROKEN", text)
    assert "margin: 1 working day -> -1 working day" in text
    assert text.endswith("the change introduces 1 finding at or above error.\n")


def test_exit_status_follows_fail_on(folder: Path) -> None:
    old, new = write(folder, "old.yaml", SHOP), write(folder, "new.yaml", UNUSED_ROLE)
    slow = write(folder, "slow.yaml", SLOW)
    default, warning, broken, reverse = run_many([
        ("diff", old, new), ("diff", old, new, "--fail-on", "warning"), ("diff", old, slow),
        ("diff", slow, old, "--fail-on", "info")])
    assert default.returncode == 0, default.stdout + default.stderr
    assert "1 introduced" in default.stdout and "[unused-role]" in default.stdout
    assert warning.returncode == 1
    assert broken.returncode == 1
    # Fixing a finding never fails, whatever the threshold.
    assert reverse.returncode == 0 and "0 introduced, 1 fixed" in reverse.stdout


def test_a_waived_new_finding_is_listed_but_does_not_fail(folder: Path) -> None:
    waived = UNUSED_ROLE + ("waivers:\n  - {rule: unused-role, at: auditor, reason: Audits from "
                            "next year, approved_by: Head of complaints, expires: 2099-12-31}\n")
    d = diff_of(write(folder, "old.yaml", SHOP), write(folder, "new.yaml", waived), Severity.INFO)
    assert [(f.rule, f.waived) for f in d.introduced] == [("unused-role", True)]
    assert not d.fails and exit_code(DiffReport((d,), Severity.INFO, 2026)) == 0
    assert changes(d)[("waiver", "unused-role at auditor")] == "added"
    assert "warning (waived)" in render_text(DiffReport((d,), Severity.INFO, 2026))


def test_an_unreadable_new_version_exits_2_and_an_unreadable_old_one_does_not(folder: Path) -> None:
    good, bad = write(folder, "good.yaml", SHOP), write(folder, "bad.yaml", "plaint: [1\n")
    broken_new, broken_old = run_many([("diff", good, bad), ("diff", bad, good)])
    assert broken_new.returncode == 2
    assert "The new version could not be read." in broken_new.stdout and "[yaml-syntax]" in broken_new.stdout
    assert broken_old.returncode == 0
    assert "The old version could not be read." in broken_old.stdout
    assert "Traceback" not in broken_new.stderr + broken_old.stderr


def test_usage_errors_exit_2(folder: Path) -> None:
    good = write(folder, "good.yaml", SHOP)
    one, folder_arg, missing = run_many([("diff", good), ("diff", folder, good),
                                         ("diff", good, folder / "nope.yaml")])
    assert one.returncode == folder_arg.returncode == missing.returncode == 2
    assert "plaint diff takes two files" in one.stderr
    assert "is a folder" in folder_arg.stderr
    assert "nope.yaml does not exist" in missing.stderr
    assert "Traceback" not in one.stderr + folder_arg.stderr + missing.stderr


# -- escaping ------------------------------------------------------------------------------------

HOSTILE = "A | B `code` <script>alert(1)</script> [link](https://evil.example) ![i](x) *em* _u_ " \
          "@someone ~~s~~ \\ \x1b[31m end"


def test_markdown_escapes_spec_text() -> None:
    out = md(HOSTILE)
    for raw in ("<script", "[link]", "`code`", "*em*", "_u_", "@someone", "~~s~~", "\x1b", " | ",
                "https://"):
        assert raw not in out
    assert not re.search(r"(?<!\\)\]\(", out)  # no link: every ']' before '(' is escaped
    assert "\\|" in out and "&lt;script&gt;" in out and "@\u200bsomeone" in out and "https\\://" in out
    assert "\\u001b" in out and "\\\\" in out


def test_hostile_titles_cannot_break_the_markdown_table_or_the_terminal(folder: Path) -> None:
    title = HOSTILE.replace('"', "")
    old = write(folder, "old.yaml", SHOP)
    new_text = SHOP.replace("  close: {kind: close, owner: agent}",
                            f"  close: {{kind: close, owner: agent, title: {json.dumps(title)}}}")
    new_text = new_text.replace("  agent: {title: Agent}", f"  agent: {{title: {json.dumps(title)}}}")
    new = write(folder, "new.yaml", new_text)
    d = diff_of(old, new)
    assert changes(d) == {("step", "close"): "changed", ("role", "agent"): "changed"}
    report = DiffReport((d,), Severity.ERROR, 2026)
    markdown = render_markdown(report, "1.0")
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    header = next(r for r in rows if r.startswith("| change |"))
    columns = len(re.split(r"(?<!\\)\|", header))
    assert all(len(re.split(r"(?<!\\)\|", row)) == columns for row in rows
               if "step close" in row or "role agent" in row)
    assert "<script" not in markdown and "@someone" not in markdown
    assert not re.search(r"(?<!\\)\]\(", markdown)
    assert not re.search(r"(?<!\\)[`\[\]]", markdown)
    text = render_text(report)
    assert "\x1b" not in text and "\\u001b[31m" in text


# -- --base GIT-REF ------------------------------------------------------------------------------

def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "specs").mkdir(parents=True)
    (root / "specs" / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    (root / "specs" / "shop.yaml").write_text(SHOP)
    (root / "specs" / "kept.yaml").write_text(SHOP.replace("id: shop", "id: kept"))
    (root / "specs" / "gone.yaml").write_text(SHOP.replace("id: shop", "id: gone"))
    (root / "specs" / "old-name.yaml").write_text(SHOP.replace("id: shop", "id: renamed"))
    (root / "README.md").write_text("not a spec\n")
    git(root, "init", "-q")
    git(root, "config", "user.email", "test@example.org")
    git(root, "config", "user.name", "Test")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    return root


def test_base_compares_every_changed_spec_with_its_version_at_the_ref(repo: Path) -> None:
    specs = repo / "specs"
    (specs / "shop.yaml").write_text(SLOW)
    (specs / "gone.yaml").unlink()
    git(repo, "mv", "specs/old-name.yaml", "specs/new-name.yaml")
    (specs / "added.yaml").write_text(UNUSED_ROLE.replace("id: shop", "id: added"))  # untracked
    (specs / "pack.yaml").write_text("plaint-pack: 1\nid: ours\n")  # not a spec: skipped
    (repo / "README.md").write_text("changed, but not a spec\n")
    proc = run_plaint("diff", "--base", "HEAD", "--today", TODAY, "-f", "json", cwd=repo)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["base"] == "HEAD"
    pairs = [(f["old"], f["new"]) for f in data["files"]]
    assert pairs == [
        (None, "specs/added.yaml"),
        ("HEAD:specs/gone.yaml", None),
        ("HEAD:specs/old-name.yaml", "specs/new-name.yaml"),
        ("HEAD:specs/shop.yaml", "specs/shop.yaml"),
    ]
    by_new = {f["new"] or f["old"]: f for f in data["files"]}
    assert by_new["specs/new-name.yaml"]["changes"]["steps"] == []  # a rename alone changes nothing
    assert by_new["specs/added.yaml"]["old_state"] == "absent"
    assert by_new["HEAD:specs/gone.yaml"]["new_state"] == "absent"
    shop = by_new["specs/shop.yaml"]
    assert [f["rule"] for f in shop["findings"]["introduced"]] == ["commitment-kept"]
    assert shop["findings"]["introduced"][0]["file"] == "specs/shop.yaml"
    assert shop["fails"] and not by_new["specs/added.yaml"]["fails"]  # a warning only
    # From a subfolder, with a path: the paths shown are relative to where plaint runs.
    sub = run_plaint("diff", "--base", "HEAD", "--today", TODAY, ".", cwd=specs)
    assert "== HEAD:specs/shop.yaml -> shop.yaml" in sub.stdout
    assert "README" not in sub.stdout and "pack.yaml" not in sub.stdout


def test_base_with_nothing_changed_and_git_errors(repo: Path, tmp_path: Path) -> None:
    same, bad_ref, dash, outside = run_many([
        ("diff", "--base", "HEAD"), ("diff", "--base", "no-such-branch"),
        ("diff", "--base", "--output=x"), ("diff", "--base", "HEAD", ".")], cwd=repo)
    assert same.returncode == 0 and "No process spec changed since HEAD." in same.stdout
    assert bad_ref.returncode == 2
    assert "--base no-such-branch: no such commit in this repository" in bad_ref.stderr
    assert dash.returncode == 2 and "not a git revision" in dash.stderr
    assert outside.returncode == 0
    not_a_repo = tmp_path / "plain-folder"
    not_a_repo.mkdir()
    proc = run_plaint("diff", "--base", "HEAD", cwd=not_a_repo)
    assert proc.returncode == 2 and "not a git repository" in proc.stderr
    assert "Traceback" not in proc.stderr + bad_ref.stderr
