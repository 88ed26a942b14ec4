"""Tick boxes found from the boxes already found: one form's boxes share a size and a place.

The first pass (``boxes.find_squares`` and its not-a-character tests) misses a box whose
outline a heavy pen tick has joined to its strokes: the tick's ink inside looks like a
character's strokes, or the outline seems to run on into the tick.  But the boxes of a form
are alike and sit at regular places: the options of a group are stacked at one x (a box at the
start of each line of a cell) or written along one line (after a gap, on their siblings'
baseline).  So, from every box found (an *anchor*):

* **Where.**  The anchor's column (its x, ±``ALIGN_PX``) up to ``MAX_REACH`` box heights
  above and below (the option cells of a table column share its left margin), and its row
  (its y, ±``ALIGN_PX``) between the vertical rules of its cell.
* **What.**  A rectangle of the anchor's own size whose outline is there by projection: each
  side's band (the anchor's line thickness) holds ink along ``SIDE_FULL`` of its length on at
  least ``FULL_SIDES`` sides, the others along ``SIDE_SOME`` (a stroke may lie over a side, it
  never removes it; a faint outline — a form field's grey box — shows in pieces).  Pen ink
  (blue) and ruling lines count as ink on a side: the printed side is under them.
* **Settled.**  The band test places it to a few pixels; it is moved (``settle``, within
  ``ALIGN_PX``) to where its four sides lie best on ink, so its ink inside is measured
  inside its printed outline, not on it.
* **Not known.**  It lies on no box already found.  Whether it is a box at all is left to the
  OCR's reading (``confirm``): the first character of a wrapped option label sits in the box
  column and may pass these tests, 口 in a label may sit on the row; no clear-left test here,
  the short stroke of a √ often starts left of its box.

A box is a box of the form only if it has a *sibling*: another box of its size (±20%) in its
column or its row (:func:`with_siblings`).  Every option group has two options or more, so
a lone square — 口 in a sentence, a square in a diagram — is not a tick box.
"""
from __future__ import annotations

from typing import Optional

import cv2
import numpy as np

from .boxes import Box, _side_cover

ALIGN_PX = 3            # how far a sibling's edge may stray from the anchor's (and how far a
                        # found box is moved onto its outline: ``settle``)
SIDE_FULL = 0.7         # FULL_SIDES sides inked along this share of their length
FULL_SIDES = 2
SIDE_SOME = 0.3         # ... and the others along this share
MAX_REACH = 16          # how far (in box heights) a column is searched above and below the anchor
SIZE_TOLERANCE = 0.2    # siblings' widths and heights agree within this share


def _box_filter(a: np.ndarray, w: int, h: int) -> np.ndarray:
    """Mean of ``a`` over the w×h window whose top-left corner is each pixel (0 off the page)."""
    ii = cv2.integral(a.astype(np.float32))           # (H+1)×(W+1)
    H, W = a.shape
    out = np.zeros((H, W), np.float32)
    if h > H or w > W:
        return out
    s = ii[h:, w:] - ii[:-h, w:] - ii[h:, :-w] + ii[:-h, :-w]
    out[:H - h + 1, :W - w + 1] = s / float(w * h)
    return out


class SideMaps:
    """For one box size: at each pixel (a rectangle's top-left corner) the ink coverage of the
    rectangle's four sides, computed for the whole page at once."""

    def __init__(self, ink: np.ndarray, w: int, h: int, t: int):
        t = max(2, t)
        ink8 = ink.astype(np.uint8)
        # "any ink across the band": a side band t+2 px thick, by dilating along its thickness
        rows_any = cv2.dilate(ink8, np.ones((t + 2, 1), np.uint8), anchor=(0, 0))   # rows y..y+t+1
        cols_any = cv2.dilate(ink8, np.ones((1, t + 2), np.uint8), anchor=(0, 0))   # cols x..x+t+1
        inner_w, inner_h = max(3, w - 2 * t), max(3, h - 2 * t)
        horiz = _box_filter(rows_any, inner_w, 1)      # share of columns inked, a band starting at y
        vert = _box_filter(cols_any, 1, inner_h)
        H, W = ink.shape
        self.w, self.h, self.t = w, h, t

        def shift(a: np.ndarray, dy: int, dx: int) -> np.ndarray:
            out = np.zeros_like(a)
            ys, xs = slice(max(0, -dy), H - max(0, dy)), slice(max(0, -dx), W - max(0, dx))
            yd, xd = slice(max(0, dy), H - max(0, -dy)), slice(max(0, dx), W - max(0, -dx))
            out[ys, xs] = a[yd, xd]
            return out

        # a rectangle at (x, y): top band rows y-1 … y+t, bottom band ending at y+h, the inner
        # stretch of each side (its corners belong to the other sides)
        self.top = shift(horiz, -1, t)
        self.bottom = shift(horiz, h - t - 1, t)
        self.left = shift(vert, t, -1)
        self.right = shift(vert, t, w - t - 1)

    def candidates(self, xa: int, xb: int, ya: int, yb: int) -> list[tuple[float, int, int]]:
        """(score, x, y) of every top-left corner in [xa, xb) × [ya, yb) whose rectangle has
        FULL_SIDES sides inked along SIDE_FULL and the others along SIDE_SOME."""
        H, W = self.top.shape
        xa, ya = max(1, xa), max(1, ya)
        xb, yb = min(W - self.w - 1, xb), min(H - self.h - 1, yb)
        if xb <= xa or yb <= ya:
            return []
        s = np.sort(np.stack([m[ya:yb, xa:xb] for m in (self.top, self.bottom, self.left, self.right)]), axis=0)
        ok = (s[0] >= SIDE_SOME) & (s[4 - FULL_SIDES] >= SIDE_FULL)
        ys, xs = np.nonzero(ok)
        score = s[0][ok] + s[1][ok] + s[2][ok] + s[3][ok]
        return [(float(v), int(x) + xa, int(y) + ya) for v, x, y in zip(score, xs, ys)]


def _cell_span(rules: Optional[np.ndarray], lo: int, hi: int, at: int, along_rows: bool, limit: int) -> tuple[int, int]:
    """(start, end) of the stretch around ``at`` not crossed by a rule, within ``limit`` px.

    ``along_rows``: search up and down a column (x from lo to hi), stopping at horizontal rules;
    else left and right along a row (y from lo to hi), stopping at vertical rules."""
    if rules is None:
        return max(0, at - limit), at + limit
    n = rules.shape[0] if along_rows else rules.shape[1]
    line = rules[:, lo:hi].any(axis=1) if along_rows else rules[lo:hi, :].any(axis=0)
    a, b = at, at
    while a > 0 and at - a < limit and not line[a - 1]:
        a -= 1
    while b < n - 1 and b - at < limit and not line[b + 1]:
        b += 1
    return a, b


def _free(bb, boxes: list[Box]) -> bool:
    """No box lies on ``bb``: the boxes of a form never overlap."""
    for o in boxes:
        if min(bb[2], o.bbox[2]) > max(bb[0], o.bbox[0]) and min(bb[3], o.bbox[3]) > max(bb[1], o.bbox[1]):
            return False
    return True


def _peaks(cands: list[tuple[float, int, int]], w: int, h: int) -> list[tuple[int, int]]:
    """The best candidates, one per place (no two closer than a box's size)."""
    out: list[tuple[int, int]] = []
    for _, x, y in sorted(cands, key=lambda c: -c[0]):
        if all(abs(x - ox) >= 0.8 * w or abs(y - oy) >= 0.8 * h for ox, oy in out):
            out.append((x, y))
    return out


def sibling_boxes(ink: np.ndarray, rules: Optional[np.ndarray], anchors: list[Box],
                  known: Optional[list[Box]] = None) -> list[Box]:
    """Boxes of the anchors' sizes at their columns and rows that the first pass missed.

    ``ink``: where a side may be inked (print, pen and rules); ``rules``: the ruling lines'
    mask, which bounds a row's search to its cell; ``known``: boxes found otherwise, not to be
    found again.  Returned boxes are undecided (the caller decides their state)."""
    found: list[Box] = []
    maps: dict[tuple[int, int, int], SideMaps] = {}
    H, W = ink.shape
    for a in anchors:
        x0, y0, x1, y1 = a.bbox
        w, h = x1 - x0, y1 - y0
        key = (w, h, max(2, a.thickness))
        if key not in maps:
            maps[key] = SideMaps(ink, w, h, key[2])
        sm = maps[key]
        # down and up the anchor's column (into the cells above and below: the option cells of
        # a table column share its left margin), and along its row within its cell
        ya, yb = max(0, y0 - MAX_REACH * h), y1 + MAX_REACH * h
        xa, xb = _cell_span(rules, y0, y1, (x0 + x1) // 2, False, W)
        cands = (sm.candidates(x0 - ALIGN_PX, x0 + ALIGN_PX + 1, ya, yb - h)
                 + sm.candidates(xa, xb - w, y0 - ALIGN_PX, y0 + ALIGN_PX + 1))
        for x, y in _peaks(cands, w, h):
            bb = (x, y, x + w, y + h)
            if _free(bb, anchors + (known or []) + found):
                found.append(Box(bb, a.thickness))
    return [settle(ink, b) for b in found]


def settle(ink: np.ndarray, box: Box, reach: int = ALIGN_PX) -> Box:
    """The box moved (within ``reach`` px) to where its four sides lie best on ink.

    A sibling is found where its outline shows by projection in bands wider than the line,
    so it may sit a few pixels off its printed square; measured there, its own outline would
    count as ink inside and an empty box read as ticked.  Of equally good places the one
    nearest to where it was found is taken."""
    x0, y0, x1, y1 = box.bbox
    H, W = ink.shape
    best = None
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            if x0 + dx < 1 or y0 + dy < 1 or x1 + dx >= W or y1 + dy >= H:
                continue
            v = sum(_side_cover(ink, x0 + dx, y0 + dy, x1 + dx, y1 + dy, box.thickness))
            key = (round(v, 3), -(abs(dx) + abs(dy)))
            if best is None or key > best[0]:
                best = (key, dx, dy)
    if best is not None:
        _, dx, dy = best
        box.bbox = (x0 + dx, y0 + dy, x1 + dx, y1 + dy)
    return box


def _alike(a: Box, b: Box) -> bool:
    aw, ah = a.bbox[2] - a.bbox[0], a.bbox[3] - a.bbox[1]
    bw, bh = b.bbox[2] - b.bbox[0], b.bbox[3] - b.bbox[1]
    return abs(aw - bw) <= SIZE_TOLERANCE * max(aw, bw) + 1 and abs(ah - bh) <= SIZE_TOLERANCE * max(ah, bh) + 1


def with_siblings(boxes: list[Box], tol: int = 2 * ALIGN_PX) -> list[Box]:
    """The boxes that have a sibling: one of like size in the same column or on the same row."""
    out = []
    for b in boxes:
        for o in boxes:
            if o is b or not _alike(b, o):
                continue
            same_col = abs(o.bbox[0] - b.bbox[0]) <= tol
            same_row = abs((o.bbox[1] + o.bbox[3]) - (b.bbox[1] + b.bbox[3])) <= 2 * tol
            if same_col or same_row:
                out.append(b)
                break
    return out
