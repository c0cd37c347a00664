"""DOT for a diagram: swimlanes as real bands, in a fixed order.

Graphviz clusters are bounding boxes, not bands: lanes come out as boxes of
different lengths in whatever order crossing minimisation gives. So the layout
takes two passes. Pass one lays the graph out left to right with ``dot``,
without lanes, and keeps each node's x (its rank along the flow). Pass two pins
every node: x from pass one, y from its lane (nodes sharing a lane and a rank
are stacked), and ``neato -n2`` routes the edges around the pinned nodes. The
lane bands, their titles and the legend are drawn as a background (xdot
operations), so they appear in every output format without disturbing routing.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass

from plaint.renderers.diagram_model import Diagram, Edge, Node
from plaint.renderers.escape import dot_lines, dot_string, dot_tooltip, html, relative_url, wrap

FONT = "Helvetica"
SEVERITY_COLOURS = {  # border, fill
    "error": ("#c62828", "#fde0dd"),
    "warning": ("#b26a00", "#fff1cc"),
    "info": ("#1f5fa8", "#e3eefa"),
    "waived": ("#6b6b6b", "#eeeeee"),
}
CATEGORY_STYLE = {  # shape, style, fill
    "entry": ("cds", "filled", "#e6f4ea"),  # an arrow into the process
    "task": ("box", "rounded,filled", "#ffffff"),
    "review": ("box3d", "filled", "#fff8e1"),
    "wait": ("hexagon", "filled", "#f3f3f3"),
    "terminal": ("box", "rounded,filled,bold", "#e8eaf6"),
    "improvement": ("note", "filled", "#f3e5f5"),
    "choice": ("diamond", "filled", "#ffffff"),
    "parallel": ("diamond", "filled", "#ffffff"),
    "join": ("diamond", "filled", "#ffffff"),
}
GATEWAY_MARK = {"choice": "X", "parallel": "+", "join": "+"}
EDGE_STYLE = {  # style, colour, arrowhead
    "flow": ("solid", "#37474f", "normal"),
    "loop": ("dashed", "#37474f", "normal"),
    "feeds": ("dotted", "#7b1fa2", "empty"),
}
LEGEND_KINDS = (
    ("entry", "Complaint received"), ("task", "Step"), ("review", "Review stage"),
    ("wait", "Wait"), ("terminal", "Close, refer or redirect"), ("improvement", "Improvement loop"),
    ("choice", "Choice"), ("parallel", "Parallel split or join"),
)
LEGEND_EDGES = (("flow", "Next step"), ("loop", "Bounded loop (at most n times)"),
                ("feeds", "Information flow (feeds)"))

POINTS_PER_INCH = 72.0
HEADER_WIDTH = 150.0  # the column of lane titles, in points
LANE_PADDING = 18.0
ROW_GAP = 30.0
TITLE_WIDTH = 22  # characters per line of a step title
OVERVIEW_STEPS = 300  # above this many steps, draw an overview (no labels, straight edges)


Link = Callable[[Node], str | None]


@dataclass(frozen=True)
class Options:
    id_prefix: str = ""
    link: Link | None = None  # the URL of a node (finding anchor, or the spec's line)
    overview: bool = False  # small unlabelled nodes, for very large processes


def _counts(node: Node) -> str:
    marker = node.marker
    assert marker is not None
    words = {}
    for line in marker.lines:
        key = "waived" if line.startswith("waived ") else line.split(" ", 1)[0]
        words[key] = words.get(key, 0) + 1
    order = ("error", "warning", "info", "waived")
    parts = []
    for key in order:
        if key in words:
            n = words[key]
            parts.append(f"{n} {key}" + ("s" if n != 1 and key not in ("info", "waived") else ""))
    return ", ".join(parts)


def _label(node: Node, options: Options) -> str:
    if node.gateway:
        return f'"{GATEWAY_MARK[node.category]}"'
    if options.overview:
        return '""'
    rows = ["<B>" + "<BR/>".join(html(line) for line in wrap(node.title, TITLE_WIDTH)) + "</B>"]
    if node.duration:
        rows.append(f'<FONT POINT-SIZE="9" COLOR="#37474f">{html(node.duration)}</FONT>')
    rows.append(f'<FONT POINT-SIZE="8" COLOR="#6b6b6b">{html(node.id)}</FONT>')
    cells = "".join(f"<TR><TD>{row}</TD></TR>" for row in rows)
    if node.marker is not None:
        border, _ = SEVERITY_COLOURS[node.marker.severity]
        cells += (f'<TR><TD BGCOLOR="{border}"><FONT POINT-SIZE="9" COLOR="#ffffff">'
                  f"{html(_counts(node))}</FONT></TD></TR>")
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{cells}</TABLE>>'


def _node_attrs(node: Node, options: Options, pos: tuple[float, float] | None) -> str:
    shape, style, fill = CATEGORY_STYLE[node.category]
    attrs = {"shape": shape, "style": dot_string(style), "fillcolor": dot_string(fill),
             "label": _label(node, options),
             "id": dot_string(f"{options.id_prefix}step-{node.id}")}
    classes = ["step", f"kind-{node.kind or node.category}"]
    tooltip = [f"{node.title} ({node.id})" if not node.gateway else
               {"choice": "choice", "parallel": "parallel split", "join": "join (waits for all)"}
               [node.category]]
    if node.duration:
        tooltip.append(f"takes {node.duration}")
    if node.line:
        tooltip.append(f"defined at line {node.line}")
    if node.category == "entry":
        attrs["margin"] = '"0.3,0.08"'
    if node.gateway:
        attrs.update(width="0.42", height="0.42", fixedsize="true", fontsize="11")
        attrs["id"] = dot_string(f"{options.id_prefix}gateway-{node.id.replace('~', '-')}")
        classes = ["gateway", node.category]
    if node.marker is not None:
        border, tint = SEVERITY_COLOURS[node.marker.severity]
        attrs.update(color=dot_string(border), penwidth="2.5", fillcolor=dot_string(tint))
        classes += ["finding", node.marker.severity]
        tooltip += list(node.marker.lines)
    if options.overview and not node.gateway:
        attrs.update(width="0.3", height="0.3", fixedsize="true")
    attrs["class"] = dot_string(" ".join(classes))
    attrs["tooltip"] = dot_tooltip(tooltip)
    url = options.link(node) if options.link else None
    if url:
        attrs.update(URL=dot_string(relative_url(url)), target='"_top"')
    if pos is not None:
        attrs["pos"] = f'"{pos[0]:.1f},{pos[1]:.1f}!"'
    return ", ".join(f"{k}={v}" for k, v in attrs.items())


LABEL_FRACTIONS = (0.5, 0.62, 0.38, 0.74, 0.26, 0.86, 0.14)  # where along an edge a label may sit


def _label_box(centre: tuple[float, float], lines: list[str]) -> Box:
    width = 5.0 * max(len(line) for line in lines) + 6  # generous for 9-point Helvetica
    return Box(centre[0], centre[1], width, 11.0 * len(lines) + 4)


def _overlap(a: Box, b: Box) -> float:
    """The area two boxes share (0 when they do not touch)."""
    wide = (a.width + b.width) / 2 - abs(a.x - b.x)
    high = (a.height + b.height) / 2 - abs(a.y - b.y)
    return wide * high if wide > 0 and high > 0 else 0.0


def routes_from_json(raw: bytes) -> dict[str, str]:
    """Each edge's routed spline (Graphviz's ``pos``), by the edge's id, from ``json0``."""
    data = json.loads(raw.decode("utf-8"))
    return {edge["id"]: edge["pos"] for edge in data.get("edges", [])
            if edge.get("id") and edge.get("pos")}


def spline_points(pos: str) -> list[tuple[float, float]]:
    """The Bézier control points of a routed spline (its arrow end points left out)."""
    points = [tuple(float(v) for v in token.split(",")) for token in pos.split()
              if not token.startswith(("e,", "s,"))]
    return [(p[0], p[1]) for p in points]


def _bezier(points: list[tuple[float, float]], t: float) -> tuple[float, float]:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    u = 1 - t
    return (u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
            u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3)


def _polyline(controls: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A spline (cubic Bézier segments sharing end points) as a fine polyline."""
    out = [controls[0]]
    for i in range(0, len(controls) - 3, 3):
        out += [_bezier(controls[i:i + 4], step / 12) for step in range(1, 13)]
    return out


def _point_at(line: list[tuple[float, float]], fraction: float) -> tuple[float, float, float, float]:
    """The point at ``fraction`` of the polyline's length, and the unit tangent there."""
    lengths = [math.dist(a, b) for a, b in itertools.pairwise(line)]
    goal = sum(lengths) * fraction
    for (a, b), length in zip(itertools.pairwise(line), lengths, strict=True):
        if goal <= length and length > 0:
            t = goal / length
            return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t,
                    (b[0] - a[0]) / length, (b[1] - a[1]) / length)
        goal -= length
    (ax, ay), (bx, by) = line[-2], line[-1]
    length = math.dist(line[-2], line[-1]) or 1.0
    return bx, by, (bx - ax) / length, (by - ay) / length


def place_labels(diagram: Diagram, placement: Placement, routes: dict[str, str],
                 options: Options) -> dict[int, tuple[float, float]]:
    """Where each branch's condition goes: the centre of its label, by edge index.

    neato puts an edge's own label near the start of its spline, where the labels
    of a choice's branches pile up on the gateway. So the edges are routed first
    (``routes``, from a routing pass), and each condition is put beside its own
    routed edge (as a tail label at a given position): at the middle of the edge
    when that is free, else further along or back, above or below the line,
    whichever first touches no step and no label already placed.
    """
    taken: list[Box] = [placement.box(n.id) for n in diagram.nodes]
    out: dict[int, tuple[float, float]] = {}
    for index, edge in enumerate(diagram.edges):
        controls = spline_points(routes.get(f"{options.id_prefix}edge-{index}", ""))
        if not edge.label or len(controls) < 4:
            continue
        lines = wrap(edge.label, 30, 3)
        line = _polyline(controls)
        lift = 5.5 * len(lines) + 4
        candidates = []
        for fraction in LABEL_FRACTIONS:
            x, y, tx, ty = _point_at(line, fraction)
            for side in (1, -1):
                candidates.append((x - ty * lift * side, y + tx * lift * side))
        def cover(centre: tuple[float, float], lines: list[str] = lines) -> float:
            return sum(_overlap(_label_box(centre, lines), other) for other in taken)

        # min keeps the first of equals: the first free place, else the one covering least.
        centre = min(candidates, key=cover)
        taken.append(_label_box(centre, lines))
        out[index] = centre
    return out


def _edge_label(lines: list[str]) -> str:
    """An HTML-like label on a translucent white ground, readable where it crosses a line."""
    rows = "<BR/>".join(html(line) for line in lines)
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" '
            f'BGCOLOR="#ffffffd0"><TR><TD>{rows}</TD></TR></TABLE>>')


def _edge_attrs(edge: Edge, index: int, options: Options, laid_out: bool,
                label_at: tuple[float, float] | None = None) -> str:
    style, colour, head = EDGE_STYLE[edge.style]
    attrs = {"style": style, "color": dot_string(colour), "arrowhead": head,
             "id": dot_string(f"{options.id_prefix}edge-{index}"),
             "class": dot_string(f"flow-{edge.style}")}
    if edge.label and not options.overview:
        lines = wrap(edge.label, 30, 3)
        if not laid_out:
            attrs["label"] = dot_lines(lines)  # pass one: dot makes room for the label
        elif label_at is not None:
            attrs["taillabel"] = _edge_label(lines)
            attrs["tail_lp"] = f'"{label_at[0]:.2f},{label_at[1]:.2f}"'
        attrs["fontsize"] = attrs["labelfontsize"] = "9"
        attrs["fontcolor"] = attrs["labelfontcolor"] = dot_string("#37474f")
        attrs["labeltooltip"] = dot_tooltip([edge.label])
    if edge.style == "feeds":
        attrs["edgetooltip"] = dot_tooltip([f"{edge.source} feeds {edge.target}"])
    if not laid_out and edge.back:
        attrs["constraint"] = "false"
    if not laid_out and edge.style == "feeds":
        # Information flow keeps the improvement steps to the right of their sources
        # without pulling those sources (redirects, closes) along the flow.
        attrs["weight"] = "0"
    return ", ".join(f"{k}={v}" for k, v in attrs.items())


def _name(node_id: str) -> str:
    return dot_string(node_id)


def _header(name: str, extra: str = "") -> list[str]:
    return [
        f"digraph {dot_string(name)} {{",
        f'  graph [fontname="{FONT}", charset="UTF-8", bgcolor="#ffffff", pad="0.2"{extra}];',
        f'  node [fontname="{FONT}", fontsize="11", margin="0.12,0.06", color="#37474f"];',
        f'  edge [fontname="{FONT}", fontsize="9", arrowsize="0.7"];',
    ]


def rank_source(diagram: Diagram, options: Options) -> str:
    """Pass one: the flow laid out left to right, no lanes (only x is kept)."""
    lines = _header("plaint-pass-1", ', rankdir="LR", nodesep="0.35", ranksep="0.45", '
                    'newrank="true"')
    for node in diagram.nodes:
        lines.append(f"  {_name(node.id)} [{_node_attrs(node, options, None)}];")
    for index, edge in enumerate(diagram.edges):
        lines.append(f"  {_name(edge.source)} -> {_name(edge.target)} "
                     f"[{_edge_attrs(edge, index, options, False)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


def boxes_from_json(raw: bytes) -> dict[str, Box]:
    """Node centres and sizes (points) from Graphviz's ``json0`` output."""
    data = json.loads(raw.decode("utf-8"))
    out = {}
    for obj in data.get("objects", []):
        if "pos" not in obj:
            continue
        x, y = (float(v) for v in obj["pos"].split(","))
        out[obj["name"]] = Box(x, y, float(obj["width"]) * POINTS_PER_INCH,
                               float(obj["height"]) * POINTS_PER_INCH)
    return out


@dataclass(frozen=True)
class LaneBand:
    title: str
    team: str | None
    top: float  # from the top of the drawing, in points
    height: float


@dataclass(frozen=True)
class Placement:
    positions: dict[str, tuple[float, float]]  # Graphviz coordinates (y up)
    sizes: dict[str, tuple[float, float]]  # width and height, in points
    bands: tuple[LaneBand, ...]
    width: float
    height: float  # of the lanes (the legend goes below)

    def box(self, node_id: str) -> Box:
        (x, y), (width, height) = self.positions[node_id], self.sizes[node_id]
        return Box(x, y, width, height)


def _rows(lane_nodes: list[str], boxes: dict[str, Box], links: set[tuple[str, str]]) -> dict[str, int]:
    """Rows within one lane, keeping pass one's vertical order.

    Nodes pass one put at the same height start on one row. A row then takes in
    the next one down while that puts no two nodes on top of each other and no
    edge between two of its nodes runs through a third (neato would have to
    bend it round, and its label would sit on the node).
    """
    levels: list[list[str]] = []
    for node_id in sorted(lane_nodes, key=lambda n: (-boxes[n].y, boxes[n].x, n)):
        if levels and abs(boxes[levels[-1][0]].y - boxes[node_id].y) < 10.0:
            levels[-1].append(node_id)
        else:
            levels.append([node_id])

    def clash(row: list[str]) -> bool:
        spans = sorted((boxes[n].x - boxes[n].width / 2 - 12, boxes[n].x + boxes[n].width / 2 + 12)
                       for n in row)
        if any(a[1] > b[0] for a, b in itertools.pairwise(spans)):
            return True
        members = set(row)
        for u, v in links:
            if u in members and v in members:
                low, high = sorted((boxes[u].x, boxes[v].x))
                if any(low < boxes[w].x < high for w in row if w not in (u, v)):
                    return True
        return False

    rows: list[list[str]] = []
    for level in levels:
        if rows and not clash(rows[-1] + level):
            rows[-1] += level
        else:
            rows.append(list(level))
    return {node_id: i for i, row in enumerate(rows) for node_id in row}


def place(diagram: Diagram, boxes: dict[str, Box]) -> Placement:
    """Pass two's positions: x from pass one, y from the node's lane and row."""
    left = min(b.x - b.width / 2 for b in boxes.values())
    right = max(b.x + b.width / 2 for b in boxes.values())
    shift = HEADER_WIDTH + 20.0 - left
    links = {(e.source, e.target) for e in diagram.edges}
    bands = []
    centres: dict[str, float] = {}
    top = 0.0
    for lane in diagram.lanes:
        in_lane = [n.id for n in diagram.nodes if n.lane == lane.id]
        row_of = _rows(in_lane, boxes, links)
        count = max(row_of.values(), default=0) + 1
        pitch = max((boxes[n].height for n in in_lane), default=36.0) + ROW_GAP
        height = count * pitch + 2 * LANE_PADDING - ROW_GAP
        title_lines = len(wrap(lane.title, 20, 5)) + (1 if lane.team else 0)
        height = max(height, 16.0 * title_lines + 2 * LANE_PADDING)
        first = top + (height - (count * pitch - ROW_GAP)) / 2 + (pitch - ROW_GAP) / 2
        for node_id, row in row_of.items():
            centres[node_id] = first + row * pitch
        bands.append(LaneBand(lane.title, lane.team, top, height))
        top += height
    positions = {n: (boxes[n].x + shift, top - centre) for n, centre in centres.items()}
    sizes = {n: (boxes[n].width, boxes[n].height) for n in positions}
    return Placement(positions, sizes, tuple(bands), right - left + HEADER_WIDTH + 40.0, top)


def _rect(x0: float, y0: float, x1: float, y1: float, fill: str, pen: str) -> str:
    return (f"c {len(pen)} -{pen} C {len(fill)} -{fill} "
            f"P 4 {x0:.1f} {y0:.1f} {x1:.1f} {y0:.1f} {x1:.1f} {y1:.1f} {x0:.1f} {y1:.1f} ")


LEGEND_HEIGHT = 120.0


def _background(placement: Placement, legend_top: float) -> str:
    """Lane bands as xdot drawing operations (filled rectangles only: Graphviz 14 crashes
    on text operations in a background, so lane titles are pinned plaintext nodes)."""
    ops = []
    for i, band in enumerate(placement.bands):
        y_top = legend_top + placement.height - band.top
        y_bottom = y_top - band.height
        fill = "#f7f9fb" if i % 2 == 0 else "#eef2f6"
        ops.append(_rect(0, y_bottom, placement.width, y_top, fill, "#b0bec5"))
        ops.append(_rect(0, y_bottom, HEADER_WIDTH, y_top, "#dfe6ec", "#b0bec5"))
    return "".join(ops)


def _lane_titles(placement: Placement, legend_top: float, options: Options) -> list[str]:
    lines = []
    for i, band in enumerate(placement.bands):
        rows = "<BR/>".join(html(line) for line in wrap(band.title, 20, 5))
        label = f"<B>{rows}</B>"
        if band.team:
            label += f'<BR/><FONT POINT-SIZE="9" COLOR="#546e7a">{html(band.team)}</FONT>'
        y = legend_top + placement.height - band.top - band.height / 2
        lines.append(f"  {dot_string(f'~lane-{i}')} [shape=plaintext, margin=\"0\", "
                     f"label=<{label}>, id={dot_string(f'{options.id_prefix}lane-{i + 1}')}, "
                     f'class="lane-title", pos="{HEADER_WIDTH / 2:.1f},{y:.1f}!"];')
    return lines


def _own_id(options: Options, name: str) -> str:
    """An explicit id for a drawing aid (legend, corners), with the page's prefix: without
    one, Graphviz numbers it (node12), and two diagrams on one page would share ids."""
    return f"id={dot_string(options.id_prefix + name.lstrip('~'))}"


def _legend_text(options: Options, name: str, words: str, left: float,
                 y: float) -> tuple[str, float]:
    """A plaintext legend label starting at ``left``; returns it and where it ends."""
    width = 5.4 * len(words) + 6  # generous for 9-point Helvetica, so labels never touch
    node = (f"  {dot_string(name)} [shape=plaintext, label={dot_string(words)}, fontsize=\"9\", "
            f"{_own_id(options, name)}, "
            f'margin="0", width="{width / POINTS_PER_INCH:.2f}", height="0.2", fixedsize="true", '
            f'pos="{left + width / 2:.1f},{y:.1f}!"];')
    return node, left + width


def _legend(options: Options, routes: dict[str, str]) -> tuple[list[str], list[str]]:
    """Legend nodes and edges in three rows below the lanes (y from 0 up to LEGEND_HEIGHT):
    step shapes, edge styles, severity colours."""
    nodes, edges = [], []
    x, y = 10.0, LEGEND_HEIGHT - 38
    for category, words in LEGEND_KINDS:
        shape, style, fill = CATEGORY_STYLE[category]
        label = f'"{GATEWAY_MARK[category]}"' if category in GATEWAY_MARK else '""'
        width = 0.3 if category in GATEWAY_MARK else 0.45
        nodes.append(f"  {dot_string(f'~legend-{category}')} [shape={shape}, style={dot_string(style)}, "
                     f"fillcolor={dot_string(fill)}, label={label}, width=\"{width}\", "
                     f'height="0.3", fixedsize="true", fontsize="9", '
                     f"id={dot_string(options.id_prefix + 'legend-' + category)}, "
                     f'tooltip={dot_string(words)}, pos="{x + width * 36:.1f},{y:.1f}!"];')
        text, x = _legend_text(options, f"~legend-{category}-text", words, x + width * 72 + 8, y)
        nodes.append(text)
        x += 22
    x, y = 10.0, LEGEND_HEIGHT - 72
    for style, words in LEGEND_EDGES:
        a, b = f"~legend-{style}-a", f"~legend-{style}-b"
        for name, at in ((a, x), (b, x + 48)):
            nodes.append(f'  {dot_string(name)} [shape=point, width="0.02", style=invis, '
                         f'{_own_id(options, name)}, pos="{at:.1f},{y:.1f}!"];')
        line_style, colour, head = EDGE_STYLE[style]
        route = routes.get(f"{options.id_prefix}legend-{style}-edge")
        edges.append(f"  {dot_string(a)} -> {dot_string(b)} [style={line_style}, "
                     f"color={dot_string(colour)}, arrowhead={head}, tooltip={dot_string(words)}, "
                     f"{_own_id(options, f'legend-{style}-edge')}"
                     + (f', pos="{route}"' if route else "") + "];")
        text, x = _legend_text(options, f"~legend-{style}-text", words, x + 56, y)
        nodes.append(text)
        x += 22
    x, y = 10.0, LEGEND_HEIGHT - 102
    for severity, words in (("error", "Finding: error"), ("warning", "Finding: warning"),
                            ("info", "Finding: info"), ("waived", "Finding waived")):
        border, tint = SEVERITY_COLOURS[severity]
        nodes.append(f"  {dot_string(f'~legend-{severity}')} [shape=box, style=\"rounded,filled\", "
                     f"color={dot_string(border)}, fillcolor={dot_string(tint)}, penwidth=\"2.5\", "
                     f'label="", width="0.45", height="0.25", fixedsize="true", '
                     f"{_own_id(options, f'legend-{severity}')}, "
                     f'pos="{x + 16:.1f},{y:.1f}!"];')
        text, x = _legend_text(options, f"~legend-{severity}-text", words, x + 40, y)
        nodes.append(text)
        x += 22
    return nodes, edges


def pinned_source(diagram: Diagram, placement: Placement, options: Options,
                  labels: dict[int, tuple[float, float]] | None = None,
                  routes: dict[str, str] | None = None) -> str:
    """Pass two: every node pinned (points), edges routed around them by ``neato -n2``.

    Without ``labels`` (from :func:`place_labels`) the edges carry no conditions:
    that is the routing pass whose splines tell where the conditions can go. With
    ``routes`` (that pass's splines) the edges are drawn as routed, not routed again:
    routing is most of the cost of a large diagram.
    """
    legend_top = LEGEND_HEIGHT
    # The background holds only numbers and colours: no spec text reaches it.
    # Routing edges around hundreds of steps takes Graphviz minutes: overviews use lines.
    splines = "line" if options.overview else "true"
    lines = _header(diagram.process_id,
                    f', splines="{splines}", outputorder="edgesfirst", {_own_id(options, "graph")}, '
                    f'_background="{_background(placement, legend_top)}"')
    lines += _lane_titles(placement, legend_top, options)
    lines.append(f'  "~legend" [shape=plaintext, margin="0", label=<<B>Legend</B>>, width="0.7", '
                 f'height="0.2", fixedsize="true", {_own_id(options, "legend")}, '
                 f'pos="30,{LEGEND_HEIGHT - 12:.1f}!"];')
    for node in diagram.nodes:
        x, y = placement.positions[node.id]
        lines.append(f"  {_name(node.id)} [{_node_attrs(node, options, (x, y + legend_top))}];")
    corner = 'shape=point, width="0.01", style=invis, label=""'
    lines.append(f'  "~top-left" [{corner}, {_own_id(options, "corner-top-left")}, '
                 f'pos="0,{placement.height + legend_top:.1f}!"];')
    lines.append(f'  "~bottom-right" [{corner}, {_own_id(options, "corner-bottom-right")}, '
                 f'pos="{placement.width:.1f},0!"];')
    legend_nodes, legend_edges = _legend(options, routes or {})
    lines += legend_nodes
    labels, routes = labels or {}, routes or {}
    for index, edge in enumerate(diagram.edges):
        route = routes.get(f"{options.id_prefix}edge-{index}")
        route = f', pos="{route}"' if route else ""
        lines.append(f"  {_name(edge.source)} -> {_name(edge.target)} "
                     f"[{_edge_attrs(edge, index, options, True, labels.get(index))}{route}];")
    lines += legend_edges
    lines.append("}")
    return "\n".join(lines) + "\n"
