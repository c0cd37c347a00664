"""An accountable owner in a senior role.

Without ``kinds``: the process names an ``owner``, and that role is
``senior: true``. With ``kinds``: every step of those kinds that has an owner
is owned by a senior role (a step without an owner is left to
``owners-present``). Reports at the owner, or at ``process:`` when there is
none.

Parameters:

- ``kinds``: step kinds whose owners must be senior (default: check the
  process owner instead).
- ``why``: why it matters, added to the message.

Evidence: the process and its owner; with ``kinds``, those steps and their owners
(not applicable when no step of those kinds has an owner).
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import because, kinds_param, label, params, step_ids

PARAMS = params({"kinds": kinds_param("Step kinds whose owners must be senior.")})


def check(process: Process, graph: ProcessGraph, *, kinds: list[str] | None = None,
          why: str | None = None) -> Iterator[Hit]:
    roles = process.roles
    if kinds is None:
        if process.owner is None:
            yield Hit(because(f"process '{process.id}' names no accountable owner", why),
                      ("process",), "process", key=True)
        elif not roles[process.owner].senior:
            yield Hit(because(f"the owner of process '{process.id}', role '{process.owner}', "
                              "is not a senior role", why),
                      ("process", "owner"), "process")
        return
    for step in process.steps.values():
        if step.kind in kinds and step.owner is not None and not roles[step.owner].senior:
            yield Hit(because(f"{label(step)} is owned by '{step.owner}', which is not a "
                              "senior role", why),
                      (*step.path, "owner"), step.id)


def evidence(process: Process, graph: ProcessGraph, *, kinds: list[str] | None = None,
             why: str | None = None) -> tuple[str, ...] | None:
    if kinds is None:
        return ("process", process.owner) if process.owner is not None else None
    owned = (s.id for s in process.steps.values() if s.kind in kinds and s.owner is not None)
    return step_ids(graph, owned, owners=True) or None
