"""Soundness of parallel blocks, by a small token game.

Plain graph queries (reachability, co-reachability, loops) settle soundness
for a process made of steps and choices only. Parallel splits and ``join:
all`` steps need more: whether the branches of a split meet again, and
whether a join can wait for a branch that never comes. This module plays the
token game of a workflow net (van der Aalst, 1997) on the step graph:

* tokens lie on transitions (edges); a marking is the set of edges that hold
  one;
* a step with ``join: all`` fires when every incoming transition holds a
  token, and takes them all; any other step fires on one token;
* firing puts a token on the one ``next`` transition, on one branch of a
  choice (each branch is explored), or on every transition of a parallel
  split; a step without ``next`` puts none;
* each entry step starts one game, as if it had just fired.

Markings are explored breadth first, so the first witness of a problem is a
shortest one and the results are deterministic. Loops, bounded or not, are
ordinary edges: the state space stays finite because an edge holds at most
one token (a second one is reported, not stored). Exploration stops at
``max_states`` markings; then the result says it is incomplete and reports
nothing, rather than a partial answer.

Problems found:

``deadlock``
    A marking with tokens where nothing can fire: every token waits at a
    ``join: all`` step for a transition that will never carry one.
``merge``
    A step that is not a join holds tokens on two incoming transitions at
    once: two parallel branches meet there without being synchronised, and
    everything after it would happen twice.
``overflow``
    A transition would carry a second token (the step it leads to is reached
    twice by parallel work).
``completion``
    A terminal step fires while tokens remain: the complaint is closed while
    parallel work is still pending.

Overflows and completions downstream of a ``merge`` step follow from that
merge, so they are not reported separately.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from plaint.core.model import Process

MAX_STATES = 20_000


@dataclass(frozen=True)
class Problem:
    """One problem at one step, with the transitions that show it."""

    kind: str  # "deadlock", "merge", "overflow" or "completion"
    step: str
    # deadlock: transitions (ids) that hold a token / that never get one;
    # merge: the incoming transitions holding tokens at once;
    # overflow: the transition that would carry two tokens;
    # completion: the transitions still holding tokens when the step fires.
    edges: tuple[str, ...]
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class SoundnessResult:
    """The outcome of the token game for a whole process."""

    ran: bool  # False when the process has no parallel split and no join
    complete: bool  # False when the state cap was reached (then no problems are given)
    states: int
    problems: tuple[Problem, ...]

    def of_kind(self, *kinds: str) -> list[Problem]:
        return [p for p in self.problems if p.kind in kinds]


def needs_token_game(process: Process) -> bool:
    """True when the process has a parallel split or a ``join: all`` step."""
    return any(s.split == "parallel" or s.join_all for s in process.steps.values())


def analyse(process: Process, max_states: int = MAX_STATES) -> SoundnessResult:
    """Play the token game from every entry step (only when it is needed)."""
    if not needs_token_game(process):
        return SoundnessResult(ran=False, complete=True, states=0, problems=())
    return _Game(process, max_states).run()


class _Game:
    def __init__(self, process: Process, max_states: int) -> None:
        self.process = process
        self.max_states = max_states
        self.order = {sid: i for i, sid in enumerate(process.steps)}
        self.edges = [t for s in process.steps.values() for t in s.transitions]
        index = {t.id: i for i, t in enumerate(self.edges)}
        self.target = [t.target for t in self.edges]
        self.inputs: dict[str, int] = dict.fromkeys(process.steps, 0)
        for i, t in enumerate(self.edges):
            self.inputs[t.target] |= 1 << i
        # Per step: the output alternatives, each a mask of edges that get a token.
        self.outputs: dict[str, list[int]] = {}
        for s in process.steps.values():
            bits = [1 << index[t.id] for t in s.transitions]
            if s.split == "parallel":
                self.outputs[s.id] = [sum(bits)]
            elif bits:
                self.outputs[s.id] = bits
            else:
                self.outputs[s.id] = [0]
        self.join = {s.id for s in process.steps.values() if s.join_all and self.inputs[s.id]}
        self.terminal = {s.id for s in process.steps.values() if s.terminal}
        self.found: dict[tuple[str, str], Problem] = {}

    # -- helpers ---------------------------------------------------------------------
    def _ids(self, mask: int) -> tuple[str, ...]:
        out = []
        while mask:
            low = mask & -mask
            out.append(self.edges[low.bit_length() - 1].id)
            mask ^= low
        return tuple(out)

    def _note(self, kind: str, step: str, edges: int, missing: int = 0) -> None:
        """Keep the first witness of each problem (breadth first: a shortest one)."""
        if (kind, step) not in self.found:
            self.found[kind, step] = Problem(kind, step, self._ids(edges), self._ids(missing))

    def _fire(self, step: str, rest: int, seen: set[int], queue: deque[int]) -> None:
        """``step`` has taken its tokens; ``rest`` is what remains on other edges."""
        if step in self.terminal and rest:
            self._note("completion", step, rest)
            return  # the complaint is closed; what remains is the problem, not a new state
        for out in self.outputs[step]:
            clash = rest & out
            if clash:
                low = clash & -clash
                self._note("overflow", self.target[low.bit_length() - 1], low)
            nxt = rest | out
            if nxt and nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)

    def run(self) -> SoundnessResult:
        seen: set[int] = set()
        queue: deque[int] = deque()
        for entry in (s.id for s in self.process.steps.values() if s.entry):
            self._fire(entry, 0, seen, queue)
        explored = 0
        while queue:
            explored += 1
            if explored > self.max_states:
                return SoundnessResult(ran=True, complete=False, states=explored - 1, problems=())
            marking = queue.popleft()
            holders: dict[str, int] = {}
            mask = marking
            while mask:
                low = mask & -mask
                step = self.target[low.bit_length() - 1]
                holders[step] = holders.get(step, 0) | low
                mask ^= low
            enabled = False
            for step in sorted(holders, key=self.order.__getitem__):
                held = holders[step]
                if step in self.join:
                    needed = self.inputs[step]
                    if held == needed:
                        enabled = True
                        self._fire(step, marking & ~needed, seen, queue)
                    continue
                enabled = True
                if held & (held - 1):  # two or more incoming transitions hold a token
                    self._note("merge", step, held)
                rest_of = marking & ~held
                bits = held
                while bits:
                    low = bits & -bits
                    self._fire(step, rest_of | (held ^ low), seen, queue)
                    bits ^= low
            if not enabled:
                for step in sorted(holders, key=self.order.__getitem__):
                    self._note("deadlock", step, holders[step], self.inputs[step] & ~holders[step])
        return SoundnessResult(ran=True, complete=True, states=explored,
                               problems=self._filtered())

    def _filtered(self) -> tuple[Problem, ...]:
        merges = [p.step for p in self.found.values() if p.kind == "merge"]
        after_merge: set[str] = set()
        stack = list(merges)
        succ: dict[str, list[str]] = {}
        for t in self.edges:
            succ.setdefault(t.source, []).append(t.target)
        while stack:
            step = stack.pop()
            if step in after_merge:
                continue
            after_merge.add(step)
            stack.extend(succ.get(step, ()))
        kept = [p for p in self.found.values()
                if p.kind in ("merge", "deadlock") or p.step not in after_merge]
        rank = {"deadlock": 0, "merge": 1, "overflow": 2, "completion": 3}
        return tuple(sorted(kept, key=lambda p: (self.order[p.step], rank[p.kind])))
