"""Control flow (``next``) into or out of the improvement loop.

Improvement-loop steps (collect, analyse, satisfaction, monitor, audit,
management-review, improve) work on many complaints at once and are linked by
``feeds``, not by ``next``. Reports every ``next`` transition from a step
that handles complaints into an improvement-loop step (at the transition),
and every improvement-loop step that has ``next`` (at its ``next`` key).
Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._text import quoted, with_kind


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    steps = process.steps
    for step in steps.values():
        if step.improvement:
            if step.transitions:
                targets = quoted(dict.fromkeys(t.target for t in step.transitions))
                yield Hit(
                    f"improvement-loop step {with_kind(step.id, step.kind)} passes complaints "
                    f"on with 'next' (to {targets})",
                    (*step.path, "next"), step.id, key=True,
                )
            continue
        for t in step.transitions:
            target = steps[t.target]
            if target.improvement:
                yield Hit(
                    f"step '{step.id}' passes complaints with 'next' to improvement-loop step "
                    f"{with_kind(target.id, target.kind)}",
                    t.path, step.id,
                )
