"""What a dossier's review page lists, in the order ABBYY and Tungsten use.

1. 输入已变更 — corrections whose source file changed since they were made (to re-check);
2. 未能确认的识别结果 — values read below the confidence bar (an undecided or missing tick box,
   an OCR line read unsurely), numbers that do not parse;
3. 核查发现 — rule findings, errors then warnings;
4. 佐证材料 — evidence claims not backed (evidence.missing / evidence.unrelated).

A field is an item once, where it first comes up; a finding whose fields were all listed
before refers to them.  Each item carries what the template needs: label, the value as read,
its source (a crop URL for page+bbox, the table/row/col for DOCX), confidence, the reason and
the edit control's kind and current input.  Pure data, built from an Extraction.
"""
from __future__ import annotations

from typing import Any, Optional

from pipeline.memo.values import display_value, source_text
from pipeline.model import UNREADABLE_BELOW, Catalogue, Extraction, Finding
from pipeline.model.notes import note_text

from .corrections import as_input, kind_of

READ_RULES = ("field.unreadable", "field.bad_number")
EVIDENCE_RULES = ("evidence.missing", "evidence.unrelated")
SECTIONS = (
    ("stale", "输入文件已变更 · 以下更正可能不再适用", "Input changed — these corrections may no longer apply"),
    ("read", "未能确认的识别结果", "Read without confidence"),
    ("findings", "核查发现（先错误，后提示）", "Rule findings: errors, then warnings"),
    ("evidence", "佐证材料未支撑的勾选", "Evidence claims not backed"),
)


def reason_of(fv) -> str:
    return note_text(fv.note)


def doubtful(fv) -> bool:
    """Read below the bar, or a number that does not parse — and not yet looked at by a clerk."""
    if fv.corrections:
        return False
    return fv.confidence < UNREADABLE_BELOW or fv.note == "bad_number"


def item(ext: Extraction, cat: Catalogue, fid: str, dossier_id: str, reason: str = "") -> dict[str, Any]:
    fv = ext.fields.get(fid)
    kind = kind_of(cat, fid)
    src = fv.source if fv is not None else None
    read = (fv.read or {}) if fv is not None and fv.corrections else {}
    read_value = read.get("read_value", fv.value if fv else None)
    read_conf = read.get("read_confidence", fv.confidence if fv else 0.0)
    last = fv.corrections[-1] if fv is not None and fv.corrections else None
    unit = kind.unit or ""
    return {
        "field": fid,
        "label": cat.label_of(fid),
        "type": kind.type, "unit": unit, "options": list(kind.options), "limit": kind.limit,
        "read_text": (read.get("read_raw") if read else (fv.raw if fv is not None else None))
        or display_value(read_value),
        "value_text": display_value(fv.value) if fv is not None else "—",
        "input": as_input(kind, fv.value if fv is not None else None),
        # a single choice read with several ticks is edited as checkboxes, so no tick is lost
        "several": kind.type == "multi" or (kind.type == "choice" and isinstance(fv.value if fv else None, list)),
        "confidence": f"{float(read_conf):.2f}",
        "low": float(read_conf) < UNREADABLE_BELOW,
        "reason": reason or (reason_of(fv) if fv is not None else "未提取到该栏目"),
        "source_text": source_text(src) or "—",
        "crop": bool(src is not None and src.page and src.bbox),
        "docx_cell": src is not None and src.table is not None,
        "last": last,
        "dossier": dossier_id,
    }


def _finding_card(f: Finding, cat: Catalogue) -> dict[str, Any]:
    return {"rule": f.rule, "severity": f.severity, "message": f.message, "question": f.question or "",
            "labels": [cat.label_of(x) for x in f.fields], "fields": list(f.fields), "items": []}


def build(ext: Extraction, cat: Catalogue) -> dict[str, Any]:
    """{sections: [{id, title, title_en, items|cards}], count}: the review page's content."""
    seen: set[str] = set()
    sections: dict[str, dict] = {sid: {"id": sid, "title": t, "title_en": en, "items": [], "cards": []}
                                 for sid, t, en in SECTIONS}

    def add(section: str, fid: str, reason: str = "", card: Optional[dict] = None) -> None:
        if fid in seen:
            return
        seen.add(fid)
        it = item(ext, cat, fid, ext.dossier_id, reason)
        (card["items"] if card is not None else sections[section]["items"]).append(it)

    for s in (ext.meta.get("review") or {}).get("stale", []):
        add("stale", s["field"], f"此前由{s['by']}于{s['at']}{'更正为' if s['action'] == 'corrected' else '确认为'}"
                                 f"“{display_value(s['value'])}”；来源文件 {s['file'] or '申报表'} 已变更")
    read_findings = {fid: f.message for f in ext.findings if f.rule in READ_RULES for fid in f.fields}
    for fid, fv in ext.fields.items():
        if doubtful(fv):
            add("read", fid, read_findings.get(fid, ""))
    for fid, msg in read_findings.items():       # a field the extraction does not hold
        if fid not in ext.fields:
            add("read", fid, msg)
    for sev in ("error", "warning"):
        for f in ext.findings:
            if f.severity != sev or f.rule in READ_RULES:
                continue
            sid = "evidence" if f.rule in EVIDENCE_RULES else "findings"
            card = _finding_card(f, cat)
            for fid in f.fields:
                add(sid, fid, card=card)
            sections[sid]["cards"].append(card)
    out = [s for s in sections.values() if s["items"] or s["cards"]]
    order = [it["field"] for s in out for it in s["items"] + [i for c in s["cards"] for i in c["items"]]]
    return {"sections": out, "order": order, "count": len(order)}


def annex(ext: Extraction, cat: Catalogue) -> list[dict[str, Any]]:
    """Every field of the form (catalogue order, then any others), as review items."""
    ids = [cf.id for cf in cat.expand(ext.reporting_years) if cf.id in ext.fields]
    ids += [fid for fid in ext.fields if fid not in set(ids)]
    return [item(ext, cat, fid, ext.dossier_id) for fid in ids]


def counts(ext: Extraction) -> dict[str, int]:
    """For the queue: items to review, errors, warnings, values reviewed."""
    return {
        "doubtful": sum(doubtful(fv) for fv in ext.fields.values()),
        "error": sum(f.severity == "error" for f in ext.findings),
        "warning": sum(f.severity == "warning" for f in ext.findings),
        "reviewed": sum(bool(fv.corrections) for fv in ext.fields.values()),
        "stale": len((ext.meta.get("review") or {}).get("stale", [])),
    }


def finding_keys(ext: Extraction) -> dict[tuple, Finding]:
    return {(f.rule, tuple(f.fields), f.severity): f for f in ext.findings}


def diff(before: dict[tuple, Finding], after: dict[tuple, Finding]) -> dict[str, list[str]]:
    """Findings that went away and that appeared with a save (messages)."""
    return {"gone": [f.message for k, f in before.items() if k not in after and f.severity != "info"],
            "new": [f.message for k, f in after.items() if k not in before and f.severity != "info"]}
