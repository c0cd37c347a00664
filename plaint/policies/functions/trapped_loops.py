"""Loops with no way out to a terminal step.

Reports each loop (strongly connected steps, or a step that leads back to
itself) from which no close, refer or redirect step can be reached, once, at
the loop's first step in the document, naming all its steps. Steps that only
lead into such a loop are not reported separately. Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._text import TERMINAL_WORDS, quoted


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    for trap in sorted(graph.traps, key=lambda c: min(graph.order[s] for s in c)):
        first = graph.first_in_document(trap)
        if len(trap) == 1:
            what = f"step '{first.id}' leads only back to itself"
        else:
            what = f"steps {quoted(sorted(trap))} form a loop"
        yield Hit(
            f"{what} with no way out to {TERMINAL_WORDS}: a complaint that enters it "
            "can never be closed",
            first.path, first.id, key=True,
        )
