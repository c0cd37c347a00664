"""Periodic steps say how often they run.

Reports every step of ``kinds`` without ``every``, at the step's key.

Parameters:

- ``kinds``: step kinds to check (default: the improvement loop's periodic
  kinds: collect, analyse, monitor, audit, management-review).
- ``why``: why it matters, added to the message.

Evidence: those steps; not applicable when there is none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import because, kinds_param, label, params, step_ids

PARAMS = params({"kinds": kinds_param("The step kinds to check.")})
DEFAULT_KINDS = ("collect", "analyse", "monitor", "audit", "management-review")


def check(process: Process, graph: ProcessGraph, *, kinds: list[str] | None = None,
          why: str | None = None) -> Iterator[Hit]:
    wanted = kinds or DEFAULT_KINDS
    for step in process.steps.values():
        if step.kind in wanted and step.every is None:
            yield Hit(because(f"{label(step)} does not say how often it runs (every)", why),
                      step.path, step.id, key=True)


def evidence(process: Process, graph: ProcessGraph, *, kinds: list[str] | None = None,
             why: str | None = None) -> tuple[str, ...] | None:
    wanted = kinds or DEFAULT_KINDS
    return step_ids(graph, (s.id for s in process.steps.values() if s.kind in wanted)) or None
