"""plaint rules: the rules in force here, with the configuration that put them there."""

from __future__ import annotations

import json
from pathlib import Path

import click

from plaint.cli.output import emit
from plaint.core.run import configurator


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--pack", default=None, help="Only the rules of this pack.")
@click.option("--config", "-c", "config", type=click.Path(dir_okay=False), default=None,
              help="Show the effect of this configuration instead of the nearest .plaint.yaml.")
def rules(fmt: str, pack: str | None, config: str | None) -> int:
    """List the rules in force: id, severity, pack and title.

    Settings come from the nearest .plaint.yaml (from this folder upwards) or
    --config; a '*' marks a rule whose severity or parameters it changed.
    """
    setup = configurator(config)
    here = setup.config_for(_here())
    ruleset = setup.rules_for(_here())
    chosen = [r for r in ruleset.rules.values() if pack is None or r.pack == pack]
    if fmt == "json":
        document = {
            "configuration": str(here.path) if here.path else None,
            "packs": [{"id": p.id, "version": p.version, "origin": p.origin,
                       "applies": "by-regime" if p.id in ruleset.by_regime else "always"}
                      for p in ruleset.packs],
            "rules": [{"id": r.id, "severity": str(r.severity), "enabled": r.id not in ruleset.off,
                       "configured": r.id in ruleset.configured, "pack": r.pack, "title": r.title,
                       "params": dict(r.params), "clauses": [c.as_dict() for c in r.clauses]}
                      for r in chosen],
        }
        emit(json.dumps(document, indent=2, ensure_ascii=False) + "\n", None)
        return 0
    width = max((len(r.id) for r in chosen), default=4)
    pwidth = max((len(r.pack) for r in chosen), default=4)
    lines = [f"Configuration: {here.describe()}",
             "Packs: " + ", ".join(f"{p.id} {p.version}" for p in ruleset.packs
                                   if p.id not in ruleset.by_regime),
             "Regulatory packs, for processes that list them in 'regimes': "
             + (", ".join(f"{p.id} {p.version}" for p in ruleset.packs if p.id in ruleset.by_regime)
                or "none"), "",
             f"{'RULE':<{width}}  {'SEVERITY':<9}  {'PACK':<{pwidth}}  TITLE"]
    for r in chosen:
        level = "off" if r.id in ruleset.off else str(r.severity)
        mark = "*" if r.id in ruleset.configured else " "
        lines.append(f"{r.id:<{width}}  {level + mark:<9}  {r.pack:<{pwidth}}  {r.title}")
    lines += ["", f"{len(chosen)} rules; * = set by the configuration.",
              "Run 'plaint explain RULE' for what a rule checks, why, and how to fix it."]
    emit("\n".join(lines) + "\n", None)
    return 0


def _here() -> Path:
    # A stand-in spec path in the current folder: configuration is found from here upwards.
    return Path.cwd() / "-"
