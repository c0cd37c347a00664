"""How complainants can reach the process: how many channels, of which kinds, at what cost.

Looks at the channels that receive steps take complaints from (a channel no
receive step lists does not count; ``unused-channel`` reports it), optionally
only those of ``kinds``. Reports, at ``channels:``, when there are fewer than
``at_least`` of them; with ``free: true``, every one of them whose ``free`` is not
``true``, at the channel; with ``assistance: true``, the process once when
none of them offers ``assistance``.

Parameters:

- ``kinds``: channel kinds to count (default: every kind), e.g.
  ``[phone, letter, in-person, text-relay]`` for channels that need no computer.
- ``what``: a word for those channels in messages, e.g. ``non-digital``.
- ``at_least``: at least this many such channels (default 1).
- ``free``: each such channel must be free to use (``free: true``).
- ``assistance``: at least one such channel must offer assistance.
- ``why``: why it matters, added to the message.

Evidence: the channels counted; with ``assistance: true`` alone, the ones that offer
assistance.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Channel, Process
from plaint.policies.functions._shared import CHANNEL_KINDS, because, either, params
from plaint.policies.functions._text import quoted

PARAMS = params({
    "kinds": {"type": "array", "items": {"enum": CHANNEL_KINDS}, "minItems": 1,
              "uniqueItems": True, "description": "Channel kinds to count (default: all)."},
    "what": {"type": "string", "minLength": 1,
             "description": "A word for the channels counted, e.g. 'non-digital'."},
    "at_least": {"type": "integer", "minimum": 1, "default": 1,
            "description": "At least this many channels."},
    "free": {"type": "boolean", "default": False,
             "description": "Every channel counted must be free to use."},
    "assistance": {"type": "boolean", "default": False,
                   "description": "At least one channel counted must offer assistance."},
})


def taken_in(process: Process, kinds: list[str] | None = None) -> list[Channel]:
    """Channels that some receive step lists, in the order they are defined."""
    used = {cid for step in process.steps.values() if step.entry for cid in step.channels}
    return [c for c in process.channels.values()
            if c.id in used and (kinds is None or c.kind in kinds)]


def check(process: Process, graph: ProcessGraph, *, kinds: list[str] | None = None,
          what: str | None = None, at_least: int = 1, free: bool = False,
          assistance: bool = False, why: str | None = None) -> Iterator[Hit]:
    channels = taken_in(process, kinds)
    where = ("channels",) if process.channels else ("process",)
    word = f"{what} " if what else ""
    of_kinds = f" ({either(kinds)})" if kinds else ""
    if len(channels) < at_least:
        if channels:
            fact = (f"process '{process.id}' takes complaints in by {len(channels)} "
                    f"{word}channel{'s' if len(channels) > 1 else ''} "
                    f"({quoted(c.id for c in channels)}), fewer than {at_least}")
        else:
            fact = f"process '{process.id}' takes complaints in by no {word}channel{of_kinds}"
        yield Hit(because(fact, why), where, "process", key=True)
    if free:
        for channel in channels:
            if channel.free is False:
                yield Hit(because(f"channel '{channel.id}' costs the complainant something to "
                                  "use (free: false)", why),
                          (*channel.path, "free"), channel.id)
            elif channel.free is None:
                yield Hit(because(f"channel '{channel.id}' does not say whether it is free "
                                  "to use", why),
                          channel.path, channel.id, key=True)
    if assistance and channels and not any(c.assistance for c in channels):
        yield Hit(because(f"no {word}channel of process '{process.id}' offers assistance "
                          "or other formats", why),
                  where, "process", key=True)


def evidence(process: Process, graph: ProcessGraph, *, kinds: list[str] | None = None,
             what: str | None = None, at_least: int = 1, free: bool = False,
             assistance: bool = False, why: str | None = None) -> tuple[str, ...] | None:
    channels = taken_in(process, kinds)
    if assistance and not free and at_least <= 1:
        # The rule is about help being offered: the channels that offer it show that.
        channels = [c for c in channels if c.assistance]
    return tuple(c.id for c in channels) or None
