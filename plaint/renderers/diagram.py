"""Process diagrams: DOT, SVG, PNG, PDF and Mermaid from one checked file.

Graphviz draws the first four (``dot.py`` writes the DOT, ``graphviz_engine.py``
runs it, bundled or from the system, with a time limit); Mermaid is text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from plaint.core.pipeline import FileResult
from plaint.renderers import dot, graphviz_engine
from plaint.renderers.diagram_model import Diagram, Node, build_diagram
from plaint.renderers.graphviz_engine import DiagramError

__all__ = ["FORMATS", "DiagramError", "Drawing", "draw", "draw_all", "inline_svg"]

FORMATS = ("svg", "png", "pdf", "dot", "mermaid")
MAX_STEPS = 3000  # beyond this, even an overview takes Graphviz minutes
DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Drawing:
    content: bytes
    overview: bool  # drawn without labels because the process is large (or asked for)
    steps: int
    warnings: tuple[str, ...] = ()  # what Graphviz warned about (e.g. edges it could not route)


def _graphviz_source(diagram: Diagram, options: dot.Options, timeout: float) -> str:
    """The pinned DOT (pass two), after laying out pass one to learn each node's x."""
    boxes = dot.boxes_from_json(
        graphviz_engine.run(dot.rank_source(diagram, options), "dot", "json0", timeout))
    missing = [n.id for n in diagram.nodes if n.id not in boxes]
    if missing:
        raise DiagramError(f"Graphviz left out {len(missing)} step(s) of the layout, "
                           f"e.g. '{missing[0]}'")
    placement = dot.place(diagram, boxes)
    if options.overview or not any(edge.label for edge in diagram.edges):
        return dot.pinned_source(diagram, placement, options)
    # Route once without the conditions, then put each condition beside its own edge.
    routed = graphviz_engine.run(dot.pinned_source(diagram, placement, options), "neato-n2",
                                 "json0", timeout)
    routes = dot.routes_from_json(routed)
    labels = dot.place_labels(diagram, placement, routes, options)
    return dot.pinned_source(diagram, placement, options, labels, routes)


def draw_all(result: FileResult, formats: list[str] | tuple[str, ...], *, id_prefix: str = "",
             link: Callable[[Node], str | None] | None = None, overview: bool | None = None,
             timeout: float = DEFAULT_TIMEOUT) -> dict[str, Drawing]:
    """Draw a file's process in each format (laid out once).

    ``overview=None`` draws an overview above dot.OVERVIEW_STEPS steps.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise DiagramError(f"unknown diagram format '{unknown[0]}'; use one of {', '.join(FORMATS)}")
    if result.process is None or result.graph is None:
        raise DiagramError(f"{result.path}: the process has errors, so it cannot be drawn; "
                           "run plaint check on it")
    steps = len(result.process.steps)
    if steps > MAX_STEPS:
        raise DiagramError(f"{result.path}: {steps} steps is more than plaint draws "
                           f"({MAX_STEPS}); split the process into sub-processes")
    diagram = build_diagram(result)
    small = overview if overview is not None else steps > dot.OVERVIEW_STEPS
    out: dict[str, Drawing] = {}
    if "mermaid" in formats:
        from plaint.renderers import mermaid

        out["mermaid"] = Drawing(mermaid.render(diagram).encode("utf-8"), False, steps)
    drawn = [f for f in formats if f != "mermaid"]
    if drawn:
        options = dot.Options(id_prefix=id_prefix, link=link, overview=small)
        source = _graphviz_source(diagram, options, timeout)
        for fmt in drawn:
            if fmt == "dot":
                out[fmt] = Drawing(source.encode("utf-8"), small, steps)
                continue
            content, warnings = graphviz_engine.run_with_warnings(source, "neato-n2", fmt, timeout)
            out[fmt] = Drawing(content, small, steps, tuple(warnings))
    return out


def draw(result: FileResult, fmt: str, **options: Any) -> Drawing:
    """One format of :func:`draw_all`."""
    return draw_all(result, [fmt], **options)[fmt]


_PROLOGUE = re.compile(rb"^.*?(?=<svg\b)", re.DOTALL)


def inline_svg(result: FileResult, *, id_prefix: str = "",
               timeout: float = DEFAULT_TIMEOUT) -> str:
    """The diagram as an ``<svg>`` element for an HTML page; a step with findings links to
    ``#{id_prefix}finding-{n}``, its first finding (1-based, in the file's order)."""
    def link(node: Node) -> str | None:
        return f"#{id_prefix}finding-{node.marker.first}" if node.marker else None

    drawing = draw(result, "svg", id_prefix=id_prefix, link=link, timeout=timeout)
    return _PROLOGUE.sub(b"", drawing.content, count=1).decode("utf-8")
