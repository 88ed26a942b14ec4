"""The arithmetic the checks share: leading output, growth, average growth, and how a figure
written with a few decimals is held to what it is computed from.

Percentages are in percent (12.5 means 12.5%).  A number written with *d* decimals stands for
any value within half a unit of its last place (``half_unit``); a figure computed from such
numbers therefore lies in an interval (``bounds``), and a stated figure agrees with it when
its own rounding interval overlaps that one (``Comparison``).  That is the tolerance the form
allows (填报说明 2: 保留小数点后2位): a correctly rounded figure never disagrees, a figure off by
more than the inputs' rounding can explain always does (an ``error``: certain).  A figure that is
more than one unit away from the printed inputs' value (off by 0.02, say) but still inside what
their rounding could explain is reported as ``info``: noted for the expert, not counted against
the dossier.
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from pipeline.model.text import nfkc

EPS = 1e-9            # float noise: 0.1 + 0.2 style residue never decides a finding
FORM_DECIMALS = 2     # the form asks for 2 decimals

COMPOUND = "compound"
ARITHMETIC = "arithmetic"
READINGS = {COMPOUND: "几何平均（水平法）", ARITHMETIC: "算术平均"}


# ------------------------------------------------------------------ written precision
def decimals_written(raw: Optional[str], value: float) -> int:
    """Decimal places of a number as written: from ``raw`` when it still holds ``value``
    (a clerk may have corrected the value and not the raw text), else from the value itself,
    never fewer than the form's 2 (a bare value is taken to be written as the form asks)."""
    if raw:
        m = re.search(r"-?\d+(?:\.(\d+))?", nfkc(raw).replace(",", "").replace("，", ""))
        if m:
            try:
                if math.isclose(float(m.group(0)), float(value), rel_tol=0, abs_tol=EPS):
                    return len(m.group(1) or "")
            except ValueError:
                pass
    return max(FORM_DECIMALS, decimals_of_value(value))


def decimals_of_value(value: float) -> int:
    """Decimal places of a float's shortest repr (12.5 → 1, 12.0 → 0, 3 → 0)."""
    if isinstance(value, int) or float(value).is_integer():
        return 0
    s = repr(float(value))
    if "e" in s:
        return FORM_DECIMALS
    return len(s.split(".")[1])


def half_unit(decimals: int) -> float:
    """Half a unit of the last written place: 2 decimals → 0.005."""
    return 0.5 * 10 ** (-decimals)


# ------------------------------------------------------------------ the figures
def leading_output(total: float, share_pct: float) -> float:
    """主导产业产值 = 集群总产值 × 主导产业占比."""
    return total * share_pct / 100.0


def growth_pct(prev: float, cur: float) -> float:
    """Growth from ``prev`` to ``cur`` in percent."""
    return (cur / prev - 1.0) * 100.0


def cagr_pct(first: float, last: float, periods: int) -> float:
    """Compound average yearly growth over ``periods`` years, in percent."""
    return ((last / first) ** (1.0 / periods) - 1.0) * 100.0


def mean_growth_pct(growths: Sequence[float], reading: str) -> float:
    """Average of yearly growth rates (percent) by a reading: the compound (geometric) mean of
    the growth factors, or the arithmetic mean of the rates."""
    if reading == ARITHMETIC:
        return sum(growths) / len(growths)
    prod = 1.0
    for g in growths:
        prod *= 1.0 + g / 100.0
    return (prod ** (1.0 / len(growths)) - 1.0) * 100.0


# ------------------------------------------------------------------ intervals
@dataclass(frozen=True)
class Interval:
    value: float        # computed from the numbers as written
    lo: float           # smallest value the written numbers allow
    hi: float           # largest value the written numbers allow

    @property
    def spread(self) -> float:
        return max(self.value - self.lo, self.hi - self.value)


def bounds(fn: Callable[..., float], inputs: Sequence[tuple[float, float]]) -> Optional[Interval]:
    """``fn`` of numbers each known within ± its half unit: the value at the numbers as
    written and its range over every corner of the box (exact for the monotone functions
    used here).  ``None`` when the function is undefined there (a zero or negative base)."""
    try:
        v = fn(*[x for x, _ in inputs])
        corners = [fn(*c) for c in itertools.product(*[(x - h, x + h) for x, h in inputs])]
    except (ZeroDivisionError, ValueError, OverflowError):
        return None
    if any(isinstance(c, complex) or math.isnan(c) for c in [v, *corners]):
        return None
    return Interval(v, min(corners), max(corners))


@dataclass(frozen=True)
class Comparison:
    """A stated figure against the interval it is computed into."""
    stated: float
    stated_half: float
    computed: Interval

    @property
    def agrees(self) -> bool:
        return (self.stated + self.stated_half >= self.computed.lo - EPS
                and self.stated - self.stated_half <= self.computed.hi + EPS)

    @property
    def near_printed(self) -> bool:
        """The stated figure is within one unit of its last place of the value computed from the
        numbers as written (12.49 or 12.51 for 12.50): ordinary rounding noise, never noted."""
        return abs(self.stated - self.computed.value) <= 3 * self.stated_half + EPS

    @property
    def tolerance(self) -> float:
        """Half-width allowed around the computed value, rounded up to 4 decimals."""
        return math.ceil((self.computed.spread + self.stated_half) * 1e4 - 1e-6) / 1e4

    @property
    def expected(self) -> float:
        return round(self.computed.value, FORM_DECIMALS)


# ------------------------------------------------------------------ thresholds
OPS: dict[str, Callable[[float, float], bool]] = {
    "≥": lambda a, b: a >= b - EPS,
    ">": lambda a, b: a > b + EPS,
    "≤": lambda a, b: a <= b + EPS,
    "<": lambda a, b: a < b - EPS,
}


def meets(value: float, op: str, bar: float) -> bool:
    """``value op bar`` with float noise ignored; ``op`` is one of ≥ > ≤ <."""
    try:
        return OPS[op](value, bar)
    except KeyError:
        raise ValueError(f"unknown operator {op!r}; use one of {', '.join(OPS)}") from None


def fails_surely(iv: Interval, op: str, bar: float) -> bool:
    """A computed figure fails the bar for every value its rounded inputs allow."""
    return not meets(iv.lo, op, bar) and not meets(iv.hi, op, bar)
