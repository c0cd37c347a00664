"""Timing analysis at scale: a generated process with exponentially many paths.

Measures plaint.core.timing.analyse on processes of 10,000 and 20,000 steps
(a chain of choices, with parallel blocks and bounded loops, mixed units) and
prints the time of each and their ratio: doubling the size should at most
double the time, because no path is ever enumerated. Run: make bench
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_timing import big_process  # the generator the tests use

from plaint.core.durations import parse_duration
from plaint.core.graph import ProcessGraph
from plaint.core.model import build_model
from plaint.core.timing import analyse


def measure(steps: int, repeats: int = 3) -> float:
    process = build_model(big_process(steps))
    times = []
    for _ in range(repeats):
        graph = ProcessGraph(process)  # a fresh graph: analyses are cached on it
        started = time.perf_counter()
        analyse(graph, ["receive"], ["respond"], parse_duration("8 weeks"), 2026)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    small, large = measure(10_000), measure(20_000)
    print("| steps | timing analysis (median of 3) |")
    print("|---|---|")
    print(f"| 10,000 | {small:.2f} s |")
    print(f"| 20,000 | {large:.2f} s |")
    print(f"\nratio 20,000 / 10,000 = {large / small:.2f} (target: at most 2, plus noise)")


if __name__ == "__main__":
    main()
