"""plaint explain RULE: what a rule checks, why it matters, examples, how to fix."""

from __future__ import annotations

from pathlib import Path

import click

from plaint.cli.output import emit
from plaint.core.model import did_you_mean
from plaint.core.run import UserError, configurator, default_ruleset
from plaint.renderers import rule_doc


@click.command()
@click.argument("rule_id")
@click.option("--config", "-c", "config", type=click.Path(dir_okay=False), default=None,
              help="Also look in the packs this configuration names.")
def explain(rule_id: str, config: str | None) -> int:
    """Explain one rule (built-in, or from a pack your configuration names)."""
    configured = configurator(config).rules_for(Path.cwd() / "-")
    builtin = default_ruleset()
    for ruleset in (configured, builtin):
        rule = ruleset.rules.get(rule_id)
        if rule is not None:
            pack = next(p for p in ruleset.packs if p.id == rule.pack)
            emit(rule_doc.render(rule, pack), None)
            return 0
    known = set(configured.rules) | set(builtin.rules)
    raise UserError(f"no rule '{rule_id}'.{did_you_mean(rule_id, known)} "
                    "Run 'plaint rules' to list them.")
