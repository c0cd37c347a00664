"""Bounded loops that leave the complaint stuck after the last round.

A bounded transition (``max``) on a loop may be taken only so often. Reports
every such transition whose source step can reach a terminal step only by
taking bounded transitions again: once the rounds are used up, the complaint
has nowhere to go. Steps that cannot reach a terminal step at all, and steps
whose only other ways lead into a dead end or a trapped loop, are left to
``dead-ends`` and ``trapped-loops``. Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._text import TERMINAL_WORDS


def _leads_to_known_problems(graph: ProcessGraph) -> set[str]:
    """Steps that can reach a dead end or a trapped loop without bounded loop-backs."""
    seen = set(graph.dead_ends).union(*graph.traps)
    flow = graph.unbounded_flow
    stack = list(seen)
    while stack:  # one backwards search from all of them at once: linear
        for before in flow.predecessors(stack.pop()):
            if before not in seen:
                seen.add(before)
                stack.append(before)
    return seen


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    candidates = [t for t in graph.transitions()
                  if t.bounded and graph.on_loop(t) and t.source in graph.coreachable
                  and t.source not in graph.coreachable_unbounded]
    if not candidates:
        return
    covered = _leads_to_known_problems(graph)
    for t in candidates:
        if t.source in covered:
            continue
        rounds = "the one round" if t.max == 1 else f"the last of the {t.max} rounds"
        yield Hit(
            f"after {rounds} allowed from step '{t.source}' back to '{t.target}', "
            f"step '{t.source}' has no other way to {TERMINAL_WORDS}",
            t.path, t.source,
        )
