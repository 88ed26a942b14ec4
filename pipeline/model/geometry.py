"""One axis-aligned box type for every reader: overlap, inset, containment and distance.

``BBox(x0, y0, x1, y1)`` — left, top, right, bottom, in whatever unit the caller works in
(pixels on a scanned page, points on a PDF page); y grows downwards.  It is frozen: a step that
moves a box makes a new one (``shifted``, ``inset``, ``outset``), so no stage edits a box that
another stage holds.  ``BBox.of(seq)`` takes any 4-sequence (a tuple bbox of the document
model), ``tuple(b)`` gives one back.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Optional, Sequence


@dataclass(frozen=True)
class BBox:
    x0: float
    y0: float
    x1: float
    y1: float

    # ----------------------------------------------------------------------------- making
    @classmethod
    def of(cls, seq: Sequence[float]) -> "BBox":
        x0, y0, x1, y1 = seq
        return cls(float(x0), float(y0), float(x1), float(y1))

    @classmethod
    def around(cls, cx: float, cy: float, w: float, h: Optional[float] = None) -> "BBox":
        """The box of width ``w`` and height ``h`` (default ``w``) centred on (cx, cy)."""
        h = w if h is None else h
        return cls(cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0)

    @classmethod
    def union_of(cls, boxes: Iterable["BBox"]) -> Optional["BBox"]:
        bs = list(boxes)
        if not bs:
            return None
        return cls(min(b.x0 for b in bs), min(b.y0 for b in bs), max(b.x1 for b in bs), max(b.y1 for b in bs))

    def __iter__(self) -> Iterator[float]:
        return iter((self.x0, self.y0, self.x1, self.y1))

    def as_int(self) -> tuple[int, int, int, int]:
        return int(round(self.x0)), int(round(self.y0)), int(round(self.x1)), int(round(self.y1))

    # ----------------------------------------------------------------------------- measures
    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def side(self) -> float:
        """The longer side (a tick box is square: its side)."""
        return max(self.width, self.height)

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2.0

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2.0

    # ----------------------------------------------------------------------------- moving
    def shifted(self, dx: float, dy: float) -> "BBox":
        return BBox(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def inset(self, d: float) -> "BBox":
        """The box shrunk by ``d`` on every side (never past its own middle)."""
        d = min(d, self.width / 2.0, self.height / 2.0)
        return BBox(self.x0 + d, self.y0 + d, self.x1 - d, self.y1 - d)

    def outset(self, d: float) -> "BBox":
        return BBox(self.x0 - d, self.y0 - d, self.x1 + d, self.y1 + d)

    def scaled(self, f: float) -> "BBox":
        """Every coordinate times ``f`` (pixels ↔ points)."""
        return BBox(self.x0 * f, self.y0 * f, self.x1 * f, self.y1 * f)

    def clipped(self, width: float, height: float) -> "BBox":
        return BBox(max(0.0, self.x0), max(0.0, self.y0), min(width, self.x1), min(height, self.y1))

    # ----------------------------------------------------------------------------- relations
    def x_overlap(self, o: "BBox") -> float:
        return max(0.0, min(self.x1, o.x1) - max(self.x0, o.x0))

    def y_overlap(self, o: "BBox") -> float:
        return max(0.0, min(self.y1, o.y1) - max(self.y0, o.y0))

    def overlap(self, o: "BBox") -> float:
        """Area of the intersection."""
        return self.x_overlap(o) * self.y_overlap(o)

    def overlaps(self, o: "BBox", margin: float = 0.0) -> bool:
        """The boxes share area, or come within ``margin`` of each other."""
        return not (self.x1 + margin <= o.x0 or o.x1 + margin <= self.x0
                    or self.y1 + margin <= o.y0 or o.y1 + margin <= self.y0)

    def iou(self, o: "BBox") -> float:
        inter = self.overlap(o)
        union = self.area + o.area - inter
        return inter / union if union > 0 else 0.0

    def contains(self, o: "BBox", tol: float = 0.0) -> bool:
        return (o.x0 >= self.x0 - tol and o.y0 >= self.y0 - tol
                and o.x1 <= self.x1 + tol and o.y1 <= self.y1 + tol)

    def contains_point(self, x: float, y: float, tol: float = 0.0) -> bool:
        return self.x0 - tol <= x <= self.x1 + tol and self.y0 - tol <= y <= self.y1 + tol

    def centre_distance(self, o: "BBox") -> float:
        """The larger of the horizontal and vertical distance between the centres."""
        return max(abs(self.cx - o.cx), abs(self.cy - o.cy))
