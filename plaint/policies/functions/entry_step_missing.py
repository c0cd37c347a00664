"""The process has a step where complaints come in.

Reports the process once, at ``steps:``, when no step is of kind ``receive``.
Without an entry step nothing can be reached, so ``unreachable-steps`` stays
silent in that case. Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    if graph.entries:
        return
    yield Hit(
        f"process '{process.id}' has no step of kind 'receive', so no complaint can enter it",
        ("steps",), "process", key=True,
    )
