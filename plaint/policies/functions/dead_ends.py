"""Operation steps that lead nowhere.

Reports every step that handles a complaint (not an improvement-loop step),
is not terminal (close, refer, redirect) and has no ``next``: a complaint
that reaches it is never closed. Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._text import TERMINAL_WORDS


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    for sid in graph.dead_ends:
        step = process.steps[sid]
        yield Hit(
            f"step '{sid}' has no 'next' and is not {TERMINAL_WORDS}, "
            "so a complaint that reaches it is never closed",
            step.path, sid, key=True,
        )
