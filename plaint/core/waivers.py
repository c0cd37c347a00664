"""Waivers: accepted exceptions, kept next to what they waive.

A waiver names a rule and an element, with a reason, an approver and an
expiry date. A finding it covers stays in every output, marked as waived, and
no longer counts towards the exit status. A waiver past its expiry covers
nothing and is itself an error; one that covers nothing is a warning, so
stale exceptions do not pile up.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from plaint.core.findings import AppliedWaiver, Finding, Hit
from plaint.core.model import Process, Waiver, did_you_mean
from plaint.core.source import SourceDocument

if TYPE_CHECKING:
    from plaint.core.engine import RuleSet


def _expiry(waiver: Waiver) -> date | None:
    try:
        return date.fromisoformat(waiver.expires)
    except ValueError:
        return None


def apply_waivers(findings: list[Finding], process: Process, rules: RuleSet,
                  doc: SourceDocument) -> list[Finding]:
    """Findings with waivers applied, plus findings about the waivers themselves."""
    live: list[tuple[Waiver, AppliedWaiver]] = []
    extra: list[Finding] = []
    for waiver in process.waivers:
        if waiver.rule not in rules.rules:
            hit = Hit(f"waiver names rule '{waiver.rule}', which is not a rule in force."
                      f"{did_you_mean(waiver.rule, list(rules.rules))}",
                      (*waiver.path, "rule"), waiver.at)
            extra.append(rules.stamp("waiver-unknown-rule", hit, doc, doc.path))
            continue
        expiry = _expiry(waiver)
        if expiry is None or expiry < rules.today:
            what = (f"expired on {waiver.expires}" if expiry
                    else f"has an expiry date '{waiver.expires}' that is not a real date")
            hit = Hit(f"waiver for '{waiver.rule}' at '{waiver.at}' (approved by "
                      f"{waiver.approved_by}) {what}, so it no longer covers anything",
                      (*waiver.path, "expires"), waiver.at)
            extra.append(rules.stamp("waiver-expired", hit, doc, doc.path))
            continue
        live.append((waiver, AppliedWaiver(waiver.rule, waiver.at, waiver.reason,
                                           waiver.approved_by, waiver.expires)))
    used: set[int] = set()
    out = []
    for finding in findings:
        for index, (waiver, applied) in enumerate(live):
            if finding.rule == waiver.rule and finding.element == waiver.at:
                finding = replace(finding, waiver=applied)
                used.add(index)
                break
        out.append(finding)
    for index, (waiver, _) in enumerate(live):
        if index not in used:
            hit = Hit(f"waiver for '{waiver.rule}' at '{waiver.at}' covers no finding: "
                      "the problem it excused is gone, or the waiver names the wrong element",
                      waiver.path, waiver.at)
            extra.append(rules.stamp("waiver-unused", hit, doc, doc.path))
    return out + extra
