"""Worst- and best-case elapsed time between two points of a process.

The question: a complaint is done with a ``from`` step on some day; how late
can it be done with the first ``to`` step on its way, and how early? (The
deadline is met when every way reaches a ``to`` step in time; the worst case
is the latest of them.) Answered without enumerating paths:

1. **Region.** Only steps on some path from a ``from`` step to a ``to`` step
   (not going on past the first ``to`` step) matter. A loop in that region
   with no bound (no ``max``) makes the time unknowable: that is reported,
   not guessed.
2. **Unrolling.** Bounded loops are unrolled into a DAG of (step, counters):
   a loop-back transition with ``max: k`` can be taken k times, so the steps
   of its loop appear k+1 times. Counters are per loop (strongly connected
   part), exact for every combination of its bounded transitions when that
   product is small (<= 4,096), otherwise one shared counter (a safe
   over-estimate, flagged ``approximate``).
3. **Min-max DP** over the DAG in topological order: a step starts when its
   predecessor ends; at a choice the worst case takes the latest and the best
   case the earliest predecessor; at a ``join: all`` both take the latest
   (parallel work waits for the slowest branch). Cost: linear in the size of
   the unrolled DAG.
4. **Calendar clock.** Durations in different units are never added: a
   moment is advanced through each step on the process's calendar (working
   days skip weekends, holidays and closures; months are calendar months).
   The result depends on the day the clock starts, so the DP runs for every
   day of a reference year at once (a vector of 365 or 366 moments per step).
   When every duration on the way is in one additive family (all working
   days, or all hours, calendar days and weeks), one scalar DP gives the
   total and only the 365 end dates are computed on the calendar.

The worst case is the start date with the least margin to the deadline (or,
with no deadline, the longest span); the critical path is rebuilt for that
one date by a scalar DP that remembers where each maximum came from.
"""

from __future__ import annotations

import contextlib
import gc
import operator
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import networkx as nx

from plaint.core.calendar import (
    CLOCK,
    MINUTES_PER_DAY,
    WORK,
    Calendar,
    CalendarError,
    Clock,
    Ops,
    compile_duration,
    whole_days,
)
from plaint.core.durations import Duration, Unit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Step

__all__ = [
    "Case", "PathStep", "Timing", "TimingError", "analyse", "as_of", "calendar_of", "measure_of",
    "points", "reference_year",
]

EXACT_STATES = 4096  # largest product of loop counters unrolled exactly, per loop
MAX_NODES = 5_000_000  # largest unrolled graph analysed

_TODAY: ContextVar[date | None] = ContextVar("plaint_timing_today", default=None)


class TimingError(Exception):
    """The process cannot be timed (too large once its loops are unrolled)."""


@contextlib.contextmanager
def as_of(today: date | None) -> Iterator[None]:
    """Fix the reference date (its year is the year of start dates) while the block runs."""
    token = _TODAY.set(today)
    try:
        yield
    finally:
        _TODAY.reset(token)


def reference_year(year: int | None = None) -> int:
    """``year``, else the year of the date set by :func:`as_of`, else this year."""
    if year is not None:
        return year
    return (_TODAY.get() or date.today()).year


def calendar_of(graph: ProcessGraph) -> Calendar:
    """The process's calendar (built once per graph); raises CalendarError."""
    cache = graph.__dict__
    if "_timing_calendar" not in cache:
        try:
            cache["_timing_calendar"] = Calendar.shared(graph.process.calendar)
        except CalendarError as err:
            cache["_timing_calendar"] = err
    found = cache["_timing_calendar"]
    if isinstance(found, CalendarError):
        raise found
    return found


# -- results -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PathStep:
    step: str
    round: int  # 1, or 2 and more for a step reached again through a bounded loop
    takes: Duration | None  # the duration used for this step (None: no 'takes')
    begins: datetime
    ends: datetime
    timeout: bool = False  # a wait step that ran to its timeout
    start: bool = False  # the clock starts when this step is done (its time is not counted)


@dataclass(frozen=True)
class Case:
    received: date  # the day of the event that starts the clock
    begins: datetime  # when the clock starts (by the receipt convention)
    ends: datetime  # when the 'to' step ends
    end_day: date
    deadline: date | None  # the last day of the promise
    calendar_days: float
    working_days: float
    margin: float | None  # in the promise's measure; negative: late
    path: tuple[PathStep, ...]


@dataclass(frozen=True)
class Timing:
    sources: tuple[str, ...]  # steps where the clock starts (ids, document order)
    targets: tuple[str, ...]  # steps where it stops
    within: Duration | None
    status: str  # ok, no-from, no-to, no-path, unknowable
    year: int
    calendar: str
    receipt: str
    region: tuple[str, ...] = ()  # steps on some path from a source to a target
    missing: tuple[str, ...] = ()  # steps of the region without 'takes' (counted as no time)
    loop: tuple[str, ...] = ()  # for 'unknowable': the steps of a loop without a bound
    worst: Case | None = None
    best: Case | None = None
    late_starts: tuple[date, ...] = ()  # start dates of the year on which the promise is broken
    starts: int = 0  # start dates analysed
    approximate: bool = False
    unrolled: int = 0  # steps of the unrolled graph
    mode: str = ""  # how it was computed: 'scalar' or 'calendar'

    @property
    def breaks(self) -> bool:
        return bool(self.late_starts)

    @property
    def measure(self) -> str:
        """What margins are counted in: 'working days', 'hours' or 'calendar days'."""
        return measure_of(self.within)


def measure_of(within: Duration | None) -> str:
    if within is not None and within.unit is Unit.WORKING_DAYS:
        return "working days"
    if within is not None and within.unit is Unit.HOURS:
        return "hours"
    return "calendar days"


# -- the unrolled graph --------------------------------------------------------------------------

@dataclass
class _Unrolled:
    steps: list[str] = field(default_factory=list)  # step id of each node
    succ: list[list[tuple[int, int]]] = field(default_factory=list)  # (node, variant)
    pred: list[list[tuple[int, int]]] = field(default_factory=list)
    states: list[tuple[int, ...]] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    order: list[int] = field(default_factory=list)  # topological
    targets: list[int] = field(default_factory=list)
    approximate: bool = False


def _forward(graph: ProcessGraph, start: Iterable[str], stop: frozenset[str]) -> set[str]:
    """Steps reached from ``start``, not going on past a step of ``stop``."""
    flow = graph.flow
    seen = set(start)
    stack = [s for s in seen if s not in stop]
    while stack:
        for succ in flow.successors(stack.pop()):
            if succ not in seen:
                seen.add(succ)
                if succ not in stop:
                    stack.append(succ)
    return seen


def _backward(graph: ProcessGraph, start: Iterable[str]) -> set[str]:
    flow = graph.flow
    seen = set(start)
    stack = list(seen)
    while stack:
        for pred in flow.predecessors(stack.pop()):
            if pred not in seen:
                seen.add(pred)
                stack.append(pred)
    return seen


def _first_sources(graph: ProcessGraph, sources: frozenset[str]) -> set[str]:
    """Sources a complaint can reach from a receive step without passing another source."""
    flow = graph.flow
    seen = set(graph.entries)
    first = {e for e in seen if e in sources}
    stack = [e for e in seen if e not in sources]
    while stack:
        for succ in flow.successors(stack.pop()):
            if succ in seen:
                continue
            seen.add(succ)
            if succ in sources:
                first.add(succ)
            else:
                stack.append(succ)
    return first


def _unroll(graph: ProcessGraph, region: set[str], first: list[str],
            targets: frozenset[str]) -> _Unrolled:
    steps = graph.process.steps
    component = graph.component
    # Loop-back transitions with a bound, per loop (strongly connected part).
    slots: dict[str, tuple[int, int]] = {}  # transition id -> (slot index, its component)
    caps: dict[int, tuple[int, ...]] = {}
    approximate = False
    bounded: dict[int, list[Any]] = {}
    for sid in sorted(region, key=graph.order.__getitem__):
        for t in steps[sid].transitions:
            if t.target in region and t.bounded and graph.on_loop(t):
                bounded.setdefault(component[sid], []).append(t)
    for comp, transitions in bounded.items():
        product = 1
        for t in transitions:
            product *= t.max + 1
        if product <= EXACT_STATES:
            caps[comp] = tuple(t.max for t in transitions)
            for i, t in enumerate(transitions):
                slots[t.id] = (i, comp)
        else:  # one shared counter: every combination that sums to no more (an over-estimate)
            approximate = True
            caps[comp] = (sum(t.max for t in transitions),)
            for t in transitions:
                slots[t.id] = (0, comp)
    zero: dict[int, tuple[int, ...]] = {c: (0,) * len(v) for c, v in caps.items()}

    u = _Unrolled(approximate=approximate)
    index: dict[tuple[str, tuple[int, ...]], int] = {}

    def node(sid: str, state: tuple[int, ...]) -> int:
        key = (sid, state)
        found = index.get(key)
        if found is None:
            found = index[key] = len(u.steps)
            if found >= MAX_NODES:
                raise TimingError(f"the process unrolls into more than {MAX_NODES:,} steps once its "
                                  "bounded loops are repeated; lower the loops' 'max'")
            u.steps.append(sid)
            u.states.append(state)
            u.succ.append([])
            u.pred.append([])
            queue.append(found)
        return found

    queue: deque[int] = deque()
    for sid in first:
        u.sources.append(node(sid, zero.get(component[sid], ())))
    while queue:
        i = queue.popleft()
        sid = u.steps[i]
        state = u.states[i]
        step = steps[sid]
        if sid in targets:
            continue  # the clock stops at the first target a complaint reaches
        timeout_edge = step.kind == "wait"
        for t in step.transitions:
            if t.target not in region:
                continue
            slot = slots.get(t.id)
            if slot is not None:
                k, _ = slot
                if state[k] >= caps[component[sid]][k]:
                    continue
                new = (*state[:k], state[k] + 1, *state[k + 1:])
            elif component[t.target] == component[sid]:
                new = state
            else:
                new = zero.get(component[t.target], ())
            j = node(t.target, new)
            variant = 1 if (timeout_edge and t.default) else 0
            u.succ[i].append((j, variant))
            u.pred[j].append((i, variant))
    # Kahn's order.
    indegree = [len(p) for p in u.pred]
    ready = deque(i for i, d in enumerate(indegree) if d == 0)
    order = []
    while ready:
        i = ready.popleft()
        order.append(i)
        for j, _ in u.succ[i]:
            indegree[j] -= 1
            if indegree[j] == 0:
                ready.append(j)
    if len(order) != len(u.steps):  # only an unbounded loop can do this, and it is checked first
        raise TimingError("the process has a loop without a bound on the way")
    u.order = order
    u.targets = [i for i in order if u.steps[i] in targets]
    return u


# -- durations -----------------------------------------------------------------------------------

def _durations(step: Step) -> tuple[tuple[Duration | None, Duration | None],
                                    tuple[Duration | None, Duration | None]]:
    """((worst, best) for variant 0, (worst, best) for variant 1: a wait step's timeout)."""
    takes = step.takes
    if takes is None:
        return (None, None), (None, None)
    if step.kind == "wait":
        # A reply can come at once (or after 'min'); the timeout branch waits the whole time.
        return (takes.max, takes.min), (takes.max, takes.max)
    best = takes.min if takes.min is not None else takes.max
    return (takes.max, best), (takes.max, best)


_FAMILY = {Unit.WORKING_DAYS: WORK, Unit.HOURS: CLOCK, Unit.CALENDAR_DAYS: CLOCK, Unit.WEEKS: CLOCK}


# -- the DP --------------------------------------------------------------------------------------

def _vmax(values: list[Any]) -> Any:
    if len(values) == 1 or all(v is values[0] for v in values):
        return values[0]
    if isinstance(values[0], list):
        return list(map(max, *values))
    return max(values)


def _vmin(values: list[Any]) -> Any:
    if len(values) == 1 or all(v is values[0] for v in values):
        return values[0]
    if isinstance(values[0], list):
        return list(map(min, *values))
    return min(values)


@dataclass
class _Run:
    end_worst: Any
    end_best: Any
    # With tracking (scalar values): each node's start, and where it came from (None: the
    # clock started there).
    in_w: list[Any] | None = None
    in_b: list[Any] | None = None
    from_w: list[tuple[int, int] | None] | None = None
    from_b: list[tuple[int, int] | None] | None = None
    target_w: int = -1
    target_b: int = -1


def _dp(u: _Unrolled, join_all: list[bool], dur_w: list[tuple[Any, Any]],
        dur_b: list[tuple[Any, Any]], start: Any, adv: Callable[[Any, Any], Any],
        track: bool = False) -> _Run:
    """One pass in topological order.

    ``dur_w[i][variant]`` is how node i advances a moment in the worst case (variant 1:
    a wait step's timeout branch). A source node's *end* is the start of the clock;
    if the node can also be reached from an earlier source, the latest (worst) or
    earliest (best) of the two counts.
    """
    n = len(u.steps)
    out_w: list[Any] = [None] * n  # per node: (variant 0, variant 1)
    out_b: list[Any] = [None] * n
    remaining = [len(s) for s in u.succ]
    is_source = [False] * n
    for s in u.sources:
        is_source[s] = True
    is_target = [False] * n
    for t in u.targets:
        is_target[t] = True
    in_w: list[Any] = [None] * n if track else []
    in_b: list[Any] = [None] * n if track else []
    from_w: list[Any] = [None] * n if track else []
    from_b: list[Any] = [None] * n if track else []
    ends_w: list[tuple[Any, int]] = []
    ends_b: list[tuple[Any, int]] = []
    both = (0, 1)
    for i in u.order:
        ws, bs, keys = [], [], []
        for p, var in u.pred[i]:
            value = out_w[p]
            if value is not None:
                ws.append(value[var])
                bs.append(out_b[p][var])
                keys.append((p, var))
            remaining[p] -= 1
            if remaining[p] == 0 and not is_target[p]:
                out_w[p] = out_b[p] = None  # no successor needs it any more
        if ws:
            w = _vmax(ws)
            b = _vmax(bs) if join_all[i] else _vmin(bs)
            dw, db = dur_w[i], dur_b[i]
            ow = [adv(w, dw[0])]
            ow.append(ow[0] if dw[1] is dw[0] else adv(w, dw[1]))
            if b is w and db is dw:  # the best case has not parted from the worst yet
                ob = ow
            else:
                ob = [adv(b, db[0])]
                ob.append(ob[0] if db[1] is db[0] else adv(b, db[1]))
            if track:
                in_w[i], in_b[i] = w, b
                from_w[i] = keys[ws.index(w)]
                from_b[i] = keys[bs.index(b)]
            if is_source[i]:
                ow, ob = list(ow), list(ob)
                for v in both:
                    ow[v] = _vmax([ow[v], start])
                    ob[v] = _vmin([ob[v], start])
                if track:
                    if ow[0] == start:
                        in_w[i], from_w[i] = start, None
                    if ob[0] == start:
                        in_b[i], from_b[i] = start, None
        elif is_source[i]:
            ow = [start, start]
            ob = [start, start]
            if track:
                in_w[i] = in_b[i] = start
        else:
            continue
        out_w[i] = ow
        out_b[i] = ob
        if is_target[i]:
            ends_w.append((ow[0], i))
            ends_b.append((ob[0], i))
    if not ends_w:
        return _Run(None, None)
    run = _Run(_vmax([e for e, _ in ends_w]), _vmin([e for e, _ in ends_b]))
    if track:
        run.in_w, run.in_b, run.from_w, run.from_b = in_w, in_b, from_w, from_b
        run.target_w = next(i for e, i in ends_w if e == run.end_worst)
        run.target_b = next(i for e, i in ends_b if e == run.end_best)
    return run


# -- the analysis --------------------------------------------------------------------------------

def points(graph: ProcessGraph, names: Iterable[str], *, ids_first: bool = False) -> frozenset[str]:
    """The steps ``names`` stand for: step ids and step kinds.

    With ``ids_first`` (as commitments name points), a name that is the id of a step
    means that step only, even when it is also a kind.
    """
    names = list(names)
    if not ids_first:
        return graph.select(names)
    steps = graph.process.steps
    found: set[str] = {n for n in names if n in steps}
    kinds = [n for n in names if n not in steps]
    return frozenset(found | graph.select(kinds)) if kinds else frozenset(found)


def analyse(graph: ProcessGraph, sources: Iterable[str], targets: Iterable[str],
            within: Duration | None = None, year: int | None = None, *,
            ids_first: bool = False) -> Timing:
    """Worst and best case from the end of a ``sources`` step to the end of a ``targets`` step.

    ``sources`` and ``targets`` are step ids or kinds (see :func:`points`). The clock
    starts when the first source step a complaint reaches is done, and stops when the
    first target step on its way after that is done. Raises CalendarError for a calendar that
    cannot be built, TimingError for a process too large to unroll. Results are cached
    on the graph.
    """
    year = reference_year(year)
    src = points(graph, sources, ids_first=ids_first)
    tgt = points(graph, targets, ids_first=ids_first)
    key = (src, tgt, within, year)
    cache = graph.__dict__.setdefault("_timing_cache", {})
    if key not in cache:
        # The DP allocates many short-lived lists and no cycles: the cyclic garbage
        # collector's passes over a large heap would only make big processes slower.
        paused = gc.isenabled()
        gc.disable()
        try:
            cache[key] = _analyse(graph, src, tgt, within, year)
        finally:
            if paused:
                gc.enable()
    return cache[key]


def _analyse(graph: ProcessGraph, src: frozenset[str], tgt: frozenset[str],
             within: Duration | None, year: int) -> Timing:
    calendar = calendar_of(graph)
    order = graph.order
    base: dict[str, Any] = dict(within=within, year=year, calendar=calendar.describe(),
                                receipt=calendar.receipt)

    def doc(ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(ids, key=order.__getitem__))

    if not src:
        return Timing(doc(src), doc(tgt), status="no-from", **base)
    if not tgt:
        return Timing(doc(src), doc(tgt), status="no-to", **base)
    region = _forward(graph, src, stop=tgt) & _backward(graph, tgt)
    if not region & tgt or not region & src:
        return Timing(doc(src), doc(tgt), status="no-path", **base)
    sources_in = doc(src & region)
    targets_in = doc(tgt & region)
    steps = graph.process.steps
    first = _first_sources(graph, src) & region or set(sources_in)
    # A step with no 'takes' counts as taking no time; report it unless it is a receive
    # step (a complaint arrives in an instant) or only a source (its time is not counted).
    later = _forward_strict(graph, first, region, tgt)
    missing = doc(s for s in region if steps[s].takes is None and steps[s].kind != "receive"
                  and s in later)
    for loop in graph.unbounded_cycles:
        if _loops_within(graph, loop & region, tgt):
            return Timing(sources_in, targets_in, status="unknowable", region=doc(region),
                          missing=missing, loop=doc(loop), **base)
    u = _unroll(graph, region, list(doc(first)), tgt)

    # Durations per node; the clock's resolution; one family of units or several.
    per_step = {sid: _durations(steps[sid]) for sid in region}
    used = {d for pair in per_step.values() for variant in pair for d in variant if d is not None}
    ticks = 1 if all(whole_days(d) for d in (*used, within)) else MINUTES_PER_DAY
    clock = _clock(calendar, year, ticks)
    families = {_FAMILY.get(d.unit) for d in used}
    scalar = len(families) <= 1 and None not in families
    compiled: dict[Any, Ops] = {}

    def ops(d: Duration | None) -> Ops:
        key = None if d is None else (d.amount, id(d.unit))  # cheaper to hash than d
        found = compiled.get(key)
        if found is None:
            found = compiled[key] = compile_duration(d, ticks)
        return found

    def compiled_step(sid: str) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
        """((worst variant 0, variant 1), (best variant 0, variant 1)), shared objects."""
        pair = per_step[sid]
        out = []
        for case in (0, 1):
            a, b = ops(pair[0][case]), ops(pair[1][case])
            if scalar:
                a, b = sum(x for _, x in a), sum(x for _, x in b)
            out.append((a, b) if a != b else (a, a))
        return (out[0], out[0]) if out[0] == out[1] else (out[0], out[1])

    by_step = {sid: compiled_step(sid) for sid in region}

    def per_node(case: int) -> list[tuple[Any, Any]]:
        return [by_step[sid][case] for sid in u.steps]

    dur_w, dur_b = per_node(0), per_node(1)
    join_all = [steps[sid].join_all for sid in u.steps]
    days, starts = clock.year_starts(year)

    if scalar:
        family = next(iter(families), CLOCK)
        run = _dp(u, join_all, dur_w, dur_b, 0, operator.add, track=True)
        if run.end_worst is None:
            return Timing(sources_in, targets_in, status="no-path", **base)
        ends_ops = ((family, run.end_worst),)
        ends_w = clock.from_starts(year, ends_ops)
        ends_b = clock.from_starts(year, ((family, run.end_best),))
    else:
        run = _dp(u, join_all, dur_w, dur_b, starts, clock.advance_all)
        if run.end_worst is None:
            return Timing(sources_in, targets_in, status="no-path", **base)
        ends_ops = None
        ends_w, ends_b = run.end_worst, run.end_best

    measure = measure_of(within)
    n = len(days)
    span_w = [e - s for e, s in zip(ends_w, starts, strict=True)]
    if within is not None:
        deadlines = clock.from_starts(year, ops(within))
        late = tuple(d for d, e, dl in zip(days, ends_w, deadlines, strict=True) if e > dl)
        if measure == "working days":
            work_ends = (clock.working_from_starts(year, ends_ops) if ends_ops
                         else clock.working_all(ends_w))
            margins = [a - b for a, b in zip(clock.working_from_starts(year, ops(within)), work_ends,
                                             strict=True)]
        else:
            margins = [dl - e for e, dl in zip(ends_w, deadlines, strict=True)]
        worst_i = min(zip(margins, [-x for x in span_w], range(n), strict=True))[2]
    else:
        deadlines = None
        late = ()
        worst_i = min(zip([-x for x in span_w], range(n), strict=True))[1]
    best_i = min(zip([e - s for e, s in zip(ends_b, starts, strict=True)], range(n),
                     strict=True))[1]

    def case(i: int, worst: bool) -> Case:
        ends = ends_w[i] if worst else ends_b[i]
        if scalar:
            path = _path(u, run, worst, clock, starts[i], per_step, ops, absolute=False)
        else:
            single = _dp(u, join_all, dur_w, dur_b, starts[i], clock.advance, track=True)
            path = _path(u, single, worst, clock, starts[i], per_step, ops, absolute=True)
        return Case(
            received=days[i], begins=clock.moment(starts[i]), ends=clock.moment(ends),
            end_day=clock.end_day(ends),
            deadline=clock.end_day(deadlines[i]) if deadlines is not None else None,
            calendar_days=clock.calendar_days(starts[i], ends),
            working_days=clock.working_days(starts[i], ends),
            margin=_distance(clock, ends, deadlines[i], measure) if deadlines is not None else None,
            path=path,
        )

    return Timing(
        sources_in, targets_in, status="ok", region=doc(region), missing=missing,
        worst=case(worst_i, True), best=case(best_i, False), late_starts=late, starts=len(days),
        approximate=u.approximate, unrolled=len(u.steps), mode="scalar" if scalar else "calendar",
        **base,
    )


def _loops_within(graph: ProcessGraph, part: set[str], stop: frozenset[str]) -> bool:
    """A complaint can go round a loop inside ``part`` before its clock stops."""
    if not part:
        return False
    sub = nx.DiGraph()
    sub.add_nodes_from(part)
    sub.add_edges_from((u, v) for u, v in graph.unbounded_flow.subgraph(part).edges()
                       if u not in stop)
    return not nx.is_directed_acyclic_graph(sub)


def _forward_strict(graph: ProcessGraph, start: Iterable[str], region: set[str],
                    stop: frozenset[str]) -> set[str]:
    """Steps of ``region`` reached from ``start`` by one or more transitions (not past ``stop``)."""
    flow = graph.flow
    seen: set[str] = set()
    stack = [s for s in start if s not in stop]
    while stack:
        for succ in flow.successors(stack.pop()):
            if succ in region and succ not in seen:
                seen.add(succ)
                if succ not in stop:
                    stack.append(succ)
    return seen


def _clock(calendar: Calendar, year: int, ticks: int) -> Clock:
    clocks = calendar.__dict__.setdefault("_clocks", {})
    key = (year, ticks)
    if key not in clocks:
        clocks[key] = calendar.clock(year, ticks)
    return clocks[key]


def _distance(clock: Clock, a: int, b: int, measure: str) -> float:
    """b - a in the measure (working days, hours, calendar days)."""
    if measure == "working days":
        return (clock.working_before(b) - clock.working_before(a)) / clock.T
    if measure == "hours":
        return (b - a) * 24 / clock.T
    return (b - a) / clock.T


def _path(u: _Unrolled, run: _Run, worst: bool, clock: Clock, start: int,
          per_step: dict[str, Any], ops: Callable[[Duration | None], Ops],
          absolute: bool) -> tuple[PathStep, ...]:
    """The chain of steps that gives the worst (or best) end, with dates."""
    came_from = run.from_w if worst else run.from_b
    values = run.in_w if worst else run.in_b
    assert came_from is not None and values is not None
    chain: list[tuple[int, int]] = []  # (node, variant of the transition it leaves by)
    node = run.target_w if worst else run.target_b
    variant = 0
    while True:
        chain.append((node, variant))
        prev = came_from[node]
        if prev is None:
            break
        node, variant = prev
    chain.reverse()
    out = []
    seen: dict[str, int] = {}
    kind = 0 if worst else 1
    t = start
    for position, (node, variant) in enumerate(chain):
        sid = u.steps[node]
        seen[sid] = seen.get(sid, 0) + 1
        if position == 0:  # the clock starts when this step is done
            moment = clock.moment(start)
            out.append(PathStep(sid, seen[sid], None, moment, moment, start=True))
            continue
        duration = per_step[sid][variant][kind]
        begins = values[node] if absolute else t
        t = clock.advance(begins, ops(duration))
        out.append(PathStep(sid, seen[sid], duration, clock.moment(begins), clock.moment(t),
                            timeout=variant == 1))
    return tuple(out)


# -- words ---------------------------------------------------------------------------------------
# How timing results read in findings and in `plaint timing`: shared, so they say the same.

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def number(x: float) -> str:
    """61.0 -> '61'; 2.5 -> '2.5'; 1.1666 -> '1.17'."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def amount(x: float, unit: str) -> str:
    """'1 working day', '2.5 working days', '3 hours' (``unit`` is plural)."""
    return f"{number(x)} {unit[:-1] if number(x) == '1' else unit}"


def _hours(fraction: float) -> str:
    """A fraction of a day as hours: 0.125 -> '3 hours'."""
    return amount(fraction * 24, "hours")


def days_words(days: float, unit: str = "calendar days") -> str:
    """'61 calendar days', '33 calendar days and 3 hours', '5 hours'."""
    sign = "-" if days < 0 else ""
    days = abs(days)
    whole = int(days + 1e-9)
    rest = round(days - whole, 6)
    if rest < 1 / 1440:
        return sign + amount(whole, unit)
    if whole == 0:
        return sign + _hours(rest)
    return f"{sign}{amount(whole, unit)} and {_hours(rest)}"


def workdays_words(days: float) -> str:
    """'2.5 working days' for whole quarters of a day, else '1 working day and 4 hours'."""
    if abs(days * 4 - round(days * 4)) < 1e-6:
        return amount(days, "working days")
    return days_words(days, "working days")


def measure_words(x: float, measure: str) -> str:
    """An amount in a promise's measure: working days, hours or calendar days."""
    if measure == "working days":
        return workdays_words(x)
    if measure == "hours":
        return amount(x, "hours")
    return days_words(x)


def weeks(days: float) -> str:
    """'8 weeks and 5 days' for 61 days, '4 weeks, 5 days and 3 hours'; '' under a week."""
    if days < 7:
        return ""
    whole, rest = divmod(days, 7)
    parts = [amount(whole, "weeks")]
    rest_days = int(rest + 1e-9)
    rest_hours = round(rest - rest_days, 6)
    if rest_days:
        parts.append(amount(rest_days, "days"))
    if rest_hours >= 1 / 1440:
        parts.append(_hours(rest_hours))
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def span(case: Case, measure: str) -> str:
    """How long a case takes, in the promise's measure and in calendar days."""
    days = days_words(case.calendar_days)
    if measure == "working days":
        return f"{workdays_words(case.working_days)} ({days})"
    if measure == "hours":
        return f"{amount(case.calendar_days * 24, 'hours')} ({days})"
    in_weeks = weeks(case.calendar_days)
    return f"{days} ({in_weeks})" if in_weeks else days


def case_words(case: Case | None, measure: str) -> str:
    """How long a case takes, in the promise's measure only ('-' for no case)."""
    if case is None:
        return "-"
    if measure == "working days":
        return workdays_words(case.working_days)
    if measure == "hours":
        return amount(case.calendar_days * 24, "hours")
    return days_words(case.calendar_days)


def clock_words(when: datetime, end: bool = False) -> str:
    """'2026-04-07 12:00'; with ``end``, midnight is '2026-04-07 24:00' (the end of that day)."""
    if end and when.hour == 0 and when.minute == 0:
        return f"{date.fromordinal(when.toordinal() - 1).isoformat()} 24:00"
    return when.strftime("%Y-%m-%d %H:%M")


def late_words(margin: float, measure: str) -> str:
    """How far past the deadline: '3 calendar days and 3 hours', '1 working day'."""
    return measure_words(-margin, measure)


def moment(when: datetime) -> str:
    """'the end of 2027-02-17' for midnight (the end of the day before), else '2027-01-05 04:00'."""
    if when.hour == 0 and when.minute == 0:
        return f"the end of {(when - timedelta(days=1)).date().isoformat()}"
    return when.strftime("%Y-%m-%d %H:%M")


def weekday(day: date) -> str:
    return f"{day.isoformat()} (a {DAY_NAMES[day.weekday()]})"


def step_words(step: PathStep) -> str:
    """'record (1 working day)', 'investigate, round 2 (5 working days)', 'receive'."""
    name = step.step if step.round == 1 else f"{step.step}, round {step.round}"
    if step.start:
        return name
    if step.takes is None:
        return f"{name} (no 'takes')"
    return f"{name} ({'timeout, ' if step.timeout else ''}{step.takes})"


def path_words(path: Iterable[PathStep], limit: int | None = 16) -> str:
    """'receive → record (1 working day) → ... → respond (1 working day)'."""
    words = [step_words(s) for s in path]
    if limit is not None and len(words) > limit:
        keep = limit // 2
        words = [*words[:keep], f"… {len(words) - 2 * keep} more steps …", *words[-keep:]]
    return " → ".join(words)


def who(timing: Timing, graph: ProcessGraph, day: date) -> str:
    """'a complaint received on 2026-12-18 (a Friday)', or when a step is done."""
    steps = graph.process.steps
    if timing.sources and all(steps[s].entry for s in timing.sources):
        return f"a complaint received on {weekday(day)}"
    names = " or ".join(f"'{s}'" for s in timing.sources[:3])
    return f"a complaint whose step {names} is done on {weekday(day)}"


def breach(timing: Timing, graph: ProcessGraph) -> str:
    """How often and how badly a promise is broken, with the critical path of the worst case.

    Reads after "... can be broken": "on 2 of the 365 days of 2026: a complaint
    received on ... can take ..., 1 calendar day after the deadline (...): a → b".
    """
    worst = timing.worst
    assert worst is not None and worst.margin is not None
    measure = timing.measure
    late = len(timing.late_starts)
    if late == timing.starts:
        often = f"on every day of {timing.year}"
    elif late == 1:
        often = f"on one day of {timing.year}"
    else:
        often = f"on {late} of the {timing.starts} days of {timing.year}"
    deadline = worst.deadline.isoformat() if worst.deadline else "?"
    return (f"{often}: {who(timing, graph, worst.received)} can take {span(worst, measure)}, "
            f"to {moment(worst.ends)}, {late_words(worst.margin, measure)} after the deadline "
            f"(the end of {deadline}): {path_words(worst.path)}")


def missing_words(timing: Timing) -> str:
    """' (steps without 'takes', counted as taking no time: 'a' and 'b')', or ''."""
    if not timing.missing:
        return ""
    names = [f"'{s}'" for s in timing.missing[:8]]
    more = f" and {len(timing.missing) - 8} more" if len(timing.missing) > 8 else ""
    listing = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    verb = "has" if len(timing.missing) == 1 else "have"
    return f" (counting {listing}{more}, which {verb} no 'takes', as taking no time)"


# -- the whole process, as data (for `plaint timing` and reports) -------------------------------

def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M")


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def case_data(case: Case | None) -> dict[str, Any] | None:
    if case is None:
        return None
    return {
        "received": case.received.isoformat(),
        "weekday": DAY_NAMES[case.received.weekday()],
        "clock_starts": _iso(case.begins),
        "ends": _iso(case.ends),
        "end_day": case.end_day.isoformat(),
        "deadline": case.deadline.isoformat() if case.deadline else None,
        "calendar_days": _round(case.calendar_days),
        "working_days": _round(case.working_days),
        "margin": _round(case.margin),
        "path": [
            {"step": s.step, "round": s.round, "takes": str(s.takes) if s.takes else None,
             "clock_starts_here": s.start, "timeout": s.timeout,
             "begins": _iso(s.begins), "ends": _iso(s.ends)}
            for s in case.path
        ],
    }


def timing_data(timing: Timing) -> dict[str, Any]:
    """Everything about one analysis, as plain data (dates as ISO text, numbers rounded)."""
    return {
        "status": "broken" if timing.breaks else ("kept" if timing.status == "ok" else timing.status),
        "sources": list(timing.sources),
        "targets": list(timing.targets),
        "within": str(timing.within) if timing.within else None,
        "measure": timing.measure,
        "year": timing.year,
        "starts": timing.starts,
        "late_start_dates": [d.isoformat() for d in timing.late_starts],
        "best": case_data(timing.best),
        "worst": case_data(timing.worst),
        "steps_without_takes": list(timing.missing),
        "unbounded_loop": list(timing.loop),
        "approximate": timing.approximate,
        "unrolled_steps": timing.unrolled,
        "method": timing.mode,
    }
