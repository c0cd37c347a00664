"""Run one Graphviz layout in-process with pygraphviz, in a child process.

``python graphviz_worker.py PROG FORMAT`` reads DOT on standard input and writes
the output on standard output. It is run as a file, not as a module of plaint,
so that the child process starts without importing plaint itself. It runs in its own process so
that the caller can stop a layout that takes too long (Graphviz cannot be
interrupted from Python) and so that a crash inside Graphviz cannot take plaint
down with it.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    prog, fmt = argv
    # Run as a file, this folder is first on sys.path: take it off, so that none of
    # its modules can stand in for one that pygraphviz imports.
    if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(__file__)):
        sys.path.pop(0)
    import pygraphviz

    source = sys.stdin.buffer.read().decode("utf-8")
    graph = pygraphviz.AGraph(string=source)
    # In-process, command-line flags are ignored: "nop2" is the layout engine that
    # `neato -n2` selects (positions given in points; edges routed around the nodes).
    out = graph.draw(format=fmt, prog="nop2" if prog == "neato-n2" else prog)
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
