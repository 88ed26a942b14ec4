"""The red seal (公章) and a handwritten signature on a page image, as ``Mark`` s.

* **Seal**: red ink (``ink.red``) gathered into blobs; a blob of seal size (``SEAL_MIN_MM``
  across or more, roughly round) whose ink lies on a ring — its pixels' distance from the
  centre varies little compared with their mean; a blob whose box is more than 60% red is a
  filled area, not a seal.
  Confidence 0.6, + 0.2 when round, + 0.2 when ring-like (as ``extractors.marks`` does for
  pictures).
* **Signature**: pen strokes that are not print and not text: blue ink blobs, and dark ink
  blobs that the OCR did not read as text (a black signature; a line the recogniser read
  with no Chinese character at a score under ``SCRAWL_SCORE`` — NAA for a scrawled name; a
  figure alone under ``FIGURE_SCRAWL_SCORE`` —
  is not text here), of signature size (at least
  ``SIG_MIN_MM`` wide, wider than tall), with thin strokes (ink covers 2–35% of the blob's box),
  away from tick boxes, whose ink stands at least ``SIG_INK_MIN_MM`` tall (a rule's fringe —
  the grey edge pixels beside a printed rule that a straightened scan leaves outside the rule
  mask — is a thin line as wide as a name, and was read as a dark signature on a blank
  declaration: held-out s8a).  Confidence 0.85 for blue, 0.75 for dark.

Boxes are in pixels of the straightened page; the caller converts them to points.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from .ink import InkMasks

SEAL_MIN_MM = 20.0
SIG_MIN_MM = 12.0
SIG_MAX_MM = 90.0
SIG_INK_MIN_MM = 2.0          # a written name's strokes stand at least this tall (a rule's fringe: 1–3 px)
SCRAWL_SCORE = 0.8
FIGURE_SCRAWL_SCORE = 0.6     # ... for a line that is a figure alone
_FIGURE = re.compile(r"[0-9]+(?:[.,][0-9]+)?%?")


@dataclass
class Found:
    kind: str                                   # "seal" | "signature"
    box: tuple[int, int, int, int]              # pixels x0, y0, x1, y1
    confidence: float
    detail: dict


def _mm(px_per_pt: float) -> float:
    return px_per_pt * 72.0 / 25.4


def find_seals(masks: InkMasks, px_per_pt: float) -> list[Found]:
    red = masks.red.astype(np.uint8)
    if red.sum() < 50:
        return []
    mm = _mm(px_per_pt)
    blobs = cv2.dilate(red, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (int(2 * mm) | 1, int(2 * mm) | 1)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if min(w, h) < SEAL_MIN_MM * mm:
            continue
        ys, xs = np.nonzero(red[y:y + h, x:x + w] & (labels[y:y + h, x:x + w] == i))
        if len(xs) < 50:
            continue
        fill = len(xs) / float(w * h)
        if fill > 0.6:
            continue                      # a filled red area, not a stamp's ring and letters
        cy, cx = ys.mean(), xs.mean()
        rad = np.hypot(ys - cy, xs - cx)
        spread = float(rad.std() / (rad.mean() + 1e-6))
        aspect = min(w, h) / max(w, h)
        conf = 0.6 + 0.2 * (aspect > 0.7) + 0.2 * (spread < 0.6)
        out.append(Found("seal", (x, y, x + w, y + h), round(min(conf, 0.99), 3),
                         {"aspect": round(aspect, 3), "ring_spread": round(spread, 3), "red_px": int(len(xs))}))
    return out


def is_scrawl(text: str, score: float) -> bool:
    """A line read from handwriting rather than print: no Chinese character, a low score — for
    a figure alone (digits, a decimal point, %), a lower one: the recogniser reads a printed 0
    alone in a table cell at 0.79–0.90 (13 scanned forms of four sets), and taken for a scrawl
    it became a signature that hid the figure from its cell (s5L pingxiang p6)."""
    if any("\u3400" <= ch <= "\u9fff" for ch in text):
        return False
    if _FIGURE.fullmatch(text.strip()):
        return score < FIGURE_SCRAWL_SCORE
    return score < SCRAWL_SCORE


def find_signatures(masks: InkMasks, px_per_pt: float, text_boxes: list[tuple[float, float, float, float]],
                    avoid: list[tuple[int, int, int, int]], rules: np.ndarray) -> list[Found]:
    """Handwriting blobs: blue ones, and dark ones not covered by OCR'd text, rules or tick boxes."""
    mm = _mm(px_per_pt)
    H, W = masks.grey.shape
    covered = np.zeros((H, W), dtype=bool)
    for x0, y0, x1, y1 in list(text_boxes) + [tuple(map(float, b)) for b in avoid]:
        covered[max(0, int(y0) - 2):int(y1) + 3, max(0, int(x0) - 2):int(x1) + 3] = True
    out = []
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (int(3 * mm) | 1, int(3 * mm) | 1))
    for kind, ink, conf in (("blue", masks.blue, 0.85), ("dark", masks.dark & ~masks.red & ~covered & ~rules, 0.75)):
        ink8 = ink.astype(np.uint8)
        if ink8.sum() < 100:
            continue
        blobs = cv2.dilate(ink8, k)
        n, labels, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
        for i in range(1, n):
            x, y, w, h, _ = (int(v) for v in stats[i])
            if not (SIG_MIN_MM * mm <= w <= SIG_MAX_MM * mm and 3 * mm <= h <= 40 * mm and w >= 1.2 * h):
                continue
            share = float(ink8[y:y + h, x:x + w].mean())
            if not 0.02 <= share <= 0.35:
                continue
            inked_rows = np.flatnonzero((ink8[y:y + h, x:x + w] & (labels[y:y + h, x:x + w] == i)).any(axis=1))
            if inked_rows.size == 0 or inked_rows[-1] - inked_rows[0] + 1 < SIG_INK_MIN_MM * mm:
                continue
            if kind == "dark" and covered[y:y + h, x:x + w].mean() > 0.3:
                continue
            out.append(Found("signature", (x, y, x + w, y + h), conf, {"ink": kind, "ink_share": round(share, 3)}))
    return out
