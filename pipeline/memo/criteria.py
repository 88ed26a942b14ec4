"""认定标准对照表: each threshold of the dossier's profile against the dossier's own values.

A threshold (``Profile.thresholds``: rule, indicator, op, value, unit, clause; optionally
``field``/``fields``) is shown with the values it bears on and a status:

* ``not_met`` when the validators report an error finding of its rule on those fields;
* when the validators evaluate the rule (it is registered) and report nothing: ``met`` if every
  value it needs was read with confidence, else ``unknown``;
* when no validator evaluates the rule yet: the threshold's own comparison on the values
  (``unknown`` when a value is missing or unreadable, or the operator is not a comparison).
"""
from __future__ import annotations

import operator
from typing import Any, Callable, Optional

from pipeline.model import Catalogue, Extraction, UNREADABLE_BELOW
from pipeline.model.profiles import Profile

from .values import display_value, number_text
from .wording import field_label, wording

# The fields a criterion reads, by rule; {Y} stands for each reporting year, {Y3} for the last.
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    "criteria.area": ("basic.area_km2",),
    "criteria.output": ("industry.total_output.{Y}",),
    "criteria.sme_share": ("industry.sme_share.{Y}",),
    "criteria.leading_share": ("industry.leading_share.{Y}",),
    "criteria.growth": ("industry.leading_cagr",),
    "criteria.quality_smes": ("industry.champions.{Y3}", "industry.little_giants.{Y3}",
                              "industry.specialized.{Y3}", "industry.hightech.{Y3}"),
    "criteria.enterprises": ("industry.enterprises.{Y3}",),
    "criteria.rd_growth": ("innovation.rd_growth.{Y}",),
    "criteria.patent_growth": ("innovation.patent_growth",),
    "criteria.patents_per_10k": ("innovation.patents_per_10k",),
    "criteria.iiot": ("digital.iiot_rate",),
    "criteria.negative": ("basic.not_prohibited", "basic.no_accidents", "basic.no_violations"),
    "criteria.efficiency": ("basic.energy_efficiency", "basic.water_efficiency"),
    "criteria.co2_trend": ("green.co2_intensity.{Y}",),
}

# Operators as the documents word them (以上 and 不低于 include the bar, 高于 and 超过 exclude it).
OPERATORS: dict[str, str] = {
    "≥": "≥", ">=": "≥", "以上": "≥", "不低于": "≥", "不少于": "≥", "达到": "≥", "至少": "≥",
    ">": ">", "高于": ">", "超过": ">", "大于": ">", "多于": ">",
    "≤": "≤", "<=": "≤", "不超过": "≤", "不高于": "≤", "不大于": "≤", "以内": "≤", "以下": "≤",
    "<": "<", "低于": "<", "少于": "<", "小于": "<",
}
COMPARE: dict[str, Callable[[Any, Any], bool]] = {"≥": operator.ge, ">": operator.gt, "≤": operator.le,
                                                  "<": operator.lt}


def op_symbol(op: Any) -> Optional[str]:
    return OPERATORS.get(str(op).strip()) if op is not None else None


def criterion_fields(threshold: dict, years: list[int]) -> list[str]:
    if threshold.get("fields"):
        pats = list(threshold["fields"])
    elif threshold.get("field"):
        pats = [threshold["field"]]
    else:
        pats = list(RULE_FIELDS.get(threshold.get("rule", ""), ()))
    out: list[str] = []
    for p in pats:
        if "{Y}" in p:
            out += [p.replace("{Y}", str(y)) for y in years]
        elif "{Y3}" in p:
            out += [p.replace("{Y3}", str(years[-1]))] if years else []
        else:
            out.append(p)
    return out


def _value_items(ext: Extraction, cat: Catalogue, fids: list[str]) -> list[dict]:
    items = []
    for fid in fids:
        fv = ext.fields.get(fid)
        cf = cat.spec(fid)
        label = f"{cf.year}年" if cf is not None and cf.year and cf.spec.yearly else field_label(cat, fid)
        items.append({"id": fid, "label": label, "value": display_value(fv.value if fv else None),
                      "raw": fv.value if fv else None,
                      "readable": fv is not None and fv.value is not None and fv.confidence >= UNREADABLE_BELOW})
    return items


def _registered_rules() -> set[str]:
    try:
        from validators.registry import RULES
    except ImportError:
        return set()
    return set(RULES)


def criterion_rows(ext: Extraction, profile: Profile, cat: Catalogue) -> list[dict]:
    words = wording()["criterion_status"]
    registered = _registered_rules()
    rows = []
    for t in profile.thresholds:
        rule = t.get("rule", "")
        fids = criterion_fields(t, ext.reporting_years)
        items = _value_items(ext, cat, fids)
        sym = op_symbol(t.get("op"))
        findings = [f for f in ext.findings if f.rule == rule
                    and (not f.fields or not fids or set(f.fields) & set(fids))]
        all_readable = bool(items) and all(i["readable"] for i in items)
        if any(f.severity == "error" for f in findings):
            status = "not_met"
        elif rule in registered:
            status = "met" if all_readable else "unknown"
        elif sym and isinstance(t.get("value"), (int, float)) and all_readable \
                and all(isinstance(i["raw"], (int, float)) for i in items):
            ok = all(COMPARE[sym](i["raw"], t["value"]) for i in items)
            status = "met" if ok else "not_met"
        else:
            status = "unknown"
        written = str(t.get("op", "")).strip()
        threshold = (f"{sym} " if sym else (f"{written} " if written else "")) + number_text(t.get("value"), t.get("unit"))
        if sym and written and written != sym:
            threshold += f"（{written}）"
        rows.append({
            "rule": rule, "indicator": t.get("indicator") or rule, "values": items,
            "values_text": "；".join(f"{i['label']} {i['value']}" if len(items) > 1 else i["value"] for i in items)
            or "—",
            "threshold": threshold, "clause": t.get("clause") or "", "status": status,
            "status_label": words[status], "findings": [f.message for f in findings],
        })
    return rows
