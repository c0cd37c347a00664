"""plaint render: draw process specs as swimlane diagrams with their findings."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import click

from plaint import __version__
from plaint.cli.output import write_atomic
from plaint.core.pipeline import FileResult
from plaint.core.run import EXIT_ERROR, EXIT_OK, CheckOptions, UserError, run_check
from plaint.renderers import RENDERERS, RenderContext
from plaint.renderers.diagram import DEFAULT_TIMEOUT, FORMATS, DiagramError, draw_all
from plaint.renderers.diagram_model import Node

EXTENSIONS = {"svg": ".svg", "png": ".png", "pdf": ".pdf", "dot": ".dot", "mermaid": ".mmd"}
BINARY = ("png", "pdf")


def _source_link(spec: str, target: str | None) -> Callable[[Node], str | None] | None:
    """Links from an SVG's steps to their lines in the spec, relative to where the SVG goes
    (``#L12`` is how code hosts show a line)."""
    if spec == "<stdin>":
        return None
    folder = Path(target).resolve().parent if target else Path.cwd()
    # Percent-encoded: a '#', '%', '?' or space in a folder or file name is part of the
    # path, not the start of an anchor, an escape or a query.
    relative = quote(Path(os.path.relpath(Path(spec).resolve(), folder)).as_posix(), safe="/")

    def link(node: Node) -> str | None:
        return f"{relative}#L{node.line}" if node.line else None

    return link


def _common_folder(results: list[FileResult]) -> Path:
    folders = [Path(r.path).resolve().parent for r in results if r.path != "<stdin>"]
    return Path(os.path.commonpath(folders)) if folders else Path.cwd()


def _target(result: FileResult, fmt: str, output: str | None, output_dir: str | None,
            many: bool, common: Path) -> str | None:
    if output_dir:
        # The specs' folders are mirrored, so that two specs of the same name cannot clash.
        if result.path == "<stdin>":
            return str(Path(output_dir) / f"stdin{EXTENSIONS[fmt]}")
        spec = Path(result.path).resolve()
        folder = Path(output_dir) / spec.parent.relative_to(common)
        return str(folder / f"{spec.stem}{EXTENSIONS[fmt]}")
    if output:
        if many:
            raise UserError("--output names one file, but there are several specs or formats; "
                            "use --output-dir")
        return output
    if fmt in BINARY:
        raise UserError(f"{fmt.upper()} is binary: give --output FILE or --output-dir DIR")
    return None


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "-f", "formats", type=click.Choice(FORMATS), multiple=True,
              help="Diagram format; repeat for several (default: svg).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the diagram to this file (one spec, one format).")
@click.option("--output-dir", "-d", type=click.Path(file_okay=False), default=None,
              help="Write each diagram to DIR/<spec name>.<svg|png|pdf|dot|mmd> (created if missing).")
@click.option("--config", "-c", "config", type=click.Path(dir_okay=False), default=None,
              help="Use this configuration (which findings are drawn) instead of the nearest "
                   ".plaint.yaml.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The date waivers expire against (default: today).")
@click.option("--overview/--no-overview", default=None,
              help="Draw small unlabelled steps (default: only above 300 steps).")
@click.option("--timeout", type=click.FloatRange(min=1), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds a Graphviz layout may take before it is stopped.")
def render(paths: tuple[str, ...], formats: tuple[str, ...], output: str | None,
           output_dir: str | None, config: str | None, today: datetime | None,
           overview: bool | None, timeout: float) -> int:
    """Draw process specs as swimlane diagrams, with their findings marked.

    One lane per owner, in the order a complaint meets them; step kinds as
    shapes; choices with their conditions, parallel splits and joins; bounded
    loops dashed with their limit; information flow to the improvement loop
    dotted; findings coloured by severity, with tooltips (and, in SVG, links to
    the step's line in the spec). Graphviz comes with plaint (pygraphviz); a
    system Graphviz is used when it is not installed.

    Exit status: 0 every diagram was drawn; 2 a spec could not be read or
    drawn (the others are still drawn), or the command was used wrongly.
    """
    formats = tuple(dict.fromkeys(formats)) or ("svg",)
    if output and output_dir:
        raise click.UsageError("give --output or --output-dir, not both")
    results = run_check(CheckOptions(paths=list(paths), config=config,
                                     today=today.date() if today else None))
    many = len(results) * len(formats) > 1
    if not output and not output_dir and many:
        raise UserError("several diagrams cannot all go to standard output; use --output-dir")
    common = _common_folder(results)
    code = EXIT_OK
    written: list[str] = []
    for result in results:
        if result.process is None or result.graph is None:
            context = RenderContext(tool_version=__version__, packs=result.packs)
            sys.stderr.write(RENDERERS["concise"]([result], context))
            click.echo(f"plaint render: {result.path}: the spec has errors, so it cannot be drawn",
                       err=True)
            code = EXIT_ERROR
            continue
        targets = {fmt: _target(result, fmt, output, output_dir, many, common) for fmt in formats}
        # Links in an SVG are relative to where it is written.
        svg_target = targets.get("svg")
        try:
            drawings = draw_all(result, formats, link=_source_link(result.path, svg_target),
                                overview=overview, timeout=timeout)
        except DiagramError as err:
            click.echo(f"plaint render: {result.path}: {err}", err=True)
            code = EXIT_ERROR
            continue
        if any(d.overview for d in drawings.values()) and overview is None:
            click.echo(f"plaint render: {result.path} has {len(result.process.steps)} steps: drew "
                       "an overview without labels (--no-overview draws them all)", err=True)
        for fmt in formats:
            target, drawing = targets[fmt], drawings[fmt]
            if target:
                Path(target).parent.mkdir(parents=True, exist_ok=True)
                write_atomic(target, drawing.content)
                written.append(target)
            else:
                sys.stdout.buffer.write(drawing.content)
                sys.stdout.flush()
    if output_dir and written:
        specs = len({Path(w).with_suffix("") for w in written})
        click.echo(f"wrote {len(written)} diagram file(s) for {specs} spec(s) under {output_dir}",
                   err=True)
    elif written:
        click.echo(f"wrote {written[0]}", err=True)
    return code
