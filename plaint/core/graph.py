"""The process as a graph, with analyses computed once and shared by rules.

Control flow (``next``) and information flow (``feeds``) are separate
``MultiDiGraph``s: parallel and duplicate transitions stay visible, and an
information link never makes a step look reachable. Every analysis is linear
or near-linear in the size of the graph; nothing enumerates paths.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from functools import cached_property

import networkx as nx

from plaint.core.model import Process, Step, Transition
from plaint.core.soundness import SoundnessResult, analyse

VIRTUAL_START = "\x00start"
VIRTUAL_END = "\x00end"


class ProcessGraph:
    def __init__(self, process: Process) -> None:
        self.process = process
        flow = nx.MultiDiGraph()
        info = nx.MultiDiGraph()
        for step in process.steps.values():
            flow.add_node(step.id, kind=step.kind, owner=step.owner)
            info.add_node(step.id)
        for step in process.steps.values():
            for t in step.transitions:
                flow.add_edge(t.source, t.target, key=t.id, transition=t)
            for target in step.feeds:
                info.add_edge(step.id, target, key=f"{step.id}=>{target}")
        self.flow = flow
        self.info = info

    # -- the parts of the process ------------------------------------------------
    @cached_property
    def entries(self) -> list[str]:
        return [s.id for s in self.process.steps.values() if s.entry]

    @cached_property
    def terminals(self) -> list[str]:
        return [s.id for s in self.process.steps.values() if s.terminal]

    @cached_property
    def operation_steps(self) -> list[Step]:
        """Steps that take part in handling one complaint (not the improvement loop)."""
        return [s for s in self.process.steps.values() if not s.improvement]

    def transitions(self) -> list[Transition]:
        return [t for s in self.process.steps.values() for t in s.transitions]

    @cached_property
    def order(self) -> dict[str, int]:
        """Position of each step in the document (for deterministic, readable output)."""
        return {sid: i for i, sid in enumerate(self.process.steps)}

    def first_in_document(self, steps: frozenset[str] | set[str]) -> Step:
        """The step of ``steps`` written first in the file."""
        return self.process.steps[min(steps, key=self.order.__getitem__)]

    @cached_property
    def dead_ends(self) -> list[str]:
        """Operation steps that are not terminal and have no ``next``."""
        return [s.id for s in self.operation_steps if not s.terminal and not s.transitions]

    # -- reachability ------------------------------------------------------------------
    @cached_property
    def reachable(self) -> frozenset[str]:
        """Steps reachable from some entry step (entries included)."""
        seen: set[str] = set()
        for entry in self.entries:
            if entry not in seen:
                seen |= nx.descendants(self.flow, entry) | {entry}
        return frozenset(seen)

    @cached_property
    def coreachable(self) -> frozenset[str]:
        """Steps from which some terminal step can be reached (terminals included)."""
        return self._coreachable(self.flow)

    @cached_property
    def unbounded_flow(self) -> nx.MultiDiGraph:
        """Control flow without loop-back transitions that carry a bound (``max``).

        A bounded transition that is not on a loop stays: its bound never runs out
        (``bound-not-on-loop`` reports it).
        """
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(self.flow.nodes)
        graph.add_edges_from(
            (u, v, k) for u, v, k, t in self.flow.edges(keys=True, data="transition")
            if not (t.bounded and self.on_loop(t))
        )
        return graph

    @cached_property
    def coreachable_unbounded(self) -> frozenset[str]:
        """Steps that can reach a terminal once every bounded loop is used up."""
        return self._coreachable(self.unbounded_flow)

    def _coreachable(self, graph: nx.MultiDiGraph) -> frozenset[str]:
        seen: set[str] = set()
        reverse = graph.reverse(copy=False)
        for end in self.terminals:
            if end not in seen:
                seen |= nx.descendants(reverse, end) | {end}
        return frozenset(seen)

    # -- cycles ---------------------------------------------------------------------
    @cached_property
    def component(self) -> dict[str, int]:
        """Index of each step's strongly connected part of the control flow."""
        return {
            node: i
            for i, part in enumerate(nx.strongly_connected_components(self.flow))
            for node in part
        }

    def on_loop(self, t: Transition) -> bool:
        """The transition is part of a loop: its target can lead back to its source."""
        return t.source == t.target or self.component[t.source] == self.component[t.target]

    @cached_property
    def cycles(self) -> list[frozenset[str]]:
        """Strongly connected parts that form loops (more than one step, or a self-loop)."""
        return self._cyclic_components(self.flow)

    @cached_property
    def unbounded_cycles(self) -> list[frozenset[str]]:
        """Loops with no bounded transition on them."""
        return self._cyclic_components(self.unbounded_flow)

    @staticmethod
    def _cyclic_components(graph: nx.MultiDiGraph) -> list[frozenset[str]]:
        out = []
        for component in nx.strongly_connected_components(graph):
            if len(component) > 1 or any(graph.has_edge(n, n) for n in component):
                out.append(frozenset(component))
        return sorted(out, key=lambda c: sorted(c))

    @cached_property
    def traps(self) -> list[frozenset[str]]:
        """Loops with no way out to a terminal step."""
        return [c for c in self.cycles if not c & self.coreachable]

    # -- parallel blocks -------------------------------------------------------------
    @cached_property
    def soundness(self) -> SoundnessResult:
        """The token game over parallel splits and joins (see plaint.core.soundness).

        Runs only when the process has a parallel split or a ``join: all`` step;
        ``soundness.complete`` is False when the state space was too large to explore.
        """
        return analyse(self.process)

    # -- ordering -------------------------------------------------------------------
    @cached_property
    def _rooted(self) -> nx.DiGraph:
        graph = nx.DiGraph()
        graph.add_nodes_from(self.reachable)
        graph.add_edges_from((u, v) for u, v in self.flow.edges() if u in self.reachable)
        graph.add_edges_from((VIRTUAL_START, e) for e in self.entries)
        graph.add_edges_from((t, VIRTUAL_END) for t in self.terminals if t in self.reachable)
        return graph

    @cached_property
    def dominators(self) -> dict[str, str]:
        """Immediate dominators from a virtual start that precedes every entry."""
        if not self.entries:
            return {}
        return nx.immediate_dominators(self._rooted, VIRTUAL_START)

    @cached_property
    def post_dominators(self) -> dict[str, str]:
        """Immediate post-dominators towards a virtual end that follows every terminal."""
        if VIRTUAL_END not in self._rooted:
            return {}
        return nx.immediate_dominators(self._rooted.reverse(copy=True), VIRTUAL_END)

    def dominates(self, a: str, b: str) -> bool:
        """Every path from an entry to ``b`` passes ``a``."""
        return _chain_contains(self.dominators, a, b)

    def post_dominates(self, a: str, b: str) -> bool:
        """Every path from ``b`` to a terminal passes ``a``."""
        return _chain_contains(self.post_dominators, a, b)

    # -- selections and paths for parameterised rules ------------------------------------
    # Each of these is linear in the size of the graph and memoised per argument, so
    # several rules that ask the same question pay for it once.

    def select(self, names: Iterable[str]) -> frozenset[str]:
        """Steps whose id or kind is one of ``names`` (as commitments name points)."""
        wanted = frozenset(names)
        cache = self.__dict__.setdefault("_select_cache", {})
        if wanted not in cache:
            cache[wanted] = frozenset(
                s.id for s in self.process.steps.values() if s.id in wanted or s.kind in wanted)
        return cache[wanted]

    def reaches(self, targets: frozenset[str], *, info: bool = False) -> frozenset[str]:
        """Steps with a path of one or more links to a step of ``targets``.

        Control flow (``next``) by default; information flow (``feeds``) with ``info``.
        """
        key = (targets, info)
        cache = self.__dict__.setdefault("_reaches_cache", {})
        if key not in cache:
            graph = self.info if info else self.flow
            seen: set[str] = set()
            stack = [t for t in targets if t in graph]
            while stack:
                node = stack.pop()
                for pred in graph.predecessors(node):
                    if pred not in seen:
                        seen.add(pred)
                        stack.append(pred)
            cache[key] = frozenset(seen)
        return cache[key]

    def reach_avoiding(self, sources: frozenset[str], avoid: frozenset[str]) -> dict[str, str]:
        """Steps reached from ``sources`` without passing a step of ``avoid``.

        Maps each step that some path of one or more transitions from a source
        reaches, with no step of ``avoid`` on it (ends included), to the first
        source (in document order) found to reach it. Sources in ``avoid`` start
        nothing. A step with ``join: all`` is reached only once every
        predecessor that the sources can reach at all is reached this way: the
        parallel work that meets there has all been done, so if one branch of
        it passes ``avoid``, the join is not reached without passing ``avoid``.
        One breadth-first pass: no path is enumerated.
        """
        key = (sources, avoid)
        cache = self.__dict__.setdefault("_avoid_cache", {})
        if key in cache:
            return cache[key]
        flow, steps = self.flow, self.process.steps
        start = sorted((s for s in sources if s not in avoid and s in flow),
                       key=self.order.__getitem__)
        relevant = set(start)
        stack = list(start)
        while stack:
            node = stack.pop()
            for succ in flow.successors(node):
                if succ not in relevant:
                    relevant.add(succ)
                    stack.append(succ)
        origin = {s: s for s in start}
        reached: dict[str, str] = {}
        waiting: dict[str, int] = {}
        queue = deque(start)
        while queue:
            node = queue.popleft()
            for succ in flow.successors(node):
                if succ in avoid or succ in reached:
                    continue
                if steps[succ].join_all:
                    left = waiting.get(succ)
                    if left is None:
                        left = sum(1 for p in flow.predecessors(succ) if p in relevant)
                    waiting[succ] = left = left - 1
                    if left > 0:
                        continue
                reached[succ] = origin[node]
                if succ not in origin:
                    origin[succ] = origin[node]
                    queue.append(succ)
        cache[key] = reached
        return reached


def _chain_contains(idom: dict[str, str], d: str, n: str) -> bool:
    # Works with networkx before and after 3.6 (the root maps to itself, or is absent).
    if n not in idom and n != d:
        return False
    while n != d:
        parent = idom.get(n)
        if parent is None or parent == n:
            return False
        n = parent
    return True
