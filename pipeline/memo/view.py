"""The memo's view model: everything an expert reads, prepared once, laid out by every format.

``build_view`` turns an :class:`Extraction` (plus the dossier's files, for crops of scanned
cells) into plain data: strings, numbers, lists, dicts and :class:`~.images.Image` objects.
The templates in ``report_templates/`` only lay it out; they compute nothing.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Mapping, Optional

from pipeline.model import UNREADABLE_BELOW, Catalogue, Extraction, load_catalogue
from pipeline.model.notes import note_text
from pipeline.model.profiles import Profile, load_profile

from . import charts as charts_mod
from .claims import claim_rows, evidence_file_rows
from .criteria import criterion_rows
from .findings import finding_rows, questions
from .fonts import CJKFont
from .images import SourceCrops
from .narrative import narrative_rows
from .reviewed import review_summary
from .values import display_value, source_text
from .wording import field_label, wording


def memo_date() -> str:
    """Today, or the date of ``SOURCE_DATE_EPOCH`` when set (reproducible output)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch and epoch.isdigit() \
        else dt.date.today()
    return f"{day.year}年{day.month}月{day.day}日"


def _first(ext: Extraction, *fids: str) -> str:
    for fid in fids:
        v = ext.value(fid)
        if v not in (None, ""):
            return str(v)
    return ""


def _region(ext: Extraction) -> str:
    city, county = ext.value("cover.city"), ext.value("cover.county")
    return " · ".join(x for x in (f"{city}（市/州）" if city else "", f"{county}（县/市/区）" if county else "") if x)


def header(ext: Extraction, profile: Profile) -> dict:
    words = wording()
    counts = {s: sum(f.severity == s for f in ext.findings) for s in ("error", "warning", "info")}
    years = ext.reporting_years
    return {
        "cluster_name": _first(ext, "cover.cluster_name", "basic.cluster_name") or ext.dossier_id,
        "region": _region(ext) or "—",
        "applicant": _first(ext, "cover.applicant", "basic.applicant") or "—",
        "operator": _first(ext, "cover.operator", "basic.operator") or "—",
        "profile_id": ext.profile, "profile_name": profile.name, "profile_document": profile.document,
        "application_date": _first(ext, "cover.date") or "—", "memo_date": memo_date(),
        "verdict": ext.verdict, "verdict_label": words["verdicts"].get(ext.verdict, ext.verdict),
        "dossier_id": ext.dossier_id, "form_file": ext.meta.get("form_file") or "（未找到申报表）",
        "years": f"{years[0]}–{years[-1]}年" if years else "—", "counts": counts,
    }


def annex(ext: Extraction, cat: Catalogue) -> list[dict]:
    """Every extracted field, by form section in catalogue order, with confidence and source
    (the form's own file name is left out of its cells' locations: the annex names it once)."""
    titles = wording()["form_sections"]
    form_file = ext.meta.get("form_file")
    by_section: dict[str, list] = {}
    listed = set()
    for cf in cat.expand(ext.reporting_years):
        fv = ext.fields.get(cf.id)
        if fv is None:
            continue
        listed.add(cf.id)
        by_section.setdefault(cf.spec.section, []).append(_annex_row(cf.id, field_label(cat, cf.id), fv, form_file))
    extra = [fid for fid in ext.fields if fid not in listed]     # ids of other years or editions
    for fid in extra:
        by_section.setdefault(fid.split(".")[0], []).append(_annex_row(fid, field_label(cat, fid), ext.fields[fid], form_file))
    order = list(titles) + [s for s in by_section if s not in titles]
    return [{"id": s, "title": titles.get(s, s), "rows": by_section[s]} for s in order if s in by_section]


def _annex_row(fid: str, label: str, fv, form_file: Optional[str]) -> dict:
    src = fv.source.to_dict() if fv.source else None
    if src and src.get("file") == form_file:
        src = {k: v for k, v in src.items() if k != "file"}
    return {"id": fid, "label": label, "value": display_value(fv.value), "confidence": f"{fv.confidence:.2f}",
            "low": fv.confidence < UNREADABLE_BELOW or fv.value is None,
            "source": source_text(src) or ("申报表" if src is not None else "—"), "note": note_text(fv.note),
            "reviewed": bool(fv.corrections)}


def build_view(ext: Extraction, files: Optional[Mapping[str, Path]] = None, *, font: Optional[CJKFont] = None,
               cat: Optional[Catalogue] = None, profile: Optional[Profile] = None) -> dict:
    cat = cat or load_catalogue()
    profile = profile or load_profile(ext.profile)
    crops = SourceCrops(files)
    findings = finding_rows(ext, cat, crops)
    claims = claim_rows(ext, cat)
    return {
        "header": header(ext, profile),
        "problems": [{"file": p.get("file") or "（整份材料）", "kind": p.get("kind", ""), "message": p.get("message", "")}
                     for p in ext.problems],
        "criteria": criterion_rows(ext, profile, cat),
        "findings": findings,
        "claims": claims,
        "claim_counts": {"ticked": sum(c["ticked"] is True for c in claims),
                         **{k: sum(c["status"] == k for c in claims) for k in ("linked", "unlinked", "missing")}},
        "evidence_files": evidence_file_rows(ext, cat),
        "charts": charts_mod.charts(ext, profile, font),
        "charts_note": "" if font else "未找到中文字体，图表未生成。",
        "indicators": charts_mod.indicator_table(ext),
        "narratives": narrative_rows(ext, cat),
        "questions": questions(findings),
        "annex": annex(ext, cat),
        "sources": [{"file": s.file, "role": {"form": "申报表", "evidence": "佐证材料", "unreadable": "无法读取"}
                     .get(s.role, s.role), "format": s.format, "pages": s.pages or "—", "sha256": s.sha256[:16],
                     "problem": s.problem or ""} for s in ext.sources],
        "font_family": font.family if font else "",
        "has_crops": files is not None,
        "form_read": bool(ext.fields),
        "form_file": ext.meta.get("form_file") or "",
        "review": review_summary(ext, cat),          # values a clerk confirmed or corrected (workbench)
    }
