"""``candidates.squares`` (prefix sums, ``square_search``) gives exactly what the plain search
gives — a slice of the mask per side per try, the overlap filter one ``BBox`` at a time — on
pages of the committed scans and on random masks with boxes drawn near edges and over noise."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from extractors.scan.ticks import candidates as C
from pipeline.model.geometry import BBox


# ------------------------------------------------------------------ the plain search (reference)
def _runs_ref(mask, lo, hi):
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if lo <= w <= hi and h <= max(3, 0.3 * w):
            out.append((x, y, w, h))
    return out


def _coverage(mask, x0, x1, y0, y1, axis):
    region = mask[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    if region.size == 0:
        return 0.0
    return float(region.any(axis=axis).mean())


def _side_cover(mask, box, t):
    x0, y0, x1, y1 = box
    t = max(2, t)
    return (_coverage(mask, x0, x1, y0 - 1, y0 + t, 0), _coverage(mask, x0, x1, y1 - t, y1 + 1, 0),
            _coverage(mask, x0 - 1, x0 + t, y0, y1, 1), _coverage(mask, x1 - t, x1 + 1, y0, y1, 1))


def squares_ref(ink, px_per_pt):
    lo, hi = C.MIN_SIDE_PT * px_per_pt, C.MAX_SIDE_PT * px_per_pt
    k = max(3, int(round(0.6 * lo)))
    horiz = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    found = []
    for (x, y, w, h) in _runs_ref(horiz, lo * 0.9, hi * 1.1):
        best = None
        for sign in (1, -1):
            for dy in range(int(0.8 * w), int(1.25 * w) + 1):
                y0, y1 = (y, y + dy) if sign > 0 else (y + h - dy, y + h)
                if y0 < 0 or y1 > ink.shape[0]:
                    continue
                score = min(_side_cover(ink, (x, y0, x + w, y1), h))
                if score >= C.SIDE_COVER and (best is None or (score, -abs(dy - w)) > (best[0], -abs(best[1][3] - best[1][1] - w))):
                    best = (score, (x, y0, x + w, y1), h)
        if best is not None:
            found.append(best)
    found.sort(key=lambda f: -f[0])
    out = []
    for f in found:
        if all(BBox.of(f[1]).iou(BBox.of(o[1])) < 0.3 for o in out):
            out.append(f)
    return out


def _same(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g == w                                  # score bit for bit, square, thickness
        assert type(g[0]) is float and all(type(v) is int for v in (*g[1], g[2]))


# ------------------------------------------------------------------ random masks
def _drawn(rng, H, W, ppp):
    ink = rng.random((H, W)) < rng.choice([0.0, 0.01, 0.05])
    for _ in range(rng.integers(5, 40)):
        side = int(rng.uniform(2.5, 18) * ppp)
        t = int(rng.integers(1, 4))
        # anywhere, partly off the page too: the edges' clipping must match
        x0, y0 = int(rng.integers(-side // 2, W)), int(rng.integers(-side // 2, H))
        h = side + int(rng.integers(-side // 4, side // 4 + 1))
        img = ink.view(np.uint8)
        cv2.rectangle(img, (x0, y0), (x0 + side, y0 + h), 1, t)
        if rng.random() < 0.3:                          # a side broken, a stroke inside
            cv2.line(img, (x0 + side // 3, y0), (x0 + 2 * side // 3, y0), 0, t)
        if rng.random() < 0.3:
            cv2.line(img, (x0, y0 + h), (x0 + side, y0), 1, 2)
    for _ in range(rng.integers(0, 15)):                # bare runs and bars of box length
        x0, y0 = int(rng.integers(0, W)), int(rng.integers(0, H))
        cv2.line(ink.view(np.uint8), (x0, y0), (x0 + int(rng.uniform(3, 17) * ppp), y0), 1, int(rng.integers(1, 4)))
    return ink


@pytest.mark.parametrize("seed", range(12))
def test_same_squares_as_the_plain_search_on_random_masks(seed):
    rng = np.random.default_rng(seed)
    ppp = float(rng.choice([1.0, 1.5, 2.0833, 2.7795]))
    H, W = int(rng.integers(60, 400)), int(rng.integers(60, 400))
    ink = _drawn(rng, H, W, ppp)
    want = squares_ref(ink, ppp)
    _same(C.squares(ink, ppp), want)


def test_runs_as_the_plain_filter():
    rng = np.random.default_rng(7)
    ink = _drawn(rng, 300, 300, 2.0).view(np.uint8)
    for lo, hi in ((5.0, 40.0), (8.3, 48.9), (1.0, 300.0)):
        assert C._runs(ink, lo, hi) == _runs_ref(ink, lo, hi)


# ------------------------------------------------------------------ pages of the committed scans
def _page_ink(dossier: str, page: int):
    from extractors.scan.raster import page_images
    from extractors.scan.ticks.fit import _straight
    from tests.expected import DOSSIERS, load_expected
    path = DOSSIERS / dossier / load_expected(dossier)["form_file"]
    if not path.exists():
        pytest.skip(f"{path} not committed")
    for n, im, w, _h in page_images(path):
        if n == page:
            _rgb, m, ppp, _turn, rules = _straight(im, w)     # the page as the reader prepares it
            # what outline_candidates searches: print and pen, seal and rules out
            return (m.dark & ~m.red & ~rules) | m.blue, ppp
    pytest.skip(f"{dossier} has no page {page}")


@pytest.mark.parametrize("dossier,page", [("gx-beiliu-ceramics-scan", 2), ("gz-suiyang-chili-scan", 2)])
def test_same_squares_as_the_plain_search_on_scanned_pages(dossier, page):
    ink, ppp = _page_ink(dossier, page)
    want = squares_ref(ink, ppp)
    assert len(want) > 100                              # a page of tick boxes and box-like glyphs
    _same(C.squares(ink, ppp), want)
