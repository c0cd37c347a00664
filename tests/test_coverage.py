"""Clause coverage for the auditor's report (plaint.core.coverage) and the ``evidence``
functions it calls.

The bundled examples are checked as of a fixed date (their waivers expire), the
way tests/test_examples.py checks them; small hand-made specs test single
evidence functions and the edge cases.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_engine import SPEC  # the engine tests' small shop

from plaint.core import timing
from plaint.core.coverage import (
    FINDING,
    MET,
    NOT_APPLICABLE,
    OFF,
    STATUSES,
    WAIVED,
    CoverageRow,
    RuleCoverage,
    coverage,
    worst,
)
from plaint.core.engine import RuleSet
from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import build_model
from plaint.core.packs import builtin_packs, parse_pack
from plaint.core.pipeline import FileResult, check_document, check_path
from plaint.core.run import configurator
from plaint.core.source import load_text
from plaint.policies import functions as function_registry
from plaint.policies.functions import CheckFunction, PluginError, builtin_functions

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "process_specs"
TODAY = date(2026, 12, 1)  # the examples' waivers are current on this date

TOP = sorted(SPECS.glob("*.yaml"))
REGULATED = sorted((SPECS / "regulated").glob("*.yaml"))
CURRENT = SPECS / "before-and-after" / "housing-association-current.yaml"
REVISED = SPECS / "before-and-after" / "housing-association-revised.yaml"
ORGANISATION = SPECS / "organisation" / "larkspur-home.yaml"
SMALL_BUSINESS = SPECS / "small-business.yaml"
# Built to break a deadline for complaints received just before Christmas.
CHRISTMAS = SPECS / "regulated" / "asic-credit-provider.yaml"
ALL_SPECS = [*TOP, *REGULATED, CURRENT, REVISED, ORGANISATION]
CLEAN = [p for p in ALL_SPECS if p not in (CURRENT, CHRISTMAS)]

ISO_SOURCE = "ISO 10002:2018"
ALWAYS = {p.id for p in builtin_packs() if p.always}


def check(path: Path, config: str | None = None) -> FileResult:
    """``path`` checked as ``plaint check --today 2026-12-01`` would check it."""
    setup = configurator(config, today=TODAY)
    return check_path(path, setup.rules_for(path))


def name(path: Path) -> str:
    return str(path.relative_to(SPECS))


def by_rule(rows: list[CoverageRow]) -> dict[str, RuleCoverage]:
    return {r.rule: r for row in rows for r in row.rules}


def unwaived_rules(result: FileResult, packs: set[str]) -> set[str]:
    return {f.rule for f in result.findings if not f.waived and f.pack in packs}


# -- the bundled examples ------------------------------------------------------------------

@pytest.mark.parametrize("path", CLEAN, ids=name)
def test_clean_exemplars_have_no_finding_rows(path: Path) -> None:
    rows = coverage(check(path))
    assert rows, "an exemplar has a coverage matrix"
    assert [row.label for row in rows if row.status == FINDING] == []
    assert [row.label for row in rows if row.status == OFF] == []
    # Exemplars meet nearly every clause: most rows show evidence.
    met = [row for row in rows if row.status == MET]
    assert len(met) >= 0.8 * len(rows)
    assert all(row.elements for row in met)


def test_the_current_housing_association_has_finding_rows_that_match_its_findings() -> None:
    result = check(CURRENT)
    rows = coverage(result)
    covered = by_rule(rows)
    packs = {row.pack for row in rows}
    assert packs == {"iso10002"}
    found = unwaived_rules(result, packs)
    assert len(found) >= 5  # the example's point: real ISO 10002 gaps
    assert {r for r, c in covered.items() if c.status == FINDING} == found
    for rule, cov in covered.items():
        mine = [i for i, f in enumerate(result.findings) if f.rule == rule]
        assert list(cov.findings) == mine
        if cov.status == FINDING:
            assert set(cov.elements) == {result.findings[i].element for i in mine}
    # A clause row is a finding exactly when one of the rules citing it is.
    for row in rows:
        assert (row.status == FINDING) == any(r.rule in found for r in row.rules), row.label
    objectivity = next(row for row in rows if row.label.endswith(": Objectivity"))
    assert objectivity.status == FINDING
    assert objectivity.elements == ("investigate", "stage2-review")


def test_the_revised_housing_association_shows_where_its_gaps_were_closed() -> None:
    covered = by_rule(coverage(check(REVISED)))
    assert covered["review-by-different-role"].status == MET
    # The stage 2 review, its owner, and the stage 1 decision it reviews with its owner.
    assert covered["review-by-different-role"].elements == (
        "stage2-review", "stage2-reviewer", "stage1-response", "complaints-officer")
    assert covered["investigation-independent"].elements == ("investigate", "complaints-officer")
    assert covered["satisfaction-measured"].elements == ("satisfaction-survey",)


def test_a_waived_finding_gives_waived() -> None:
    result = check(SMALL_BUSINESS)
    rows = coverage(result)
    charges = by_rule(rows)["channels-free-of-charge"]
    assert charges.status == WAIVED
    assert charges.elements == ("phone",)
    [index] = charges.findings
    assert result.findings[index].waived and result.findings[index].element == "phone"
    [row] = [row for row in rows if charges in row.rules]
    assert row.label == "ISO 10002:2018 4.8 (number not verified): Charges"
    assert row.status == WAIVED


def test_the_iso_rows_are_its_clauses_in_pack_order() -> None:
    rows = coverage(check(SPECS / "consumer-company.yaml"))
    iso = next(p for p in builtin_packs() if p.id == "iso10002")
    expected: list[tuple[str, str | None, str]] = []
    for rule in iso.rules:
        for c in rule.clauses:
            if c.source == ISO_SOURCE and (c.source, c.ref, c.topic) not in expected:
                expected.append((c.source, c.ref, c.topic))
    iso_rows = [row for row in rows if row.pack == "iso10002"]
    assert [(r.clause.source, r.clause.ref, r.clause.topic) for r in iso_rows] == expected
    assert all(row.group == ISO_SOURCE and row.label == row.clause.label() for row in iso_rows)
    # Every rule of the pack is in some row; a rule is in the rows of each clause it cites.
    assert {r.rule for row in iso_rows for r in row.rules} == {r.id for r in iso.rules}
    responsiveness = next(row for row in iso_rows if row.clause.topic == "Responsiveness")
    assert [r.rule for r in responsiveness.rules] == [
        r.id for r in iso.rules if any(c.topic == "Responsiveness" for c in r.clauses)]
    # Supporting citations from other sources stay on the rule, not as rows.
    assert not any("CBB" in row.label for row in rows)
    independent = by_rule(rows)["investigation-independent"]
    assert any(c.source.startswith("CBB") for c in independent.clauses)


@pytest.mark.parametrize("path", [*REGULATED, SPECS / "regulated-financial-firm.yaml"], ids=name)
def test_regulatory_packs_in_force_give_one_row_per_rule(path: Path) -> None:
    result = check(path)
    rows = coverage(result)
    [regime] = result.process.regimes
    pack = next(p for p in builtin_packs() if p.id == regime)
    regulatory = [row for row in rows if row.pack == regime]
    assert [row.label for row in regulatory] == [f"{r.id}: {r.title}" for r in pack.rules]
    assert all(row.group == pack.title and row.clause is None and len(row.rules) == 1
               for row in regulatory)
    assert {row.pack for row in rows} == {"iso10002", regime}  # no other regime, no always-on pack


def test_regulatory_packs_not_in_force_and_always_on_packs_are_left_out() -> None:
    rows = coverage(check(SPECS / "consumer-company.yaml"))
    assert {row.pack for row in rows} == {"iso10002"}
    assert not {r.pack for row in rows for r in row.rules} & ALWAYS


def test_an_organisation_pack_from_configuration_gives_rows() -> None:
    rows = coverage(check(ORGANISATION))
    house = [row for row in rows if row.pack == "larkspur-house-rules"]
    assert [row.label.split(":")[0] for row in house] == [
        "larkspur-final-response-promised", "larkspur-response-offers-next-step",
        "larkspur-updates-every-five-days"]
    assert all(row.status == MET for row in house)
    assert house[0].elements == ("receive", "final-response")


def test_a_deadline_only_if_present_without_its_steps_is_not_applicable() -> None:
    result = check(CHRISTMAS)
    covered = by_rule(coverage(result))
    rule = result.rules.rules["asic-super-idr-response-within-45-days"]
    assert rule.params.get("only_if_present") is True
    assert covered[rule.id].status == NOT_APPLICABLE
    assert covered[rule.id].elements == () and covered[rule.id].findings == ()
    # The same spec's broken deadline is a finding, where the slowest way ends.
    assert covered["asic-idr-response-within-30-days"].status == FINDING
    assert covered["asic-idr-response-within-30-days"].elements == ("idr-response",)
    assert covered["asic-acknowledgement-within-24-hours"].elements == ("receive", "acknowledge")


def test_a_rule_turned_off_in_configuration_shows_off(tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    shutil.copy(SMALL_BUSINESS, spec)
    (tmp_path / ".plaint.yaml").write_text(
        "plaint-config: 1\nrules:\n  channels-free-of-charge: off\n  written-channel: off\n")
    result = check(spec)
    assert "channels-free-of-charge" in result.rules.off
    rows = coverage(result)
    covered = by_rule(rows)
    assert covered["channels-free-of-charge"].status == OFF
    assert covered["channels-free-of-charge"].elements == ()
    charges = next(row for row in rows if row.label.endswith(": Charges"))
    assert charges.status == OFF  # its only rule is off
    accessibility = next(row for row in rows if row.label.endswith(": Accessibility"))
    assert covered["written-channel"].status == OFF
    assert accessibility.status == MET  # an off rule does not hide the others


@pytest.mark.parametrize("path", ALL_SPECS, ids=name)
def test_evidence_elements_are_real_elements_of_the_process(path: Path) -> None:
    result = check(path)
    process = result.process
    known = {"process", *process.steps, *process.roles, *process.channels}
    for row in coverage(result):
        assert set(row.elements) <= known, row.label
        for rule in row.rules:
            assert rule.error is None, rule.error
            assert len(set(rule.elements)) == len(rule.elements)
            if rule.status == MET:
                assert rule.elements, rule.rule
            if rule.status in (NOT_APPLICABLE, OFF):
                assert rule.elements == ()


def test_coverage_changes_no_finding_and_is_deterministic() -> None:
    result = check(CURRENT)
    before = [f.as_dict() for f in result.findings]
    first = coverage(result)
    assert [f.as_dict() for f in result.findings] == before
    assert coverage(result) == first
    # And a fresh check after coverage has filled the graph's caches finds the same.
    again = check(CURRENT)
    assert [f.as_dict() for f in again.findings] == before


def test_files_that_never_reached_the_rules_have_no_coverage(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("plaint: 1\nprocess: {id: x}\n")  # schema errors
    assert check(broken).process is None
    assert coverage(check(broken)) == []
    unreadable = tmp_path / "unreadable.yaml"
    unreadable.write_bytes(b"\xff\xfe not text")
    assert coverage(check(unreadable)) == []
    reference = tmp_path / "reference.yaml"
    reference.write_text(SPEC.replace("owner: manager}", "owner: nobody}"))
    result = check(reference)
    assert result.process is not None and result.graph is None
    assert coverage(result) == []
    assert coverage(FileResult("nothing.yaml")) == []


def test_worst_orders_the_statuses() -> None:
    assert STATUSES == (FINDING, WAIVED, MET, NOT_APPLICABLE, OFF)
    assert worst([MET, WAIVED, NOT_APPLICABLE]) == WAIVED
    assert worst([OFF, NOT_APPLICABLE]) == NOT_APPLICABLE
    assert worst([MET, FINDING, OFF]) == FINDING
    assert worst([]) == OFF


def test_row_elements_are_the_union_in_order() -> None:
    def rc(status: str, elements: tuple[str, ...]) -> RuleCoverage:
        return RuleCoverage("r", "p", "t", None, (), status, elements, ())  # type: ignore[arg-type]

    row = CoverageRow("g", "p", "l", None, MET, (rc(MET, ("a", "b")), rc(MET, ("b", "c", "a"))))
    assert row.elements == ("a", "b", "c")


# -- every function the ISO and regulatory packs use has evidence ----------------------------

CLAUSE_PACKS = [p for p in builtin_packs() if p.id == "iso10002" or p.regime]


def test_every_function_of_the_iso_and_regulatory_packs_defines_evidence() -> None:
    used = sorted({r.function for p in CLAUSE_PACKS for r in p.rules if r.function})
    assert len(used) >= 20
    missing = [f for f in used if builtin_functions()[f].evidence is None]
    assert missing == []
    for name_ in used:
        module = sys.modules[builtin_functions()[name_].module]
        assert builtin_functions()[name_].evidence is module.evidence
        assert "Evidence:" in builtin_functions()[name_].doc, f"{name_}: document its evidence"


def test_a_function_without_evidence_has_none() -> None:
    assert builtin_functions()["dead-ends"].evidence is None


# -- failures are reported, not raised --------------------------------------------------------

PACK = """\
plaint-pack: 1
pack: {id: org, title: Our rules, version: "1"}
rules:
  - id: our-rule
    title: Our rule
    severity: warning
    clauses: [{source: Our policy, topic: Testing}]
    checks: Something.
    rationale: Because.
    hint: Do it.
    examples: {non_compliant: "a", compliant: "b"}
    check: {function: ours}
"""


def _silent(process, graph):
    return iter(())


def _loud(process, graph):
    yield Hit("always", ("steps", "respond"), "respond")


def _boom(process, graph):
    raise RuntimeError("kaput")


def _year(process, graph):
    # Evidence that says which reference year the timing analysis would use.
    return (f"year-{timing.reference_year()}",)


def _ruleset(run: Any, evidence: Any = None, today: date = TODAY) -> RuleSet:
    ours = CheckFunction("ours", run, {"type": "object"}, "Ours.", "tests", evidence)
    return RuleSet([*builtin_packs(), parse_pack(PACK, "org.yaml")],
                   {**builtin_functions(), "ours": ours}, today=today, by_regime=[])


def _ours(rules: RuleSet) -> tuple[FileResult, RuleCoverage, CoverageRow]:
    result = check_document(load_text(SPEC, "shop.yaml"), rules)
    rows = coverage(result)
    [row] = [row for row in rows if row.pack == "org"]
    return result, row.rules[0], row


def test_an_evidence_function_that_raises_leaves_the_rule_met_with_the_error() -> None:
    result, rule, row = _ours(_ruleset(_silent, _boom))
    assert rule.status == MET  # the check, which decides, found nothing
    assert rule.elements == ()
    assert rule.error == "evidence for rule 'our-rule' failed: RuntimeError: kaput"
    assert row.label == "our-rule: Our rule" and row.group == "Our rules"
    # The other rules are unaffected.
    assert by_rule(coverage(result))["acknowledgement-step-present"].status == FINDING


def test_a_function_without_evidence_shows_the_process() -> None:
    _, rule, _ = _ours(_ruleset(_silent))
    assert (rule.status, rule.elements, rule.error) == (MET, ("process",), None)


def test_evidence_returning_none_is_not_applicable() -> None:
    _, rule, row = _ours(_ruleset(_silent, lambda process, graph: None))
    assert (rule.status, rule.elements, row.status) == (NOT_APPLICABLE, (), NOT_APPLICABLE)


def test_evidence_may_return_any_iterable_of_ids() -> None:
    _, rule, _ = _ours(_ruleset(_silent, lambda process, graph: ["respond", "close", "respond"]))
    assert rule.elements == ("respond", "close")
    _, rule, _ = _ours(_ruleset(_silent, lambda process, graph: "respond"))
    assert rule.elements == ("respond",)


def test_evidence_is_not_asked_when_the_rule_has_findings() -> None:
    result, rule, _ = _ours(_ruleset(_loud, _boom))
    assert (rule.status, rule.elements, rule.error) == (FINDING, ("respond",), None)
    assert [result.findings[i].rule for i in rule.findings] == ["our-rule"]


def test_a_rule_whose_check_raised_is_a_finding_not_met() -> None:
    result, rule, _ = _ours(_ruleset(_boom, lambda process, graph: ("respond",)))
    assert rule.status == FINDING
    [index] = rule.findings
    assert result.findings[index].rule == "internal-error"
    assert "rule 'our-rule' failed" in result.findings[index].message


def test_evidence_runs_as_of_the_run_date() -> None:
    _, rule, _ = _ours(_ruleset(_silent, _year, today=date(2031, 3, 4)))
    assert rule.elements == ("year-2031",)


def test_plaint_check_never_asks_for_evidence(monkeypatch, capsys) -> None:
    from plaint.cli.main import main

    calls: list[str] = []

    def counting(name_: str, real: Any) -> Any:
        def evidence(*args: Any, **kwargs: Any) -> Any:
            calls.append(name_)
            return real(*args, **kwargs)
        return evidence

    for name_, function in builtin_functions().items():
        if function.evidence is not None:
            monkeypatch.setattr(sys.modules[function.module], "evidence",
                                counting(name_, function.evidence))
    builtin_functions.cache_clear()
    function_registry.all_functions.cache_clear()
    try:
        assert builtin_functions()["kind-exists"].evidence is not None
        with pytest.raises(SystemExit) as exit_:
            main(["check", "--today", "2026-12-01", str(CURRENT), str(SPECS / "regulated")])
        assert exit_.value.code == 1
        # The patched functions are the ones a coverage run would call.
        coverage(check(REVISED))
        assert calls, "the patched evidence functions are in use"
        calls.clear()
        with pytest.raises(SystemExit):
            main(["check", "--today", "2026-12-01", str(REVISED)])
        assert calls == []
    finally:
        monkeypatch.undo()
        builtin_functions.cache_clear()
        function_registry.all_functions.cache_clear()
    capsys.readouterr()


# -- plugins ----------------------------------------------------------------------------------

PLUGIN = '''\
"""Flags nothing; shows every respond step (a plugin for the test)."""
def check(process, graph):
    return iter(())
'''


def _with_plugin(tmp_path: Path, monkeypatch, source: str, module: str) -> dict[str, CheckFunction]:
    (tmp_path / f"{module}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = metadata.EntryPoint("acme-shows", module, "plaint.functions")
    real = metadata.entry_points

    def fake(**kwargs: Any) -> Any:
        return [entry] if kwargs.get("group") == "plaint.functions" else real(**kwargs)

    monkeypatch.setattr(metadata, "entry_points", fake)
    function_registry.all_functions.cache_clear()
    try:
        return function_registry.all_functions()
    finally:
        function_registry.all_functions.cache_clear()


def test_a_plugin_function_may_define_evidence(tmp_path: Path, monkeypatch) -> None:
    source = PLUGIN + ("def evidence(process, graph):\n"
                       "    return tuple(s.id for s in process.steps.values() if s.kind == 'respond')\n")
    functions = _with_plugin(tmp_path, monkeypatch, source, "acme_cov_plugin")
    plugin = functions["acme-shows"]
    assert plugin.evidence is not None
    _, rule, _ = _ours(_ruleset(plugin.run, plugin.evidence))
    assert (rule.status, rule.elements) == (MET, ("respond",))


def test_a_plugin_function_without_evidence_has_none(tmp_path: Path, monkeypatch) -> None:
    functions = _with_plugin(tmp_path, monkeypatch, PLUGIN, "acme_cov_plain")
    assert functions["acme-shows"].evidence is None


def test_a_plugin_whose_evidence_is_not_a_function_is_refused(tmp_path: Path, monkeypatch) -> None:
    with pytest.raises(PluginError, match=r"'acme-shows'.*'evidence' that is not a function"):
        _with_plugin(tmp_path, monkeypatch, PLUGIN + "evidence = ['respond']\n", "acme_cov_bad")


# -- single evidence functions on small specs -------------------------------------------------

ROLES = {"agent": {"title": "Agent"}, "officer": {"title": "Officer"},
         "manager": {"title": "Manager", "senior": True}}
CHANNELS = {"web": {"kind": "web-form", "free": True}, "phone": {"kind": "phone"},
            "desk": {"kind": "in-person", "assistance": ["interpreter"]}}


def graph_of(steps: str, **process: Any) -> ProcessGraph:
    data = {"plaint": 1, "process": {"id": "t", "title": "Test", **process},
            "roles": ROLES, "channels": CHANNELS, "steps": yaml.safe_load(steps)}
    return ProcessGraph(build_model(data))


def evidence(function: str, graph: ProcessGraph, **params: Any) -> tuple[str, ...] | None:
    """Evidence of ``function``, asserting that its check agrees that the rule is met."""
    entry = builtin_functions()[function]
    hits = list(entry.run(graph.process, graph, **params))
    shown = entry.evidence(graph.process, graph, **params)
    assert not hits, [h.message for h in hits]
    return shown


FLOW = """
receive: {kind: receive, owner: agent, channels: [web, phone], next: record}
record: {kind: record, owner: agent, next: acknowledge}
acknowledge: {kind: acknowledge, owner: officer, tells: [reference, timescale], next: investigate}
investigate:
  kind: investigate
  owner: officer
  independent_of: [agent]
  takes: 20 working days
  next: {parallel: [respond, update]}
update: {kind: communicate, owner: officer, tells: [progress], next: respond}
respond:
  kind: respond
  owner: officer
  join: all
  tells: [decision, reasons]
  next:
    - {to: review, when: dissatisfied}
    - {to: close, when: otherwise}
review: {kind: review, owner: manager, next: final}
final: {kind: respond, owner: manager, tells: [decision, reasons, external-referral], next: close}
close: {kind: close, owner: agent, feeds: [analyse]}
analyse: {kind: analyse, owner: officer, every: month, feeds: [board]}
board: {kind: management-review, owner: manager, every: quarter, feeds: [improve]}
improve: {kind: improve, owner: manager}
spare: {kind: analyse, owner: officer, every: year}
"""


def test_kind_exists_evidence_is_the_steps_of_those_kinds() -> None:
    graph = graph_of(FLOW)
    assert evidence("kind-exists", graph, kinds=["respond"]) == ("respond", "final")
    assert evidence("kind-exists", graph, kinds=["audit", "analyse"]) == ("analyse", "spare")


def test_tells_include_evidence_is_the_steps_that_tell() -> None:
    graph = graph_of(FLOW)
    assert evidence("tells-include", graph, steps=["respond"], items=["decision"]) == (
        "respond", "final")
    # Only the responses after which a review is still possible.
    assert evidence("tells-include", graph, steps=["respond"], items=["reasons"],
                    if_reaches=["review"]) == ("respond",)
    assert evidence("tells-include", graph, steps=["respond"], items=["external-referral"],
                    unless_reaches=["review"]) == ("final",)
    # No such step: nothing has to tell.
    assert evidence("tells-include", graph, steps=["refer"], items=["decision"]) is None


def test_precedes_evidence_is_the_steps_in_order() -> None:
    graph = graph_of(FLOW)
    assert evidence("precedes", graph, before=["acknowledge"], steps=["investigate"]) == (
        "acknowledge", "investigate")
    assert evidence("precedes", graph, before=["record"], steps=["respond", "review"]) == (
        "record", "respond", "review", "final")
    # Only the 'before' steps on the way: the final response comes after the review.
    assert evidence("precedes", graph, before=["respond"], steps=["review"]) == ("respond", "review")
    assert evidence("precedes", graph, before=["acknowledge"], steps=["follow-up"]) is None
    assert evidence("precedes", graph, before=["assess"], steps=["investigate"],
                    only_if_present=True) is None


def test_every_path_passes_evidence_is_the_steps_passed() -> None:
    graph = graph_of(FLOW)
    assert evidence("every-path-passes", graph, **{"from": ["receive"], "to": ["close"],
                                                  "through": ["respond"]}) == ("respond", "final")
    assert evidence("every-path-passes", graph, **{"from": ["receive"], "to": ["close"],
                                                  "through": ["audit"],
                                                  "only_if_present": True}) is None
    # No way from 'from' to 'to' at all: nothing to pass.
    assert evidence("every-path-passes", graph, **{"from": ["close"], "to": ["receive"],
                                                  "through": ["respond"]}) is None


def test_deadline_met_evidence_is_the_from_and_to_steps() -> None:
    steps = """
receive: {kind: receive, owner: agent, channels: [web], next: acknowledge}
acknowledge: {kind: acknowledge, owner: officer, takes: 2 working days, next: close}
close: {kind: close, owner: agent}
"""
    graph = graph_of(steps)
    with timing.as_of(TODAY):
        assert evidence("deadline-met", graph, within="5 working days", **{
            "from": ["receive"], "to": ["acknowledge"]}) == ("receive", "acknowledge")
        assert evidence("deadline-met", graph, within="8 weeks", only_if_present=True, **{
            "from": ["receive"], "to": ["refer"]}) is None
        entry = builtin_functions()["deadline-met"]
        # Without only_if_present the absence is a finding, and there is no evidence.
        params = {"from": ["receive"], "to": ["refer"], "within": "8 weeks"}
        assert list(entry.run(graph.process, graph, **params))
        assert entry.evidence(graph.process, graph, **params) is None


def test_field_present_evidence_is_the_process_unless_an_optional_field_is_missing() -> None:
    graph = graph_of(FLOW)
    assert evidence("field-present", graph, field="scope.covers", without=["employment"],
                    optional=True) is None
    graph = graph_of(FLOW, scope={"covers": ["products"]})
    assert evidence("field-present", graph, field="scope.covers", without=["employment"],
                    optional=True) == ("process",)


def test_channels_mix_evidence_is_the_channels() -> None:
    graph = graph_of(FLOW)
    assert evidence("channels-mix", graph, at_least=2) == ("web", "phone")  # 'desk' takes nothing in
    assert evidence("channels-mix", graph, kinds=["phone", "letter"]) == ("phone",)
    steps = FLOW.replace("channels: [web, phone]", "channels: [web, desk]")
    assert evidence("channels-mix", graph_of(steps), assistance=True) == ("desk",)


def test_owner_evidence_names_the_steps_and_their_roles() -> None:
    graph = graph_of(FLOW, owner="manager")
    assert evidence("senior-owner", graph) == ("process", "manager")
    assert evidence("senior-owner", graph, kinds=["management-review"]) == ("board", "manager")
    assert evidence("senior-owner", graph, kinds=["audit"]) is None
    assert evidence("independence", graph) == ("investigate", "officer")
    assert evidence("owners-present", graph, kinds=["review", "close"]) == ("review", "close")
    # The review, its owner, then the decision it reviews and that decision's owner.
    assert evidence("review-owner-differs", graph) == ("review", "manager", "respond", "officer")
    assert evidence("review-owner-differs", graph, review=["audit"]) is None


def test_flow_evidence_follows_the_routes_and_feeds() -> None:
    graph = graph_of(FLOW)
    assert evidence("escalation-route", graph, or_tells=["external-referral"]) == (
        "respond", "final", "review")
    assert evidence("escalation-route", graph, **{"from": ["refer"]}) is None
    assert evidence("feeds-chain", graph, **{"from": ["close"], "to": ["management-review"]}) == (
        "close", "analyse", "board")
    assert evidence("feeds-chain", graph, **{"from": ["audit"], "to": ["improve"]}) is None
    assert evidence("stage-count", graph, stages=["respond"], at_most=2) == ("respond", "final")
    assert evidence("frequency-present", graph) == ("analyse", "board", "spare")


def test_progress_updates_evidence_pairs_long_steps_with_their_updates() -> None:
    graph = graph_of(FLOW)
    assert evidence("progress-updates", graph, longer_than="10 working days") == (
        "investigate", "update")
    assert evidence("progress-updates", graph, longer_than="30 working days") is None


def test_commitment_and_telling_evidence() -> None:
    commitments = [{"name": "ack", "from": "receive", "to": "acknowledge", "within": "2 working days"},
                   {"name": "final", "from": "receive", "to": "final", "within": "8 weeks"}]
    graph = graph_of(FLOW, commitments=commitments)
    assert evidence("commitment-exists", graph, to=["acknowledge"]) == ("receive", "acknowledge")
    # A commitment to the step 'final' names that step, found by the kind of its end.
    assert evidence("commitment-exists", graph, to=["respond"]) == ("receive", "final")
    assert evidence("tells-present", graph, items=["progress"]) == ("update",)
    assert evidence("tells-present", graph, items=["decision"], steps=["review", "final"]) == (
        "final",)


def test_process_level_evidence() -> None:
    graph = graph_of(FLOW, records={"retention": "6 years"},
                     publication=[{"medium": "website", "where": "x", "includes": ["how-to-complain"]}])
    assert evidence("retention-at-least", graph, at_least="3 years") == ("process",)
    assert evidence("publication-includes", graph, items=["how-to-complain"]) == ("process",)
    bare = graph_of(FLOW)
    assert evidence("publication-includes", bare, items=["how-to-complain"],
                    when_published=True) is None


def test_excluded_matters_evidence_is_the_routes_out() -> None:
    assert evidence("excluded-matters-routed-out", graph_of(FLOW)) is None  # no step names matters
    steps = FLOW.replace(
        "record: {kind: record, owner: agent, next: acknowledge}",
        "record:\n  kind: record\n  owner: agent\n  next:\n"
        "    - {to: hr, when: employment matter}\n    - {to: acknowledge, when: otherwise}\n"
        "hr: {kind: redirect, owner: agent, to_procedure: HR, matters: [employment]}")
    graph = graph_of(steps, scope={"covers": ["products"], "excludes": ["employment"]})
    assert evidence("excluded-matters-routed-out", graph, matters=["employment"]) == ("hr",)


def test_evidence_agrees_with_check_when_the_function_is_reused_with_other_ids() -> None:
    # Named by step id rather than kind, as organisations' packs may.
    graph = graph_of(FLOW)
    assert evidence("precedes", graph, before=["review"], steps=["final"]) == ("review", "final")
    assert replace(builtin_functions()["precedes"], evidence=None).evidence is None
