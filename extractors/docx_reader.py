"""DOCX → Document.

python-docx opens the package (and resolves picture relationships); the body is walked as
XML because python-docx has no API for what real Word forms hold: ``w:sym`` symbol runs,
content-control checkboxes (``w14:checkbox``), legacy ``FORMCHECKBOX`` fields, nested tables
and ``gridSpan``/``vMerge`` merges.  Paragraphs and tables come out in document order;
every cell keeps its table/row/col (0-based; table counted over all tables in reading order,
nested ones included).  Pictures in the body or in cells are classified as seal, signature
or picture and kept as marks at their cell.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Optional

import docx
from docx.oxml.ns import qn
from lxml import etree

from pipeline.model import Cell, Document, Mark, Paragraph, Source, Table
from pipeline.model.glyphs import BOX_EMPTY, BOX_TICKED, OTHER, classify_symbol, is_symbol_font
from pipeline.model.ticks import Glyph, build_paragraph

from .errors import ReadError
from .marks import classify_picture
from .ooxml_guard import check_package

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
V_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
MC_ALT = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
MC_CHOICE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Choice"
TXBX = qn("w:txbxContent")

MAX_DOCX_BYTES = 200 * 1024 * 1024


def _val(el, attr: str = "w:val") -> Optional[str]:
    return None if el is None else el.get(qn(attr))


def _on(el) -> bool:
    """A Word on/off property: present with no val, or val in 1/true/on."""
    if el is None:
        return False
    v = el.get(qn("w:val"))
    if v is None:
        v = el.get(f"{{{W14}}}val")
    return v is None or v.lower() in ("1", "true", "on")


class _Walker:
    def __init__(self, file: str, package):
        self.file = file
        self.part = package
        self.table_count = 0
        self.para_count = 0
        self.marks: list[Mark] = []
        self.warnings: list[str] = []

    # -- runs ----------------------------------------------------------------------------
    def _run_font(self, r) -> Optional[str]:
        rpr = r.find(qn("w:rPr"))
        if rpr is None:
            return None
        f = rpr.find(qn("w:rFonts"))
        if f is None:
            return None
        for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            v = f.get(qn(a))
            if v and is_symbol_font(v):
                return v
        return f.get(qn("w:ascii")) or f.get(qn("w:hAnsi"))

    def _inline(self, el, pieces: list, src: Source, state: dict) -> None:
        """Collect text and glyph pieces of a paragraph-level element, in order."""
        for ch in el:
            tag = ch.tag
            if tag == qn("w:r"):
                self._run(ch, pieces, src, state)
            elif tag == qn("w:sdt"):
                cb = ch.find(f"{qn('w:sdtPr')}/{{{W14}}}checkbox")
                if cb is not None:
                    checked = _on(cb.find(f"{{{W14}}}checked"))
                    shown = "".join(t.text or "" for t in ch.iter(qn("w:t")))
                    pieces.append(Glyph(BOX_TICKED if checked else BOX_EMPTY, "sdt-checkbox", shown or "☐"))
                else:
                    content = ch.find(qn("w:sdtContent"))
                    if content is not None:
                        self._inline(content, pieces, src, state)
            elif tag in (qn("w:hyperlink"), qn("w:smartTag"), qn("w:ins"), qn("w:fldSimple"),
                         qn("w:customXml"), qn("w:moveTo")):
                self._inline(ch, pieces, src, state)
            elif tag == MC_ALT:
                alt = ch.find(MC_CHOICE)
                if alt is None:
                    alt = ch.find(MC_FALLBACK)
                if alt is not None:
                    self._inline(alt, pieces, src, state)
            # w:del, w:moveFrom, bookmarks, proofErr: nothing to read

    def _run(self, r, pieces: list, src: Source, state: dict) -> None:
        """One w:r: its text, symbols, breaks, pictures, and the check-box fields it opens,
        carries or closes (a field's state lives in ``state`` across runs)."""
        font = self._run_font(r)
        sym_font = font if is_symbol_font(font) else None
        for ch in r:
            tag = ch.tag
            if tag == qn("w:fldChar"):
                _field_char(ch, pieces, state)
                continue
            fld = state.get("field")
            if tag == qn("w:instrText"):
                if fld is not None:
                    fld["instr"] += ch.text or ""
                continue
            if fld is not None and (fld["phase"] == "instr" or "FORMCHECKBOX" in fld["instr"].upper()):
                continue          # nothing shows before the separator; a checkbox field's result is its box
            self._run_child(ch, tag, font, sym_font, pieces, src, state)

    def _run_child(self, ch, tag, font, sym_font, pieces: list, src: Source, state: dict) -> None:
        if tag == qn("w:t"):
            _text_pieces(ch.text or "", font, sym_font, pieces)
        elif tag == qn("w:sym"):
            pieces.append(self._sym(ch, font, src))
        elif tag in _BREAKS:
            if tag != qn("w:br") or ch.get(qn("w:type")) != "page":
                pieces.append(_BREAKS[tag])
        elif tag in (qn("w:drawing"), qn("w:pict"), MC_ALT, qn("w:object")):
            self._pictures(ch, src)
            for tb in ch.iter(TXBX):
                state.setdefault("textboxes", []).append(tb)

    def _sym(self, ch, font, src: Source) -> Glyph:
        sfont = ch.get(qn("w:font")) or font or ""
        code = int(ch.get(qn("w:char")) or "0", 16)
        cls = classify_symbol(sfont, code)
        if cls == "unknown":
            self.warnings.append(f"{self.file}: 无法识别的符号 {sfont} {code:04X} at {_where(src)}")
        return Glyph(cls, f"sym:{sfont}:{code:04X}", f"[{sfont} {code:04X}]", display="•")

    def _pictures(self, el, src: Source) -> None:
        rids = [b.get(R_EMBED) for b in el.iter(A_BLIP)] + [i.get(R_ID) for i in el.iter(V_IMAGEDATA)]
        for rid in filter(None, rids):
            try:
                blob = self.part.related_parts[rid].blob
            except (KeyError, AttributeError):
                continue
            kind, conf, detail = classify_picture(blob)
            self.marks.append(Mark(kind=kind, confidence=conf, source=src, detail=detail))

    def paragraph(self, p, src: Source) -> list[Paragraph]:
        pieces: list = []
        state: dict = {}
        self._inline(p, pieces, src, state)
        style = None
        ppr = p.find(qn("w:pPr"))
        if ppr is not None and ppr.find(qn("w:pStyle")) is not None:
            style = _val(ppr.find(qn("w:pStyle")))
        out = [build_paragraph(pieces, src, 1.0, style)]
        for tb in state.get("textboxes", []):
            for tp in tb.iter(qn("w:p")):
                out.extend(self.paragraph(tp, src))
        return out

    # -- blocks ----------------------------------------------------------------------------
    def blocks(self, container, src: Source) -> tuple[list[Paragraph], list[Table], list]:
        """Paragraphs and tables of a body or cell, in order (third item: mixed ordered list)."""
        paras: list[Paragraph] = []
        tables: list[Table] = []
        ordered: list = []
        for el in container:
            if el.tag == qn("w:p"):
                psrc = src
                if src.table is None:          # a body paragraph: give it its own ordinal
                    psrc = Source(self.file, para=self.para_count)
                    self.para_count += 1
                ps = self.paragraph(el, psrc)
                paras.extend(ps)
                ordered.extend(ps)
            elif el.tag == qn("w:tbl"):
                t = self.table(el)
                tables.append(t)
                ordered.append(t)
            elif el.tag == qn("w:sdt"):
                content = el.find(qn("w:sdtContent"))
                if content is not None:
                    p2, t2, o2 = self.blocks(content, src)
                    paras.extend(p2)
                    tables.extend(t2)
                    ordered.extend(o2)
            elif el.tag in (qn("w:customXml"),):
                p2, t2, o2 = self.blocks(el, src)
                paras.extend(p2)
                tables.extend(t2)
                ordered.extend(o2)
        return paras, tables, ordered

    def table(self, tbl) -> Table:
        index = self.table_count
        self.table_count += 1
        grid = tbl.find(qn("w:tblGrid"))
        n_grid = len(grid.findall(qn("w:gridCol"))) if grid is not None else 0
        rows = [tr for tr in self._rows(tbl)]
        cells: list[Cell] = []
        open_v: dict[int, Cell] = {}     # grid col -> cell a vMerge may continue
        max_col = n_grid
        for r, tr in enumerate(rows):
            c = 0
            trpr = tr.find(qn("w:trPr"))
            if trpr is not None:
                gb = trpr.find(qn("w:gridBefore"))
                if gb is not None:
                    c += int(_val(gb) or 0)
            for tc in self._cells(tr):
                tcpr = tc.find(qn("w:tcPr"))
                span = 1
                vmerge = None
                if tcpr is not None:
                    gs = tcpr.find(qn("w:gridSpan"))
                    if gs is not None:
                        span = max(1, int(_val(gs) or 1))
                    vm = tcpr.find(qn("w:vMerge"))
                    if vm is not None:
                        vmerge = _val(vm) or "continue"
                if vmerge == "continue" and c in open_v and open_v[c].col_span == span:
                    above = open_v[c]
                    above.row_span = r - above.row + 1
                    # text typed into a continuation cell still belongs to the merged cell
                    src = Source(self.file, table=index, row=above.row, col=above.col)
                    p2, t2, _ = self.blocks(tc, src)
                    above.paragraphs.extend(p for p in p2 if p.text.strip())
                    above.tables.extend(t2)
                else:
                    src = Source(self.file, table=index, row=r, col=c)
                    paras, tables, _ = self.blocks(tc, src)
                    cell = Cell(row=r, col=c, row_span=1, col_span=span, paragraphs=paras, tables=tables,
                                source=src)
                    cells.append(cell)
                    for k in range(c, c + span):
                        open_v.pop(k, None)
                    if vmerge == "restart":
                        open_v[c] = cell
                c += span
            max_col = max(max_col, c)
            # a cell not continued in this row closes its vertical merge
            for k in list(open_v):
                cl = open_v[k]
                if cl.last_row < r:
                    del open_v[k]
        return Table(index=index, n_rows=len(rows), n_cols=max_col, cells=cells,
                     source=Source(self.file, table=index))

    def _rows(self, tbl):
        for el in tbl:
            if el.tag == qn("w:tr"):
                yield el
            elif el.tag in (qn("w:sdt"), qn("w:customXml")):
                content = el.find(qn("w:sdtContent")) if el.tag == qn("w:sdt") else el
                if content is not None:
                    yield from (x for x in content if x.tag == qn("w:tr"))

    def _cells(self, tr):
        for el in tr:
            if el.tag == qn("w:tc"):
                yield el
            elif el.tag in (qn("w:sdt"), qn("w:customXml")):
                content = el.find(qn("w:sdtContent")) if el.tag == qn("w:sdt") else el
                if content is not None:
                    yield from (x for x in content if x.tag == qn("w:tc"))


def _where(src: Source) -> str:
    if src.table is not None:
        return f"table {src.table} row {src.row} col {src.col}"
    return "body"


def read_docx(path: Path, name: Optional[str] = None) -> Document:
    """Read a .docx into the document model; raises ReadError with a clear message."""
    path = Path(path)
    name = name or path.name
    if path.stat().st_size == 0:
        raise ReadError(name, "empty", "文件为空 (0 字节) — the file is empty")
    if path.stat().st_size > MAX_DOCX_BYTES:
        raise ReadError(name, "too_large", f"文件过大 ({path.stat().st_size // 2**20} MB) — file too large")
    check_package(path, name, "docx")
    try:
        d = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as e:
        raise ReadError(name, "corrupt", f"不是有效的 Word 文档，可能已损坏 — not a valid .docx ({type(e).__name__}: {e})")
    except Exception as e:  # python-docx raises assorted errors on broken packages
        raise ReadError(name, "corrupt", f"无法打开 Word 文档 — cannot open .docx ({type(e).__name__}: {e})")
    w = _Walker(name, d.part)
    body = d.element.body
    _, _, ordered = w.blocks(body, Source(name))
    doc = Document(file=name, format="docx", blocks=ordered, marks=w.marks, warnings=w.warnings)
    # DOCX has no pages of its own (page count depends on the renderer); explicit breaks are kept
    doc.meta["page_breaks"] = sum(1 for br in body.iter(qn("w:br")) if br.get(qn("w:type")) == "page")
    return doc


_BREAKS = {qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n",
           qn("w:noBreakHyphen"): "-"}


def _field_char(ch, pieces: list, state: dict) -> None:
    """A w:fldChar: opens a field, moves it to its result, or closes it (a FORMCHECKBOX field
    becomes its box)."""
    kind = ch.get(qn("w:fldCharType"))
    if kind == "begin":
        state["field"] = {"ff": ch.find(qn("w:ffData")), "instr": "", "phase": "instr"}
    elif kind == "separate" and state.get("field"):
        state["field"]["phase"] = "result"
    elif kind == "end" and state.get("field"):
        fld = state.pop("field")
        if "FORMCHECKBOX" in fld["instr"].upper():
            pieces.append(_form_checkbox(fld["ff"]))


def _form_checkbox(ff) -> Glyph:
    cb = ff.find(qn("w:checkBox")) if ff is not None else None
    if cb is None:
        return Glyph("unknown", "formcheckbox", "FORMCHECKBOX")
    checked_el = cb.find(qn("w:checked"))
    default_el = cb.find(qn("w:default"))
    checked = _on(checked_el) if checked_el is not None else default_el is not None and _on(default_el)
    return Glyph(BOX_TICKED if checked else BOX_EMPTY, "formcheckbox", "FORMCHECKBOX")


def _text_pieces(text: str, font, sym_font, pieces: list) -> None:
    """A w:t's characters; in a symbol font each is a classified glyph, and a private-use
    symbol code with no symbol font said is classified by the run's font."""
    for c in text:
        if sym_font:
            cls = classify_symbol(sym_font, ord(c))
            if cls == OTHER:
                pieces.append(c if ord(c) < 0xE000 or ord(c) > 0xF8FF else "•")
            else:
                pieces.append(Glyph(cls, f"font:{sym_font}:{ord(c):04X}", c))
        elif 0xF000 <= ord(c) <= 0xF0FF:
            pieces.append(Glyph(classify_symbol(font, ord(c)), f"pua:{ord(c):04X}", c))
        else:
            pieces.append(c)
