"""Join steps that can wait for ever.

Plays the token game (plaint.core.soundness) when the process has a parallel
split or a ``join: all`` step. Reports every ``join: all`` step that can be
left waiting with some of its incoming transitions done and the others never
coming: typically a join placed after a choice, where only one branch runs.
Reports nothing when the state space is too large to explore in full.
Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._text import quoted


def _sources(process: Process, edge_ids: tuple[str, ...]) -> list[str]:
    by_id = {t.id: t for s in process.steps.values() for t in s.transitions}
    return list(dict.fromkeys(by_id[e].source for e in edge_ids))


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    result = graph.soundness
    if not result.complete:
        return
    for problem in result.of_kind("deadlock"):
        step = process.steps[problem.step]
        arrived = quoted(_sources(process, problem.edges))
        missing = quoted(_sources(process, problem.missing))
        yield Hit(
            f"step '{step.id}' waits for all its incoming transitions (join: all), but a "
            f"complaint can arrive from {arrived} while nothing ever comes from {missing}: "
            "the complaint is stuck there",
            step.path, step.id, key=True,
        )
