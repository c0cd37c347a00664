"""Schema and reference messages, compared with golden text a process owner has read.

Each spec in tests/fixtures/schema/ breaks the format in one way. The output of
``plaint check --format concise --color never`` for it is kept in
tests/golden/schema/<name>.txt. After a deliberate change to a message, run

    PLAINT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_schema_messages.py

and read every changed golden before keeping it.
"""

from __future__ import annotations

import copy
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, GOLDEN, MINIMAL_SPEC, STRUCTURAL_ONLY_CONFIG, run_many

from plaint.core.source import load_text
from plaint.core.validate import validate

SCHEMA_FIXTURES = FIXTURES / "schema"
SCHEMA_GOLDEN = GOLDEN / "schema"
NAMES = sorted(p.stem for p in SCHEMA_FIXTURES.glob("*.yaml"))
UPDATE = os.environ.get("PLAINT_UPDATE_GOLDEN") == "1"

# What each golden must say, besides matching: the rule, where (line:column, worked out
# from the fixture by hand; the header comment is line 1), and the words that matter.
EXPECTED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # "chanels:" at the start of line 13.
    "unknown-key": ("schema", "13:1", ("unknown key 'chanels'", "Did you mean 'channels'?")),
    # "    onwer: manager": the key.
    "unknown-step-key": ("schema", "25:5", ("unknown key 'onwer' in step 'review'", "Did you mean 'owner'?")),
    # The key of the step that lacks something: "  receive:" / "  refer:".
    "missing-channels": ("schema", "18:3", ("'channels' is missing", "a receive step needs it")),
    "missing-to-body": ("schema", "36:3", ("'to_body' is missing", "a refer step needs it")),
    # "    kind: investigation": the value.
    "enum-kind": ("schema", "24:11", ("'investigation' is not one of the allowed values",
                                      "Did you mean 'investigate'?")),
    # "  title: [a]" and "        max: two": the values.
    "type-title": ("schema", "5:10", ("process.title: expected text, found a list",)),
    "type-max": ("schema", "30:14", ("next #1, max: expected a whole number, found text 'two'",)),
    # "    senior: yes": the value.
    "yes-boolean": ("schema", "12:13", ("expected true or false, found text 'yes'",)),
    # "  Review_Stage:" (the key) and "    next: Review_Stage" (a value naming it).
    "id-pattern": ("schema", "23:3", ("step id 'Review_Stage' is not valid", "'review-stage'")),
    # "    takes: 3 days working": the value.
    "bad-duration": ("schema", "26:12", ("'3 days working' is not a duration",
                                         "a number and a unit, such as '3 working days'")),
    # "plaint: 2": the value.
    "const": ("schema", "2:9", ("format version 2 is not known", "format version 1")),
    # "    weekdays: []": the value.
    "min-items": ("schema", "8:15", ("process.calendar.weekdays: must not be empty",)),
    # "    channels: [web, web]": the second 'web'.
    "unique-items": ("schema", "21:21", ("'web' is listed more than once",)),
    # "        max: 0": the value.
    "minimum": ("schema", "30:14", ("0 is too small; the smallest allowed is 1",)),
    # "    next: {to: review}": the value; one message, naming the three forms.
    "next-form": ("schema", "22:11", ("{to: ...} is not a form of next", "a step id",
                                      "a list of branches", "{parallel: [step-a, step-b]}")),
    # "    next: reveiw", "    owner: manger", "    channels: [webb]": the names.
    "reference-step": ("reference", "22:11", ("names step 'reveiw', which is not defined",
                                              "Did you mean 'review'?")),
    "reference-role": ("reference", "25:12", ("names role 'manger', which is not defined",
                                              "Did you mean 'manager'?")),
    "reference-channel": ("reference", "21:16", ("names channel 'webb', which is not defined",
                                                 "Did you mean 'web'?")),
}


def _relative(name: str) -> str:
    return f"tests/fixtures/schema/{name}.yaml"


@pytest.fixture(scope="module")
def runs() -> dict[str, subprocess.CompletedProcess[str]]:
    done = run_many(("check", _relative(n), "--format", "concise", "--color", "never") for n in NAMES)
    return dict(zip(NAMES, done, strict=True))


def test_every_fixture_is_described() -> None:
    assert NAMES == sorted(EXPECTED)


def test_no_stale_goldens() -> None:
    stale = [p for p in SCHEMA_GOLDEN.glob("*.txt") if p.stem not in NAMES]
    if UPDATE:
        for path in stale:
            path.unlink()
        return
    assert not stale
    assert sorted(p.stem for p in SCHEMA_GOLDEN.glob("*.txt")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_golden(runs: dict, name: str) -> None:
    result = runs[name]
    golden = SCHEMA_GOLDEN / f"{name}.txt"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
    assert golden.exists(), f"no golden for {name}: run with PLAINT_UPDATE_GOLDEN=1"
    assert result.stdout == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_exit_code_and_content(runs: dict, name: str) -> None:
    result = runs[name]
    rule, where, words = EXPECTED[name]
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr == "" and "Traceback" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines and all(f": error [{rule}] " in line for line in lines)
    located = [line for line in lines if line.startswith(f"{_relative(name)}:{where}: ")]
    assert located, f"nothing at {where}:\n{result.stdout}"
    for word in words:
        assert word in result.stdout


def test_minimal_spec_is_clean(tmp_path: Path) -> None:
    spec = tmp_path / "minimal.yaml"
    spec.write_text(MINIMAL_SPEC)
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)  # about the format, not ISO
    (result,) = run_many([("check", spec)])
    assert result.returncode == 0, result.stdout


def test_fixtures_differ_from_a_valid_spec_in_one_place() -> None:
    # Each fixture is the same small process with one mistake; undoing it must validate,
    # which keeps the goldens about the mistake and nothing else.
    base = yaml.safe_load((SCHEMA_FIXTURES / "enum-kind.yaml").read_text())
    base["steps"]["review"]["kind"] = "review"
    assert validate(base) == []


# --- messages for shapes the fixtures do not cover ---------------------------------------

BASE = yaml.safe_load((SCHEMA_FIXTURES / "enum-kind.yaml").read_text().replace("investigation", "review"))


def _messages(change) -> list[str]:
    data = copy.deepcopy(BASE)
    change(data)
    return [hit.message for hit in validate(data)]


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["steps"]["review"].__setitem__("takes", 3),
     "step 'review', takes: 3 is not a duration: write a number and a unit, such as '3 working days'."),
    (lambda d: d["steps"]["review"].__setitem__("takes", {"max": "three days"}),
     "step 'review', takes.max: 'three days' is not a duration"),
    (lambda d: d["steps"]["review"].__setitem__("takes", {"maximum": "3 days"}),
     "unknown key 'maximum' in step 'review', takes. Did you mean 'max'?"),
    (lambda d: d["steps"]["review"].__setitem__("every", "mnth"),
     "step 'review', every: 'mnth' is not a frequency: write day, week, month, quarter or year, "
     "or a duration such as '2 weeks'. Did you mean 'month'?"),
    (lambda d: d["process"].__setitem__("calendar", {"closures": ["25 Dec"]}),
     "process.calendar.closures #1: '25 Dec' is not a date: write it as YYYY-MM-DD"),
    (lambda d: d["steps"]["receive"].__setitem__("next", 3),
     "step 'receive', next: 3 is not a form of next"),
    (lambda d: d["steps"]["receive"].__setitem__("next", []),
     "step 'receive', next: [] is not a form of next"),
    (lambda d: d["steps"]["receive"].__setitem__("next", {"parallel": ["review"]}),
     "step 'receive', next.parallel: needs at least 2 items, found 1."),
    (lambda d: d["process"].__setitem__("version", 4.2),
     "process.version: expected text, found a number 4.2 (put it in quotes if it is text: '4.2')."),
    (lambda d: d["roles"]["manager"].__setitem__("senior", "off"),
     "(write true or false: plaint reads yes, no, on and off as text)"),
    (lambda d: d["roles"].__setitem__("SeniorManager", {"title": "x"}),
     "role id 'SeniorManager' is not valid: ids are lowercase words joined by hyphens, "
     "such as 'senior-manager'."),
    (lambda d: d.pop("roles"), "'roles' is missing at the top level."),
    # null is said once ("found nothing (null) null" said it twice)
    (lambda d: d.__setitem__("process", None),
     "process: expected a mapping (key: value pairs), found nothing (null)."),
])
def test_more_messages(change, expected: str) -> None:
    messages = _messages(change)
    assert any(expected in m for m in messages), messages


def test_one_message_per_wrong_next() -> None:
    assert len(_messages(lambda d: d["steps"]["receive"].__setitem__("next", {"to": "x", "when": "y"}))) == 1


def test_missing_key_points_at_the_element_key() -> None:
    text = (SCHEMA_FIXTURES / "missing-channels.yaml").read_text()
    doc = load_text(text)
    (hit,) = validate(doc.data)
    assert hit.key and doc.locate(hit.path, key=hit.key).line == 18
