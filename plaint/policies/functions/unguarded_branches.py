"""Branches of a choice without a condition.

Reports every branch in a list of branches (a choice) that has no ``when``,
at the branch. Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._text import ordinal


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    for step in process.steps.values():
        if step.split != "choice":
            continue
        for i, t in enumerate(step.transitions, start=1):
            if t.guard is None:
                yield Hit(
                    f"the {ordinal(i)} branch of step '{step.id}' (to '{t.target}') has no "
                    "'when', so nothing says when it is taken",
                    t.path, step.id,
                )
