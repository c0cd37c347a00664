"""Clause coverage: how each clause and rule in force fares on one checked process.

An analysis over a :class:`~plaint.core.pipeline.FileResult`, for the auditor's
report: one row per ISO 10002 clause cited by the ``iso10002`` pack, and one
row per rule of every other pack that applies to the file (regulatory packs in
force, organisation packs). The always-on packs (input, structural, timing,
waivers) are about the spec being sound, not about a standard, and are left
out.

Each rule gets a status:

- ``finding``: it has findings that no waiver covers;
- ``waived``: it has findings and waivers cover them all;
- ``met``: no findings, and its function's ``evidence`` names the elements
  that show it (``("process",)`` for a function without ``evidence``);
- ``not-applicable``: no findings, and ``evidence`` returns None (what the
  rule is about does not exist in this process);
- ``off``: turned off by configuration.

A row's status is the worst of its rules', in that order.

``plaint check`` never computes coverage: only the report asks for it, so the
check stays as fast as it is. Evidence functions are pure and findings are
taken as they are, so computing coverage changes nothing in the result.

Two failures are handled on purpose. A rule whose check raised during the
run has an ``internal-error`` finding naming it: the rule counts as a
``finding`` (it was never checked, so it is not met), with that finding's
index. An evidence function that raises leaves the rule ``met`` (its check,
which decides, found nothing) with no elements, and the error in
``RuleCoverage.error`` for the report to show: neither a crash nor a silent
gap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from plaint.core import timing
from plaint.core.engine import RuleSet
from plaint.core.findings import Clause, Finding, Severity
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.core.packs import Rule
from plaint.core.pipeline import FileResult

MET = "met"
FINDING = "finding"
WAIVED = "waived"
NOT_APPLICABLE = "not-applicable"
OFF = "off"
STATUSES = (FINDING, WAIVED, MET, NOT_APPLICABLE, OFF)  # worst first

CLAUSE_PACK = "iso10002"  # the pack whose rules are grouped by the clauses they cite
CLAUSE_SOURCE = "ISO 10002"  # ... by the clauses of this standard (other citations support them)

# The engine turns a rule that raised into an 'internal-error' finding with this message.
_FAILED = re.compile(r"rule '([^']+)' failed: ")


@dataclass(frozen=True)
class RuleCoverage:
    """One rule in force, and how it fares on the process."""

    rule: str
    pack: str
    title: str
    severity: Severity
    clauses: tuple[Clause, ...]
    status: str  # one of STATUSES
    elements: tuple[str, ...]  # evidence (met), or where the findings are (finding, waived)
    findings: tuple[int, ...]  # 0-based indices into FileResult.findings of this rule's findings
    error: str | None = None  # why no evidence could be given (its evidence function raised)


@dataclass(frozen=True)
class CoverageRow:
    """One line of the coverage matrix: an ISO 10002 clause, or a rule of another pack."""

    group: str  # the clause's source ("ISO 10002:2018"), or the pack's title
    pack: str
    label: str  # Clause.label(), or "<rule id>: <title>"
    clause: Clause | None  # None for a row of one rule
    status: str  # the worst of its rules' statuses
    rules: tuple[RuleCoverage, ...]

    @property
    def elements(self) -> tuple[str, ...]:
        """The elements of its rules, in order, each once."""
        return _unique(e for r in self.rules for e in r.elements)


def worst(statuses: Iterable[str]) -> str:
    """The worst status: finding > waived > met > not-applicable > off (``off`` for none)."""
    return min(statuses, key=STATUSES.index, default=OFF)


def coverage(result: FileResult) -> list[CoverageRow]:
    """The coverage matrix of one checked file; [] when it never got as far as the rules."""
    process, graph, rules = result.process, result.graph, result.rules
    if process is None or graph is None or rules is None:
        return []
    by_rule = _findings_by_rule(result.findings)
    rows: list[CoverageRow] = []
    # Evidence functions time things (deadline-met) against the run's date, as the engine does.
    with timing.as_of(rules.today):
        for pack in rules.packs_for(process):
            if pack.always:
                continue
            covered = [
                _rule_coverage(rules.rules[r.id], rules, process, graph, result.findings,
                               by_rule.get(r.id, ()))
                for r in pack.rules if r.stage is None
            ]
            if pack.id == CLAUSE_PACK:
                rows += _clause_rows(covered, pack.title)
            else:
                rows += [_rule_row(c, pack.title) for c in covered]
    return rows


def _findings_by_rule(findings: Sequence[Finding]) -> dict[str, list[int]]:
    by_rule: dict[str, list[int]] = {}
    for index, finding in enumerate(findings):
        rule = finding.rule
        if rule == "internal-error":
            failed = _FAILED.match(finding.message)
            if failed is None:
                continue
            rule = failed.group(1)
        by_rule.setdefault(rule, []).append(index)
    return by_rule


def _rule_coverage(rule: Rule, rules: RuleSet, process: Process, graph: ProcessGraph,
                   findings: Sequence[Finding], indices: Sequence[int]) -> RuleCoverage:
    def covered(status: str, elements: Iterable[str | None] = (), error: str | None = None
                ) -> RuleCoverage:
        return RuleCoverage(rule.id, rule.pack, rule.title, rule.severity, rule.clauses, status,
                            _unique(elements), tuple(indices), error)

    if rule.id in rules.off:
        return covered(OFF)
    if indices:
        mine = [findings[i] for i in indices]
        status = WAIVED if all(f.waived for f in mine) else FINDING
        return covered(status, (f.element for f in mine))
    function = rules.functions.get(rule.function or "")
    if function is None or getattr(function, "evidence", None) is None:
        return covered(MET, ("process",))  # checked and silent, but nothing more specific to show
    try:
        found = function.evidence(process, graph, **rule.params)
    except Exception as err:  # a broken evidence function must not stop the report
        return covered(MET, (), f"evidence for rule '{rule.id}' failed: {type(err).__name__}: {err}")
    if found is None:
        return covered(NOT_APPLICABLE)
    if isinstance(found, str):  # one id returned bare (a plugin's slip): not its characters
        found = (found,)
    return covered(MET, found)


def _clause_rows(covered: list[RuleCoverage], title: str) -> list[CoverageRow]:
    """One row per ISO 10002 clause the rules cite (in the order first cited), with the
    rules that cite it; a rule that cites none gets a row of its own."""
    groups: dict[tuple[str, str | None, str], tuple[Clause | None, list[RuleCoverage]]] = {}
    for rule in covered:
        cited = [c for c in rule.clauses if c.source.startswith(CLAUSE_SOURCE)]
        for clause in cited:
            groups.setdefault((clause.source, clause.ref, clause.topic), (clause, []))[1].append(rule)
        if not cited:
            groups[("", None, rule.rule)] = (None, [rule])
    rows = []
    for clause, members in groups.values():
        if clause is None:
            rows.append(_rule_row(members[0], title))
            continue
        rows.append(CoverageRow(clause.source, members[0].pack, clause.label(), clause,
                                worst(r.status for r in members), tuple(members)))
    return rows


def _rule_row(rule: RuleCoverage, group: str) -> CoverageRow:
    return CoverageRow(group, rule.pack, f"{rule.rule}: {rule.title}", None, rule.status, (rule,))


def _unique(items: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i is not None))
