"""plaint explain RULE: what a rule checks, why it matters, examples, how to fix."""

from __future__ import annotations

import click

from plaint.cli.output import emit
from plaint.core.model import did_you_mean
from plaint.core.run import UserError, default_ruleset
from plaint.renderers import rule_doc


@click.command()
@click.argument("rule_id")
def explain(rule_id: str) -> int:
    """Explain one rule (ids as listed by 'plaint rules')."""
    ruleset = default_ruleset()
    rule = ruleset.rules.get(rule_id)
    if rule is None:
        raise UserError(f"no rule '{rule_id}'.{did_you_mean(rule_id, list(ruleset.rules))} "
                        "Run 'plaint rules' to list them.")
    pack = next(p for p in ruleset.packs if p.id == rule.pack)
    emit(rule_doc.render(rule, pack), None)
    return 0
