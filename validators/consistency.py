"""Internal consistency: range.percent, count.subset, growth.yearly, growth.cagr, patents.per_10k, years.mismatch, cover.mismatch."""
from __future__ import annotations

import re
from typing import Optional

from pipeline.model import Extraction
from pipeline.model.profiles import Profile
from pipeline.model.text import norm

from .arithmetic import (
    ARITHMETIC,
    COMPOUND,
    READINGS,
    Comparison,
    bounds,
    cagr_pct,
    growth_pct,
    leading_output,
    mean_growth_pct,
)
from .dossier import Certainty, Facts, f2, plain
from .registry import rule

TOTAL, SHARE, GROWTH, CAGR = ("industry.total_output", "industry.leading_share", "industry.leading_growth",
                              "industry.leading_cagr")


@rule("range.percent")
def range_percent(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = []
    for fid, _, cf in d.each("number"):
        if not cf.spec.is_percent or cf.spec.is_growth:
            continue
        v = d.number(fid)
        if v is None or 0 <= v <= 100:
            continue
        lab = d.label(fid)
        out.append(d.finding(
            "range.percent", [fid],
            f"「{lab}」填报为{plain(v)}%，比例应在0%到100%之间。",
            expected="0–100", actual=v, tolerance=0,
            question=f"「{lab}」填报为{plain(v)}%，超出0–100%的范围，请核实并更正。"))
    return out


SUBSETS = [("industry.smes", "集群中小企业数量"), ("industry.specialized", "专精特新中小企业数量"),
           ("industry.little_giants", "专精特新“小巨人”企业数量"), ("industry.champions", "制造业单项冠军企业数量"),
           ("industry.hightech", "国家级高新技术企业和创新型中小企业数量")]


@rule("count.subset")
def count_subset(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = []
    for y in d.years:
        whole_id = f"industry.enterprises.{y}"
        whole = d.count(whole_id)
        if whole is None:
            continue
        for base, name in SUBSETS:
            fid = f"{base}.{y}"
            part = d.count(fid)
            if part is None or part <= whole:
                continue
            out.append(d.finding(
                "count.subset", [fid, whole_id],
                f"{y}年{name}（{part}家）多于集群企业数量（{whole}家）；其中的企业不可能多于全体。",
                expected=f"≤{whole}", actual=part, tolerance=0,
                question=f"请说明{y}年{name}填报{part}家、多于集群企业数量{whole}家的原因，并更正。"))
    return out


def _leading(d: Facts, y: int):
    """(value, half) pairs for 总产值 and 主导产业占比 of year y, or None if either is doubtful."""
    ids = [f"{TOTAL}.{y}", f"{SHARE}.{y}"]
    if d.numbers(ids) is None:
        return None
    return [d.with_half(i) for i in ids], ids


@rule("growth.yearly")
def growth_yearly(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = []
    for prev, y in zip(d.years, d.years[1:]):
        gid = f"{GROWTH}.{y}"
        a, b = _leading(d, prev), _leading(d, y)
        if a is None or b is None or d.number(gid) is None:
            continue
        iv = bounds(lambda t0, s0, t1, s1: growth_pct(leading_output(t0, s0), leading_output(t1, s1)),
                    a[0] + b[0])
        if iv is None:
            continue
        cmp = Comparison(*d.with_half(gid), iv)
        if cmp.agrees:
            if not cmp.near_printed:
                out.append(rounding_note(d, "growth.yearly", [gid, *a[1], *b[1]], f"{y}年主导产业产值增速", cmp))
            continue
        (t0, _), (s0, _) = a[0]
        (t1, _), (s1, _) = b[0]
        l0, l1 = leading_output(t0, s0), leading_output(t1, s1)
        stated = d.number(gid)
        out.append(d.finding(
            "growth.yearly", [gid, *a[1], *b[1]],
            f"{y}年主导产业产值增速填报{f2(stated)}%，但按集群总产值×主导产业占比计算："
            f"{prev}年主导产业产值 {f2(t0)}×{f2(s0)}% = {l0:.4f}亿元，{y}年 {f2(t1)}×{f2(s1)}% = {l1:.4f}亿元，"
            f"增速为{f2(iv.value)}%。两者相差{abs(stated - iv.value):.2f}个百分点，超出各数值保留2位小数所能解释的"
            f"±{cmp.tolerance}个百分点。",
            expected=cmp.expected, actual=stated, tolerance=cmp.tolerance,
            question=f"请说明{y}年主导产业产值增速填报{f2(stated)}%与按总产值和主导产业占比计算的"
                     f"{f2(iv.value)}%不一致的原因。",
            detail={"leading_output": {str(prev): round(l0, 4), str(y): round(l1, 4)},
                    "range": [round(iv.lo, 4), round(iv.hi, 4)]},
            certainty=Certainty().consecutive([prev, y])))
    return out


def rounding_note(d: Facts, rule_id: str, fields: list[str], what: str, cmp: Comparison):
    """An ``info`` finding: the stated figure is not the printed inputs' value correctly rounded,
    but the inputs' own rounding could explain the difference, so it is not an error."""
    diff = abs(cmp.stated - cmp.computed.value)
    return d.finding(
        rule_id, fields,
        f"{what}填报{f2(cmp.stated)}%，按表中填报的数值计算为{f2(cmp.computed.value)}%，相差{diff:.2f}个百分点；"
        f"差额在各数值保留2位小数的舍入误差（±{cmp.tolerance}）之内，可能是按未取整的原始数据计算，不计为错误。",
        expected=cmp.expected, actual=cmp.stated, tolerance=cmp.tolerance, severity="info",
        question=f"{what}填报{f2(cmp.stated)}%，按表中数值计算为{f2(cmp.computed.value)}%，请确认计算所用的原始数据。",
        detail={"range": [round(cmp.computed.lo, 4), round(cmp.computed.hi, 4)], "within_rounding": True})


def growth_reading(profile: Profile) -> str:
    return (profile.growth or {}).get("reading", COMPOUND)


@rule("growth.cagr")
def growth_cagr(ext: Extraction, profile: Profile):
    d = Facts(ext)
    if len(d.years) < 2 or d.number(CAGR) is None:
        return []
    first, last = d.years[0], d.years[-1]
    periods = last - first
    reading = growth_reading(profile)
    stated, stated_half = d.with_half(CAGR)

    # both readings, so that a figure made the other way can be told from a wrong one
    compound = arithmetic = None
    a, b = _leading(d, first), _leading(d, last)
    if a is not None and b is not None:
        iv = bounds(lambda t0, s0, t1, s1: cagr_pct(leading_output(t0, s0), leading_output(t1, s1), periods),
                    a[0] + b[0])
        if iv is not None:
            compound = (Comparison(stated, stated_half, iv), [*a[1], *b[1]])
    gids = [f"{GROWTH}.{y}" for y in d.years[1:]]
    if d.numbers(gids) is not None:
        iv = bounds(lambda *g: mean_growth_pct(g, ARITHMETIC), [d.with_half(g) for g in gids])
        if iv is not None:
            arithmetic = (Comparison(stated, stated_half, iv), gids)

    used, other = (compound, arithmetic) if reading == COMPOUND else (arithmetic, compound)
    if used is None:
        return []
    if used[0].agrees:
        if used[0].near_printed:
            return []
        return [rounding_note(d, "growth.cagr", [CAGR, *used[1]],
                              f"近三年主导产业产值年均增速（{READINGS[reading]}）", used[0])]
    cmp, inputs = used
    if reading == COMPOUND:
        (t0, _), (s0, _) = a[0]
        (t1, _), (s1, _) = b[0]
        how = (f"按{READINGS[COMPOUND]}计算：{first}年主导产业产值 {f2(t0)}×{f2(s0)}% = "
               f"{leading_output(t0, s0):.4f}亿元，{last}年 {f2(t1)}×{f2(s1)}% = {leading_output(t1, s1):.4f}亿元，"
               f"({leading_output(t1, s1):.4f}/{leading_output(t0, s0):.4f})^(1/{periods})−1 = {f2(cmp.computed.value)}%")
    else:
        how = (f"按{READINGS[ARITHMETIC]}计算：{'、'.join(str(y) for y in d.years[1:])}年填报增速的平均值为"
               f"{f2(cmp.computed.value)}%")
    # the figure right by the other reading is a question of method, not a contradiction
    c = Certainty().consecutive(d.years)
    if other is not None:
        c.require(not other[0].agrees, f"填报值与按{READINGS[ARITHMETIC if reading == COMPOUND else COMPOUND]}计算的"
                                       f"{f2(other[0].computed.value)}%一致，可能是计算口径不同")
    basis = (profile.growth or {}).get("reading_basis", "")
    return [d.finding(
        "growth.cagr", [CAGR, *inputs],
        f"近三年主导产业产值年均增速填报{f2(stated)}%，{how}。两者相差{abs(stated - cmp.computed.value):.2f}"
        f"个百分点，超出各数值保留2位小数所能解释的±{cmp.tolerance}个百分点。{basis}",
        expected=cmp.expected, actual=stated, tolerance=cmp.tolerance, certainty=c,
        question=f"请说明近三年主导产业产值年均增速填报{f2(stated)}%与按{READINGS[reading]}计算的"
                 f"{f2(cmp.computed.value)}%不一致的原因，并说明计算方法。",
        detail={"reading": reading, "periods": periods,
                "other_reading": None if other is None else round(other[0].computed.value, 4)})]


@rule("patents.per_10k")
def patents_per_10k(ext: Extraction, profile: Profile):
    d = Facts(ext)
    pid, pat_id, emp_id = "innovation.patents_per_10k", "innovation.sme_patents", "innovation.sme_employees"
    pats, emp = d.count(pat_id), d.count(emp_id)
    if d.number(pid) is None or pats is None or emp is None or emp <= 0:
        return []
    iv = bounds(lambda p, e: p / e * 10000, [(pats, 0.0), (emp, 0.0)])     # counts are exact
    cmp = Comparison(*d.with_half(pid), iv)
    if cmp.agrees:
        return []
    stated = d.number(pid)
    return [d.finding(
        "patents.per_10k", [pid, pat_id, emp_id],
        f"每万人有效发明专利拥有量填报{f2(stated)}，但按有效发明专利拥有量{pats}个 ÷ 中小企业从业人员{emp}人 × 10000 "
        f"计算为{f2(iv.value)}（允许误差±{cmp.tolerance}，即填报值保留2位小数的舍入）。",
        expected=cmp.expected, actual=stated, tolerance=cmp.tolerance,
        question=f"请说明每万人有效发明专利拥有量填报{f2(stated)}与按{pats}个÷{emp}人×10000计算的"
                 f"{f2(iv.value)}不一致的原因。")]


_YEAR = re.compile(r"(20\d\d)\s*年")


def application_year(d: Facts) -> tuple[Optional[int], Optional[str]]:
    """The year the form was submitted: its cover date, else the declaration's date."""
    for fid in ("cover.date", "declaration.date"):
        v = d.value(fid)
        m = _YEAR.search(v) if isinstance(v, str) else None
        if m:
            return int(m.group(1)), fid
    return None, None


@rule("years.mismatch")
def years_mismatch(ext: Extraction, profile: Profile):
    d = Facts(ext)
    year, fid = application_year(d)
    if year is None or not d.years:
        return []
    want = [year - 3, year - 2, year - 1]
    if d.years == want:
        return []
    got = "、".join(str(y) for y in d.years)
    return [d.finding(
        "years.mismatch", [fid],
        f"申报时间为{year}年，近三年数据应为{want[0]}—{want[-1]}年，但表中各年度栏为{got}年。",
        expected=want, actual=list(d.years), tolerance=0,
        question=f"申报时间为{d.value(fid)}，而年度数据填报的是{got}年，请说明所填年度是否正确。")]


COVER_PAIRS = [("cover.cluster_name", "basic.cluster_name", "集群名称"),
               ("cover.applicant", "basic.applicant", "申报主体"),
               ("cover.operator", "basic.operator", "集群运营管理机构")]


_PUNCT = re.compile(r"[()\"'<>,.，。、:：;；]")
# the printed pattern 中小企业特色产业集群（XX县XX产业）: 容县家具产业集群 names the same cluster
_CLUSTER_WORDS = re.compile(r"中小企业特色产业集群|(产业)?(集群)?$")


def _same_name(a: str, b: str, cluster: bool = False) -> bool:
    """Names compared in the comparison form, brackets and punctuation ignored (for cluster
    names also the printed 中小企业特色产业集群 pattern)."""
    a, b = _PUNCT.sub("", norm(a)), _PUNCT.sub("", norm(b))
    if cluster:
        a, b = _CLUSTER_WORDS.sub("", a), _CLUSTER_WORDS.sub("", b)
    return a == b


@rule("cover.mismatch")
def cover_mismatch(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = []
    for cover_id, basic_id, name in COVER_PAIRS:
        a, b = d.value(cover_id), d.value(basic_id)
        if not isinstance(a, str) or not isinstance(b, str) or _same_name(a, b, cluster=cover_id == "cover.cluster_name"):
            continue
        out.append(d.finding(
            "cover.mismatch", [cover_id, basic_id],
            f"封面的{name}为“{a}”，一、基本情况中为“{b}”，两处不一致。",
            expected=a, actual=b,
            question=f"封面{name}“{a}”与基本情况中的“{b}”不一致，请确认以哪一个为准。"))
    return out
