"""Steps declare whom their owner is independent of, and are.

Reports every step of ``kinds`` that has no ``independent_of`` (at the step's
key), and every one whose owner is among the roles its own
``independent_of`` names (at that entry).

Parameters:

- ``kinds``: step kinds to check (default: ``[investigate]``).
- ``why``: why it matters, added to the message.

Evidence: those steps and their owners; not applicable when there is none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import because, kinds_param, label, params, step_ids

PARAMS = params({"kinds": kinds_param("The step kinds to check (default: investigate).")})


def check(process: Process, graph: ProcessGraph, *, kinds: list[str] | None = None,
          why: str | None = None) -> Iterator[Hit]:
    kinds = kinds or ["investigate"]
    for step in process.steps.values():
        if step.kind not in kinds:
            continue
        if not step.independent_of:
            yield Hit(because(f"{label(step)} does not say whom its owner is independent of "
                              "(independent_of)", why),
                      step.path, step.id, key=True)
        elif step.owner in step.independent_of:
            i = step.independent_of.index(step.owner)
            yield Hit(because(f"{label(step)} is owned by '{step.owner}', a role its own "
                              "independent_of names", why),
                      (*step.path, "independent_of", i), step.id)


def evidence(process: Process, graph: ProcessGraph, *, kinds: list[str] | None = None,
             why: str | None = None) -> tuple[str, ...] | None:
    kinds = kinds or ["investigate"]
    chosen = (s.id for s in process.steps.values() if s.kind in kinds)
    return step_ids(graph, chosen, owners=True) or None
