"""``candidates.SideMaps`` measures a crop around each window asked about; it must give exactly
what the side maps of the whole page give (the code before, kept here as the reference): the
same corners, the same scores to the bit, in the same order — on windows near the page's edges
of random masks, and through ``sibling_candidates`` on pages of the committed scans."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from extractors.scan.ticks import candidates as C
from tests.test_scan_squares import _drawn, _page_ink


class WholePageSideMaps:
    """The side maps of the whole page at once (the code before the crops)."""

    def __init__(self, ink, w, h, t):
        t = max(2, t)
        ink8 = ink.astype(np.uint8)
        rows_any = cv2.dilate(ink8, np.ones((t + 2, 1), np.uint8), anchor=(0, 0))
        cols_any = cv2.dilate(ink8, np.ones((1, t + 2), np.uint8), anchor=(0, 0))
        horiz = C._box_filter(rows_any, max(3, w - 2 * t), 1)
        vert = C._box_filter(cols_any, 1, max(3, h - 2 * t))
        H, W = ink.shape
        self.w, self.h = w, h

        def shift(a, dy, dx):
            out = np.zeros_like(a)
            ys, xs = slice(max(0, -dy), H - max(0, dy)), slice(max(0, -dx), W - max(0, dx))
            yd, xd = slice(max(0, dy), H - max(0, -dy)), slice(max(0, dx), W - max(0, -dx))
            out[ys, xs] = a[yd, xd]
            return out

        self.sides = (shift(horiz, -1, t), shift(horiz, h - t - 1, t), shift(vert, t, -1), shift(vert, t, w - t - 1))

    def corners(self, xa, xb, ya, yb):
        H, W = self.sides[0].shape
        xa, ya = max(1, xa), max(1, ya)
        xb, yb = min(W - self.w - 1, xb), min(H - self.h - 1, yb)
        if xb <= xa or yb <= ya:
            return []
        s = np.sort(np.stack([m[ya:yb, xa:xb] for m in self.sides]), axis=0)
        ok = (s[0] >= C.SIDE_SOME) & (s[4 - C.FULL_SIDES] >= C.SIDE_FULL)
        ys, xs = np.nonzero(ok)
        score = s.sum(axis=0)[ok]
        return [(float(v), int(x) + xa, int(y) + ya) for v, x, y in zip(score, xs, ys)]


@pytest.mark.parametrize("seed", range(8))
def test_same_corners_as_the_whole_page_maps_on_random_masks(seed):
    rng = np.random.default_rng(100 + seed)
    ppp = float(rng.choice([1.0, 2.0833, 2.7795]))
    H, W = int(rng.integers(80, 400)), int(rng.integers(80, 400))
    ink = _drawn(rng, H, W, ppp)
    found = 0
    for _ in range(6):
        w = int(rng.integers(6, 45))
        h = w + int(rng.integers(-2, 3))
        t = int(rng.integers(1, 5))
        ref, got = WholePageSideMaps(ink, w, h, t), C.SideMaps(ink, w, h, t)
        for _ in range(8):
            # windows anywhere, partly or wholly off the page, thin and wide
            xa, ya = int(rng.integers(-30, W)), int(rng.integers(-30, H))
            xb, yb = xa + int(rng.integers(0, W)), ya + int(rng.integers(0, H))
            want = ref.corners(xa, xb, ya, yb)
            assert got.corners(xa, xb, ya, yb) == want
            found += len(want)
    assert found > 0 or seed % 2                       # the masks hold boxes to find


@pytest.mark.parametrize("dossier,page", [("gx-beiliu-ceramics-scan", 2), ("gz-suiyang-chili-scan", 2)])
def test_same_siblings_as_the_whole_page_maps_on_scanned_pages(dossier, page, monkeypatch):
    ink, ppp = _page_ink(dossier, page)
    outlines = [C.Candidate(C.BBox.of(b), t, C.OUTLINE) for _, b, t in C.squares(ink, ppp)][:60]
    got = C.sibling_candidates(ink, None, outlines, [])
    monkeypatch.setattr(C, "SideMaps", WholePageSideMaps)
    want = C.sibling_candidates(ink, None, outlines, [])
    assert want and got == want
