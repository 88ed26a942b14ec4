"""A full stop the recogniser left unread at a line's end, seen in the ink.

The recogniser drops 。 after a figure ending a line (``利用率84.40%。`` read ``84.40%``), even
when the line's region alone is read again (``ocr._end_mark_restored`` finds nothing to add).
The ink still shows it: right after the line's last character, inside the line's own height,
one small blob in the lower half of the line with a hole in it — a ring.  No other mark of
Chinese print is a ring (，、；： are solid), so such a blob is 。 and is added to the line.
Anything else there is left as it is.

``EndRingSettings`` in line heights, measured on the 。 the recogniser did read at line ends on
the committed and devcorpus scans (``python -m extractors.scan.end_ring`` prints them).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import cv2
import numpy as np

from .ocr import END_MARKS, OcrChar, OcrLine


@dataclass(frozen=True)
class EndRingSettings:
    reach: float = 0.9          # line heights past the last character's box searched ...
    back: float = 0.3           # ... and before its end (the box may end inside the mark)
    min_side: float = 0.15      # line heights: the ring's width and height at least ...
    max_side: float = 0.55      # ... and at most
    low: float = 0.45           # the ring's centre lies below this share of the line's height


END_RING = EndRingSettings()


def _blobs(ink: np.ndarray) -> list[tuple[int, int, int, int, bool]]:
    """(x, y, w, h, has a hole) of each 8-connected blob of ``ink`` (bool)."""
    contours, hier = cv2.findContours(ink.astype(np.uint8), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hier is None:
        return []
    out = []
    for i, c in enumerate(contours):
        if hier[0][i][3] != -1:             # a hole's contour, not a blob
            continue
        x, y, w, h = cv2.boundingRect(c)
        out.append((x, y, w, h, hier[0][i][2] != -1))
    return out


def end_ring(line: OcrLine, ink: np.ndarray, s: EndRingSettings = END_RING) -> Optional[tuple[float, ...]]:
    """The box (px) of a ring right after ``line``'s last character, or None."""
    if not line.chars or line.text[-1] in END_MARKS:
        return None
    x0, y0, x1, y1 = line.box
    h = y1 - y0
    last = max(c.box[2] for c in line.chars)
    H, W = ink.shape
    back = int(s.back * h)                  # the search starts inside the last character
    ax0, ax1 = max(0, int(last) - back), min(W, int(last + s.reach * h))
    ay0, ay1 = max(0, int(y0)), min(H, int(y1) + 1)
    if ax1 - int(last) < s.min_side * h or ay1 <= ay0:
        return None
    # a blob starting left of the last character's box end is that character's own ink (the
    # box is the recogniser's estimate: % 's lower ring runs past it); specks smaller than
    # half a ring are the scanner's
    edge = last - ax0
    found = _blobs(ink[ay0:ay1, ax0:ax1])
    # ... and so is what starts left of where that ink ends (% 's lower ring, under its stroke)
    own_end = max([b[0] + b[2] for b in found if b[0] + 1 < edge] + [edge])
    blobs = [b for b in found if b[0] >= own_end and max(b[2], b[3]) >= s.min_side * h / 2]
    if len(blobs) != 1:
        return None
    bx, by, bw, bh, hole = blobs[0]
    if not hole or not (s.min_side * h <= bw <= s.max_side * h and s.min_side * h <= bh <= s.max_side * h):
        return None
    if by + bh / 2 < s.low * (ay1 - ay0):
        return None
    return (ax0 + bx, ay0 + by, ax0 + bx + bw, ay0 + by + bh)


def with_end_ring(line: OcrLine, ink: np.ndarray, s: EndRingSettings = END_RING) -> OcrLine:
    """``line`` with the 。 its ink shows after its last character, if it does."""
    ring = end_ring(line, ink, s)
    if ring is None:
        return line
    last = max(line.chars, key=lambda c: c.box[2])
    mark = OcrChar("。", (ring[0], last.box[1], max(ring[2], ring[0] + 1), last.box[3]), line.score)
    return OcrLine(line.text + "。", line.box, line.score, line.chars + [mark])
