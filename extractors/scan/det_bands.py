"""The text detector run on a page in bands, so that its working memory is a band's, not a page's.

RapidOCR's detector (DB) holds its feature maps for the whole image at once: on a scanned A4
page at the reader's 200 dpi (2339 × 1655 px) that is ≈ 0.7 GB for a moment, most of a worker's
peak memory (issue 13: ≤ 1 GiB per worker).  The detector is fully convolutional, so a band of
the page gives the same text lines as the page does inside it, except within its reach of the
band's edges.  :class:`BandedDetector` takes RapidOCR's place for ``engine.text_det``:

1. a page no taller than ``max_band_px`` is detected whole, as before;
2. a taller one is cut into the fewest bands of equal height no taller than that.  Equal and
   unmoved cuts are measured, not a convenience: ONNX Runtime plans and keeps its memory for
   each input shape it meets, and pages of one size then give the same few band shapes.  Cuts
   moved to the emptiest row near them (so as not to run through a line) gave a new shape per
   band: on the bench's 8 pages the detector's peak went 976 → 864 MB instead of 976 → 711 MB,
   at 1.35× its time instead of 1.0×;
3. each band is detected with ``margin_px`` of the page above and below it, so the lines at a
   cut are seen whole and with the print around them;
4. a line belongs to the band its box's middle lies in; the boxes go back to page coordinates.

RapidOCR orders the boxes, crops and recognises them afterwards exactly as for a page detected
whole.  Settings in one object with units (pixels of the detector's input: the page as the
reader renders it, RapidOCR shrinking nothing at ``ocr.MAX_SIDE_PX``).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BandSettings:
    # px: the tallest image detected at once.  A4 at 200 dpi (2339 px) is detected in 2 bands;
    # measured on the bench's 8 pages, detection alone peaked at 976 MB whole, 711 MB in 2
    # bands, 731 MB in 3 (900 px: the last band's other shape costs what a smaller band saves)
    max_band_px: int = 1400
    # px each band reaches past its cuts: more than a text line's height (≈ 40 px at 200 dpi; a
    # stacked 是/否 read as one vertical line ≈ 100 px), so a line at a cut is whole in its band
    margin_px: int = 112


SETTINGS = BandSettings()


def band_cuts(height: int, s: BandSettings = SETTINGS) -> list[int]:
    """The rows an image ``height`` px tall is cut at: none when it is detected whole, else
    the cuts into the fewest equal bands no taller than ``max_band_px``."""
    n = -(-height // s.max_band_px)
    return [height * k // n for k in range(1, n)]


class BandedDetector:
    """RapidOCR's ``TextDetector`` run band by band (module docstring).  Everything else —
    the post-processing settings RapidOCR sets on each call — is the wrapped detector's."""

    def __init__(self, detector, settings: BandSettings = SETTINGS):
        self._detector = detector
        self.settings = settings

    def __getattr__(self, name):
        return getattr(self._detector, name)

    def __call__(self, img: np.ndarray):
        cuts = band_cuts(img.shape[0], self.settings)
        if not cuts:
            return self._detector(img)
        t0 = time.perf_counter()
        h, m = img.shape[0], self.settings.margin_px
        edges = [0, *cuts, h]
        kept = []
        for top, bottom in zip(edges, edges[1:]):
            y0, y1 = max(0, top - m), min(h, bottom + m)
            boxes, _ = self._detector(img[y0:y1])
            if boxes is None or len(boxes) == 0:
                continue
            boxes = np.asarray(boxes, dtype=np.float32) + np.array([0, y0], dtype=np.float32)
            middle = (boxes[:, :, 1].min(axis=1) + boxes[:, :, 1].max(axis=1)) / 2
            kept.append(boxes[(middle >= top) & (middle < bottom)])
        if not kept:
            return np.zeros((0, 4, 2), dtype=np.float32), time.perf_counter() - t0
        return np.concatenate(kept), time.perf_counter() - t0
