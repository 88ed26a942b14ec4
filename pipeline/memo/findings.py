"""一致性核查 and 建议核实问题: each finding in plain words, the numbers on both sides, where
each number came from (with the crop of a scanned cell), and the question to put to the applicant.
"""
from __future__ import annotations

import string
from typing import Any

from pipeline.model import Catalogue, Extraction, Finding

from .images import SourceCrops
from .values import display_value, number_text, source_text
from .wording import by_rule, field_label, wording

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _fmt(v: Any) -> str:
    """A finding's figure as the form prints it (2 decimals); lists and text as displayed."""
    return display_value(v)


def _where(src) -> tuple:
    return (src.file, src.page, tuple(src.bbox) if src.bbox else None, src.table, src.row, src.col, src.sheet)


def question_for(f: Finding, labels: list[str]) -> str:
    """The finding's own question, else the wording template of its rule filled from the finding."""
    if f.question:
        return f.question
    templates = wording()["questions"]
    values = {"fields": "、".join(labels) or "相关栏目", "actual": f.actual, "expected": f.expected,
              "tolerance": f.tolerance, "clause": f.clause, "message": f.message,
              "option": f.detail.get("option") if isinstance(f.detail, dict) else None}
    template = by_rule(templates, f.rule)
    needed = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    if any(values.get(n) in (None, "", []) for n in needed):
        template = templates["default"]
        needed = {"message"}
    return template.format(**{k: _fmt(v) if k in ("actual", "expected") else number_text(v) if k == "tolerance"
                              else (v or "")
                              for k, v in values.items() if k in needed})


def finding_rows(ext: Extraction, cat: Catalogue, crops: SourceCrops) -> list[dict]:
    words = wording()
    rows = []
    ordered = sorted(ext.findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 9))
    for n, f in enumerate(ordered, 1):
        labels = [field_label(cat, fid) for fid in f.fields]
        places = []
        seen = set()
        for fid, label in zip(f.fields, labels):
            fv = ext.fields.get(fid)
            src = fv.source if fv else None
            if src is not None:
                seen.add(_where(src))
            missing = "（未填报）" if cat.spec(fid) is not None else "—"
            places.append({"label": label, "value": display_value(fv.value) if fv else missing,
                           "confidence": fv.confidence if fv else None, "source": source_text(src) or "—",
                           "crop": crops.of(src, f"{label}：{source_text(src)}")})
        for src in f.sources:
            if _where(src) in seen:
                continue
            places.append({"label": "核对依据", "value": "", "confidence": None, "source": source_text(src),
                           "crop": crops.of(src, source_text(src))})
        actual_label, expected_label = by_rule(words["finding_sides"], f.rule)
        tol = f" （容差 ±{number_text(f.tolerance)}）" if f.tolerance not in (None, 0, "") else ""
        rows.append({
            "n": n, "rule": f.rule, "severity": f.severity,
            "severity_label": words["severities"].get(f.severity, f.severity),
            "message": f.message, "labels": labels, "clause": f.clause or "",
            "numbers": [{"label": label, "value": value} for label, value, present in (
                (actual_label, _fmt(f.actual), f.actual is not None),
                (expected_label, _fmt(f.expected) + tol, f.expected is not None)) if present],
            "places": places, "question": question_for(f, labels),
        })
    return rows


def questions(rows: list[dict]) -> list[str]:
    """The questions of the finding rows, each once, errors first."""
    seen, out = set(), []
    for r in rows:
        q = r["question"]
        if q and q not in seen:
            seen.add(q)
            out.append(q)
    return out
