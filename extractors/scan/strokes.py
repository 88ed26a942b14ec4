"""A pen stroke ticks one box: a neighbour's stroke running through a box does not tick it.

Pen ticks overrun their boxes (1–2× the box), and on a form whose options are stacked one
under the other the long arm of a √ often runs up through the box above — an empty box then
holds blue ink and reads as ticked or undecided.  A human sees whose stroke it is:
the box that holds most of it.  So after the boxes are settled, each blue stroke (a
connected piece of pen ink, joined through the dark ink within ``JOIN_PX`` of it: a stroke
over a box's black side is dark there, not blue) that
lies inside more than one box is given to the box holding the most of it, and a box that holds
less than ``FOREIGN_SHARE`` of what its owner holds has the stroke taken out and is decided
again (``boxes.decide``) on the ink that is its own — when it was read undecided or ticked
only at the low confidence of ink around it.  A box read ticked surely, by the ink inside
it, is left alone: two ticks whose strokes cross are one stroke to this test.  Black pen cannot be told from print by colour
and is left as it is.
"""
from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from .boxes import Box, decide
from .ink import InkMasks

JOIN_PX = 3          # px
FOREIGN_SHARE = 0.5
SURE = 0.8             # a box read ticked this surely (ink inside over boxes.TICKED_ABOVE) is
                       # left as it is: two ticks whose strokes cross make one stroke
FRINGE_PX = 2          # the blurred edge of a stroke is dark but not blue: taken out with it


def stroke_labels(masks: InkMasks) -> np.ndarray:
    """Each pen stroke's pixels labelled 1, 2, …: blue ink, joined through the dark pixels
    next to it — where a stroke crosses a box's black side or a printed character the ink is
    dark, not blue, and the stroke would fall in two there."""
    near = cv2.dilate(masks.blue.astype(np.uint8), np.ones((2 * JOIN_PX + 1, 2 * JOIN_PX + 1), np.uint8)).astype(bool)
    _, labels = cv2.connectedComponents((masks.blue | (masks.dark & near)).astype(np.uint8), connectivity=8)
    return labels


def _inside(b: Box) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = b.bbox
    inset = b.thickness + max(1, int(0.12 * b.side))
    return x0 + inset, y0 + inset, x1 - inset, y1 - inset


def one_box_per_stroke(boxes: list[Box], masks: InkMasks) -> list[Box]:
    """The boxes, those not read empty that hold a stroke that is another box's decided again
    without it."""
    if len(boxes) < 2 or not any(b.state for b in boxes) or not masks.blue.any():
        return boxes
    labels = stroke_labels(masks)
    held: list[dict[int, int]] = []          # per box: stroke id → blue pixels inside
    for b in boxes:
        x0, y0, x1, y1 = _inside(b)
        lab = labels[y0:y1, x0:x1][masks.blue[y0:y1, x0:x1]]
        ids, counts = np.unique(lab[lab > 0], return_counts=True)
        held.append(dict(zip(ids.tolist(), counts.tolist())))
    most: dict[int, int] = {}
    for h in held:
        for k, c in h.items():
            most[k] = max(most.get(k, 0), c)
    out = []
    for b, h in zip(boxes, held):
        foreign = [k for k, c in h.items() if c < FOREIGN_SHARE * most[k]]
        if b.state is False or b.confidence >= SURE or not foreign:
            out.append(b)
            continue
        out.append(_without(b, masks, labels, foreign))
    return out


def _without(b: Box, masks: InkMasks, labels: np.ndarray, strokes: list[int]) -> Box:
    """The box decided again on its page region with the given strokes taken out."""
    x0, y0, x1, y1 = b.bbox
    r = b.side                                      # decide() looks half a side around the box
    H, W = masks.blue.shape
    cx0, cy0, cx1, cy1 = max(0, x0 - r), max(0, y0 - r), min(W, x1 + r), min(H, y1 + r)
    gone = np.isin(labels[cy0:cy1, cx0:cx1], strokes).astype(np.uint8)
    gone = cv2.dilate(gone, np.ones((2 * FRINGE_PX + 1, 2 * FRINGE_PX + 1), np.uint8)).astype(bool)
    crop = InkMasks(grey=masks.grey[cy0:cy1, cx0:cx1], dark=masks.dark[cy0:cy1, cx0:cx1] & ~gone,
                    blue=masks.blue[cy0:cy1, cx0:cx1] & ~gone, red=masks.red[cy0:cy1, cx0:cx1],
                    threshold=masks.threshold)
    moved = Box((x0 - cx0, y0 - cy0, x1 - cx0, y1 - cy0), b.thickness)
    d = decide(moved, crop)
    return replace(b, state=d.state, confidence=d.confidence, inside=d.inside, pen_around=d.pen_around,
                   pen_inside=d.pen_inside)
