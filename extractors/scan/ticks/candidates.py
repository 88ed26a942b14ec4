"""Where a tick box may be: candidates from every source the page offers, nothing decided yet.

A candidate is a square on the straightened page (pixels) and the source that put it there:

* ``outline`` — a printed square outline of box size (``MIN_SIDE_PT``–``MAX_SIDE_PT``) whose
  shape is not a character's (its outline thin, room inside, no straight print across the
  inside — 国 田 回 —, its strokes not running on into a larger glyph, no print right against its
  left side — 口 in 出口).  These are painted out before OCR;
* ``sibling`` — a square of an outline's own size in its column or on its row whose sides show
  by projection (a heavy tick can join a box's outline to its strokes, so the shape test above
  failed it): the boxes of one form share a size and a place;
* ``pen`` — the square under a blue pen tick (where a tick's lowest point lies: the turn of a √,
  the ends of an ✗), when no candidate lies there;
* ``form`` — the form's own knowledge: once the OCR has read the start of an option label of
  the catalogue, its box is where the form prints it, left of the label on the label's line,
  one box side wide (the page's usual side).

Each candidate is frozen; the evidence is measured on it (``evidence``) and the decision
taken from that (``decision``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import cv2
import numpy as np

from pipeline.model.geometry import BBox

from ..ink import InkMasks
from ..lines import MIN_RULE_PT
from . import square_search

FORM_GAP = 0.35             # box sides between a box and its label's first glyph (as printed)

MIN_SIDE_PT = 3.2        # pt: the smallest printed box a form uses
MAX_SIDE_PT = 16.0       # pt: the largest
SIDE_COVER = 0.65        # share of a side's length inked for an outline to stand
LEFT_CLEAR_PT = 2.5      # pt: print closer than this to a square's left side: a glyph in a word
ALIGN_PX = 3             # px: a sibling's edge strays this far from its anchor's
SIDE_FULL = 0.7          # share: a sibling's two best sides inked this far ...
SIDE_SOME = 0.3          # share: ... and the others this far
FULL_SIDES = 2
MAX_REACH = 16           # box sides: how far a column is searched above and below an anchor
CROP_MARGIN_PX = 8       # px: a sibling search's crop reaches this far past the sides' own reach
PEN_SIDE_COVER = 0.5     # share: the square found under a pen tick has its sides inked this far

OUTLINE, SIBLING, PEN, FORM = "outline", "sibling", "pen", "form"
PRIORITY = {OUTLINE: 0, SIBLING: 1, FORM: 2, PEN: 3}


@dataclass(frozen=True)
class Candidate:
    bbox: BBox               # px on the straightened page (x1, y1 exclusive)
    thickness: int           # px: the outline's line
    source: str              # OUTLINE | SIBLING | PEN | FORM
    option: str = ""         # FORM: the option label it was placed for
    line: int = 0            # px: its outline's line as the print alone shows it (0: not measured)

    @property
    def side(self) -> float:
        return self.bbox.side

    def box(self) -> tuple[int, int, int, int]:
        return self.bbox.as_int()


# ------------------------------------------------------------------ side coverage
def _coverage(mask: np.ndarray, x0: int, x1: int, y0: int, y1: int, axis: int) -> float:
    region = mask[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    if region.size == 0:
        return 0.0
    return float(region.any(axis=axis).mean())


def side_cover(mask: np.ndarray, box: tuple[int, int, int, int], t: int) -> tuple[float, float, float, float]:
    """Ink coverage (0–1) of the four sides of a square (top, bottom, left, right), bands t thick."""
    x0, y0, x1, y1 = box
    t = max(2, t)
    return (_coverage(mask, x0, x1, y0 - 1, y0 + t, 0), _coverage(mask, x0, x1, y1 - t, y1 + 1, 0),
            _coverage(mask, x0 - 1, x0 + t, y0, y1, 1), _coverage(mask, x1 - t, x1 + 1, y0, y1, 1))


def printed_line(print_only: np.ndarray, box: tuple[int, int, int, int], t: int) -> int:
    """px: the outline's line measured on the print alone — per side, the median ink depth
    across its band (``t`` + 2 deep) over the columns (rows) that hold any, where at least half
    of them do; the lower median of those sides.  A pen stroke lying along a side thickens the
    run the square was found on (a √ whose turn touches the bottom side: 5 px for a 2 px line),
    not the print of the other sides.  0 when no side shows."""
    x0, y0, x1, y1 = box
    H, W = print_only.shape
    d = max(2, t) + 2
    bands = (print_only[max(0, y0 - 1):max(0, y0 - 1 + d), x0 + d:x1 - d].sum(axis=0),
             print_only[max(0, y1 + 1 - d):max(0, y1 + 1), x0 + d:x1 - d].sum(axis=0),
             print_only[y0 + d:y1 - d, max(0, x0 - 1):max(0, x0 - 1 + d)].sum(axis=1),
             print_only[y0 + d:y1 - d, max(0, x1 + 1 - d):max(0, x1 + 1)].sum(axis=1))
    depths = [int(np.median(b[b > 0])) for b in bands if b.size and (b > 0).sum() * 2 >= b.size]
    return sorted(depths)[(len(depths) - 1) // 2] if depths else 0


def settle(ink: np.ndarray, box: tuple[int, int, int, int], t: int, reach: int = ALIGN_PX,
           reach_x: Optional[int] = None) -> tuple[int, int, int, int]:
    """The square moved (within ``reach`` px, ``reach_x`` across if given) to where its four
    sides lie best on ink; of equally good places the nearest."""
    x0, y0, x1, y1 = box
    H, W = ink.shape
    best = None
    rx = reach if reach_x is None else reach_x
    for dy in range(-reach, reach + 1):
        for dx in range(-rx, rx + 1):
            if x0 + dx < 1 or y0 + dy < 1 or x1 + dx >= W or y1 + dy >= H:
                continue
            v = sum(side_cover(ink, (x0 + dx, y0 + dy, x1 + dx, y1 + dy), t))
            key = (round(v, 3), -(abs(dx) + abs(dy)))
            if best is None or key > best[0]:
                best = (key, dx, dy)
    if best is None:
        return box
    return x0 + best[1], y0 + best[2], x1 + best[1], y1 + best[2]


# ------------------------------------------------------------------ printed outlines
def _runs(mask: np.ndarray, lo: float, hi: float) -> list[tuple[int, int, int, int]]:
    """(x, y, w, h) of the mask's connected pieces ``lo``–``hi`` px long and flat (h ≤ 0.3 w, or 3 px)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    st = stats[1:n, :4].astype(np.int64)
    w, h = st[:, 2], st[:, 3]
    keep = (lo <= w) & (w <= hi) & (h <= np.maximum(3, 0.3 * w))
    return [(int(x), int(y), int(ww), int(hh)) for x, y, ww, hh in st[keep]]


def squares(ink: np.ndarray, px_per_pt: float) -> list[tuple[float, tuple[int, int, int, int], int]]:
    """(side score, square, line thickness) of every box-size square outline in the ink:
    each horizontal run of box length tried as a top and as a bottom side, at every height
    from 0.8 to 1.25 of its length, the best-inked kept (its four ``side_cover`` all
    ``SIDE_COVER`` or more); best first, none overlapping a better one by an IoU of 0.3
    (``square_search``: prefix sums, the same answers as a slice per try)."""
    lo, hi = MIN_SIDE_PT * px_per_pt, MAX_SIDE_PT * px_per_pt
    k = max(3, int(round(0.6 * lo)))
    ink = ink.astype(bool, copy=False)
    horiz = cv2.morphologyEx(ink.view(np.uint8), cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    found = [f for f in (square_search.best_square(ink, r, SIDE_COVER) for r in _runs(horiz, lo * 0.9, hi * 1.1))
             if f is not None]
    found.sort(key=lambda f: -f[0])
    return square_search.apart(found, 0.3)


def _character_inside(inner: np.ndarray) -> bool:
    """Straight print across the inside (王 in 国, the cross of 田) or a closed square inside (回):
    a character's enclosure.  A pen tick is diagonal and breaks up under so long a kernel."""
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


def _runs_on(print_mask: np.ndarray, box: tuple[int, int, int, int], inner_ink: float, px_per_pt: float) -> bool:
    """The outline's straight strokes run on into a larger glyph (用 费 写: left, top or bottom;
    the label's first character may touch its right side), or print sits right against its left
    side (口 in a word).  A black pen tick joins the outline to its strokes: a square with ink
    inside is not held to standing alone."""
    x0, y0, x1, y1 = box
    side = max(x1 - x0, y1 - y0)
    m = max(2, int(0.12 * side))
    H, W = print_mask.shape
    cx0, cy0, cx1, cy1 = max(0, x0 - side), max(0, y0 - side), min(W, x1 + 1), min(H, y1 + side)
    crop = print_mask[cy0:cy1, cx0:cx1].astype(np.uint8)
    k = max(3, int(round(0.45 * side)))
    straight = (cv2.morphologyEx(crop, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
                | cv2.morphologyEx(crop, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k))))
    _, labels = cv2.connectedComponents(straight, connectivity=8)
    outline = np.zeros_like(straight, dtype=bool)
    outline[y0 - cy0:y1 - cy0, x0 - cx0:x1 - cx0] = True
    ids = set(np.unique(labels[outline & (straight > 0)])) - {0}
    if ids and inner_ink < 0.09:
        ys, xs = np.nonzero(np.isin(labels, list(ids)))
        if xs.min() + cx0 < x0 - m or ys.min() + cy0 < y0 - m or ys.max() + cy0 >= y1 + m:
            return True
    gap = max(2, int(round(LEFT_CLEAR_PT * px_per_pt)))
    h = y1 - y0
    band = straight[y0 + h // 5 - cy0:y1 - h // 5 - cy0, max(0, x0 - gap - cx0):max(0, x0 - 1 - cx0)]
    return bool(band.size and band.any())


def _box_shaped(box: tuple[int, int, int, int], t: int, print_mask: np.ndarray, px_per_pt: float) -> bool:
    x0, y0, x1, y1 = box
    side = max(x1 - x0, y1 - y0)
    if t > max(3, 0.25 * side):
        return False                       # strokes too heavy for a printed box outline
    inset = t + max(1, int(0.12 * side))
    inner = print_mask[y0 + inset:y1 - inset, x0 + inset:x1 - inset].astype(np.uint8)
    if inner.shape[0] < 0.35 * side or inner.shape[1] < 0.35 * side:
        return False                       # no room inside
    if _character_inside(inner):
        return False
    return not _runs_on(print_mask, box, float(inner.mean()), px_per_pt)


def outline_candidates(masks: InkMasks, px_per_pt: float, rule_mask: Optional[np.ndarray]) -> list[Candidate]:
    """Printed square outlines shaped like a box, not like a character (looked for in print and
    pen together — a stroke over a side does not break it —, judged on the print alone)."""
    pen = cv2.dilate(masks.blue.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    pm = masks.dark & ~masks.red
    if rule_mask is not None:
        pm = pm & ~rule_mask.astype(bool)
    print_only = pm & ~pen
    return [Candidate(BBox.of(b), t, OUTLINE) for _, b, t in squares(pm | masks.blue, px_per_pt)
            if _box_shaped(b, t, print_only, px_per_pt)]


# ------------------------------------------------------------------ siblings
def _box_filter(a: np.ndarray, w: int, h: int) -> np.ndarray:
    ii = cv2.integral(a.astype(np.float32))
    H, W = a.shape
    out = np.zeros((H, W), np.float32)
    if h > H or w > W:
        return out
    s = ii[h:, w:] - ii[:-h, w:] - ii[h:, :-w] + ii[:-h, :-w]
    out[:H - h + 1, :W - w + 1] = s / float(w * h)
    return out


class SideMaps:
    """For one box size: at each pixel (a square's top-left corner) the ink coverage of the
    square's four sides, computed for the corners asked about: each ``corners`` call measures
    a crop of the page around its window only, with the margin the dilations and sums reach
    (coverages are counts of pixels, so the crop gives the same floats as the whole page)."""

    def __init__(self, ink: np.ndarray, w: int, h: int, t: int):
        self.ink, self.w, self.h, self.t = ink, w, h, max(2, t)

    def _sides(self, ink: np.ndarray) -> tuple[np.ndarray, ...]:
        """The four side maps of ``ink`` (a crop): index (y, x) is the corner's."""
        w, h, t = self.w, self.h, self.t
        ink8 = ink.astype(np.uint8)
        rows_any = cv2.dilate(ink8, np.ones((t + 2, 1), np.uint8), anchor=(0, 0))
        cols_any = cv2.dilate(ink8, np.ones((1, t + 2), np.uint8), anchor=(0, 0))
        horiz = _box_filter(rows_any, max(3, w - 2 * t), 1)
        vert = _box_filter(cols_any, 1, max(3, h - 2 * t))
        H, W = ink.shape

        def shift(a: np.ndarray, dy: int, dx: int) -> np.ndarray:
            out = np.zeros_like(a)
            ys, xs = slice(max(0, -dy), H - max(0, dy)), slice(max(0, -dx), W - max(0, dx))
            yd, xd = slice(max(0, dy), H - max(0, -dy)), slice(max(0, dx), W - max(0, -dx))
            out[ys, xs] = a[yd, xd]
            return out

        return shift(horiz, -1, t), shift(horiz, h - t - 1, t), shift(vert, t, -1), shift(vert, t, w - t - 1)

    def corners(self, xa: int, xb: int, ya: int, yb: int) -> list[tuple[float, int, int]]:
        """(score, x, y) of the corners in [xa, xb) × [ya, yb) whose square's sides show."""
        H, W = self.ink.shape
        xa, ya = max(1, xa), max(1, ya)
        xb, yb = min(W - self.w - 1, xb), min(H - self.h - 1, yb)
        if xb <= xa or yb <= ya:
            return []
        # the corner's sides reach a side length and the dilation's t + 2 px past the window
        x0, y0 = xa - 1, ya - 1
        x1, y1 = min(W, xb + self.w + self.t + CROP_MARGIN_PX), min(H, yb + self.h + self.t + CROP_MARGIN_PX)
        sides = self._sides(self.ink[y0:y1, x0:x1])
        s = np.sort(np.stack([m[ya - y0:yb - y0, xa - x0:xb - x0] for m in sides]), axis=0)
        ok = (s[0] >= SIDE_SOME) & (s[4 - FULL_SIDES] >= SIDE_FULL)
        ys, xs = np.nonzero(ok)
        score = s.sum(axis=0)[ok]
        return [(float(v), int(x) + xa, int(y) + ya) for v, x, y in zip(score, xs, ys)]


def cell_rules(rule_mask: Optional[np.ndarray], px_per_pt: float) -> Optional[np.ndarray]:
    """The vertical rules of ``rule_mask`` that run straight down at least ``MIN_RULE_PT`` (the
    length the page's rules are read at, ``lines.rules_of``): the cells' boundaries.  The mask
    also keeps shorter straight runs (from 0.8 of that length) that meet rules at both ends —
    among them a box's side joined to a heavy ✗'s arm crossing it (a 40 px run on held-out
    gs-longxi p4, where the ✗ over 是's box reached the cell's top rule): taken for a cell's
    boundary, it cut 是's box off the row of 否's outline, and no candidate was found for it."""
    if rule_mask is None:
        return None
    k = max(3, int(round(MIN_RULE_PT * px_per_pt)))
    return cv2.morphologyEx(rule_mask.astype(np.uint8), cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (1, k))).astype(bool)


def _cell_span(rules: Optional[np.ndarray], y0: int, y1: int, at: int, limit: int) -> tuple[int, int]:
    """(start, end) of the row around x ``at`` not crossed by a vertical rule (``rules``: the
    cells' boundaries, ``cell_rules``)."""
    if rules is None:
        return max(0, at - limit), at + limit
    line = rules[y0:y1, :].any(axis=0)
    n = line.shape[0]
    a, b = at, at
    while a > 0 and at - a < limit and not line[a - 1]:
        a -= 1
    while b < n - 1 and b - at < limit and not line[b + 1]:
        b += 1
    return a, b


def _free(bb: BBox, taken: list[Candidate]) -> bool:
    return not any(bb.overlap(o.bbox) > 0 for o in taken)


def _anchor_squares(sm: "SideMaps", a: Candidate, rules: Optional[np.ndarray], W: int) -> list[tuple[float, int, int]]:
    """(shown, x, y) of the squares of the anchor's size in its column (up to ``MAX_REACH``
    sides away) and on its row, best shown first, none within 0.8 of a side of a better one.
    The column is measured a side further than it reaches: a square at the end of the reach
    is placed only if no better one overlapping it lies just past it — cut there, the best square the reach
    showed was a part of the box beyond it (its top on the line above, its bottom on the box's
    top, a √ down its side: 2.75–3.4 of 4 sides shown against the box's 4.0), and it took the
    box's place (held-out s5t suiyang p12 ``governance.measures``, t4a yangjiang p3
    ``basic.water_efficiency``: their ticked boxes lost, the groups flagged)."""
    x0, y0, x1, y1 = a.box()
    w, h = x1 - x0, y1 - y0
    xa, xb = _cell_span(rules, y0, y1, (x0 + x1) // 2, W)
    lo, hi = y0 - MAX_REACH * h, y1 + (MAX_REACH - 1) * h
    # a sibling keeps its anchor's line: one in the column is settled within ``ALIGN_PX`` of
    # the anchor's left side, one on the row within ``ALIGN_PX`` of its top (a heavy ✗ over
    # a faint outline right before 是 drew a column sibling 6 px off: gz-suiyang p3)
    corners = ([(v, x0, y) for v, _, y in sm.corners(x0 - ALIGN_PX, x0 + ALIGN_PX + 1, lo - h, hi + h)]
               + [(v, x, y0) for v, x, _ in sm.corners(xa, xb - w, y0 - ALIGN_PX, y0 + ALIGN_PX + 1)])
    placed: list[tuple[float, int, int]] = []
    for v, x, y in sorted(corners, key=lambda c: -c[0]):
        if all(abs(x - ox) >= 0.8 * w or abs(y - oy) >= 0.8 * h for _, ox, oy in placed):
            placed.append((v, x, y))
    past = [(v, x, y) for v, x, y in placed if not lo <= y < hi]
    return [(v, x, y) for v, x, y in placed if lo <= y < hi
            and not any(pv > v and abs(py - y) < h and abs(px - x) < w for pv, px, py in past)]


def sibling_candidates(ink: np.ndarray, rules: Optional[np.ndarray], anchors: list[Candidate],
                       taken: list[Candidate], px_per_pt: Optional[float] = None) -> list[Candidate]:
    """Squares of each anchor's size in its column (up to ``MAX_REACH`` sides away) and on its
    row (within its cell: ``rules`` are the page's rule mask, of which the vertical rules at
    least ``MIN_RULE_PT`` long bound the cells when ``px_per_pt`` is given — ``cell_rules``)
    that lie on no candidate already there (``_anchor_squares``)."""
    if px_per_pt is not None:
        rules = cell_rules(rules, px_per_pt)
    maps: dict[tuple[int, int, int], SideMaps] = {}
    H, W = ink.shape
    found: list[Candidate] = []
    for a in anchors:
        key = (a.box()[2] - a.box()[0], a.box()[3] - a.box()[1], max(2, a.thickness))
        if key not in maps:
            maps[key] = SideMaps(ink, *key)
        for _, x, y in _anchor_squares(maps[key], a, rules, W):
            bb = BBox(x, y, x + key[0], y + key[1])
            if _free(bb, anchors + taken + found):
                found.append(Candidate(BBox.of(settle(ink, bb.as_int(), a.thickness)), a.thickness, SIBLING))
    return found


# ------------------------------------------------------------------ pen ticks
SIDE_SPREAD = (0.9, 1.0, 1.1)                  # the sides tried around the page's usual side
LINE_SIDE_SPREAD = (0.8, 0.9, 1.0, 1.1, 1.25)  # ... around a side estimated from the lines' height


def _hidden_square(ink: np.ndarray, side: int, cx: float, cy: float,
                   spread: tuple[float, ...] = SIDE_SPREAD) -> Optional[tuple[float, tuple[int, int, int, int]]]:
    """(least side cover, box) of the best-inked square around (cx, cy) of ``side`` times one of ``spread``."""
    H, W = ink.shape
    best = None
    for sd in sorted({max(6, int(side * f)) for f in spread}):
        for y0 in range(int(cy - sd), int(cy) + 1):
            for x0 in range(int(cx - sd), int(cx) + 1):
                if x0 < 1 or y0 < 1 or x0 + sd >= W - 1 or y0 + sd >= H - 1:
                    continue
                score = min(side_cover(ink, (x0, y0, x0 + sd, y0 + sd), 2))
                if best is None or score > best[0]:
                    best = (score, (x0, y0, x0 + sd, y0 + sd))
    return best


def usual_side(cands: list[Candidate], px_per_pt: float) -> int:
    sides = sorted(int(c.side) for c in cands)
    return sides[len(sides) // 2] if sides else int(4.5 * px_per_pt)


def pen_candidates(masks: InkMasks, side: int, taken: list[Candidate],
                   spread: tuple[float, ...] = SIDE_SPREAD) -> list[Candidate]:
    """The square under each blue stroke of tick size that lies on no candidate: at the stroke's
    lowest point, where its sides are best inked (sides of ``side`` times ``spread``; else a
    square of ``side`` there)."""
    g = max(5, side // 2) | 1              # a faint stretch of a stroke must not cut the tick in two
    blue = cv2.dilate(masks.blue.astype(np.uint8), np.ones((g, g), np.uint8))
    ink = masks.dark | masks.blue
    n, labels, stats, _ = cv2.connectedComponentsWithStats(blue, connectivity=8)
    out: list[Candidate] = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if not (0.8 * side <= max(w, h) <= 5.0 * side and area >= 0.6 * side):
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == i)
        low = xs[ys >= h - max(2, int(0.15 * h))]
        cx, cy = x + float(low.mean()), y + h - 0.5 * side
        if any(c.bbox.contains_point(cx, cy, 0.4 * side) for c in taken + out):
            continue
        hidden = _hidden_square(ink, side, cx, cy, spread)
        if hidden is not None and hidden[0] >= PEN_SIDE_COVER:
            bb = BBox.of(hidden[1])
        else:
            bb = BBox.around(round(cx), round(cy), side)
        out.append(Candidate(bb, 2, PEN))
    return out


# ------------------------------------------------------------------ the form's own knowledge
FORM_LINE_SIDES = (0.5, 1.25)  # line heights: the boxes a form prints inline beside its label's glyphs
FORM_SIDE_SPREAD = (0.9, 1.1)  # of the usual side: tried too, where the usual one does not show


def _shows(ink: np.ndarray, c: Candidate, holds: float) -> bool:
    """The candidate's square shows its outline: its least inked side ``holds`` or more."""
    return min(side_cover(ink, c.box(), c.thickness)) >= holds


def _form_square(ink: np.ndarray, first: BBox, side: int, gap: float, sure: float) -> BBox:
    """The square left of a label's first glyph, settled onto the outline there: of the usual
    ``side`` where its outline shows on every side (``sure``), else of the side within
    ``FORM_SIDE_SPREAD`` of it or ``FORM_LINE_SIDES`` of the label's line height whose outline
    shows best (then the nearest the usual side).  A form prints an inline box in its
    paragraph's font: the boxes of a wrapped paragraph of options measured 32 px on a page
    whose other boxes are 22–24 (held-out s8b longxi p8 ``digital.newmodes``, s8a
    planted-cn-evidence p8), and a square of the usual side settled on such a box lies on two
    of its sides and across the tick (its sides 0.29–0.33: the label was not believed); on a
    page whose usual box is the larger one, a 24 px box is the smaller (s8b yongkang p12)."""
    def placed(sd: int) -> tuple[tuple[float, float, int], BBox]:
        x1 = first.x0 + (0.5 - gap) * sd / 2
        bb = BBox(round(x1 - sd), round(first.cy - sd / 2), round(x1), round(first.cy - sd / 2) + sd)
        if bb.x0 < 1:
            return (-1.0, -1.0, 0), bb
        got = BBox.of(settle(ink, bb.as_int(), 2, reach=max(ALIGN_PX, sd // 4),
                             reach_x=round((0.5 + gap) * sd / 2) + ALIGN_PX))
        cover = side_cover(ink, got.as_int(), 2)
        return (round(min(cover), 2), round(sum(cover), 2), -abs(sd - side)), got

    usual = placed(side)
    if usual[0][0] >= sure:
        return usual[1]
    lo = min(round(FORM_SIDE_SPREAD[0] * side), round(FORM_LINE_SIDES[0] * first.height))
    hi = max(round(FORM_SIDE_SPREAD[1] * side), round(FORM_LINE_SIDES[1] * first.height))
    return max([usual] + [placed(sd) for sd in range(max(3, lo), hi + 1) if sd != side], key=lambda p: p[0])[1]


def form_candidates(ink: np.ndarray, labels: list[tuple[str, BBox]], side: int, gap: float,
                    taken: list[Candidate], holds: float = 0.5, sure: float = 0.71) -> list[Candidate]:
    """A square left of each option label the OCR found (``labels``: (option, bbox of its
    first character)), ``gap`` box sides before it, on the label's line, settled onto an
    outline there (``_form_square``: the usual ``side``, or the side whose outline shows best)
    — where no candidate whose outline shows (``holds`` of its least inked side) lies already.
    The OCR's box of the first character may swallow the square (``evidence.glyph``), so the
    square is looked for across from ``gap`` before that box to half a side into it.  A square
    found otherwise whose outline does not show holds no place: a sibling of a larger box's
    size sitting half across a box under a heavy √ (sides 0.38, s8b yongkang p12
    ``governance.measures``), a pen square of the usual side under an ✗ on a larger box (0.46,
    s8a planted-cn-evidence p8) kept the form's square out, and the ticked box was lost."""
    out: list[Candidate] = []
    for option, first in labels:
        shown = [c for c in taken + out if _shows(ink, c, holds)]
        x1 = first.x0 + (0.5 - gap) * side / 2
        bb = BBox(round(x1 - side), round(first.cy - side / 2), round(x1), round(first.cy - side / 2) + side)
        # a candidate on the label's line just before it (or under its first glyph, whose box
        # may swallow the square) is its box already — one centred there: a square on the
        # label's second glyph reaching into the first's box is not (立 of 建立了…, s8b yongkang p12)
        before = BBox(first.x0 - (1 + gap) * side - side, bb.y0, first.x1, bb.y1)
        if bb.x0 < 1 or any(before.contains_point(c.bbox.cx, c.bbox.cy) for c in shown):
            continue
        settled = _form_square(ink, first, side, gap, sure)
        if any(settled.overlap(c.bbox) > 0.25 * settled.area for c in shown):
            continue
        out.append(Candidate(settled, 2, FORM, option))
    return out
