"""Plan targets: plan.baseline, plan.target.

Reads the 三年总体目标 table (``plan.targets``) with the indicator data in
``plan_targets.yaml``: a baseline must restate the value the form gives elsewhere for the
same indicator; a target must meet the form's own 备注 a–g.  Targets run from the last
reporting year to three years later (2022年基准值 → 2025年目标值).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

from pipeline.model import Extraction
from pipeline.model.profiles import Profile
from pipeline.model.text import norm

from .arithmetic import EPS, bounds, cagr_pct, decimals_of_value, fails_surely, half_unit, meets
from .dossier import Facts, plain
from .registry import rule

PLAN_DATA = Path(__file__).with_name("plan_targets.yaml")
PLAN_YEARS = 3


@lru_cache(maxsize=1)
def plan_data() -> dict:
    with open(PLAN_DATA, encoding="utf-8") as f:
        return yaml.safe_load(f)


_UNIT_SUFFIX = re.compile(r"[（(][^（）()]{1,6}[)）]$")


def _bare(name: str) -> str:
    """An indicator's name without the unit a table prints after it (有效发明专利数量（件）)."""
    n = norm(name)
    return _UNIT_SUFFIX.sub("", n) or n


def indicator_entry(name: Optional[str]) -> Optional[dict]:
    """The plan_targets.yaml entry of a target row's indicator, by its name as printed (with
    or without a unit in brackets after it)."""
    if not name:
        return None
    n = _bare(name)
    for e in plan_data()["indicators"]:
        if any(_bare(x) == n for x in e["names"]):
            return e
    return None


def _num(x) -> Optional[float]:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None


def _half(x: float) -> float:
    """Rounding of a table number: whole numbers are taken as exact (counts), others by the
    decimals they are written with."""
    return 0.0 if float(x).is_integer() else half_unit(decimals_of_value(x))


def _rows(d: Facts):
    rows = d.value("plan.targets")
    if not isinstance(rows, list):
        return
    for i, r in enumerate(rows):
        if isinstance(r, dict):
            e = indicator_entry(r.get("indicator"))
            if e is not None:
                yield i, r, e


@rule("plan.baseline")
def plan_baseline(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = []
    for i, r, e in _rows(d):
        b = _num(r.get("baseline"))
        if b is None or not e.get("baseline_field") or d.latest is None:
            continue
        fid = e["baseline_field"].format(Y3=d.latest)
        v = d.number(fid)
        if v is None:
            continue
        tol = max(_half(b), d.half(fid))
        if abs(b - v) <= tol + EPS:
            continue
        lab, ind = d.label(fid), r["indicator"]
        out.append(d.finding(
            "plan.baseline", ["plan.targets", fid],
            f"发展规划三年总体目标中“{ind}”的{d.latest}年基准值为{plain(b)}，而申报表中「{lab}」填报为{plain(v)}，"
            f"两处不一致（允许误差±{tol:g}，即两处数值书写精度的舍入）。",
            expected=v, actual=b, tolerance=tol, clause=plan_data()["clause"],
            question=f"请说明发展目标表中“{ind}”基准值{plain(b)}与申报表「{lab}」{plain(v)}不一致的原因。",
            detail={"row": i, "indicator": ind}))
    return out


Problem = Optional[tuple[str, object, object]]


def _rate(b, g, bar, op, about) -> Problem:
    if not meets(g, op, bar):
        return f"目标值{plain(g)}%低于{plain(bar)}%", f"≥{plain(bar)}%", g
    return None


def _rising(b, g, bar, op, about) -> Problem:
    if b is not None and not g > b + EPS:
        return f"目标值{plain(g)}未高于基准值{plain(b)}，数量没有增加", f">{plain(b)}", g
    return None


def _plan_cagr(b: float, g: float):
    """The yearly growth from baseline to target over the plan's years, as an interval."""
    return bounds(lambda x, y: cagr_pct(x, y, PLAN_YEARS), [(b, _half(b)), (g, _half(g))])


def _rate_or_growth(b, g, bar, op, about) -> Problem:
    if b is None or b <= 0 or g <= 0 or meets(g, op, bar):
        return None
    iv = _plan_cagr(b, g)
    if iv is not None and fails_surely(iv, op, bar):
        return (f"无论按增速（{plain(g)}%）还是按金额（由{plain(b)}到{plain(g)}，年均{iv.value:.2f}%）理解，"
                f"都低于{plain(bar)}%"), f"≥{plain(bar)}%", g
    return None


def _growth(b, g, bar, op, about) -> Problem:
    if b is None or b <= 0 or g <= 0:
        return None
    iv = _plan_cagr(b, g)
    if iv is not None and fails_surely(iv, op, bar):
        need = b * (1 + bar / 100) ** PLAN_YEARS
        return (f"由{plain(b)}到{plain(g)}，{PLAN_YEARS}年年均增长{iv.value:.2f}%，低于{plain(bar)}%"
                f"（至少应达到{need:.2f}）"), f"≥{need:.2f}", g
    return None


def _level(b, g, bar, op, about) -> Problem:
    floor = bar * about
    if not meets(g, op, floor):
        return (f"目标值{plain(g)}%与“{plain(bar)}%左右”相差过大（按不低于{plain(floor)}%掌握）",
                f"≥{plain(floor)}%", g)
    return None


def _reduction(b, g, bar, op, about) -> Problem:
    if b is None or b <= 0:
        return None
    floor = bar * about
    iv = bounds(lambda x, y: (1 - y / x) * 100, [(b, _half(b)), (g, _half(g))])
    if iv is not None and fails_surely(iv, op, floor):
        return (f"由{plain(b)}降到{plain(g)}，降低{iv.value:.2f}%，与“降低{plain(bar)}%左右”相差过大"
                f"（按降低不少于{plain(floor)}%掌握）"), f"降低≥{plain(floor)}%", round(iv.value, 2)
    return None


# how a target row is held to its requirement, by the requirement's kind (plan_targets.yaml)
TARGET_TESTS = {"rate": _rate, "rising": _rising, "rate_or_growth": _rate_or_growth, "growth": _growth,
                "level": _level, "reduction": _reduction}


def _target_problem(r: dict, t: dict, about: float) -> Problem:
    """(what is wrong, expected, actual) when the row's target misses its requirement."""
    b, g = _num(r.get("baseline")), _num(r.get("target"))
    test = TARGET_TESTS.get(t["kind"])
    if g is None or test is None:
        return None
    return test(b, g, t.get("value"), t.get("op"), about)


@rule("plan.target")
def plan_target(ext: Extraction, profile: Profile):
    d = Facts(ext)
    data = plan_data()
    out = []
    target_year = d.latest + PLAN_YEARS if d.latest else None
    for i, r, e in _rows(d):
        t = e.get("target")
        if not t:
            continue
        got = _target_problem(r, t, float(data["about_share"]))
        if got is None:
            continue
        what, expected, actual = got
        ind = r["indicator"]
        unit = t.get("unit", "") if t["kind"] in ("rate", "level") else ""
        out.append(d.finding(
            "plan.target", ["plan.targets"],
            f"发展规划三年总体目标中“{ind}”的{target_year or ''}年目标值不符合表格备注 {t['quote']}：{what}。",
            expected=expected, actual=actual, tolerance=0, clause=f"{data['clause']}{t['note']}",
            question=f"发展目标“{ind}”的目标值{plain(r.get('target'))}{unit}不符合“{t['quote']}”的要求，请说明或调整。",
            detail={"row": i, "indicator": ind, "note": t["note"]}))
    return out
