"""一 (the character yī) or — (a dash): decided from the stroke on the image, not from words.

The recogniser reads a dash between two Chinese characters (``制备—日用``) as 一, the two are
one flat stroke to it.  On the page they differ in length: 一 is drawn inside its em with side
bearings, its stroke ``YI_SHORTEST``–``YI_LONGEST`` of the line's character pitch; a dash is
either a Latin dash, clearly shorter, or a full-width dash that runs the whole em.  So for each
一 read between two characters (not digits: ``ocr`` already turns 2021一2023 into a range) the
flat stroke between its neighbours is measured on the page's ink, and a stroke outside the
range of 一 makes it —.
"""
from __future__ import annotations

import statistics

import cv2
import numpy as np

from .ocr import OcrChar, OcrLine

YI_SHORTEST = 0.87       # of the line's character pitch
YI_LONGEST = 1.02
FLAT = 2.5               # a stroke at least this many times wider than tall


def _pitch(chars: list[OcrChar]) -> float | None:
    steps = [b.box[0] - a.box[0] for a, b in zip(chars, chars[1:])
             if not a.text.isascii() and not b.text.isascii()]
    return statistics.median(steps) if len(steps) >= 3 else None


def _stroke_length(ink: np.ndarray, line: OcrLine, a: OcrChar, b: OcrChar) -> int | None:
    """Width of the widest flat stroke between the characters either side of the 一."""
    y0, y1 = int(line.box[1]), int(line.box[3])
    x0, x1 = int(a.box[2]) - 6, int(b.box[0]) + 6
    band = ink[max(0, y0):y1, max(0, x0):max(0, x1)].astype(np.uint8)
    if band.size == 0:
        return None
    n, _, st, _ = cv2.connectedComponentsWithStats(band, connectivity=8)
    flat = [int(st[k][2]) for k in range(1, n) if st[k][2] >= FLAT * st[k][3]]
    return max(flat) if flat else None


def settle_dashes(lines: list[OcrLine], ink: np.ndarray) -> list[OcrLine]:
    """The lines with each 一 between two non-digit characters made — when its stroke is not
    as long as a 一's; ``ink`` is the page's print mask (straightened page, pixels)."""
    for ln in lines:
        cs = sorted(ln.chars, key=lambda c: c.box[0])
        pitch = None
        changed = False
        for i in range(1, len(cs) - 1):
            if cs[i].text != "一" or cs[i - 1].text.isdigit() or cs[i + 1].text.isdigit():
                continue
            pitch = pitch or _pitch(cs)
            if not pitch:
                break
            w = _stroke_length(ink, ln, cs[i - 1], cs[i + 1])
            if w is not None and not (YI_SHORTEST * pitch <= w <= YI_LONGEST * pitch):
                cs[i] = OcrChar("—", cs[i].box)
                changed = True
        if changed:
            ln.chars = cs
            ln.text = "".join(c.text for c in cs)
    return lines
