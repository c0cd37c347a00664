"""Every step has an owner.

Reports every step of ``kinds`` (default: every step) that names no
``owner``, at the step's key. (That an owner names a defined role is checked
before any rule runs.)

Parameters:

- ``kinds``: step kinds to check (default: all).
- ``why``: why it matters, added to the message.

Evidence: those steps; not applicable when there is none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import because, kinds_param, label, params, step_ids

PARAMS = params({"kinds": kinds_param("The step kinds to check (default: all).")})


def check(process: Process, graph: ProcessGraph, *, kinds: list[str] | None = None,
          why: str | None = None) -> Iterator[Hit]:
    for step in process.steps.values():
        if step.owner is None and (kinds is None or step.kind in kinds):
            yield Hit(because(f"{label(step)} has no owner", why), step.path, step.id, key=True)


def evidence(process: Process, graph: ProcessGraph, *, kinds: list[str] | None = None,
             why: str | None = None) -> tuple[str, ...] | None:
    chosen = (s.id for s in process.steps.values() if kinds is None or s.kind in kinds)
    return step_ids(graph, chosen) or None
