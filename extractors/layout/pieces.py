"""What a page is made of before it becomes the document model, whatever read it.

A PDF text layer gives positioned characters (with font names), ruling lines and rectangle
edges; a scan gives OCR'd text boxes, ruling lines found by morphology and tick boxes whose
state the ink decided.  Both are written as the same :class:`PageContent`, in PDF points with
a top-left origin, so that :func:`extractors.layout.assemble.assemble` turns either into the
same :class:`~pipeline.model.Document`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

from pipeline.model.document import BBox, Mark
from pipeline.model.ticks import Glyph


@dataclass
class TextPiece:
    """A positioned char (PDF) or an OCR'd text box (scan); PDF points, top-left origin."""
    text: str
    bbox: BBox
    confidence: float = 1.0
    font: Optional[str] = None
    size: Optional[float] = None
    # scan: the recogniser's probability for each of ``text``'s non-space characters
    # (``layout.doubtful_chars``); None on a text layer
    char_scores: Optional[tuple[float, ...]] = None
    # scan: what the reader saw about each non-space character ('' nothing, LOST_BEFORE,
    # DOT_BETWEEN, PEN_OVER); None where it saw nothing on any
    char_flags: Optional[tuple[str, ...]] = None


LOST_BEFORE = "lost"    # a glyph the recogniser left out stands right before this character
DOT_BETWEEN = "dot"     # a middle dot between Chinese characters: an interpunct or a misread 。
PEN_OVER = "pen"        # a pen stroke crossed the character: the print under it went with the pen


@dataclass
class GlyphPiece:
    """A box or mark whose class is already decided (a symbol-font tick, an inked box)."""
    glyph: Glyph
    bbox: BBox

    @property
    def confidence(self) -> float:
        return self.glyph.confidence


Piece = Union[TextPiece, GlyphPiece]


@dataclass
class Rule:
    """A ruling line segment in points: horizontal when top≈bottom, vertical when x0≈x1."""
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.bottom - self.top) <= (self.x1 - self.x0)


@dataclass
class PageContent:
    """One page, whatever read it: its pieces, its ruling lines and its marks."""
    number: int                    # 1-based
    width: float                   # points
    height: float
    pieces: list[Piece]
    rules: list[Rule]
    kind: str = "text"             # "text" (text layer) | "scan" (OCR)
    marks: list[Mark] = field(default_factory=list)
    rotation: float = 0.0          # degrees the reader turned the image to deskew it
    dpi: Optional[float] = None    # raster resolution for scans
    warnings: list[str] = field(default_factory=list)


def piece_size(p: Piece) -> float:
    """The piece's font size in points (its box height when the reader did not say)."""
    size = getattr(p, "size", None)
    if size:
        return float(size)
    return max(1.0, p.bbox[3] - p.bbox[1])


def centre(b: BBox) -> tuple[float, float]:
    return (b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0


def union(boxes) -> Optional[BBox]:
    boxes = [b for b in boxes if b is not None]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))
