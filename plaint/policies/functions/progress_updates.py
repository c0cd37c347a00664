"""Steps that can take long keep the complainant informed.

Reports every step of ``kinds`` whose ``takes`` (its ``max``) is longer than
``longer_than``, unless the step itself tells ``progress``, or a step it
leads to directly, or a step started alongside it by the same parallel
split, is an update: a step of ``update_kinds`` or one that tells
``progress``. At the step's ``takes``. Durations in different units are
compared roughly (a working day as 1.4 calendar days, a month as 30.4 days).

Parameters:

- ``longer_than`` (required): a duration, e.g. ``10 working days``.
- ``kinds``: step kinds to check (default: every operation kind except
  ``wait``, where the process waits for the complainant).
- ``update_kinds``: step kinds that count as updates (default ``[communicate]``).
- ``why``: why it matters, added to the message.

Evidence: each step that can take long, with the update that goes with it (the step
itself when it tells ``progress``); not applicable when no step can take that long.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.durations import parse_duration
from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process, Step
from plaint.policies.functions._shared import (
    DURATION_PATTERN,
    because,
    kinds_param,
    label,
    longer,
    params,
    unique,
)

PARAMS = params({
    "longer_than": {"type": "string", "pattern": DURATION_PATTERN,
                    "description": "Steps that can take longer than this need updates."},
    "kinds": kinds_param("The step kinds to check."),
    "update_kinds": kinds_param("The step kinds that count as updates."),
}, required=["longer_than"])
DEFAULT_KINDS = ("record", "acknowledge", "assess", "investigate", "respond", "communicate",
                 "review", "follow-up", "task")


def _long_steps(process: Process, longer_than: str, kinds: list[str] | None,
                update_kinds: list[str] | None) -> Iterator[tuple[Step, list[str]]]:
    """Each step that can take longer than ``longer_than``, with the updates that go with it:
    itself when it tells ``progress``, else the update steps next to it (none: a finding)."""
    limit = parse_duration(longer_than)
    wanted = kinds or DEFAULT_KINDS
    updates = update_kinds or ["communicate"]
    steps = process.steps
    order = {sid: i for i, sid in enumerate(steps)}

    def is_update(step: Step) -> bool:
        return step.kind in updates or "progress" in step.tells

    alongside: dict[str, set[str]] = {}
    for step in steps.values():
        if step.split == "parallel":
            targets = {t.target for t in step.transitions}
            for target in targets:
                alongside.setdefault(target, set()).update(targets - {target})
    for step in steps.values():
        if step.kind not in wanted or step.takes is None or not longer(step.takes.max, limit):
            continue
        if "progress" in step.tells:
            yield step, [step.id]
            continue
        near = {t.target for t in step.transitions} | alongside.get(step.id, set())
        yield step, sorted((n for n in near if is_update(steps[n])), key=order.__getitem__)


def check(process: Process, graph: ProcessGraph, *, longer_than: str,
          kinds: list[str] | None = None, update_kinds: list[str] | None = None,
          why: str | None = None) -> Iterator[Hit]:
    limit = parse_duration(longer_than)
    for step, updates in _long_steps(process, longer_than, kinds, update_kinds):
        if not updates:
            yield Hit(because(f"{label(step)} can take {step.takes.max}, longer than "
                              f"{limit}, and no update on progress goes with it", why),
                      (*step.path, "takes"), step.id, key=True)


def evidence(process: Process, graph: ProcessGraph, *, longer_than: str,
             kinds: list[str] | None = None, update_kinds: list[str] | None = None,
             why: str | None = None) -> tuple[str, ...] | None:
    shown = unique(x for step, updates in _long_steps(process, longer_than, kinds, update_kinds)
                   for x in (step.id, *updates))
    return shown or None
