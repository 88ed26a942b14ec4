"""Ruling lines of a straightened page by OpenCV morphology, as layout ``Rule`` s in points.

The print mask is opened with a long thin kernel, once horizontal and once vertical: what
survives is ink that runs straight for at least ``MIN_RULE_PT`` points — table rules, and
nothing of the text (a CJK character is at most one em, ~10.5–16 pt, long).  Small breaks
from noise or a light scan are closed, and each surviving component becomes one segment at its
median row (or column).  The layout module turns the segments into grids.

A stroke of a large character (a 16 pt cover line's 忄 or 丨, a bold heading's 一) can run
longer than ``MIN_RULE_PT`` too, the more so when it touches the underline below it.  A rule
shorter than ``LONG_RULE_PT`` is therefore kept only where it meets rules of the other
direction at both its ends — a table's short rules end on the rules that bound the cell — so
that those strokes stay with their characters (they would be painted out before OCR:
仁怀 read as 仁不, 北流 as 流).

A pen stroke crossing a rule takes its pixels out of the print (they are pen-coloured), and
two crossings close together — the arms of an ✗ drawn over a box that sits on a rule — leave a
piece of rule shorter than the opening kernel between them, which the opening removes.  The
rule then has a gap of a box's width, the grid loses the row boundary there, and two cells
merge (held-out s8a: a group's option labels 是/否/非工业集群 joined the narrative of the row
below, silently).  So two runs in line that each stand as a rule (``LONG_RULE_PT``), up to
``BRIDGE_PT`` apart with the stretch between them inked along the row by print or pen, are one
rule.  Only between rules, and only over the blue of a ballpoint (the caller's ``pen``): read on
print and pen together, a certificate's large strokes and its red seal made "rules" that were
painted out of its text, and bridged over red, its printed red frame changed its reading too
(工业和信息化部 lost a character, 2022年9月 read 2022年.9月, and the certificate was linked to
nothing).  Red is a seal's ink or a printer's, seldom a pen's.
"""
from __future__ import annotations

import cv2
import numpy as np

from extractors.layout.pieces import Rule

MIN_RULE_PT = 18.0      # a segment shorter than this is not a rule
MAX_THICK_PT = 4.0      # thicker than this is a bar or a blot, not a rule
GAP_PT = 2.5            # breaks up to this long inside a rule are closed
LONG_RULE_PT = 30.0     # a rule at least this long stands alone; a shorter one must meet rules at both ends
END_REACH_PT = 2.0      # how near a rule's end the rule of the other direction must be
BRIDGE_PT = 24.0        # the widest gap a pen's strokes leave in a rule between two long runs (a box and an ✗'s arms)


def rule_masks(print_mask: np.ndarray, px_per_pt: float,
               pen: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) uint8 masks of the page's straight runs of ink; ``pen``: the
    ballpoint's blue ink, which may cross a rule (see the module docstring)."""
    binary = print_mask.astype(np.uint8) * 255
    k = max(8, int(round(MIN_RULE_PT * px_per_pt * 0.8)))
    gap = max(2, int(round(GAP_PT * px_per_pt)))
    horiz = _opened(binary, pen, (k, 1), px_per_pt)
    vert = _opened(binary, pen, (1, k), px_per_pt)
    # bridge the small breaks noise leaves in a rule (after the opening, so text cannot bridge)
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    vert = cv2.morphologyEx(vert, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, gap)))
    return _ends_met(horiz, vert, True, px_per_pt), _ends_met(vert, horiz, False, px_per_pt)


def _opened(binary: np.ndarray, pen: np.ndarray | None, shape: tuple[int, int], px_per_pt: float) -> np.ndarray:
    """The runs of print at least ``shape`` long, and the bridges the pen made between two of
    them that stand as rules (``LONG_RULE_PT`` each) in line, up to ``BRIDGE_PT`` apart: the
    stretch between them inked, by print or pen, along the rule's row."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, shape)
    runs = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
    if pen is None or not pen.any():
        return runs
    horizontal = shape[0] > shape[1]
    n, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    lengths = stats[:, cv2.CC_STAT_WIDTH if horizontal else cv2.CC_STAT_HEIGHT]
    long_ = lengths >= LONG_RULE_PT * px_per_pt
    long_[0] = False
    if long_.sum() < 2:
        return runs
    rules = np.where(long_[labels], 255, 0).astype(np.uint8)
    bridge = max(3, int(round(BRIDGE_PT * px_per_pt)))
    closed = cv2.morphologyEx(rules, cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, 1) if horizontal else (1, bridge)))
    inked = (binary > 0) | pen
    return np.where((closed > 0) & inked, 255, runs).astype(binary.dtype)


def _ends_met(mask: np.ndarray, other: np.ndarray, horizontal: bool, px_per_pt: float) -> np.ndarray:
    """``mask`` without its short runs that do not meet ``other`` (the rules of the other
    direction) at both ends: those are strokes of characters, not rules."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n <= 1:
        return mask
    reach = max(2, int(round(END_REACH_PT * px_per_pt)))
    near = cv2.dilate(other, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * reach + 1, 2 * reach + 1))) > 0
    long_px = LONG_RULE_PT * px_per_pt
    keep = np.zeros(n, dtype=bool)
    for i in range(1, n):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if (w if horizontal else h) >= long_px:
            keep[i] = True
            continue
        if horizontal:
            ends = (near[y:y + h, x:x + reach], near[y:y + h, x + w - reach:x + w])
        else:
            ends = (near[y:y + reach, x:x + w], near[y + h - reach:y + h, x:x + w])
        keep[i] = all(e.any() for e in ends)
    return np.where(keep[labels], mask, 0).astype(mask.dtype)


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
    return rules_of(*rule_masks(print_mask, px_per_pt), px_per_pt)


def rules_of(horiz: np.ndarray, vert: np.ndarray, px_per_pt: float) -> list[Rule]:
    """The segments of masks ``rule_masks`` made (for a caller that needs the masks too)."""
    return _segments(horiz, True, px_per_pt) + _segments(vert, False, px_per_pt)
