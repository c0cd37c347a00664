"""The generic, parameterised check functions behind the iso10002 pack.

Organisations reuse these functions in their own packs with their own
parameters, so each is tested here with parameters other than the ones the
iso10002 pack gives it, on small hand-made processes.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from plaint.core.engine import RuleSet
from plaint.core.graph import ProcessGraph
from plaint.core.model import build_model
from plaint.core.packs import PackError, parse_pack
from plaint.core.pipeline import check_document
from plaint.core.source import load_text
from plaint.policies.functions import builtin_functions

ROLES = {
    "agent": {"title": "Agent"},
    "officer": {"title": "Officer"},
    "manager": {"title": "Manager", "senior": True},
}
CHANNELS = {"web": {"kind": "web-form", "free": True}}


def graph_of(steps: str, **extra: Any) -> ProcessGraph:
    """A graph for the steps given as YAML; ``process``, ``roles``, ``channels`` may be given."""
    data: dict[str, Any] = {
        "plaint": 1,
        "process": {"id": "t", "title": "Test", **extra.pop("process", {})},
        "roles": extra.pop("roles", ROLES),
        "channels": extra.pop("channels", CHANNELS),
        "steps": yaml.safe_load(steps),
    }
    return ProcessGraph(build_model(data))


def run(function: str, graph: ProcessGraph, **params: Any) -> list[tuple[str | None, str]]:
    """(element, message) of every hit of ``function`` with ``params``."""
    check = builtin_functions()[function].run
    return [(h.element, h.message) for h in check(graph.process, graph, **params)]


def elements(function: str, graph: ProcessGraph, **params: Any) -> list[str | None]:
    return [element for element, _ in run(function, graph, **params)]


# -- the graph analyses they share -----------------------------------------------------

PARALLEL = """
receive: {kind: receive, channels: [web], next: split}
split: {kind: task, next: {parallel: [acknowledge, investigate]}}
acknowledge: {kind: acknowledge, next: respond}
investigate: {kind: investigate, next: respond}
respond: {kind: respond, join: all, next: close}
close: {kind: close}
"""


def test_reach_avoiding_respects_joins() -> None:
    g = graph_of(PARALLEL)
    reached = g.reach_avoiding(frozenset({"receive"}), frozenset({"acknowledge"}))
    # The investigation runs without the acknowledgement, but the join waits for both.
    assert "investigate" in reached
    assert "respond" not in reached and "close" not in reached
    assert g.reach_avoiding(frozenset({"receive"}), frozenset({"acknowledge"})) is reached


def test_reach_avoiding_starts_after_the_sources_and_skips_avoided_ones() -> None:
    g = graph_of("""
receive: {kind: receive, channels: [web], next: respond}
respond: {kind: respond, next: close}
close: {kind: close}
""")
    assert g.reach_avoiding(frozenset({"receive"}), frozenset()) == {
        "respond": "receive", "close": "receive"}
    assert g.reach_avoiding(frozenset({"respond"}), frozenset({"respond"})) == {}


def test_reaches_follows_control_or_information_flow() -> None:
    g = graph_of("""
receive: {kind: receive, channels: [web], next: close}
close: {kind: close, feeds: [collect]}
collect: {kind: collect, feeds: [analyse]}
analyse: {kind: analyse}
""")
    assert g.reaches(frozenset({"analyse"}), info=True) == {"close", "collect"}
    assert g.reaches(frozenset({"close"})) == {"receive"}
    assert g.select(["close", "collect"]) == {"close", "collect"}


def test_many_paths_are_not_enumerated() -> None:
    # 400 diamonds in a row: 2**400 paths from receive to close.
    lines = ["receive: {kind: receive, channels: [web], next: d0}"]
    for i in range(400):
        lines.append(f"d{i}: {{kind: assess, next: [{{to: a{i}, when: x}}, "
                     f"{{to: b{i}, when: otherwise}}]}}")
        lines.append(f"a{i}: {{kind: task, next: d{i + 1}}}")
        lines.append(f"b{i}: {{kind: acknowledge, next: d{i + 1}}}")
    lines.append("d400: {kind: close}")
    g = graph_of("\n".join(lines))
    hits = elements("every-path-passes", g, **{"from": ["receive"], "to": ["close"],
                                                 "through": ["acknowledge"]})
    assert hits == ["d400"]


# -- every-path-passes and precedes ----------------------------------------------------

def test_every_path_passes_with_step_ids() -> None:
    g = graph_of("""
receive: {kind: receive, channels: [web], next: triage}
triage:
  kind: assess
  next:
    - {to: quick-answer, when: simple}
    - {to: check, when: otherwise}
check: {kind: task, next: full-answer}
quick-answer: {kind: respond, next: close}
full-answer: {kind: respond, next: close}
close: {kind: close}
""")
    params = {"from": ["triage"], "to": ["quick-answer", "full-answer"], "through": ["check"]}
    [(element, message)] = run("every-path-passes", g, **params, why="quality check skipped")
    assert element == "quick-answer"
    assert message == ("a complaint can go from 'triage' to 'quick-answer' without passing "
                       "step 'check': quality check skipped")


def test_every_path_passes_when_the_step_is_missing() -> None:
    g = graph_of(PARALLEL)
    params = {"from": ["receive"], "to": ["close"], "through": ["review"]}
    assert elements("every-path-passes", g, **params) == ["close"]
    assert elements("every-path-passes", g, **params, only_if_present=True) == []
    # The join waits for the acknowledgement: every path to close passes it.
    assert elements("every-path-passes", g, **{**params, "through": ["acknowledge"]}) == []


def test_precedes_reports_each_step_reached_first() -> None:
    g = graph_of(PARALLEL)
    assert elements("precedes", g, before=["acknowledge"], steps=["investigate", "respond"]) == [
        "investigate"]
    assert elements("precedes", g, before=["split"], steps=["investigate", "close"]) == []
    assert elements("precedes", g, before=["audit"], steps=["close"]) == ["close"]
    assert elements("precedes", g, before=["audit"], steps=["close"], only_if_present=True) == []


# -- kind-exists, field-present, publication-includes ------------------------------------

def test_kind_exists_any_or_each() -> None:
    g = graph_of(PARALLEL)
    assert elements("kind-exists", g, kinds=["review", "refer"]) == ["process"]
    assert elements("kind-exists", g, kinds=["review", "respond"]) == []
    hits = run("kind-exists", g, kinds=["review", "respond", "audit"], each=True)
    assert [m for _, m in hits] == ["process 't' has no 'review' step",
                                    "process 't' has no 'audit' step"]


def test_field_present_values() -> None:
    g = graph_of("receive: {kind: receive, channels: [web], next: close}\nclose: {kind: close}",
                 process={"scope": {"covers": ["billing", "hr"]}, "owner": "agent",
                          "calendar": {"weekdays": ["mon", "tue"]}})
    assert run("field-present", g, field="scope.excludes") == [
        ("process", "process 't' does not give 'scope.excludes'")]
    assert run("field-present", g, field="scope.covers", includes=["billing", "metering"],
               without=["hr"]) == [
        ("process", "'scope.covers' of process 't' does not list 'metering'"),
        ("process", "'scope.covers' of process 't' lists 'hr'"),
    ]
    assert run("field-present", g, field="owner", includes=["manager"]) == [
        ("process", "'owner' of process 't' is 'agent', not 'manager'")]
    assert elements("field-present", g, field="calendar.weekdays", includes=["mon"]) == []
    assert elements("field-present", g, field="records.access", optional=True) == []


def test_field_present_points_at_the_nearest_written_key() -> None:
    check = builtin_functions()["field-present"].run
    g = graph_of("receive: {kind: receive, channels: [web], next: close}\nclose: {kind: close}",
                 process={"records": {"reference": "unique"}})
    [hit] = check(g.process, g, field="records.retention")
    assert hit.path == ("process", "records") and hit.key
    [hit] = check(g.process, g, field="scope.covers")
    assert hit.path == ("process",)


def test_publication_includes() -> None:
    steps = "receive: {kind: receive, channels: [web], next: close}\nclose: {kind: close}"
    g = graph_of(steps, process={"publication": [
        {"medium": "website", "where": "x", "includes": ["how-to-complain", "charges"]},
        {"medium": "leaflet", "where": "y", "includes": ["assistance"]}]})
    assert elements("publication-includes", g, items=["charges", "assistance"]) == []
    assert run("publication-includes", g, items=["charges", "options", "channels"]) == [
        ("process", "no publication of process 't' includes 'options' or 'channels'")]
    bare = graph_of(steps)
    assert elements("publication-includes", bare, items=["charges"]) == ["process"]
    assert elements("publication-includes", bare, items=["charges"], when_published=True) == []


# -- channels-mix ------------------------------------------------------------------------

def test_channels_mix_counts_only_channels_taken_in() -> None:
    channels = {
        "web": {"kind": "web-form", "free": True},
        "phone": {"kind": "phone", "free": False, "assistance": ["interpreter"]},
        "chat": {"kind": "chat"},
        "post": {"kind": "letter", "free": True},  # no receive step lists it
    }
    g = graph_of("receive: {kind: receive, channels: [web, phone, chat], next: close}\n"
                 "close: {kind: close}", channels=channels)
    assert elements("channels-mix", g, at_least=3) == []
    assert run("channels-mix", g, at_least=4) == [("process", (
        "process 't' takes complaints in by 3 channels ('web', 'phone' and 'chat'), fewer than 4"))]
    assert run("channels-mix", g, kinds=["letter", "in-person"], what="paper or face-to-face") == [
        ("process", "process 't' takes complaints in by no paper or face-to-face channel "
                    "('letter' or 'in-person')")]
    assert elements("channels-mix", g, free=True) == ["phone", "chat"]
    assert elements("channels-mix", g, kinds=["web-form"], free=True) == []
    assert elements("channels-mix", g, assistance=True) == []
    assert elements("channels-mix", g, kinds=["web-form", "chat"], assistance=True) == ["process"]


# -- tells-include -----------------------------------------------------------------------

TWO_STAGES = """
receive: {kind: receive, channels: [web], next: respond}
respond:
  kind: respond
  owner: officer
  tells: [decision]
  next:
    - {to: wait, when: not satisfied}
    - {to: close, when: otherwise}
wait:
  kind: wait
  owner: officer
  next:
    - {to: review, when: asks for a review}
    - {to: close, when: otherwise}
review: {kind: review, owner: manager, next: final}
final: {kind: respond, owner: manager, tells: [decision, external-referral], next: close}
close: {kind: close, owner: officer}
"""


def test_tells_include_narrowed_by_what_follows() -> None:
    g = graph_of(TWO_STAGES)
    assert elements("tells-include", g, steps=["respond"], items=["reasons"]) == [
        "respond", "final"]
    assert elements("tells-include", g, steps=["respond"], items=["escalation-options"],
                    if_reaches=["review"]) == ["respond"]
    assert elements("tells-include", g, steps=["respond"], items=["external-referral"],
                    unless_reaches=["review"]) == []
    assert run("tells-include", g, steps=["final"], items=["remedy", "reasons"]) == [
        ("final", "respond step 'final' does not tell the complainant 'remedy' and 'reasons'")]
    assert elements("tells-include", g, steps=["final"], items=["remedy", "decision"],
                    one_of=True) == []


# -- owners and objectivity ----------------------------------------------------------------

def test_owners_present_and_senior_owner() -> None:
    g = graph_of("""
receive: {kind: receive, channels: [web], next: review}
review: {kind: review, owner: officer, next: close}
close: {kind: close}
audit: {kind: audit, owner: manager}
""", process={"owner": "officer"})
    assert elements("owners-present", g) == ["receive", "close"]
    assert elements("owners-present", g, kinds=["close", "review"]) == ["close"]
    assert run("senior-owner", g) == [
        ("process", "the owner of process 't', role 'officer', is not a senior role")]
    assert elements("senior-owner", g, kinds=["review", "audit", "close"]) == ["review"]
    assert elements("senior-owner", graph_of(PARALLEL)) == ["process"]


def test_independence_with_other_kinds() -> None:
    g = graph_of("""
receive: {kind: receive, channels: [web], next: investigate}
investigate: {kind: investigate, owner: officer, next: review}
review: {kind: review, owner: manager, independent_of: [officer, manager], next: close}
close: {kind: close}
""")
    assert elements("independence", g) == ["investigate"]
    assert run("independence", g, kinds=["review"]) == [
        ("review", "step 'review' is owned by 'manager', a role its own independent_of names")]


def test_review_owner_differs_through_other_steps() -> None:
    assert elements("review-owner-differs", graph_of(TWO_STAGES)) == []
    same = TWO_STAGES.replace("{kind: review, owner: manager", "{kind: review, owner: officer")
    assert run("review-owner-differs", graph_of(same), why="not objective") == [
        ("review", "step 'review' is owned by 'officer', which also owns 'respond', the decision "
                   "it reviews: not objective")]
    # With other kinds: the wait step as the decision under review.
    assert elements("review-owner-differs", graph_of(same), decision=["wait"]) == ["review"]


def test_review_owner_differs_looks_only_at_the_latest_decision() -> None:
    g = graph_of("""
receive: {kind: receive, channels: [web], next: respond}
respond: {kind: respond, owner: officer, next: [{to: stage2, when: unhappy}, {to: close, when: otherwise}]}
stage2: {kind: review, owner: manager, next: answer2}
answer2: {kind: respond, owner: manager, next: [{to: stage3, when: unhappy}, {to: close, when: otherwise}]}
stage3: {kind: review, owner: officer, next: close}
close: {kind: close}
""")
    # 'respond' (officer) reaches stage3 only through stage2, so it is not the decision stage3 reviews.
    assert elements("review-owner-differs", g) == []


# -- improvement loop --------------------------------------------------------------------

LOOP = """
receive: {kind: receive, channels: [web], next: close}
close: {kind: close, feeds: [collect]}
collect: {kind: collect, every: month, feeds: [analyse]}
analyse: {kind: analyse}
survey: {kind: satisfaction, feeds: [report]}
report: {kind: monitor, every: week}
"""


def test_feeds_chain() -> None:
    g = graph_of(LOOP)
    assert elements("feeds-chain", g, **{"from": ["close"], "to": ["analyse"]}) == []
    assert run("feeds-chain", g, **{"from": ["close", "survey"], "to": ["analyse"]}) == [
        ("survey", "no information flow (feeds) from 'survey' reaches an 'analyse' step")]
    assert elements("feeds-chain", g, **{"from": ["management-review"], "to": ["improve"]}) == []
    assert elements("feeds-chain", g, **{"from": ["analyse"], "to": ["analyse"]}) == ["analyse"]


def test_frequency_present() -> None:
    g = graph_of(LOOP)
    assert elements("frequency-present", g) == ["analyse"]
    assert elements("frequency-present", g, kinds=["satisfaction", "collect"]) == ["survey"]


# -- commitments, escalation, scope, progress --------------------------------------------

def test_commitment_exists_by_kind_or_id() -> None:
    steps = """
receive: {kind: receive, channels: [web], next: first-answer}
first-answer: {kind: respond, next: close}
close: {kind: close}
"""
    g = graph_of(steps, process={"commitments": [
        {"name": "answer", "from": "receive", "to": "first-answer", "within": "10 working days"},
        {"name": "closing", "from": "first-answer", "to": "close", "within": "2 weeks"}]})
    assert elements("commitment-exists", g, to=["respond"]) == []
    assert elements("commitment-exists", g, to=["close"], **{"from": ["respond"]}) == []
    assert run("commitment-exists", g, to=["close"], **{"from": ["receive"]}) == [
        ("process", "process 't' has no commitment (a published time promise) from a 'receive' "
                    "step to a 'close' step")]
    assert elements("commitment-exists", graph_of(steps), to=["respond"]) == ["process"]


def test_escalation_route() -> None:
    g = graph_of(TWO_STAGES)
    assert elements("escalation-route", g) == ["final"]
    assert elements("escalation-route", g, or_tells=["external-referral"]) == []
    assert run("escalation-route", g, **{"from": ["final"], "to": ["refer"]}) == [
        ("final", "no path from 'final' reaches a 'refer' step")]


def test_excluded_matters_routed_out() -> None:
    steps = """
receive: {kind: receive, channels: [web], next: assess}
assess:
  kind: assess
  next:
    - {to: out, when: data request}
    - {to: investigate, when: otherwise}
out: {kind: redirect, to_procedure: DPO, matters: [data-requests, billing]}
investigate: {kind: investigate, matters: [foi], next: close}
close: {kind: close}
"""
    g = graph_of(steps, process={"scope": {"covers": ["billing"],
                                           "excludes": ["data-requests", "employment"]}})
    hits = run("excluded-matters-routed-out", g, matters=["foi", "employment"])
    assert hits == [
        ("out", "redirect step 'out' sends 'billing' out of process 't', but its scope does not "
                "exclude it"),
        ("investigate", "step 'investigate' is declared to deal with 'foi', which is outside "
                        "process 't'"),
        ("process", "process 't' excludes 'employment', but no 'redirect' or 'refer' step sends "
                    "it elsewhere (matters)"),
    ]
    # With no 'matters' anywhere, the process does not say how it routes matters.
    bare = graph_of(steps.replace(", matters: [data-requests, billing]", "")
                    .replace(", matters: [foi]", ""),
                    process={"scope": {"excludes": ["employment"]}})
    assert elements("excluded-matters-routed-out", bare) == []


def test_progress_updates() -> None:
    g = graph_of("""
receive: {kind: receive, channels: [web], next: split}
split: {kind: task, next: {parallel: [investigate, update]}}
investigate: {kind: investigate, takes: 4 weeks, next: respond}
update: {kind: communicate, next: respond}
respond: {kind: respond, join: all, takes: {max: 3 working days}, next: review}
review: {kind: review, takes: 20 working days, next: call}
call: {kind: task, tells: [progress], next: wait}
wait: {kind: wait, takes: 3 months, next: [{to: follow-up, when: reply}, {to: close, when: otherwise}]}
follow-up: {kind: follow-up, takes: 30 days, next: close}
close: {kind: close}
""")
    # investigate has a parallel update; review is followed by a progress call; wait is not
    # checked by default; follow-up (30 days, about 21 working days) is reported.
    assert run("progress-updates", g, longer_than="10 working days") == [
        ("follow-up", "step 'follow-up' can take 30 calendar days, longer than "
                      "10 working days, and no update on progress goes with it")]
    assert elements("progress-updates", g, longer_than="2 working days") == [
        "respond", "follow-up"]
    assert elements("progress-updates", g, longer_than="6 weeks", kinds=["wait"]) == ["wait"]
    assert elements("progress-updates", g, longer_than="1 week", update_kinds=["task"]) == [
        "investigate", "follow-up"]


# -- in a pack of one's own ------------------------------------------------------------------

OWN_PACK = """
plaint-pack: 1
pack: {id: our-rules, title: Our own rules, version: "1"}
rules:
  - id: our-review-before-closing
    title: Every complaint gets a second look
    severity: warning
    clauses: [{source: Our policy, topic: Second look}]
    checks: Every path from receipt to closing passes a review.
    rationale: Our board asked for it.
    hint: Add a review step.
    examples: {non_compliant: "x", compliant: "y"}
    check:
      function: every-path-passes
      params: {from: [receive], to: [close], through: [review], why: "our policy is a second look"}
"""


def test_functions_work_in_an_organisations_own_pack() -> None:
    rules = RuleSet([parse_pack(OWN_PACK, "our.yaml")], builtin_functions())
    spec = """
plaint: 1
process: {id: t, title: Test}
roles: {agent: {title: Agent}}
channels: {web: {kind: web-form}}
steps:
  receive: {kind: receive, owner: agent, channels: [web], next: close}
  close: {kind: close, owner: agent}
"""
    result = check_document(load_text(spec, "t.yaml"), rules)
    [finding] = [f for f in result.findings if f.rule == "our-review-before-closing"]
    assert finding.message == ("a complaint can go from 'receive' to 'close' without passing a "
                               "'review' step: our policy is a second look")
    assert finding.span.line == 8


@pytest.mark.parametrize("params", [
    "{from: [receive], to: [close]}",                            # 'through' missing
    "{from: [receive], to: [close], through: [Review]}",         # not a kind or an id
    "{from: [receive], to: [close], through: [review], when: x}",  # unknown parameter
])
def test_invalid_parameters_are_refused_when_the_pack_loads(params: str) -> None:
    text = OWN_PACK.replace(
        'params: {from: [receive], to: [close], through: [review], why: "our policy is a second look"}',
        f"params: {params}")
    with pytest.raises(PackError, match="parameters for 'every-path-passes' are invalid"):
        RuleSet([parse_pack(text, "our.yaml")], builtin_functions())


@pytest.mark.parametrize("function, params", [
    ("channels-mix", {"kinds": ["fax"]}),
    ("tells-include", {"steps": ["respond"], "items": ["apology"]}),
    ("progress-updates", {"longer_than": "ten days"}),
    ("kind-exists", {"kinds": ["triage"]}),
    ("field-present", {"field": "records.location"}),
    ("publication-includes", {"items": ["prices"]}),
])
def test_parameter_schemas_know_the_spec_vocabulary(function: str, params: dict) -> None:
    import jsonschema

    schema = builtin_functions()[function].params_schema
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(params, dict(schema))
