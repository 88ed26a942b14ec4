"""How far a scanned page is turned, and turning it straight.

The skew is measured on the page's long horizontal ruling lines (a form has many): each
line's pixels are fitted with a straight line and the length-weighted median slope is the
page's skew.  A page without ruling lines (the 填报说明 page) is measured by its text lines
instead: the angle at which the row profile of the ink is sharpest (projection profile).
Angles beyond ±``MAX_SKEW`` degrees are not corrected (a page scanned sideways is not skew).

:class:`Deskew` keeps the affine transform, so boxes found on the straightened image can be
mapped back onto the page as stored in the file — a field's ``bbox`` must crop the right
cell out of the original page (``extractors.crop.crop_png``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import cv2
import numpy as np

MAX_SKEW = 5.0          # degrees
MIN_ANGLE = 0.05        # below this the page is left as it is


@dataclass
class Deskew:
    angle: float                    # degrees the image was turned (counter-clockwise positive)
    matrix: Optional[np.ndarray]    # 2×3 affine: original pixel -> straightened pixel
    width: int
    height: int

    def to_original(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A box on the straightened image as the box on the original image that covers it."""
        if self.matrix is None:
            return box
        inv = cv2.invertAffineTransform(self.matrix)
        x0, y0, x1, y1 = box
        pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64)
        q = pts @ inv.T
        return (float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max()), float(q[:, 1].max()))


def _line_skew(binary: np.ndarray) -> Optional[float]:
    """Skew in degrees from long horizontal ruling lines, or None when there are too few."""
    h, w = binary.shape
    k = max(15, w // 60)
    horiz = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    horiz = cv2.dilate(horiz, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 3)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(horiz, connectivity=8)
    angles, weights = [], []
    for i in range(1, n):
        x, y, cw, ch, area = stats[i]
        if cw < w * 0.25 or ch > cw * 0.12:
            continue
        ys, xs = np.nonzero(binary[y:y + ch, x:x + cw] & (labels[y:y + ch, x:x + cw] == i))
        if len(xs) < cw * 0.5:
            continue
        slope = np.polyfit(xs.astype(np.float64), ys.astype(np.float64), 1)[0]
        angles.append(np.degrees(np.arctan(slope)))
        weights.append(cw)
    if len(angles) < 2:
        return None
    order = np.argsort(angles)
    a, wt = np.array(angles)[order], np.array(weights, dtype=np.float64)[order]
    cum = np.cumsum(wt)
    return float(a[np.searchsorted(cum, cum[-1] / 2.0)])


def _profile_skew(binary: np.ndarray) -> float:
    """Skew in degrees at which the ink's row profile is sharpest (text lines level)."""
    small = cv2.resize(binary, (max(1, binary.shape[1] // 3), max(1, binary.shape[0] // 3)), interpolation=cv2.INTER_AREA)
    h, w = small.shape
    centre = (w / 2.0, h / 2.0)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rot = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        rows = rot.sum(axis=1, dtype=np.float64)
        return float(np.sum(np.diff(rows) ** 2))

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.5), key=sharpness)
    fine = max(np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05), key=sharpness)
    # the turn that straightens the page (counter-clockwise positive) equals its skew
    return float(fine)


def measure_skew(dark: np.ndarray) -> float:
    """Skew of the page in degrees (positive: lines fall to the right), from its dark ink."""
    binary = dark.astype(np.uint8) * 255
    angle = _line_skew(binary)
    if angle is None:
        angle = _profile_skew(binary)
    return angle


def deskew(rgb: np.ndarray, dark: np.ndarray) -> tuple[np.ndarray, Deskew]:
    """(straightened image, transform); the image is turned about its centre, white filled."""
    h, w = dark.shape
    skew = measure_skew(dark)
    if abs(skew) < MIN_ANGLE or abs(skew) > MAX_SKEW:
        return rgb, Deskew(0.0, None, w, h)
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), skew, 1.0)
    out = cv2.warpAffine(rgb, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    return out, Deskew(round(skew, 3), m, w, h)
