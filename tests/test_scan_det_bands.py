"""The detector run in bands (extractors/scan/det_bands.py): a page's lines come back once
each, in page coordinates, whichever band they fall in or straddle."""
from __future__ import annotations

import cv2
import numpy as np

from extractors.scan.det_bands import BandedDetector, BandSettings, band_cuts


class InkDetector:
    """A stand-in for RapidOCR's detector that sees what a real one sees of a band: each
    blob of ink in the image it is given, cut off where the image ends."""

    def __init__(self):
        self.shapes = []
        self.postprocess_op = object()

    def __call__(self, img):
        self.shapes.append(img.shape)
        n, _, stats, _ = cv2.connectedComponentsWithStats((img.min(axis=2) < 128).astype(np.uint8))
        boxes = [[[x, y], [x + w, y], [x + w, y + h], [x, y + h]] for x, y, w, h, _ in stats[1:]]
        return np.array(boxes, dtype=np.float32), 0.0


def page(height: int, lines: list[tuple[int, int]]) -> np.ndarray:
    img = np.full((height, 600, 3), 255, np.uint8)
    for top, tall in lines:
        img[top:top + tall, 50:500] = 0
    return img


def as_set(boxes) -> set:
    return {tuple(map(float, b.reshape(-1))) for b in boxes}


def test_cuts_are_even_and_only_for_a_tall_page():
    s = BandSettings(max_band_px=1400)
    assert band_cuts(1400, s) == []
    assert band_cuts(2339, s) == [1169]
    assert band_cuts(3000, s) == [1000, 2000]


def test_every_line_once_in_page_coordinates_across_the_cut():
    s = BandSettings(max_band_px=500, margin_px=60)
    # two bands of a 900 px page, cut at 450: band 1 sees rows 0–510, band 2 rows 390–900.
    # 380–420 lies in band 1 and is cut short in band 2; 430–530 is cut short in band 1
    # and lies in band 2; the last line ends at the page's foot
    lines = [(20, 30), (300, 40), (380, 40), (430, 100), (700, 40), (860, 40)]
    img = page(900, lines)
    whole = InkDetector()(img)[0]
    inner = InkDetector()
    got, _ = BandedDetector(inner, s)(img)
    assert len(inner.shapes) == 2 and all(h <= 450 + 60 for h, _, _ in inner.shapes)
    assert len(got) == len(whole) == 6
    assert as_set(got) == as_set(whole)


def test_a_short_page_is_detected_whole_and_settings_pass_through():
    inner = InkDetector()
    det = BandedDetector(inner, BandSettings(max_band_px=1400))
    img = page(1000, [(100, 30)])
    got, _ = det(img)
    assert inner.shapes == [img.shape] and len(got) == 1
    # RapidOCR sets its post-processing settings on the detector it holds on every call
    assert det.postprocess_op is inner.postprocess_op


def test_a_blank_page_gives_no_lines():
    got, _ = BandedDetector(InkDetector(), BandSettings(max_band_px=500))(page(900, []))
    assert len(got) == 0
