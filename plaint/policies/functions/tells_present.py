"""Some step tells the complainant given things.

Reports the process once, at ``steps:``, when no step of ``steps`` (by
default any step) has every item of ``items`` in its ``tells``: the process
has no point at which the complainant is told them. Unlike ``tells-include``,
which asks every step of some kinds to tell something, this asks for one
such step anywhere, for messages that only some complaints get (a delay
notice, for instance).

Parameters:

- ``items`` (required): values of ``tells``, e.g. ``[delay-reasons]``.
- ``steps``: step kinds or ids that may tell them (default: any step).
- ``why``: why it matters, added to the message.

Evidence: the steps that tell every item.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import (
    TELLS,
    because,
    describe,
    either,
    names_param,
    params,
    step_ids,
)

PARAMS = params({
    "items": {"type": "array", "items": {"enum": TELLS}, "minItems": 1, "uniqueItems": True,
              "description": "What some step must tell."},
    "steps": names_param("The steps that may tell them (default: any step)."),
}, required=["items"])


def _telling(process: Process, graph: ProcessGraph, items: list[str],
             steps: list[str] | None) -> frozenset[str]:
    """The steps (of ``steps``, or any) whose ``tells`` has every item."""
    candidates = graph.select(steps) if steps else frozenset(process.steps)
    return frozenset(s for s in candidates if set(items) <= set(process.steps[s].tells))


def check(process: Process, graph: ProcessGraph, *, items: list[str],
          steps: list[str] | None = None, why: str | None = None) -> Iterator[Hit]:
    if _telling(process, graph, items, steps):
        return
    among = f" ({describe(steps)})" if steps else ""
    yield Hit(because(f"no step of process '{process.id}'{among} tells the complainant "
                      f"{either(items, 'and')}", why),
              ("steps",), "process", key=True)


def evidence(process: Process, graph: ProcessGraph, *, items: list[str],
             steps: list[str] | None = None, why: str | None = None) -> tuple[str, ...] | None:
    return step_ids(graph, _telling(process, graph, items, steps)) or None
