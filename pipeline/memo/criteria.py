"""认定标准对照表: the validators' result of each criteria threshold, laid out as rows.

The validators judge every threshold of the dossier's profile once (``validators/criteria.py``)
and keep one record per threshold on ``Extraction.criteria``: the fields read and their values
as the form shows them, a figure computed from them (an average growth, a mean), the sums of an
any-of criterion, the bar as worded, clause and note, a status (``met`` / ``not_met`` /
``cannot_tell``) and why.  This module only turns those records into the text of the table —
labels, years, the figure with its reading — and decides nothing: no comparison, no growth, no
status of its own.  An extraction whose checks were never run has no records and no rows
(``python -m pipeline check`` re-runs them).
"""
from __future__ import annotations

from pipeline.model import Catalogue, Extraction
from pipeline.model.profiles import Profile

from .values import number_text
from .wording import field_label, wording

# The record's status → the memo's status key (wording.yaml criterion_status, CSS class, fill).
STATUS = {"met": "met", "not_met": "not_met", "cannot_tell": "unknown"}
YEARS_TEXT = {"each": "各年", "latest": "最近一年", "average": "年均"}


def _label(cat: Catalogue, fid: str, named: bool = False) -> str:
    """A value's label: its short name in a sum of counts, its year in a yearly series."""
    cf = cat.spec(fid)
    shorts = wording().get("short_labels", {})
    if named and cf is not None and cf.spec.id in shorts:
        return shorts[cf.spec.id]
    if cf is not None and cf.year and cf.spec.yearly:
        return f"{cf.year}年"
    return field_label(cat, fid)


def _shown(v: dict) -> str:
    return v.get("value") or "—"


def _alternatives_text(r: dict, cat: Catalogue) -> tuple[str, str]:
    values = {v["id"]: v for v in r["values"]}
    shown, bars, years = [], [], set()
    for alt in r["alternatives"]:
        parts = " ＋ ".join(f"{_label(cat, f, named=True)} {_shown(values.get(f, {}))}" for f in alt["fields"])
        if alt.get("total") is not None and len(alt["fields"]) > 1:
            parts += f" ＝ {number_text(alt['total'])}"
        shown.append(parts)
        bars.append("＋".join(_label(cat, f, named=True) for f in alt["fields"]) + " " + (alt.get("bar") or ""))
        years |= {cf.year for f in alt["fields"] if (cf := cat.spec(f)) is not None and cf.year}
    when = f"{'、'.join(map(str, sorted(years)))}年：" if years else ""
    return when + "；".join(shown), " 或 ".join(bars)


def _values_text(r: dict, cat: Catalogue) -> str:
    items = r["values"]
    if len(items) > 1:
        text = "；".join(f"{_label(cat, v['id'])} {_shown(v)}" for v in items)
    else:
        text = _shown(items[0]) if items else "—"
    fig = r.get("figure")
    if fig:
        text += f"；按{fig.get('how', '')}计算，{fig.get('what', '')} {fig['value']:.2f}{fig.get('unit', '')}"
    return text


def _threshold_text(r: dict) -> str:
    bar = r.get("bar") or "—"
    if r.get("trend") or r.get("fails_on") is not None:
        return bar
    scope = "年均" if r.get("figure") else YEARS_TEXT.get(r.get("years") or "", "各年") if len(r["fields"]) > 1 else ""
    return "".join(x for x in (r.get("qualifier"), scope) if x) + bar


def _indicator(r: dict, cat: Catalogue) -> str:
    names = wording().get("criteria_indicators", {})
    first = field_label(cat, r["fields"][0]) if r["fields"] else ""
    if r.get("indicator"):
        return r["indicator"]
    if r.get("fails_on") is not None and first:
        return first
    return names.get(r["rule"]) or first or r["rule"]


def criterion_rows(ext: Extraction, profile: Profile, cat: Catalogue) -> list[dict]:
    """One row per result record, in the profile's order of thresholds."""
    words = wording()
    rows = []
    for r in ext.criteria:
        status = STATUS[r["status"]]
        if r.get("alternatives"):
            values_text, threshold = _alternatives_text(r, cat)
        else:
            values_text, threshold = _values_text(r, cat), _threshold_text(r)
        rows.append({
            "rule": r["rule"], "indicator": _indicator(r, cat), "values": r["values"], "values_text": values_text,
            "threshold": threshold, "clause": r.get("clause") or "", "status": status,
            "status_label": words["criterion_status"][status], "why": r.get("why") or "", "note": r.get("note") or "",
        })
    return rows
