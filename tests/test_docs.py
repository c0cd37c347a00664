"""The committed rule pages match the packs (regenerate with `make docs`)."""

from __future__ import annotations

from pathlib import Path

from plaint.core.run import default_ruleset
from plaint.renderers import rule_doc

RULE_DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def test_rule_docs_are_fresh() -> None:
    expected = rule_doc.pages(default_ruleset().packs)
    committed = {p.name: p.read_text(encoding="utf-8") for p in RULE_DOCS.glob("*.md")}
    assert sorted(committed) == sorted(expected), "rule pages added or removed: run 'make docs'"
    stale = [name for name, text in expected.items() if committed[name] != text]
    assert not stale, f"rule pages out of date: {stale}; run 'make docs'"


def test_every_finding_docs_reference_names_a_page() -> None:
    root = RULE_DOCS.parent.parent
    for rule in default_ruleset().rules.values():
        assert (root / rule.docs).is_file(), rule.docs
