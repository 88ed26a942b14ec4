"""Positioned pieces → lines → paragraphs, as a reader of the printed page would group them.

* :func:`group_lines`: pieces whose vertical extents overlap by half the smaller height are
  one line, ordered left to right.
* :func:`split_paragraphs`: a wrapped narrative is ONE paragraph (as in the DOCX); a new
  paragraph starts after a *short* line (one that ends well before the text column's right
  edge), at a first-line indent, after a vertical gap larger than the usual line gap, or at a
  numbered item (``（2）``, ``2.``, ``a.``) after a line that ended a sentence — but never
  where the line, flush below, closes a bracket the line above left open (a wrap short of an
  edge the reader cannot see, such as an indented cover line).
* :func:`line_text_pieces`: the pieces of a line as :func:`pipeline.model.ticks.build_paragraph`
  takes them: ``(char, bbox)`` tuples, glyphs, and a space where a gap wider than a character
  separates two pieces (text layers of Word/LibreOffice PDFs draw no space glyphs).
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from types import MappingProxyType
from typing import Optional

from pipeline.model.document import BBox

from .pieces import GlyphPiece, Piece, TextPiece, piece_size, union


@dataclass
class Line:
    pieces: list[Piece]
    bbox: BBox
    size: float

    @property
    def text(self) -> str:
        return "".join(p.text if isinstance(p, TextPiece) else "□" for p in self.pieces
                       if not (isinstance(p, TextPiece) and p.text.isspace()))

    @property
    def starts_with_box(self) -> bool:
        return bool(self.pieces) and isinstance(self.pieces[0], GlyphPiece)


@dataclass
class Column:
    """The text column lines sit in: a cell's inner box or the page's body text."""
    left: float
    right: float
    pad: float = 0.0


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def _is_space(p: Piece) -> bool:
    return isinstance(p, TextPiece) and p.text.isspace()


def group_lines(pieces: list[Piece]) -> list[Line]:
    """Lines top to bottom, pieces left to right in each (lines of nothing but spaces dropped)."""
    rows: list[list] = []          # [top, bottom, pieces]
    for p in sorted(pieces, key=lambda p: (p.bbox[1] + p.bbox[3]) / 2):
        t, b = p.bbox[1], p.bbox[3]
        h = max(b - t, 0.1)
        best, best_ov = None, 0.0
        for r in rows[-4:]:
            ov = _overlap(t, b, r[0], r[1])
            if ov >= 0.5 * min(h, r[1] - r[0]) and ov > best_ov:
                best, best_ov = r, ov
        if best is None:
            rows.append([t, b, [p]])
        else:
            best[2].append(p)
            if isinstance(p, TextPiece) and not p.text.isspace():
                best[0], best[1] = min(best[0], t), max(best[1], b)
    lines = []
    for _, _, ps in sorted(rows, key=lambda r: r[0]):
        ink = [p for p in ps if not _is_space(p)]
        if not ink:
            continue
        ps.sort(key=lambda p: (p.bbox[0], p.bbox[1]))
        sizes = [piece_size(p) for p in ink if isinstance(p, TextPiece)] or [piece_size(p) for p in ink]
        lines.append(Line(ps, union(p.bbox for p in ink), statistics.median(sizes)))
    return lines


def column_of(lines: list[Line], cell_bbox: Optional[BBox] = None) -> Column:
    """The text column: a cell's box less the padding seen on its left, else the lines' extent."""
    left = min(l.bbox[0] for l in lines)
    right = max(l.bbox[2] for l in lines)
    if cell_bbox is not None:
        pad = max(0.0, min(left - cell_bbox[0], 12.0))
        return Column(left, cell_bbox[2] - pad, pad)
    return Column(left, right)


FULL_TOL = 1.0        # a wrapped line ends less than this many characters short of the edge
# ... and a line ending with a full stop must be nearly flush: a justified line is stretched to
# the edge, a paragraph's last line is not.  OCR boxes are looser.
FULL_TOL_STOP = MappingProxyType({"text": 0.3, "scan": 0.5})
_STOPS = frozenset("。！？；：!?;:")


def is_full(line: Line, col: Column, kind: str = "text") -> bool:
    """The line runs to the column's right edge (so the text wrapped after it)."""
    last = line.text.rstrip()[-1:]
    tol = FULL_TOL_STOP.get(kind, FULL_TOL_STOP["scan"]) if last in _STOPS else FULL_TOL
    return line.bbox[2] >= col.right - tol * line.size


GAP_TOL = MappingProxyType({"text": 0.6, "scan": 0.8})   # extra gap (× font size) that starts a paragraph, by page kind


# an enumerator opening a line — （2） (2) 2. 2、 a. b） — after a line that ended a sentence
_ENUM = re.compile(r"^\s*(?:[（(]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[.．、](?!\d)|[a-zA-Z]\s*[.．、)）])")


_OPEN, _CLOSE = "（(【[《“", "）)】]》”"


def open_bracket(text: str) -> bool:
    """The text leaves a bracket open: a sentence does not end inside brackets."""
    depth = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
    return depth > 0


def closes_bracket(prev: Line, line: Line, usual_gap: Optional[float], gap_tol: float) -> bool:
    """``line`` goes on with a bracket ``prev`` left open, flush below it at the usual spacing
    (a wrapped line short of an edge the reader cannot see, such as a cover line's indent)."""
    gap = line.bbox[1] - prev.bbox[3]
    return (open_bracket(prev.text) and any(ch in _CLOSE for ch in line.text)
            and abs(line.bbox[0] - prev.bbox[0]) <= 0.5 * line.size
            and (usual_gap is None or gap <= usual_gap + gap_tol * line.size))


def starts_paragraph(prev: Line, line: Line, col: Column, usual_gap: Optional[float],
                     gap_tol: float = GAP_TOL["text"], kind: str = "text") -> bool:
    if closes_bracket(prev, line, usual_gap, gap_tol):
        return False
    if not is_full(prev, col, kind):
        return True
    if line.bbox[0] > prev.bbox[0] + 1.0 * line.size:      # first-line indent
        return True
    if prev.text.rstrip()[-1:] in _STOPS and _ENUM.match(line.text):
        return True                                       # a numbered item or heading
    gap = line.bbox[1] - prev.bbox[3]
    if usual_gap is not None and gap > usual_gap + gap_tol * line.size:
        return True
    return False


@dataclass(frozen=True)
class LostTextSettings:
    """A scanned line whose first characters the recogniser never read: a wrapped line starts
    at its column's left edge (or, centred, as far in as it stops short of the right edge), a
    paragraph's first line after a finished sentence.  A line that starts well in from the
    edge, further than it stops short of the right one, under a full line that ends
    mid-sentence lost its start (境外分支机构达到13 over 主导产品出口额: the 个， opening the
    second line was not read)."""
    start_in_chars: float = 1.5     # the line starts this many font sizes further in from the
                                    # column's left than it stops short of its right
    confidence: float = 0.6         # ... and its paragraph's confidence is capped here, below the
                                    # bar (pipeline.model.extraction.UNREADABLE_BELOW, 0.75)


LOST_TEXT = LostTextSettings()


def lost_start(prev: Line, line: Line, col: Column, kind: str) -> bool:
    """On a scan, ``line`` lost its first characters (``LostTextSettings``)."""
    indent, short = line.bbox[0] - col.left, max(0.0, col.right - line.bbox[2])
    return (kind == "scan" and is_full(prev, col, kind) and prev.text.rstrip()[-1:] not in _STOPS
            and indent - short > LOST_TEXT.start_in_chars * line.size)


def usual_gap(lines: list[Line]) -> Optional[float]:
    gaps = [b.bbox[1] - a.bbox[3] for a, b in zip(lines, lines[1:])]
    return statistics.median(gaps) if len(gaps) >= 2 else None


def split_paragraphs(lines: list[Line], col: Column, kind: str = "text") -> list[list[Line]]:
    """Lines grouped into paragraphs; ``kind`` "scan" tolerates the looser line boxes of OCR."""
    if not lines:
        return []
    ug = usual_gap(lines)
    tol = GAP_TOL.get(kind, GAP_TOL["scan"])
    paras = [[lines[0]]]
    for prev, line in zip(lines, lines[1:]):
        if starts_paragraph(prev, line, col, ug, tol, kind):
            paras.append([line])
        else:
            paras[-1].append(line)
    return paras


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _chars(p: TextPiece) -> list[tuple[str, BBox]]:
    """A piece's characters with boxes (an OCR box's width shared out evenly)."""
    if len(p.text) <= 1:
        return [(p.text, p.bbox)] if p.text else []
    x0, t, x1, b = p.bbox
    w = (x1 - x0) / len(p.text)
    return [(ch, (x0 + i * w, t, x0 + (i + 1) * w, b)) for i, ch in enumerate(p.text)]


def spaces_in_gap(spaces: list[TextPiece], left: float, right: float) -> int:
    """How many space glyphs really stand in the gap between two glyphs: those whose centre
    lies in it, duplicates (same place) counted once, as many as the gap is wide for (90% of
    their widths).  LibreOffice also writes space glyphs over other glyphs and in the small
    extra gap it puts between CJK and Latin text; those are not spaces."""
    gap = right - left
    inside = sorted((s for s in spaces if left - 0.5 <= (s.bbox[0] + s.bbox[2]) / 2 <= right + 0.5),
                    key=lambda s: s.bbox[0])
    distinct: list[TextPiece] = []
    for s in inside:
        if distinct and _overlap(s.bbox[0], s.bbox[2], distinct[-1].bbox[0], distinct[-1].bbox[2]) > \
                0.5 * (s.bbox[2] - s.bbox[0]):
            continue
        distinct.append(s)
    n, width = 0, 0.0
    for s in distinct:
        w = s.bbox[2] - s.bbox[0]
        if gap < 0.9 * (width + w):
            break
        n, width = n + 1, width + w
    return n


def line_text_pieces(line: Line) -> list:
    """Pieces for build_paragraph: ``(char, bbox)`` tuples and glyphs, with the space glyphs
    that really stand in a gap (``spaces_in_gap``), else one space where a gap is as wide as a
    character (a tab) or separates two Latin words by more than a fifth of the font size."""
    out: list = []
    ink = [p for p in line.pieces if not _is_space(p)]
    spaces = [p for p in line.pieces if _is_space(p)]
    prev: Optional[Piece] = None
    for p in ink:
        if prev is not None:
            left, right = prev.bbox[2], p.bbox[0]
            gap = right - left
            last = prev.text[-1:] if isinstance(prev, TextPiece) else ""
            first = p.text[:1] if isinstance(p, TextPiece) else ""
            latin = _is_ascii_word(last) and _is_ascii_word(first)
            n = spaces_in_gap(spaces, left, right)
            if n == 0 and (gap > 0.9 * line.size or (latin and gap > 0.22 * line.size)):
                n = 1
            if n and not last.isspace() and not first.isspace():
                out.append(" " * n)
        if isinstance(p, GlyphPiece):
            g = p.glyph
            if g.bbox is None:
                g.bbox = p.bbox
            out.append(g)
        else:
            out.extend(_chars(p))
        prev = p
    return out


def join_break(prev_text: str, next_text: str) -> str:
    """What stands between two wrapped lines of one paragraph: nothing, or a space between words."""
    a, b = prev_text[-1:], next_text[:1]
    return " " if _is_ascii_word(a) and _is_ascii_word(b) else ""
