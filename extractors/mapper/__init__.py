"""The form mapper: Document → {field id: FieldValue}, driven by the catalogue.

``form_score(doc)`` tells the 申报表 from evidence by content; ``map_form(doc)`` finds the
reporting years from the yearly tables' headers, expands the catalogue for them and runs
each entry's layout strategy (``layouts.py``).  It never asks which reader filled the
document: DOCX, PDF text layers and OCR'd scans all arrive as the same model.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from pipeline.model import Catalogue, Document, FieldValue, load_catalogue
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
    for sid in ("industry.total_output", "innovation.rd_intensity", "digital.software_spend"):
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


def map_form(doc: Document, catalogue: Optional[Catalogue] = None) -> MappedForm:
    cat = catalogue or load_catalogue()
    ix = DocIndex(doc, cat)
    ctx = Ctx(ix, cat, [])
    years = _reporting_years(ctx, cat)
    ctx.years = years
    scan = any(p.kind == "scan" for p in doc.pages)
    fields: dict[str, FieldValue] = {}
    warnings: list[str] = []
    for cf in cat.expand(years):
        strategy = LAYOUTS.get(cf.spec.layout)
        if strategy is None:
            raise ValueError(f"catalogue field {cf.spec.id}: unknown layout {cf.spec.layout!r}")
        got = strategy(ctx, cf.spec, cf)
        if cf.id in got:
            fields[cf.id] = got[cf.id]
        elif scan and ctx.hits.get(cf.spec.id) is None and cf.spec.layout not in ("mark",):
            # on a scan a missing label is more likely an OCR miss than a form without the row
            fields[cf.id] = FieldValue(None, None, 0.0, None, note="label_not_found")
    header = "\n".join(u.text for u in ix.units if u.section == "cover")[:2000]
    app_year, app_date = None, None
    cd = fields.get("cover.date")
    if cd is not None and cd.value:
        m = _DATE.search(cd.value)
        if m:
            app_year = int(m.group(1))
            if m.group(3):
                app_date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            else:
                app_date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    return MappedForm(fields, years, header, app_year, app_date, warnings)
