"""The search behind :func:`.candidates.squares`, by prefix sums instead of a slice per try.

``squares`` tries each horizontal run of box length as the top side of a square and as its
bottom side, at every height from 0.8 to 1.25 of its length, and keeps the height whose four
sides are best inked (``side_cover``: the share of a side's columns, or rows, holding ink in a
band the run's thickness).  Each try used to cut four slices of the mask; here one block of the
mask around the run is summed once (``numpy.cumsum`` down its rows, a running count of ink per
column, and down the two side bands' rows), and every try's four coverages are differences of
those sums — the same integer counts divided by the same lengths, so the same floats, the same
winner and the same ties as the slice per try (``tests/test_scan_squares.py`` compares both on
the committed scans' pages and on random masks).  The overlap filter that follows compares
each square with those kept before it in one array operation instead of one ``BBox`` at a time.
"""
from __future__ import annotations

import numpy as np

Square = tuple[float, tuple[int, int, int, int], int]     # (side score, (x0, y0, x1, y1), thickness)


def _band_counts(cs: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each band of rows [a, b) (block coordinates), how many of the block's columns hold
    ink in it; ``cs`` is the block's column-wise prefix sum (one more row than the block)."""
    return ((cs[b] - cs[a]) > 0).sum(axis=1)


def _share(count: np.ndarray, n) -> np.ndarray:
    """count / n as float64 (a side of no length covers nothing)."""
    if np.isscalar(n):
        return count / n
    return np.divide(count, n, out=np.zeros(count.shape), where=n > 0)


def _clip(a: np.ndarray, hi: int) -> np.ndarray:
    return np.minimum(np.maximum(a, 0), hi)


def best_square(ink: np.ndarray, run: tuple[int, int, int, int], floor: float) -> Square | None:
    """The best-inked square on one run (x, y, w, h) with every side covered ``floor`` or more:
    of equal scores the height nearest the run's length, then the first tried (top side before
    bottom side, shorter before taller) — as the slice-per-try search chose."""
    x, y, w, h = run
    H, W = ink.shape
    t = max(2, h)
    dys = np.arange(int(0.8 * w), int(1.25 * w) + 1)
    if dys.size == 0:
        return None
    y0 = np.concatenate([np.full(dys.size, y), y + h - dys])          # run as top, then as bottom
    y1 = np.concatenate([y + dys, np.full(dys.size, y + h)])
    d = np.concatenate([dys, dys])
    ok = (y0 >= 0) & (y1 <= H)
    if not ok.any():
        return None
    y0, y1, d = y0[ok], y1[ok], d[ok]
    # row bands, clipped as slicing clips them: top [y0-1, y0+t), bottom [y1-t, y1+1), sides [y0, y1)
    ta, tb = _clip(y0 - 1, H), _clip(y0 + t, H)
    ba, bb = _clip(y1 - t, H), _clip(y1 + 1, H)
    ra, rb = int(min(ta.min(), ba.min(), y0.min())), int(max(tb.max(), bb.max(), y1.max()))
    block = ink[ra:rb]
    cs = np.zeros((rb - ra + 1, w), np.int32)
    np.cumsum(block[:, x:x + w], axis=0, out=cs[1:])
    top = _share(_band_counts(cs, ta - ra, tb - ra), w)
    bottom = _share(_band_counts(cs, ba - ra, bb - ra), w)
    n = y1 - y0
    sides = []
    for c0, c1 in ((max(0, x - 1), max(0, x + t)), (max(0, x + w - t), max(0, x + w + 1))):
        rows = np.zeros(rb - ra + 1, np.int64)
        np.cumsum(block[:, c0:min(W, c1)].any(axis=1), out=rows[1:])
        sides.append(_share(rows[y1 - ra] - rows[y0 - ra], n))
    score = np.minimum(np.minimum(top, bottom), np.minimum(sides[0], sides[1]))
    good = np.flatnonzero(score >= floor)
    if good.size == 0:
        return None
    s = score[good]
    best = good[s == s.max()]
    off = np.abs(d[best] - w)
    i = int(best[np.flatnonzero(off == off.min())[0]])
    return float(score[i]), (x, int(y0[i]), x + w, int(y1[i])), h


def apart(found: list[Square], max_iou: float) -> list[Square]:
    """``found`` in order, each kept unless it overlaps one kept before it by ``max_iou`` (IoU)
    or more."""
    kept: list[Square] = []
    boxes = np.empty((len(found), 4), np.float64)
    for f in found:
        b = np.asarray(f[1], np.float64)
        k = len(kept)
        if k:
            o = boxes[:k]
            iw = np.maximum(0.0, np.minimum(b[2], o[:, 2]) - np.maximum(b[0], o[:, 0]))
            ih = np.maximum(0.0, np.minimum(b[3], o[:, 3]) - np.maximum(b[1], o[:, 1]))
            inter = iw * ih
            area = max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])
            union = area + np.maximum(0.0, o[:, 2] - o[:, 0]) * np.maximum(0.0, o[:, 3] - o[:, 1]) - inter
            iou = np.where(union > 0, inter / np.where(union > 0, union, 1.0), 0.0)
            if (iou >= max_iou).any():
                continue
        boxes[k] = b
        kept.append(f)
    return kept
