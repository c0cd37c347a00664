"""``--baseline FILE`` and ``--update-baseline`` for ``plaint check``.

Attach both options with ``@baseline_options``, and after ``run_check`` call
``results, notes = apply(results, baseline, update_baseline)``: render and
take the exit code from the returned results, and print the notes on standard
error (standard output may be JSON).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import click

from plaint.cli.output import write_atomic
from plaint.core.baseline import (
    baseline_text,
    compare,
    filter_results,
    load_baseline,
    parse_baseline,
    summary_lines,
)
from plaint.core.pipeline import FileResult
from plaint.renderers.escape import printable

F = TypeVar("F", bound=Callable[..., object])


def baseline_options(command: F) -> F:
    """The two options, as one decorator (they arrive as ``baseline`` and ``update_baseline``)."""
    command = click.option(
        "--update-baseline", is_flag=True, default=False,
        help="Write every finding of this run to the --baseline file (keeping the entries of "
             "files not checked), then report against it.")(command)
    command = click.option(
        "--baseline", type=click.Path(dir_okay=False), default=None, metavar="FILE",
        help="Report only findings that are not in this baseline file (JSON, written by "
             "--update-baseline); say which of its entries are fixed.")(command)
    return command


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def apply(results: Sequence[FileResult], baseline: str | None, update: bool
          ) -> tuple[list[FileResult], list[str]]:
    """The results with the findings the baseline accepts taken out, and notes for people.

    With ``update`` the baseline is first written (atomically) from these results.
    A missing or damaged baseline raises UserError (exit 2).
    """
    if baseline is None:
        if update:
            raise click.UsageError("--update-baseline needs --baseline FILE (the file to write)")
        return list(results), []
    notes: list[str] = []
    if update:
        # An existing baseline is read first, so a damaged one is reported, not overwritten,
        # and the entries of files this run did not check are kept.
        previous = load_baseline(baseline) if Path(baseline).exists() else None
        text = baseline_text(results, baseline, previous)
        write_atomic(baseline, text)
        current = parse_baseline(text.encode("utf-8"), baseline)
        notes.append(f"wrote the baseline {baseline}: {_plural(len(current.entries), 'finding')} "
                     f"in {_plural(len(current.files), 'file')}")
    else:
        current = load_baseline(baseline)
    outcome = compare(results, current)
    notes += summary_lines(outcome)
    # File names and element ids come from the user: show them, never obey them.
    return filter_results(results, outcome), [printable(note) for note in notes]
