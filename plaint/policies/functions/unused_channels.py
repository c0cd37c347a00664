"""Channels that no step takes complaints from.

Reports every channel that no ``receive`` step lists in its ``channels``,
at the channel's key. Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._text import with_kind


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    used = {cid for step in process.steps.values() if step.entry for cid in step.channels}
    for channel in process.channels.values():
        if channel.id not in used:
            yield Hit(
                f"channel {with_kind(channel.id, channel.kind)} is not listed by any receive step, "
                "so complaints made through it are not taken in",
                channel.path, channel.id, key=True,
            )
