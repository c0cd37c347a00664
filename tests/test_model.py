"""The typed model: immutability, the forms of next, durations, references."""

from __future__ import annotations

import dataclasses

import pytest

from plaint.core.durations import Duration, Unit, parse_duration
from plaint.core.model import build_model, check_references
from plaint.core.source import load_text
from plaint.core.validate import validate

SPEC = """\
plaint: 1
process:
  id: shop
  title: Shop complaints
  owner: manager
  commitments:
    - {name: ack, from: receive, to: acknowledge, within: 2 business days}
roles:
  agent: {title: Agent}
  manager: {title: Manager, senior: true}
channels:
  phone: {kind: phone, free: true, assistance: [text-relay]}
steps:
  receive: {kind: receive, owner: agent, channels: [phone], next: {parallel: [acknowledge, log]}}
  acknowledge: {kind: acknowledge, owner: agent, takes: 1 working day, next: decide}
  log: {kind: record, owner: agent, next: decide}
  decide:
    kind: respond
    owner: manager
    join: all
    takes: {max: 10 working days, min: 1 working day}
    next:
      - {to: decide, when: more information needed, max: 2}
      - {to: close, when: Otherwise}
  close: {kind: close, owner: agent, feeds: [analyse]}
  analyse: {kind: analyse, owner: manager, every: month}
waivers:
  - {rule: unused-role, at: manager, reason: "Being hired", approved_by: Board, expires: 2027-01-31}
"""


def model():
    data = load_text(SPEC, "s.yaml").data
    assert validate(data) == []
    return build_model(data)


def test_model_is_immutable() -> None:
    process = model()
    with pytest.raises(dataclasses.FrozenInstanceError):
        process.title = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        process.steps["new"] = process.steps["close"]  # type: ignore[index]


def test_forms_of_next() -> None:
    steps = model().steps
    parallel = steps["receive"].transitions
    assert steps["receive"].split == "parallel"
    assert [(t.target, t.form) for t in parallel] == [("acknowledge", "parallel"), ("log", "parallel")]
    assert parallel[1].path == ("steps", "receive", "next", "parallel", 1)
    single = steps["acknowledge"].transitions
    assert [(t.target, t.form, t.path) for t in single] == [
        ("decide", "next", ("steps", "acknowledge", "next"))]
    branches = steps["decide"].transitions
    assert steps["decide"].split == "choice" and steps["decide"].join_all
    assert [(t.target, t.guard, t.default, t.max) for t in branches] == [
        ("decide", "more information needed", False, 2), ("close", "Otherwise", True, None)]
    assert len({t.id for t in branches}) == 2


def test_step_fields() -> None:
    process = model()
    decide = process.steps["decide"]
    assert decide.takes.max == Duration(10, Unit.WORKING_DAYS)
    assert decide.takes.min == Duration(1, Unit.WORKING_DAYS)
    assert decide.title == "Decide"
    assert process.steps["close"].terminal and process.steps["analyse"].improvement
    assert process.steps["receive"].entry
    assert process.commitments[0].within == Duration(2, Unit.WORKING_DAYS)
    assert process.waivers[0].expires == "2027-01-31"  # dates stay text
    assert process.channels["phone"].assistance == ("text-relay",)


@pytest.mark.parametrize("text,amount,unit", [
    ("3 working days", 3, Unit.WORKING_DAYS), ("1 business day", 1, Unit.WORKING_DAYS),
    ("8 weeks", 8, Unit.WEEKS), ("24 hours", 24, Unit.HOURS), ("30 days", 30, Unit.CALENDAR_DAYS),
    ("6 months", 6, Unit.MONTHS), ("3 years", 3, Unit.YEARS), ("2.5 calendar days", 2.5, Unit.CALENDAR_DAYS),
])
def test_durations(text: str, amount: float, unit: Unit) -> None:
    assert parse_duration(text) == Duration(amount, unit)


def test_duration_text_round_trips() -> None:
    assert str(parse_duration("1 working day")) == "1 working day"
    assert str(parse_duration("8  weeks")) == "8 weeks"
    with pytest.raises(ValueError):
        parse_duration("3 fortnights")


def test_references_all_resolve_in_a_good_spec() -> None:
    assert check_references(model()) == []


def test_unknown_names_everywhere_are_found() -> None:
    text = (SPEC.replace("owner: manager\n  commitments", "owner: boss\n  commitments")
            .replace("channels: [phone]", "channels: [fone]")
            .replace("feeds: [analyse]", "feeds: [analyze]")
            .replace("to: acknowledge, within", "to: acknowledgment, within")
            .replace("at: manager", "at: managr"))
    data = load_text(text, "s.yaml").data
    hits = check_references(build_model(data))
    messages = [h.message for h in hits]
    assert any("the process owner names role 'boss'" in m for m in messages)
    assert any("channel 'fone'" in m and "Did you mean 'phone'?" in m for m in messages)
    assert any("step 'analyze'" in m and "Did you mean 'analyse'?" in m for m in messages)
    assert any("'acknowledgment'" in m and "Did you mean 'acknowledge'?" in m for m in messages)
    assert any("'managr'" in m and "Did you mean 'manager'?" in m for m in messages)
    assert len(hits) == 5
