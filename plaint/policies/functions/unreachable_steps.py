"""Steps that no complaint can reach from an entry step.

Reports every operation step (not improvement-loop steps, which are reached
by information flow) that is not reachable through ``next`` from any step of
kind ``receive``. Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    if not graph.entries:
        return  # reported by entry-step-missing
    for step in graph.operation_steps:
        if step.id not in graph.reachable:
            yield Hit(
                f"step '{step.id}' cannot be reached from any receive step",
                step.path, step.id, key=True,
            )
