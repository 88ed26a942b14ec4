"""Tick boxes on a straightened page, and whether each is ticked, from the ink in and around it.

**Finding boxes.**  A printed box is a small square outline (``MIN_SIDE_PT``–``MAX_SIDE_PT``)
of straight thin print.  The print mask (pen-blue and seal-red excluded) is opened with short
horizontal and vertical kernels, which keeps straight strokes and drops the diagonal strokes of a
pen tick; pairs of horizontal runs of equal extent one side-length apart, joined by vertical
runs at both ends, are squares.  A square is *not* a box when

* its outline is heavier than a box's thin line, or leaves no room inside;
* it has straight print across its inside (国 田 回 图: a character with an enclosure) —
  a pen tick is diagonal;
* its straight strokes run on beyond the square to the left, top or bottom (a part of a
  larger glyph: 用 费 写 …; the label's first character may touch its right side) — unless
  it has ink inside, which a black pen tick joins to the outline;
* print sits right against its left side (``LEFT_CLEAR_PT``): 口 inside a word (出口, 接口),
  whereas a box follows a line start, a space or a tab.

**Deciding.**  The ink inside the box (inset from its border) is measured: dark or blue ink of
a pen tick, a printed ☑/☒ mark, or a fill.  Blue ink in a ring around the box counts as
evidence of a pen stroke that overruns it.  With ``f`` the inked share of the inside:

* ``f ≤ EMPTY_BELOW / 2``, or ``f ≤ EMPTY_BELOW`` with no pen ink around → unticked,
  confidence 0.8–1.0 the emptier it is (a neighbour's stroke passing by does not tick a box);
* ``f ≥ TICKED_ABOVE`` → ticked, confidence 0.8–1.0 the fuller the stroke;
* in between → ticked when blue pen ink is around the box, but only at confidence 0.7 (below
  the bar at which a value is used: a neighbour's stroke overrunning an empty box looks the
  same), else undecided (state None, confidence 0.4); the mapper reports either rather than
  guessing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import cv2
import numpy as np

from .ink import InkMasks

MIN_SIDE_PT = 3.2
MAX_SIDE_PT = 16.0
LEFT_CLEAR_PT = 2.5
EMPTY_BELOW = 0.03
TICKED_ABOVE = 0.09
PEN_RING_SHARE = 0.03
PEN_AROUND_CONFIDENCE = 0.7     # below pipeline.model.UNREADABLE_BELOW: reported, not used
SIDE_COVER = 0.65
HIDDEN_SIDE_COVER = 0.5
HIDDEN_BOX_CONFIDENCE = 0.85    # a pen tick with the square found under it (0.78: placed at its turn)


@dataclass
class Box:
    bbox: tuple[int, int, int, int]     # pixels on the straightened page: x0, y0, x1, y1 (exclusive)
    thickness: int
    state: Optional[bool] = None
    confidence: float = 0.0
    inside: float = 0.0                 # inked share of the inside
    pen_around: float = 0.0             # blue share of the ring around
    pen_inside: float = 0.0             # blue share of the inside
    sides: float = 1.0                  # ink along its least inked side (print or pen), 0–1
    sure: bool = True                   # found by its own outline (else from its siblings or a pen
                                        # stroke: to be confirmed against the OCR's reading)
    left_gap: Optional[int] = None      # clear paper (px) between the box and the print to its
                                        # left on its middle rows (``left_gap``); None: none near

    @property
    def side(self) -> int:
        return max(self.bbox[2] - self.bbox[0], self.bbox[3] - self.bbox[1])


def _runs(mask: np.ndarray, horizontal: bool, lo: float, hi: float) -> list[tuple[int, int, int, int]]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        length, thick = (w, h) if horizontal else (h, w)
        if lo <= length <= hi and thick <= max(3, 0.3 * length):
            out.append((x, y, w, h))
    return out


def _coverage(mask: np.ndarray, x0: int, x1: int, y0: int, y1: int, axis: int) -> float:
    """Share of rows (axis=1) or columns (axis=0) of the region holding any ink."""
    region = mask[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    if region.size == 0:
        return 0.0
    return float(region.any(axis=axis).mean())


def _side_cover(mask: np.ndarray, x0: int, y0: int, x1: int, y1: int, t: int) -> tuple[float, float, float, float]:
    """Ink coverage of the four sides of a square (top, bottom, left, right), each a band t thick."""
    t = max(2, t)
    top = _coverage(mask, x0, x1, y0 - 1, y0 + t, 0)
    bottom = _coverage(mask, x0, x1, y1 - t, y1 + 1, 0)
    left = _coverage(mask, x0 - 1, x0 + t, y0, y1, 1)
    right = _coverage(mask, x1 - t, x1 + 1, y0, y1, 1)
    return top, bottom, left, right


def find_squares(ink: np.ndarray, px_per_pt: float) -> list[Box]:
    """Square outlines of box size on the page (before the not-a-box filters).

    Every horizontal run of box length is tried as the top side and as the bottom side of a
    square; the square stands when all four sides are inked along ``SIDE_COVER`` of their
    length (a pen stroke lying over a side counts as ink: the side is under it).
    """
    lo, hi = MIN_SIDE_PT * px_per_pt, MAX_SIDE_PT * px_per_pt
    k = max(3, int(round(0.6 * lo)))
    binary = ink.astype(np.uint8)
    horiz = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    found: list[tuple[float, Box]] = []
    for (x, y, w, h) in _runs(horiz, True, lo * 0.9, hi * 1.1):
        x0, x1 = x, x + w
        best = None
        for sign in (1, -1):
            for dy in range(int(0.8 * w), int(1.25 * w) + 1):
                y0, y1 = (y, y + dy) if sign > 0 else (y + h - dy, y + h)
                if y0 < 0 or y1 > ink.shape[0]:
                    continue
                cov = _side_cover(ink, x0, y0, x1, y1, h)
                score = min(cov)
                if score >= SIDE_COVER and (best is None or score > best[0] or
                                            (score == best[0] and abs(dy - w) < abs(best[1].bbox[3] - best[1].bbox[1] - w))):
                    best = (score, Box((x0, y0, x1, y1), h))
        if best is not None:
            found.append(best)
    found.sort(key=lambda sb: -sb[0])
    out: list[Box] = []
    for _, b in found:
        if all(_iou(b.bbox, o.bbox) < 0.3 for o in out):
            out.append(b)
    return out


def _iou(a, b) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def _has_character_strokes(inner: np.ndarray) -> bool:
    """Print inside a box-like enclosure that belongs to a character, not to a pen tick.

    A character's strokes inside (王 in 国, the cross of 田) are straight runs across the
    inside; a pen stroke is diagonal and breaks up under so long a kernel.  A closed square
    inside (回) is a character too: no tick draws one.
    """
    ih, iw = inner.shape
    across = cv2.morphologyEx(inner, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(0.85 * iw)), 1)))
    down = cv2.morphologyEx(inner, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(3, int(0.85 * ih)))))
    if across.any() or down.any():
        return True
    contours, hierarchy = cv2.findContours(inner, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is not None:
        for c, hrow in zip(contours, hierarchy[0]):
            if hrow[3] >= 0 and cv2.contourArea(c) >= 0.04 * ih * iw:
                return True
    return False


def _is_character(box: Box, print_mask: np.ndarray, px_per_pt: float) -> bool:
    x0, y0, x1, y1 = box.bbox
    side = box.side
    if box.thickness > max(3, 0.25 * side):
        return True                       # strokes too heavy for a printed box outline
    inset = box.thickness + max(1, int(0.12 * side))
    inner = print_mask[y0 + inset:y1 - inset, x0 + inset:x1 - inset].astype(np.uint8)
    if inner.shape[0] < 0.35 * side or inner.shape[1] < 0.35 * side:
        return True                       # no room inside: not a box
    ih, iw = inner.shape
    if _has_character_strokes(inner):
        return True                       # 国 田 回: straight strokes or a square inside
    # the outline must stand alone: its straight strokes may not run on into a larger glyph
    m = max(2, int(0.12 * side))
    H, W = print_mask.shape
    # the crop ends at the box's right side: the label's first character may touch it
    cx0, cy0, cx1, cy1 = max(0, x0 - side), max(0, y0 - side), min(W, x1 + 1), min(H, y1 + side)
    crop = print_mask[cy0:cy1, cx0:cx1].astype(np.uint8)
    k = max(3, int(round(0.45 * side)))
    straight = (cv2.morphologyEx(crop, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
                | cv2.morphologyEx(crop, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k))))
    n, labels = cv2.connectedComponents(straight, connectivity=8)
    outline = np.zeros_like(straight, dtype=bool)
    outline[y0 - cy0:y1 - cy0, x0 - cx0:x1 - cx0] = True
    ids = set(np.unique(labels[outline & (straight > 0)])) - {0}
    # a black pen tick joins the outline to its strokes: a square with ink inside (diagonal, as
    # the test above made sure) is not held to standing alone
    if ids and inner.mean() < TICKED_ABOVE:
        ys, xs = np.nonzero(np.isin(labels, list(ids)))
        if xs.min() + cx0 < x0 - m or ys.min() + cy0 < y0 - m or ys.max() + cy0 >= y1 + m:
            return True
    gap = max(2, int(round(LEFT_CLEAR_PT * px_per_pt)))
    h = y1 - y0
    band = straight[y0 + h // 5 - cy0:y1 - h // 5 - cy0, max(0, x0 - gap - cx0):max(0, x0 - 1 - cx0)]
    return bool(band.size and band.any())   # print right against its left: 口 in a word


def decide(box: Box, masks: InkMasks) -> Box:
    """Fill in the box's state, confidence and ink measurements."""
    x0, y0, x1, y1 = box.bbox
    inset = box.thickness + max(1, int(0.12 * box.side))
    ink = masks.dark | masks.blue
    inner = ink[y0 + inset:y1 - inset, x0 + inset:x1 - inset]
    f = float(inner.mean()) if inner.size else 0.0
    blue_in = masks.blue[y0 + inset:y1 - inset, x0 + inset:x1 - inset]
    box.pen_inside = round(float(blue_in.mean()), 4) if blue_in.size else 0.0
    r = max(2, int(0.5 * box.side))
    H, W = ink.shape
    ry0, ry1, rx0, rx1 = max(0, y0 - r), min(H, y1 + r), max(0, x0 - r), min(W, x1 + r)
    ring = masks.blue[ry0:ry1, rx0:rx1].copy()
    ring[y0 - ry0:y1 - ry0, x0 - rx0:x1 - rx0] = False
    ring_area = max(1, (ry1 - ry0) * (rx1 - rx0) - (y1 - y0) * (x1 - x0))
    pen = float(ring.sum()) / ring_area
    box.inside, box.pen_around = round(f, 4), round(pen, 4)
    if f >= TICKED_ABOVE:
        box.state, box.confidence = True, 0.8 + 0.2 * min(1.0, (f - TICKED_ABOVE) / TICKED_ABOVE)
    elif f <= EMPTY_BELOW / 2 or (f <= EMPTY_BELOW and pen < PEN_RING_SHARE):
        # empty inside; a neighbour's stroke passing by does not tick it
        box.state, box.confidence = False, 0.8 + 0.2 * (1.0 - f / EMPTY_BELOW)
    elif pen >= PEN_RING_SHARE:
        # a little ink inside and pen around: this box's stroke, or a neighbour's passing by
        box.state, box.confidence = True, PEN_AROUND_CONFIDENCE
    else:
        box.state, box.confidence = None, 0.4
    box.confidence = round(box.confidence, 3)
    return box


def left_gap(print_mask: np.ndarray, box: Box) -> Optional[int]:
    """Pixels of clear paper between the box's left side and the nearest print to its left,
    looked for on the box's middle rows up to two sides away (None: nothing there).

    The OCR's character boxes stray by a third of a glyph beside a square (they swallow the
    blank square painted out before OCR, or the space next to it); the ink does not: a box
    follows a space, 口 in 出口 sits a glyph's side bearing from its neighbour."""
    x0, y0, x1, y1 = box.bbox
    h = y1 - y0
    band = print_mask[y0 + h // 5:y1 - h // 5, max(0, x0 - 2 * box.side):max(0, x0 - 1)]
    if band.size == 0:
        return None
    cols = np.nonzero(band.any(axis=0))[0]
    return int(band.shape[1] - 1 - cols.max()) if cols.size else None


def _overlaps(a, b, margin: int = 0) -> bool:
    return not (a[2] + margin <= b[0] or b[2] + margin <= a[0] or a[3] + margin <= b[1] or b[3] + margin <= a[1])


def _hidden_square(ink: np.ndarray, side: int, cx: float, cy: float) -> Optional[tuple[float, tuple[int, int, int, int]]]:
    """(side coverage, square) of the best box-size square near (cx, cy) in the ink, or None."""
    H, W = ink.shape
    best = None
    for sd in sorted({max(6, int(side * f)) for f in (0.9, 1.0, 1.1)}):
        for y0 in range(int(cy - sd), int(cy) + 1):
            for x0 in range(int(cx - sd), int(cx) + 1):
                if x0 < 1 or y0 < 1 or x0 + sd >= W - 1 or y0 + sd >= H - 1:
                    continue
                score = min(_side_cover(ink, x0, y0, x0 + sd, y0 + sd, 2))
                if best is None or score > best[0]:
                    best = (score, (x0, y0, x0 + sd, y0 + sd))
    return best


def pen_ticks(masks: InkMasks, px_per_pt: float, boxes: list[Box]) -> list[Box]:
    """Boxes hidden under a pen tick: blue strokes of tick size with no box found under them.

    A heavy stroke over a small printed box can hide its outline; the tick itself is then the
    evidence.  The box is looked for where a tick's lowest point lies (the turn of a √ sits in
    the box, the ends of an ✗ at its bottom corners): the square of the page's usual box size
    whose sides are best inked there (``HIDDEN_SIDE_COVER``), else a square of that size at
    the lowest point.
    """
    sides = sorted(b.side for b in boxes)
    side = sides[len(sides) // 2] if sides else int(4.5 * px_per_pt)
    g = max(5, side // 2) | 1              # a faint stretch of a stroke must not cut the tick in two
    blue = cv2.dilate(masks.blue.astype(np.uint8), np.ones((g, g), np.uint8))
    ink = masks.dark | masks.blue
    n, labels, stats, _ = cv2.connectedComponentsWithStats(blue, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if not (0.8 * side <= max(w, h) <= 5.0 * side and area >= 0.6 * side):
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == i)
        low = xs[ys >= h - max(2, int(0.15 * h))]
        cx = x + float(low.mean())
        cy = y + h - 0.5 * side
        m = int(0.4 * side)
        if any(b.bbox[0] - m <= cx <= b.bbox[2] + m and b.bbox[1] - m <= cy <= b.bbox[3] + m for b in boxes):
            continue                      # the tick of a box already found
        hidden = _hidden_square(ink, side, cx, cy)
        if hidden is not None and hidden[0] >= HIDDEN_SIDE_COVER:
            bb, conf = hidden[1], HIDDEN_BOX_CONFIDENCE
        else:
            bb, conf = (int(cx - side / 2), int(cy - side / 2), int(cx + side / 2), int(cy + side / 2)), 0.78
        out.append(Box(bb, 2, True, conf, inside=1.0, pen_around=round(area / float(w * h), 4)))
    # a stroke fragment beside a tick already placed is that tick, not another box
    out.sort(key=lambda b: -b.confidence)
    kept: list[Box] = []
    for b in out:
        c = ((b.bbox[0] + b.bbox[2]) / 2, (b.bbox[1] + b.bbox[3]) / 2)
        near = any(abs(c[0] - (o.bbox[0] + o.bbox[2]) / 2) < 1.5 * side and abs(c[1] - (o.bbox[1] + o.bbox[3]) / 2) < 1.5 * side
                   for o in kept + boxes)
        if b.confidence >= HIDDEN_BOX_CONFIDENCE or not near:
            kept.append(b)
    return kept


def find_boxes(masks: InkMasks, px_per_pt: float, rule_mask: Optional[np.ndarray] = None) -> list[Box]:
    """Tick boxes of a straightened page with their decided state, top to bottom.

    Squares are looked for in print and pen ink together (a blue stroke across a box side must
    not break the side); whether a square is a character is judged on the print alone, with
    the pen's pixels and their blurred fringe taken out.  Then the boxes their siblings point
    to (``box_siblings.sibling_boxes``: a heavy tick hid their outline), blue ticks with no
    square found under them (``pen_ticks``) and the siblings of those ticks whose square was
    found (a group ticked throughout has no box found by its outline) are added, marked not
    ``sure``: the page reader
    confirms them against what the OCR reads there.  A box with no sibling of its size in its
    column or row is dropped (``box_siblings.with_siblings``).  Every box carries its
    ``left_gap`` (clear paper to the print on its left) for that check.
    """
    from .box_siblings import sibling_boxes, with_siblings
    pen = cv2.dilate(masks.blue.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    pm = masks.dark & ~masks.red
    if rule_mask is not None:
        pm = pm & ~rule_mask.astype(bool)
    print_only = pm & ~pen
    boxes = [b for b in find_squares(pm | masks.blue, px_per_pt) if not _is_character(b, print_only, px_per_pt)]
    boxes = [decide(b, masks) for b in boxes]
    ink = (masks.dark & ~masks.red) | masks.blue
    late = [decide(b, masks) for b in sibling_boxes(ink, rule_mask, boxes)]
    ticks = pen_ticks(masks, px_per_pt, boxes + late)
    late += ticks
    # a blue tick whose box was found under it (its square's sides inked) is an anchor too:
    # where every box of a group is ticked none was found by its outline, and a black ✗ among
    # the blue ticks would be missed
    framed = [t for t in ticks if t.confidence >= HIDDEN_BOX_CONFIDENCE]
    if framed:
        late += [decide(b, masks) for b in sibling_boxes(ink, rule_mask, framed, known=boxes + late)]
    for b in late:
        b.sure = False
    for b in boxes + late:
        b.left_gap = left_gap(print_only, b)
    for b in late:
        b.sides = round(min(_side_cover((masks.dark & ~masks.red) | masks.blue, *b.bbox, b.thickness)), 3)
    boxes = with_siblings(boxes + late)
    return sorted(boxes, key=lambda b: (b.bbox[1], b.bbox[0]))
