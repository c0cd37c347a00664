"""The pre-commit hook manifest, the GitHub Action and the CI examples.

The action's shell steps are run here as GitHub runs them (bash with -e and
pipefail, the step's environment, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files),
with a small evaluator for its expressions; the steps that use other actions are
recorded with their resolved inputs instead of run, and plaint is the one
installed here instead of a fresh pip install.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINIMAL_SPEC, PLAINT, REPO, STRUCTURAL_ONLY_CONFIG, run_plaint

from plaint.cli.init import template_text

HOOKS = REPO / ".pre-commit-hooks.yaml"
ACTION = REPO / "action.yml"
WORKFLOW = REPO / "docs" / "examples" / "github-workflow.yml"
GITLAB = REPO / "docs" / "examples" / "gitlab-ci.yml"
GUIDE = REPO / "docs" / "integrations.md"

# The keys pre-commit accepts in a manifest hook (pre_commit/clientlib.py, MANIFEST_HOOK_DICT).
MANIFEST_REQUIRED = {"id", "name", "entry", "language"}
MANIFEST_OPTIONAL = {
    "alias", "files", "exclude", "types", "types_or", "exclude_types", "additional_dependencies",
    "args", "always_run", "fail_fast", "pass_filenames", "description", "language_version",
    "log_file", "minimum_pre_commit_version", "require_serial", "stages", "verbose",
}

UNREACHABLE = MINIMAL_SPEC + "  orphan:\n    kind: task\n    owner: agent\n    next: close\n"


def _check_formats() -> set[str]:
    """The formats `plaint check --help` offers."""
    proc = run_plaint("check", "--help")
    match = re.search(r"--format \[([^\]]+)\]", proc.stdout)
    assert match, proc.stdout
    return set(match.group(1).split("|"))


# ---------------------------------------------------------------------------- pre-commit


def _hooks() -> list[dict[str, Any]]:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and hooks
    return hooks


def test_pre_commit_manifest_has_the_required_keys_and_no_unknown_ones() -> None:
    for hook in _hooks():
        assert MANIFEST_REQUIRED <= set(hook), hook
        assert set(hook) <= MANIFEST_REQUIRED | MANIFEST_OPTIONAL, set(hook) - MANIFEST_REQUIRED
        assert all(isinstance(hook[key], str) and hook[key] for key in MANIFEST_REQUIRED)
        for key in ("files", "exclude"):
            if key in hook:
                re.compile(hook[key])
    hook = next(h for h in _hooks() if h["id"] == "plaint")
    assert hook["entry"] == "plaint check"
    assert hook["language"] == "python"
    # pre-commit passes the changed files (the default): plaint checks each one it is given.
    assert hook.get("pass_filenames", True) is True


def _selected(hook: dict[str, Any], path: str) -> bool:
    """Whether pre-commit would pass ``path`` to the hook (its files and exclude patterns)."""
    files, exclude = hook.get("files", ""), hook.get("exclude", "^$")
    return bool(re.search(files, path)) and not re.search(exclude, path) and path.endswith((".yaml", ".yml"))


@pytest.mark.parametrize(("path", "expected"), [
    ("complaints.yaml", True),
    ("procedures/complaints/stage1.yml", True),
    ("docs/Customer-Complaints.yaml", True),
    (".plaint.yaml", False),
    ("complaints/.plaint.yaml", False),
    (".github/workflows/complaints.yml", False),
    ("docker-compose.yml", False),
    ("mkdocs.yaml", False),
])
def test_pre_commit_hook_selects_specs_by_default(path: str, expected: bool) -> None:
    hook = next(h for h in _hooks() if h["id"] == "plaint")
    assert _selected(hook, path) is expected


def _run_entry(hook: dict[str, Any], *files: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the hook's entry as pre-commit does: entry, then args, then the file names."""
    command = shlex.split(hook["entry"]) + list(hook.get("args", [])) + [str(f) for f in files]
    assert command[0] == "plaint"
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([str(PLAINT), *command[1:]], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_pre_commit_entry_passes_a_good_spec_and_fails_a_broken_one(tmp_path: Path) -> None:
    hook = next(h for h in _hooks() if h["id"] == "plaint")
    (tmp_path / "complaints").mkdir()
    good = tmp_path / "complaints" / "good.yaml"
    good.write_text(template_text("small-business"))
    bad = tmp_path / "complaints" / "bad.yaml"
    bad.write_text(UNREACHABLE)
    passed = _run_entry(hook, good.relative_to(tmp_path), cwd=tmp_path)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    failed = _run_entry(hook, good.relative_to(tmp_path), bad.relative_to(tmp_path), cwd=tmp_path)
    assert failed.returncode == 1
    assert "complaints/bad.yaml" in failed.stdout and "[unreachable-step]" in failed.stdout
    broken = tmp_path / "complaints" / "typo.yaml"
    broken.write_text("plaint: 1\nsteps: [a, b\n")
    assert _run_entry(hook, broken.relative_to(tmp_path), cwd=tmp_path).returncode == 2


# ----------------------------------------------------------------------------- the action

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
TOKEN = re.compile(r"\s*(&&|\|\||==|!=|!|\(|\)|'[^']*'|[A-Za-z_][\w.-]*(?:\(\))?)")


def _action() -> dict[str, Any]:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def _texts(node: Any) -> list[str]:
    """Every string in a YAML tree."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for key, value in node.items() for t in (*_texts(key), *_texts(value))]
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    return []


def test_action_is_composite_and_declares_every_input_it_uses() -> None:
    action = _action()
    assert action["name"] and action["description"]
    assert action["runs"]["using"] == "composite"
    declared = set(action["inputs"])
    used = {m for text in _texts(action["runs"]) for m in re.findall(r"inputs\.([\w-]+)", text)}
    assert used, "the action reads no inputs"
    assert used <= declared, used - declared
    # Every input is used, and documented.
    assert declared <= used, declared - used
    for name, spec in action["inputs"].items():
        assert spec.get("description"), name
        assert "default" in spec, name
    step_ids = {step.get("id") for step in action["runs"]["steps"]}
    for name, spec in action["outputs"].items():
        (step,) = re.findall(r"steps\.([\w-]+)\.outputs", spec["value"])
        assert step in step_ids, name


def test_action_steps_have_a_shell_and_never_paste_expressions_into_scripts() -> None:
    for step in _action()["runs"]["steps"]:
        assert ("run" in step) != ("uses" in step), step
        if "run" in step:
            assert step.get("shell") == "bash", step.get("name")
            # Inputs reach scripts through env only: a value cannot become a command.
            assert "${{" not in step["run"], step.get("name")
        else:
            assert re.fullmatch(r"[\w-]+/[\w./-]+@v\d+", step["uses"]), step["uses"]
    uses = {step["uses"].split("@")[0] for step in _action()["runs"]["steps"] if "uses" in step}
    assert uses == {"actions/setup-python", "github/codeql-action/upload-sarif"}


def test_action_installs_the_plaint_of_its_own_ref_by_default() -> None:
    install = next(step for step in _action()["runs"]["steps"] if step.get("id") == "install")
    assert '"${PLAINT_PACKAGE:-$GITHUB_ACTION_PATH}"' in install["run"]
    assert install["env"]["PLAINT_PACKAGE"] == "${{ inputs.package }}"
    assert _action()["inputs"]["package"]["default"] == ""


@dataclass
class Job:
    """What a simulated run of the action did."""

    steps: list[dict[str, Any]] = field(default_factory=list)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    used: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    summary: str = ""
    failed: bool = False
    exit_code: int = 0

    def log(self, step_id: str) -> str:
        return next(s["stdout"] for s in self.steps if s.get("id") == step_id)


def _value(name: str, context: dict[str, Any]) -> Any:
    node: Any = context
    for part in name.split("."):
        node = node.get(part, "") if isinstance(node, dict) else ""
    return node


def _evaluate(expr: str, context: dict[str, Any], failed: bool) -> Any:
    """The expressions the action uses: contexts, string literals, ==, !=, !, &&, ||, status functions."""
    out: list[str] = []
    values: list[Any] = []
    pos = 0
    while pos < len(expr):
        match = TOKEN.match(expr, pos)
        assert match, f"cannot read {expr!r} at {pos}"
        token, pos = match.group(1), match.end()
        python = {"&&": " and ", "||": " or ", "!": " not ", "==": "==", "!=": "!=", "(": "(",
                  ")": ")"}.get(token)
        if python is None:
            if token in ("always()", "success()", "failure()"):
                value: Any = {"always()": True, "success()": not failed, "failure()": failed}[token]
            elif token.startswith("'"):
                value = token[1:-1]
            else:
                value = _value(token, context)
            values.append(value)
            python = f" _v[{len(values) - 1}] "
        out.append(python)
    # Every token was matched above, and values are passed by reference, not pasted in.
    return eval("".join(out), {"__builtins__": {}}, {"_v": values})


def _resolve(value: Any, context: dict[str, Any]) -> str:
    """A `with` or `env` value as the step sees it: text, with its expressions filled in."""
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return EXPRESSION.sub(lambda m: str(_evaluate(m.group(1), context, False)), text)


def _run_action(workspace: Path, tmp_path: Path, **inputs: str) -> Job:
    """Run the action's steps as GitHub would, in ``workspace``."""
    action = _action()
    unknown = set(inputs) - set(action["inputs"])
    assert not unknown, unknown
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    values.update(inputs)
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    summary = tmp_path / "step-summary.md"
    summary.write_text("")
    job = Job()
    context: dict[str, Any] = {"inputs": values, "steps": {}, "runner": {"temp": str(runner_temp)}}
    for number, step in enumerate(action["runs"]["steps"]):
        condition = str(step.get("if", "success()"))
        if not re.search(r"\b(always|success|failure|cancelled)\(\)", condition):
            condition = f"success() && ({condition})"
        if not _evaluate(EXPRESSION.sub(r"\1", condition), context, job.failed):
            continue
        step_id = step.get("id", f"step{number}")
        record: dict[str, Any] = {"id": step_id, "name": step.get("name"), "stdout": ""}
        outputs: dict[str, str] = {}
        if step_id == "install":
            # Stands in for a pip install of the action's own folder: the plaint installed here.
            outputs = {"plaint": str(PLAINT), "python": sys.executable}
        elif "uses" in step:
            resolved = {key: _resolve(value, context) for key, value in step.get("with", {}).items()}
            job.used.append((step["uses"], resolved))
            if step["uses"].startswith("actions/setup-python@"):
                outputs = {"python-path": sys.executable}
        else:
            output_file = tmp_path / f"output-{number}"
            output_file.write_text("")
            script = tmp_path / f"step-{number}.sh"
            script.write_text(step["run"])
            step_env = {key: _resolve(value, context) for key, value in step.get("env", {}).items()}
            env = {**os.environ, **step_env,
                   "GITHUB_OUTPUT": str(output_file), "GITHUB_STEP_SUMMARY": str(summary),
                   "RUNNER_TEMP": str(runner_temp), "GITHUB_ACTION_PATH": str(REPO),
                   "GITHUB_WORKSPACE": str(workspace)}
            proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                                  cwd=workspace, env=env, capture_output=True, text=True, timeout=120,
                                  check=False)
            assert "Traceback" not in proc.stdout + proc.stderr
            record["stdout"], record["returncode"] = proc.stdout, proc.returncode
            for line in output_file.read_text().splitlines():
                key, _, value = line.partition("=")
                outputs[key] = value
            if proc.returncode != 0:
                job.failed, job.exit_code = True, proc.returncode
        context["steps"][step_id] = {"outputs": outputs}
        job.outputs[step_id] = outputs
        job.steps.append(record)
    job.summary = summary.read_text()
    return job


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A repository with a clean spec in procedures/."""
    root = tmp_path / "repo"
    (root / "procedures").mkdir(parents=True)
    (root / "procedures" / "complaints.yaml").write_text(template_text("small-business"))
    return root


def test_action_on_a_clean_spec_passes_and_reports(workspace: Path, tmp_path: Path) -> None:
    job = _run_action(workspace, tmp_path, paths="procedures/")
    assert not job.failed, job.steps
    assert job.outputs["check"]["exit-code"] == "0"
    assert "1 file checked (1 clean)" in job.log("check")
    assert "::error" not in job.log("check")
    # The Markdown summary is on the run's page, and the SARIF went to code scanning.
    assert job.summary and job.summary == Path(job.outputs["check"]["markdown-file"]).read_text()
    ((_, with_),) = [u for u in job.used if "upload-sarif" in u[0]]
    assert with_["category"] == "plaint"
    assert json.loads(Path(with_["sarif_file"]).read_text())["version"] == "2.1.0"
    # The setup-python step got the version asked for, and leaves the job's own Python alone.
    ((_, python),) = [u for u in job.used if "setup-python" in u[0]]
    assert python == {"python-version": "3.12", "update-environment": "false"}


def test_action_fails_the_job_after_writing_every_report(workspace: Path, tmp_path: Path) -> None:
    (workspace / "procedures" / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    (workspace / "procedures" / "broken.yaml").write_text(UNREACHABLE)
    job = _run_action(workspace, tmp_path, paths="procedures/")
    assert job.failed and job.exit_code == 1
    # The check step itself succeeded: the reports went out before the last step failed.
    assert [s["id"] for s in job.steps if s.get("returncode")] == [job.steps[-1]["id"]]
    assert "::error file=procedures/broken.yaml" in job.log("check")
    assert "plaint findings in full" in job.log("check")
    assert "::error title=plaint::findings" in job.steps[-1]["stdout"]
    assert "unreachable-step" in job.summary
    assert any("upload-sarif" in uses for uses, _ in job.used)


def test_action_uploads_no_waived_findings_to_code_scanning(workspace: Path, tmp_path: Path) -> None:
    # The phone line costs callers something, and a waiver accepts that.
    spec = template_text("small-business").replace(
        "    free: true\n    hours: \"REPLACE: Mon-Fri 09:00-17:00\"\n  email:",
        "    free: false\n    hours: \"REPLACE: Mon-Fri 09:00-17:00\"\n  email:")
    assert "free: false" in spec
    spec += ("waivers:\n  - {rule: channels-free-of-charge, at: phone, reason: Geographic number,"
             " approved_by: Owner, expires: 2099-12-31}\n")
    (workspace / "procedures" / "complaints.yaml").write_text(spec)
    job = _run_action(workspace, tmp_path, paths="procedures/")
    assert not job.failed, job.steps
    full = json.loads(Path(job.outputs["check"]["sarif-file"]).read_text())
    assert [r["ruleId"] for r in full["runs"][0]["results"]] == ["channels-free-of-charge"]
    (upload,) = [with_ for uses, with_ in job.used if "upload-sarif" in uses]
    assert json.loads(Path(upload["sarif_file"]).read_text())["runs"][0]["results"] == []


def test_action_inputs_switch_its_parts_off(workspace: Path, tmp_path: Path) -> None:
    job = _run_action(workspace, tmp_path, paths="procedures/", sarif="false", summary="false",
                      annotations="false", **{"python-version": ""})
    assert not job.failed
    assert job.used == []          # neither setup-python nor the upload
    assert job.summary == ""
    log = job.log("check")
    assert "1 file checked (1 clean)" in log and "::" not in log


def test_action_passes_paths_config_fail_on_and_args(workspace: Path, tmp_path: Path) -> None:
    (workspace / "more").mkdir()
    (workspace / "more" / "warned.yaml").write_text(
        MINIMAL_SPEC.replace("roles:\n", "roles:\n  auditor:\n    title: Auditor\n"))
    config = workspace / "structural.yaml"
    config.write_text(STRUCTURAL_ONLY_CONFIG)
    common = {"paths": "procedures/complaints.yaml\nmore/warned.yaml", "config": "structural.yaml"}
    job = _run_action(workspace, tmp_path, **common)
    assert not job.failed, job.log("check")
    assert "2 files checked" in job.log("check")
    job = _run_action(workspace, tmp_path, **common, **{"fail-on": "warning"}, args="--today 2027-01-04")
    assert job.failed and job.exit_code == 1
    assert "unused-role" in job.log("check")


def test_action_exits_2_when_a_spec_cannot_be_read(workspace: Path, tmp_path: Path) -> None:
    job = _run_action(workspace, tmp_path, paths="procedures/ missing.yaml")
    assert job.failed and job.exit_code == 2
    # The other spec is still reported on; the last step is the one that fails.
    assert job.outputs["check"]["markdown-file"]
    assert job.steps[-1]["name"] == "Fail on findings"
    assert "could not be read" in job.steps[-1]["stdout"]
    bad = _run_action(workspace, tmp_path, paths="procedures/", args="--no-such-option")
    assert bad.failed and bad.exit_code == 2
    # A usage error writes nothing, so there is nothing to summarise or upload.
    assert bad.summary == "" and not any("upload-sarif" in uses for uses, _ in bad.used)


def test_action_baseline_hides_known_findings(workspace: Path, tmp_path: Path) -> None:
    (workspace / "procedures" / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    (workspace / "procedures" / "broken.yaml").write_text(UNREACHABLE)
    made = run_plaint("check", "procedures/", "--baseline", "baseline.json", "--update-baseline",
                      cwd=workspace)
    assert made.returncode == 0, made.stderr
    job = _run_action(workspace, tmp_path, paths="procedures/", baseline="baseline.json")
    assert not job.failed, job.log("check")


# ------------------------------------------------------------------------- the examples


def test_github_workflow_example_uses_the_action_as_declared() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    triggers = workflow.get("on", workflow.get(True))
    assert "pull_request" in triggers and triggers["pull_request"]["paths"]
    assert workflow["permissions"] == {"contents": "read", "security-events": "write"}
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    (plaint,) = [s for s in steps if str(s.get("uses", "")).startswith("plaint-dev/plaint@")]
    assert set(plaint["with"]) <= set(_action()["inputs"])
    outputs = {m for text in _texts(steps) for m in re.findall(r"steps\.plaint\.outputs\.([\w-]+)", text)}
    assert outputs and outputs <= set(_action()["outputs"])


def _gitlab_command() -> list[str]:
    job = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["plaint"]
    (line,) = [line for line in job["script"] if line.startswith("plaint ")]
    return shlex.split(line)


def test_gitlab_example_writes_the_reports_it_declares(tmp_path: Path) -> None:
    job = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["plaint"]
    command = _gitlab_command()
    formats = [command[i + 1] for i, arg in enumerate(command) if arg == "--format"]
    assert set(formats) <= _check_formats()
    assert {"gitlab", "junit"} <= set(formats)
    outputs = {command[i - 1]: command[i + 1] for i, arg in enumerate(command) if arg == "--output"}
    reports = job["artifacts"]["reports"]
    assert job["artifacts"]["when"] == "always"
    assert reports == {"codequality": outputs["gitlab"], "junit": outputs["junit"]}
    # The command runs as written, in a repository with a broken spec in procedures/.
    (tmp_path / "procedures").mkdir()
    (tmp_path / "procedures" / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    (tmp_path / "procedures" / "broken.yaml").write_text(UNREACHABLE)
    proc = run_plaint(*command[1:], cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    quality = json.loads((tmp_path / reports["codequality"]).read_text())
    assert [issue["check_name"] for issue in quality] == ["unreachable-step"]
    assert "<testsuite" in (tmp_path / reports["junit"]).read_text()


# ---------------------------------------------------------------------------- the guide


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)


def test_guide_yaml_parses_and_names_real_hooks_and_inputs() -> None:
    blocks = [yaml.safe_load(block) for block in _yaml_blocks()]
    assert len(blocks) >= 4
    hook_ids = {hook["id"] for hook in _hooks()}
    inputs = set(_action()["inputs"])
    seen_hook = seen_action = False
    for block in blocks:
        for repo in (block or {}).get("repos", []) if isinstance(block, dict) else []:
            for hook in repo["hooks"]:
                if repo["repo"] != "local":
                    assert hook["id"] in hook_ids
                    seen_hook = True
        for step in _steps(block):
            if str(step.get("uses", "")).startswith("plaint-dev/plaint@"):
                assert set(step.get("with", {})) <= inputs
                seen_action = True
    assert seen_hook and seen_action


def _steps(block: Any) -> list[dict[str, Any]]:
    if isinstance(block, dict):
        found = [block] if "uses" in block else []
        return found + [s for value in block.values() for s in _steps(value)]
    if isinstance(block, list):
        return [s for item in block for s in _steps(item)]
    return []


def test_guide_documents_every_action_input() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    for name in _action()["inputs"]:
        assert f"`{name}`" in guide, name
    for example in ("examples/github-workflow.yml", "examples/gitlab-ci.yml", ".pre-commit-hooks.yaml"):
        assert example in guide


# ------------------------------------------------- the tools' own validators, when installed


@pytest.mark.parametrize(("path", "schema"), [
    (ACTION, "github-actions"), (WORKFLOW, "github-workflows"), (GITLAB, "gitlab-ci"),
])
def test_files_match_the_schemastore_schemas(path: Path, schema: str) -> None:
    """The SchemaStore schemas that check-jsonschema ships (a test dependency)."""
    proc = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", f"vendor.{schema}",
                           str(path)], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pre_commit_accepts_the_manifest() -> None:
    """pre-commit's own manifest loader (a test dependency)."""
    from pre_commit import clientlib
    hooks = clientlib.load_manifest(str(HOOKS))
    assert [hook["id"] for hook in hooks] == [hook["id"] for hook in _hooks()]
