"""A document as the linker reads it: sentences, each under the headings of its section.

Whatever reader made the :class:`Document` (DOCX, PDF text layer, OCR of a scan, XLSX), its
paragraphs become sentences (split after 。！？；), each table row one sentence of its cells,
and every sentence carries the headings it stands under, its :class:`Source` and the
confidence its text was read with.  A heading is a paragraph styled as one, or a short line
numbered as Chinese documents number their sections (一、 （一） 1． 第一部分 附件2), or a short
centred-looking title line without sentence punctuation; its level comes from the numbering.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from pipeline.model import Document, Paragraph, Source, Table
from pipeline.model.text import nfkc

_SENT_END = re.compile(r"(?<=[。！？；!?;])")
_NUMBERING = [
    (1, re.compile(r"^\s*第[一二三四五六七八九十百]+(部分|章|篇)")),
    (1, re.compile(r"^\s*附件\s*\d*")),
    (1, re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")),
    (2, re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[)）]")),
    (3, re.compile(r"^\s*\d{1,2}\s*[、.．](?!\d)")),
    (4, re.compile(r"^\s*[（(]\s*\d{1,2}\s*[)）]")),
]
HEADING_MAX_CHARS = 48


@dataclass
class Segment:
    text: str
    source: Source
    confidence: float = 1.0
    headings: tuple[str, ...] = ()
    kind: str = "sentence"            # sentence | heading | row
    cells: Optional[list[str]] = None  # a table row's cell texts
    table: Optional[int] = None        # index of the table a row belongs to

    @property
    def page(self) -> Optional[int]:
        return self.source.page


@dataclass
class DocumentSegments:
    file: str
    segments: list[Segment] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def sentences(self) -> list[Segment]:
        return [s for s in self.segments if s.kind != "row"]


def heading_level(p: Paragraph) -> Optional[int]:
    """The level of a heading paragraph (1 = top), or None for body text."""
    text = nfkc(p.plain_text()).strip()
    if not text or len(text) > HEADING_MAX_CHARS:
        return None
    style = (p.style or "").lower()
    if p.kind == "heading" or style.startswith("heading") or style.startswith("标题") or style == "title":
        m = re.search(r"(\d)", style)
        return int(m.group(1)) if m else 1
    if re.search(r"[。；;！!？?]$", text) or "，" in text[:-1] and len(text) > 30:
        return None
    for level, rx in _NUMBERING:
        if rx.match(text):
            return level
    return None


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_END.split(text) if s.strip()]


def segment(doc: Document) -> DocumentSegments:
    """Every sentence and table row of the document with its headings."""
    out = DocumentSegments(doc.file)
    stack: list[tuple[int, str]] = []

    def headings() -> tuple[str, ...]:
        return tuple(h for _, h in stack)

    def body(p: Paragraph) -> None:
        text = p.plain_text().strip()
        if not text:
            return
        level = heading_level(p)
        if level is not None:
            while stack and stack[-1][0] >= level:
                stack.pop()
            out.segments.append(Segment(text, p.source, p.confidence, headings(), "heading"))
            stack.append((level, text))
            return
        for s in split_sentences(text):
            out.segments.append(Segment(s, p.source, p.confidence, headings(), "sentence"))

    def table(t: Table) -> None:
        out.tables.append(t)
        for r in range(t.n_rows):
            cells = t.row_cells(r)
            texts = [nfkc(c.text).strip() for c in cells]
            if not any(texts):
                continue
            conf = min((c.confidence for c in cells), default=1.0)
            src = next((c.source for c in cells if c.source is not None), t.source)
            src = Source(src.file, src.page, src.bbox, t.index, r, None, src.sheet)
            out.segments.append(Segment("，".join(x for x in texts if x), src, conf, headings(), "row",
                                        cells=texts, table=t.index))
            for c in cells:
                for nt in c.tables:
                    table(nt)

    for b in doc.blocks:
        if isinstance(b, Table):
            table(b)
        else:
            body(b)
    return out
