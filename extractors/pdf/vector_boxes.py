"""Checkboxes drawn as vector graphics rather than as a glyph.

LibreOffice prints a legacy ``FORMCHECKBOX`` field as a small stroked square, with its two
diagonals drawn as lines when it is checked (☒); other producers draw the same square as four
separate short lines, or with rounded corners (a curved path), and the mark as a check path
(a curve), a cross or a filled inner square.  A box is a stroked, unfilled square of 5–16 pt
made in one of those three ways; it is ticked when a line or curve lies inside it (a cross or
a tick) or a filled square sits within it.  Both the boxes and their strokes are taken out of
the page's ruling lines, so that they are never read as table cells.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from pipeline.model.document import BBox

MIN_SIDE, MAX_SIDE = 5.0, 16.0      # points
SQUARE_TOL = 0.25                   # |width − height| as a share of the longer side
EDGE_TOL = 1.0                      # points: how far a point of a square's outline may be from its edge
JOIN_TOL = 1.0                      # points: how far the ends of four lines may be from the corners


@dataclass
class VectorBox:
    bbox: BBox
    ticked: bool
    parts: list[int]          # id() of the page objects that make it up (rect and strokes)


def _bbox(o: dict) -> BBox:
    return (float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"]))


def _square(b: BBox) -> bool:
    w, h = b[2] - b[0], b[3] - b[1]
    return MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE and abs(w - h) <= SQUARE_TOL * max(w, h)


def _is_box(r: dict) -> bool:
    return _square(_bbox(r)) and bool(r.get("stroke")) and not r.get("fill")


def _outline_curve(c: dict) -> bool:
    """A stroked curve whose points all lie on its own square bbox: a box with rounded corners."""
    b = _bbox(c)
    pts = c.get("pts") or []
    if not (_square(b) and c.get("stroke") and not c.get("fill") and len(pts) >= 4):
        return False
    side = b[2] - b[0]
    corner = 0.35 * side                # a rounded corner's control points sit near the corner
    for x, y in pts:
        on_edge = min(abs(x - b[0]), abs(x - b[2]), abs(y - b[1]), abs(y - b[3])) <= EDGE_TOL
        near_corner = min(abs(x - b[0]), abs(x - b[2])) <= corner and min(abs(y - b[1]), abs(y - b[3])) <= corner
        if not (on_edge or near_corner):
            return False
    return True


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= JOIN_TOL


def _four_lines(lines: list[dict]) -> list[tuple[BBox, list[int]]]:
    """Squares drawn as four separate short lines (two horizontal, two vertical)."""
    hs = [l for l in lines if abs(l["bottom"] - l["top"]) <= 0.5 and MIN_SIDE <= l["x1"] - l["x0"] <= MAX_SIDE]
    vs = [l for l in lines if abs(l["x1"] - l["x0"]) <= 0.5 and MIN_SIDE <= l["bottom"] - l["top"] <= MAX_SIDE]
    out = []
    for top in hs:
        for bottom in hs:
            if bottom is top or bottom["top"] <= top["top"] or not (_near(top["x0"], bottom["x0"]) and
                                                                    _near(top["x1"], bottom["x1"])):
                continue
            b = (float(top["x0"]), float(top["top"]), float(top["x1"]), float(bottom["top"]))
            if not _square(b):
                continue
            left = _side(vs, b[0], b)
            right = _side(vs, b[2], b)
            if left is not None and right is not None:
                out.append((b, [id(top), id(bottom), id(left), id(right)]))
    return out


def _side(vs: list[dict], x: float, b: BBox) -> Optional[dict]:
    for v in vs:
        if _near(v["x0"], x) and _near(v["top"], b[1]) and _near(v["bottom"], b[3]):
            return v
    return None


def _within(inner: BBox, outer: BBox, tol: float = 0.8) -> bool:
    return (inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol and
            inner[2] <= outer[2] + tol and inner[3] <= outer[3] + tol)


def _mark_inside(b: BBox, own: set[int], lines: list[dict], curves: list[dict], rects: list[dict]) -> list[int]:
    """The strokes (a cross, a check path) or filled square that tick the box ``b``."""
    side = b[2] - b[0]
    found = []
    for o in list(lines) + list(curves):
        if id(o) in own:
            continue
        ob = _bbox(o)
        diag = (ob[2] - ob[0]) > 0.3 * side and (ob[3] - ob[1]) > 0.3 * side   # not an edge of the box
        if diag and _within(ob, b):
            found.append(id(o))
    for o in rects:
        if id(o) in own or not o.get("fill"):
            continue
        ob = _bbox(o)
        if _within(ob, b) and (ob[2] - ob[0]) > 0.3 * side:
            found.append(id(o))
    return found


def find_vector_boxes(rects: list[dict], lines: list[dict], curves: list[dict]) -> list[VectorBox]:
    outlines: list[tuple[BBox, list[int]]] = [(_bbox(r), [id(r)]) for r in rects if _is_box(r)]
    outlines += [(_bbox(c), [id(c)]) for c in curves if _outline_curve(c)]
    outlines += _four_lines(lines)
    taken = {i for _, ids in outlines for i in ids}
    boxes = []
    for b, ids in outlines:
        marks = _mark_inside(b, taken, lines, curves, rects)
        boxes.append(VectorBox(b, bool(marks), ids + marks))
    return boxes
