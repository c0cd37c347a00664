"""plaint schema: print a JSON Schema that plaint uses."""

from __future__ import annotations

import json

import click

from plaint.cli.output import emit
from plaint.core.validate import load_schema

SCHEMAS = {
    "spec": "process-spec-v1.json",
    "pack": "policy-pack-v1.json",
    "findings": "findings-v1.json",
    "config": "config-v1.json",
}


@click.command()
@click.argument("which", type=click.Choice(sorted(SCHEMAS)), default="spec")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
def schema(which: str, output: str | None) -> int:
    """Print the JSON Schema for process specs (default), policy packs, or JSON output.

    Point your editor at it for completion, e.g. with the first line
    '# yaml-language-server: $schema=plaint-spec.schema.json'.
    """
    emit(json.dumps(load_schema(SCHEMAS[which]), indent=2, ensure_ascii=False) + "\n", output)
    return 0
