"""What a process diagram shows, apart from how it is drawn.

Built from a checked file (the model, the graph and the findings): lanes, one
per owner; steps with their kind, title, duration and findings; gateways for
choices, parallel splits and joins; and the edges between them. The DOT and
Mermaid writers both draw this; neither looks at the spec or the analysis again.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from plaint.core.findings import Finding, Severity
from plaint.core.model import IMPROVEMENT_KINDS, TERMINAL_KINDS, Process, Step, StepDuration
from plaint.core.pipeline import FileResult

UNASSIGNED = "~unassigned"  # the lane of steps without an owner (not a valid role id)


@dataclass(frozen=True)
class Lane:
    id: str  # role id, or UNASSIGNED
    title: str
    team: str | None


@dataclass(frozen=True)
class Marker:
    """The findings on one element: what the diagram draws on it."""

    severity: str  # worst unwaived severity ("error", "warning", "info"), or "waived"
    numbers: tuple[int, ...]  # 1-based positions in the file's findings
    lines: tuple[str, ...]  # one line of text per finding, for tooltips

    @property
    def first(self) -> int:
        return self.numbers[0]


@dataclass(frozen=True)
class Node:
    id: str  # step id, or a gateway id (gateway ids contain '~', which step ids cannot)
    lane: str
    category: str  # entry, task, review, wait, terminal, improvement, choice, parallel, join
    kind: str  # the step kind ("" for gateways)
    title: str
    duration: str | None
    line: int | None  # where the step is defined
    marker: Marker | None = None

    @property
    def gateway(self) -> bool:
        return self.category in ("choice", "parallel", "join")


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    style: str  # flow, loop (a bounded branch back round a loop), feeds (information flow)
    label: str | None = None
    back: bool = False  # closes a cycle: drawn without pulling the target leftwards


@dataclass(frozen=True)
class Diagram:
    title: str
    process_id: str
    lanes: tuple[Lane, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    unplaced: tuple[Finding, ...] = field(default_factory=tuple)  # findings on no drawn element

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)


def _category(step: Step) -> str:
    if step.entry:
        return "entry"
    if step.kind in TERMINAL_KINDS:
        return "terminal"
    if step.kind in IMPROVEMENT_KINDS:
        return "improvement"
    if step.kind in ("review", "wait"):
        return step.kind
    return "task"


def duration_words(takes: StepDuration | None) -> str | None:
    """'at most 3 working days', or '1-6 working days' with a minimum."""
    if takes is None:
        return None
    if takes.min is not None:
        low, high = takes.min, takes.max
        if low.unit == high.unit:
            amount = int(low.amount) if low.amount == int(low.amount) else low.amount
            return f"{amount}–{high}"
        return f"{low} – {high}"
    return f"≤ {takes.max}"


def _markers(findings: list[Finding], drawn: set[str]) -> tuple[dict[str, Marker], list[Finding]]:
    by_element: dict[str, list[tuple[int, Finding]]] = {}
    unplaced = []
    for number, finding in enumerate(findings, start=1):
        if finding.element in drawn:
            by_element.setdefault(finding.element, []).append((number, finding))
        else:
            unplaced.append(finding)
    markers = {}
    for element, found in by_element.items():
        live = [f.severity for _, f in found if not f.waived]
        severity = str(max(live)) if live else "waived"
        lines = tuple(
            f"{'waived ' if f.waived else ''}{f.severity} [{f.rule}] {f.message}" for _, f in found)
        markers[element] = Marker(severity, tuple(n for n, _ in found), lines)
    return markers, unplaced


def _lane_order(process: Process, entries: list[str]) -> list[str]:
    """Owners in the order a complaint meets them (breadth first from the entry steps),
    then owners of steps no complaint reaches, in document order: stable for one spec."""
    seen: list[str] = []
    queue = deque(entries)
    visited = set(entries)
    order_of_steps: list[str] = []
    while queue:
        sid = queue.popleft()
        order_of_steps.append(sid)
        step = process.steps[sid]
        for target in [t.target for t in step.transitions] + list(step.feeds):
            if target not in visited and target in process.steps:
                visited.add(target)
                queue.append(target)
    order_of_steps += [sid for sid in process.steps if sid not in visited]
    for sid in order_of_steps:
        lane = process.steps[sid].owner or UNASSIGNED
        if lane not in seen:
            seen.append(lane)
    return seen


def _back_edges(process: Process, entries: list[str]) -> set[tuple[str, str]]:
    """Edges that close a cycle in a depth-first walk from the entries (document order)."""
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    for root in entries + list(process.steps):
        if root in state:
            continue
        stack = [(root, iter([t.target for t in process.steps[root].transitions]))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                continue
            if child not in process.steps:
                continue
            if state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter([t.target for t in process.steps[child].transitions])))
    return back


def build_diagram(result: FileResult) -> Diagram:
    """The diagram of a file that reached the graph stage."""
    process, graph = result.process, result.graph
    if process is None or graph is None:
        raise ValueError("only a file whose process could be built has a diagram")
    entries = list(graph.entries)
    lanes_order = _lane_order(process, entries)
    lanes = tuple(
        Lane(rid, process.roles[rid].title, process.roles[rid].team) if rid in process.roles
        else Lane(UNASSIGNED, "No owner", None)
        for rid in lanes_order
    )
    markers, unplaced = _markers(result.findings, set(process.steps))
    back = _back_edges(process, entries)
    nodes: list[Node] = []
    edges: list[Edge] = []
    joins = {t.target for s in process.steps.values() for t in s.transitions
             if process.steps.get(t.target) is not None and process.steps[t.target].join_all}
    for step in process.steps.values():
        lane = step.owner or UNASSIGNED
        span = result.document.locate(step.path, key=True) if result.document else None
        nodes.append(Node(step.id, lane, _category(step), step.kind, step.title,
                          duration_words(step.takes), span.line if span else None,
                          markers.get(step.id)))
        if step.id in joins:
            nodes.append(Node(f"{step.id}~join", lane, "join", "", "", None, None))
            edges.append(Edge(f"{step.id}~join", step.id, "flow"))
        source = step.id
        if step.split in ("choice", "parallel") and len(step.transitions) > 1:
            gateway = f"{step.id}~{step.split}"
            nodes.append(Node(gateway, lane, step.split, "", "", None, None))
            edges.append(Edge(step.id, gateway, "flow"))
            source = gateway
        for t in step.transitions:
            target = f"{t.target}~join" if t.target in joins else t.target
            label = t.guard
            style = "flow"
            if t.max is not None:
                style = "loop"
                label = f"{t.guard} (at most {t.max}×)" if t.guard else f"at most {t.max}×"
            edges.append(Edge(source, target, style, label, back=(step.id, t.target) in back))
        edges.extend(Edge(step.id, target, "feeds", back=False) for target in step.feeds)
    return Diagram(process.title, process.id, lanes, tuple(nodes), tuple(edges), tuple(unplaced))


def worst(markers: list[Marker]) -> str | None:
    """The worst severity among markers (for legends and summaries)."""
    live = [Severity.parse(m.severity) for m in markers if m.severity != "waived"]
    if live:
        return str(max(live))
    return "waived" if markers else None
