"""Steps of given kinds exist.

Reports the process once, at ``steps:``, when it has no step of the kinds
given; with ``each: true``, once for every kind it lacks. Every step counts,
reachable or not (``unreachable-step`` reports the ones no complaint reaches).

Parameters:

- ``kinds`` (required): step kinds, e.g. ``[acknowledge]``.
- ``each``: ``true`` when every kind must be present; ``false`` (the default)
  when one step of any of them is enough.
- ``why``: why it matters, added to the message.

Evidence: the steps of those kinds.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import because, either, kinds_param, params, step_ids

PARAMS = params({
    "kinds": kinds_param("The step kinds to look for."),
    "each": {"type": "boolean", "default": False,
             "description": "Every kind must be present (true), or any one of them (false)."},
}, required=["kinds"])


def check(process: Process, graph: ProcessGraph, *, kinds: list[str], each: bool = False,
          why: str | None = None) -> Iterator[Hit]:
    present = {s.kind for s in process.steps.values()}
    groups = [[k] for k in kinds] if each else [kinds]
    for group in groups:
        if present.isdisjoint(group):
            yield Hit(because(f"process '{process.id}' has no {either(group)} step", why),
                      ("steps",), "process", key=True)


def evidence(process: Process, graph: ProcessGraph, *, kinds: list[str], each: bool = False,
             why: str | None = None) -> tuple[str, ...] | None:
    return step_ids(graph, (s.id for s in process.steps.values() if s.kind in kinds)) or None
