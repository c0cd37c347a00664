"""Parallel branches that never meet again.

Plays the token game (plaint.core.soundness) when the process has a parallel
split or a ``join: all`` step. Reports, at the step concerned:

* a step without ``join: all`` that work from two parallel branches reaches
  at once (it would run twice, and so would everything after it);
* a step reached twice by parallel work along one transition;
* a terminal step that can end the process while parallel work is still
  pending.

Problems that follow from an earlier unsynchronised step are not repeated.
Reports nothing when the state space is too large to explore in full.
Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._text import quoted


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    result = graph.soundness
    if not result.complete:
        return
    by_id = {t.id: t for t in graph.transitions()}
    for problem in result.of_kind("merge", "overflow", "completion"):
        step = process.steps[problem.step]
        if problem.kind == "merge":
            sources = quoted(dict.fromkeys(by_id[e].source for e in problem.edges))
            after = ("the process would end more than once" if step.terminal
                     else "it and everything after it would run more than once")
            message = (f"step '{step.id}' can be reached by parallel branches at the same time "
                       f"(from {sources}) but does not wait for them (join: all), so {after}")
        elif problem.kind == "overflow":
            t = by_id[problem.edges[0]]
            message = (f"step '{step.id}' can be reached twice by parallel work (from "
                       f"'{t.source}'), so it would run more than once")
        else:
            pending = quoted(sorted({by_id[e].target for e in problem.edges},
                                    key=graph.order.__getitem__))
            message = (f"step '{step.id}' can end the process while parallel work is still "
                       f"pending (at {pending})")
        yield Hit(message, step.path, step.id, key=True)
