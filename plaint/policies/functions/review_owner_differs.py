"""A review is owned by a different role from the decision it reviews.

For every step of ``review``, looks at the steps of ``decision`` that lead to
it: those from which it can be reached through ``next`` without passing
another review (the latest decision before the review). Reports the review,
at its ``owner``, when one of them has the same owner. One pass over the
control flow per role that owns a decision: no path is enumerated.

Parameters:

- ``review``: step kinds or ids of the reviews (default ``[review]``).
- ``decision``: step kinds or ids of the decisions (default ``[respond]``).
- ``why``: why it matters, added to the message.

Evidence: each review that follows a decision, the decisions it reviews (one per
owning role) and the owners of both; not applicable when no review follows a decision.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process, Step
from plaint.policies.functions._shared import because, in_order, label, names_param, params, unique

PARAMS = params({
    "review": names_param("The review steps (default: review)."),
    "decision": names_param("The decision steps (default: respond)."),
})


def _by_owner(process: Process, decisions: frozenset[str]) -> dict[str, frozenset[str]]:
    """The decision steps grouped by the role that owns them."""
    grouped: dict[str, set[str]] = {}
    for sid in decisions:
        owner = process.steps[sid].owner
        if owner is not None:
            grouped.setdefault(owner, set()).add(sid)
    return {owner: frozenset(ids) for owner, ids in grouped.items()}


def _origin(graph: ProcessGraph, step: Step, sources: frozenset[str],
            reviews: frozenset[str]) -> str | None:
    """A decision of ``sources`` that ``step`` reviews: one from which it is reached without
    passing another review (the pass is memoised on the graph, per group of sources)."""
    reached = graph.reach_avoiding(sources, reviews)
    for pred in sorted(graph.flow.predecessors(step.id), key=graph.order.__getitem__):
        origin = pred if pred in sources else reached.get(pred)
        if origin is not None:
            return origin
    return None


def check(process: Process, graph: ProcessGraph, *, review: list[str] | None = None,
          decision: list[str] | None = None, why: str | None = None) -> Iterator[Hit]:
    reviews = graph.select(review or ["review"])
    by_owner = _by_owner(process, graph.select(decision or ["respond"]) - reviews)
    for step in in_order(graph, reviews):
        sources = by_owner.get(step.owner or "")
        if not sources:
            continue
        origin = _origin(graph, step, sources, reviews)
        if origin is not None:
            yield Hit(because(f"{label(step)} is owned by '{step.owner}', which also owns "
                              f"'{origin}', the decision it reviews", why),
                      (*step.path, "owner"), step.id)


def evidence(process: Process, graph: ProcessGraph, *, review: list[str] | None = None,
             decision: list[str] | None = None, why: str | None = None) -> tuple[str, ...] | None:
    reviews = graph.select(review or ["review"])
    by_owner = _by_owner(process, graph.select(decision or ["respond"]) - reviews)
    shown: list[str | None] = []
    for step in in_order(graph, reviews):
        # One decision per owning role is enough to show whose decision the review looks at.
        origins = [o for sources in by_owner.values()
                   if (o := _origin(graph, step, sources, reviews)) is not None]
        if origins:
            shown += [step.id, step.owner]
            shown += [x for o in in_order(graph, origins) for x in (o.id, o.owner)]
    return unique(shown) or None  # no review follows a decision: nothing to compare
