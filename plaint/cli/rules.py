"""plaint rules: the rules in force, as a table or JSON."""

from __future__ import annotations

import json

import click

from plaint.cli.output import emit
from plaint.core.run import default_ruleset


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--pack", default=None, help="Only the rules of this pack.")
def rules(fmt: str, pack: str | None) -> int:
    """List every rule: id, default severity, pack and title."""
    ruleset = default_ruleset()
    chosen = [r for r in ruleset.rules.values() if pack is None or r.pack == pack]
    if fmt == "json":
        rows = [{"id": r.id, "severity": str(r.severity), "pack": r.pack, "title": r.title,
                 "enabled": r.id not in ruleset.off,
                 "clauses": [c.as_dict() for c in r.clauses]} for r in chosen]
        emit(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", None)
        return 0
    width = max((len(r.id) for r in chosen), default=4)
    pwidth = max((len(r.pack) for r in chosen), default=4)
    lines = [f"{'RULE':<{width}}  {'SEVERITY':<8}  {'PACK':<{pwidth}}  TITLE"]
    for r in chosen:
        lines.append(f"{r.id:<{width}}  {r.severity!s:<8}  {r.pack:<{pwidth}}  {r.title}")
    packs = ", ".join(f"{p.id} {p.version}" for p in ruleset.packs)
    lines += ["", f"{len(chosen)} rules from packs: {packs}",
              "Run 'plaint explain RULE' for what a rule checks, why, and how to fix it."]
    emit("\n".join(lines) + "\n", None)
    return 0
