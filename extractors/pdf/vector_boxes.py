"""Checkboxes drawn as vector graphics rather than as a glyph.

LibreOffice prints a legacy ``FORMCHECKBOX`` field as a small stroked square, with its two
diagonals drawn as lines when it is checked (☒); other producers draw the same with four short
lines or a filled inner square.  A box is a stroked, unfilled square of 5–16 pt; it is ticked
when a line or curve lies inside it (a cross or a tick) or a filled square sits within it.
Both the boxes and their strokes are taken out of the page's ruling lines, so that they are
never read as table cells.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.model.document import BBox

MIN_SIDE, MAX_SIDE = 5.0, 16.0


@dataclass
class VectorBox:
    bbox: BBox
    ticked: bool
    parts: list[int]          # id() of the page objects that make it up (rect and strokes)


def _bbox(o: dict) -> BBox:
    return (float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"]))


def _is_box(r: dict) -> bool:
    w, h = r["x1"] - r["x0"], r["bottom"] - r["top"]
    return (MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE and abs(w - h) <= 0.25 * max(w, h)
            and bool(r.get("stroke")) and not r.get("fill"))


def _within(inner: BBox, outer: BBox, tol: float = 0.8) -> bool:
    return (inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol and
            inner[2] <= outer[2] + tol and inner[3] <= outer[3] + tol)


def find_vector_boxes(rects: list[dict], lines: list[dict], curves: list[dict]) -> list[VectorBox]:
    boxes = []
    for r in rects:
        if not _is_box(r):
            continue
        b = _bbox(r)
        side = b[2] - b[0]
        parts = [id(r)]
        ticked = False
        for o in list(lines) + list(curves):
            ob = _bbox(o)
            diag = (ob[2] - ob[0]) > 0.3 * side and (ob[3] - ob[1]) > 0.3 * side   # not an edge of the box
            if diag and _within(ob, b):
                ticked = True
                parts.append(id(o))
        for o in rects:
            if o is r or not o.get("fill"):
                continue
            ob = _bbox(o)
            if _within(ob, b) and (ob[2] - ob[0]) > 0.3 * side:
                ticked = True
                parts.append(id(o))
        boxes.append(VectorBox(b, ticked, parts))
    return boxes
