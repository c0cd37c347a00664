"""The process as a graph, with analyses computed once and shared by rules.

Control flow (``next``) and information flow (``feeds``) are separate
``MultiDiGraph``s: parallel and duplicate transitions stay visible, and an
information link never makes a step look reachable. Every analysis is linear
or near-linear in the size of the graph; nothing enumerates paths.
"""

from __future__ import annotations

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
