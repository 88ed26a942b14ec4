"""佐证材料核对: every option the form marks (证) — ticked or not, and which file backs it.

Links come from ``extraction.evidence`` (the evidence linker): a link attests a claim as
``"<field id>:<option label>"`` (or the bare field id for a choice group).  A ticked claim with
no link is ``missing`` when the validators report ``evidence.missing`` as an error for it, else
``unlinked`` (no readable file was matched to it, but the check was not certain it is absent: a
file could not be read, or some evidence text names part of it — the expert looks).
"""
from __future__ import annotations

from typing import Optional

from pipeline.model import Catalogue, Extraction
from pipeline.model.location import where
from pipeline.model.text import norm

from .wording import wording


def _ticked(value, label: str) -> Optional[bool]:
    if value is None:
        return False
    if isinstance(value, list):
        return any(norm(str(v)) == norm(label) for v in value)
    return norm(str(value)) == norm(label)


def _attests(attest: str, fid: str, label: str, is_choice: bool) -> bool:
    a_fid, _, a_opt = attest.partition(":")
    if a_fid != fid:
        return False
    return norm(a_opt) == norm(label) if a_opt else is_choice


def _missing(ext: Extraction, fid: str, label: str) -> bool:
    for f in ext.findings:
        if f.rule != "evidence.missing" or f.severity != "error" or fid not in f.fields:
            continue
        option = f.detail.get("option") or f.detail.get("claim", "").partition(":")[2]
        if not option or norm(option) == norm(label) or norm(label) in norm(f.message):
            return True
    return False


def _basis(ext: Extraction, fid: str, label: str, is_choice: bool) -> str:
    """The sentence the linker found for the claim, with its file and location."""
    for e in ext.evidence:
        for c in (e.detail or {}).get("claims", []):
            if _attests(c.get("claim", ""), fid, label, is_choice):
                loc = where(c.get("source"))
                return f"《{e.file}》{loc}：“{c.get('sentence', '')}”"
    return ""


def evidence_file_rows(ext: Extraction, cat: Catalogue) -> list[dict]:
    """Each evidence file with what it attests in words (option labels, field labels with the figure)."""
    rows = []
    for e in ext.evidence:
        items = []
        for a in e.attests:
            fid, _, opt = a.partition(":")
            if opt:
                items.append(f"{cat.base(fid).label}：{opt}" if cat.base(fid).type == "choice" else opt)
            else:
                v = e.values.get(fid)
                items.append(f"{cat.label_of(fid)}" + (f" {v:g}" if isinstance(v, (int, float)) else ""))
        rows.append({"file": e.file, "attests": "；".join(items) or "—", "confidence": f"{e.confidence:.2f}"})
    return rows


def claim_rows(ext: Extraction, cat: Catalogue) -> list[dict]:
    words = wording()["claim_status"]
    rows = []
    if not ext.fields:                   # no form was read: nothing to hold evidence against
        return rows
    for fid, label in cat.evidence_claims():
        spec = cat.base(fid)
        fv = ext.fields.get(fid)
        if fv is None:
            ticked, status = None, "unknown"
            files: list[str] = []
        else:
            ticked = _ticked(fv.value, label)
            files = sorted({e.file for e in ext.evidence
                            if any(_attests(a, fid, label, spec.type == "choice") for a in e.attests)})
            if not ticked:
                status = "not_ticked"
            elif files:
                status = "linked"
            elif _missing(ext, fid, label):
                status = "missing"
            else:
                status = "unlinked"
        basis = _basis(ext, fid, label, spec.type == "choice") if files else ""
        rows.append({"field": fid, "group": spec.label, "option": label, "ticked": ticked, "basis": basis,
                     "ticked_label": {True: "已勾选", False: "未勾选", None: "未识别"}[ticked],
                     "files": files, "status": status, "status_label": words[status]})
    return rows
