"""plaint render: swimlane diagrams in every format, findings drawn on them, escaping, limits."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from conftest import MINIMAL_SPEC, PLAINT, REPO, STRUCTURAL_ONLY_CONFIG, run_plaint

from plaint.core.pipeline import FileResult
from plaint.core.run import CheckOptions, run_check
from plaint.renderers import dot, graphviz_engine
from plaint.renderers.diagram import FORMATS, DiagramError, draw_all, inline_svg
from plaint.renderers.diagram_model import UNASSIGNED, build_diagram

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
TODAY = date(2026, 12, 1)
EXAMPLES = sorted(str(p.relative_to(REPO)) for p in (REPO / "process_specs").rglob("*.yaml")
                  if "packs" not in p.parts and not p.name.startswith("."))


@cache
def checked(path: str) -> FileResult:
    return run_check(CheckOptions(paths=[str(REPO / path)], today=TODAY))[0]


@cache
def drawn(path: str) -> dict:
    return draw_all(checked(path), FORMATS)


def positions(dot_source: str) -> dict[str, tuple[float, float]]:
    """Pinned node positions in pass-two DOT."""
    found = {}
    for match in re.finditer(r'^\s*"([^"]+)" \[.*?pos="([-\d.]+),([-\d.]+)!"', dot_source, re.M):
        found[match.group(1)] = (float(match.group(2)), float(match.group(3)))
    return found


# -- every bundled example, every format ------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLES)
def test_each_example_renders_to_every_format(path: str) -> None:
    out = drawn(path)
    assert set(out) == set(FORMATS)
    assert out["png"].content.startswith(b"\x89PNG\r\n\x1a\n")
    assert out["pdf"].content.startswith(b"%PDF-")
    svg = ET.fromstring(out["svg"].content)
    assert svg.tag == f"{SVG}svg"
    assert out["dot"].content.startswith(b'digraph "')
    assert out["mermaid"].content.decode().splitlines()[1] == "flowchart LR"
    # Graphviz falls back to straight edges (and says so) when nodes overlap.
    assert out["svg"].warnings == ()
    process = checked(path).process
    ids = {g.get("id") for g in svg.iter(f"{SVG}g")}
    assert {f"step-{sid}" for sid in process.steps} <= ids


@pytest.mark.parametrize("path", EXAMPLES)
def test_lanes_are_straight_bands_in_a_stable_order_and_nodes_do_not_overlap(path: str) -> None:
    result = checked(path)
    diagram = build_diagram(result)
    source = drawn(path)["dot"].content.decode()
    pos = positions(source)
    boxes = dot.boxes_from_json(graphviz_engine.run(dot.rank_source(diagram, dot.Options()),
                                                    "dot", "json0", 30))
    placement = dot.place(diagram, boxes)
    bands = {lane.id: band for lane, band in zip(diagram.lanes, placement.bands, strict=True)}
    # Bands are stacked top to bottom in lane order, without gaps.
    tops = [b.top for b in placement.bands]
    assert tops == sorted(tops) and tops[0] == 0
    for above, below in zip(placement.bands, placement.bands[1:], strict=False):
        assert below.top == pytest.approx(above.top + above.height)
    for node in diagram.nodes:
        _, y = pos[node.id]
        band = bands[node.lane]
        y_from_top = dot.LEGEND_HEIGHT + placement.height - y
        half = placement.sizes[node.id][1] / 2
        assert band.top <= y_from_top - half and y_from_top + half <= band.top + band.height, node.id
    # No two steps overlap.
    items = [placement.box(n.id) for n in diagram.nodes]
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            apart_x = abs(a.x - b.x) >= (a.width + b.width) / 2
            apart_y = abs(a.y - b.y) >= (a.height + b.height) / 2
            assert apart_x or apart_y


def test_lane_order_follows_the_complaint_and_is_the_same_every_time() -> None:
    diagram = build_diagram(checked("process_specs/consumer-company.yaml"))
    lanes = [lane.id for lane in diagram.lanes]
    # The owner of the receiving step comes first; then whoever the complaint meets next.
    assert lanes[:2] == ["customer-advisor", "case-handler"]
    assert lanes == [lane.id for lane in build_diagram(checked("process_specs/consumer-company.yaml")).lanes]


def test_rendering_twice_gives_identical_bytes(tmp_path: Path) -> None:
    first = drawn("process_specs/small-business.yaml")
    again = draw_all(checked("process_specs/small-business.yaml"), FORMATS)
    for fmt in FORMATS:
        assert first[fmt].content == again[fmt].content, fmt


# -- what the diagram shows --------------------------------------------------------------------

def _svg_node(svg: ET.Element, element_id: str) -> ET.Element:
    return next(g for g in svg.iter(f"{SVG}g") if g.get("id") == element_id)


def test_findings_are_marked_on_their_steps_with_tooltips_and_links() -> None:
    result = checked("process_specs/before-and-after/housing-association-current.yaml")
    svg = ET.fromstring(inline_svg(result, id_prefix="f1-"))
    on_steps = [f for f in result.findings if f.element in result.process.steps]
    assert on_steps, "the example is meant to have findings on steps"
    for finding in on_steps:
        node = _svg_node(svg, f"f1-step-{finding.element}")
        classes = node.get("class").split()
        assert "finding" in classes
        assert str(finding.severity) in classes or "waived" in classes
        link = next(node.iter(f"{SVG}a"))
        first = 1 + next(i for i, f in enumerate(result.findings) if f.element == finding.element)
        assert link.get(f"{XLINK}href") == f"#f1-finding-{first}"
        assert finding.rule in link.get(f"{XLINK}title")
    clean = [s for s in result.process.steps if s not in {f.element for f in result.findings}]
    node = _svg_node(svg, f"f1-step-{clean[0]}")
    assert "finding" not in node.get("class").split()


def test_every_id_in_an_inline_diagram_has_the_page_prefix_and_is_unique() -> None:
    svg = ET.fromstring(inline_svg(checked("process_specs/consumer-company.yaml"), id_prefix="f3-"))
    ids = [e.get("id") for e in svg.iter() if e.get("id")]
    assert len(ids) > 50 and len(ids) == len(set(ids))
    assert [i for i in ids if not i.startswith(("f3-", "a_f3-"))] == []


def test_text_that_reorders_or_hides_itself_is_shown_as_escapes(tmp_path: Path) -> None:
    spec = MINIMAL_SPEC.replace("kind: close\n", "kind: close\n    title: \"Refund \u202egnp.exe\u200b\"\n")
    out = draw_all(_check_text(spec, tmp_path), ["svg", "mermaid"])
    svg = out["svg"].content.decode()
    assert "\u202e" not in svg and "\u200b" not in svg and "Refund \\u202egnp.exe\\u200b" in svg
    assert "\u202e" not in out["mermaid"].content.decode()


def test_step_kinds_gateways_loops_and_information_flow_are_drawn_distinctly() -> None:
    source = drawn("process_specs/consumer-company.yaml")["dot"].content.decode()
    line = {m.group(1): m.group(0) for m in re.finditer(r'^\s*"([^"~]+)" \[.*$', source, re.M)}
    assert "shape=cds" in line["receive"]
    assert "shape=box3d" in line["customer-review"] if "customer-review" in line else True
    assert "shape=note" in line["collect-data"]
    assert "shape=hexagon" in next(v for k, v in line.items() if "wait" in k or "await" in k)
    assert 'label="X"' in source and 'label="+"' in source  # choice and parallel gateways
    assert re.search(r'-> "[^"]+" \[style=dashed[^\]]*taillabel=<<TABLE[^\]]*at most \d+×', source)
    assert re.search(r'-> "collect-data" \[style=dotted', source)
    assert "≤ 0.5 working days" in source  # durations on steps


def test_choices_carry_their_guards() -> None:
    result = checked("process_specs/small-business.yaml")
    mermaid = drawn("process_specs/small-business.yaml")["mermaid"].content.decode()
    for step in result.process.steps.values():
        for t in step.transitions:
            if t.guard:
                assert f'|"{t.guard}' in mermaid


def test_mermaid_has_a_subgraph_per_lane_and_findings_as_classes() -> None:
    path = "process_specs/before-and-after/housing-association-current.yaml"
    text = drawn(path)["mermaid"].content.decode()
    diagram = build_diagram(checked(path))
    assert text.count("  subgraph L") == len(diagram.lanes)
    assert re.search(r"^  classDef warning ", text, re.M)
    marked = re.search(r"^  class (\S+) warning$", text, re.M).group(1).split(",")
    assert all(m.startswith("s_") for m in marked)
    assert "s_stage1_response" in marked


def test_long_titles_wrap() -> None:
    spec = MINIMAL_SPEC.replace("kind: close\n", "kind: close\n    title: " + "word " * 40 + "\n")
    result = _check_text(spec)
    source = draw_all(result, ["dot"])["dot"].content.decode()
    close = next(line for line in source.splitlines() if line.lstrip().startswith('"close"'))
    assert close.count("<BR/>") >= 3 and "…" in close


def test_titles_keep_their_backslashes_and_braces(tmp_path: Path) -> None:
    spec = MINIMAL_SPEC.replace("kind: close\n", 'kind: close\n    title: "C:\\\\N \\\\\\\\ {x}"\n')
    result = _check_text(spec, tmp_path)
    assert result.process.steps["close"].title == "C:\\N \\\\ {x}"
    svg = ET.fromstring(draw_all(result, ["svg"])["svg"].content)
    texts = [t.text for t in _svg_node(svg, "step-close").iter(f"{SVG}text")]
    assert texts[0] == "C:\\N \\\\ {x}"


# -- hostile text ------------------------------------------------------------------------------

HOSTILE_TITLE = ("<script>alert(1)</script> \"quoted\" 'single' \\N \\\\ {braces} [x] |pipe| "
                 "end --> ]]> &amp; #35; `tick` \x07bell\x1b")


def _check_text(spec: str, tmp: Path | None = None) -> FileResult:
    import tempfile

    folder = Path(tmp or tempfile.mkdtemp())
    (folder / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    path = folder / "spec.yaml"
    path.write_text(spec, encoding="utf-8")
    return run_check(CheckOptions(paths=[str(path)], today=TODAY))[0]


def _hostile_spec() -> str:
    quoted = HOSTILE_TITLE.replace("\\", "\\\\").replace('"', '\\"').replace("\x07", "\\a") \
        .replace("\x1b", "\\e")
    return (MINIMAL_SPEC
            .replace("title: Complaints agent", f'title: "{quoted}"')
            .replace("    kind: close\n", f'    kind: close\n    title: "{quoted}"\n')
            .replace("    next: close\n", f'    next:\n      - {{to: close, when: "{quoted}"}}\n'
                     '      - {to: close, when: otherwise}\n'))


def test_hostile_titles_render_safely_in_every_format(tmp_path: Path) -> None:
    result = _check_text(_hostile_spec(), tmp_path)
    assert result.process is not None, result.findings
    assert result.process.steps["close"].title == HOSTILE_TITLE
    out = draw_all(result, FORMATS)
    svg = ET.fromstring(out["svg"].content)  # well-formed XML despite the control characters
    assert not [e for e in svg.iter() if e.tag.split("}")[-1].lower() == "script"]
    assert not any(k.lower().startswith("on") for e in svg.iter() for k in e.attrib)
    texts = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
    assert "<script>alert(1)</script>" in texts  # shown as text, not markup
    assert "&amp;" in texts  # what the author wrote, not an entity Graphviz decoded
    tooltip = next(a.get(f"{XLINK}title") for a in _svg_node(svg, "step-close").iter(f"{SVG}a"))
    # Control characters are written out, visibly, as escapes.
    assert tooltip.startswith(HOSTILE_TITLE.replace("\x07", "\\u0007").replace("\x1b", "\\u001b"))
    guard = [t.text for t in _svg_node(svg, "edge-1").iter(f"{SVG}text")]
    assert "".join(guard).replace(" ", "").startswith("<script>alert(1)</script>\"quoted\"'single'\\N\\\\")
    assert out["svg"].warnings == ()
    # DOT: every line is a statement, so nothing in a title escaped its string.
    source = out["dot"].content.decode()
    assert "\x07" not in source and "\x1b" not in source
    # HTML-like labels are markup to Graphviz: there, spec text must be entities.
    labels = re.findall(r"label=<(<TABLE.*?</TABLE>)>", source)
    assert labels and not any("<script" in label for label in labels)
    assert any("&lt;script&gt;" in label for label in labels)
    for line in source.splitlines()[1:-1]:
        assert line.rstrip().endswith(("];", "{", "}")) or line.strip().startswith("graph")
    # Mermaid: labels stay inside their quotes and no line is added.
    mermaid = out["mermaid"].content.decode()
    assert "<script" not in mermaid and "-->" not in mermaid.split("flowchart LR")[1].split(
        "s_receive")[0]
    close = next(line for line in mermaid.splitlines() if line.strip().startswith("s_close"))
    assert close.count('"') == 2 and "#lt;script#gt;" in close
    assert len(mermaid.splitlines()) == len(build_diagram(result).nodes) + 2 * 2 + 1 + 2 + 2 \
        or all(not line.startswith("end ") for line in mermaid.splitlines())


# -- the command -------------------------------------------------------------------------------

def test_render_command_writes_each_format_and_links_steps_to_their_lines(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_plaint("render", "process_specs/small-business.yaml", "--today", "2026-12-01",
                      "-d", out, "-f", "svg", "-f", "png", "-f", "mermaid")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["small-business.mmd", "small-business.png",
                                                     "small-business.svg"]
    svg = ET.fromstring((out / "small-business.svg").read_bytes())
    links = {a.get(f"{XLINK}href") for a in svg.iter(f"{SVG}a")}
    spec = os.path.relpath(REPO / "process_specs/small-business.yaml", out)
    line = 1 + (REPO / "process_specs/small-business.yaml").read_text().splitlines().index(
        "  receive:")
    assert f"{Path(spec).as_posix()}#L{line}" in links
    assert oct((out / "small-business.svg").stat().st_mode & 0o777) != "0o600"


def test_links_to_the_spec_are_percent_encoded(tmp_path: Path) -> None:
    # '#', '%', '?' and spaces in a folder or file name belong to the path.
    folder = tmp_path / "a #1 ?x"
    folder.mkdir()
    spec = folder / "50% done.yaml"
    spec.write_text(MINIMAL_SPEC, encoding="utf-8")
    done = run_plaint("render", spec, "-o", tmp_path / "out.svg")
    assert done.returncode == 0, done.stderr
    svg = ET.fromstring((tmp_path / "out.svg").read_bytes())
    links = {a.get(f"{XLINK}href") for a in svg.iter(f"{SVG}a")} - {None}
    assert links == {"a%20%231%20%3Fx/50%25%20done.yaml#L12", "a%20%231%20%3Fx/50%25%20done.yaml#L17"}


def test_render_mirrors_folders_so_that_names_cannot_clash(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / "specs" / folder).mkdir(parents=True)
        (tmp_path / "specs" / folder / "same.yaml").write_text(MINIMAL_SPEC)
    (tmp_path / "specs" / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    done = run_plaint("render", tmp_path / "specs", "-d", tmp_path / "out", "-f", "dot")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out/a/same.dot").is_file() and (tmp_path / "out/b/same.dot").is_file()


def test_svg_goes_to_standard_output_but_png_needs_a_file(tmp_path: Path) -> None:
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    (tmp_path / "spec.yaml").write_text(MINIMAL_SPEC)
    svg = run_plaint("render", "spec.yaml", cwd=tmp_path)
    assert svg.returncode == 0 and svg.stdout.startswith("<?xml")
    png = run_plaint("render", "spec.yaml", "-f", "png", cwd=tmp_path)
    assert png.returncode == 2 and "binary" in png.stderr and "Traceback" not in png.stderr


def test_a_spec_with_errors_is_reported_and_the_others_are_drawn(tmp_path: Path) -> None:
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    (tmp_path / "good.yaml").write_text(MINIMAL_SPEC)
    (tmp_path / "bad.yaml").write_text(MINIMAL_SPEC.replace("next: close", "next: clsoe"))
    done = run_plaint("render", "bad.yaml", "good.yaml", "-d", "out", "-f", "svg", cwd=tmp_path)
    assert done.returncode == 2
    assert re.search(r"bad\.yaml:\d+:\d+: error", done.stderr) and "Did you mean 'close'" in done.stderr
    assert (tmp_path / "out/good.svg").is_file() and not (tmp_path / "out/bad.svg").exists()
    assert "Traceback" not in done.stderr


# -- Graphviz: bundled, system, missing; time limit; size guard ------------------------------

def _run_with(env_changes: dict[str, str], *args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", **env_changes}
    return subprocess.run([str(PLAINT), *map(str, args)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def _fake_graphviz(folder: Path, body: str) -> Path:
    """A folder with `dot` and `neato` programs, first on PATH, for the system-Graphviz path."""
    folder.mkdir()
    for name in ("dot", "neato"):
        program = folder / name
        program.write_text(body.replace("PROG", name))
        program.chmod(0o755)
    return folder


def test_system_graphviz_is_used_when_asked_and_gets_the_right_arguments(tmp_path: Path) -> None:
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    (tmp_path / "spec.yaml").write_text(MINIMAL_SPEC)
    worker = REPO / "plaint/renderers/graphviz_worker.py"
    # Stands in for Graphviz's programs: records its arguments, then draws with the bundled one.
    body = (f"#!/bin/sh\necho PROG \"$@\" >> {tmp_path}/calls\n"
            "fmt=$(echo \"$1\" | sed 's/^-T//')\n"
            "prog=PROG; [ \"$2\" = -n2 ] && prog=neato-n2\n"
            f"exec {sys.executable} {worker} $prog $fmt\n")
    bin_dir = _fake_graphviz(tmp_path / "bin", body)
    done = _run_with({"PLAINT_GRAPHVIZ": "system", "PATH": f"{bin_dir}:{os.environ['PATH']}"},
                     "render", "spec.yaml", "-o", "spec.svg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "calls").read_text().splitlines() == ["dot -Tjson0", "neato -Tsvg -n2"]
    svg = ET.fromstring((tmp_path / "spec.svg").read_bytes())
    assert _svg_node(svg, "step-receive") is not None


def test_without_graphviz_the_message_says_how_to_get_it(tmp_path: Path) -> None:
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    (tmp_path / "spec.yaml").write_text(MINIMAL_SPEC)
    done = _run_with({"PLAINT_GRAPHVIZ": "system", "PATH": str(tmp_path)},
                     "render", "spec.yaml", "-o", "spec.svg", cwd=tmp_path)
    assert done.returncode == 2
    assert "Graphviz was not found" in done.stderr and "pip install 'pygraphviz>=2.0'" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "spec.svg").exists()


def test_a_layout_that_takes_too_long_is_stopped_and_leaves_no_file(tmp_path: Path) -> None:
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    (tmp_path / "spec.yaml").write_text(MINIMAL_SPEC)
    bin_dir = _fake_graphviz(tmp_path / "bin", "#!/bin/sh\nexec sleep 30\n")
    done = _run_with({"PLAINT_GRAPHVIZ": "system", "PATH": f"{bin_dir}:{os.environ['PATH']}"},
                     "render", "spec.yaml", "-o", "spec.svg", "--timeout", "1", cwd=tmp_path)
    assert done.returncode == 2
    assert "longer than 1 s" in done.stderr and not (tmp_path / "spec.svg").exists()
    assert list(tmp_path.glob(".spec.svg*")) == []


def _chain(steps: int) -> str:
    lines = ["plaint: 1", "process: {id: big, title: Big}", "roles:", "  agent: {title: Agent}",
             "channels:", "  web: {kind: web-form}",
             "steps:", "  s0: {kind: receive, owner: agent, channels: [web], next: s1}"]
    lines += [f"  s{i}: {{kind: task, owner: agent, next: s{i + 1}}}" for i in range(1, steps - 1)]
    lines.append(f"  s{steps - 1}: {{kind: close, owner: agent}}")
    return "\n".join(lines) + "\n"


def test_a_large_process_is_drawn_as_an_overview_and_says_so(tmp_path: Path) -> None:
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    (tmp_path / "big.yaml").write_text(_chain(dot.OVERVIEW_STEPS + 10))
    done = run_plaint("render", "big.yaml", "-o", "big.svg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "drew an overview" in done.stderr
    svg = ET.fromstring((tmp_path / "big.svg").read_bytes())
    assert "s5" not in " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))


def test_a_process_too_large_to_draw_is_refused_clearly() -> None:
    result = _check_text(_chain(3001))
    with pytest.raises(DiagramError, match="3001 steps is more than plaint draws"):
        draw_all(result, ["svg"])


def test_steps_without_an_owner_get_a_lane_of_their_own(tmp_path: Path) -> None:
    spec = MINIMAL_SPEC.replace("    kind: close\n    owner: agent\n", "    kind: close\n")
    result = _check_text(spec, tmp_path)
    diagram = build_diagram(result)
    assert [lane.id for lane in diagram.lanes] == ["agent", UNASSIGNED]
    assert diagram.node("close").lane == UNASSIGNED
