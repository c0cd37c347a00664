"""The process is published, and what is published tells given things.

Reports the process once when it has no ``publication`` at all (unless
``when_published``), and once, at ``publication:``, naming every item of
``items`` that no publication ``includes``.

Parameters:

- ``items`` (required): values of a publication's ``includes``, e.g.
  ``[how-to-complain, timescales, options]``. Together, the publications must
  include each of them.
- ``when_published``: stay silent when there is no publication at all (for
  when another rule reports that). Default false.
- ``why``: why it matters, added to the message.

Evidence: the process; not applicable when nothing is published and
``when_published`` is true.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import PUBLICATION_ITEMS, because, either, params

PARAMS = params({
    "items": {"type": "array", "items": {"enum": PUBLICATION_ITEMS}, "minItems": 1,
              "uniqueItems": True, "description": "What the publications must include."},
    "when_published": {"type": "boolean", "default": False,
                       "description": "Stay silent when nothing is published."},
}, required=["items"])


def check(process: Process, graph: ProcessGraph, *, items: list[str], when_published: bool = False,
          why: str | None = None) -> Iterator[Hit]:
    if not process.publication:
        if not when_published:
            yield Hit(because(f"process '{process.id}' has no 'publication' that tells "
                              f"complainants {either(items, 'and')}", why),
                      ("process",), "process", key=True)
        return
    included = {item for p in process.publication for item in p.includes}
    missing = [item for item in items if item not in included]
    if missing:
        yield Hit(because(f"no publication of process '{process.id}' includes "
                          f"{either(missing)}", why),
                  ("process", "publication"), "process", key=True)


def evidence(process: Process, graph: ProcessGraph, *, items: list[str], when_published: bool = False,
             why: str | None = None) -> tuple[str, ...] | None:
    # Publications are not elements of the diagram; the process is what they describe.
    return None if when_published and not process.publication else ("process",)
