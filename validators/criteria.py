"""Recognition criteria under a profile: criteria.*.

Every threshold comes from the profile (``validators/profiles/<id>.yaml``): the field(s) it
reads, the operator as the document words it, the bar, the clause and the quote.  A stated
figure is held to the bar as written; a figure the check computes itself (the average growth
of 总产值, the average of the yearly R&D growth rates) fails only when every value its
2-decimal inputs allow fails.  A value that is missing or doubtful holds the criterion back
(``field.missing`` / ``field.unreadable`` say why).
"""
from __future__ import annotations

from typing import Optional

from pipeline.model import Extraction
from pipeline.model.profiles import Profile

from .arithmetic import COMPOUND, READINGS, bounds, cagr_pct, fails_surely, growth_pct, mean_growth_pct, meets
from .dossier import Certainty, Facts, f2, plain
from .registry import rule


def _unit(value, unit: str) -> str:
    return f"{plain(value)}{unit or ''}"


def _bar(t: dict) -> str:
    """The bar in the document's words: 不低于5% / 20亿元以上 / 高于70%."""
    word, v, unit = t["op_word"], t["value"], t.get("unit", "")
    if word == "以上":
        return f"{_unit(v, unit)}以上"
    if word in ("≥", ">", "≤", "maximum"):        # the national figures are quoted with symbols
        return f"{t['op']}{_unit(v, unit)}"
    return f"{word}{_unit(v, unit)}"


def _cite(profile: Profile, t: dict) -> str:
    q = t.get("quote")
    head = f"{profile.clause_of(t)}"
    return f"{head}：“{q}”" if q else f"{head}（{t.get('why', '')}）"


def _qualifier(t: dict) -> str:
    q = t.get("qualifier")
    return f"（原文为“{q}”，个别情况请专家酌定）" if q else ""


def _number(d: Facts, fid: str, count: bool = False) -> Optional[float]:
    """A criterion's input: a trusted number; a written 无 counts as 0."""
    fv = d.fv(fid)
    if fv is not None and fv.value is None and fv.note == "none" and d.readable(fid):
        return 0
    return d.count(fid) if count else d.number(fid)


def _targets(d: Facts, t: dict, base: str) -> list[str]:
    years = t.get("years")
    if years == "each":
        return d.yearly(base)
    if years == "latest":
        return [f"{base}.{d.latest}"] if d.latest else []
    return [base]


def _unchecked(d: Facts, profile: Profile, rule_id: str) -> list:
    """An info finding when the profile's document sets this criterion but no received text
    states its bar (the national 研发/专利/工业互联网 figures): the expert knows it was not checked."""
    nis = profile.not_in_source or {}
    if rule_id not in nis.get("rules", []):
        return []
    return [d.finding(rule_id, [], f"未核查：{nis.get('why', '该项门槛无出处')}", clause=profile.document,
                      severity="info")]


def _short(t: dict) -> str:
    """Why an equal value fails a strict bar: 高于 excludes the figure itself."""
    return "（“高于”不含本数）" if t["op"] == ">" else ""


def _stated(rule_id: str, count: bool = False):
    """A criterion on stated figures: each field (or year) against the bar."""
    def check(ext: Extraction, profile: Profile):
        d = Facts(ext)
        out = _unchecked(d, profile, rule_id)
        for t in profile.thresholds_for(rule_id):
            for fid in _targets(d, t, t["fields"][0]):
                v = _number(d, fid, count)
                if v is None or meets(v, t["op"], t["value"]):
                    continue
                lab = d.label(fid)
                shown = f"{d.written(fid) or plain(v)}{t.get('unit', '')}"
                equal = _short(t) if abs(v - t["value"]) < 1e-9 else ""
                out.append(d.finding(
                    rule_id, [fid],
                    f"{lab}填报{shown}，不符合认定标准“{_bar(t)}”的要求{equal}{_qualifier(t)}。依据{_cite(profile, t)}。",
                    expected=f"{t['op']}{_unit(t['value'], t.get('unit'))}", actual=v, tolerance=0,
                    clause=profile.clause_of(t), severity=t.get("severity"),
                    question=f"{lab}为{shown}，不符合认定标准“{_bar(t)}”的要求，请说明情况。",
                    detail={"op": t["op"], "op_word": t["op_word"], "bar": t["value"], "quote": t.get("quote")}))
        return out
    check.__name__ = rule_id.replace(".", "_")
    return check


criteria_area = rule("criteria.area")(_stated("criteria.area"))
criteria_output = rule("criteria.output")(_stated("criteria.output"))
criteria_sme_share = rule("criteria.sme_share")(_stated("criteria.sme_share"))
criteria_leading_share = rule("criteria.leading_share")(_stated("criteria.leading_share"))
criteria_enterprises = rule("criteria.enterprises")(_stated("criteria.enterprises", count=True))
criteria_patent_growth = rule("criteria.patent_growth")(_stated("criteria.patent_growth"))
criteria_patents_per_10k = rule("criteria.patents_per_10k")(_stated("criteria.patents_per_10k"))
criteria_iiot = rule("criteria.iiot")(_stated("criteria.iiot"))


@rule("criteria.growth")
def criteria_growth(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = []
    g = profile.growth or {}
    reading = g.get("reading", COMPOUND)
    for t in profile.thresholds_for("criteria.growth"):
        if g.get("figure") == "leading":
            out += _stated("criteria.growth")(ext, _only(profile, t))
            continue
        # 产值年均增速: computed from 集群总产值 of the reporting years
        ids = d.yearly("industry.total_output")
        if len(ids) < 2 or d.numbers(ids) is None:
            continue
        periods = d.years[-1] - d.years[0]
        if reading == COMPOUND:
            iv = bounds(lambda a, b: cagr_pct(a, b, periods), [d.with_half(ids[0]), d.with_half(ids[-1])])
            used = [ids[0], ids[-1]]
        else:
            iv = bounds(lambda *ts: mean_growth_pct([growth_pct(x, y) for x, y in zip(ts, ts[1:])], "arithmetic"),
                        [d.with_half(i) for i in ids])
            used = ids
        if iv is None or not fails_surely(iv, t["op"], t["value"]):
            continue
        first, last = d.number(ids[0]), d.number(ids[-1])
        out.append(d.finding(
            "criteria.growth", used,
            f"{d.years[0]}—{d.years[-1]}年集群总产值由{f2(first)}亿元增至{f2(last)}亿元，按{READINGS[reading]}计算"
            f"产值年均增速为{f2(iv.value)}%（按各值保留2位小数的舍入，最高不超过{f2(iv.hi)}%），"
            f"不符合认定标准“{_bar(t)}”的要求{_qualifier(t)}。依据{_cite(profile, t)}。"
            f"{g.get('reading_basis', '')}",
            expected=f"{t['op']}{_unit(t['value'], t.get('unit'))}", actual=round(iv.value, 2),
            tolerance=round(iv.spread, 4), clause=profile.clause_of(t), severity=t.get("severity"),
            question=f"按集群总产值计算的产值年均增速为{f2(iv.value)}%，不符合认定标准“{_bar(t)}”的要求，请说明情况。",
            detail={"reading": reading, "range": [round(iv.lo, 4), round(iv.hi, 4)], "quote": t.get("quote")},
            certainty=Certainty().consecutive(d.years)))
    return out


def _only(profile: Profile, t: dict) -> Profile:
    """The profile narrowed to one threshold (to reuse the stated-figure check)."""
    return Profile(id=profile.id, name=profile.name, document=profile.document, thresholds=[t],
                   growth=profile.growth, source=profile.source, raw=profile.raw)


@rule("criteria.rd_growth")
def criteria_rd_growth(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = _unchecked(d, profile, "criteria.rd_growth")
    reading = (profile.growth or {}).get("reading", COMPOUND)
    for t in profile.thresholds_for("criteria.rd_growth"):
        ids = d.yearly(t["fields"][0])
        vals = [_number(d, i) for i in ids]
        if not ids or any(v is None for v in vals):
            continue
        iv = bounds(lambda *g: mean_growth_pct(g, reading), [(v, d.half(i)) for v, i in zip(vals, ids)])
        if iv is None or not fails_surely(iv, t["op"], t["value"]):
            continue
        shown = "、".join(f"{y}年{f2(v)}%" for y, v in zip(d.years, vals))
        out.append(d.finding(
            "criteria.rd_growth", ids,
            f"集群近三年研发经费增速填报为{shown}，按{READINGS[reading]}计算年均增长{f2(iv.value)}%，"
            f"不符合认定标准“{_bar(t)}”的要求{_qualifier(t)}。依据{_cite(profile, t)}。",
            expected=f"{t['op']}{_unit(t['value'], t.get('unit'))}", actual=round(iv.value, 2),
            tolerance=round(iv.spread, 4), clause=profile.clause_of(t), severity=t.get("severity"),
            question=f"近三年研发经费年均增长为{f2(iv.value)}%，不符合认定标准“{_bar(t)}”的要求，请说明情况。",
            detail={"reading": reading, "range": [round(iv.lo, 4), round(iv.hi, 4)]},
            certainty=Certainty().consecutive(d.years)))
    return out


@rule("criteria.quality_smes")
def criteria_quality_smes(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = []
    for t in profile.thresholds_for("criteria.quality_smes"):
        y = d.latest
        if y is None:
            continue
        sums, unknown, used = [], False, []
        for alt in t["any_of"]:
            ids = [f"{f}.{y}" for f in alt["fields"]]
            vals = [_number(d, i, count=True) for i in ids]
            used += ids
            if any(v is None for v in vals):
                unknown = True
                continue
            total = sum(vals)
            if meets(total, alt["op"], alt["value"]):
                break
            parts = "＋".join(f"{d.label(i).replace(f'{y}年', '')}{int(v)}" for i, v in zip(ids, vals))
            sums.append((alt, total, parts))
        else:
            if unknown or not sums:
                continue
            said = "；".join(f"{parts} = {int(total)}家，未达到“{_bar(alt)}”" for alt, total, parts in sums)
            out.append(d.finding(
                "criteria.quality_smes", used,
                f"{y}年优质中小企业：{said}{_qualifier(t)}。依据{_cite(profile, t)}。"
                f"（各类企业数量相加，可能重复计数，实际户数只会更少。）",
                expected=" 或 ".join(f"{a['op']}{_unit(a['value'], a.get('unit'))}" for a in t["any_of"]),
                actual=[int(total) for _, total, _ in sums], tolerance=0,
                clause=profile.clause_of(t), severity=t.get("severity"),
                question=f"{y}年优质中小企业数量（{'；'.join(f'{parts} = {int(total)}家' for _, total, parts in sums)}）"
                         f"未达到认定标准“{' 或 '.join(_bar(a) for a in t['any_of'])}”的要求，请说明情况。"))
    return out


@rule("criteria.co2_trend")
def criteria_co2_trend(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = []
    for t in profile.thresholds_for("criteria.co2_trend"):
        ids = d.yearly(t["fields"][0])
        for (y0, a), (y1, b) in zip(zip(d.years, ids), list(zip(d.years, ids))[1:]):
            v0, v1 = d.number(a), d.number(b)
            if v0 is None or v1 is None or v1 < v0:
                continue
            word = "上升" if v1 > v0 else "持平（保留2位小数后相同，无法确认是否下降）"
            out.append(d.finding(
                "criteria.co2_trend", [b, a],
                f"单位产值二氧化碳排放量{y0}年{d.written(a)}、{y1}年{d.written(b)}吨二氧化碳/万元，{word}；"
                f"认定标准要求持续下降。依据{_cite(profile, t)}。",
                expected=f"<{f2(v0)}", actual=v1, tolerance=0, clause=profile.clause_of(t),
                severity=t.get("severity"),
                certainty=Certainty().consecutive([y0, y1]).require(v1 > v0, "两年数值保留2位小数后相同，无法确认是否下降"),
                question=f"单位产值二氧化碳排放量{y1}年（{d.written(b)}）未低于{y0}年（{d.written(a)}），"
                         f"与“二氧化碳排放量强度持续下降”的要求不符，请说明情况。",
                detail={"trend": "rising" if v1 > v0 else "flat"}))
    return out


def _answered_against(rule_id: str):
    def check(ext: Extraction, profile: Profile):
        d = Facts(ext)
        out = []
        for t in profile.thresholds_for(rule_id):
            fid = t["fields"][0]
            if d.choice(fid) != t["fails_on"]:
                continue
            lab = d.label(fid)
            why = f"{t['why']}" if t.get("why") and t.get("quote") else ""
            out.append(d.finding(
                rule_id, [fid],
                f"「{lab}」勾选“{t['fails_on']}”，不符合认定条件。依据{_cite(profile, t)}。{why}",
                expected=f"非“{t['fails_on']}”", actual=t["fails_on"], clause=profile.clause_of(t),
                severity=t.get("severity"),
                question=f"「{lab}」勾选了“{t['fails_on']}”，请说明具体情况。"))
        return out
    check.__name__ = rule_id.replace(".", "_")
    return check


criteria_negative = rule("criteria.negative")(_answered_against("criteria.negative"))
criteria_efficiency = rule("criteria.efficiency")(_answered_against("criteria.efficiency"))


