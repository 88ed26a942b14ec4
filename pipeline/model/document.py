"""The one document model every reader fills and everything downstream reads.

A reader (DOCX, PDF text layer, scan + OCR, XLSX, legacy .doc via LibreOffice) turns one
file into a :class:`Document`: pages, blocks in reading order (paragraphs and tables of
cells, tables possibly nested in cells), tick marks normalised to ticked / unticked /
unknown with a confidence, and marks (seals, signatures, pictures).  Every piece carries a
:class:`Source` (file, page, bbox in PDF points with a top-left origin, or table/row/col)
and a confidence in [0, 1]: 1.0 for text read from a DOCX or a PDF text layer, the OCR's or
detector's own score for scans.

Nothing here knows about the 申报表: readers never look up field labels, and the form
mapper never knows which reader ran.
"""
from __future__ import annotations

from dataclasses import dataclass, field, is_dataclass
from dataclasses import fields as dc_fields
from typing import Any, Iterator, Optional, Union

BBox = tuple[float, float, float, float]

TICK_MARK = "☑"      # how a ticked box is written into Paragraph.text
UNTICK_MARK = "☐"    # how an unticked box is written into Paragraph.text
UNKNOWN_MARK = "⍰"   # a box-like glyph whose state the reader could not decide

FORMATS = ("docx", "pdf", "scan", "image", "xlsx", "doc")


@dataclass
class Source:
    """Where a piece of the document came from.

    ``page`` is 1-based; ``bbox`` is (x0, top, x1, bottom) in PDF points on that page, origin
    top-left.  DOCX has no pages: ``table``/``row``/``col`` (0-based, ``table`` counted over
    every table of the document in reading order, nested ones included) locate a cell, and
    ``para`` (0-based) a body paragraph outside tables.
    """
    file: str
    page: Optional[int] = None
    bbox: Optional[BBox] = None
    table: Optional[int] = None
    row: Optional[int] = None
    col: Optional[int] = None
    sheet: Optional[str] = None
    para: Optional[int] = None      # DOCX body paragraph ordinal (0-based), outside tables


    def to_dict(self) -> dict:
        d: dict[str, Any] = {"file": self.file}
        for k in ("page", "bbox", "table", "row", "col", "sheet", "para"):
            v = getattr(self, k)
            if v is not None:
                d[k] = [round(float(x), 2) for x in v] if k == "bbox" else v
        return d

    def with_cell(self, table: int, row: int, col: int, bbox: Optional[BBox] = None) -> "Source":
        return Source(self.file, self.page, bbox if bbox is not None else self.bbox, table, row, col, self.sheet)



@dataclass
class Tick:
    """One box of an option group, whatever its encoding.

    ``state`` is True (ticked), False (unticked) or None (a glyph the reader could not
    decide: reported, never silently read as unticked).  ``offset`` is the index of the
    tick's marker character in its paragraph's text.  ``encoding`` says how it was written
    (``char``, ``char+mark``, ``sym:Wingdings:F0FE``, ``sdt-checkbox``, ``formcheckbox``,
    ``pdf-glyph``, ``scan-ink`` ...) and ``raw`` what was there.
    """
    state: Optional[bool]
    confidence: float
    encoding: str
    raw: str = ""
    offset: int = 0
    bbox: Optional[BBox] = None
    why: str = ""           # the reader's reason for a doubtful reading, in the clerk's words (Chinese)

    @property
    def marker(self) -> str:
        return TICK_MARK if self.state else (UNTICK_MARK if self.state is False else UNKNOWN_MARK)


@dataclass
class Doubt:
    """A character of a scanned paragraph the reader doubts — read unsure and making no word with
    its neighbours, a sentence mark read unsure, a glyph left out before it, a middle dot between
    Chinese characters: a value holding it goes to a clerk (``extractors.layout.doubtful_chars``)."""
    char: str
    score: float          # the recogniser's probability for it (0–1)
    context: str          # the paragraph's characters around it, spaces left out
    at: int               # index of ``char`` in ``context``
    kind: str = ""        # '' read unsure and no word; 'lost': a glyph left out before it; 'dot': a middle dot


@dataclass
class Paragraph:
    """A run of text: a body paragraph, a line in a cell, an OCR line.

    Tick marks are written into ``text`` as one marker character each (☑ ticked, ☐ unticked,
    ⍰ unknown), and described in full in ``ticks`` in order of their offsets.
    """
    text: str
    source: Source
    confidence: float = 1.0
    ticks: list[Tick] = field(default_factory=list)
    style: Optional[str] = None
    kind: str = "paragraph"
    # scan: characters read unsure that make no word (``extractors.layout.doubtful_chars``)
    doubts: Optional[list["Doubt"]] = None

    def option_segments(self) -> list[tuple[Tick, str]]:
        """Each tick with the text that follows it up to the next tick (the option label)."""
        out = []
        for i, t in enumerate(self.ticks):
            end = self.ticks[i + 1].offset if i + 1 < len(self.ticks) else len(self.text)
            out.append((t, self.text[t.offset + 1:end]))
        return out

    def plain_text(self) -> str:
        """The text without tick markers."""
        if not self.ticks:
            return self.text
        skip = {t.offset for t in self.ticks}
        return "".join(ch for i, ch in enumerate(self.text) if i not in skip)


@dataclass
class Cell:
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list["Table"] = field(default_factory=list)
    source: Optional[Source] = None
    confidence: float = 1.0

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def ticks(self) -> list[Tick]:
        return [t for p in self.paragraphs for t in p.ticks]

    @property
    def last_row(self) -> int:
        return self.row + self.row_span - 1

    @property
    def last_col(self) -> int:
        return self.col + self.col_span - 1

    def covers(self, r: int, c: int) -> bool:
        return self.row <= r <= self.last_row and self.col <= c <= self.last_col


@dataclass
class Table:
    """A table of cells with merged cells resolved: each cell appears once with its spans."""
    index: int
    n_rows: int
    n_cols: int
    cells: list[Cell]
    source: Source
    kind: str = "table"
    name: Optional[str] = None

    def __post_init__(self) -> None:
        self._grid: Optional[list[list[Optional[Cell]]]] = None

    def grid(self) -> list[list[Optional[Cell]]]:
        """Row-major grid; a merged cell stands at every position it covers."""
        if self._grid is None:
            g: list[list[Optional[Cell]]] = [[None] * self.n_cols for _ in range(self.n_rows)]
            for c in self.cells:
                for r in range(c.row, min(c.last_row, self.n_rows - 1) + 1):
                    for k in range(c.col, min(c.last_col, self.n_cols - 1) + 1):
                        g[r][k] = c
            self._grid = g
        return self._grid

    def at(self, r: int, c: int) -> Optional[Cell]:
        if 0 <= r < self.n_rows and 0 <= c < self.n_cols:
            return self.grid()[r][c]
        return None

    def row_cells(self, r: int) -> list[Cell]:
        """Distinct cells touching row r, left to right."""
        seen: list[Cell] = []
        for c in self.grid()[r] if 0 <= r < self.n_rows else []:
            if c is not None and all(c is not s for s in seen):
                seen.append(c)
        return seen

    def iter_tables(self) -> Iterator["Table"]:
        """This table and every table nested in its cells, in reading order."""
        yield self
        for c in sorted(self.cells, key=lambda c: (c.row, c.col)):
            for t in c.tables:
                yield from t.iter_tables()


Block = Union[Paragraph, Table]


@dataclass
class Mark:
    """A seal (公章), a handwritten signature, or another picture found on a page or in a cell."""
    kind: str                       # "seal" | "signature" | "picture"
    confidence: float
    source: Source
    detail: dict = field(default_factory=dict)


@dataclass
class Page:
    number: int                     # 1-based
    width: float                    # PDF points
    height: float
    kind: str = "text"              # "text" (text layer / DOCX) | "scan" (OCR) | "empty"
    rotation: float = 0.0           # degrees the reader turned the image to deskew it
    dpi: Optional[float] = None     # raster resolution for scans


@dataclass
class Document:
    """One file, read."""
    file: str
    format: str
    blocks: list[Block] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    # -- walking -----------------------------------------------------------------------
    def iter_tables(self) -> Iterator[Table]:
        for b in self.blocks:
            if isinstance(b, Table):
                yield from b.iter_tables()

    def iter_paragraphs(self) -> Iterator[Paragraph]:
        """Every paragraph, body and cells alike, in reading order."""
        def walk_table(t: Table) -> Iterator[Paragraph]:
            for c in sorted(t.cells, key=lambda c: (c.row, c.col)):
                yield from c.paragraphs
                for nt in c.tables:
                    yield from walk_table(nt)
        for b in self.blocks:
            if isinstance(b, Paragraph):
                yield b
            else:
                yield from walk_table(b)

    def text(self) -> str:
        return "\n".join(p.text for p in self.iter_paragraphs())

    @property
    def page_count(self) -> int:
        return len(self.pages)

    # -- serialisation -----------------------------------------------------------------
    def to_dict(self) -> dict:
        return _to_plain(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Document":
        return Document(
            file=d["file"], format=d["format"],
            blocks=[_block_from(b) for b in d.get("blocks", [])],
            pages=[Page(**p) for p in d.get("pages", [])],
            marks=[Mark(kind=m["kind"], confidence=m["confidence"], source=_required_source(m["source"]),
                        detail=m.get("detail", {})) for m in d.get("marks", [])],
            warnings=list(d.get("warnings", [])), meta=dict(d.get("meta", {})),
        )


def _to_plain(o: Any) -> Any:
    if isinstance(o, Source):
        return o.to_dict()
    if is_dataclass(o):
        out = {f.name: _to_plain(getattr(o, f.name)) for f in dc_fields(o)}
        return {k: v for k, v in out.items() if v is not None}
    if isinstance(o, (list, tuple)):
        return [_to_plain(x) for x in o]
    if isinstance(o, dict):
        return {k: _to_plain(v) for k, v in o.items()}
    return o


def _source_from(d: Optional[dict]) -> Optional[Source]:
    if d is None:
        return None
    bbox = tuple(d["bbox"]) if d.get("bbox") is not None else None
    return Source(file=d["file"], page=d.get("page"), bbox=bbox, table=d.get("table"),
                  row=d.get("row"), col=d.get("col"), sheet=d.get("sheet"), para=d.get("para"))


def _required_source(d: Optional[dict]) -> Source:
    """A block's source: every block the readers write has one."""
    src = _source_from(d)
    if src is None:
        raise ValueError("a block without its source")
    return src


def _para_from(d: dict) -> Paragraph:
    ticks = [Tick(state=t.get("state"), confidence=t["confidence"], encoding=t["encoding"],
                  raw=t.get("raw", ""), offset=t.get("offset", 0),
                  bbox=tuple(t["bbox"]) if t.get("bbox") else None, why=t.get("why", ""))
             for t in d.get("ticks", [])]
    return Paragraph(text=d["text"], source=_required_source(d["source"]), confidence=d.get("confidence", 1.0),
                     ticks=ticks, style=d.get("style"), kind=d.get("kind", "paragraph"),
                     doubts=[Doubt(**x) for x in d["doubts"]] if d.get("doubts") else None)


def _table_from(d: dict) -> Table:
    cells = [Cell(row=c["row"], col=c["col"], row_span=c.get("row_span", 1), col_span=c.get("col_span", 1),
                  paragraphs=[_para_from(p) for p in c.get("paragraphs", [])],
                  tables=[_table_from(t) for t in c.get("tables", [])],
                  source=_source_from(c.get("source")), confidence=c.get("confidence", 1.0))
             for c in d["cells"]]
    return Table(index=d["index"], n_rows=d["n_rows"], n_cols=d["n_cols"], cells=cells,
                 source=_required_source(d["source"]), name=d.get("name"))


def _block_from(d: dict) -> Block:
    return _table_from(d) if d.get("kind") == "table" else _para_from(d)
