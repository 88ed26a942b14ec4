"""Recognition criteria under a profile: criteria.*.

Every threshold comes from the profile (``validators/profiles/<id>.yaml``): the field(s) it
reads, the operator as the document words it, the bar, the clause and the quote.  A stated
figure is held to the bar as written; a figure the check computes itself (the average growth
of 总产值, the average of the yearly R&D growth rates) fails only when every value its
2-decimal inputs allow fails.  A value that is missing or doubtful holds the criterion back
(``field.missing`` / ``field.unreadable`` say why).

Each threshold is judged once (``judge``) into its findings *and* its result record — the row
of the memo's 认定标准对照表: the rule, the fields and the values as the form shows them, the
figure computed (a growth, a mean, a sum), the bar as worded, clause and quote, a status and
why.  The status follows the findings of that same judgement: an ``error`` is ``not_met``, a
``warning`` or ``info`` (a doubt, a bar not checked) is ``cannot_tell``, no finding is ``met``
unless a value it needs is missing or unreadable (``cannot_tell``, saying which).  The memo
only renders these records (``Extraction.criteria``); it never judges a criterion itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from pipeline.model import Extraction, Finding
from pipeline.model.profiles import Profile

from .arithmetic import (
    COMPOUND,
    READINGS,
    Interval,
    bounds,
    cagr_pct,
    fails_surely,
    growth_pct,
    mean_growth_pct,
    meets,
)
from .dossier import Certainty, Facts, f2, plain
from .registry import rule

MET, NOT_MET, CANNOT_TELL = "met", "not_met", "cannot_tell"


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
    return [d.finding(rule_id, [], f"未核查：{nis.get('why', '该项门槛无出处')}", clause=profile.clause_of({}),
                      severity="info")]


def _short(t: dict) -> str:
    """Why an equal value fails a strict bar: 高于 excludes the figure itself."""
    return "（“高于”不含本数）" if t["op"] == ">" else ""


# ------------------------------------------------------------------ one threshold, judged
@dataclass
class Judged:
    """What one threshold's check saw: the fields it read, what it could not read, the figure it
    computed and the findings it reports.  ``record`` makes the result row from it."""
    fields: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)      # fields with no trusted value
    findings: list[Finding] = field(default_factory=list)
    figure: Optional[dict] = None                         # {value, lo, hi, how}: a computed figure
    alternatives: Optional[list[dict]] = None             # any_of: each sum against its bar
    undecided: str = ""                                   # no finding, yet not met for certain: why


def _shown(d: Facts, fid: str) -> dict:
    """A value as the form shows it (``None`` when absent), and whether it can be trusted."""
    fv = d.fv(fid)
    if fv is not None and fv.value is None and fv.note == "none":
        value: Optional[str] = "无"
    else:
        value = d.written(fid) or None
    return {"id": fid, "value": value, "readable": value is not None and d.readable(fid)}


def _status(j: Judged, unchecked: list[Finding], d: Facts) -> tuple[str, str]:
    errors = [f for f in j.findings if f.severity == "error"]
    if errors:
        return NOT_MET, errors[0].message
    doubts = [f for f in j.findings if f.severity != "error"] + unchecked
    if doubts:
        return CANNOT_TELL, doubts[0].message
    if j.missing or not j.fields:
        names = "、".join(f"「{d.label(f)}」" for f in j.missing)
        return CANNOT_TELL, f"{names}未填报或无法识别，无法判断。" if names else "未识别报告年度，无法判断。"
    if j.undecided:
        return CANNOT_TELL, j.undecided
    return MET, ""


def _threshold_text(t: dict) -> Optional[str]:
    if t.get("trend"):
        return "持续下降" if t["trend"] == "falling" else "持续上升"
    if t.get("fails_on") is not None:
        return f"不得为“{t['fails_on']}”"
    if "op" in t and "value" in t:
        return _bar(t)
    return None


def record(d: Facts, profile: Profile, t: dict, index: int, j: Judged, unchecked: list[Finding]) -> dict:
    """The result of one threshold: what the memo's 认定标准对照表 shows, JSON-ready."""
    status, why = _status(j, unchecked, d)
    return {
        "rule": t.get("rule", ""), "threshold": index, "fields": list(j.fields),
        "values": [_shown(d, f) for f in j.fields],
        "figure": j.figure, "alternatives": j.alternatives,
        "years": t.get("years"), "op": t.get("op"), "op_word": t.get("op_word"), "value": t.get("value"),
        "unit": t.get("unit"), "bar": _threshold_text(t), "trend": t.get("trend"), "fails_on": t.get("fails_on"),
        "qualifier": t.get("qualifier"), "indicator": t.get("indicator"),
        "clause": t.get("clause") or "", "quote": t.get("quote"), "note": t.get("why") or "",
        "status": status, "why": why,
    }


# ------------------------------------------------------------------ the judges, by kind
def _stated(d: Facts, profile: Profile, t: dict, rule_id: str, count: bool = False) -> Judged:
    """A criterion on stated figures: each field (or year) against the bar."""
    j = Judged(fields=_targets(d, t, t["fields"][0]))
    for fid in j.fields:
        v = _number(d, fid, count)
        if v is None:
            j.missing.append(fid)
            continue
        if meets(v, t["op"], t["value"]):
            continue
        lab = d.label(fid)
        shown = f"{d.written(fid) or plain(v)}{t.get('unit', '')}"
        equal = _short(t) if abs(v - t["value"]) < 1e-9 else ""
        j.findings.append(d.finding(
            rule_id, [fid],
            f"{lab}填报{shown}，不符合认定标准“{_bar(t)}”的要求{equal}{_qualifier(t)}。依据{_cite(profile, t)}。",
            expected=f"{t['op']}{_unit(t['value'], t.get('unit'))}", actual=v, tolerance=0,
            clause=profile.clause_of(t), severity=t.get("severity"),
            question=f"{lab}为{shown}，不符合认定标准“{_bar(t)}”的要求，请说明情况。",
            detail={"op": t["op"], "op_word": t["op_word"], "bar": t["value"], "quote": t.get("quote")}))
    return j


def _counted(d: Facts, profile: Profile, t: dict, rule_id: str) -> Judged:
    return _stated(d, profile, t, rule_id, count=True)


def _undecided(iv, t: dict) -> str:
    """A computed figure whose rounding range straddles the bar: neither met nor failed for sure."""
    if meets(iv.lo, t["op"], t["value"]) and meets(iv.hi, t["op"], t["value"]):
        return ""
    return (f"计算值{f2(iv.value)}%，按各值保留2位小数的舍入，可能在{f2(iv.lo)}%至{f2(iv.hi)}%之间，"
            f"与认定标准“{_bar(t)}”相比无法确定。")


def _computed(j: Judged, iv: Optional[Interval], t: dict, reading: str, what: str) -> bool:
    """Keep a computed figure on the result; True when it fails the bar for certain (a finding
    follows), else ``undecided`` says why it is not met for certain either (or nothing: met)."""
    if iv is None:
        j.undecided = f"填报数值为零或负数，无法计算{what}。"
        return False
    j.figure = {"value": round(iv.value, 2), "lo": round(iv.lo, 4), "hi": round(iv.hi, 4), "how": READINGS[reading],
                "what": what, "unit": "%"}
    if fails_surely(iv, t["op"], t["value"]):
        return True
    j.undecided = _undecided(iv, t)
    return False


def _growth(d: Facts, profile: Profile, t: dict, rule_id: str) -> Judged:
    g = profile.growth or {}
    if g.get("figure") == "leading":
        return _stated(d, profile, t, rule_id)
    # 产值年均增速: computed from 集群总产值 of the reporting years
    reading = g.get("reading", COMPOUND)
    ids = d.yearly("industry.total_output")
    j = Judged(fields=ids, missing=[i for i in ids if d.number(i) is None])
    if len(ids) < 2 or j.missing:
        return j
    periods = d.years[-1] - d.years[0]
    if reading == COMPOUND:
        iv = bounds(lambda a, b: cagr_pct(a, b, periods), [d.with_half(ids[0]), d.with_half(ids[-1])])
        used = [ids[0], ids[-1]]
    else:
        iv = bounds(lambda *ts: mean_growth_pct([growth_pct(x, y) for x, y in zip(ts, ts[1:])], "arithmetic"),
                    [d.with_half(i) for i in ids])
        used = ids
    if not _computed(j, iv, t, reading, "年均增速"):
        return j
    first, last = d.number(ids[0]), d.number(ids[-1])
    j.findings.append(d.finding(
        rule_id, used,
        f"{d.years[0]}—{d.years[-1]}年集群总产值由{f2(first)}亿元增至{f2(last)}亿元，按{READINGS[reading]}计算"
        f"产值年均增速为{f2(iv.value)}%（按各值保留2位小数的舍入，最高不超过{f2(iv.hi)}%），"
        f"不符合认定标准“{_bar(t)}”的要求{_qualifier(t)}。依据{_cite(profile, t)}。"
        f"{g.get('reading_basis', '')}",
        expected=f"{t['op']}{_unit(t['value'], t.get('unit'))}", actual=round(iv.value, 2),
        tolerance=round(iv.spread, 4), clause=profile.clause_of(t), severity=t.get("severity"),
        question=f"按集群总产值计算的产值年均增速为{f2(iv.value)}%，不符合认定标准“{_bar(t)}”的要求，请说明情况。",
        detail={"reading": reading, "range": [round(iv.lo, 4), round(iv.hi, 4)], "quote": t.get("quote")},
        certainty=Certainty().consecutive(d.years)))
    return j


def _rd_growth(d: Facts, profile: Profile, t: dict, rule_id: str) -> Judged:
    reading = (profile.growth or {}).get("reading", COMPOUND)
    ids = d.yearly(t["fields"][0])
    vals = [_number(d, i) for i in ids]
    j = Judged(fields=ids, missing=[i for i, v in zip(ids, vals) if v is None])
    if not ids or j.missing:
        return j
    iv = bounds(lambda *g: mean_growth_pct(g, reading), [(v, d.half(i)) for v, i in zip(vals, ids)])
    if not _computed(j, iv, t, reading, "年均增长"):
        return j
    shown = "、".join(f"{y}年{f2(v)}%" for y, v in zip(d.years, vals))
    j.findings.append(d.finding(
        rule_id, ids,
        f"集群近三年研发经费增速填报为{shown}，按{READINGS[reading]}计算年均增长{f2(iv.value)}%，"
        f"不符合认定标准“{_bar(t)}”的要求{_qualifier(t)}。依据{_cite(profile, t)}。",
        expected=f"{t['op']}{_unit(t['value'], t.get('unit'))}", actual=round(iv.value, 2),
        tolerance=round(iv.spread, 4), clause=profile.clause_of(t), severity=t.get("severity"),
        question=f"近三年研发经费年均增长为{f2(iv.value)}%，不符合认定标准“{_bar(t)}”的要求，请说明情况。",
        detail={"reading": reading, "range": [round(iv.lo, 4), round(iv.hi, 4)]},
        certainty=Certainty().consecutive(d.years)))
    return j


def _quality_smes(d: Facts, profile: Profile, t: dict, rule_id: str) -> Judged:
    y = d.latest
    j = Judged(alternatives=[])
    if y is None:
        return j
    sums = []
    for alt in t["any_of"]:
        ids = [f"{f}.{y}" for f in alt["fields"]]
        vals = [_number(d, i, count=True) for i in ids]
        j.fields += ids
        unknown = [i for i, v in zip(ids, vals) if v is None]
        total = None if unknown else sum(vals)
        met = None if total is None else meets(total, alt["op"], alt["value"])
        j.alternatives.append({"fields": ids, "total": total, "op": alt["op"], "op_word": alt["op_word"],
                               "value": alt["value"], "unit": alt.get("unit"), "bar": _bar(alt), "met": met})
        j.missing += unknown
        if met is False:
            parts = "＋".join(f"{d.label(i).replace(f'{y}年', '')}{int(v)}" for i, v in zip(ids, vals))
            sums.append((alt, total, parts))
    if any(a["met"] for a in j.alternatives):
        j.missing = []          # one alternative met: the others' gaps do not matter
        return j
    if j.missing or not sums:
        return j
    said = "；".join(f"{parts} = {int(total)}家，未达到“{_bar(alt)}”" for alt, total, parts in sums)
    j.findings.append(d.finding(
        rule_id, j.fields,
        f"{y}年优质中小企业：{said}{_qualifier(t)}。依据{_cite(profile, t)}。"
        f"（各类企业数量相加，可能重复计数，实际户数只会更少。）",
        expected=" 或 ".join(f"{a['op']}{_unit(a['value'], a.get('unit'))}" for a in t["any_of"]),
        actual=[int(total) for _, total, _ in sums], tolerance=0,
        clause=profile.clause_of(t), severity=t.get("severity"),
        question=f"{y}年优质中小企业数量（{'；'.join(f'{parts} = {int(total)}家' for _, total, parts in sums)}）"
                 f"未达到认定标准“{' 或 '.join(_bar(a) for a in t['any_of'])}”的要求，请说明情况。"))
    return j


def _co2_trend(d: Facts, profile: Profile, t: dict, rule_id: str) -> Judged:
    ids = d.yearly(t["fields"][0])
    j = Judged(fields=ids, missing=[i for i in ids if d.number(i) is None])
    for (y0, a), (y1, b) in zip(zip(d.years, ids), list(zip(d.years, ids))[1:]):
        v0, v1 = d.number(a), d.number(b)
        if v0 is None or v1 is None or v1 < v0:
            continue
        word = "上升" if v1 > v0 else "持平（保留2位小数后相同，无法确认是否下降）"
        j.findings.append(d.finding(
            rule_id, [b, a],
            f"单位产值二氧化碳排放量{y0}年{d.written(a)}、{y1}年{d.written(b)}吨二氧化碳/万元，{word}；"
            f"认定标准要求持续下降。依据{_cite(profile, t)}。",
            expected=f"<{f2(v0)}", actual=v1, tolerance=0, clause=profile.clause_of(t),
            severity=t.get("severity"),
            certainty=Certainty().consecutive([y0, y1]).require(v1 > v0, "两年数值保留2位小数后相同，无法确认是否下降"),
            question=f"单位产值二氧化碳排放量{y1}年（{d.written(b)}）未低于{y0}年（{d.written(a)}），"
                     f"与“二氧化碳排放量强度持续下降”的要求不符，请说明情况。",
            detail={"trend": "rising" if v1 > v0 else "flat"}))
    if len(ids) < 2 and not j.missing:
        j.undecided = "报告年度不足两年，无法判断趋势。"
    return j


def _answered_against(d: Facts, profile: Profile, t: dict, rule_id: str) -> Judged:
    fid = t["fields"][0]
    choice = d.choice(fid)
    j = Judged(fields=[fid], missing=[] if choice is not None else [fid])
    if choice != t["fails_on"]:
        return j
    lab = d.label(fid)
    why = f"{t['why']}" if t.get("why") and t.get("quote") else ""
    j.findings.append(d.finding(
        rule_id, [fid],
        f"「{lab}」勾选“{t['fails_on']}”，不符合认定条件。依据{_cite(profile, t)}。{why}",
        expected=f"非“{t['fails_on']}”", actual=t["fails_on"], clause=profile.clause_of(t),
        severity=t.get("severity"),
        question=f"「{lab}」勾选了“{t['fails_on']}”，请说明具体情况。"))
    return j


JUDGES: dict[str, Callable[[Facts, Profile, dict, str], Judged]] = {
    "criteria.area": _stated, "criteria.output": _stated, "criteria.sme_share": _stated,
    "criteria.leading_share": _stated, "criteria.enterprises": _counted, "criteria.patent_growth": _stated,
    "criteria.patents_per_10k": _stated, "criteria.iiot": _stated, "criteria.growth": _growth,
    "criteria.rd_growth": _rd_growth, "criteria.quality_smes": _quality_smes, "criteria.co2_trend": _co2_trend,
    "criteria.negative": _answered_against, "criteria.efficiency": _answered_against,
}


def judge(ext: Extraction, profile: Profile) -> tuple[dict[str, list[Finding]], list[dict]]:
    """Every threshold of the profile, judged once: the findings by rule id (in threshold
    order, a rule's 未核查 note first) and one result record per threshold."""
    d = Facts(ext)
    by_rule: dict[str, list[Finding]] = {}
    records = []
    for rule_id in JUDGES:
        by_rule[rule_id] = _unchecked(d, profile, rule_id)
    for i, t in enumerate(profile.thresholds):
        rule_id = t.get("rule", "")
        fn = JUDGES.get(rule_id)
        if fn is None:
            continue
        j = fn(d, profile, t, rule_id)
        by_rule[rule_id].extend(j.findings)
        records.append(record(d, profile, t, i, j, _unchecked(d, profile, rule_id)))
    return by_rule, records


def results(ext: Extraction, profile: Profile) -> list[dict]:
    """The per-threshold result records (``Extraction.criteria``)."""
    return judge(ext, profile)[1]


def _rule_of(rule_id: str):
    def check(ext: Extraction, profile: Profile) -> list[Finding]:
        return judge(ext, _only(profile, rule_id))[0][rule_id]
    check.__name__ = rule_id.replace(".", "_")
    return rule(rule_id)(check)


def _only(profile: Profile, rule_id: str) -> Profile:
    """The profile narrowed to one rule's thresholds."""
    return Profile(id=profile.id, name=profile.name, document=profile.document,
                   thresholds=profile.thresholds_for(rule_id), growth=profile.growth, source=profile.source,
                   not_in_source=profile.not_in_source, raw=profile.raw)


criteria_area = _rule_of("criteria.area")
criteria_output = _rule_of("criteria.output")
criteria_sme_share = _rule_of("criteria.sme_share")
criteria_leading_share = _rule_of("criteria.leading_share")
criteria_enterprises = _rule_of("criteria.enterprises")
criteria_patent_growth = _rule_of("criteria.patent_growth")
criteria_patents_per_10k = _rule_of("criteria.patents_per_10k")
criteria_iiot = _rule_of("criteria.iiot")
criteria_growth = _rule_of("criteria.growth")
criteria_rd_growth = _rule_of("criteria.rd_growth")
criteria_quality_smes = _rule_of("criteria.quality_smes")
criteria_co2_trend = _rule_of("criteria.co2_trend")
criteria_negative = _rule_of("criteria.negative")
criteria_efficiency = _rule_of("criteria.efficiency")
