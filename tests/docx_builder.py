"""Build small Word documents for tests, raw OOXML where python-docx has no API.

Cell contents are written as a list of lines; in a line, ``{X}`` inserts special runs:
``{sym:Wingdings:F0FE}``, ``{sdt:1}`` / ``{sdt:0}`` (content-control checkbox),
``{ffcb:1}`` / ``{ffcb:0}`` / ``{ffcb:default1}`` (legacy FORMCHECKBOX), ``{br}`` (line break).
"""
from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

W14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'


def _run_xml(token: str):
    w = nsdecls("w")
    kind, _, arg = token.partition(":")
    if kind == "sym":
        font, code = arg.rsplit(":", 1)
        return f'<w:r {w}><w:sym w:font="{font}" w:char="{code}"/></w:r>'
    if kind == "sdt":
        checked = arg == "1"
        glyph = "☒" if checked else "☐"
        return (f'<w:sdt {w} {W14}><w:sdtPr><w14:checkbox><w14:checked w14:val="{1 if checked else 0}"/>'
                f'<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
                f'<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
                f'<w:sdtContent><w:r><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>')
    if kind == "ffcb":
        if arg == "1":
            cb = '<w:checkBox><w:sizeAuto/><w:default w:val="0"/><w:checked/></w:checkBox>'
        elif arg == "default1":
            cb = '<w:checkBox><w:sizeAuto/><w:default w:val="1"/></w:checkBox>'
        else:
            cb = '<w:checkBox><w:sizeAuto/><w:default w:val="0"/></w:checkBox>'
        return [f'<w:r {w}><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:enabled/>'
                f'<w:calcOnExit w:val="0"/>{cb}</w:ffData></w:fldChar></w:r>',
                f'<w:r {w}><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>',
                f'<w:r {w}><w:fldChar w:fldCharType="separate"/></w:r>',
                f'<w:r {w}><w:fldChar w:fldCharType="end"/></w:r>']
    if kind == "br":
        return f'<w:r {w}><w:br/></w:r>'
    if kind == "wdtext":      # a plain run in the Wingdings font holding a PUA character
        return f'<w:r {w}><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr><w:t>{chr(int(arg, 16))}</w:t></w:r>'
    raise ValueError(token)


def fill_paragraph(p, line: str) -> None:
    for part in re.split(r"(\{[^}]+\})", line):
        if not part:
            continue
        if part.startswith("{") and part.endswith("}"):
            xml = _run_xml(part[1:-1])
            for x in ([xml] if isinstance(xml, str) else xml):
                p._p.append(parse_xml(x))
        else:
            p.add_run(part)


def fill_cell(cell, lines) -> None:
    """Lines of a cell; a line that is a dict(rows=..., merges=...) is a table nested there."""
    if isinstance(lines, str):
        lines = [lines]
    first = True
    for line in lines:
        if isinstance(line, dict):
            _fill_table(cell.add_table(rows=len(line["rows"]), cols=max(len(r) for r in line["rows"])), line)
            first = False
            continue
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        fill_paragraph(p, line)


def _fill_table(t, b: dict) -> None:
    t.style = "Table Grid"
    for (r0, c0, r1, c1) in b.get("merges", []):
        t.cell(r0, c0).merge(t.cell(r1, c1))
    done: list = []          # keep the elements alive so identity checks hold
    for r, row in enumerate(b["rows"]):
        for c, val in enumerate(row):
            cell = t.cell(r, c)
            if val is None or any(e is cell._tc for e in done):
                continue
            done.append(cell._tc)
            fill_cell(cell, val)


def build(path: Path, blocks: list) -> Path:
    """blocks: str (a paragraph) or dict(rows=[[cell lines...]], merges=[(r0,c0,r1,c1)]); a cell's
    line may itself be such a dict (a nested table)."""
    d = docx.Document()
    for b in blocks:
        if isinstance(b, str):
            fill_paragraph(d.add_paragraph(), b)
            continue
        rows = b["rows"]
        _fill_table(d.add_table(rows=len(rows), cols=max(len(r) for r in rows)), b)
    d.save(str(path))
    return Path(path)
