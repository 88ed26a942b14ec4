"""Low-level WordprocessingML helpers: fonts, table rows with merges, tick boxes, zip fixing.

python-docx has no API for merged-cell construction by spec, content-control checkboxes,
legacy form fields or ``w:sym`` runs, so these are written as raw OOXML here.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table, _Cell

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


# ----------------------------------------------------------------------------- fonts
@dataclass(frozen=True)
class Fonts:
    body: str = "宋体"            # east-asian body font
    heading: str = "黑体"         # section headings
    title: str = "方正小标宋简体"  # cover title
    latin: str = "宋体"           # ascii/hAnsi font (Times New Roman in the 'digits' variant)
    size: float = 12.0           # body size in pt (小四)
    cell_size: float = 10.5      # table text (五号)


def set_rfonts(rpr, east: str, latin: str | None = None) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    latin = latin or east
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east)
    rfonts.set(qn("w:hint"), "eastAsia")


def style_run(run, fonts: Fonts, *, east: str | None = None, size: float | None = None,
              bold: bool = False, underline: bool = False, color: str | None = None) -> None:
    rpr = run._r.get_or_add_rPr()
    set_rfonts(rpr, east or fonts.body, fonts.latin if (east is None or east == fonts.body) else east)
    if size:
        run.font.size = Pt(size)
    if bold:
        run.bold = True
    if underline:
        run.underline = True
    if color:
        run.font.color.rgb = RGBColor.from_string(color)


def add_text(paragraph, text: str, fonts: Fonts, **kw):
    """Append text to a paragraph; '\n' inside becomes a soft line break (w:br)."""
    parts = text.split("\n")
    run = None
    for i, part in enumerate(parts):
        run = paragraph.add_run(part)
        style_run(run, fonts, **kw)
        if i < len(parts) - 1:
            run.add_break(WD_BREAK.LINE)
    return run


def para_format(paragraph, *, align=None, first_indent: float | None = None,
                before: float = 0, after: float = 0, line: float | None = None,
                keep_next: bool = False):
    pf = paragraph.paragraph_format
    if align is not None:
        pf.alignment = align
    if first_indent is not None:
        pf.first_line_indent = Pt(first_indent)
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line:
        pf.line_spacing = line
    if keep_next:
        pf.keep_with_next = True


# ----------------------------------------------------------------------------- tables
def new_table(container, widths_twips: list[int], *, style: str = "Table Grid", indent: int = 0) -> Table:
    """An empty fixed-layout table with the given grid (column widths in twips)."""
    table = container.add_table(rows=0, cols=len(widths_twips))
    try:
        table.style = style
    except Exception:  # nested tables in a cell have no access to doc styles in old versions
        pass
    tbl = table._tbl
    tblPr = tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout", "w:tblInd", "w:jc"):
        old = tblPr.find(qn(tag))
        if old is not None:
            tblPr.remove(old)
    tblW = OxmlElement("w:tblW")
    tblW.set(qn("w:w"), str(sum(widths_twips)))
    tblW.set(qn("w:type"), "dxa")
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "center")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    # schema order in tblPr: tblStyle, ..., tblW, jc, ..., tblInd, tblBorders, ..., tblLayout, ...
    style_el = tblPr.find(qn("w:tblStyle"))
    pos = list(tblPr).index(style_el) + 1 if style_el is not None else 0
    tblPr.insert(pos, tblW)
    tblPr.insert(pos + 1, jc)
    borders = tblPr.find(qn("w:tblBorders"))
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            b = OxmlElement(f"w:{side}")
            b.set(qn("w:val"), "single")
            b.set(qn("w:sz"), "4")
            b.set(qn("w:space"), "0")
            b.set(qn("w:color"), "000000")
            borders.append(b)
        tblPr.insert(pos + 2, borders)
    tblPr.insert(list(tblPr).index(borders) + 1, layout)
    look = tblPr.find(qn("w:tblLook"))
    if look is not None:
        tblPr.remove(look)
    grid = tbl.tblGrid
    for gc, w in zip(grid.findall(qn("w:gridCol")), widths_twips):
        gc.set(qn("w:w"), str(w))
    table._widths = list(widths_twips)  # remembered for cell widths
    return table


@dataclass
class C:
    """One cell of a row spec: span grid columns; vmerge 'restart' | 'continue' | None."""
    span: int = 1
    vmerge: str | None = None
    valign: str = "center"
    shade: str | None = None


def add_row(table: Table, specs: list[C], *, height_twips: int | None = None,
            cant_split: bool = False) -> list[_Cell]:
    widths = table._widths
    tr = OxmlElement("w:tr")
    if height_twips or cant_split:
        trPr = OxmlElement("w:trPr")
        if cant_split:
            trPr.append(OxmlElement("w:cantSplit"))
        if height_twips:
            h = OxmlElement("w:trHeight")
            h.set(qn("w:val"), str(height_twips))
            h.set(qn("w:hRule"), "atLeast")
            trPr.append(h)
        tr.append(trPr)
    table._tbl.append(tr)
    col = 0
    cells = []
    for spec in specs:
        tc = OxmlElement("w:tc")
        tcPr = OxmlElement("w:tcPr")
        tcW = OxmlElement("w:tcW")
        tcW.set(qn("w:w"), str(sum(widths[col:col + spec.span])))
        tcW.set(qn("w:type"), "dxa")
        tcPr.append(tcW)
        if spec.span > 1:
            gs = OxmlElement("w:gridSpan")
            gs.set(qn("w:val"), str(spec.span))
            tcPr.append(gs)
        if spec.vmerge:
            vm = OxmlElement("w:vMerge")
            if spec.vmerge == "restart":
                vm.set(qn("w:val"), "restart")
            tcPr.append(vm)
        if spec.shade:
            shd = OxmlElement("w:shd")
            shd.set(qn("w:val"), "clear")
            shd.set(qn("w:color"), "auto")
            shd.set(qn("w:fill"), spec.shade)
            tcPr.append(shd)
        va = OxmlElement("w:vAlign")
        va.set(qn("w:val"), spec.valign)
        tcPr.append(va)
        tc.append(tcPr)
        tc.append(OxmlElement("w:p"))
        tr.append(tc)
        cells.append(_Cell(tc, table))
        col += spec.span
    assert col == len(widths), (col, widths)
    return cells


# ----------------------------------------------------------------------------- tick boxes
def _run_with_fonts(east: str, latin: str | None = None, size: float | None = None):
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    set_rfonts(rpr, east, latin)
    if size:
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(int(size * 2)))
        rpr.append(sz)
    r.append(rpr)
    return r


def sym_run(font: str, char: str, size: float | None = None):
    r = _run_with_fonts(font, font, size)
    sym = OxmlElement("w:sym")
    sym.set(qn("w:font"), font)
    sym.set(qn("w:char"), char)
    r.append(sym)
    return r


def sdt_checkbox(checked: bool, sdt_id: int, size: float | None = None):
    """A Word 2010 content-control checkbox (w14:checkbox) showing ☒ / ☐ in MS Gothic."""
    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    rpr = OxmlElement("w:rPr")
    set_rfonts(rpr, "MS Gothic", "MS Gothic")
    pr.append(rpr)
    idel = OxmlElement("w:id")
    idel.set(qn("w:val"), str(sdt_id))
    pr.append(idel)
    cb = pr.makeelement(f"{{{W14}}}checkbox", {})
    c = cb.makeelement(f"{{{W14}}}checked", {f"{{{W14}}}val": "1" if checked else "0"})
    cs = cb.makeelement(f"{{{W14}}}checkedState", {f"{{{W14}}}val": "2612", f"{{{W14}}}font": "MS Gothic"})
    us = cb.makeelement(f"{{{W14}}}uncheckedState", {f"{{{W14}}}val": "2610", f"{{{W14}}}font": "MS Gothic"})
    cb.extend([c, cs, us])
    pr.append(cb)
    sdt.append(pr)
    content = OxmlElement("w:sdtContent")
    r = _run_with_fonts("MS Gothic", "MS Gothic", size)
    t = OxmlElement("w:t")
    t.text = "☒" if checked else "☐"
    r.append(t)
    content.append(r)
    sdt.append(content)
    return sdt


def formfield_checkbox(checked: bool, name: str, size: float | None = None) -> list:
    """Legacy FORMCHECKBOX field: begin(ffData) / instrText / separate / end runs."""
    runs = []
    r = _run_with_fonts("宋体", "宋体", size)
    fc = OxmlElement("w:fldChar")
    fc.set(qn("w:fldCharType"), "begin")
    ff = OxmlElement("w:ffData")
    nm = OxmlElement("w:name")
    nm.set(qn("w:val"), name)
    ff.append(nm)
    ff.append(OxmlElement("w:enabled"))
    coe = OxmlElement("w:calcOnExit")
    coe.set(qn("w:val"), "0")
    ff.append(coe)
    cb = OxmlElement("w:checkBox")
    cb.append(OxmlElement("w:sizeAuto"))
    d = OxmlElement("w:default")
    d.set(qn("w:val"), "0")
    cb.append(d)
    if checked:
        cb.append(OxmlElement("w:checked"))
    ff.append(cb)
    fc.append(ff)
    r.append(fc)
    runs.append(r)
    r = _run_with_fonts("宋体", "宋体", size)
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = " FORMCHECKBOX "
    r.append(it)
    runs.append(r)
    for kind in ("separate", "end"):
        r = _run_with_fonts("宋体", "宋体", size)
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), kind)
        r.append(fc)
        runs.append(r)
    return runs


# ----------------------------------------------------------------------------- zip fixing
FIXED_DT = (2024, 1, 1, 0, 0, 0)
_CORE_DATE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def fixed_zip_bytes(data: bytes, drop: tuple[str, ...] = ()) -> bytes:
    """Rewrite an OOXML zip with fixed timestamps and core dates, so output is byte-stable."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CORE_DATE.sub(rb"\g<1>2024-01-01T00:00:00Z\g<2>", body)
            if drop and info.filename in ("[Content_Types].xml", "_rels/.rels"):
                for name in drop:
                    if name.endswith(".jpeg"):
                        body = re.sub(rb'<Relationship [^>]*Target="' + re.escape(name.encode()) + rb'"/>', b"", body)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_DT)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, body)
    return out.getvalue()
