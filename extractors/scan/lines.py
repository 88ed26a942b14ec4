"""Ruling lines of a straightened page by OpenCV morphology, as layout ``Rule`` s in points.

The print mask is opened with a long thin kernel, once horizontal and once vertical: what
survives is ink that runs straight for at least ``MIN_RULE_PT`` points — table rules, and
nothing of the text (a CJK character is at most one em, ~10.5–16 pt, long).  Small breaks
from noise or a light scan are closed, and each surviving component becomes one segment at its
median row (or column).  The layout module turns the segments into grids.
"""
from __future__ import annotations

import cv2
import numpy as np

from extractors.layout.pieces import Rule

MIN_RULE_PT = 18.0      # a segment shorter than this is not a rule
MAX_THICK_PT = 4.0      # thicker than this is a bar or a blot, not a rule
GAP_PT = 2.5            # breaks up to this long inside a rule are closed


def rule_masks(print_mask: np.ndarray, px_per_pt: float) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) uint8 masks of the page's straight runs of ink."""
    binary = print_mask.astype(np.uint8) * 255
    k = max(8, int(round(MIN_RULE_PT * px_per_pt * 0.8)))
    gap = max(2, int(round(GAP_PT * px_per_pt)))
    horiz = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    vert = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k)))
    # bridge the small breaks noise leaves in a rule (after the opening, so text cannot bridge)
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    vert = cv2.morphologyEx(vert, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, gap)))
    return horiz, vert


def _segments(mask: np.ndarray, horizontal: bool, px_per_pt: float) -> list[Rule]:
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    min_len = MIN_RULE_PT * px_per_pt
    max_thick = MAX_THICK_PT * px_per_pt
    s = 1.0 / px_per_pt
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        length, thick = (w, h) if horizontal else (h, w)
        if length < min_len or area / max(length, 1) > max_thick:
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == i)
        if horizontal:
            mid = y + float(np.median(ys)) + 0.5
            out.append(Rule(x * s, mid * s, (x + w) * s, mid * s))
        else:
            mid = x + float(np.median(xs)) + 0.5
            out.append(Rule(mid * s, y * s, mid * s, (y + h) * s))
    return out


def find_rules(print_mask: np.ndarray, px_per_pt: float) -> list[Rule]:
    """Horizontal and vertical ruling segments of the page, in points (top-left origin)."""
    horiz, vert = rule_masks(print_mask, px_per_pt)
    return _segments(horiz, True, px_per_pt) + _segments(vert, False, px_per_pt)
