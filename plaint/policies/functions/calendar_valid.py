"""The process's calendar can be used to count working days.

Reports ``process.calendar.holidays`` when the `holidays` package does not
know the country or the subdivision (with the ones it does know), and every
closure range that ends before it starts. Parameters: ``why`` only.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.calendar import Calendar, CalendarError
from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import because, params

PARAMS = params({})


def check(process: Process, graph: ProcessGraph, *, why: str | None = None) -> Iterator[Hit]:
    spec = process.calendar
    where = ("process", "calendar")
    for i, closure in enumerate(spec.get("closures", ())):
        if isinstance(closure, dict) and str(closure["to"]) < str(closure["from"]):
            yield Hit(because(f"process '{process.id}' calendar: the closure from "
                              f"{closure['from']} to {closure['to']} ends before it starts", why),
                      (*where, "closures", i), "process")
    region = spec.get("holidays")
    if region:
        try:
            Calendar.shared({"holidays": region})
        except CalendarError as err:
            yield Hit(because(f"process '{process.id}' calendar: {err}", why),
                      (*where, "holidays"), "process")
