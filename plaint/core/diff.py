"""What a change to a process spec changes: its procedure, its timing, its findings.

:func:`diff_files` compares two checked versions of one spec (either may be
missing: a file added or deleted) and returns data only; the renderers in
``plaint/renderers/diff_report.py`` turn it into text, JSON or Markdown.

- **Procedure**: the process's own fields (owner, scope, calendar, records…),
  and steps, roles, channels, commitments, publications and waivers added,
  removed and changed, compared on the model, so reformatting the file, adding
  comments or moving a step changes nothing. A step's transitions are matched
  by target, so reordering branches is no change either.
- **Timing**: every time promise (commitments, and regulators' deadlines in
  force) timed before and after on the same year, by :func:`plaint.core.promises.promises`.
- **Findings**: introduced and fixed, matched by the baseline's fingerprint
  (rule and element, not position; see :mod:`plaint.core.baseline`).

The verdict: a change *fails* when it introduces an unwaived finding at or
above ``fail_on``; :func:`exit_code` is the one place that turns a report into
an exit status.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from plaint.core.baseline import entry_for, pair
from plaint.core.findings import Finding, Severity
from plaint.core.model import Process, Step, Transition
from plaint.core.pipeline import FileResult
from plaint.core.promises import Promise, promises
from plaint.core.run import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK

# A value in a change: JSON-like, so every renderer can show it.
Value = None | str | bool | int | float | list[Any] | dict[str, Any]

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
GROUPS = ("step", "role", "channel", "commitment", "publication", "waiver")

# Fields whose order carries no meaning: compared as sets, reported as items added and removed.
SET_FIELDS = frozenset({
    "channels", "feeds", "tells", "independent_of", "matters", "assistance", "scope.covers",
    "scope.excludes", "regimes", "includes",
})


# -- data ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldChange:
    """One field of an element, before and after (None: not set on that side)."""

    field: str
    before: Value
    after: Value
    added: tuple[str, ...] = ()  # for list fields: items only after
    removed: tuple[str, ...] = ()  # items only before


@dataclass(frozen=True)
class TransitionInfo:
    form: str  # "next", "branch" or "parallel"
    guard: str | None
    max: int | None


@dataclass(frozen=True)
class TransitionChange:
    """A transition of a step, matched by its target (the n-th to one target, if several)."""

    change: str  # added, removed, changed
    target: str
    before: TransitionInfo | None
    after: TransitionInfo | None


@dataclass(frozen=True)
class ElementChange:
    """A step, role, channel, commitment, publication or waiver added, removed or changed.

    For an added element ``fields`` holds its values (``before`` None), for a removed
    one its old values; for a changed one only the fields that differ.
    """

    group: str  # one of GROUPS
    id: str
    change: str
    fields: tuple[FieldChange, ...]
    transitions: tuple[TransitionChange, ...] = ()  # steps only


@dataclass(frozen=True)
class PromiseTiming:
    """One side of a time promise, in its measure (working days, hours or calendar days)."""

    within: str
    status: str  # kept, broken, unknowable, no-path, no-from, no-to, error
    measure: str
    best: float | None
    worst: float | None
    margin: float | None  # of the worst case; negative: late
    worst_start: str | None  # ISO date the worst case starts on
    late_starts: int  # start dates of the year on which it is broken
    starts: int
    path: tuple[str, ...]  # the worst case's critical path (step ids)


@dataclass(frozen=True)
class PromiseChange:
    kind: str  # "commitment" or "deadline"
    name: str  # the commitment's name, or the rule id
    label: str
    severity: str
    before: PromiseTiming | None  # None: no such promise before
    after: PromiseTiming | None

    @property
    def change(self) -> str:
        if self.before is None:
            return ADDED
        if self.after is None:
            return REMOVED
        return "unchanged" if self.before == self.after else CHANGED

    @property
    def worst_delta(self) -> float | None:
        """How much later the worst case ends (in the measure), when both sides have one."""
        b, a = self.before, self.after
        if b is None or a is None or b.worst is None or a.worst is None or b.measure != a.measure:
            return None
        return round(a.worst - b.worst, 4)


@dataclass(frozen=True)
class FileDiff:
    old: str | None  # the old version as shown ('REF:path' for a git revision); None: absent
    new: str | None
    old_state: str  # ok, invalid (no model), unreadable, absent
    new_state: str
    old_process: str | None  # process ids
    new_process: str | None
    process: tuple[FieldChange, ...]  # fields of the process itself
    elements: tuple[ElementChange, ...]
    promises: tuple[PromiseChange, ...]
    introduced: tuple[Finding, ...]  # in the new version only
    fixed: tuple[Finding, ...]  # in the old version only
    unchanged: tuple[Finding, ...]  # in both (the new version's)
    fail_on: Severity
    year: int

    @property
    def failing(self) -> tuple[Finding, ...]:
        """Introduced findings that make the change fail."""
        return tuple(f for f in self.introduced if not f.waived and f.severity >= self.fail_on)

    @property
    def fails(self) -> bool:
        return bool(self.failing)

    @property
    def unreadable(self) -> bool:
        return self.new_state == "unreadable"

    @property
    def changed(self) -> bool:
        return bool(self.process or self.elements or self.introduced or self.fixed
                     or any(p.change != "unchanged" for p in self.promises))

    def of_group(self, group: str) -> tuple[ElementChange, ...]:
        return tuple(e for e in self.elements if e.group == group)


@dataclass(frozen=True)
class DiffReport:
    files: tuple[FileDiff, ...]
    fail_on: Severity
    year: int
    base: str | None = None  # the git ref, for --base

    @property
    def fails(self) -> bool:
        return any(f.fails for f in self.files)


def exit_code(report: DiffReport) -> int:
    """2: a new version could not be read; 1: the change introduces failing findings; else 0."""
    if any(f.unreadable for f in report.files):
        return EXIT_ERROR
    return EXIT_FINDINGS if report.fails else EXIT_OK


# -- the procedure -------------------------------------------------------------------------------

def _takes(step: Step) -> Value:
    if step.takes is None:
        return None
    parts = [str(step.takes.max)]
    if step.takes.min is not None:
        parts.append(f"min {step.takes.min}")
    if step.takes.typical is not None:
        parts.append(f"typical {step.takes.typical}")
    return parts[0] if len(parts) == 1 else f"max {parts[0]}, " + ", ".join(parts[1:])


def _step_fields(step: Step) -> dict[str, Value]:
    return {
        "kind": step.kind, "title": step.title, "owner": step.owner,
        "channels": list(step.channels), "takes": _takes(step),
        "join": "all" if step.join_all else None,
        "feeds": list(step.feeds), "tells": list(step.tells),
        "independent_of": list(step.independent_of), "every": step.every,
        "to_procedure": step.to_procedure, "to_body": step.to_body, "matters": list(step.matters),
    }


def _process_fields(process: Process) -> dict[str, Value]:
    fields: dict[str, Value] = {
        "id": process.id, "title": process.title, "version": process.version,
        "owner": process.owner, "description": process.description,
        "scope.covers": list(process.covers), "scope.excludes": list(process.excludes),
        "regimes": list(process.regimes),
    }
    # Calendar and records one key at a time, so a change names what changed.
    for key, value in process.calendar.items():
        fields[f"calendar.{key}"] = _plain(value)
    for key, value in process.records.items():
        fields[f"records.{key}"] = _plain(value)
    return fields


def _plain(value: Any) -> Value:
    """Model data as JSON-like values (mapping proxies and tuples become dicts and lists)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _empty(value: Value) -> bool:
    return value is None or value == [] or value == {}


def _field_changes(before: Mapping[str, Value], after: Mapping[str, Value]) -> tuple[FieldChange, ...]:
    """Fields that differ; for an element on one side only, its non-empty fields."""
    out = []
    names = list(before) + [name for name in after if name not in before]
    for name in names:
        b, a = before.get(name), after.get(name)
        if name in SET_FIELDS and isinstance(b or [], list) and isinstance(a or [], list):
            old, new = [str(x) for x in b or []], [str(x) for x in a or []]
            if sorted(old) == sorted(new):
                continue
            out.append(FieldChange(name, None if b is None else old, None if a is None else new,
                                   added=tuple(x for x in new if x not in old),
                                   removed=tuple(x for x in old if x not in new)))
            continue
        if b == a or (_empty(b) and _empty(a)):
            continue
        out.append(FieldChange(name, b, a))
    return tuple(out)


def _one_side(values: Mapping[str, Value], added: bool) -> tuple[FieldChange, ...]:
    empty = {name: None for name in values}
    return _field_changes(empty, values) if added else _field_changes(values, empty)


def _transition_keys(transitions: Iterable[Transition]) -> dict[tuple[str, int], TransitionInfo]:
    """Transitions keyed by (target, n): the n-th transition to that target, in order."""
    out: dict[tuple[str, int], TransitionInfo] = {}
    for t in transitions:
        n = sum(1 for key in out if key[0] == t.target)
        out[(t.target, n)] = TransitionInfo(t.form, t.guard, t.max)
    return out


def _transition_changes(before: Sequence[Transition], after: Sequence[Transition]
                        ) -> tuple[TransitionChange, ...]:
    old, new = _transition_keys(before), _transition_keys(after)
    out = []
    for key, info in new.items():
        if key not in old:
            out.append(TransitionChange(ADDED, key[0], None, info))
        elif old[key] != info:
            out.append(TransitionChange(CHANGED, key[0], old[key], info))
    out += [TransitionChange(REMOVED, key[0], info, None) for key, info in old.items() if key not in new]
    return tuple(out)


def _group(group: str, old: Mapping[str, Any], new: Mapping[str, Any], fields: Any,
           transitions: Any = None) -> list[ElementChange]:
    """Changes of one kind of element: added (new order), removed (old order), changed (new order)."""
    added, removed, changed = [], [], []
    for key, element in new.items():
        if key not in old:
            moves = _transition_changes((), element.transitions) if transitions else ()
            added.append(ElementChange(group, key, ADDED, _one_side(fields(element), True), moves))
    for key, element in old.items():
        if key not in new:
            moves = _transition_changes(element.transitions, ()) if transitions else ()
            removed.append(ElementChange(group, key, REMOVED, _one_side(fields(element), False), moves))
    for key, element in new.items():
        if key in old:
            diffs = _field_changes(fields(old[key]), fields(element))
            moves = _transition_changes(old[key].transitions, element.transitions) if transitions else ()
            if diffs or moves:
                changed.append(ElementChange(group, key, CHANGED, diffs, moves))
    return added + removed + changed


def _keyed(items: Iterable[Any], key: Any) -> dict[str, Any]:
    """Items by a key; a repeated key gets '#2', '#3' (the schema may allow repeats)."""
    out: dict[str, Any] = {}
    for item in items:
        base = key(item)
        name, n = base, 1
        while name in out:
            n += 1
            name = f"{base}#{n}"
        out[name] = item
    return out


def procedure_changes(old: Process | None, new: Process | None
                      ) -> tuple[tuple[FieldChange, ...], tuple[ElementChange, ...]]:
    """The process's own field changes, and its elements added, removed and changed.

    A side with no model (absent, unreadable or invalid) counts as empty: a new file
    shows everything as added.
    """
    before = _process_fields(old) if old else {}
    after = _process_fields(new) if new else {}
    process = _field_changes(before, after)

    def elements(p: Process | None, what: str) -> dict[str, Any]:
        if p is None:
            return {}
        if what == "step":
            return dict(p.steps)
        if what == "role":
            return dict(p.roles)
        if what == "channel":
            return dict(p.channels)
        if what == "commitment":
            return _keyed(p.commitments, lambda c: c.name)
        if what == "publication":
            return _keyed(p.publication, lambda pub: f"{pub.medium}: {pub.where}")
        return _keyed(p.waivers, lambda w: f"{w.rule} at {w.at}")

    field_of = {
        "step": _step_fields,
        "role": lambda r: {"title": r.title, "senior": r.senior, "team": r.team},
        "channel": lambda c: {"kind": c.kind, "title": c.title, "where": c.where, "free": c.free,
                              "hours": c.hours, "assistance": list(c.assistance)},
        "commitment": lambda c: {"from": c.start, "to": c.end, "within": str(c.within)},
        "publication": lambda pub: {"medium": pub.medium, "where": pub.where,
                                    "includes": list(pub.includes)},
        "waiver": lambda w: {"rule": w.rule, "at": w.at, "reason": w.reason,
                             "approved_by": w.approved_by, "expires": w.expires, "ticket": w.ticket},
    }
    changes: list[ElementChange] = []
    for group in GROUPS:
        changes += _group(group, elements(old, group), elements(new, group), field_of[group],
                          transitions=group == "step")
    return process, tuple(changes)


# -- timing --------------------------------------------------------------------------------------

def _timing(promise: Promise) -> PromiseTiming:
    t = promise.timing
    if t is None or t.worst is None or t.best is None:
        measure = t.measure if t else "calendar days"
        return PromiseTiming(str(promise.within), promise.status, measure, None, None, None, None,
                             len(t.late_starts) if t else 0, t.starts if t else 0, ())
    measure = t.measure

    def amount(case: Any) -> float:
        if measure == "working days":
            return round(case.working_days, 4)
        if measure == "hours":
            return round(case.calendar_days * 24, 4)
        return round(case.calendar_days, 4)

    margin = None if t.worst.margin is None else round(t.worst.margin, 4)
    return PromiseTiming(str(promise.within), promise.status, measure, amount(t.best),
                         amount(t.worst), margin, t.worst.received.isoformat(), len(t.late_starts),
                         t.starts, tuple(s.step for s in t.worst.path))


def timing_changes(old: FileResult | None, new: FileResult | None, year: int
                   ) -> tuple[PromiseChange, ...]:
    """Every promise of either version, timed on both (commitments first, in the new order)."""
    before = {(p.kind, p.name): p for p in (promises(old, year) if old else [])}
    after = {(p.kind, p.name): p for p in (promises(new, year) if new else [])}
    keys = list(after) + [k for k in before if k not in after]
    keys.sort(key=lambda k: k[0] != "commitment")  # stable: keeps the order within each kind
    out = []
    for key in keys:
        b, a = before.get(key), after.get(key)
        shown = a or b
        assert shown is not None
        out.append(PromiseChange(key[0], key[1], shown.label, shown.severity,
                                 _timing(b) if b else None, _timing(a) if a else None))
    return tuple(out)


# -- findings ------------------------------------------------------------------------------------

def finding_changes(old: Sequence[Finding], new: Sequence[Finding]
                    ) -> tuple[tuple[Finding, ...], tuple[Finding, ...], tuple[Finding, ...]]:
    """(introduced, fixed, unchanged), paired as a baseline pairs them.

    The two versions are one file, so the file plays no part: both sides are keyed
    with the same (empty) file name. Waived findings are paired too; an introduced
    waived finding is listed but does not fail the change.
    """
    pairing = pair([entry_for(f, "") for f in new], [entry_for(f, "") for f in old])
    return (tuple(new[i] for i in pairing.new), tuple(old[j] for j in pairing.gone),
            tuple(new[i] for i, _ in pairing.matched))


# -- one file ------------------------------------------------------------------------------------

def state_of(result: FileResult | None) -> str:
    if result is None:
        return "absent"
    if result.unreadable:
        return "unreadable"
    return "ok" if result.process is not None and result.graph is not None else "invalid"


def diff_files(old: FileResult | None, new: FileResult | None, *, year: int,
               fail_on: Severity = Severity.ERROR, old_name: str | None = None,
               new_name: str | None = None) -> FileDiff:
    """Compare two checked versions of a spec; ``None`` is a version that does not exist.

    Both should be checked with the same rule set (the same configuration), so that
    only the spec's change shows. ``old_name`` and ``new_name`` default to the paths.
    """
    old_process = old.process if old and state_of(old) == "ok" else None
    new_process = new.process if new and state_of(new) == "ok" else None
    process, elements = procedure_changes(old_process, new_process)
    introduced, fixed, unchanged = finding_changes(old.findings if old else [],
                                                   new.findings if new else [])
    return FileDiff(
        old=old_name or (old.path if old else None), new=new_name or (new.path if new else None),
        old_state=state_of(old), new_state=state_of(new),
        old_process=old.process.id if old and old.process else None,
        new_process=new.process.id if new and new.process else None,
        process=process, elements=elements,
        promises=timing_changes(old if old_process else None, new if new_process else None, year),
        introduced=introduced, fixed=fixed, unchanged=unchanged, fail_on=fail_on, year=year,
    )
