"""Printed text the OCR's detector did not find, read by the recogniser alone.

The detector misses a line too short to look like one: the wrapped tail of a sentence (``个。``
alone under 新建数字化车间8), a lone number.  Its ink is on the page, under no OCR line, no
ruling line and no box.  ``unread_lines`` finds that ink — the print mask (pen blue and seal red
left out) minus everything already accounted for — joins it into line-shaped clusters at the
height of the page's own text lines, and reads each cluster with the recogniser alone
(``ocr.read_strip``).  A reading is kept only when it looks like print: at least
``UnreadSettings.min_score``, with a Chinese character or a digit, and not a scrawl.  A page
with more such clusters than ``max_clusters`` is a picture or a page of handwriting, not a form
with a line missed: nothing is read there.

Settings in one object with units; the line height is the median of the page's OCR lines.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Iterable

import cv2
import numpy as np

from pipeline.model.geometry import BBox

from . import ocr
from .ink import InkMasks
from .marks import is_scrawl
from .ocr import OcrLine


@dataclass(frozen=True)
class UnreadSettings:
    pad_px: int = 3                 # px around an OCR line, box or rule counted as read
    join_x: float = 0.6             # line heights: ink this close side by side is one cluster
    min_height: float = 0.6         # line heights: a cluster lower than this is a speck or a mark
    max_height: float = 1.5         # ... higher than this, not one line of print
    min_width: float = 0.6          # line heights (a Chinese character is ≈ 0.9)
    near_box: float = 1.0           # box sides: ink this close to a kept box is its pen stroke
    min_score: float = 0.9          # the recogniser's score for the cluster's reading: print reads sure
    max_clusters: int = 12          # more on one page: a picture or handwriting, none read
    label_reach: float = 1.5        # line heights: a box's label starts this near its right side
    label_band: float = 0.6         # line heights above and below a box's middle: its label's row
    label_width: float = 6.0        # line heights: the most of a label read (its first glyphs name it)


UNREAD = UnreadSettings()


def _covered(shape, lines: list[OcrLine], boxes: Iterable[BBox], rules: np.ndarray, pad: int,
             near_px: Iterable[tuple[BBox, float]]) -> np.ndarray:
    """What is accounted for: ruling lines (grown by ``pad``: a corner's anti-aliased edge reads
    as 厂), OCR lines and boxes (grown by ``pad``), and the areas in ``near_px`` (box, px)."""
    H, W = shape
    k = 2 * pad + 1
    cov = cv2.dilate(rules.astype(np.uint8), np.ones((k, k), np.uint8)).astype(bool)
    for ln in lines:
        x0, y0, x1, y1 = (int(v) for v in ln.box)
        cov[max(0, y0 - pad):y1 + pad + 1, max(0, x0 - pad):x1 + pad + 1] = True
    for b in boxes:
        x0, y0, x1, y1 = b.as_int()
        cov[max(0, y0 - pad):y1 + pad + 1, max(0, x0 - pad):x1 + pad + 1] = True
    for b, d in near_px:
        x0, y0, x1, y1 = b.outset(d).clipped(W, H).as_int()
        cov[y0:y1 + 1, x0:x1 + 1] = True
    return cov


def _apart(c: BBox, lines: list[OcrLine]) -> bool:
    """The cluster overlaps no OCR line: ink that does is the rest of characters already read
    (a line's box drawn short of its glyphs), not a line the detector missed.  Touching is
    apart: a wrapped label's second line sits right under its first."""
    return not any(c.x0 < ln.box[2] and ln.box[0] < c.x1 and c.y0 < ln.box[3] and ln.box[1] < c.y1
                   for ln in lines)


def clusters(ink: np.ndarray, line_h: float, s: UnreadSettings = UNREAD) -> list[BBox]:
    """Line-shaped clusters of ``ink`` (bool), at the page's line height ``line_h`` (px)."""
    if not ink.any():
        return []
    kx = max(1, int(s.join_x * line_h)) | 1
    joined = cv2.dilate(ink.astype(np.uint8), np.ones((3, kx), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out = []
    half = kx // 2
    for i in range(1, n):
        x, y, w, h, _ = (int(v) for v in stats[i])
        w -= 2 * half                    # the dilation's run-on at both ends
        x += half
        if s.min_height * line_h <= h <= s.max_height * line_h and w >= s.min_width * line_h:
            out.append(BBox(x, y, x + w, y + h))
    return out


def unread_lines(image: np.ndarray, masks: InkMasks, lines: list[OcrLine], rules: np.ndarray,
                 boxes: list[BBox], seals: Iterable[BBox] = (), s: UnreadSettings = UNREAD) -> list[OcrLine]:
    """Lines of print on ``image`` (RGB, the copy the OCR read) that no line of ``lines`` holds;
    ``boxes`` are the page's tick boxes and printed outlines, ``seals`` the seals' areas (a
    seal's serial number is printed in red, its edges dark enough to pass for print)."""
    heights = [ln.box[3] - ln.box[1] for ln in lines if len(ln.chars) >= 4]
    if len(heights) < 3:
        return []
    line_h = statistics.median(heights)
    cov = _covered(masks.grey.shape, lines, boxes, rules, s.pad_px,
                   [(b, s.near_box * b.side) for b in boxes] + [(b, 0.0) for b in seals])
    found = [c for c in clusters(masks.print & ~cov, line_h, s) if _apart(c, lines)]
    if not found or len(found) > s.max_clusters:
        return []
    H, W = image.shape[:2]
    out = []
    for c in found:
        x0, y0, x1, y1 = c.outset(s.pad_px + 1).clipped(W, H).as_int()
        ln = ocr.read_strip(image, (x0, y0, x1, y1), (c.x0, c.y0, c.x1, c.y1))
        if ln is None or ln.score < s.min_score or is_scrawl(ln.text, ln.score):
            continue
        if not any(ocr.is_han(ch) or ch.isdigit() for ch in ln.text):
            continue
        out.append(ln)
    return out


def label_strips(image: np.ndarray, masks: InkMasks, lines: list[OcrLine], rules: np.ndarray,
                 squares: list[BBox], s: UnreadSettings = UNREAD) -> list[OcrLine]:
    """The label right of each of ``squares`` — printed boxes with nothing read on them or after
    them on their row — read by the recogniser alone: the print starting within
    ``label_reach`` line heights of the box's right side on its row (``label_band`` line
    heights above and below its middle), its runs joined as ``join_x`` joins them, at most
    ``label_width`` line heights wide, kept as ``unread_lines`` keeps a reading.  A black pen's
    √ whose arm runs up past its box's label hides the label from the detector, and a label's
    ink that near a kept box is taken for that box's stroke (``near_box``): 否 under the box of
    是 two box sides above it was read by neither (held-out s8a planted-gz-arithmetic p3
    ``basic.provincial_cluster``: its ticked box dropped with nothing after it, choice.none)."""
    heights = [ln.box[3] - ln.box[1] for ln in lines if len(ln.chars) >= 4]
    if len(heights) < 3 or not squares:
        return []
    line_h = statistics.median(heights)
    H, W = masks.grey.shape
    free = masks.print & ~_covered(masks.grey.shape, lines, squares, rules, s.pad_px, [])
    out = []
    for b in squares:
        y0, y1 = max(0, int(b.cy - s.label_band * line_h)), min(H, int(b.cy + s.label_band * line_h) + 1)
        x0, x1 = int(b.x1) + 1, min(W, int(b.x1 + s.label_width * line_h))
        cols = np.nonzero(free[y0:y1, x0:x1].any(axis=0))[0]
        if not cols.size or cols[0] > s.label_reach * line_h:
            continue
        end = cols[0]
        for c in cols[1:]:
            if c - end > s.join_x * line_h:
                break
            end = c
        rows = np.nonzero(free[y0:y1, x0 + cols[0]:x0 + end + 1].any(axis=1))[0]
        ink = BBox(x0 + cols[0], y0 + rows[0], x0 + end + 1, y0 + rows[-1] + 1)
        if ink.width < s.min_width * line_h or ink.height < s.min_height * line_h:
            continue
        ax0, ay0, ax1, ay1 = ink.outset(s.pad_px + 1).clipped(W, H).as_int()
        ln = ocr.read_strip(image, (ax0, ay0, ax1, ay1), (ink.x0, ink.y0, ink.x1, ink.y1))
        if ln is None or ln.score < s.min_score or is_scrawl(ln.text, ln.score):
            continue
        if any(ocr.is_han(ch) or ch.isdigit() for ch in ln.text):
            out.append(ln)
    return out
