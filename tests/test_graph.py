"""Graph analyses and the token game, on small hand-made processes."""

from __future__ import annotations

from typing import Any

import yaml

from plaint.core.graph import ProcessGraph
from plaint.core.model import build_model
from plaint.core.pipeline import check_document
from plaint.core.run import default_ruleset
from plaint.core.soundness import analyse, needs_token_game
from plaint.core.source import load_text


def graph_of(steps: str) -> ProcessGraph:
    """A graph for the steps given as YAML (roles and channels are not needed here)."""
    data: dict[str, Any] = {
        "plaint": 1,
        "process": {"id": "t", "title": "Test"},
        "roles": {"agent": {"title": "Agent"}},
        "steps": yaml.safe_load(steps),
    }
    return ProcessGraph(build_model(data))


SEQUENCE = """
receive: {kind: receive, channels: [web], next: record}
record: {kind: record, next: respond}
respond: {kind: respond, next: close}
close: {kind: close}
"""

CHOICE = """
receive: {kind: receive, channels: [web], next: assess}
assess:
  kind: assess
  next:
    - {to: investigate, when: facts disputed}
    - {to: respond, when: otherwise}
investigate: {kind: investigate, next: respond}
respond: {kind: respond, next: close}
close: {kind: close}
"""

SOUND_PARALLEL = """
receive: {kind: receive, channels: [web], next: assess}
assess: {kind: assess, next: {parallel: [investigate, remedy]}}
investigate: {kind: investigate, next: respond}
remedy: {kind: follow-up, next: respond}
respond: {kind: respond, join: all, next: close}
close: {kind: close}
"""

XOR_INTO_AND = """
receive: {kind: receive, channels: [web], next: assess}
assess:
  kind: assess
  next:
    - {to: investigate, when: facts disputed}
    - {to: remedy, when: otherwise}
investigate: {kind: investigate, next: respond}
remedy: {kind: follow-up, next: respond}
respond: {kind: respond, join: all, next: close}
close: {kind: close}
"""

AND_INTO_XOR = """
receive: {kind: receive, channels: [web], next: assess}
assess: {kind: assess, next: {parallel: [investigate, remedy]}}
investigate: {kind: investigate, next: respond}
remedy: {kind: follow-up, next: respond}
respond: {kind: respond, next: close}
close: {kind: close}
"""

BOUNDED_LOOP = """
receive: {kind: receive, channels: [web], next: investigate}
investigate: {kind: investigate, next: respond}
respond:
  kind: respond
  next:
    - {to: close, when: complainant accepts}
    - {to: review, when: otherwise}
review:
  kind: review
  next:
    - {to: investigate, when: new evidence, max: 1}
    - {to: close, when: otherwise}
close: {kind: close}
"""


# -- plain graph analyses ----------------------------------------------------------------

def test_sequence() -> None:
    g = graph_of(SEQUENCE)
    assert g.entries == ["receive"]
    assert g.terminals == ["close"]
    assert g.reachable == {"receive", "record", "respond", "close"}
    assert g.coreachable == g.reachable
    assert g.cycles == [] and g.traps == [] and g.dead_ends == []
    assert g.dominates("record", "close") and g.post_dominates("respond", "receive")
    assert not g.soundness.ran and g.soundness.problems == ()


def test_choice() -> None:
    g = graph_of(CHOICE)
    assert g.reachable == set(g.process.steps)
    assert not g.dominates("investigate", "respond")
    assert g.dominates("assess", "respond")
    assert g.post_dominates("respond", "assess")
    assert [t.default for t in g.process.steps["assess"].transitions] == [False, True]
    assert not needs_token_game(g.process)


def test_unreachable_dead_end_and_trap() -> None:
    g = graph_of("""
receive: {kind: receive, channels: [web], next: a}
a:
  kind: task
  next:
    - {to: b, when: x}
    - {to: stuck, when: otherwise}
b: {kind: task, next: c}
c: {kind: task, next: b}
stuck: {kind: task}
orphan: {kind: task, next: close}
close: {kind: close}
analyse: {kind: analyse}
""")
    assert "orphan" not in g.reachable and "analyse" not in g.reachable
    assert g.dead_ends == ["stuck"]
    assert g.traps == [frozenset({"b", "c"})]
    assert "orphan" in g.coreachable and "a" not in g.coreachable


def test_bounded_loop() -> None:
    g = graph_of(BOUNDED_LOOP)
    assert g.cycles == [frozenset({"investigate", "respond", "review"})]
    assert g.unbounded_cycles == []
    assert g.traps == []
    back = g.process.steps["review"].transitions[0]
    assert back.bounded and back.max == 1 and g.on_loop(back)
    assert g.coreachable_unbounded == g.coreachable


def test_bound_off_the_loop_does_not_cut_the_way_out() -> None:
    # The bound on 'assess -> respond' is not on a loop: it never runs out.
    g = graph_of("""
receive: {kind: receive, channels: [web], next: assess}
assess:
  kind: assess
  next:
    - {to: respond, when: clear, max: 2}
    - {to: assess, when: otherwise}
respond: {kind: respond, next: close}
close: {kind: close}
""")
    to_respond, to_self = g.process.steps["assess"].transitions
    assert not g.on_loop(to_respond) and g.on_loop(to_self)
    assert "assess" in g.coreachable_unbounded
    assert g.unbounded_cycles == [frozenset({"assess"})]


def test_loop_whose_only_exit_is_bounded() -> None:
    g = graph_of("""
receive: {kind: receive, channels: [web], next: investigate}
investigate: {kind: investigate, next: respond}
respond:
  kind: respond
  next:
    - {to: close, when: accepted}
    - {to: review, when: otherwise}
review:
  kind: review
  next:
    - {to: investigate, when: otherwise, max: 2}
close: {kind: close}
""")
    assert "review" in g.coreachable
    assert "review" not in g.coreachable_unbounded
    assert "respond" in g.coreachable_unbounded


def test_duplicate_transitions_stay_visible() -> None:
    g = graph_of("""
receive: {kind: receive, channels: [web], next: assess}
assess:
  kind: assess
  next:
    - {to: close, when: x}
    - {to: close, when: otherwise}
close: {kind: close}
""")
    assert g.flow.number_of_edges("assess", "close") == 2


# -- the token game ----------------------------------------------------------------------

def test_sound_parallel_block() -> None:
    g = graph_of(SOUND_PARALLEL)
    result = g.soundness
    assert result.ran and result.complete
    assert result.problems == ()
    assert result.states > 0


def test_xor_split_into_and_join_deadlocks() -> None:
    result = graph_of(XOR_INTO_AND).soundness
    assert result.complete
    assert [(p.kind, p.step) for p in result.problems] == [("deadlock", "respond")]
    problem = result.problems[0]
    assert problem.edges == ("investigate->respond",)
    assert problem.missing == ("remedy->respond",)


def test_and_split_into_xor_join_is_unsynchronised() -> None:
    result = graph_of(AND_INTO_XOR).soundness
    # The merge at 'respond' is the cause; closing with work pending follows from it.
    assert [(p.kind, p.step) for p in result.problems] == [("merge", "respond")]
    assert result.problems[0].edges == ("investigate->respond", "remedy->respond")


def test_parallel_branches_to_separate_ends() -> None:
    result = graph_of("""
receive: {kind: receive, channels: [web], next: assess}
assess: {kind: assess, next: {parallel: [respond, refer]}}
respond: {kind: respond, next: close}
refer: {kind: refer, to_body: Ombudsman}
close: {kind: close}
""").soundness
    assert [(p.kind, p.step) for p in result.problems] == [("completion", "refer"),
                                                           ("completion", "close")]


def test_parallel_split_inside_a_bounded_loop() -> None:
    result = graph_of("""
receive: {kind: receive, channels: [web], next: split}
split: {kind: task, next: {parallel: [investigate, remedy]}}
investigate: {kind: investigate, next: join}
remedy: {kind: follow-up, next: join}
join:
  kind: review
  join: all
  next:
    - {to: split, when: reopened, max: 2}
    - {to: close, when: otherwise}
close: {kind: close}
""").soundness
    assert result.complete and result.problems == ()


def test_split_restarted_before_its_branches_finish_overflows() -> None:
    result = graph_of("""
receive: {kind: receive, channels: [web], next: split}
split: {kind: task, next: {parallel: [retry, slow]}}
retry:
  kind: task
  next:
    - {to: split, when: again, max: 2}
    - {to: join, when: otherwise}
slow: {kind: task, next: join}
join: {kind: review, join: all, next: close}
close: {kind: close}
""").soundness
    assert ("overflow", "slow") in [(p.kind, p.step) for p in result.problems]


def test_state_cap_makes_the_result_incomplete() -> None:
    branches = [f"b{i}" for i in range(14)]
    steps = {
        "receive": {"kind": "receive", "channels": ["web"], "next": {"parallel": branches}},
        "join": {"kind": "review", "join": "all", "next": "close"},
        "close": {"kind": "close"},
    }
    for b in branches:
        steps[b] = {"kind": "task", "next": f"{b}-2"}
        steps[f"{b}-2"] = {"kind": "task", "next": "join"}
    g = graph_of(yaml.safe_dump(steps))
    result = analyse(g.process, max_states=500)
    assert result.ran and not result.complete and result.problems == ()
    assert result.states == 500


def test_token_game_is_deterministic() -> None:
    first = graph_of(AND_INTO_XOR + "\nextra: {kind: task, next: close}\n").soundness
    second = graph_of(AND_INTO_XOR + "\nextra: {kind: task, next: close}\n").soundness
    assert first == second


# -- scale -------------------------------------------------------------------------------

def _big_xor_spec(n: int) -> str:
    """A ladder of n choices: 2**n paths from receive to close, n + 3 steps."""
    steps: dict[str, Any] = {
        "receive": {"kind": "receive", "owner": "agent", "channels": ["web"], "next": "s0"},
    }
    for i in range(n):
        after = f"s{i + 1}" if i + 1 < n else "respond"
        steps[f"s{i}"] = {"kind": "task", "owner": "agent", "next": [
            {"to": f"t{i}", "when": "needs more work"},
            {"to": after, "when": "otherwise"},
        ]}
        steps[f"t{i}"] = {"kind": "task", "owner": "agent", "next": after}
    steps["respond"] = {"kind": "respond", "owner": "agent", "next": "close"}
    steps["close"] = {"kind": "close", "owner": "agent"}
    spec = {
        "plaint": 1,
        "process": {"id": "big", "title": "Big", "owner": "agent"},
        "roles": {"agent": {"title": "Agent"}},
        "channels": {"web": {"kind": "web-form"}},
        "steps": steps,
    }
    return yaml.safe_dump(spec, sort_keys=False)


def test_big_xor_graph_goes_through_the_whole_pipeline() -> None:
    text = _big_xor_spec(1500)  # 3,003 steps, 2**1500 paths
    result = check_document(load_text(text, "big.yaml"), default_ruleset())
    assert result.graph is not None
    assert len(result.process.steps) == 3003
    assert not result.graph.soundness.ran
    assert [f for f in result.findings if f.pack == "structural"] == []
