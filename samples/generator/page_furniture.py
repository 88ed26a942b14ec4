"""Page furniture for the PDF renditions: running headers and page numbers as a Word, WPS or
LibreOffice document prints them, chosen by a seed (issue 11: the reader must take them off).

A :class:`FurnitureStyle` says what the header holds (nothing, the form's title, an 附件 line,
both) and how the footer prints the page number (``— 3 —``, ``-3-``, ``- 3 -``,
``第 3 页 共 16 页``, ``3 / 16``, a bare ``3``), and where (centred, right).  :func:`add_furniture`
writes a copy of a DOCX with that header and footer in every section (the numbers are Word
``PAGE`` / ``NUMPAGES`` fields, so the printer fills them in).

Seeds are split: :data:`HELD_OUT_SEEDS` are never used while developing the reader; they are
run once, at the end, and reported (``python -m samples.generator.pdf_rendition --furniture-seed``).
"""
from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

FOOTERS = (
    "— {PAGE} —",
    "-{PAGE}-",
    "- {PAGE} -",
    "第 {PAGE} 页 共 {NUMPAGES} 页",
    "{PAGE} / {NUMPAGES}",
    "{PAGE}",
)
HEADERS = (
    None,
    "中小企业特色产业集群申报表",
    "附件1",
    "附件2：{title}",
)
DEV_SEEDS = tuple(range(0, 50))
HELD_OUT_SEEDS = tuple(range(1000, 1010))


@dataclass(frozen=True)
class FurnitureStyle:
    header: Optional[str]
    footer: str
    align: str                  # "center" | "right"
    header_rule: bool           # a border under the header paragraph (Word's default header style)

    def to_dict(self) -> dict:
        return asdict(self)


def style_for(seed: int, title: str = "中小企业特色产业集群申报表") -> FurnitureStyle:
    rnd = random.Random(seed)
    header = rnd.choice(HEADERS)
    return FurnitureStyle(header.format(title=title) if header else None, rnd.choice(FOOTERS),
                          rnd.choice(("center", "center", "right")), rnd.random() < 0.5)


def _field(paragraph, code: str) -> None:
    """A simple field (``PAGE``, ``NUMPAGES``) in its own run."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {code} ")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    run.append(t)
    fld.append(run)
    paragraph._p.append(fld)


def _write(paragraph, template: str) -> None:
    """Text with ``{PAGE}`` / ``{NUMPAGES}`` placeholders as runs and fields."""
    rest = template
    while rest:
        cut = min((rest.find(k) for k in ("{PAGE}", "{NUMPAGES}") if k in rest), default=-1)
        if cut < 0:
            paragraph.add_run(rest)
            break
        if cut:
            paragraph.add_run(rest[:cut])
        code = "NUMPAGES" if rest.startswith("{NUMPAGES}", cut) else "PAGE"
        _field(paragraph, code)
        rest = rest[cut + len(code) + 2:]


def _bottom_border(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    ppr.append(borders)


def add_furniture(src: Path, dst: Path, style: FurnitureStyle) -> Path:
    """A copy of the DOCX ``src`` with the style's header and footer on every page."""
    doc = Document(str(src))
    align = WD_ALIGN_PARAGRAPH.RIGHT if style.align == "right" else WD_ALIGN_PARAGRAPH.CENTER
    for section in doc.sections:
        section.different_first_page_header_footer = False
        if style.header:
            header = section.header
            header.is_linked_to_previous = False
            p = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            p.text = style.header
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if style.header_rule:
                _bottom_border(p)
        footer = section.footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.text = ""
        _write(p, style.footer)
        p.alignment = align
    dst.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(dst))
    return dst
