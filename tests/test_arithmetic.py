"""The shared arithmetic: leading output, growth, averages, written precision and intervals."""
import math
import random

import pytest

from validators.arithmetic import (
    Comparison,
    Interval,
    bounds,
    cagr_pct,
    decimals_written,
    fails_surely,
    growth_pct,
    half_unit,
    leading_output,
    mean_growth_pct,
    meets,
)


def test_leading_output_growth_and_cagr_in_percent():
    assert leading_output(40.0, 75.0) == pytest.approx(30.0)
    assert growth_pct(30.0, 33.0) == pytest.approx(10.0)
    assert cagr_pct(100.0, 121.0, 2) == pytest.approx(10.0)
    assert growth_pct(30.0, 27.0) == pytest.approx(-10.0)       # growth may be negative


def test_compound_and_arithmetic_means_differ_as_they_should():
    g = [20.0, 0.0]
    assert mean_growth_pct(g, "arithmetic") == pytest.approx(10.0)
    assert mean_growth_pct(g, "compound") == pytest.approx((math.sqrt(1.2) - 1) * 100)
    assert mean_growth_pct(g, "compound") < mean_growth_pct(g, "arithmetic")


@pytest.mark.parametrize("raw,value,places", [
    ("45.60", 45.6, 2), ("28.505", 28.505, 3), ("12", 12.0, 0), ("1,234.5", 1234.5, 1),
    ("４５．６０", 45.6, 2),                     # full-width, as typed in Chinese forms
    ("28.505", 28.5, 2),                        # raw no longer holds the (corrected) value: the value decides
    (None, 12.5, 2), (None, 12.345, 3),
])
def test_decimals_written(raw, value, places):
    assert decimals_written(raw, value) == places


def test_half_unit():
    assert half_unit(2) == pytest.approx(0.005)
    assert half_unit(0) == pytest.approx(0.5)


def test_bounds_cover_every_corner_and_none_when_undefined():
    iv = bounds(lambda a, b: b / a, [(2.0, 0.5), (4.0, 0.5)])
    assert iv.value == pytest.approx(2.0)
    assert iv.lo == pytest.approx(3.5 / 2.5) and iv.hi == pytest.approx(4.5 / 1.5)
    assert bounds(lambda a, b: b / a, [(0.0, 0.0), (4.0, 0.0)]) is None


def test_comparison_overlap_is_the_tolerance():
    iv = Interval(10.0, 9.99, 10.01)
    assert Comparison(10.015, 0.005, iv).agrees              # 10.010 … 10.020 touches 10.01
    assert not Comparison(10.016, 0.005, iv).agrees
    assert Comparison(9.985, 0.005, iv).agrees
    assert not Comparison(9.984, 0.005, iv).agrees
    assert Comparison(10.0, 0.005, iv).tolerance == pytest.approx(0.015)


def test_operators_as_worded():
    assert meets(70.0, "≥", 70) and not meets(69.99, "≥", 70)
    assert not meets(70.0, ">", 70) and meets(70.01, ">", 70)
    assert meets(100.0, "≤", 100) and not meets(100.01, "≤", 100)
    assert meets(0.1 + 0.2, "≥", 0.3)                         # float noise never decides
    with pytest.raises(ValueError):
        meets(1, "=>", 1)


def test_fails_surely_only_when_the_whole_interval_fails():
    assert fails_surely(Interval(6.9, 6.8, 6.99), ">", 7)
    assert not fails_surely(Interval(6.99, 6.98, 7.01), ">", 7)
    assert not fails_surely(Interval(7.0, 6.99, 7.0), "≥", 7)


def test_correctly_rounded_growth_always_agrees():
    """Figures computed from unrounded data, then printed with 2 decimals, never disagree."""
    rng = random.Random(7)
    for _ in range(3000):
        t0, t1 = rng.uniform(5, 400), rng.uniform(5, 400)
        s0, s1 = rng.uniform(30, 99), rng.uniform(30, 99)
        true = growth_pct(leading_output(t0, s0), leading_output(t1, s1))
        printed = [(round(v, 2), 0.005) for v in (t0, s0, t1, s1)]
        iv = bounds(lambda a, b, c, d: growth_pct(leading_output(a, b), leading_output(c, d)), printed)
        assert Comparison(round(true, 2), 0.005, iv).agrees
