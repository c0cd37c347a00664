"""Graphviz, found and run: the bundled one (pygraphviz wheels), else a system ``dot``.

Every layout runs in a child process with a time limit, so a pathological
graph cannot hang ``plaint render`` or ``plaint report``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from plaint.core.run import UserError

WORKER = Path(__file__).with_name("graphviz_worker.py")

HOW_TO_GET_GRAPHVIZ = (
    "install plaint's diagram dependency with `pip install 'pygraphviz>=2.0'` (its wheels for "
    "Linux, macOS and Windows carry Graphviz), or install Graphviz itself "
    "(https://graphviz.org/download/) so that `dot` and `neato` are on PATH"
)


class DiagramError(UserError):
    """A diagram cannot be drawn: no Graphviz, a failed layout, or the time limit."""


def backend() -> str:
    """'bundled' (pygraphviz) or 'system' (dot on PATH); PLAINT_GRAPHVIZ forces one."""
    wanted = os.environ.get("PLAINT_GRAPHVIZ", "").strip().lower()
    bundled = importlib.util.find_spec("pygraphviz") is not None
    system = shutil.which("dot") is not None and shutil.which("neato") is not None
    if bundled and wanted in ("bundled", ""):
        return "bundled"
    if wanted in ("system", "") and system:
        return "system"
    if wanted not in ("", "bundled", "system"):
        raise DiagramError(f"PLAINT_GRAPHVIZ is '{wanted}'; use 'bundled' or 'system'")
    raise DiagramError(f"cannot draw diagrams: Graphviz was not found; {HOW_TO_GET_GRAPHVIZ}")


def _environment() -> dict[str, str]:
    """Newer Cairo builds take PDF dates from SOURCE_DATE_EPOCH (see also _fixed_dates)."""
    return {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "0")}


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}")


def _fixed_dates(pdf: bytes) -> bytes:
    """Cairo stamps a PDF with the time it was made; same input must give the same bytes.

    The stamp is replaced by SOURCE_DATE_EPOCH's date (default 1970-01-01), keeping its
    length so that the byte offsets in the PDF's cross-reference table stay right.
    """
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    stamp = datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y%m%d%H%M%S").encode()
    return _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (D:" + stamp, pdf)


def run(source: str, prog: str, fmt: str, timeout: float) -> bytes:
    """Lay out and draw DOT ``source`` with ``prog`` ('dot' or 'neato-n2') to ``fmt``."""
    return run_with_warnings(source, prog, fmt, timeout)[0]


def run_with_warnings(source: str, prog: str, fmt: str, timeout: float) -> tuple[bytes, list[str]]:
    """:func:`run`, also returning what Graphviz warned about (its font warnings left out)."""
    which = backend()
    if which == "bundled":
        command = [sys.executable, str(WORKER), prog, fmt]
    else:
        name = "neato" if prog == "neato-n2" else prog
        command = [shutil.which(name) or name, f"-T{fmt}"]
        if prog == "neato-n2":
            command.append("-n2")
    try:
        done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False, env=_environment())
    except subprocess.TimeoutExpired:
        raise DiagramError(
            f"the diagram layout took longer than {timeout:g} s and was stopped; raise the limit "
            "with --timeout, or draw an overview with --overview") from None
    except OSError as err:
        raise DiagramError(f"cannot run Graphviz ({which}): {err}") from None
    # Fontconfig complains about the system's configuration even when all is well.
    warnings = [line for line in done.stderr.decode("utf-8", "replace").strip().splitlines()
                if line and "Fontconfig" not in line]
    if done.returncode != 0 or not done.stdout:
        raise DiagramError(f"Graphviz ({which}) could not draw the diagram: "
                           + ("; ".join(warnings[-3:]) or f"exit status {done.returncode}"))
    content = _fixed_dates(done.stdout) if fmt == "pdf" else done.stdout
    return content, warnings
