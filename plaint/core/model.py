"""The typed, immutable model of a process, built from schema-valid data.

Building the model also checks referential integrity: every step, role and
channel named anywhere must be defined. Unknown names become ``reference``
hits with a "did you mean" suggestion; the caller stops before the graph
stage when there are any.
"""

from __future__ import annotations

import copyreg
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from plaint.core.durations import Duration, StepDuration, parse_duration
from plaint.core.findings import Hit

OPERATION_KINDS = frozenset({
    "receive", "record", "acknowledge", "assess", "investigate", "respond", "communicate",
    "review", "follow-up", "wait", "task",
})
TERMINAL_KINDS = frozenset({"close", "refer", "redirect"})
IMPROVEMENT_KINDS = frozenset({
    "collect", "analyse", "satisfaction", "monitor", "audit", "management-review", "improve",
})
ENTRY_KINDS = frozenset({"receive"})
ALL_KINDS = OPERATION_KINDS | TERMINAL_KINDS | IMPROVEMENT_KINDS

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    senior: bool
    team: str | None
    path: Path


@dataclass(frozen=True)
class Channel:
    id: str
    kind: str
    title: str | None
    where: str | None
    free: bool | None
    hours: str | None
    assistance: tuple[str, ...]
    path: Path


@dataclass(frozen=True)
class Transition:
    """One control-flow edge. ``id`` is stable: source, position in ``next``."""

    id: str
    source: str
    target: str
    form: str  # "next" (single), "branch" (a choice), "parallel"
    guard: str | None
    default: bool
    max: int | None
    path: Path

    @property
    def bounded(self) -> bool:
        return self.max is not None


@dataclass(frozen=True)
class Step:
    id: str
    kind: str
    title: str
    owner: str | None
    channels: tuple[str, ...]
    takes: StepDuration | None
    transitions: tuple[Transition, ...]
    split: str | None  # None, "choice" or "parallel"
    join_all: bool
    feeds: tuple[str, ...]
    tells: tuple[str, ...]
    independent_of: tuple[str, ...]
    every: str | None
    to_procedure: str | None
    to_body: str | None
    path: Path
    matters: tuple[str, ...] = ()  # matters the step sends elsewhere (redirect, refer) or handles

    @property
    def terminal(self) -> bool:
        return self.kind in TERMINAL_KINDS

    @property
    def improvement(self) -> bool:
        return self.kind in IMPROVEMENT_KINDS

    @property
    def entry(self) -> bool:
        return self.kind in ENTRY_KINDS

    @property
    def has_next(self) -> bool:
        return bool(self.transitions)


@dataclass(frozen=True)
class Commitment:
    name: str
    start: str  # step id or kind
    end: str
    within: Duration
    path: Path


@dataclass(frozen=True)
class Publication:
    medium: str
    where: str
    includes: tuple[str, ...]
    path: Path


@dataclass(frozen=True)
class Waiver:
    rule: str
    at: str
    reason: str
    approved_by: str
    expires: str
    ticket: str | None
    path: Path


@dataclass(frozen=True)
class Process:
    id: str
    title: str
    version: str | None
    owner: str | None
    description: str | None
    covers: tuple[str, ...]
    excludes: tuple[str, ...]
    regimes: tuple[str, ...]
    calendar: Mapping[str, Any]
    commitments: tuple[Commitment, ...]
    publication: tuple[Publication, ...]
    records: Mapping[str, Any]
    roles: Mapping[str, Role]
    channels: Mapping[str, Channel]
    steps: Mapping[str, Step]
    waivers: tuple[Waiver, ...]

    def steps_of_kind(self, *kinds: str) -> list[Step]:
        return [s for s in self.steps.values() if s.kind in kinds]


def _read_only(items: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(items)


# Read-only mappings cannot be pickled by default; results cross process boundaries
# when files are checked in parallel (plaint check --jobs), so teach pickle to rebuild them.
copyreg.pickle(MappingProxyType, lambda proxy: (_read_only, (dict(proxy),)))


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


def _step_duration(value: Any) -> StepDuration | None:
    if value is None:
        return None
    if isinstance(value, str):
        return StepDuration(max=parse_duration(value))
    return StepDuration(
        max=parse_duration(value["max"]),
        min=parse_duration(value["min"]) if "min" in value else None,
        typical=parse_duration(value["typical"]) if "typical" in value else None,
    )


def _transitions(step_id: str, raw: Any) -> tuple[tuple[Transition, ...], str | None]:
    base: Path = ("steps", step_id, "next")
    if raw is None:
        return (), None
    if isinstance(raw, str):
        return (Transition(f"{step_id}->{raw}", step_id, raw, "next", None, False, None, base),), None
    if isinstance(raw, dict):
        return tuple(
            Transition(f"{step_id}->{target}#{i}", step_id, target, "parallel", None, False, None,
                       (*base, "parallel", i))
            for i, target in enumerate(raw["parallel"])
        ), "parallel"
    out = []
    for i, branch in enumerate(raw):
        when = branch.get("when")
        out.append(Transition(
            f"{step_id}->{branch['to']}#{i}", step_id, branch["to"], "branch", when,
            when is not None and when.strip().lower() == "otherwise", branch.get("max"),
            (*base, i),
        ))
    return tuple(out), "choice"


def build_model(data: Mapping[str, Any]) -> Process:
    """Build the model from schema-valid data (no reference checks: see check_references)."""
    proc = data["process"]
    roles = {
        rid: Role(rid, r["title"], bool(r.get("senior", False)), r.get("team"), ("roles", rid))
        for rid, r in data["roles"].items()
    }
    channels = {
        cid: Channel(cid, c["kind"], c.get("title"), c.get("where"), c.get("free"), c.get("hours"),
                     tuple(c.get("assistance", ())), ("channels", cid))
        for cid, c in (data.get("channels") or {}).items()
    }
    steps = {}
    for sid, s in data["steps"].items():
        transitions, split = _transitions(sid, s.get("next"))
        steps[sid] = Step(
            id=sid, kind=s["kind"], title=s.get("title") or sid.replace("-", " ").capitalize(),
            owner=s.get("owner"), channels=tuple(s.get("channels", ())),
            takes=_step_duration(s.get("takes")), transitions=transitions, split=split,
            join_all=s.get("join") == "all", feeds=tuple(s.get("feeds", ())),
            tells=tuple(s.get("tells", ())), independent_of=tuple(s.get("independent_of", ())),
            every=s.get("every"), to_procedure=s.get("to_procedure"), to_body=s.get("to_body"),
            path=("steps", sid), matters=tuple(s.get("matters", ())),
        )
    scope = proc.get("scope") or {}
    return Process(
        id=proc["id"], title=proc["title"], version=proc.get("version"), owner=proc.get("owner"),
        description=proc.get("description"),
        covers=tuple(scope.get("covers", ())), excludes=tuple(scope.get("excludes", ())),
        regimes=tuple(proc.get("regimes", ())), calendar=_frozen(proc.get("calendar")),
        commitments=tuple(
            Commitment(c["name"], c["from"], c["to"], parse_duration(c["within"]),
                       ("process", "commitments", i))
            for i, c in enumerate(proc.get("commitments", ()))
        ),
        publication=tuple(
            Publication(p["medium"], p["where"], tuple(p.get("includes", ())),
                        ("process", "publication", i))
            for i, p in enumerate(proc.get("publication", ()))
        ),
        records=_frozen(proc.get("records")),
        roles=MappingProxyType(roles), channels=MappingProxyType(channels),
        steps=MappingProxyType(steps),
        waivers=tuple(
            Waiver(w["rule"], w["at"], w["reason"], w["approved_by"], w["expires"],
                   w.get("ticket"), ("waivers", i))
            for i, w in enumerate(data.get("waivers", ()))
        ),
    )


def did_you_mean(name: str, known: list[str] | set[str] | tuple[str, ...]) -> str:
    """' Did you mean 'x'?' for a close match, else ''."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def _unknown(what: str, name: str, known: Mapping[str, Any], path: Path, element: str,
             used_as: str) -> Hit:
    listing = ", ".join(sorted(known)) if len(known) <= 8 else f"{len(known)} defined"
    return Hit(
        message=f"{used_as} names {what} '{name}', which is not defined.{did_you_mean(name, list(known))}",
        path=path, element=element,
        hint=f"Define {what} '{name}' under '{what}s:', or use one that exists ({listing}).",
    )


def check_references(process: Process) -> list[Hit]:
    """Every step, role and channel named anywhere must be defined."""
    hits: list[Hit] = []
    roles, channels, steps = process.roles, process.channels, process.steps
    if process.owner and process.owner not in roles:
        hits.append(_unknown("role", process.owner, roles, ("process", "owner"), "process",
                             "the process owner"))
    for step in steps.values():
        label = f"step '{step.id}'"
        if step.owner and step.owner not in roles:
            hits.append(_unknown("role", step.owner, roles, (*step.path, "owner"), step.id,
                                 f"{label} (owner)"))
        for i, cid in enumerate(step.channels):
            if cid not in channels:
                hits.append(_unknown("channel", cid, channels, (*step.path, "channels", i),
                                     step.id, f"{label} (channels)"))
        for t in step.transitions:
            if t.target not in steps:
                where = (*t.path, "to") if t.form == "branch" else t.path
                hits.append(_unknown("step", t.target, steps, where, step.id, f"{label} (next)"))
        for i, target in enumerate(step.feeds):
            if target not in steps:
                hits.append(_unknown("step", target, steps, (*step.path, "feeds", i), step.id,
                                     f"{label} (feeds)"))
        for i, rid in enumerate(step.independent_of):
            if rid not in roles:
                hits.append(_unknown("role", rid, roles, (*step.path, "independent_of", i),
                                     step.id, f"{label} (independent_of)"))
    points = set(steps) | ALL_KINDS
    for c in process.commitments:
        for field_name, value in (("from", c.start), ("to", c.end)):
            if value not in points:
                hits.append(Hit(
                    message=f"commitment '{c.name}' ({field_name}) names '{value}', which is "
                            f"neither a step id nor a step kind.{did_you_mean(value, points)}",
                    path=(*c.path, field_name), element=c.name,
                    hint="Use the id of a step, or a step kind such as 'receive' or 'respond'.",
                ))
    targets = set(steps) | set(roles) | set(channels) | {"process"}
    for w in process.waivers:
        if w.at not in targets:
            hits.append(Hit(
                message=f"waiver for '{w.rule}' is at '{w.at}', which is not a step, role or "
                        f"channel.{did_you_mean(w.at, targets)}",
                path=(*w.path, "at"), element=w.at,
                hint="Name the id of the element the waiver covers, or 'process'.",
            ))
    return hits
