"""Mermaid flowcharts, for Markdown files and pull-request comments.

A summary view (GitHub draws Mermaid without links or tooltips): one subgraph
per owner, step kinds as shapes, guards on the branches, bounded loops and
information flow dashed, and findings as classes. Every id is rebuilt from the
step id (``s_`` plus the id with ``_`` for ``-``), so no id can be a Mermaid
keyword such as ``end`` or start an ``o``/``x`` edge; every label is quoted
with Mermaid's entity codes for the characters that would end or change it.
"""

from __future__ import annotations

from dataclasses import replace

from plaint.renderers.diagram_model import Diagram, Edge, Node
from plaint.renderers.escape import printable

SHAPES = {  # opening and closing brackets
    "entry": (">", "]"), "task": ("(", ")"), "review": ("[[", "]]"), "wait": ("{{", "}}"),
    "terminal": ("([", "])"), "improvement": ("[/", "/]"), "choice": ("{", "}"),
    "parallel": ("{", "}"), "join": ("{", "}"),
}
CLASSES = {
    "error": "fill:#fde0dd,stroke:#c62828,stroke-width:3px",
    "warning": "fill:#fff1cc,stroke:#b26a00,stroke-width:3px",
    "info": "fill:#e3eefa,stroke:#1f5fa8,stroke-width:2px",
    "waived": "fill:#eeeeee,stroke:#6b6b6b,stroke-width:2px,stroke-dasharray:4 2",
}
# '%' too: Mermaid takes '%%{init: ...}%%' anywhere in the text, quoted or not, as configuration.
_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;",
             "|": "#124;", "\\": "#92;", "%": "#37;"}


def text(value: str) -> str:
    """Text for inside a quoted Mermaid label."""
    return "".join(_ENTITIES.get(ch, ch) for ch in printable(value))


def node_id(step_or_gateway: str) -> str:
    return "s_" + step_or_gateway.replace("-", "_").replace("~", "__")


def _label(node: Node) -> str:
    if node.gateway:
        return "X" if node.category == "choice" else "+"
    label = text(node.title)
    if node.duration:
        label += "<br/><small>" + text(node.duration) + "</small>"
    return label


def _edge(edge: Edge) -> str:
    arrow = "-.->" if edge.style in ("loop", "feeds") else "-->"
    label = f'|"{text(edge.label)}"|' if edge.label else ""
    return f"  {node_id(edge.source)} {arrow}{label} {node_id(edge.target)}"


def render(diagram: Diagram) -> str:
    lines = [f"%% {text(diagram.title)} ({text(diagram.process_id)}), drawn by plaint",
             "flowchart LR"]
    for index, lane in enumerate(diagram.lanes, start=1):
        lines.append(f'  subgraph L{index}["{text(lane.title)}"]')
        lines.append("    direction LR")
        for node in diagram.nodes:
            if node.lane == lane.id:
                opening, closing = SHAPES[node.category]
                lines.append(f'    {node_id(node.id)}{opening}"{_label(node)}"{closing}')
        lines.append("  end")
    feeds = []
    for index, edge in enumerate(diagram.edges):
        lines.append(_edge(edge))
        if edge.style == "feeds":
            feeds.append(str(index))
    if feeds:
        lines.append(f"  linkStyle {','.join(feeds)} stroke:#7b1fa2,stroke-dasharray:2 4")
    marked: dict[str, list[str]] = {}
    for node in diagram.nodes:
        if node.marker is not None:
            marked.setdefault(node.marker.severity, []).append(node_id(node.id))
    for severity, style in CLASSES.items():
        if severity in marked:
            lines.append(f"  classDef {severity} {style}")
            lines.append(f"  class {','.join(marked[severity])} {severity}")
    return "\n".join(lines) + "\n"


def affected(diagram: Diagram, *, include_waived: bool = False) -> Diagram | None:
    """The part of a diagram around its findings: the steps with findings and their
    direct neighbours (a choice, parallel split or join between two steps counts as
    part of the edge, so the steps beyond it are drawn too), in their lanes, with the
    edges among them. None when no drawn step has a finding to show.

    Waived findings alone do not make a step affected unless ``include_waived``;
    a waived step drawn as a neighbour keeps its class.
    """
    focus = {n.id for n in diagram.nodes if n.marker is not None
             and (include_waived or n.marker.severity != "waived")}
    if not focus:
        return None
    gateways = {n.id for n in diagram.nodes if n.gateway}
    successors: dict[str, set[str]] = {}
    predecessors: dict[str, set[str]] = {}
    for edge in diagram.edges:
        successors.setdefault(edge.source, set()).add(edge.target)
        predecessors.setdefault(edge.target, set()).add(edge.source)

    def reach(start: str, links: dict[str, set[str]]) -> set[str]:
        # One step along the links, passing through gateways to the steps beyond them.
        found: set[str] = set()
        stack = list(links.get(start, ()))
        while stack:
            node = stack.pop()
            if node in found:
                continue
            found.add(node)
            if node in gateways:
                stack.extend(links.get(node, ()))
        return found

    keep = set(focus)
    for node in focus:
        keep |= reach(node, successors) | reach(node, predecessors)
    nodes = tuple(n for n in diagram.nodes if n.id in keep)
    edges = tuple(e for e in diagram.edges if e.source in keep and e.target in keep)
    lanes = tuple(lane for lane in diagram.lanes if any(n.lane == lane.id for n in nodes))
    return replace(diagram, lanes=lanes, nodes=nodes, edges=edges)


def render_affected(diagram: Diagram, *, include_waived: bool = False) -> str | None:
    """Mermaid for :func:`affected`: a summary of where the findings are, for Markdown."""
    part = affected(diagram, include_waived=include_waived)
    return render(part) if part is not None else None
