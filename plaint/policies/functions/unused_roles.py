"""Roles that nothing uses.

Reports every role that owns no step, is not the process owner, is not
named in any step's ``independent_of`` and is not the records ``access``
role, at the role's key. Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    used = {process.owner, process.records.get("access")}
    for step in process.steps.values():
        used.add(step.owner)
        used.update(step.independent_of)
    for role in process.roles.values():
        if role.id not in used:
            yield Hit(
                f"role '{role.id}' owns no step, is not the process owner and is not named "
                "in any 'independent_of' or as records 'access'",
                role.path, role.id, key=True,
            )
