"""A clerk's correction of one field: parsed by the field's type, kept beside the machine's
reading, recorded in the store, and re-applied after a rerun of the same inputs.

* :func:`parse_input` turns what a form posted (one or several ``value`` entries) into a value of
  the field's catalogue type, or says in Chinese why it cannot.
* :func:`apply` puts a value on an :class:`Extraction`: ``value`` becomes the clerk's, the
  machine's reading stays in ``read_value`` / ``read_confidence`` / ``read_raw`` / ``read_note``,
  and ``corrections`` lists who did what when.  Confidence becomes 1.0: a value a person has
  checked is no longer doubtful.
* :func:`reapply` (called by the batch after extraction) applies each field's latest stored
  correction when the file the value was read from is unchanged, and lists the others as
  ``stale`` in ``meta.review`` so the workbench shows the clerk they may no longer apply.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from pipeline.model import Catalogue, Extraction, FieldValue
from pipeline.model.numbers import parse_number

from . import store

CORRECTED, CONFIRMED = "corrected", "confirmed"
BOOL_LABELS = {"有": True, "是": True, "无": False, "否": False}


class BadInput(ValueError):
    """What the clerk typed cannot be a value of the field (message in Chinese)."""


@dataclass
class FieldKind:
    """How a field is edited: its catalogue type, unit and options."""
    type: str
    unit: Optional[str] = None
    options: tuple[str, ...] = ()
    limit: Optional[int] = None


def kind_of(cat: Catalogue, fid: str) -> FieldKind:
    cf = cat.spec(fid)
    if cf is None:
        return FieldKind("text")
    opts = tuple(o.label for o in cf.spec.options)
    if cf.type == "bool":
        opts = ("有", "无")
    return FieldKind(cf.type, cf.unit, opts, cf.spec.limit)


def _number(text: str, kind: FieldKind) -> tuple[Any, str]:
    text = text.strip()
    if not text:
        return None, ""
    p = parse_number(text)
    if p is None:
        raise BadInput(f"“{text}”不是一个数字")
    if kind.type == "int":
        if not p.is_integer:
            raise BadInput(f"“{text}”不是整数")
        return int(p.value), text
    return float(p.value), text


def _list_rows(text: str) -> list[dict]:
    """Plan targets, one per line: 方向 | 指标 | 基准值 | 目标值."""
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        cells = [c.strip() for c in line.replace("｜", "|").split("|")]
        if len(cells) != 4:
            raise BadInput(f"“{line.strip()}”应为 方向 | 指标 | 基准值 | 目标值 四栏")
        row: dict[str, Any] = dict(zip(("direction", "indicator", "baseline", "target"), cells))
        for k in ("baseline", "target"):
            p = parse_number(row[k])
            row[k] = float(p.value) if p is not None and row[k] else (row[k] or None)
        rows.append(row)
    return rows


def parse_input(kind: FieldKind, values: Sequence[str]) -> tuple[Any, Optional[str]]:
    """(value, raw text) of what a form posted for a field of ``kind``."""
    values = [v for v in values if v is not None]
    if kind.type in ("number", "int"):
        return _number(values[0] if values else "", kind)
    if kind.type in ("choice", "multi"):
        bad = [v for v in values if v not in kind.options]
        if bad:
            raise BadInput(f"“{bad[0]}”不是该栏目的选项")
        chosen = [o for o in kind.options if o in values]
        if kind.type == "multi":
            return chosen, None
        return (chosen[0] if len(chosen) == 1 else (chosen or None)), None
    if kind.type == "bool":
        if not values or values[0] == "":
            return None, None
        if values[0] not in BOOL_LABELS:
            raise BadInput(f"“{values[0]}”应为“有”或“无”")
        return BOOL_LABELS[values[0]], None
    if kind.type == "list":
        return _list_rows(values[0] if values else ""), None
    text = (values[0] if values else "").replace("\r\n", "\n").strip()
    return (text or None), (text or None)


def as_input(kind: FieldKind, value: Any) -> Any:
    """A value as the edit control shows it: text, a list of ticked labels, or list rows."""
    if value is None:
        return [] if kind.type in ("choice", "multi") else ""
    if kind.type in ("choice", "multi"):
        return list(value) if isinstance(value, list) else [value]
    if kind.type == "bool":
        return "有" if value else "无"
    if kind.type == "list" and isinstance(value, list):
        return "\n".join(" | ".join("" if r.get(k) is None else _plain(r.get(k))
                                    for k in ("direction", "indicator", "baseline", "target")) for r in value)
    if kind.type in ("number", "int"):
        return _plain(value)
    return str(value)


def _plain(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)


def source_of(ext: Extraction, fid: str) -> tuple[Optional[str], Optional[str]]:
    """(file, sha256) the field was read from: its own source, else the form."""
    fv = ext.fields.get(fid)
    name = fv.source.file if fv is not None and fv.source is not None else ext.meta.get("form_file")
    sha = next((s.sha256 for s in ext.sources if s.file == name), None)
    return name, sha


def apply(ext: Extraction, fid: str, value: Any, raw: Optional[str], *, action: str, by: str, at: float,
          reason: Optional[str] = None) -> FieldValue:
    """Put a clerk's value (or confirmation) on a field, keeping the machine's reading."""
    fv = ext.fields.get(fid)
    if fv is None:
        fv = ext.fields[fid] = FieldValue(value=None, confidence=0.0, note="label_not_found")
    if not fv.corrections:                     # the first review: keep what the machine read
        fv.read = {"read_value": fv.value, "read_confidence": round(float(fv.confidence), 4),
                   "read_raw": fv.raw, "read_note": fv.note}
    if action == CORRECTED:
        fv.value, fv.raw, fv.note = value, raw, None
    fv.confidence = 1.0
    fv.corrections.append({"by": by, "at": store.iso(at), "action": action, "value": fv.value,
                           "reason": reason or None})
    return fv


def record(engine, ext: Extraction, fid: str, value: Any, raw: Optional[str], *, action: str, by: str,
           reason: Optional[str] = None) -> FieldValue:
    """Apply a correction to ``ext`` and append it to the store (one row, never changed)."""
    at = store.now()
    before = ext.fields.get(fid)
    old = before.value if before is not None else None
    read = (before.read or {}).get("read_value", old) if before is not None and before.corrections else old
    file, sha = source_of(ext, fid)
    fv = apply(ext, fid, value, raw, action=action, by=by, at=at, reason=reason)
    store.add_correction(engine, {
        "dossier": ext.dossier_id, "field": fid, "action": action, "old_value": _json(old),
        "new_value": _json(fv.value), "read_value": _json(read), "reviewer": by, "at": at,
        "reason": reason or None, "source_file": file, "source_sha256": sha})
    _forget_stale(ext, fid)
    return fv


def _json(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


def _forget_stale(ext: Extraction, fid: str) -> None:
    review = ext.meta.get("review")
    if review and review.get("stale"):
        review["stale"] = [s for s in review["stale"] if s["field"] != fid]


def reapply(ext: Extraction, out_root: Path, engine=None) -> bool:
    """Re-apply the stored corrections of this dossier after it was extracted again.

    A field's latest correction is applied when the file its value came from has the same
    sha256 as when it was corrected; otherwise it is listed in ``meta.review.stale`` (value,
    who, when, file) and not applied.  Returns True when any value changed (the caller
    re-runs the checks).  Without a store, or with no corrections, nothing happens."""
    own = engine is None
    engine = engine or store.engine_for(out_root)
    try:
        if not store.has_tables(engine):
            return False
        rows = store.corrections_of(engine, ext.dossier_id)
    finally:
        if own:
            engine.dispose()
    if not rows:
        return False
    applied, stale = False, []  # type: bool, list[dict]
    for r in rows:
        file, sha = source_of(ext, r["field"])
        if sha is None or sha != r["source_sha256"]:
            stale = [s for s in stale if s["field"] != r["field"]]
            stale.append({"field": r["field"], "value": json.loads(r["new_value"]), "by": r["reviewer"],
                          "at": store.iso(r["at"]), "file": r["source_file"], "action": r["action"]})
            continue
        stale = [s for s in stale if s["field"] != r["field"]]
        fv = apply(ext, r["field"], json.loads(r["new_value"]), _raw(r), action=r["action"], by=r["reviewer"],
                   at=r["at"], reason=r["reason"])
        fv.corrections[-1]["at"] = store.iso(r["at"])
        applied = True
    if stale:
        ext.meta.setdefault("review", {})["stale"] = stale
    return applied


def _raw(row: dict) -> Optional[str]:
    v = json.loads(row["new_value"])
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return _plain(v)
    return v if isinstance(v, str) else None
