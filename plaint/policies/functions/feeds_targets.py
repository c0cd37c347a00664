"""Information flow (``feeds``) into steps that handle complaints.

``feeds`` links a step to the improvement loop: collecting information,
analysis, satisfaction surveys, monitoring, audit, management review and
improvement. Reports every ``feeds`` entry whose target is any other kind of
step, at that entry. Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._text import with_kind


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    for step in process.steps.values():
        for i, target in enumerate(step.feeds):
            other = process.steps[target]
            if not other.improvement:
                yield Hit(
                    f"step '{step.id}' feeds {with_kind(target, other.kind)}, which handles "
                    "complaints and is not a step of the improvement loop",
                    (*step.path, "feeds", i), step.id,
                )
