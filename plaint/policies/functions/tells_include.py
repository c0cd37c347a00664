"""Steps of given kinds tell the complainant given things.

Reports every step of ``steps`` whose ``tells`` lacks items of ``items`` (all
of them, or with ``one_of: true`` at least one), at its ``tells`` (or at the
step when it has none), naming what is missing. ``if_reaches`` and
``unless_reaches`` narrow the steps to those from which a step of the given
kinds or ids can, or cannot, be reached through ``next``: for example the
responses after which a review is still possible.

Parameters:

- ``steps`` (required): step kinds or ids, e.g. ``[respond]``.
- ``items`` (required): values of ``tells``, e.g. ``[decision, reasons]``.
- ``one_of``: one of ``items`` is enough (default false: each is needed).
- ``if_reaches``: only steps from which one of these can be reached.
- ``unless_reaches``: only steps from which none of these can be reached.
- ``why``: why it matters, added to the message.

Evidence: the steps that tell those things.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import (
    TELLS,
    because,
    either,
    in_order,
    label,
    names_param,
    params,
    step_ids,
)

PARAMS = params({
    "steps": names_param("The steps that must tell."),
    "items": {"type": "array", "items": {"enum": TELLS}, "minItems": 1, "uniqueItems": True,
              "description": "What they must tell."},
    "one_of": {"type": "boolean", "default": False,
            "description": "One of the items is enough."},
    "if_reaches": names_param("Only steps from which one of these can be reached."),
    "unless_reaches": names_param("Only steps from which none of these can be reached."),
}, required=["steps", "items"])


def _chosen(graph: ProcessGraph, steps: list[str], if_reaches: list[str] | None,
            unless_reaches: list[str] | None) -> frozenset[str]:
    """The steps the rule asks to tell (shared by check and evidence, so they agree)."""
    chosen = graph.select(steps)
    if if_reaches:
        chosen &= graph.reaches(graph.select(if_reaches))
    if unless_reaches:
        chosen -= graph.reaches(graph.select(unless_reaches))
    return chosen


def check(process: Process, graph: ProcessGraph, *, steps: list[str], items: list[str],
          one_of: bool = False, if_reaches: list[str] | None = None,
          unless_reaches: list[str] | None = None, why: str | None = None) -> Iterator[Hit]:
    for step in in_order(graph, _chosen(graph, steps, if_reaches, unless_reaches)):
        missing = [i for i in items if i not in step.tells]
        if not missing or (one_of and len(missing) < len(items)):
            continue
        where = (*step.path, "tells") if step.tells else step.path
        yield Hit(because(f"{label(step)} does not tell the complainant "
                          f"{either(missing, 'or' if one_of else 'and')}", why),
                  where, step.id, key=True)


def evidence(process: Process, graph: ProcessGraph, *, steps: list[str], items: list[str],
             one_of: bool = False, if_reaches: list[str] | None = None,
             unless_reaches: list[str] | None = None,
             why: str | None = None) -> tuple[str, ...] | None:
    # No step of 'steps' (or none that the reach conditions leave): nothing has to tell.
    return step_ids(graph, _chosen(graph, steps, if_reaches, unless_reaches)) or None
