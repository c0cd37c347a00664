"""GitLab Code Quality report: a JSON array of issues, for the merge-request widget.

Each unwaived finding is an issue with ``description``, ``check_name`` (the rule
id), ``fingerprint``, ``severity`` and ``location`` (``path`` relative to the
repository, ``lines.begin``). The fingerprint comes from the rule, the file and
the element, not the line (see :func:`plaint.renderers.fingerprints`), so
GitLab still recognises a finding after lines above it move, and no two issues
share one (GitLab would show only the first).

Severities: error is ``major``, warning ``minor``, info ``info``; a file that
could not be read is ``blocker``. Waived findings are left out: Code Quality has
no notion of an accepted exception, and would report them as new issues.
"""

from __future__ import annotations

import json
from typing import Any

from plaint.core.findings import Finding, Severity
from plaint.core.pipeline import FileResult
from plaint.renderers import RenderContext, artifact_path, run_fingerprints

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    return {
        "description": finding.message,
        "check_name": finding.rule,
        "fingerprint": fingerprint,
        "severity": "blocker" if finding.fatal else SEVERITIES[finding.severity],
        "location": {"path": artifact_path(finding.file), "lines": {"begin": finding.span.line}},
    }


def render(results: list[FileResult], context: RenderContext) -> str:
    issues = [
        _issue(finding, fingerprint)
        for result, prints in zip(results, run_fingerprints(results), strict=True)
        for finding, fingerprint in zip(result.findings, prints, strict=True)
        if not finding.waived
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
