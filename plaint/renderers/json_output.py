"""JSON for machines; its shape is the schema plaint/schemas/findings-v1.json."""

from __future__ import annotations

import json

from plaint.core.pipeline import FileResult
from plaint.renderers import RenderContext
from plaint.renderers.summary import counts

FORMAT_VERSION = 1


def document(results: list[FileResult], context: RenderContext) -> dict:
    return {
        "format": "plaint-findings",
        "version": FORMAT_VERSION,
        "tool": {"name": "plaint", "version": context.tool_version},
        "packs": [{"id": pid, "version": version} for pid, version in context.packs],
        "files": [
            {"path": r.path, "readable": not r.unreadable,
             "findings": [f.as_dict() for f in r.findings]}
            for r in results
        ],
        "summary": counts(results),
    }


def render(results: list[FileResult], context: RenderContext) -> str:
    return json.dumps(document(results, context), indent=2, ensure_ascii=False) + "\n"
