"""Timing analysis, against worst and best cases worked out by hand.

Each process is small enough to count on a paper calendar. Unless a test says
otherwise the calendar is Monday to Friday with no public holidays, the day of
receipt is day 0 (the clock starts at the end of it), and the start dates are
every day of 2025 (1 January 2025 was a Wednesday, 3 January the first Friday).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from plaint.core.calendar import MINUTES_PER_DAY, compile_duration
from plaint.core.durations import parse_duration
from plaint.core.graph import ProcessGraph
from plaint.core.model import build_model
from plaint.core.timing import Timing, analyse, as_of, calendar_of, reference_year
from plaint.policies.functions import builtin_functions

HEAD = """
plaint: 1
process:
  id: t
  title: T
  calendar: {calendar}
  commitments: {commitments}
roles:
  a: {{title: A}}
channels:
  web: {{kind: web-form}}
steps:
"""


def graph_of(steps: str, calendar: str = "{}", commitments: str = "[]") -> ProcessGraph:
    text = HEAD.format(calendar=calendar, commitments=commitments) + steps
    return ProcessGraph(build_model(yaml.safe_load(text)))


def timed(graph: ProcessGraph, start: str, end: str, within: str | None = None,
          year: int = 2025, **kw: Any) -> Timing:
    return analyse(graph, [start], [end], parse_duration(within) if within else None, year, **kw)


def route(timing: Timing, best: bool = False) -> list[tuple[str, int, str | None]]:
    case = timing.best if best else timing.worst
    assert case is not None
    return [(s.step, s.round, str(s.takes) if s.takes else None) for s in case.path]


def fridays(year: int) -> list[date]:
    day = date(year, 1, 1)
    out = []
    while day.year == year:
        if day.weekday() == 4:
            out.append(day)
        day = date.fromordinal(day.toordinal() + 1)
    return out


# -- the shapes of a process ----------------------------------------------------------------------

SEQUENCE = """
  receive: {kind: receive, owner: a, channels: [web], next: gather}
  gather: {kind: task, owner: a, takes: 2 working days, next: cool-off}
  cool-off: {kind: task, owner: a, takes: 3 calendar days, next: respond}
  respond: {kind: respond, owner: a, takes: 1 working day, next: close}
  close: {kind: close, owner: a}
"""


def test_sequence_of_mixed_units_on_a_calendar_clock() -> None:
    # 2 working days, then 3 calendar days, then 1 working day. Received on a Friday
    # (clock from Saturday 00:00): Mon, Tue; Wed to Fri; Mon: 10 calendar days. Received
    # on a Wednesday (clock from Thursday): Thu, Fri; Sat to Mon; Tue: 6 calendar days.
    # Adding the units up would say "3 working days and 3 days", which is neither.
    t = timed(graph_of(SEQUENCE), "receive", "respond", "9 calendar days")
    assert t.status == "ok" and t.mode == "calendar"
    assert t.worst.received == date(2025, 1, 3) and t.worst.calendar_days == 10
    assert t.worst.working_days == 6 and t.worst.end_day == date(2025, 1, 13)
    assert t.worst.deadline == date(2025, 1, 12) and t.worst.margin == -1
    assert t.best.received == date(2025, 1, 1) and t.best.calendar_days == 6
    assert list(t.late_starts) == fridays(2025)  # only complaints received on a Friday are late
    assert route(t) == [("receive", 1, None), ("gather", 1, "2 working days"),
                        ("cool-off", 1, "3 calendar days"), ("respond", 1, "1 working day")]
    assert t.worst.path[0].start and t.worst.path[-1].ends.isoformat() == "2025-01-14T00:00:00"


CHOICE = """
  receive: {kind: receive, owner: a, channels: [web], next: assess}
  assess:
    kind: assess
    owner: a
    takes: 1 working day
    next:
      - {to: investigate, when: complex}
      - {to: quick-fix, when: otherwise}
  investigate: {kind: investigate, owner: a, takes: 10 working days, next: respond}
  quick-fix: {kind: task, owner: a, takes: 2 working days, next: respond}
  respond: {kind: respond, owner: a, takes: 1 working day, next: close}
  close: {kind: close, owner: a}
"""


def test_choice_takes_the_slowest_branch_for_the_worst_case_and_the_fastest_for_the_best() -> None:
    t = timed(graph_of(CHOICE), "receive", "respond", "12 working days")
    assert t.mode == "scalar"  # one unit throughout: one DP, then the calendar
    assert t.worst.working_days == 12 and t.best.working_days == 4
    assert t.late_starts == () and t.worst.margin == 0
    assert [s for s, _, _ in route(t)] == ["receive", "assess", "investigate", "respond"]
    assert [s for s, _, _ in route(t, best=True)] == ["receive", "assess", "quick-fix", "respond"]
    # 12 working days from a Thursday's or a Friday's clock start span 18 calendar days.
    assert t.worst.calendar_days == 18
    assert timed(graph_of(CHOICE), "receive", "respond", "11 working days").breaks


PARALLEL = """
  receive: {kind: receive, owner: a, channels: [web], next: open}
  open: {kind: task, owner: a, takes: 1 working day, next: {parallel: [check-file, legal]}}
  check-file: {kind: investigate, owner: a, takes: {max: 3 working days, min: 1 working day}, next: respond}
  legal: {kind: task, owner: a, takes: {max: 5 working days, min: 4 working days}, next: respond}
  respond: {kind: respond, owner: a, join: all, takes: 1 working day, next: close}
  close: {kind: close, owner: a}
"""


def test_parallel_work_waits_for_the_slowest_branch_in_the_best_case_too() -> None:
    t = timed(graph_of(PARALLEL), "receive", "respond")
    assert t.worst.working_days == 7  # 1 + max(3, 5) + 1
    assert t.best.working_days == 6  # 1 + max(1, 4) + 1: not the shortest branch
    assert [s for s, _, _ in route(t)] == ["receive", "open", "legal", "respond"]
    assert [s for s, _, _ in route(t, best=True)] == ["receive", "open", "legal", "respond"]


LOOP = """
  receive: {kind: receive, owner: a, channels: [web], next: investigate}
  investigate: {kind: investigate, owner: a, takes: 5 working days, next: review}
  review:
    kind: review
    owner: a
    takes: 2 working days
    next:
      - {to: investigate, when: new evidence, max: 2}
      - {to: respond, when: otherwise}
  respond: {kind: respond, owner: a, takes: 1 working day, next: close}
  close: {kind: close, owner: a}
"""


def test_a_bounded_loop_is_taken_as_often_as_its_max() -> None:
    t = timed(graph_of(LOOP), "receive", "respond")
    assert t.worst.working_days == 5 + 2 + 2 * (5 + 2) + 1 == 22
    assert t.best.working_days == 8
    assert route(t) == [
        ("receive", 1, None),
        ("investigate", 1, "5 working days"), ("review", 1, "2 working days"),
        ("investigate", 2, "5 working days"), ("review", 2, "2 working days"),
        ("investigate", 3, "5 working days"), ("review", 3, "2 working days"),
        ("respond", 1, "1 working day"),
    ]
    assert t.unrolled == 8  # receive, respond, and three rounds of investigate and review


WAIT = """
  receive: {kind: receive, owner: a, channels: [web], next: ask}
  ask: {kind: communicate, owner: a, takes: 1 working day, next: await-reply}
  await-reply:
    kind: wait
    owner: a
    takes: 10 working days
    next:
      - {to: decide, when: the complainant replies}
      - {to: respond, when: otherwise}
  decide: {kind: task, owner: a, takes: 1 working day, next: respond}
  respond: {kind: respond, owner: a, takes: 1 working day, next: close}
  close: {kind: close, owner: a}
"""


def test_a_wait_step_times_out_after_its_takes_and_a_reply_can_come_at_once() -> None:
    t = timed(graph_of(WAIT), "receive", "respond")
    # Worst: a reply on the last day, then a decision: 1 + 10 + 1 + 1. The timeout alone
    # is 1 + 10 + 1 = 12. Best: a reply at once: 1 + 0 + 1 + 1.
    assert t.worst.working_days == 13 and t.best.working_days == 3
    chase = graph_of("""
  receive: {kind: receive, owner: a, channels: [web], next: ask}
  ask: {kind: communicate, owner: a, takes: 1 working day, next: await-reply}
  await-reply:
    kind: wait
    owner: a
    takes: 10 working days
    next:
      - {to: respond, when: the complainant replies}
      - {to: chase, when: otherwise}
  chase: {kind: communicate, owner: a, takes: 1 working day, next: respond}
  respond: {kind: respond, owner: a, takes: 1 working day, next: close}
  close: {kind: close, owner: a}
""")
    timeout = timed(chase, "receive", "respond")
    assert timeout.worst.working_days == 13 and timeout.best.working_days == 2
    assert [(s.step, s.timeout) for s in timeout.worst.path][2] == ("await-reply", True)


# -- holidays -------------------------------------------------------------------------------------

CHRISTMAS = """
  receive: {kind: receive, owner: a, channels: [web], next: handle}
  handle: {kind: investigate, owner: a, takes: 5 working days, next: respond}
  respond: {kind: respond, owner: a, next: close}
  close: {kind: close, owner: a}
"""


def test_a_promise_broken_only_for_complaints_received_just_before_christmas() -> None:
    # England, 2026. Five working days normally span at most 7 calendar days, 8 with a
    # Monday bank holiday, 11 over Easter. Received Wednesday 23 December (clock from
    # Thursday 24): Thu 24, Tue 29, Wed 30, Thu 31, Mon 4 January: done at the end of
    # 4 January, 12 calendar days. Received Thursday 24 (clock from Christmas Day): Tue
    # 29 to Tue 5 January: 12 days. Received on the 22nd: 9; on the 25th: 11.
    g = graph_of(CHRISTMAS, calendar="{holidays: GB-ENG}")
    t = timed(g, "receive", "respond", "11 calendar days", year=2026)
    assert t.late_starts == (date(2026, 12, 23), date(2026, 12, 24))
    assert t.worst.received == date(2026, 12, 23) and t.worst.calendar_days == 12
    assert t.worst.end_day == date(2027, 1, 4) and t.worst.deadline == date(2027, 1, 3)
    assert t.worst.margin == -1
    # The same process in a year without holidays keeps the promise every day.
    assert not timed(graph_of(CHRISTMAS), "receive", "respond", "11 calendar days", 2026).breaks
    # And a 10-day promise is also broken around Easter (11 days from 2 April).
    assert date(2026, 4, 2) in timed(g, "receive", "respond", "10 calendar days", 2026).late_starts


def test_the_commitment_message_names_promise_worst_case_start_date_and_path() -> None:
    g = graph_of(CHRISTMAS.replace("respond: {kind: respond, owner: a, next: close}",
                                   "respond: {kind: respond, owner: a, takes: 1 hour, next: close}"),
                 calendar="{holidays: GB-ENG}",
                 commitments="[{name: answer, from: receive, to: respond, within: 12 calendar days}]")
    with as_of(date(2026, 6, 1)):
        hits = list(builtin_functions()["commitments-met"].run(g.process, g))
    assert len(hits) == 1
    assert hits[0].message == (
        "commitment 'answer' (12 calendar days from receive to respond) can be broken on 2 of "
        "the 365 days of 2026: a complaint received on 2026-12-23 (a Wednesday) can take 12 "
        "calendar days and 1 hour (1 week, 5 days and 1 hour), to 2027-01-05 01:00, 1 hour "
        "after the deadline (the end of 2027-01-04): receive → handle (5 working days) → "
        "respond (1 hour)")
    assert hits[0].path == ("process", "commitments", 0, "within") and hits[0].element == "answer"


def test_receipt_day_0_or_day_1() -> None:
    one_day = """
  receive: {kind: receive, owner: a, channels: [web], next: respond}
  respond: {kind: respond, owner: a, takes: 1 working day, next: close}
  close: {kind: close, owner: a}
"""
    # "Within 1 calendar day" of a 1-working-day step is late when the clock starts on a
    # weekend. Day 0: the clock starts the day after receipt, so Friday and Saturday
    # receipts are late; day 1: it starts on the day, so Saturday and Sunday receipts are.
    day0 = timed(graph_of(one_day, calendar="{receipt: day-0}"), "receive", "respond",
                 "1 calendar day")
    day1 = timed(graph_of(one_day, calendar="{receipt: day-1}"), "receive", "respond",
                 "1 calendar day")
    assert {d.weekday() for d in day0.late_starts} == {4, 5}
    assert {d.weekday() for d in day1.late_starts} == {5, 6}
    assert day0.worst.begins.isoformat() == "2025-01-04T00:00:00"  # received Friday 3 January
    assert day1.worst.begins.isoformat() == "2025-01-04T00:00:00"  # received Saturday 4 January


def test_a_sunday_to_thursday_week() -> None:
    g = graph_of(CHRISTMAS, calendar="{weekdays: [sun, mon, tue, wed, thu]}")
    t = timed(g, "receive", "respond", "5 working days")
    assert t.worst.working_days == 5 and not t.breaks
    # Five working days span 7 calendar days unless the clock starts on a Sunday. Received
    # on Wednesday 1 January (clock from Thursday): Thu, Sun, Mon, Tue, Wed.
    assert t.worst.calendar_days == 7 and t.worst.end_day == date(2025, 1, 8)


def test_months_are_calendar_months() -> None:
    g = graph_of("""
  receive: {kind: receive, owner: a, channels: [web], next: respond}
  respond: {kind: respond, owner: a, takes: 6 months, next: close}
  close: {kind: close, owner: a}
""")
    t = timed(g, "receive", "respond", "6 months")
    assert t.mode == "calendar" and not t.breaks and t.worst.margin == 0
    # Received 30 August 2025: six months later is the end of 28 February 2026 (no 30th).
    assert timed(g, "receive", "respond", "181 calendar days").worst.calendar_days == 184


# -- where the clock starts and stops ---------------------------------------------------------------

STAGES = """
  receive: {kind: receive, owner: a, channels: [web], next: acknowledge}
  acknowledge: {kind: acknowledge, owner: a, takes: 2 working days, next: investigate}
  investigate: {kind: investigate, owner: a, takes: 5 working days, next: respond}
  respond:
    kind: respond
    owner: a
    takes: 1 working day
    next:
      - {to: review, when: the complainant asks for a review}
      - {to: close, when: otherwise}
  review: {kind: review, owner: a, takes: 10 working days, next: final-response}
  final-response: {kind: respond, owner: a, takes: 1 working day, next: close}
  close: {kind: close, owner: a}
"""


def test_the_clock_starts_when_the_from_step_is_done() -> None:
    t = timed(graph_of(STAGES), "acknowledge", "respond")
    assert t.worst.working_days == 6  # investigate and respond, not the acknowledgement
    assert route(t)[0] == ("acknowledge", 1, None)


def test_the_clock_stops_at_the_first_to_step_on_the_way() -> None:
    # Both respond steps are 'respond' by kind, but every way meets 'respond' first.
    by_kind = timed(graph_of(STAGES), "receive", "respond")
    assert by_kind.worst.working_days == 8 and by_kind.targets == ("respond",)
    assert timed(graph_of(STAGES), "receive", "final-response").worst.working_days == 19
    # A commitment's 'respond' is the step with that id, not every step of the kind.
    by_id = timed(graph_of(STAGES), "receive", "respond", ids_first=True)
    assert by_id.targets == ("respond",)


def test_steps_without_takes_count_as_no_time_and_are_listed() -> None:
    g = graph_of(STAGES.replace("takes: 5 working days, ", "").replace(
        "owner: a, channels: [web]", "owner: a, takes: 1 hour, channels: [web]"))
    t = timed(g, "receive", "final-response")
    assert t.missing == ("investigate",)
    assert t.worst.working_days == 14  # 2 + 0 + 1 + 10 + 1; the receive step's hour is before the clock


def test_an_unbounded_loop_makes_timing_unknowable() -> None:
    g = graph_of(LOOP.replace(", max: 2", ""))
    t = timed(g, "receive", "respond")
    assert t.status == "unknowable" and t.loop == ("investigate", "review")
    assert t.worst is None
    # ... but not for a promise that ends before the loop.
    assert timed(g, "receive", "investigate").status == "ok"


def test_no_way_between_the_points() -> None:
    g = graph_of(STAGES)
    assert timed(g, "final-response", "acknowledge").status == "no-path"
    assert timed(g, "refer", "respond").status == "no-from"
    assert timed(g, "receive", "refer").status == "no-to"


def test_the_reference_year_comes_from_as_of() -> None:
    assert reference_year(2031) == 2031
    with as_of(date(2029, 3, 1)):
        assert reference_year() == 2029
        t = analyse(graph_of(CHOICE), ["receive"], ["respond"])
    assert t.year == 2029 and t.worst.received.year == 2029 and t.starts == 365
    assert timed(graph_of(CHOICE), "receive", "respond", year=2028).starts == 366


# -- the deadline-met function (its contract is used by regulatory packs) -------------------------

def deadline(g: ProcessGraph, **params: Any) -> list[Any]:
    with as_of(date(2026, 6, 1)):
        return list(builtin_functions()["deadline-met"].run(g.process, g, **params))


def test_deadline_met_reports_at_the_to_step_with_label_and_why() -> None:
    g = graph_of(STAGES, calendar="{holidays: GB-ENG}")
    assert deadline(g, **{"from": ["receive"], "to": ["respond"], "within": "8 working days"}) == []
    hits = deadline(g, **{"from": ["receive"], "to": ["respond"], "within": "7 working days",
                          "label": "Example rule 1.2 answer within 7 working days",
                          "why": "the rule says so"})
    assert len(hits) == 1 and hits[0].element == "respond" and hits[0].path == ("steps", "respond")
    assert hits[0].message.startswith(
        "Example rule 1.2 answer within 7 working days can be missed on every day of 2026: a "
        "complaint received on ")
    assert "receive → acknowledge (2 working days) → investigate (5 working days) → respond " \
           "(1 working day)" in hits[0].message
    assert hits[0].message.endswith(": the rule says so")


def test_deadline_met_only_if_present() -> None:
    g = graph_of(STAGES)
    params = {"from": ["receive"], "to": ["refer"], "within": "8 weeks"}
    missing = deadline(g, **params)
    assert [h.message for h in missing] == [
        "process 't' has no 'refer' step, where the clock of the deadline of 8 weeks from a "
        "'receive' step to a 'refer' step stops"]
    assert missing[0].element == "process"
    assert deadline(g, **params, only_if_present=True) == []


def test_deadline_met_reports_an_unbounded_loop() -> None:
    g = graph_of(LOOP.replace(", max: 2", ""))
    hits = deadline(g, **{"from": ["receive"], "to": ["respond"], "within": "8 weeks"})
    assert len(hits) == 1 and hits[0].element == "investigate"
    assert "cannot be checked: steps 'investigate' and 'review' form a loop" in hits[0].message


# -- size: no path is ever enumerated ---------------------------------------------------------------

def big_process(n: int) -> dict[str, Any]:
    """A chain of choices (2^k paths), with parallel blocks and bounded loops, mixed units."""
    units = ("working days", "calendar days", "hours")
    steps: dict[str, Any] = {
        "receive": {"kind": "receive", "owner": "a", "channels": ["web"], "next": "s0"}}
    i, prev = 0, "s0"
    while len(steps) < n - 3:
        a, b, j = f"a{i}", f"b{i}", f"s{i + 1}"
        take = f"{1 + i % 3} {units[i % 3]}"
        if i % 10 == 5:
            steps[prev] = {"kind": "task", "owner": "a", "takes": take, "next": {"parallel": [a, b]}}
            steps[j] = {"kind": "task", "owner": "a", "join": "all", "takes": take}
            steps[a] = {"kind": "task", "owner": "a", "takes": take, "next": j}
            steps[b] = {"kind": "task", "owner": "a", "takes": "2 working days", "next": j}
        elif i % 10 == 7:
            steps[prev] = {"kind": "task", "owner": "a", "takes": take, "next": a}
            steps[a] = {"kind": "investigate", "owner": "a", "takes": take, "next": b}
            steps[b] = {"kind": "review", "owner": "a", "takes": take,
                        "next": [{"to": a, "when": "again", "max": 2}, {"to": j, "when": "otherwise"}]}
            steps[j] = {"kind": "task", "owner": "a", "takes": take}
        else:
            steps[prev] = {"kind": "assess", "owner": "a", "takes": take,
                           "next": [{"to": a, "when": "x"}, {"to": b, "when": "otherwise"}]}
            steps[a] = {"kind": "task", "owner": "a", "takes": take, "next": j}
            steps[b] = {"kind": "task", "owner": "a", "takes": "1 working day", "next": j}
            steps[j] = {"kind": "task", "owner": "a", "takes": take}
        prev, i = j, i + 1
    steps[prev]["next"] = "respond"
    steps["respond"] = {"kind": "respond", "owner": "a", "takes": "1 working day", "next": "close"}
    steps["close"] = {"kind": "close", "owner": "a"}
    return {"plaint": 1,
            "process": {"id": "big", "title": "Big", "calendar": {"holidays": "GB-ENG"},
                        "commitments": [{"name": "final", "from": "receive", "to": "respond",
                                         "within": "8 weeks"}]},
            "roles": {"a": {"title": "A"}}, "channels": {"web": {"kind": "web-form"}},
            "steps": steps}


def test_a_ten_thousand_step_process_with_exponentially_many_paths_is_analysed() -> None:
    process = build_model(big_process(10_000))
    assert len(process.steps) >= 9_990
    graph = ProcessGraph(process)
    started = time.perf_counter()
    t = analyse(graph, ["receive"], ["respond"], parse_duration("8 weeks"), 2026)
    elapsed = time.perf_counter() - started
    assert t.status == "ok" and t.breaks and t.mode == "calendar"
    assert t.worst.path[0].step == "receive" and t.worst.path[-1].step == "respond"
    # No assertion on time: measured in docs/timing.md. Shown with `pytest -s`.
    print(f"\n10,000-step process: {t.unrolled} unrolled steps, timed in {elapsed:.2f} s",
          file=sys.stderr)



# -- plaint timing ------------------------------------------------------------------------------

PLAINT = Path(sys.executable).parent / "plaint"

SPEC = """plaint: 1
process:
  id: shop
  title: Shop complaints
  calendar: {holidays: GB-ENG}
  commitments:
    - {name: acknowledge, from: receive, to: acknowledge, within: 2 working days}
    - {name: answer, from: receive, to: respond, within: WITHIN}
roles:
  a: {title: A}
channels:
  web: {kind: web-form}
steps:
  receive: {kind: receive, owner: a, channels: [web], next: acknowledge}
  acknowledge: {kind: acknowledge, owner: a, takes: 1 working day, next: handle}
  handle: {kind: investigate, owner: a, takes: 4 working days, next: respond}
  respond: {kind: respond, owner: a, takes: 2 hours, next: close}
  close: {kind: close, owner: a}
"""


def run_timing(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PLAINT), "timing", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, check=False)


def test_plaint_timing_text_is_a_table_per_commitment(tmp_path: Path) -> None:
    (tmp_path / "shop.yaml").write_text(SPEC.replace("WITHIN", "13 calendar days"))
    first = run_timing("--today", "2026-03-01", "shop.yaml", cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    again = run_timing("--today", "2026-03-01", "shop.yaml", cwd=tmp_path)
    assert first.stdout == again.stdout  # deterministic for a given --today
    out = first.stdout
    assert "PROMISE" in out and "WORST CASE" in out and "MARGIN" in out
    assert "Start dates: every day of 2026" in out
    assert "commitment 'answer': 13 calendar days from receive to respond" in out
    # 5 working days and 2 hours; the worst start is just before Christmas (see above).
    assert "worst case: 12 calendar days and 2 hours, start date 2026-12-23 (a Wednesday)" in out
    assert "handle       4 working days  2026-12-28 24:00" not in out  # 28 December is a holiday
    assert "critical path (worst case):" in out and "receive      clock starts" in out


def test_plaint_timing_json_and_exit_1_when_a_promise_is_broken(tmp_path: Path) -> None:
    (tmp_path / "shop.yaml").write_text(SPEC.replace("WITHIN", "12 calendar days"))
    result = run_timing("--year", "2026", "-f", "json", "shop.yaml", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    doc = json.loads(result.stdout)
    assert doc["year"] == 2026 and doc["calendar"]["holidays"] == "GB-ENG"
    answer = doc["commitments"][1]
    assert answer["name"] == "answer" and answer["status"] == "broken"
    assert answer["late_start_dates"] == ["2026-12-23", "2026-12-24"]
    assert answer["worst"]["received"] == "2026-12-23" and answer["worst"]["margin"] < 0
    assert [s["step"] for s in answer["worst"]["path"]] == ["receive", "acknowledge", "handle",
                                                            "respond"]
    assert doc["commitments"][0]["status"] == "kept" and doc["deadlines"] == []


def test_plaint_timing_on_bad_input(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(SPEC.replace("WITHIN", "soon"))
    bad = run_timing("bad.yaml", cwd=tmp_path)
    assert bad.returncode == 1 and "cannot be timed" in bad.stderr
    assert run_timing("missing.yaml", cwd=tmp_path).returncode == 2
    assert run_timing(".", cwd=tmp_path).returncode == 2
    (tmp_path / "xx.yaml").write_text(SPEC.replace("WITHIN", "2 weeks").replace("GB-ENG", "XX"))
    unknown = run_timing("xx.yaml", cwd=tmp_path)
    assert unknown.returncode == 2 and "no country 'XX'" in unknown.stderr


# -- against brute force -----------------------------------------------------------------------------

def _random_process(rng: random.Random, n: int) -> dict[str, Any]:
    """Choices, bounded loops back, wait steps, min/max, four units; England's holidays."""
    units = ["working days", "calendar days", "hours", "weeks"]
    steps: dict[str, Any] = {"receive": {"kind": "receive", "owner": "a", "channels": ["web"],
                                         "next": "s0"}}
    for i in range(n):
        step: dict[str, Any] = {"kind": rng.choice(["task", "task", "wait", "review"]), "owner": "a"}
        if rng.random() < 0.9:
            unit = rng.choice(units)
            size = rng.choice([2, 5, 30] if unit == "hours" else [1, 2, 3, 0.5])
            step["takes"] = (f"{size} {unit}" if rng.random() < 0.7
                             else {"max": f"{size * 2} {unit}", "min": f"{size} {unit}"})
        ahead = [f"s{j}" for j in range(i + 1, min(n, i + 4))] + ["end"]
        targets = rng.sample(ahead, min(len(ahead), rng.choice([1, 2])))
        branches = [{"to": t, "when": "otherwise" if k == 0 else f"case {k}"}
                    for k, t in enumerate(targets)]
        if rng.random() < 0.25 and i > 0:
            branches.insert(0, {"to": f"s{rng.randrange(i)}", "when": "again",
                                "max": rng.choice([1, 2])})
        step["next"] = branches if len(branches) > 1 else branches[0]["to"]
        steps[f"s{i}"] = step
    steps["end"] = {"kind": "respond", "owner": "a", "takes": "1 working day", "next": "close"}
    steps["close"] = {"kind": "close", "owner": "a"}
    return {"plaint": 1, "process": {"id": "r", "title": "R", "calendar": {"holidays": "GB-ENG"}},
            "roles": {"a": {"title": "A"}}, "channels": {"web": {"kind": "web-form"}},
            "steps": steps}


def _every_run(process: Any) -> list[list[tuple[str, int]]]:
    """Every way from receive to 'end', loops taken at most 'max' times: (step, branch kind)."""
    runs: list[list[tuple[str, int]]] = []

    def walk(sid: str, used: dict[str, int], seq: list[tuple[str, int]]) -> None:
        if sid == "end":
            runs.append([*seq, (sid, 0)])
            return
        step = process.steps[sid]
        for t in step.transitions:
            counts = dict(used)
            if t.max is not None:
                if counts.get(t.id, 0) >= t.max:
                    continue
                counts[t.id] = counts.get(t.id, 0) + 1
            walk(t.target, counts, [*seq, (sid, int(step.kind == "wait" and t.default))])

    walk("receive", {}, [])
    return runs


def _run_end(process: Any, clock: Any, start: int, run: list[tuple[str, int]], best: bool) -> int:
    """Where one way through the process ends, step by step on the calendar clock."""
    moment = start
    for sid, variant in run[1:]:  # the clock starts when 'receive' is done
        step = process.steps[sid]
        used = None
        if step.takes is not None:
            short = step.takes.min if step.takes.min is not None else (
                None if step.kind == "wait" else step.takes.max)
            used = step.takes.max if (not best or variant == 1) else short
        moment = clock.advance(moment, compile_duration(used, MINUTES_PER_DAY))
    return moment


def test_the_dp_agrees_with_walking_every_path_on_every_start_date() -> None:
    rng = random.Random(20261225)
    checked = 0
    for _ in range(30):
        process = build_model(_random_process(rng, rng.randrange(3, 7)))
        graph = ProcessGraph(process)
        within = parse_duration(rng.choice(["10 working days", "2 weeks", "20 calendar days"]))
        t = analyse(graph, ["receive"], ["end"], within, 2026)
        if t.status != "ok":
            continue
        runs = _every_run(process)
        if len(runs) > 40:  # keep the brute force quick
            continue
        checked += 1
        clock = calendar_of(graph).clock(2026, MINUTES_PER_DAY)
        days, starts = clock.year_starts(2026)
        deadlines = clock.advance_all(starts, compile_duration(within, MINUTES_PER_DAY))

        worst = [max(_run_end(process, clock, s, r, False) for r in runs) for s in starts]
        best = [min(_run_end(process, clock, s, r, True) for r in runs) for s in starts]
        assert t.late_starts == tuple(d for d, w, dl in zip(days, worst, deadlines, strict=True)
                                      if w > dl)
        i = days.index(t.worst.received)
        assert t.worst.calendar_days == pytest.approx((worst[i] - starts[i]) / MINUTES_PER_DAY)
        assert t.best.calendar_days == pytest.approx(
            min(b - s for b, s in zip(best, starts, strict=True)) / MINUTES_PER_DAY)
    assert checked >= 15
