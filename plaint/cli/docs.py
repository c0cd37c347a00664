"""plaint docs DIR: write the rule documentation pages (one per rule, plus an index)."""

from __future__ import annotations

from pathlib import Path

import click

from plaint.cli.output import write_atomic
from plaint.core.run import default_ruleset
from plaint.renderers import rule_doc


@click.command()
@click.argument("folder", type=click.Path(file_okay=False), default="docs/rules")
def docs(folder: str) -> int:
    """Write a Markdown page per built-in rule, and an index, to FOLDER.

    Pages for rules that no longer exist are removed, so the folder always
    matches the packs.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    pages = rule_doc.pages(default_ruleset().packs)
    for stale in sorted(target.glob("*.md")):
        if stale.name not in pages:
            stale.unlink()
    for name, text in pages.items():
        write_atomic(str(target / name), text)
    click.echo(f"wrote {len(pages)} pages to {target}")
    return 0
