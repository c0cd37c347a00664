"""A process-level field is given, optionally with given values.

Reports the process (at the nearest key that is written) when the field is
missing or empty; when it lacks a value of ``includes``; and, at the value,
when it has a value of ``without``.

Parameters:

- ``field`` (required): one of ``owner``, ``description``, ``version``,
  ``scope.covers``, ``scope.excludes``, ``regimes``, ``calendar``,
  ``calendar.weekdays``, ``calendar.holidays``, ``commitments``,
  ``publication``, ``records``, ``records.reference``, ``records.retention``,
  ``records.access``.
- ``includes``: values the field must have. For a list field, each of them
  must be in the list; for a single value, it must be one of them.
- ``without``: values a list field must not have.
- ``optional``: do not report the field missing (for a rule that only checks
  ``without``). Default false.
- ``why``: why it matters, added to the message.

Evidence: the process; not applicable when an ``optional`` field is not given.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import because, either, params

FIELDS = {
    "owner": lambda p: p.owner,
    "description": lambda p: p.description,
    "version": lambda p: p.version,
    "scope.covers": lambda p: p.covers,
    "scope.excludes": lambda p: p.excludes,
    "regimes": lambda p: p.regimes,
    "calendar": lambda p: dict(p.calendar),
    "calendar.weekdays": lambda p: p.calendar.get("weekdays"),
    "calendar.holidays": lambda p: p.calendar.get("holidays"),
    "commitments": lambda p: p.commitments,
    "publication": lambda p: p.publication,
    "records": lambda p: dict(p.records),
    "records.reference": lambda p: p.records.get("reference"),
    "records.retention": lambda p: p.records.get("retention"),
    "records.access": lambda p: p.records.get("access"),
}
_VALUES = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1,
           "uniqueItems": True}

PARAMS = params({
    "field": {"enum": sorted(FIELDS), "description": "The field, as a dotted path under 'process'."},
    "includes": {**_VALUES, "description": "Values the field must have."},
    "without": {**_VALUES, "description": "Values a list field must not have."},
    "optional": {"type": "boolean", "default": False,
                 "description": "Do not report the field missing."},
}, required=["field"])


def _written(process: Process, parts: list[str]) -> tuple[str, ...]:
    """The path of the deepest part of ``process.<parts>`` that the spec gives."""
    path: tuple[str, ...] = ("process",)
    top = {"scope": process.covers or process.excludes, "calendar": process.calendar,
           "records": process.records}
    if len(parts) > 1 and top.get(parts[0]):
        path = ("process", parts[0])
    return path


def _empty(value: Any) -> bool:
    return value is None or value == () or value == {} or value == []


def check(process: Process, graph: ProcessGraph, *, field: str, includes: list[str] | None = None,
          without: list[str] | None = None, optional: bool = False,
          why: str | None = None) -> Iterator[Hit]:
    value: Any = FIELDS[field](process)
    parts = field.split(".")
    path = ("process", *parts)
    name = f"'{field}' of process '{process.id}'"
    if _empty(value):
        if not optional:
            yield Hit(because(f"process '{process.id}' does not give '{field}'", why),
                      _written(process, parts), "process", key=True)
        return
    values = value if isinstance(value, (tuple, list)) else (value,)
    if includes:
        if isinstance(value, (tuple, list)):
            missing = [v for v in includes if v not in values]
            if missing:
                yield Hit(because(f"{name} does not list {either(missing, 'or')}", why),
                          path, "process", key=True)
        elif value not in includes:
            yield Hit(because(f"{name} is '{value}', not {either(includes)}", why),
                      path, "process")
    listed = isinstance(value, (tuple, list))
    for i, item in enumerate(values):
        if without and item in without:
            yield Hit(because(f"{name} {'lists' if listed else 'is'} '{item}'", why),
                      (*path, i) if listed else path, "process")


def evidence(process: Process, graph: ProcessGraph, *, field: str, includes: list[str] | None = None,
             without: list[str] | None = None, optional: bool = False,
             why: str | None = None) -> tuple[str, ...] | None:
    if _empty(FIELDS[field](process)):
        return None if optional else ("process",)
    return ("process",)
