"""The generic functions added for the regulatory packs: stage-count, retention-at-least
and tells-present.

Each is tested on small hand-made processes, with parameters other than the
ones the regulatory packs give it, so that organisations can reuse them.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_iso_functions import elements, run
from test_iso_functions import graph_of as iso_graph_of

from plaint.core.graph import ProcessGraph


def graph_of(steps: str, **process: Any) -> ProcessGraph:
    """The ISO function tests' graph, with ``process`` fields given as keywords."""
    return iso_graph_of(steps, process=process)


# -- stage-count ------------------------------------------------------------------------

TWO_STAGES = """
receive: {kind: receive, owner: agent, channels: [web], next: first}
first:
  kind: respond
  owner: officer
  next:
    - {to: second, when: the complainant asks for a review}
    - {to: close, when: otherwise}
second: {kind: respond, owner: manager, next: close}
close: {kind: close, owner: officer}
"""

THREE_STAGES = """
receive: {kind: receive, owner: agent, channels: [web], next: zero}
zero: {kind: respond, owner: agent, next: first}
first: {kind: respond, owner: officer, next: second}
second: {kind: respond, owner: manager, next: close}
close: {kind: close, owner: officer}
"""


def test_stage_count_accepts_exactly_the_bounds() -> None:
    assert run("stage-count", graph_of(TWO_STAGES), at_most=2, at_least=2) == []


def test_stage_count_reports_the_first_extra_stage() -> None:
    hits = run("stage-count", graph_of(THREE_STAGES), at_most=2, why="two stages only")
    assert [e for e, _ in hits] == ["second"]
    assert "third stage" in hits[0][1] and hits[0][1].endswith(": two stages only")


def test_stage_count_reports_too_few_stages_at_the_process() -> None:
    hits = run("stage-count", graph_of(TWO_STAGES), at_least=3)
    assert [e for e, _ in hits] == ["process"]
    assert "more than 2 stages" in hits[0][1]


def test_stage_count_takes_the_longest_route_not_the_sum_of_branches() -> None:
    branches = """
    receive: {kind: receive, owner: agent, channels: [web], next: assess}
    assess:
      kind: assess
      owner: officer
      next:
        - {to: a, when: urgent}
        - {to: b, when: otherwise}
    a: {kind: respond, owner: officer, next: close}
    b: {kind: respond, owner: officer, next: close}
    close: {kind: close, owner: officer}
    """
    assert run("stage-count", graph_of(branches), at_most=1, at_least=1) == []


def test_stage_count_reports_a_stage_on_a_loop() -> None:
    looped = """
    receive: {kind: receive, owner: agent, channels: [web], next: investigate}
    investigate: {kind: investigate, owner: officer, next: respond}
    respond:
      kind: respond
      owner: officer
      next:
        - {to: investigate, when: the complainant disagrees, max: 2}
        - {to: close, when: otherwise}
    close: {kind: close, owner: officer}
    """
    hits = run("stage-count", graph_of(looped), at_most=3)
    assert [e for e, _ in hits] == ["respond"] and "loop" in hits[0][1]


def test_stage_count_counts_the_steps_it_is_given() -> None:
    with_review = """
    receive: {kind: receive, owner: agent, channels: [web], next: respond}
    respond: {kind: respond, owner: officer, next: review}
    review: {kind: review, owner: manager, next: appeal}
    appeal: {kind: review, owner: manager, next: close}
    close: {kind: close, owner: officer}
    """
    graph = graph_of(with_review)
    assert elements("stage-count", graph, stages=["review"], at_most=1) == ["appeal"]
    assert elements("stage-count", graph, stages=["respond", "appeal"], at_most=2) == []


def test_stage_count_ignores_unreachable_steps() -> None:
    steps = TWO_STAGES + "orphan: {kind: respond, owner: officer, next: close}\n"
    assert run("stage-count", graph_of(steps), at_most=2) == []


# -- retention-at-least -------------------------------------------------------------------

SIMPLE = """
receive: {kind: receive, owner: agent, channels: [web], next: close}
close: {kind: close, owner: officer}
"""


@pytest.mark.parametrize(("retention", "at_least", "reported"), [
    ("3 years", "3 years", False),
    ("36 months", "3 years", False),
    ("6 years", "5 years", False),
    ("2 years", "3 years", True),
    ("30 months", "3 years", True),
    ("4 years", "5 years", True),
])
def test_retention_at_least_compares_durations(retention: str, at_least: str,
                                               reported: bool) -> None:
    graph = graph_of(SIMPLE, records={"retention": retention})
    hits = run("retention-at-least", graph, at_least=at_least)
    assert bool(hits) is reported
    if reported:
        assert retention.split()[0] in hits[0][1] and hits[0][0] == "process"


def test_retention_at_least_reports_a_missing_retention() -> None:
    hits = run("retention-at-least", graph_of(SIMPLE, records={"reference": "unique"}),
               at_least="3 years", why="keep them")
    assert len(hits) == 1 and "does not say how long" in hits[0][1]
    assert hits[0][1].endswith(": keep them")
    assert len(run("retention-at-least", graph_of(SIMPLE), at_least="1 year")) == 1


# -- tells-present ------------------------------------------------------------------------

DELAY = """
receive: {kind: receive, owner: agent, channels: [web], next: investigate}
investigate:
  kind: investigate
  owner: officer
  next:
    - {to: delay, when: it will be late}
    - {to: respond, when: otherwise}
delay: {kind: communicate, owner: officer, tells: [delay-reasons, timescale], next: respond}
respond: {kind: respond, owner: officer, tells: [decision], next: close}
close: {kind: close, owner: officer}
"""


def test_tells_present_is_met_by_any_one_step() -> None:
    graph = graph_of(DELAY)
    assert run("tells-present", graph, items=["delay-reasons"]) == []
    assert run("tells-present", graph, items=["delay-reasons", "timescale"]) == []


def test_tells_present_needs_all_items_on_one_step() -> None:
    hits = run("tells-present", graph_of(DELAY), items=["delay-reasons", "decision"])
    assert [e for e, _ in hits] == ["process"]
    assert "'delay-reasons' and 'decision'" in hits[0][1]


def test_tells_present_can_be_limited_to_some_steps() -> None:
    graph = graph_of(DELAY)
    assert run("tells-present", graph, items=["delay-reasons"], steps=["communicate"]) == []
    hits = run("tells-present", graph, items=["delay-reasons"], steps=["respond"], why="say why")
    assert len(hits) == 1 and "('respond' step)" not in hits[0][1]
    assert "a 'respond' step" in hits[0][1] and hits[0][1].endswith(": say why")
