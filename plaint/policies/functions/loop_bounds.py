"""Bounds (``max``) on transitions that are not part of a loop.

Reports every branch with ``max`` whose target step cannot lead back to its
source step, at the ``max`` key: such a transition is taken at most once per
complaint anyway, so the bound limits nothing, and the loop it was probably
meant for has no bound. Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    for t in graph.transitions():
        if t.bounded and not graph.on_loop(t):
            yield Hit(
                f"the branch from step '{t.source}' to '{t.target}' has 'max: {t.max}', but it "
                f"is not part of a loop: '{t.target}' cannot lead back to '{t.source}'",
                (*t.path, "max"), t.source, key=True,
            )
