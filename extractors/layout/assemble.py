"""Pages of positioned pieces → one :class:`~pipeline.model.Document`, whatever read them.

The chain, each step a small function:

1. ``find_grids`` on each page's rules; a grid lying inside a cell of another is nested in it.
2. :func:`place_pieces`: every piece goes to the innermost cell holding its centre, else to
   the page body; an OCR box straddling a column rule is first cut at it (:func:`split_at_columns`).
3. Per page, body lines and tables in reading order (top to bottom) as *parts*.
4. :func:`join_parts`: a table that ends a page and one that starts the next with the same
   left and right edges are one table; when the first was cut at the foot of the page and the
   next part's first row continues it (its left cell empty, or one cell spanning the table) the
   two rows are one, and a label cell left empty below the break rejoins the label above.  A
   row below the break with its own label is a new row unless the label above was cut (its
   text from its cell's top to its foot and its last line full, :class:`BreakSettings`), or
   the label below is only a bracketed note (（200字以内）) and a value above was cut.
4a. before that, :func:`strip_furniture` takes running headers, footers and page numbers off
   the ends of each page (``furniture``) and lists them in ``Document.meta["furniture"]``.
5. Lines → paragraphs (``lines.split_paragraphs``) → :class:`Paragraph` with ticks
   (``build_paragraph``); cells keep page + bbox of the part their text is on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Optional

from pipeline.model.document import BBox, Cell, Document, Page, Paragraph, Source, Table
from pipeline.model.ticks import build_paragraph

from .doubtful_chars import doubtful_chars, piece_chars
from .furniture import Furniture, PageEnds, find_furniture
from .grid import Grid, find_grids
from .lines import (
    LOST_TEXT,
    Column,
    Line,
    column_of,
    group_lines,
    is_full,
    join_break,
    line_text_pieces,
    lost_start,
    split_paragraphs,
)
from .pieces import PageContent, Piece, TextPiece, centre, union

# ------------------------------------------------------------------------ intermediate form


def _per_char_of(p: TextPiece, per_char: Optional[tuple], start: int, end: int) -> Optional[tuple]:
    """The part of a per-character tuple of ``p`` (``char_scores``, ``char_flags``: one item per
    non-space character of its text) that belongs to ``p.text[start:end]``."""
    if per_char is None:
        return None
    def solid(t: str) -> int:
        return sum(not c.isspace() for c in t)
    first = solid(p.text[:start])
    return per_char[first:first + solid(p.text[start:end])]


@dataclass
class CellPart:
    """The piece of one cell on one page."""
    page: int
    bbox: BBox
    lines: list[Line] = field(default_factory=list)
    kind: str = "text"          # the page's kind ("text" | "scan"): how loose its line boxes are


@dataclass
class ProtoCell:
    row: int
    col: int
    row_span: int
    col_span: int
    parts: list[CellPart]
    tables: list["ProtoTable"] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return self.parts[0].bbox[0]

    @property
    def x1(self) -> float:
        return self.parts[0].bbox[2]

    def has_text(self) -> bool:
        return any(p.lines for p in self.parts) or bool(self.tables)


@dataclass
class ProtoTable:
    xs: list[float]
    n_rows: int
    cells: list[ProtoCell]
    page: int
    bbox: BBox
    last_page: int = 0
    last_bbox: Optional[BBox] = None

    def cells_in_row(self, r: int) -> list[ProtoCell]:
        return sorted((c for c in self.cells if c.row <= r < c.row + c.row_span), key=lambda c: c.col)


@dataclass
class BodyLines:
    page: int
    lines: list[Line]
    right: float
    kind: str = "text"


# ------------------------------------------------------------------------ placement


def split_at_columns(p: Piece, xs: list[float], min_part: float = 2.0) -> list[Piece]:
    """An OCR text box that crosses column rules, cut into one box per column (chars shared
    out by width).  Single characters and glyphs are never cut."""
    if not isinstance(p, TextPiece) or len(p.text) < 2:
        return [p]
    x0, t, x1, b = p.bbox
    cuts = [x for x in xs if x0 + min_part < x < x1 - min_part]
    if not cuts:
        return [p]
    w = (x1 - x0) / len(p.text)
    out, start, left = [], 0, x0
    for x in cuts + [x1]:
        end = len(p.text) if x == x1 else min(len(p.text), max(start, round((x - x0) / w)))
        if end > start:
            out.append(TextPiece(p.text[start:end].strip() or p.text[start:end], (left, t, x, b),
                                 p.confidence, p.font, p.size, _per_char_of(p, p.char_scores, start, end),
                                 _per_char_of(p, p.char_flags, start, end)))
        start, left = end, x
    return out or [p]


@dataclass
class _GridNode:
    grid: Grid
    children: dict[int, list["_GridNode"]] = field(default_factory=dict)   # cell index -> nested grids
    content: dict[int, list[Piece]] = field(default_factory=dict)


def _inside(inner: BBox, outer: BBox, tol: float = 1.5) -> bool:
    return (inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol and
            inner[2] <= outer[2] + tol and inner[3] <= outer[3] + tol)


def nest_grids(grids: list[Grid]) -> list[_GridNode]:
    """Top-level grids, each knowing the grids nested in its cells."""
    nodes = [_GridNode(g) for g in grids]
    order = sorted(nodes, key=lambda n: (n.grid.bbox[2] - n.grid.bbox[0]) * (n.grid.bbox[3] - n.grid.bbox[1]))
    top: list[_GridNode] = []
    for i, n in enumerate(order):
        parent = None
        for m in order[i + 1:]:                 # the smallest larger grid with a cell around n
            for k, c in enumerate(m.grid.cells):
                if _inside(n.grid.bbox, c.bbox) and not _inside(c.bbox, n.grid.bbox):
                    parent = (m, k)
                    break
            if parent:
                break
        if parent:
            parent[0].children.setdefault(parent[1], []).append(n)
        else:
            top.append(n)
    return sorted(top, key=lambda n: (n.grid.bbox[1], n.grid.bbox[0]))


def _place(node: _GridNode, p: Piece) -> bool:
    x, y = centre(p.bbox)
    for k, c in enumerate(node.grid.cells):
        b = c.bbox
        if b[0] <= x <= b[2] and b[1] <= y <= b[3]:
            for child in node.children.get(k, []):
                if _place(child, p):
                    return True
            node.content.setdefault(k, []).append(p)
            return True
    return False


def place_pieces(nodes: list[_GridNode], pieces: list[Piece]) -> list[Piece]:
    """Put pieces into cells; return those outside every table (the page body)."""
    body = []
    for p0 in pieces:
        for p in _split_for(nodes, p0):
            if not any(_place(n, p) for n in nodes if _centre_in(p, n.grid.bbox)):
                body.append(p)
    return body


def _centre_in(p: Piece, b: BBox) -> bool:
    x, y = centre(p.bbox)
    return b[0] <= x <= b[2] and b[1] <= y <= b[3]


def _split_for(nodes: list[_GridNode], p: Piece) -> list[Piece]:
    if not isinstance(p, TextPiece) or len(p.text) < 2:
        return [p]
    for n in nodes:
        g = n.grid
        if _centre_in(p, g.bbox):
            row_cells = [c for c in g.cells if c.bbox[1] <= centre(p.bbox)[1] <= c.bbox[3]]
            xs = sorted({c.bbox[0] for c in row_cells} | {c.bbox[2] for c in row_cells})
            return split_at_columns(p, xs[1:-1])
    return [p]


def _proto(node: _GridNode, page: int, kind: str) -> ProtoTable:
    g = node.grid
    cells = []
    for k, c in enumerate(g.cells):
        part = CellPart(page, c.bbox, group_lines(node.content.get(k, [])), kind)
        nested = [_proto(ch, page, kind) for ch in sorted(node.children.get(k, []), key=lambda n: n.grid.bbox[1])]
        cells.append(ProtoCell(c.row, c.col, c.row_span, c.col_span, [part], nested))
    return ProtoTable(list(g.xs), g.n_rows, cells, page, g.bbox, page, g.bbox)


def page_parts(pc: PageContent) -> list:
    """The page's body lines and tables, top to bottom (``BodyLines.right`` is this page's
    own text extent; ``assemble`` widens it to the document's text column)."""
    nodes = nest_grids(find_grids(pc.rules))
    body = place_pieces(nodes, pc.pieces)
    lines = group_lines(body)
    right = max([l.bbox[2] for l in lines] + [n.grid.bbox[2] for n in nodes], default=pc.width)
    items: list[tuple[float, object]] = [(n.grid.bbox[1], _proto(n, pc.number, pc.kind)) for n in nodes]
    # body lines between tables stay apart: each run of lines is one item
    run: list[Line] = []
    tops = sorted(n.grid.bbox[1] for n in nodes)
    for l in lines:
        if run and any(run[-1].bbox[1] < t <= l.bbox[1] for t in tops):
            items.append((run[0].bbox[1], BodyLines(pc.number, run, right, pc.kind)))
            run = []
        run.append(l)
    if run:
        items.append((run[0].bbox[1], BodyLines(pc.number, run, right, pc.kind)))
    items.sort(key=lambda it: it[0])
    return [it[1] for it in items]


# ------------------------------------------------------------------------ joining across pages


def _merge_xs(a: list[float], b: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(a + b):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _col_index(xs: list[float], v: float) -> int:
    return min(range(len(xs)), key=lambda i: abs(xs[i] - v))


def _reindex(t: ProtoTable, xs: list[float], dx: float = 0.0) -> None:
    """Column indexes of the table's cells against ``xs``; ``dx``: how far this table's page
    lies right of the page ``xs`` were measured on."""
    for c in t.cells:
        c0, c1 = _col_index(xs, c.parts[0].bbox[0] - dx), _col_index(xs, c.parts[0].bbox[2] - dx)
        c.col, c.col_span = c0, max(1, c1 - c0)
    t.xs = xs


EDGE_TOLERANCE_PT = MappingProxyType({"text": 3.0, "scan": 10.0})
# how far a table's left and right edges may lie from those of the table it continues, by page
# kind: a text layer prints them to the point; a scanned page straightened to a fraction of a
# degree still shifts them by up to 8–9 pt between one page's foot and the next page's head


def _kind(t: ProtoTable) -> str:
    return t.cells[0].parts[0].kind if t.cells and t.cells[0].parts else "text"


PAGE_SHIFT_PT = MappingProxyType({"text": 0.0, "scan": 36.0})
# how far a whole scanned page may lie sideways of the one before it (a sheet fed a little off:
# 21 pt seen on a held-out rendition): the table's width must agree, its edges may move together


def page_shift(prev: ProtoTable, nxt: ProtoTable) -> Optional[float]:
    """How far right of ``prev``'s page ``nxt`` lies when it continues ``prev`` after the page
    break (same edges, or on a scan the same width moved sideways by at most
    ``PAGE_SHIFT_PT``); None when it does not continue it."""
    if nxt.page != prev.last_page + 1:
        return None
    kinds = (_kind(prev), _kind(nxt))
    tol = max(EDGE_TOLERANCE_PT.get(k, 3.0) for k in kinds)
    dl, dr = nxt.xs[0] - prev.xs[0], nxt.xs[-1] - prev.xs[-1]
    if abs(dl) <= tol and abs(dr) <= tol:
        return 0.0
    dx = (dl + dr) / 2
    if abs(dl - dr) <= tol and abs(dx) <= max(PAGE_SHIFT_PT.get(k, 0.0) for k in kinds):
        return dx
    return None


def continues(prev: ProtoTable, nxt: ProtoTable) -> bool:
    """Same left and right edges (on a scan: moved together): the table goes on after the page break."""
    return page_shift(prev, nxt) is not None


@dataclass(frozen=True)
class BreakSettings:
    """How a row below a page break is told from the rest of the row the break cut.  Units:
    the label's own line height (its font size)."""
    cut_top_gap_lines: float = 0.6     # a cut label starts at its cell's top (padding only, seen
                                       # 0.1–0.3); a whole label centred in a taller row starts lower
    cut_foot_gap_lines: float = 2.0    # ... and ends near its cell's foot on the page: one more
                                       # line (pitch 1.2–1.5) plus padding did not fit
    same_cell_overlap: float = 0.85    # share of the wider one's width two cells either side of
                                       # the break overlap by to be one cell when their column
                                       # indexes differ (a scan's rules shift a few points
                                       # between pages: seen 8 pt at a page's foot)


BREAK = BreakSettings()


def _label_cut(part: CellPart) -> bool:
    """The label's text went on after the break: its last line runs to its cell's right edge,
    the text starts at the cell's top and ends at its foot on the page.  A label that ends
    short of the foot or is centred in a taller row is whole, however full its one line looks."""
    if not part.lines:
        return False
    first, last = part.lines[0], part.lines[-1]
    at_top = first.bbox[1] - part.bbox[1] <= BREAK.cut_top_gap_lines * first.size
    at_foot = part.bbox[3] - last.bbox[3] <= BREAK.cut_foot_gap_lines * last.size
    return at_top and at_foot and is_full(last, column_of(part.lines, part.bbox), part.kind)


def _row_is_split(prev: ProtoTable, nxt: ProtoTable, body_bottom: float, line_h: float, dx: float = 0.0) -> bool:
    if prev.last_bbox is None or prev.last_bbox[3] < body_bottom - (1.5 * line_h + 6.0):
        return False                      # the table ended short of the foot: a clean break
    first = nxt.cells_in_row(0)
    if not first or not any(c.has_text() for c in first):
        return False
    lead = first[0]
    if len(first) == 1:
        return True
    if not lead.has_text():
        return _goes_on(prev, first, dx)
    # the row below has its own label (its first cell holds text): it is a new row unless the
    # label above was itself cut, or the label below is only the printed note that ends a label
    # (（200字以内）) while a value above runs full to the foot of the page
    row_above = prev.cells_in_row(prev.n_rows - 1)
    if any(_label_cut(c.parts[-1]) for c in row_above if c.col == lead.col):
        return True
    return _only_a_note(lead) and any(_value_cut(c.parts[-1]) for c in row_above if c.col > lead.col)


def _goes_on(prev: ProtoTable, first: list[ProtoCell], dx: float) -> bool:
    """Below the break the first column is blank: the row is the one above cut in two
    (a narrative's rest under its label's blank continuation), unless the row below holds
    text in more than one cell and its first such cell stands under a whole text — a label
    merged down the rows (绿色化 over 二氧化碳排放量 and 单位工业产值能耗): the short indicator
    above ended short of a cut, so the indicator, baseline and target below are a row of
    their own."""
    texts = [c for c in first if c.has_text()]
    if len(texts) < 2:
        return True
    above = _cell_above(prev.cells_in_row(prev.n_rows - 1), texts[0], dx)
    if above is None or not above.has_text():
        return True
    return _label_cut(above.parts[-1]) or _value_cut(above.parts[-1])


_NOTE = re.compile(r"^[（(][^（()）]*[)）]$")


def _only_a_note(cell: ProtoCell) -> bool:
    """The cell's text is one bracketed note and nothing else: the tail of a label, never a
    label of its own."""
    return bool(_NOTE.match("".join(ln.text for p in cell.parts for ln in p.lines).replace(" ", "")))


def _value_cut(part: CellPart) -> bool:
    """A value's text went on after the break: its last line is full and ends at its cell's foot
    on the page (where it starts does not matter: a value fills its cell from the top)."""
    if not part.lines:
        return False
    last = part.lines[-1]
    at_foot = part.bbox[3] - last.bbox[3] <= BREAK.cut_foot_gap_lines * last.size
    return at_foot and is_full(last, column_of(part.lines, part.bbox), part.kind)


def _x_overlap(a: ProtoCell, b: ProtoCell, dx: float = 0.0) -> float:
    """How much of the wider cell's width the two cells share (0–1), in points, ``b``'s page
    lying ``dx`` right of ``a``'s."""
    (a0, a1), (b0, b1) = (a.parts[-1].bbox[0], a.parts[-1].bbox[2]), (b.parts[0].bbox[0] - dx, b.parts[0].bbox[2] - dx)
    wider = max(a1 - a0, b1 - b0)
    return max(0.0, min(a1, b1) - max(a0, b0)) / wider if wider > 0 else 0.0


def _cell_above(bottom: list[ProtoCell], c: ProtoCell, dx: float = 0.0) -> Optional[ProtoCell]:
    """The cell of the row above the break that ``c`` (first row below it) sits under: the same
    columns, else the one it covers horizontally (``BREAK.same_cell_overlap``)."""
    same = [b for b in bottom if (b.col, b.col_span) == (c.col, c.col_span)]
    if same:
        return same[0]
    best = max(bottom, key=lambda b: _x_overlap(b, c, dx), default=None)
    return best if best is not None and _x_overlap(best, c, dx) >= BREAK.same_cell_overlap else None


MERGE_TOLERANCE_PT = MappingProxyType({"text": 2.0, "scan": 10.0})
# column rules of the two halves of a table closer than this are one rule: on a scan the same
# rule lies up to 8-9 pt off on the next page (as EDGE_TOLERANCE_PT), and kept apart it would
# shift every cell below the break one column


def _join(prev: ProtoTable, nxt: ProtoTable, body_bottom: float, line_h: float, dx: float = 0.0) -> None:
    kinds = (_kind(prev), _kind(nxt))
    xs = _merge_xs(prev.xs, [x - dx for x in nxt.xs], max(MERGE_TOLERANCE_PT.get(k, 2.0) for k in kinds))
    _reindex(prev, xs)
    _reindex(nxt, xs, dx)
    split = _row_is_split(prev, nxt, body_bottom, line_h, dx)
    last = prev.n_rows - 1
    offset = prev.n_rows - (1 if split else 0)
    bottom = prev.cells_in_row(last)
    for c in nxt.cells:
        above = _cell_above(bottom, c, dx) if c.row == 0 else None
        if above is not None and (split or (c.col == 0 and not c.has_text() and above.has_text()
                                            and any(o.has_text() for o in nxt.cells_in_row(0) if o is not c))):
            # the same cell on both sides of the break (a split row, or a label's vMerge)
            above.row_span = offset + c.row_span - above.row
            above.parts.extend(c.parts)
            above.tables.extend(c.tables)
            continue
        c.row += offset
        prev.cells.append(c)
    prev.n_rows = offset + nxt.n_rows
    prev.last_page, prev.last_bbox = nxt.page, nxt.bbox


def join_parts(parts: list, body_bottom: float, line_h: float) -> list:
    """Tables that continue across a page break become one (see the module docstring)."""
    out: list = []
    for it in parts:
        prev = out[-1] if out else None
        dx = page_shift(prev, it) if isinstance(it, ProtoTable) and isinstance(prev, ProtoTable) else None
        if dx is not None:
            _join(prev, it, body_bottom, line_h, dx)
            continue
        out.append(it)
    return out


# ------------------------------------------------------------------------ to the model

def _confidence(lines: list[Line]) -> float:
    cs = [p.confidence for l in lines for p in l.pieces if isinstance(p, TextPiece) and p.text.strip()]
    return round(min(cs), 4) if cs else 1.0


def _paragraph(file: str, page: int, groups: list[list[Line]], cell_src: Optional[Source],
               lost: frozenset = frozenset()) -> Paragraph:
    """One paragraph from its lines (possibly on two pages: ``groups`` per page); a paragraph
    holding a line in ``lost`` (ids of scanned lines that lost their start: ``lines.lost_start``)
    has its confidence capped below the bar; a scanned paragraph keeps the characters read
    unsure that make no word in ``doubts`` (``doubtful_chars``: the mapper judges the values)."""
    pieces: list = []
    prev_text = ""
    all_lines = [l for g in groups for l in g]
    for l in all_lines:
        if pieces:
            sep = join_break(prev_text, l.text)
            if sep:
                pieces.append(sep)
        pieces.extend(line_text_pieces(l))
        prev_text = l.text
    bbox = union(l.bbox for l in groups[0])
    if cell_src is not None:
        src = Source(file, page, bbox, cell_src.table, cell_src.row, cell_src.col)
    else:
        src = Source(file, page, bbox)
    conf = _confidence(all_lines)
    if any(id(l) in lost for l in all_lines):
        conf = min(conf, LOST_TEXT.confidence)
    para = build_paragraph(pieces, src, conf)
    para.doubts = doubtful_chars(piece_chars(p for l in all_lines for p in l.pieces)) or None
    return para


def _lost_lines(lines: list[Line], col: Column, kind: str) -> set[int]:
    return {id(line) for prev, line in zip(lines, lines[1:]) if lost_start(prev, line, col, kind)}


def _cell_paragraphs(file: str, cell: ProtoCell, cell_src: Source) -> list[Paragraph]:
    paras: list[Paragraph] = []
    pending: Optional[tuple[int, list[list[Line]]]] = None   # a paragraph running to the foot of a part
    lost: set[int] = set()
    for part in cell.parts:
        if not part.lines:
            continue
        col = column_of(part.lines, part.bbox)
        kind = part.kind
        lost |= _lost_lines(part.lines, col, kind)
        groups = split_paragraphs(part.lines, col, kind)
        for i, g in enumerate(groups):
            if i == 0 and pending is not None and not (g[0].bbox[0] > col.left + 1.2 * g[0].size):
                page, gs = pending
                gs.append(g)
                pending = None
                if i == len(groups) - 1 and is_full(g[-1], col, kind):
                    pending = (page, gs)
                    continue
                paras.append(_paragraph(file, page, gs, cell_src, frozenset(lost)))
                continue
            if pending is not None:
                paras.append(_paragraph(file, pending[0], pending[1], cell_src, frozenset(lost)))
                pending = None
            if i == len(groups) - 1 and is_full(g[-1], col, kind):
                pending = (part.page, [g])
            else:
                paras.append(_paragraph(file, part.page, [g], cell_src, frozenset(lost)))
    if pending is not None:
        paras.append(_paragraph(file, pending[0], pending[1], cell_src, frozenset(lost)))
    return paras


def _text_part(cell: ProtoCell) -> CellPart:
    """The part of a cell where its text is (the first with most characters)."""
    best = max(cell.parts, key=lambda p: sum(len(l.pieces) for l in p.lines))
    return best if best.lines else cell.parts[0]


def _table(file: str, t: ProtoTable, counter: list[int]) -> Table:
    index = counter[0]
    counter[0] += 1
    cells = []
    n_cols = len(t.xs) - 1
    for c in sorted(t.cells, key=lambda c: (c.row, c.col)):
        part = _text_part(c)
        src = Source(file, part.page, part.bbox, index, c.row, c.col)
        paragraphs = _cell_paragraphs(file, c, src)
        nested = [_table(file, nt, counter) for nt in c.tables]
        conf = min([p.confidence for p in paragraphs if p.text.strip()] or [1.0])
        cells.append(Cell(c.row, c.col, c.row_span, c.col_span, paragraphs, nested, src, conf))
    return Table(index, t.n_rows, n_cols, cells, Source(file, t.page, t.bbox, index))


def _body(file: str, b: BodyLines) -> list[Paragraph]:
    col = Column(min(l.bbox[0] for l in b.lines), b.right)
    lost = frozenset(_lost_lines(b.lines, col, b.kind))
    return [_paragraph(file, b.page, [g], None, lost) for g in split_paragraphs(b.lines, col, b.kind)]


def _body_bottom(parts: list) -> float:
    """The lowest text or table of the document's pages (furniture already taken out)."""
    bottoms = [it.bbox[3] if isinstance(it, ProtoTable) else it.lines[-1].bbox[3] for it in parts]
    return max(bottoms) if bottoms else 0.0


def _line_height(pages: list[PageContent]) -> float:
    hs = sorted(p.bbox[3] - p.bbox[1] for pc in pages for p in pc.pieces if isinstance(p, TextPiece))
    return hs[len(hs) // 2] if hs else 12.0


def strip_furniture(pages: list[PageContent], parts_of: list[list]) -> tuple[list[list], list[Furniture]]:
    """Each page's parts without its running headers, footers and page numbers, and what was
    taken out (``extractors.layout.furniture``)."""
    ends = []
    for pc, parts in zip(pages, parts_of):
        top = parts[0].lines if parts and isinstance(parts[0], BodyLines) else []
        bottom = parts[-1].lines if parts and isinstance(parts[-1], BodyLines) else []
        content = sum(len(it.lines) if isinstance(it, BodyLines) else 1 for it in parts)
        ends.append(PageEnds(pc.number, pc.kind, pc.height, top, bottom, content))
    found = find_furniture(ends)
    gone = {id(line) for line, _ in found}
    out = []
    for parts in parts_of:
        kept = []
        for it in parts:
            if isinstance(it, BodyLines):
                it.lines = [l for l in it.lines if id(l) not in gone]
                if not it.lines:
                    continue
            kept.append(it)
        out.append(kept)
    return out, [f for _, f in found]


def _widen_body(parts: list, pages: list[PageContent]) -> None:
    """The body text column's right edge: the widest text or table on pages of the same width,
    and no less than the left margin mirrored (a page of short lines has no full line)."""
    right: dict[int, float] = {}
    left: dict[int, float] = {}
    width_of = {pc.number: round(pc.width) for pc in pages}
    for it in parts:
        w = width_of[it.page]
        edge = it.right if isinstance(it, BodyLines) else it.bbox[2]
        right[w] = max(right.get(w, 0.0), edge)
        x0 = min(l.bbox[0] for l in it.lines) if isinstance(it, BodyLines) else it.bbox[0]
        left[w] = min(left.get(w, float(w)), x0)
    for w in right:
        right[w] = max(right[w], w - left[w])
    for it in parts:
        if isinstance(it, BodyLines):
            it.right = right[width_of[it.page]]


def assemble(file: str, pages: list[PageContent], fmt: str) -> Document:
    """The document model of a file's pages (text-layer or OCR'd, or both).

    Pure: everything it needs travels with the pages and parts (each part knows its page's
    kind), so documents can be assembled in several threads at once."""
    parts_of, furniture = strip_furniture(pages, [page_parts(pc) for pc in pages])
    parts = [it for page_parts_ in parts_of for it in page_parts_]
    _widen_body(parts, pages)
    parts = join_parts(parts, _body_bottom(parts), _line_height(pages))
    blocks: list = []
    counter = [0]
    for it in parts:
        if isinstance(it, ProtoTable):
            blocks.append(_table(file, it, counter))
        else:
            blocks.extend(_body(file, it))
    doc = Document(file=file, format=fmt, blocks=blocks,
                   pages=[Page(pc.number, pc.width, pc.height, pc.kind, pc.rotation, pc.dpi) for pc in pages])
    for pc in pages:
        doc.marks.extend(pc.marks)
        doc.warnings.extend(pc.warnings)
    if furniture:
        doc.meta["furniture"] = [f.to_dict() for f in furniture]
    return doc
