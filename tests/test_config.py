"""Configuration: discovery, packs, severities, parameters, per-path overrides, plugins."""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path

import pytest
from test_cli import GOOD, UNREACHABLE, WARNING_ONLY, run

from plaint.core.config import Configurator
from plaint.core.pipeline import check_path
from plaint.policies import functions as function_registry

STRUCTURAL_ONLY = "plaint-config: 1\npacks: []\n"

ORG_PACK = """\
plaint-pack: 1
pack: {id: acme, title: ACME's own rules, version: "1.0"}
rules:
  - id: acme-no-orphans
    title: Every step is reachable (ACME wording)
    severity: warning
    clauses: [{source: ACME complaints policy, topic: Flow, ref: "2.1"}]
    checks: Every step can be reached.
    rationale: ACME's auditors asked for it.
    hint: Connect the step.
    examples: {non_compliant: "steps: {}", compliant: "steps: {}"}
    check: {function: unreachable-steps}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def rules_fired(proc) -> list[str]:
    return [f["rule"] for f in json.loads(proc.stdout)["files"][0]["findings"]]


def test_config_is_found_from_the_spec_folder_upwards(tmp_path: Path) -> None:
    write(tmp_path, ".plaint.yaml", STRUCTURAL_ONLY + "rules:\n  unused-role: off\n")
    spec = write(tmp_path, "team/processes/warning.yaml", WARNING_ONLY)
    proc = run("check", "-f", "json", "--fail-on", "info", str(spec))
    assert proc.returncode == 0
    assert rules_fired(proc) == []
    # Only the always-on packs: no iso10002, and no regulatory pack (the spec lists no regime).
    assert [p["id"] for p in json.loads(proc.stdout)["packs"]] == [
        "input", "structural", "timing", "waivers"]


def test_nearest_config_wins(tmp_path: Path) -> None:
    write(tmp_path, ".plaint.yaml", STRUCTURAL_ONLY + "rules:\n  unused-role: off\n")
    write(tmp_path, "strict/.plaint.yaml", STRUCTURAL_ONLY + "rules:\n  unused-role: error\n")
    lax = write(tmp_path, "lax/warning.yaml", WARNING_ONLY)
    strict = write(tmp_path, "strict/warning.yaml", WARNING_ONLY)
    assert run("check", str(lax)).returncode == 0
    proc = run("check", "-f", "json", str(strict))
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["files"][0]["findings"][0]["severity"] == "error"


def test_explicit_config_and_severity_change(tmp_path: Path) -> None:
    config = write(tmp_path, "ci.yaml", STRUCTURAL_ONLY + "rules:\n  unreachable-step: warning\n")
    spec = write(tmp_path, "specs/unreachable.yaml", UNREACHABLE)
    proc = run("check", "-f", "json", "--config", str(config), str(spec))
    assert proc.returncode == 0
    finding = json.loads(proc.stdout)["files"][0]["findings"][0]
    assert (finding["rule"], finding["severity"]) == ("unreachable-step", "warning")
    assert run("check", "--config", str(config), "--fail-on", "warning", str(spec)).returncode == 1


def test_per_path_overrides(tmp_path: Path) -> None:
    write(tmp_path, ".plaint.yaml", STRUCTURAL_ONLY + (
        "overrides:\n"
        "  - files: ['legacy/*.yaml']\n"
        "    rules: {unreachable-step: off}\n"))
    old = write(tmp_path, "legacy/old/unreachable.yaml", UNREACHABLE)
    new = write(tmp_path, "current/unreachable.yaml", UNREACHABLE)
    assert run("check", str(old)).returncode == 0
    assert run("check", str(new)).returncode == 1


def test_organisation_pack_adds_a_rule_without_python(tmp_path: Path) -> None:
    write(tmp_path, "packs/acme.yaml", ORG_PACK)
    write(tmp_path, ".plaint.yaml", "plaint-config: 1\npacks: [packs/acme.yaml]\n"
                                    "rules:\n  unreachable-step: off\n")
    spec = write(tmp_path, "unreachable.yaml", UNREACHABLE)
    proc = run("check", "-f", "json", "--fail-on", "warning", str(spec))
    assert proc.returncode == 1
    finding = json.loads(proc.stdout)["files"][0]["findings"][0]
    assert (finding["rule"], finding["pack"], finding["line"]) == ("acme-no-orphans", "acme", 12)
    assert finding["clauses"][0]["source"] == "ACME complaints policy"
    listing = run("rules", cwd=tmp_path).stdout
    assert f"Configuration: {tmp_path / '.plaint.yaml'}" in listing
    assert "acme-no-orphans" in listing
    assert "off*" in listing  # unreachable-step, switched off by the configuration
    assert "## What it checks" in run("explain", "acme-no-orphans", cwd=tmp_path).stdout


def test_rule_parameters_are_validated(tmp_path: Path) -> None:
    write(tmp_path, ".plaint.yaml", STRUCTURAL_ONLY + "rules:\n  unreachable-step: {params: {depth: 3}}\n")
    spec = write(tmp_path, "good.yaml", GOOD)
    proc = run("check", str(spec))
    assert proc.returncode == 2
    assert "parameters for 'unreachable-steps' are invalid" in proc.stdout


@pytest.mark.parametrize("config,expected", [
    ("plaint-config: 1\npacks: [structurel]\n", ".plaint.yaml:2:9: no built-in pack 'structurel'"),
    ("plaint-config: 1\npacks: []\nrules:\n  unreachable-stp: off\n",
     ".plaint.yaml:4:3: no rule 'unreachable-stp' in the packs in force. Did you mean 'unreachable-step'?"),
    ("plaint-config: 1\npacks: []\nrules:\n  unreachable-step: loud\n",
     ".plaint.yaml:4:21: invalid configuration"),
    ("plaint-config: 1\npacks: [missing.yaml]\n",
     ".plaint.yaml:2:9: pack file {folder}/missing.yaml does not exist"),
])
def test_bad_configuration_is_positioned_and_spares_other_files(tmp_path: Path, config: str,
                                                                expected: str) -> None:
    write(tmp_path, "broken/.plaint.yaml", config)
    write(tmp_path, ".plaint.yaml", STRUCTURAL_ONLY)
    bad = write(tmp_path, "broken/good.yaml", GOOD)
    fine = write(tmp_path, "fine/unreachable.yaml", UNREACHABLE)
    proc = run("check", "-f", "concise", str(bad), str(fine))
    assert proc.returncode == 2
    assert f"{bad}:1:1: error [config-invalid]" in proc.stdout
    folder = tmp_path / "broken"
    assert f"{folder}/" + expected.format(folder=folder) in proc.stdout
    assert f"{fine}:12:3: error [unreachable-step]" in proc.stdout


def test_explicit_broken_config_is_a_usage_error(tmp_path: Path) -> None:
    config = write(tmp_path, "ci.yaml", "plaint-config: 2\n")
    proc = run("check", "--config", str(config), str(write(tmp_path, "good.yaml", GOOD)))
    assert proc.returncode == 2
    assert f"{config}:1:16: invalid configuration" in proc.stderr


def test_plugin_function_through_an_entry_point(tmp_path: Path, monkeypatch) -> None:
    module = tmp_path / "acme_plaint_plugin.py"
    module.write_text(
        '"""Flags every respond step (a plugin for the test)."""\n'
        "from plaint.core.findings import Hit\n"
        "PARAMS = {'type': 'object', 'properties': {'word': {'type': 'string'}},"
        " 'additionalProperties': False}\n"
        "def check(process, graph, word='respond'):\n"
        "    for step in process.steps.values():\n"
        "        if step.kind == word:\n"
        "            yield Hit(f'step {step.id!r} is a {word} step', step.path, step.id, key=True)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = metadata.EntryPoint("acme-respond", "acme_plaint_plugin", "plaint.functions")
    real = metadata.entry_points

    def fake(**kwargs):
        return [entry] if kwargs.get("group") == "plaint.functions" else real(**kwargs)

    monkeypatch.setattr(metadata, "entry_points", fake)
    function_registry.all_functions.cache_clear()
    try:
        pack = ORG_PACK.replace("unreachable-steps}", "acme-respond, params: {word: respond}}")
        write(tmp_path, "plugin-pack.yaml", pack)
        write(tmp_path, ".plaint.yaml", "plaint-config: 1\npacks: [plugin-pack.yaml]\n")
        spec = write(tmp_path, "good.yaml", GOOD)
        setup = Configurator(function_registry.all_functions())
        result = check_path(spec, setup.rules_for(spec))
        assert [(f.rule, f.element) for f in result.findings] == [("acme-no-orphans", "respond")]
        assert result.findings[0].span.line == 10
    finally:
        function_registry.all_functions.cache_clear()
    assert "acme_plaint_plugin" in sys.modules
