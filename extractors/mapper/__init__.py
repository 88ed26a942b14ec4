"""The form mapper: Document → {field id: FieldValue}, driven by the catalogue.

``form_score(doc)`` tells the 申报表 from evidence by content; ``map_form(doc)`` finds the
reporting years from the yearly tables' headers, expands the catalogue for them and runs
each entry's layout strategy (``layouts.py``).  It never asks which reader filled the
document: DOCX, PDF text layers and OCR'd scans all arrive as the same model.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Optional

from pipeline.model import Catalogue, Document, FieldValue, load_catalogue
from pipeline.model.document import TICK_MARK, UNKNOWN_MARK, UNTICK_MARK
from pipeline.model.text import norm

from .index import DocIndex
from .layouts import LAYOUTS, Ctx, find_year_columns

__all__ = ["MappedForm", "form_score", "is_form", "map_form"]


@dataclass
class MappedForm:
    fields: dict[str, FieldValue]
    reporting_years: list[int]
    header_text: str
    application_year: Optional[int] = None
    application_date: Optional[str] = None
    warnings: list[str] = field(default_factory=list)


def form_score(doc: Document, catalogue: Optional[Catalogue] = None) -> tuple[int, int]:
    """(markers found, markers needed) for the 申报表's section headings and key rows."""
    cat = catalogue or load_catalogue()
    text = norm(doc.text())
    markers = cat.detect.get("markers", [])
    hits = sum(1 for m in markers if norm(m) in text)
    return hits, int(cat.detect.get("min_hits", 6))


def is_form(doc: Document, catalogue: Optional[Catalogue] = None) -> bool:
    hits, need = form_score(doc, catalogue)
    return hits >= need


def _reporting_years(ctx: Ctx, cat: Catalogue) -> list[int]:
    for sid in cat.data.get("years_from", []):
        try:
            spec = cat.base(sid)
        except KeyError:
            continue
        hit = ctx.ix.find_label(spec.labels, ctx.ix.in_section(spec.section) or ctx.ix.units)
        if hit is not None and hit.unit.is_cell:
            cols = find_year_columns(ctx, hit.unit)
            if len(cols) >= 2:
                return sorted(cols)
    # any run of consecutive years in one table row
    for u in ctx.ix.units:
        if u.is_cell and ctx.year_of(u.text):
            row = [ctx.year_of(c.text) for c in u.table.row_cells(u.cell.row)]
            ys = sorted({y for y in row if y})
            if len(ys) >= 3 and ys[-1] - ys[0] == len(ys) - 1:
                return ys
    return []


_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")


def _application_date(fields: dict[str, FieldValue], cat: Catalogue) -> tuple[Optional[int], Optional[str]]:
    """(year, ISO date or month) of the form's application date field (catalogue ``application_date``)."""
    fv = fields.get(cat.data.get("application_date", ""))
    m = _DATE.search(fv.value) if fv is not None and isinstance(fv.value, str) else None
    if not m:
        return None, None
    y, mo, d = int(m.group(1)), int(m.group(2)), m.group(3)
    return y, (f"{y:04d}-{mo:02d}-{int(d):02d}" if d else f"{y:04d}-{mo:02d}")


def _structure_warnings(ix: DocIndex, cat: Catalogue, years: list[int], fields: dict[str, FieldValue]) -> list[str]:
    """What the mapper could not find of the form's structure where the form has it: a section
    whose fields were read though its heading was not found (they were looked for in the whole
    form), no reporting years, a plan section without its target table.  A section the form
    lacks altogether is not named here: its fields are missing and the checks say so."""
    out = []
    found = {u.section for u in ix.units if u.heading}
    read = {cat.spec(fid).spec.section for fid, fv in fields.items()
            if fv.value not in (None, "", []) and cat.spec(fid) is not None}
    for sec in cat.sections:
        if sec.get("headings") and sec["id"] in read and sec["id"] not in found:
            out.append(f"未找到章节标题“{sec['headings'][0]}”，该部分栏目在全表中查找 — "
                       f"section heading not found ({sec['id']}): its fields were looked for in the whole form")
    if not years:
        out.append("未找到年度表头，无法确定填报年度 — the reporting years were not found in any yearly table")
    for spec in cat.specs:
        if spec.layout == "plan_targets" and spec.section in found and spec.id not in fields:
            header = "/".join(words[0] for words in spec.get("columns", {}).values())
            out.append(f"未找到“{spec.label}”目标值表（表头：{header}）— "
                       f"the target table was not found ({spec.id})")
    return out


NOT_FOUND = ("label_not_found", "options_not_found")


MISREAD_CONFIDENCE = 0.6   # below the bar (UNREADABLE_BELOW, 0.75): a clerk confirms it


_BOX_IN_TEXT = re.compile("[\u3400-\u9fff][" + TICK_MARK + UNTICK_MARK + UNKNOWN_MARK + "][\u3400-\u9fff]")


def _misread_doubted(fv: FieldValue, doc: Document, narrative: bool = False) -> FieldValue:
    """A value on a scanned page the reading itself shows to be doubtful is doubted (a
    ``field.unreadable`` warning for a clerk to confirm against the paper), never reported as
    the filler's mistake nor trusted: a number cell whose text is not a number (a digit
    misread), and a short text with a tick box read between two Chinese characters (a
    character such as 口, 品 or 等 taken for a box: the value lost it).  A narrative (a field
    with a length ``limit``) that lost one character is still read: a clerk reading it sees
    the gap, and doubting every such narrative would send one in twenty to be confirmed."""
    page = fv.source.page if fv.source is not None else None
    if not any(p.number == page and p.kind == "scan" for p in doc.pages):
        return fv
    if fv.note == "bad_number" or (not narrative and isinstance(fv.raw, str) and _BOX_IN_TEXT.search(fv.raw)):
        return replace(fv, confidence=min(fv.confidence, MISREAD_CONFIDENCE))
    return fv


def map_form(doc: Document, catalogue: Optional[Catalogue] = None) -> MappedForm:
    """The form's fields by id, its reporting years, cover text and date, and what of its
    structure was not found (``warnings``)."""
    cat = catalogue or load_catalogue()
    ix = DocIndex(doc, cat)
    ctx = Ctx(ix, cat, [])
    years = _reporting_years(ctx, cat)
    ctx.years = years
    scan = any(p.kind == "scan" for p in doc.pages)
    # pages the reading budget left unread may hold any field not found: none is taken for empty
    unread = any(p.kind == "unread" for p in doc.pages)
    fields: dict[str, FieldValue] = {}
    for cf in cat.expand(years):
        strategy = LAYOUTS.get(cf.spec.layout)
        if strategy is None:
            raise ValueError(f"catalogue field {cf.spec.id}: unknown layout {cf.spec.layout!r}")
        got = strategy(ctx, cf.spec, cf)
        if cf.id in got and not (unread and got[cf.id].note in NOT_FOUND):
            fields[cf.id] = _misread_doubted(got[cf.id], doc, cf.spec.limit is not None)
        elif unread and cf.spec.layout not in ("mark",):
            fields[cf.id] = FieldValue(None, None, 0.0, None, note="pages_not_read")
        elif scan and ctx.hits.get(cf.spec.id) is None and cf.spec.layout not in ("mark",):
            # on a scan a missing label is more likely an OCR miss than a form without the row
            fields[cf.id] = FieldValue(None, None, 0.0, None, note="label_not_found")
    header = "\n".join(u.text for u in ix.units if u.section == "cover")[:2000]
    app_year, app_date = _application_date(fields, cat)
    warnings = _structure_warnings(ix, cat, years, fields)
    return MappedForm(fields, years, header, app_year, app_date, warnings)
