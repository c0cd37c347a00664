"""Pieces shared by the parameterised check functions (not a check function: the name
starts with '_').

The parameter schemas take their lists of step kinds, channel kinds, ``tells``
items and publication ``includes`` from the process-spec schema, so a pack that
names a kind the format does not have is refused when it is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from plaint.core.durations import Duration, Unit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Step
from plaint.core.validate import load_schema

_SPEC = load_schema("process-spec-v1.json")
_DEFS = _SPEC["$defs"]

STEP_KINDS: list[str] = list(_DEFS["step"]["properties"]["kind"]["enum"])
CHANNEL_KINDS: list[str] = list(_DEFS["channel"]["properties"]["kind"]["enum"])
TELLS: list[str] = list(_DEFS["step"]["properties"]["tells"]["items"]["enum"])
PUBLICATION_ITEMS: list[str] = list(_DEFS["publication"]["properties"]["includes"]["items"]["enum"])
DURATION_PATTERN: str = _DEFS["duration"]["pattern"]
ID_PATTERN: str = _DEFS["id"]["pattern"]

WHY: dict[str, Any] = {
    "type": "string", "minLength": 1,
    "description": "Why it matters, in plain words; added to every message after a colon.",
}


def kinds_param(description: str, *, min_items: int = 1) -> dict[str, Any]:
    """A list of step kinds."""
    return {"type": "array", "items": {"enum": STEP_KINDS}, "minItems": min_items,
            "uniqueItems": True, "description": description}


def names_param(description: str) -> dict[str, Any]:
    """A list of step kinds or step ids (as commitments name the points of a process)."""
    return {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}, "minItems": 1,
            "uniqueItems": True, "description": description + " Each is a step kind or a step id."}


def params(properties: dict[str, Any], required: Iterable[str] = ()) -> dict[str, Any]:
    """The JSON Schema of a function's parameters: these keys and no others."""
    return {"type": "object", "properties": {**properties, "why": WHY},
            "required": list(required), "additionalProperties": False}


def because(fact: str, why: str | None) -> str:
    """The message: the fact about this process, then why it matters."""
    return f"{fact}: {why}" if why else fact


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def either(items: Iterable[str], word: str = "or") -> str:
    """'a', 'b' or 'c' (quoted)."""
    names = [f"'{i}'" for i in items]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {word} " + names[-1]


def describe(names: Iterable[str]) -> str:
    """How a list of kinds or ids reads in a message: "an 'acknowledge' step", "step 'x'"."""
    names = list(names)
    kinds = [n for n in names if n in STEP_KINDS]
    ids = [n for n in names if n not in STEP_KINDS]
    parts = []
    if kinds:
        parts.append(f"{article(kinds[0])} {either(kinds)} step")
    if ids:
        parts.append(f"step {either(ids)}")
    return " or ".join(parts)


def in_order(graph: ProcessGraph, ids: Iterable[str]) -> list[Step]:
    """The steps ``ids`` in the order they are written."""
    steps = graph.process.steps
    return [steps[i] for i in sorted(ids, key=graph.order.__getitem__)]


def label(step: Step) -> str:
    """"investigate step 'look-into-it'", or just "step 'investigate'" when the id says it."""
    return f"step '{step.id}'" if step.kind in step.id else f"{step.kind} step '{step.id}'"


# Rough lengths in calendar days, to compare durations written in different units.
# A working day is a fifth of a working week; an hour is counted on the clock.
_DAYS = {
    Unit.HOURS: 1 / 24, Unit.WORKING_DAYS: 7 / 5, Unit.CALENDAR_DAYS: 1.0, Unit.WEEKS: 7.0,
    Unit.MONTHS: 365.25 / 12, Unit.YEARS: 365.25,
}


def longer(a: Duration, b: Duration) -> bool:
    """``a`` is longer than ``b``: exact in one unit, approximate across units."""
    if a.unit == b.unit:
        return a.amount > b.amount
    return a.amount * _DAYS[a.unit] > b.amount * _DAYS[b.unit]


# -- evidence: the elements that show a rule is met ---------------------------------------
# A function's ``evidence`` names the steps, roles and channels a report shows next to a
# rule that has no findings. These helpers keep those lists in document order and linear
# in the size of the process, like the checks themselves.

def unique(items: Iterable[str | None]) -> tuple[str, ...]:
    """``items`` without None and without repeats, in their first order."""
    return tuple(dict.fromkeys(i for i in items if i is not None))


def step_ids(graph: ProcessGraph, ids: Iterable[str], *, owners: bool = False) -> tuple[str, ...]:
    """Step ids in document order; with ``owners``, each followed by the role that owns it."""
    steps = in_order(graph, set(ids))
    if not owners:
        return tuple(s.id for s in steps)
    return unique(x for s in steps for x in (s.id, s.owner))


def downstream(graph: ProcessGraph, sources: Iterable[str], *, info: bool = False) -> frozenset[str]:
    """``sources`` and every step reachable from them (control flow, or ``feeds`` with ``info``)."""
    links = graph.info if info else graph.flow
    seen = {s for s in sources if s in links}
    stack = list(seen)
    while stack:
        for succ in links.successors(stack.pop()):
            if succ not in seen:
                seen.add(succ)
                stack.append(succ)
    return frozenset(seen)


def between(graph: ProcessGraph, sources: frozenset[str], targets: frozenset[str], *,
            info: bool = False) -> frozenset[str]:
    """Steps on some way from a step of ``sources`` to a step of ``targets`` (both included)."""
    return downstream(graph, sources, info=info) & (graph.reaches(targets, info=info) | targets)
