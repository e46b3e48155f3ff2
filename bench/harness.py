"""Timing helpers and the result rows the sections return."""

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    section: str
    name: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None  # None: a figure reported for information, with no target
    note: str = ""

    def row(self) -> str:
        verdict = {True: "meets", False: "MISSES", None: ""}[self.ok]
        return f"| {self.section} | {self.name} | {self.value:,.3f} {self.unit} | {self.target} | {verdict} | {self.note} |"


def median_seconds(fn: Callable[[], object], *, repeat: int = 7, warmup: int = 2) -> float:
    """The median wall time of ``fn`` over ``repeat`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_ratio(
    a: Callable[[], object], b: Callable[[], object], *, repeat: int = 7, warmup: int = 2
) -> tuple[float, float, float]:
    """Median of a/b over runs taken in turn (a, b, a, b, ...), so drift in the machine's speed
    hits both alike; returns (median ratio, median a seconds, median b seconds)."""
    for _ in range(warmup):
        a()
        b()
    ratios, a_times, b_times = [], [], []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        a()
        ta = time.perf_counter() - start
        gc.collect()
        start = time.perf_counter()
        b()
        tb = time.perf_counter() - start
        ratios.append(ta / tb)
        a_times.append(ta)
        b_times.append(tb)
    return statistics.median(ratios), statistics.median(a_times), statistics.median(b_times)


def peak_python_memory(fn: Callable[[], object]) -> int:
    """The peak of Python allocations (bytes) while ``fn`` runs, above what was held before."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak
