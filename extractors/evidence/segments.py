"""A document as the linker reads it: sentences, each under the headings of its section.

Whatever reader made the :class:`Document` (DOCX, PDF text layer, OCR of a scan, XLSX), its
paragraphs become sentences (split after 。！？；), each table row one sentence of its cells,
and every sentence carries the headings it stands under, its :class:`Source` and the
confidence its text was read with.  A heading is a paragraph styled as one, or a short line
numbered as Chinese documents number their sections (一、 （一） 1． 第一部分 附件2), or a short
centred-looking title line without sentence punctuation; its level comes from the numbering.

Sentences are rebuilt across line wraps and page breaks before anything is matched: a
paragraph that ends where no sentence can end (after a digit, 、 ， or an opening bracket; after ： only before a figure),
or that is followed by one beginning where no sentence can begin (年 月 日 、 ， 。 a unit or a
closing bracket), or that ends without sentence punctuation and is a sentence in progress (it
holds a clause break ， 、 already), a long line, or followed by a figure (``…依次为`` /
``66.75亿…``, not a year that begins a sentence), runs on into the next body paragraph (a bare page number between them is
skipped).  A title line has no clause break and stays apart.  A sentence that still ends where no
sentence can end — the document, a table or a heading cut it — is marked ``whole=False``, and
no check treats what it states as certain.
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
    whole: bool = True                 # False: cut where no sentence can end (see run_on)

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


_CANNOT_END = re.compile(r"[\d.,，、（(《“\-—至和及与]$")
_CANNOT_BEGIN = re.compile(r"^[年月日号、，,。；;：:）)》”%％亿万元个家件项人户]")
_PAGE_NUMBER = re.compile(r"^[\s\-—–·•]*(第\s*)?\d{1,4}(\s*页)?([\s/共]*\d*\s*页?)?[\s\-—–·•]*$")


_YEAR_START = re.compile(r"^(19|20)\d\d\s*年")


def run_on(before: str, after: str) -> bool:
    """The break between two paragraphs falls inside a sentence (a line wrap or a page break)."""
    b, a = nfkc(before).rstrip(), nfkc(after).lstrip()
    if not b or not a:
        return False
    if _CANNOT_END.search(b) or _CANNOT_BEGIN.match(a):
        return True
    if re.search(r"[：:]$", b):
        return a[0].isdigit()             # 分别为： / 72.30亿元…; a salutation stays apart
    if re.search(r"[。！？；!?;]$", b):
        return False
    # a sentence in progress (it has a clause break already), a long line, or a figure next
    figure_next = a[0].isdigit() and not _YEAR_START.match(a)     # 66.75亿…, not 2022年…
    return bool(re.search(r"[，,、]", b)) or len(b) > HEADING_MAX_CHARS or figure_next


def cut(text: str) -> bool:
    """The text ends where no sentence can end."""
    return bool(_CANNOT_END.search(nfkc(text).rstrip()))


class _Segmenter:
    """One pass over a document's blocks: the heading stack and the sentence a break cut."""

    def __init__(self, file: str):
        self.out = DocumentSegments(file)
        self.stack: list[tuple[int, str]] = []
        self.pending: list[Segment] = []      # the last sentence of a paragraph, maybe cut

    def headings(self) -> tuple[str, ...]:
        return tuple(h for _, h in self.stack)

    def flush(self) -> None:
        for seg in self.pending:
            seg.whole = not cut(seg.text)
            self.out.segments.append(seg)
        self.pending.clear()

    def heading(self, p: Paragraph, text: str, level: int) -> None:
        self.flush()
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.out.segments.append(Segment(text, p.source, p.confidence, self.headings(), "heading"))
        self.stack.append((level, text))

    def body(self, p: Paragraph) -> None:
        text = p.plain_text().strip()
        if not text or (self.pending and _PAGE_NUMBER.match(nfkc(text))):
            return
        runs_on = bool(self.pending) and run_on(self.pending[0].text, text)
        level = None if runs_on else heading_level(p)
        if level is not None:
            self.heading(p, text, level)
            return
        if runs_on:
            head = self.pending.pop()
            text = head.text + text
            src, conf = head.source, min(head.confidence, p.confidence)
        else:
            self.flush()
            src, conf = p.source, p.confidence
        segs = [Segment(s, src if i == 0 else p.source, conf if i == 0 else p.confidence, self.headings(), "sentence")
                for i, s in enumerate(split_sentences(text))]
        self.out.segments.extend(segs[:-1])
        self.pending.append(segs[-1])

    def table(self, t: Table) -> None:
        self.flush()
        self.out.tables.append(t)
        for r in range(t.n_rows):
            cells = t.row_cells(r)
            texts = [nfkc(c.text).strip() for c in cells]
            if not any(texts):
                continue
            conf = min((c.confidence for c in cells), default=1.0)
            src = next((c.source for c in cells if c.source is not None), t.source)
            src = Source(src.file, src.page, src.bbox, t.index, r, None, src.sheet)
            self.out.segments.append(Segment("，".join(x for x in texts if x), src, conf, self.headings(), "row",
                                             cells=texts, table=t.index))
            for c in cells:
                for nt in c.tables:
                    self.table(nt)


def segment(doc: Document) -> DocumentSegments:
    """Every sentence and table row of the document with its headings."""
    sg = _Segmenter(doc.file)
    for b in doc.blocks:
        if isinstance(b, Table):
            sg.table(b)
        else:
            sg.body(b)
    sg.flush()
    return sg.out
