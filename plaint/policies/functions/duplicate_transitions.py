"""The same transition written twice.

Reports every transition from a step to a target that the same step already
has a transition to (two branches of a choice, or a parallel split that
names one step twice), at the second and any later one. Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._text import ordinal


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    for step in process.steps.values():
        first: dict[str, int] = {}
        what = "branch" if step.split == "choice" else "entry of the parallel split"
        for i, t in enumerate(step.transitions, start=1):
            if t.target not in first:
                first[t.target] = i
                continue
            yield Hit(
                f"step '{step.id}' has a second transition to '{t.target}': the {ordinal(i)} "
                f"{what} repeats the {ordinal(first[t.target])}",
                t.path, step.id,
            )
