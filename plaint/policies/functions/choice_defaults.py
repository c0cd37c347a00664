"""Choices with no default branch, or more than one.

Reports every step whose ``next`` is a list of branches (a choice) in which
not exactly one branch says ``when: otherwise`` (in any case), at the
``next`` key. Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._text import quoted


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    for step in process.steps.values():
        if step.split != "choice":
            continue
        defaults = [t for t in step.transitions if t.default]
        if len(defaults) == 1:
            continue
        if not defaults:
            message = (f"the choice at step '{step.id}' has no default branch "
                       "('when: otherwise'), so a complaint that meets none of its "
                       "conditions has nowhere to go")
        else:
            message = (f"the choice at step '{step.id}' has {len(defaults)} default branches "
                       f"('when: otherwise', to {quoted(t.target for t in defaults)}), "
                       "so it is not clear which one a complaint takes")
        yield Hit(message, (*step.path, "next"), step.id, key=True)
