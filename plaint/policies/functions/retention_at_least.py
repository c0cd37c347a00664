"""Complaint records are kept for at least a given time.

Reports the process when ``process.records.retention`` is not given (at
``records:``, or at ``process:`` when there is no ``records``), and when it
is shorter than ``at_least`` (at the retention). Durations in the same unit
are compared exactly; across units roughly (a year as 365.25 days, a month
as 30.4 days, a working day as 1.4 calendar days), so ``36 months`` meets
``3 years``.

Parameters:

- ``at_least`` (required): a duration, e.g. ``3 years``.
- ``why``: why it matters, added to the message.

Evidence: the process.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.durations import parse_duration
from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import DURATION_PATTERN, because, longer, params

PARAMS = params({
    "at_least": {"type": "string", "pattern": DURATION_PATTERN,
                 "description": "The shortest retention allowed, e.g. '3 years'."},
}, required=["at_least"])


def check(process: Process, graph: ProcessGraph, *, at_least: str,
          why: str | None = None) -> Iterator[Hit]:
    minimum = parse_duration(at_least)
    text = process.records.get("retention")
    if text is None:
        where = ("process", "records") if process.records else ("process",)
        yield Hit(because(f"process '{process.id}' does not say how long complaint records "
                          f"are kept (records.retention); at least {minimum} is required", why),
                  where, "process", key=True)
        return
    kept = parse_duration(text)
    if longer(minimum, kept):
        yield Hit(because(f"process '{process.id}' keeps complaint records for {kept}, less "
                          f"than {minimum}", why),
                  ("process", "records", "retention"), "process")


def evidence(process: Process, graph: ProcessGraph, *, at_least: str,
             why: str | None = None) -> tuple[str, ...] | None:
    return ("process",)
