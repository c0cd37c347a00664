"""Renderers: turn check results into text for people and machines.

Each renderer is a function ``render(results, context) -> str``; the registry
below also feeds the CLI's ``--format`` choices, so a new format is one module
and one entry here. Renderers never recompute analysis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from plaint.core.pipeline import FileResult


@dataclass(frozen=True)
class RenderContext:
    color: bool = False
    tool_version: str = ""
    packs: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (id, version)


Renderer = Callable[[list[FileResult], RenderContext], str]


def _text(results: list[FileResult], context: RenderContext) -> str:
    from plaint.renderers import text

    return text.render(results, context)


def _concise(results: list[FileResult], context: RenderContext) -> str:
    from plaint.renderers import text

    return text.render_concise(results, context)


def _json(results: list[FileResult], context: RenderContext) -> str:
    from plaint.renderers import json_output

    return json_output.render(results, context)


RENDERERS: dict[str, Renderer] = {"text": _text, "concise": _concise, "json": _json}
