"""Terminal steps that pass control on.

Reports every close, refer or redirect step that has ``next``, at the
``next`` key. A terminal step ends the handling of a complaint; what follows
it in the document would never be clear. Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._text import quoted


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    for step in process.steps.values():
        if step.terminal and step.transitions:
            targets = quoted(dict.fromkeys(t.target for t in step.transitions))
            yield Hit(
                f"step '{step.id}' is a {step.kind} step, which ends the process, "
                f"but it has 'next' (to {targets})",
                (*step.path, "next"), step.id, key=True,
            )
