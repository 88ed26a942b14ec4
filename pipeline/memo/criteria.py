"""认定标准对照表: each threshold of the dossier's profile against the dossier's own values.

A threshold (``Profile.thresholds``) names its rule, the fields it reads (``fields``: catalogue
ids, yearly ones expanded by ``years``: ``each`` | ``latest`` | ``average``), and how it is
met: ``op``/``value``/``unit`` (operator as a symbol or as worded; ``op_word`` the wording),
``any_of`` (alternatives, each a sum of counts against its own bar), ``trend: falling``, or
``fails_on`` (a choice answer that fails it); plus ``clause`` and optionally ``indicator``,
``qualifier`` (一般, 原则上).

The row shows the values, the figure compared (a mean, a sum, a growth computed from output),
the bar and a status:

* ``not_met`` when the validators report an error finding of its rule on its fields, ``unknown``
  when they report a warning (the finding's message says why);
* when the validators evaluate the rule (it is registered) and report nothing: ``met`` if every
  value it needs was read with confidence, else ``unknown``;
* when no validator evaluates the rule: the threshold's own comparison (``unknown`` when a value
  is missing or unreadable).
"""
from __future__ import annotations

import operator
from statistics import mean
from typing import Any, Callable, Optional

from pipeline.model import UNREADABLE_BELOW, Catalogue, Extraction
from pipeline.model.profiles import Profile
from pipeline.model.text import norm

from .values import display_value, number_text
from .wording import field_label, wording

# The fields a criterion reads when its threshold does not say (and how: {Y} every reporting
# year, {Y3} the last).
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    "criteria.area": ("basic.area_km2",),
    "criteria.output": ("industry.total_output.{Y}",),
    "criteria.sme_share": ("industry.sme_share.{Y3}",),
    "criteria.leading_share": ("industry.leading_share.{Y3}",),
    "criteria.growth": ("industry.leading_cagr",),
    "criteria.enterprises": ("industry.enterprises.{Y3}",),
    "criteria.rd_growth": ("innovation.rd_growth.{Y}",),
    "criteria.patent_growth": ("innovation.patent_growth",),
    "criteria.patents_per_10k": ("innovation.patents_per_10k",),
    "criteria.iiot": ("digital.iiot_rate",),
    "criteria.co2_trend": ("green.co2_intensity.{Y}",),
}

# Operators as the documents word them (以上 and 不低于 include the bar, 高于 and 超过 exclude it).
OPERATORS: dict[str, str] = {
    "≥": "≥", ">=": "≥", "以上": "≥", "不低于": "≥", "不少于": "≥", "达到": "≥", "至少": "≥",
    ">": ">", "高于": ">", "超过": ">", "大于": ">", "多于": ">",
    "≤": "≤", "<=": "≤", "不超过": "≤", "不高于": "≤", "不大于": "≤", "以内": "≤", "以下": "≤", "maximum": "≤",
    "<": "<", "低于": "<", "少于": "<", "小于": "<",
}
COMPARE: dict[str, Callable[[Any, Any], bool]] = {"≥": operator.ge, ">": operator.gt, "≤": operator.le,
                                                  "<": operator.lt}
YEARS_TEXT = {"each": "各年", "latest": "最近一年", "average": "年均"}


def op_symbol(op: Any) -> Optional[str]:
    return OPERATORS.get(str(op).strip()) if op is not None else None


def _number(v: Any) -> Optional[float]:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


class _Values:
    """The dossier's values a threshold reads, each with its label and whether it is trusted."""

    def __init__(self, ext: Extraction, cat: Catalogue):
        self.ext, self.cat = ext, cat

    def expand(self, fid: str, which: Optional[str]) -> list[str]:
        years = self.ext.reporting_years
        if "{Y}" in fid:
            return [fid.replace("{Y}", str(y)) for y in years]
        if "{Y3}" in fid:
            return [fid.replace("{Y3}", str(years[-1]))] if years else []
        if self.cat.spec(fid) is not None:
            return [fid]
        try:
            spec = self.cat.base(fid)
        except KeyError:
            return [fid]
        if not spec.yearly:
            return [fid]
        if which == "latest":
            return [f"{fid}.{years[-1]}"] if years else []
        return [f"{fid}.{y}" for y in years]

    def item(self, fid: str, named: bool = False) -> dict:
        """A value labelled by its year (a yearly series), or by its short name (a sum of counts)."""
        fv = self.ext.fields.get(fid)
        cf = self.cat.spec(fid)
        shorts = wording().get("short_labels", {})
        if named and cf is not None and cf.spec.id in shorts:
            label = shorts[cf.spec.id]
        elif cf is not None and cf.year and cf.spec.yearly:
            label = f"{cf.year}年"
        else:
            label = field_label(self.cat, fid)
        value = fv.value if fv else None
        return {"id": fid, "label": label, "value": display_value(value), "raw": value,
                "readable": fv is not None and value is not None and fv.confidence >= UNREADABLE_BELOW}


def _fields_of(t: dict) -> list[str]:
    if t.get("fields"):
        return list(t["fields"])
    if t.get("field"):
        return [t["field"]]
    return list(RULE_FIELDS.get(t.get("rule", ""), ()))


def _bar(t: dict, prefix: str = "") -> str:
    sym = op_symbol(t.get("op")) or op_symbol(t.get("op_word"))
    word = str(t.get("op_word") or t.get("op") or "").strip()
    text = prefix + (f"{sym} " if sym else (f"{word} " if word else "")) + number_text(t.get("value"), t.get("unit"))
    if sym and word and word != sym and any("\u4e00" <= ch <= "\u9fff" for ch in word):    # as worded: 以上, 高于 …
        text += f"（{word}）"
    return text


def _compare(figure: Optional[float], t: dict) -> Optional[bool]:
    sym = op_symbol(t.get("op")) or op_symbol(t.get("op_word"))
    bar = _number(t.get("value"))
    if figure is None or sym is None or bar is None:
        return None
    return COMPARE[sym](round(figure, 6), bar)


def _growth(values: list[float], reading: str) -> Optional[float]:
    """Average yearly growth (%) of a series of outputs: compound (水平法) or arithmetic mean."""
    if len(values) < 2 or any(v is None or v <= 0 for v in values):
        return None
    if reading == "arithmetic":
        return mean((b / a - 1) * 100 for a, b in zip(values, values[1:]))
    return ((values[-1] / values[0]) ** (1 / (len(values) - 1)) - 1) * 100


def evaluate(t: dict, vals: _Values, profile: Profile) -> dict:
    """The values a threshold reads, the figure it compares, its bar and its own verdict
    (True met, False not met, None cannot tell)."""
    which = t.get("years")
    if t.get("any_of"):
        parts, oks, ids, items = [], [], [], []
        for alt in t["any_of"]:
            fids = [f for b in _fields_of(alt) for f in vals.expand(b, which or "latest")]
            its = [vals.item(f, named=True) for f in fids]
            ids += fids
            items += its
            total = sum(i["raw"] for i in its) if its and all(i["readable"] and _number(i["raw"]) is not None
                                                               for i in its) else None
            oks.append(_compare(total, alt))
            shown = " ＋ ".join(f"{i['label']} {i['value']}" for i in its)
            parts.append((shown + (f" ＝ {number_text(total)}" if total is not None and len(its) > 1 else ""),
                          "＋".join(i["label"] for i in its) + " " + _bar(alt)))
        years = sorted({vals.cat.spec(f).year for f in ids if vals.cat.spec(f) is not None and vals.cat.spec(f).year})
        when = f"{'、'.join(map(str, years))}年：" if years else ""
        ok = True if any(o is True for o in oks) else False if oks and all(o is False for o in oks) else None
        return {"ids": ids, "items": items, "values_text": when + "；".join(v for v, _ in parts),
                "threshold": " 或 ".join(b for _, b in parts), "ok": ok}

    ids = [f for b in _fields_of(t) for f in vals.expand(b, which)]
    items = [vals.item(f) for f in ids]
    readable = bool(items) and all(i["readable"] for i in items)
    listing = "；".join(f"{i['label']} {i['value']}" if len(items) > 1 else i["value"] for i in items) or "—"
    nums = [_number(i["raw"]) for i in items]
    numeric = readable and all(n is not None for n in nums)

    if t.get("trend"):
        ok = None
        if numeric and len(nums) > 1:
            ok = all(b < a for a, b in zip(nums, nums[1:])) if t["trend"] == "falling" else \
                all(b > a for a, b in zip(nums, nums[1:]))
        return {"ids": ids, "items": items, "values_text": listing,
                "threshold": "逐年下降" if t["trend"] == "falling" else "逐年上升", "ok": ok}

    if t.get("fails_on") is not None:
        ok = None
        if readable:
            ok = all(norm(str(i["raw"])) != norm(str(t["fails_on"])) for i in items)
        return {"ids": ids, "items": items, "values_text": listing, "threshold": f"不得为“{t['fails_on']}”", "ok": ok}

    qualifier = f"{t['qualifier']} " if t.get("qualifier") else ""
    growth_of_output = t.get("rule") == "criteria.growth" and len(ids) > 1 and not any(
        (vals.cat.spec(f) is not None and vals.cat.spec(f).spec.is_growth) for f in ids)
    if growth_of_output:                        # a growth the profile computes from yearly output
        reading = (profile.get("growth") or {}).get("reading", "compound")
        figure = _growth(nums, reading) if numeric else None
        how = "算术平均" if reading == "arithmetic" else "水平法"
        text = listing + (f"；年均增速 {figure:.2f}%（{how}计算）" if figure is not None else "")
        return {"ids": ids, "items": items, "values_text": text, "threshold": _bar(t, qualifier + "年均 "),
                "ok": _compare(figure, t)}
    if which == "average" and len(ids) > 1:
        figure = mean(nums) if numeric else None
        text = listing + (f"；均值 {figure:.2f}" if figure is not None else "")
        return {"ids": ids, "items": items, "values_text": text, "threshold": _bar(t, qualifier + "年均 "),
                "ok": _compare(figure, t)}
    oks = [_compare(n, t) for n in nums] if numeric else [None]
    ok = None if None in oks else all(oks)
    prefix = qualifier + (YEARS_TEXT.get(which, "各年") + " " if len(ids) > 1 else "")
    return {"ids": ids, "items": items, "values_text": listing, "threshold": _bar(t, prefix), "ok": ok}


def _registered_rules() -> set[str]:
    try:
        from validators.registry import RULES
    except ImportError:
        return set()
    return set(RULES)


def _base(cat: Catalogue, fid: str) -> str:
    cf = cat.spec(fid)
    return cf.spec.id if cf is not None else fid


def criterion_rows(ext: Extraction, profile: Profile, cat: Catalogue) -> list[dict]:
    words = wording()
    names = words.get("criteria_indicators", {})
    registered = _registered_rules()
    vals = _Values(ext, cat)
    rows = []
    for t in profile.thresholds:
        rule = t.get("rule", "")
        e = evaluate(t, vals, profile)
        bases = {_base(cat, f) for f in e["ids"]}
        findings = [f for f in ext.findings if f.rule == rule
                    and (not f.fields or not bases or bases & {_base(cat, x) for x in f.fields})]
        readable = bool(e["items"]) and all(i["readable"] for i in e["items"])
        if any(f.severity == "error" for f in findings):
            status = "not_met"
        elif findings:
            status = "unknown"
        elif rule in registered:
            status = "met" if readable else "unknown"
        else:
            status = {True: "met", False: "not_met", None: "unknown"}[e["ok"]]
        indicator = t.get("indicator") or (field_label(cat, e["ids"][0]) if t.get("fails_on") is not None and e["ids"]
                                           else names.get(rule) or (field_label(cat, e["ids"][0]) if e["ids"] else rule))
        rows.append({
            "rule": rule, "indicator": indicator, "values": e["items"], "values_text": e["values_text"],
            "threshold": e["threshold"], "clause": t.get("clause") or "", "status": status,
            "status_label": words["criterion_status"][status], "findings": [f.message for f in findings],
            "note": t.get("why") or "",
        })
    return rows
