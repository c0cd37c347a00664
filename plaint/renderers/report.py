"""The HTML audit report: one self-contained file that auditors file as evidence.

The command line (``plaint report``) assembles a :class:`ReportData` from the
check results, the timing analysis and the clause coverage; this module only
formats it, with Jinja2 and autoescaping on. Everything that comes from a spec
is escaped; the one thing inserted as HTML is the diagram SVG, which the diagram
renderer escapes itself.

The page needs no network: CSS and script are inline, and a Content Security
Policy forbids every load and allows only the report's own script (by its
SHA-256), so even text that escaped escaping could not run or fetch anything.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from plaint.renderers.escape import visible

SEVERITIES = ("error", "warning", "info", "waived")


# -- what the report shows (assembled by plaint.cli.report) ----------------------------------


@dataclass(frozen=True)
class WaiverNote:
    """The waiver that covers a finding."""

    approved_by: str
    reason: str
    expires: str | None


@dataclass(frozen=True)
class FindingRow:
    number: int  # 1-based, in the file's sorted findings
    severity: str  # error, warning or info
    waived: bool
    rule: str
    pack: str
    message: str
    hint: str | None
    element: str | None
    step: str | None  # the diagram step the finding is drawn on (None: not on the diagram)
    line: int
    column: int
    clauses: tuple[str, ...]  # clause labels
    docs: str | None
    waiver: WaiverNote | None

    @property
    def level(self) -> str:
        """What the severity filter sees: a waived finding is filtered as 'waived'."""
        return "waived" if self.waived else self.severity


@dataclass(frozen=True)
class CoverageRule:
    rule: str
    title: str
    pack: str
    severity: str
    status: str  # met, finding, waived, not-applicable, off
    elements: tuple[str, ...]
    steps: tuple[str, ...]  # the elements that are steps on the diagram
    findings: tuple[int, ...]  # 1-based finding numbers
    note: str | None = None  # why no evidence could be given


@dataclass(frozen=True)
class CoverageLine:
    label: str
    clause: str | None  # the clause label, when it says more than ``label``
    status: str
    elements: tuple[str, ...]  # the evidence: elements that meet or break it
    steps: tuple[str, ...]
    rules: tuple[CoverageRule, ...]


@dataclass(frozen=True)
class CoverageGroup:
    title: str
    pack: str
    lines: tuple[CoverageLine, ...]


@dataclass(frozen=True)
class PathRow:
    step: str
    takes: str
    begins: str
    ends: str


@dataclass(frozen=True)
class TimingRow:
    kind: str  # commitment or deadline
    name: str
    label: str  # what it promises, in words
    pack: str | None
    severity: str
    within: str
    points: str  # "from receive to respond"
    best: str
    worst: str
    worst_start: str
    margin: str
    status: str  # kept, broken, unknowable, no-path, no-from, no-to, error
    status_words: str
    verdict: str  # "kept for every start date", "broken for 2 of the 365 start dates ..."
    notes: tuple[str, ...]
    path: tuple[PathRow, ...]  # the critical path of the worst case


@dataclass(frozen=True)
class TimingSection:
    year: int
    calendar: str | None
    rows: tuple[TimingRow, ...]
    note: str | None  # why there is no timing (the calendar cannot be used, ...)


@dataclass(frozen=True)
class WaiverRow:
    rule: str
    element: str
    reason: str
    approved_by: str
    expires: str
    ticket: str | None
    state: str  # applied, expired, unused, unknown-rule
    findings: tuple[int, ...]  # the findings it covers, or the finding about it


@dataclass(frozen=True)
class PackRow:
    id: str
    title: str
    version: str
    effective: str | None
    source: str | None


@dataclass(frozen=True)
class FileReport:
    index: int  # 1-based
    path: str
    title: str | None  # the process's title (None: the model was not built)
    process_id: str | None
    process_version: str | None
    verdict: str  # pass, fail, unreadable
    counts: dict[str, int]  # error, warning, info, waived
    packs: tuple[PackRow, ...]
    sha256: str | None
    sha256_note: str | None
    config: str
    stopped: str | None  # why later stages did not run
    diagram_svg: str | None  # trusted SVG markup from plaint.renderers.diagram
    diagram_note: str | None
    findings: tuple[FindingRow, ...]
    coverage: tuple[CoverageGroup, ...] | None
    coverage_note: str | None
    timing: TimingSection | None
    waivers: tuple[WaiverRow, ...]

    @property
    def prefix(self) -> str:
        """Prefix of this file's HTML ids, so several files in one report do not clash."""
        return f"f{self.index}-"

    @property
    def name(self) -> str:
        return self.title or self.path


@dataclass(frozen=True)
class ReportData:
    files: tuple[FileReport, ...]
    tool_version: str
    generated_at: str  # ISO 8601, UTC
    generated_at_source: str  # how the time was chosen: --generated-at, SOURCE_DATE_EPOCH, clock
    fail_on: str
    today: str
    today_given: bool
    config: str | None
    verdict: str  # pass, fail, unreadable
    counts: dict[str, int] = field(default_factory=dict)


# -- rendering -------------------------------------------------------------------------------


def _finalize(value: object) -> object:
    """Every ``{{ ... }}`` passes here before escaping: make invisible characters visible."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return visible(value)


@functools.cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("plaint.renderers", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,  # a misspelt field fails the tests instead of printing nothing
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["visible"] = visible
    return env


def _asset(name: str) -> str:
    """A file of the templates folder, as it is (the report's stylesheet and script)."""
    env = _env()
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return source


def render_report(data: ReportData) -> str:
    """The report as one HTML document (deterministic: the same data gives the same bytes)."""
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    # The script and stylesheet are the package's own files, not spec text: inserted as they are.
    return _env().get_template("report.html.j2").render(
        report=data,
        script=Markup(script),
        script_hash=f"sha256-{digest}",
        style=Markup(_asset("report.css")),
        severities=SEVERITIES,
    )
