"""A rule's documentation page, with fixed headings (shared by explain and docs/rules)."""

from __future__ import annotations

from plaint.core.packs import Pack, Rule

HEADINGS = ("What it checks", "Why it matters", "Example", "How to fix")


def render(rule: Rule, pack: Pack) -> str:
    lines = [f"# {rule.id}: {rule.title}", ""]
    lines.append(f"Pack: `{pack.id}` ({pack.title}, version {pack.version}). "
                 f"Default severity: **{rule.severity}**.")
    lines += ["", "## What it checks", "", rule.checks, "", "## Why it matters", "", rule.rationale]
    if rule.clauses:
        lines += ["", "Sources:", ""]
        for clause in rule.clauses:
            link = f" <{clause.url}>" if clause.url else ""
            lines.append(f"- {clause.label()}{link}")
    lines += ["", "## Example", "", "Non-compliant:", "", "```yaml",
              rule.examples["non_compliant"].rstrip("\n"), "```", "", "Compliant:", "", "```yaml",
              rule.examples["compliant"].rstrip("\n"), "```", "", "## How to fix", "", rule.hint, ""]
    return "\n".join(lines)
