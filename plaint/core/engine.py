"""The engine: runs rules over a model and stamps what they report.

Rules come from packs (data); the functions they call come from a registry
(code). A function yields Hits; the engine turns each into a Finding with the
rule's id, severity, pack, clauses, hint, docs reference and source position.
A function that raises becomes an ``internal-error`` finding; the run goes on.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import jsonschema

from plaint.core.findings import Finding, Hit, LoadProblem, Severity, Span, json_pointer
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.core.packs import Pack, PackError, Rule
from plaint.core.source import SourceDocument


class RuleSet:
    """The rules in force for a run, with the functions they call."""

    def __init__(self, packs: Iterable[Pack], functions: Mapping[str, Any],
                 severities: Mapping[str, str] | None = None) -> None:
        self.packs: list[Pack] = list(packs)
        self.functions = dict(functions)
        self.rules: dict[str, Rule] = {}
        for pack in self.packs:
            for rule in pack.rules:
                if rule.id in self.rules:
                    other = self.rules[rule.id].pack
                    raise PackError(f"{pack.origin}: rule id '{rule.id}' is already defined by "
                                    f"pack '{other}'; rule ids must be unique")
                if rule.stage is None:
                    self._check_function(rule, pack)
                self.rules[rule.id] = rule
        self.off: set[str] = set()
        for rule_id, level in (severities or {}).items():
            if rule_id not in self.rules:
                raise PackError(f"unknown rule '{rule_id}' in severity settings")
            if level == "off":
                self.off.add(rule_id)
            else:
                self.rules[rule_id] = replace(self.rules[rule_id], severity=Severity.parse(level))

    def _check_function(self, rule: Rule, pack: Pack) -> None:
        function = self.functions.get(rule.function)
        if function is None:
            raise PackError(f"{pack.origin}: rule '{rule.id}' calls unknown function "
                            f"'{rule.function}'")
        try:
            jsonschema.validate(dict(rule.params), dict(function.params_schema))
        except jsonschema.ValidationError as err:
            raise PackError(f"{pack.origin}: rule '{rule.id}': parameters for "
                            f"'{rule.function}' are invalid: {err.message}") from None

    @property
    def active(self) -> list[Rule]:
        """Rules that a check runs (not the built-in input rules), in pack order."""
        return [r for r in self.rules.values() if r.stage is None and r.id not in self.off]

    def stamp(self, rule_id: str, hit: Hit, doc: SourceDocument | None, file: str,
              *, fatal: bool = False) -> Finding:
        """A Finding for a hit of ``rule_id``, positioned in ``doc``."""
        rule = self.rules[rule_id]
        span = doc.locate(hit.path, key=hit.key) if doc is not None else Span(1, 1, 1, 1)
        return Finding(
            rule=rule.id, severity=rule.severity, message=hit.message, file=file, span=span,
            pointer=json_pointer(hit.path), element=hit.element, pack=rule.pack,
            clauses=rule.clauses, hint=hit.hint or rule.hint, docs=rule.docs, fatal=fatal,
        )

    def stamp_problem(self, problem: LoadProblem, file: str) -> Finding:
        """A Finding for a file that could not be read (exit code 2)."""
        rule = self.rules[problem.rule]
        return Finding(
            rule=rule.id, severity=Severity.ERROR, message=problem.message, file=file,
            span=problem.span, pack=rule.pack, clauses=rule.clauses,
            hint=problem.hint or rule.hint, docs=rule.docs, fatal=True,
        )

    def evaluate(self, process: Process, graph: ProcessGraph, doc: SourceDocument) -> list[Finding]:
        findings: list[Finding] = []
        for rule in self.active:
            function = self.functions[rule.function]
            try:
                hits = list(function.run(process, graph, **rule.params))
            except Exception as err:  # a broken rule must not stop the others
                where = traceback.extract_tb(err.__traceback__)[-1]
                hit = Hit(
                    f"rule '{rule.id}' failed: {type(err).__name__}: {err} "
                    f"(at {where.filename.rsplit('/', 1)[-1]}:{where.lineno})",
                    hint="This is a bug in the rule, not in your process. Please report it.",
                )
                findings.append(self.stamp("internal-error", hit, doc, doc.path))
                continue
            findings.extend(self.stamp(rule.id, hit, doc, doc.path) for hit in hits)
        return findings
