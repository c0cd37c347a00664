"""Every time promise of a process, timed: its commitments and the regulators' deadlines in force.

``plaint timing`` prints these; ``plaint report`` puts them in its timing table.
Both take them from here, so the numbers are computed once, in the analysis
stage, and renderers only show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plaint.core.durations import Duration, parse_duration
from plaint.core.graph import ProcessGraph
from plaint.core.pipeline import FileResult
from plaint.core.timing import Timing, TimingError, analyse, timing_data


@dataclass(frozen=True)
class Promise:
    """A commitment of the process, or a regulator's deadline (a rule calling ``deadline-met``)."""

    kind: str  # "commitment" or "deadline"
    name: str  # the commitment's name, or the rule id
    label: str  # what it promises, in words
    sources: tuple[str, ...]  # 'from': step ids or kinds
    targets: tuple[str, ...]  # 'to': step ids or kinds
    within: Duration
    severity: str  # of a broken promise: "error" for commitments, the rule's for deadlines
    pack: str | None  # the rule's pack, for deadlines
    timing: Timing | None
    error: str | None  # why it could not be timed, when timing is None

    @property
    def status(self) -> str:
        """kept, broken, unknowable, no-path, no-from, no-to or error."""
        if self.timing is None:
            return "error"
        if self.timing.status != "ok":
            return self.timing.status
        return "broken" if self.timing.breaks else "kept"

    @property
    def fails(self) -> bool:
        """Broken or untimeable, and an error (what makes ``plaint timing`` exit 1)."""
        return self.status != "kept" and self.severity == "error"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.kind == "deadline":
            out.update(label=self.label, pack=self.pack, severity=self.severity)
        out.update({"from": list(self.sources), "to": list(self.targets),
                    "within": str(self.within)})
        if self.timing is not None:
            out.update(timing_data(self.timing))
        else:
            out.update(status="error", error=self.error)
        return out


def _analyse(graph: ProcessGraph, start: tuple[str, ...], end: tuple[str, ...], within: Duration,
             year: int, ids_first: bool) -> tuple[Timing | None, str | None]:
    try:
        return analyse(graph, start, end, within, year, ids_first=ids_first), None
    except TimingError as err:
        return None, str(err)


def promises(result: FileResult, year: int) -> list[Promise]:
    """The file's commitments, then the deadlines of the regulatory packs checked against it.

    A deadline marked ``only_if_present`` whose steps the process does not have
    is left out. A file that did not reach the graph stage has none.
    """
    process, graph, rules = result.process, result.graph, result.rules
    if process is None or graph is None or rules is None:
        return []
    out: list[Promise] = []
    for c in process.commitments:
        timing, error = _analyse(graph, (c.start,), (c.end,), c.within, year, True)
        out.append(Promise("commitment", c.name, f"{c.name}: {c.within} from {c.start} to {c.end}",
                           (c.start,), (c.end,), c.within, "error", None, timing, error))
    in_force = {pack for pack, _ in result.packs}
    for rule in rules.active:
        if rule.function != "deadline-met" or rule.pack not in in_force:
            continue
        params = rule.params
        within = parse_duration(params["within"])
        sources, targets = tuple(params["from"]), tuple(params["to"])
        timing, error = _analyse(graph, sources, targets, within, year, False)
        if params.get("only_if_present") and timing and timing.status in ("no-from", "no-to"):
            continue
        out.append(Promise("deadline", rule.id, params.get("label") or rule.title, sources,
                           targets, within, str(rule.severity), rule.pack, timing, error))
    return out
