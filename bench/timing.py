"""Repeat a step, keep min / median / max, and print it beside its floor (or its bar).

Every figure of ``make bench`` is measured together with its floor in the same run — the
same files through the library that does only the reading, or RapidOCR alone on the same
pages — so the ratio means the same on a quiet machine and on a busy one.  Wall seconds are
what a clerk waits; CPU seconds (this process and its children) are shown beside them,
since a machine shared with other work stretches the first and hardly the second.
"""
from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, field
from typing import Callable, Optional


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@dataclass
class Timing:
    name: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, wall: float, cpu: float) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def timed(name: str, fn: Callable[[], object], repeats: int, before: Optional[Callable[[], None]] = None) -> Timing:
    """``fn()`` run ``repeats`` times (``before()`` untimed ahead of each)."""
    t = Timing(name)
    for _ in range(repeats):
        if before is not None:
            before()
        c0, w0 = _cpu(), time.perf_counter()
        fn()
        t.add(time.perf_counter() - w0, _cpu() - c0)
    return t


def header() -> None:
    print(f"{'figure':<44}{'min s':>8}{'median':>8}{'max s':>8}{'cpu med':>9}  against")


def _x(ratio: float) -> str:
    """A ratio with two decimals, or two significant digits below 0.1 (a rerun's 0.0066×)."""
    return f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.2g}"


def row(t: Timing, floor: Optional[Timing] = None, bar: Optional[float] = None, note: str = "") -> None:
    """One line: the figure's min/median/max wall seconds, CPU median, and its ratio to the
    floor's median (and to the floor's CPU median), or to a bar in seconds."""
    against = ""
    if floor is not None and floor.median > 0:
        cpu_ratio = f", cpu {_x(t.cpu_median / floor.cpu_median)}×" if floor.cpu_median > 0 else ""
        against = f"{_x(t.median / floor.median)}× floor ({floor.name}{cpu_ratio})"
    elif bar is not None:
        against = f"{t.median / bar:.2f}× bar of {bar:g} s (cpu {t.cpu_median / bar:.2f}×)"
    print(f"{t.name:<44}{min(t.wall):>8.3f}{t.median:>8.3f}{max(t.wall):>8.3f}{t.cpu_median:>9.3f}  {against}"
          + (f"  {note}" if note else ""), flush=True)
