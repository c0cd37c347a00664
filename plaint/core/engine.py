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
from datetime import date
from types import MappingProxyType
from typing import Any

from plaint.core import timing
from plaint.core.findings import Finding, Hit, LoadProblem, Severity, Span, json_pointer
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process, did_you_mean
from plaint.core.packs import Pack, PackError, Rule
from plaint.core.source import SourceDocument
from plaint.core.validate import compile_check
from plaint.core.waivers import apply_waivers

_PARAMS_CHECKS: dict[int, Any] = {}


def _params_error(function: Any, params: dict[str, Any]) -> str | None:
    """What is wrong with a rule's parameters for ``function``, or None.

    The compiled check answers for valid parameters (almost always), so jsonschema is
    imported only to word an error. The schema itself is not re-checked on every rule
    (that is slow); the meta-tests check every shipped PARAMS schema once.
    """
    key = id(function.params_schema)
    if key not in _PARAMS_CHECKS:
        _PARAMS_CHECKS[key] = compile_check(dict(function.params_schema))
    fast = _PARAMS_CHECKS[key]
    if fast is not None and fast(params):
        return None
    import jsonschema

    schema = dict(function.params_schema)
    error = jsonschema.exceptions.best_match(
        jsonschema.validators.validator_for(schema)(schema).iter_errors(params))
    return None if error is None else error.message


class RuleSet:
    """The rules in force for a run, with the functions they call."""

    def __init__(self, packs: Iterable[Pack], functions: Mapping[str, Any],
                 settings: Mapping[str, Any] | None = None, today: date | None = None,
                 by_regime: Iterable[str] = ()) -> None:
        """``settings`` maps rule ids to 'off', a severity, or {severity, params}.

        ``by_regime`` names regulatory packs whose rules run only for a process
        that lists the pack in ``process.regimes``.

        ``today`` is the date waivers expire against (default: the system date).
        """
        self.today = today or date.today()
        self.by_regime = frozenset(by_regime)
        self.packs: list[Pack] = list(packs)
        self.functions = dict(functions)
        self.rules: dict[str, Rule] = {}
        for pack in self.packs:
            for rule in pack.rules:
                if rule.id in self.rules:
                    other = self.rules[rule.id].pack
                    raise PackError(f"{pack.origin}: rule id '{rule.id}' is already defined by "
                                    f"pack '{other}'; rule ids must be unique")
                self.rules[rule.id] = rule
        self.off: set[str] = set()
        self.configured: set[str] = set()  # rules whose severity or params the settings changed
        for rule_id, setting in (settings or {}).items():
            if rule_id not in self.rules:
                suggestion = did_you_mean(rule_id, list(self.rules))
                raise PackError(f"unknown rule '{rule_id}' in rule settings.{suggestion}")
            self._apply(rule_id, setting)
        for pack in self.packs:
            for rule in pack.rules:
                if rule.stage is None and rule.id not in self.off:
                    self._check_function(self.rules[rule.id], pack)

    def _apply(self, rule_id: str, setting: Any) -> None:
        if isinstance(setting, str):
            setting = {"severity": setting}
        level = setting.get("severity")
        params = setting.get("params")
        self.configured.add(rule_id)
        if level == "off":
            self.off.add(rule_id)
            return
        self.off.discard(rule_id)
        rule = self.rules[rule_id]
        if level:
            rule = replace(rule, severity=Severity.parse(level))
        if params:
            rule = replace(rule, params=MappingProxyType({**rule.params, **params}))
        self.rules[rule_id] = rule

    def _check_function(self, rule: Rule, pack: Pack) -> None:
        function = self.functions.get(rule.function)
        if function is None:
            raise PackError(f"{pack.origin}: rule '{rule.id}' calls unknown function "
                            f"'{rule.function}'")
        error = _params_error(function, dict(rule.params))
        if error is not None:
            raise PackError(f"{pack.origin}: rule '{rule.id}': parameters for "
                            f"'{rule.function}' are invalid: {error}") from None

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

    def packs_for(self, process: Process | None) -> list[Pack]:
        """The packs that apply to a process (regulatory packs only where it lists them)."""
        regimes = set(process.regimes) if process else set()
        return [p for p in self.packs if p.id not in self.by_regime or p.id in regimes]

    def _regime_hits(self, process: Process) -> list[Hit]:
        known = sorted(p.id for p in self.packs if p.regime)
        return [
            Hit(f"the process lists regime '{regime}', but no regulatory pack has that id, so "
                f"no rule of it is checked.{did_you_mean(regime, known)}",
                ("process", "regimes", index), "process",
                hint=f"Regulatory packs: {', '.join(known) or 'none installed'}.")
            for index, regime in enumerate(process.regimes) if regime not in known
        ]

    def evaluate(self, process: Process, graph: ProcessGraph, doc: SourceDocument) -> list[Finding]:
        findings: list[Finding] = [self.stamp("unknown-regime", hit, doc, doc.path)
                                   for hit in self._regime_hits(process)]
        applied = {p.id for p in self.packs_for(process)}
        # Timing rules take their reference year (the start dates tried) from the run's date.
        with timing.as_of(self.today):
            for rule in self.active:
                if rule.pack not in applied:
                    continue
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
        return apply_waivers(findings, process, self, doc)
