"""What is measured on each candidate: one frozen record, nothing decided.

Ink (on the straightened page's masks; shares are 0–1):

* ``sides`` — the least inked of the four sides (print, pen or rule ink), the outline's presence;
* ``inside`` — ink (dark or blue) over the inside, inset from the outline by its line and 12% of
  a side; ``pen_inside`` the blue part of it;
* ``own_inside`` — the inside ink once the pen strokes that are mostly another candidate's are
  taken out (a √'s long arm running up through the box above);
* ``pen_around`` — blue over a ring half a side wide around the box (a stroke's overrun);
* ``stroke_out`` — ink of any colour in that ring, left of, above and below the box, of the
  strokes that touch the box and are its own: a pen stroke that runs out of it — a black pen's
  √ set low and left of its box holds little ink inside but joins the outline from below; an
  empty outline has nothing touching it there (its label is on its right, not looked at), and
  a neighbour's √ whose arm runs on to it holds more of itself near its own box;
  ``stroke_shared`` — one of those strokes touches another candidate that could own it too
  (holds some of it inside, or the stroke's lowest point is nearest that one: the foot of an ✗
  over the box above reaching this one, or a √ between two boxes): its owner was judged;
* ``left_clear`` — clear paper left of the box, in box sides (None: no print within two sides).

The OCR's reading (the page's lines, read once):

* ``read_on`` — the characters whose glyph is centred on the box; ``read_score`` the
  recogniser's least probability over them (0 when none was read): a character of running text
  is read sure, a box or a pen stroke over one is a guess;
* ``label`` / ``label_score`` — the option label of the catalogue that the text right after the
  box matches best, and how well (0–100, the prefix of up to ``PREFIX`` characters); where that
  text ends its line, the label may go on at the start of the next line (``wrapped_rest``),
  read on into it for the options the line's part begins; a glyph two overlapping lines both
  read is counted once (``read_once``);
* ``self_score`` — the same for the text read *from* the box on (a label's own first character
  set in the box column matches better from itself than from after itself);
* ``label_offset`` — line heights between the box's middle and that text line's middle;
  ``label_gap`` the gap from the box to the text, in line heights (None: no text after it);
* ``left_tight`` — line heights from the character read before the box to the box;
* ``wraps_on`` — nothing is read before it on its row, and the line above in its block is a
  full line ending with a Chinese character (``runs_on_into``): a word cut by a wrap goes on
  where the square stands;
* ``siblings`` — candidates of its size (±20%) in its column or on its row;
* ``side_known`` — its side is that of a printed outline (its own, or the page's usual one),
  or, on a page where no outline was found, the side the option labels' line height gives
  (``Settings.line_side``) and its outline shows at that side (``sides`` ≥ ``form_sides``);
  False otherwise: the square is sized by a guess.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

import cv2
import numpy as np

from pipeline.model.geometry import BBox
from pipeline.model.text import norm

from ..ink import InkMasks
from ..ocr import OcrChar, OcrLine
from .candidates import ALIGN_PX, OUTLINE, Candidate, printed_line, side_cover

PREFIX = 6               # characters of an option label compared with the text after a box
LABEL_ALIGN = 0.5        # line heights: a text line counts as the box's line within this
LABEL_REACH = 1.5        # line heights: text starting this far right of a box may be its label
GLYPH_WIDTH = 0.95       # a Chinese glyph's width in its line's height (RapidOCR: median 0.93)
SIZE_TOLERANCE = 0.2     # share: siblings' sides agree within this
JOIN_PX = 3              # px: a stroke joined through dark ink this near its blue
FOREIGN_SHARE = 0.5      # a stroke holding less than this share of what its owner holds is foreign
FRINGE_PX = 2            # px: a stroke's blurred edge taken out with it
RING = 0.5               # box sides: the ring around a box where a stroke's overrun is looked for
OUTLINE_PX = 2           # px: a box's outline (its blur) reaches this far outside its bbox
BAND = 0.2               # box sides: an outline's line and blur, cut out to set strokes loose
OWN_SHARE = 0.75         # a stroke is a box's own holding this share of what the box holding most holds
CROSS_PX = 4             # px: a stroke crossing a side moves this far along it (a √'s slant)
TURN = 0.2               # box sides: above a √'s turn by this much, its two arms lie apart on both sides
LINE_BLUR_PX = 1         # px: an outline's blur beyond its printed line (a sibling may sit this far off it)
WRAP_BELOW = (0.6, 1.8)  # line heights: the next line of a block lies this far below a line (middle to middle)
TWICE = 0.5              # share: two lines' characters covering this much of each other: one glyph
WRAP_CHARS = 6           # characters: a line at least this long running on to the margin is a full line


@dataclass(frozen=True)
class Evidence:
    side_pt: float
    sides: float
    inside: float
    pen_inside: float
    own_inside: float
    pen_around: float
    stroke_out: float
    stroke_shared: bool
    left_clear: Optional[float]
    read_on: str
    label: str
    label_score: float
    self_score: float
    label_offset: Optional[float]
    label_gap: Optional[float]
    left_tight: Optional[float]
    siblings: int
    side_known: bool = True      # its side is a printed outline's (False: the page showed none, a guess)
    read_score: float = 0.0      # the recogniser's least probability over the characters read on it (0: none)
    wraps_on: bool = False       # it starts its row, and the line above runs on into it (a word cut by a wrap)


# ------------------------------------------------------------------ ink
def _inset(c: Candidate) -> tuple[int, int, int, int]:
    """The inside: inset from the outline by its line — at most the line the print shows
    (``Candidate.line``) and ``LINE_BLUR_PX``: a pen stroke along a side thickened the run the
    square was found on (5 px for a 2 px line), and a 9 px inside of a 25 px box missed both
    arms of a wide √ (devcorpus D101-011 p7) — and 12% of a side."""
    x0, y0, x1, y1 = c.box()
    t = min(c.thickness, max(2, c.line) + LINE_BLUR_PX) if c.line else c.thickness
    d = t + max(1, int(0.12 * c.side))
    return x0 + d, y0 + d, x1 - d, y1 - d


def _share(mask: np.ndarray, box: tuple[int, int, int, int]) -> float:
    x0, y0, x1, y1 = box
    region = mask[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    return float(region.mean()) if region.size else 0.0


def _ring(blue: np.ndarray, c: Candidate) -> float:
    x0, y0, x1, y1 = c.box()
    r = max(2, int(RING * c.side))
    H, W = blue.shape
    ry0, ry1, rx0, rx1 = max(0, y0 - r), min(H, y1 + r), max(0, x0 - r), min(W, x1 + r)
    total = int(blue[ry0:ry1, rx0:rx1].sum()) - int(blue[max(0, y0):y1, max(0, x0):x1].sum())
    area = max(1, (ry1 - ry0) * (rx1 - rx0) - (y1 - y0) * (x1 - x0))
    return total / area


def _zone(c: Candidate, shape: tuple[int, int], reach: int) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = c.box()
    return max(0, x0 - reach), max(0, y0 - reach), min(shape[1], x1 + reach), min(shape[0], y1 + reach)


def _band(c: Candidate) -> int:
    """px: how far inside its bbox a candidate's outline is cut (its line, blurred)."""
    return max(c.thickness + 1, int(BAND * c.side))


def _across(lab: np.ndarray, c: Candidate) -> list[tuple[int, int]]:
    """Pairs of labels facing each other across the candidate's cut outline band — the two
    pieces of a stroke that crosses a side (within ``CROSS_PX`` along the side)."""
    x0, y0, x1, y1 = c.box()
    t = _band(c)
    H, W = lab.shape
    out, ins = y0 - OUTLINE_PX - 1, y0 + t
    sides = [(lab[out, x0:x1] if out >= 0 else None, lab[ins, x0:x1] if ins < H else None)]
    out, ins = y1 + OUTLINE_PX, y1 - t - 1
    sides.append((lab[out, x0:x1] if out < H else None, lab[ins, x0:x1] if ins >= 0 else None))
    out, ins = x0 - OUTLINE_PX - 1, x0 + t
    sides.append((lab[y0:y1, out] if out >= 0 else None, lab[y0:y1, ins] if ins < W else None))
    out, ins = x1 + OUTLINE_PX, x1 - t - 1
    sides.append((lab[y0:y1, out] if out < W else None, lab[y0:y1, ins] if ins >= 0 else None))
    pairs = []
    for a, b in sides:
        if a is None or b is None:
            continue
        for i in np.nonzero(a)[0].tolist():
            near = b[max(0, i - CROSS_PX):i + CROSS_PX + 1]
            pairs += [(int(a[i]), int(k)) for k in set(near[near > 0].tolist())]
    return pairs


def _loose_strokes(free: np.ndarray, cands: list[Candidate]) -> np.ndarray:
    """``free`` ink cut loose from every candidate's outline (its band, ``OUTLINE_PX`` outside
    to a line inside), labelled 1, 2, …: the pen strokes and the glyphs, each apart — the
    pieces of a stroke that crosses a side joined again (``_across``)."""
    cut = free.copy()
    H, W = cut.shape
    for c in cands:
        x0, y0, x1, y1 = c.box()
        t = _band(c)
        ox0, oy0, ox1, oy1 = max(0, x0 - OUTLINE_PX), max(0, y0 - OUTLINE_PX), min(W, x1 + OUTLINE_PX), min(H, y1 + OUTLINE_PX)
        inner = cut[y0 + t:y1 - t, x0 + t:x1 - t].copy() if x1 - x0 > 2 * t and y1 - y0 > 2 * t else None
        cut[oy0:oy1, ox0:ox1] = False
        if inner is not None:
            cut[y0 + t:y1 - t, x0 + t:x1 - t] = inner
    n, lab = cv2.connectedComponents(cut.astype(np.uint8), connectivity=8)
    root = np.arange(n, dtype=np.int32)

    def find(k: int) -> int:
        while root[k] != k:
            root[k] = root[root[k]]
            k = int(root[k])
        return k

    for c in cands:
        for a, b in _across(lab, c):
            ra, rb = find(a), find(b)
            if ra != rb:
                root[max(ra, rb)] = min(ra, rb)
    for k in range(n):
        root[k] = find(k)
    return root[lab]


def _counts(lab: np.ndarray, box: tuple[int, int, int, int]) -> dict[int, int]:
    x0, y0, x1, y1 = box
    ids, n = np.unique(lab[max(0, y0):max(0, y1), max(0, x0):max(0, x1)], return_counts=True)
    return {int(i): int(k) for i, k in zip(ids, n) if i > 0}


def _nearest(shape: tuple[int, int], cands: list[Candidate]) -> np.ndarray:
    """Per pixel within ``RING`` of a candidate, the index of the nearest candidate (distance
    to its square; -1 elsewhere): the page's paper around the boxes shared out between them."""
    owner = np.full(shape, -1, np.int32)
    dist = np.full(shape, np.inf, np.float32)
    for i, c in enumerate(cands):
        x0, y0, x1, y1 = c.box()
        zx0, zy0, zx1, zy1 = _zone(c, shape, max(2, int(RING * c.side)))
        if zx1 <= zx0 or zy1 <= zy0:
            continue
        dx = np.maximum(np.maximum(x0 - np.arange(zx0, zx1), np.arange(zx0, zx1) - (x1 - 1)), 0)
        dy = np.maximum(np.maximum(y0 - np.arange(zy0, zy1), np.arange(zy0, zy1) - (y1 - 1)), 0)
        d = np.hypot(dy[:, None], dx[None, :]).astype(np.float32)
        cur = dist[zy0:zy1, zx0:zx1]
        closer = d < cur
        cur[closer] = d[closer]
        owner[zy0:zy1, zx0:zx1][closer] = i
    return owner


def _held(lab: np.ndarray, owner: np.ndarray, n: int) -> list[dict[int, int]]:
    """Per candidate, the pixels of each loose stroke in its share of the paper (``_nearest``)."""
    near = (lab > 0) & (owner >= 0)
    out: list[dict[int, int]] = [{} for _ in range(n)]
    pairs, counts = np.unique(np.stack([owner[near], lab[near]]), axis=1, return_counts=True)
    for (i, k), m in zip(pairs.T.tolist(), counts.tolist()):
        out[i][k] = m
    return out


def _lowest(lab: np.ndarray) -> dict[int, tuple[int, int]]:
    """(y, x) of each stroke's lowest pixel: where a √ turns, where an ✗'s feet are."""
    ys, xs = np.nonzero(lab)
    ks = lab[ys, xs]
    if ks.size == 0:
        return {}
    order = np.lexsort((ys, ks))
    ks, ys, xs = ks[order], ys[order], xs[order]
    last = np.r_[np.nonzero(np.diff(ks))[0], ks.size - 1]
    return {int(ks[i]): (int(ys[i]), int(xs[i])) for i in last}


def _most(held: list[dict[int, int]]) -> dict[int, int]:
    most: dict[int, int] = {}
    for h in held:
        for k, m in h.items():
            most[k] = max(most.get(k, 0), m)
    return most


def strokes_out(free: np.ndarray, cands: list[Candidate]) -> list[tuple[float, bool]]:
    """Per candidate, the share of the ring left of, above and below it (``RING`` sides wide;
    not right of it, where its label is) inked by its own strokes: loose strokes that touch
    the box (reach its outline band or lie inside it) and are its own: a stroke with ink inside
    boxes is the box's holding at least ``OWN_SHARE`` of the most any box holds inside (an ✗
    whose feet reach the box below is the box's it crosses); one inside no box that touches
    other boxes too is this box's only if its lowest point lies on the box (the foot of an ✗
    over the box above, cut off at this box's top side, is not); one touching this box alone is
    the box's in whose share of the paper around the boxes (``_nearest``) its lowest point lies
    (a √ set off its box turns beside it; a √ turning at the box below whose long arm runs up
    past this box is the box's below), or, its lowest point near no box, the box's holding near
    it at least ``OWN_SHARE`` of the most any box holds."""
    lab = _loose_strokes(free, cands)
    nearest = _nearest(lab.shape, cands)
    held = _held(lab, nearest, len(cands))
    inside = [_counts(lab, _inset(c)) for c in cands]
    low = _lowest(lab)
    most, most_in = _most(held), _most(inside)
    touching = [set(_counts(lab, _zone(c, lab.shape, OUTLINE_PX + 1))) for c in cands]
    out = []
    for i, (c, h, hin) in enumerate(zip(cands, held, inside)):
        x0, y0, x1, y1 = c.box()
        own = []
        for k in touching[i]:
            at = int(nearest[low[k]]) if k in low else -1
            if most_in.get(k, 0) > 0:
                mine = hin.get(k, 0) >= OWN_SHARE * most_in[k]
            elif sum(k in t for t in touching) > 1:    # between boxes: its turn must lie on this one
                mine = k in low and c.bbox.contains_point(low[k][1], low[k][0], OUTLINE_PX)
            else:
                mine = at == i or (at < 0 and h.get(k, 0) >= OWN_SHARE * most.get(k, 0))
            if mine:
                own.append(k)
        if not own:
            out.append((0.0, False))
            continue
        # shared: another box it touches could own it too (it holds some of it inside, or the
        # stroke's lowest point is nearest that box) — a stroke grazing a neighbour's corner is not
        shared = any(k in t and (inside[j].get(k, 0) > 0 or (k in low and int(nearest[low[k]]) == j))
                     for j, t in enumerate(touching) if j != i for k in own)
        zx0, zy0, zx1, zy1 = _zone(c, lab.shape, max(2, int(RING * c.side)))
        zx1 = min(zx1, x1 + OUTLINE_PX)
        win = np.isin(lab[zy0:zy1, zx0:zx1], own)
        ox0, oy0, ox1, oy1 = max(0, x0 - OUTLINE_PX - zx0), max(0, y0 - OUTLINE_PX - zy0), x1 + OUTLINE_PX - zx0, y1 + OUTLINE_PX - zy0
        inner = int(win[oy0:oy1, ox0:ox1].sum())
        ring = win.size - (min(win.shape[0], oy1) - oy0) * (min(win.shape[1], ox1) - ox0)
        out.append(((int(win.sum()) - inner) / max(1, ring), shared))
    return out


def _left_clear(print_mask: np.ndarray, c: Candidate) -> Optional[float]:
    x0, y0, x1, y1 = c.box()
    h = y1 - y0
    band = print_mask[y0 + h // 5:y1 - h // 5, max(0, x0 - 2 * int(c.side)):max(0, x0 - 1)]
    if band.size == 0:
        return None
    cols = np.nonzero(band.any(axis=0))[0]
    return (band.shape[1] - 1 - int(cols.max())) / c.side if cols.size else None


def stroke_labels(masks: InkMasks) -> np.ndarray:
    """Each pen stroke's pixels labelled 1, 2, …: blue ink joined through the dark ink beside it
    (where a stroke crosses a box's side or a printed character it is dark, not blue)."""
    k = 2 * JOIN_PX + 1
    near = cv2.dilate(masks.blue.astype(np.uint8), np.ones((k, k), np.uint8)).astype(bool)
    _, labels = cv2.connectedComponents((masks.blue | (masks.dark & near)).astype(np.uint8), connectivity=8)
    return labels


def _turns_in(c: Candidate, blue: np.ndarray, labels: np.ndarray, strokes: list[int]) -> set[int]:
    """Of ``strokes``, those that turn inside the candidate: the stroke's lowest blue pixel in
    the box's inside lies above the inside's bottom edge, nothing of the stroke lies just below
    it, and ``TURN`` of a side above it the stroke runs on both sides (a √'s turn, a V).  An
    arm that only passes through (it leaves at the bottom) or an ✗'s foot (one leg) does not
    turn there."""
    x0, y0, x1, y1 = _inset(c)
    H, W = labels.shape
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(W, x1), min(H, y1)
    rise = max(3, int(TURN * c.side))
    out = set()
    for k in strokes:
        mine = (labels[y0:y1, x0:x1] == k) & blue[y0:y1, x0:x1]
        ys, xs = np.nonzero(mine)
        if ys.size == 0:
            continue
        y = int(ys.max())
        if y >= mine.shape[0] - 1:
            continue                                            # runs on below the inside
        x = int(np.median(xs[ys == y]))
        gy, gx = y0 + y, x0 + x
        below = (slice(gy + 1, gy + 1 + rise), slice(max(0, gx - rise), gx + rise + 1))
        if ((labels[below] == k) & blue[below]).any():
            continue                                            # the stroke goes on down beside it
        band = labels[max(0, gy - rise):max(0, gy - rise // 2) + 1, max(0, gx - 2 * rise):gx + 2 * rise + 1] == k
        cols = np.nonzero(band.any(axis=0))[0] - min(gx, 2 * rise)
        if cols.size and cols.min() <= -rise // 2 and cols.max() >= rise // 2:
            out.add(k)
    return out


def _foreign_strokes(cands: list[Candidate], masks: InkMasks, labels: np.ndarray) -> list[list[int]]:
    """Per candidate, the strokes inside it that are mostly another candidate's — unless the
    stroke turns inside it (``_turns_in``): a faint √ whose arm touches the ✗ of the box above
    is one stroke with that ✗, mostly the box above's, yet its turn is this box's own tick —
    and the strokes that turn inside another candidate holding more of them and not inside it,
    however much of them it holds: the long arm of a √ whose turn is in the box below, running
    up through this one (held-out s8b longxi p12: the arm held 50 px of the box above against
    95 in its own, above ``FOREIGN_SHARE``, and the box above, 创业辅导, read ticked at 1.0
    beside the ticked 管理咨询 — a silent wrong option had the group been complete).  Not where
    this box holds more of the stroke than the box it turns in: an ✗ touched by the arm of the
    √ below is one stroke with it, and the ✗'s box holds the most (s8a planted-cn-blanks p12,
    tried without that: three ticked ✗ boxes of that set lost their ink and went to a clerk)."""
    held: list[dict[int, int]] = []
    for c in cands:
        x0, y0, x1, y1 = _inset(c)
        lab = labels[max(0, y0):y1, max(0, x0):x1][masks.blue[max(0, y0):y1, max(0, x0):x1]]
        ids, counts = np.unique(lab[lab > 0], return_counts=True)
        held.append(dict(zip(ids.tolist(), counts.tolist())))
    most: dict[int, int] = {}
    for h in held:
        for k, n in h.items():
            most[k] = max(most.get(k, 0), n)
    turning = [_turns_in(c, masks.blue, labels, list(h)) if h else set() for c, h in zip(cands, held)]
    out = []
    for i, (c, h) in enumerate(zip(cands, held)):
        less = [k for k, n in h.items() if n < FOREIGN_SHARE * most[k]]
        turns = _turns_in(c, masks.blue, labels, less) if less else set()
        # a stroke turning inside another box that holds more of it, and only passing through
        # this one, is that box's √
        elsewhere = [k for k, n in h.items() if k not in turning[i]
                     and any(k in t and held[j][k] > n for j, t in enumerate(turning) if j != i)]
        out.append(sorted({k for k in less if k not in turns} | set(elsewhere)))
    return out


def _own_inside(c: Candidate, masks: InkMasks, labels: np.ndarray, foreign: list[int], inside: float) -> float:
    if not foreign:
        return inside
    x0, y0, x1, y1 = _inset(c)
    H, W = labels.shape
    y0, y1, x0, x1 = max(0, y0 - FRINGE_PX), min(H, y1 + FRINGE_PX), max(0, x0 - FRINGE_PX), min(W, x1 + FRINGE_PX)
    gone = cv2.dilate(np.isin(labels[y0:y1, x0:x1], foreign).astype(np.uint8),
                      np.ones((2 * FRINGE_PX + 1, 2 * FRINGE_PX + 1), np.uint8)).astype(bool)
    ink = (masks.dark | masks.blue)[y0:y1, x0:x1] & ~gone
    f = FRINGE_PX
    inner = ink[f:ink.shape[0] - f, f:ink.shape[1] - f]
    return float(inner.mean()) if inner.size else 0.0


# ------------------------------------------------------------------ the OCR's reading
def glyph(c: OcrChar, bb: BBox) -> tuple[float, float]:
    """(x0, x1) of the character's glyph judged beside the box: RapidOCR's box for a character
    next to a square often swallows the square (是 over ``□是``, 1.3–1.5 glyphs wide), so a box
    wider than a glyph that overlaps the square is cut to a glyph on the side away from it."""
    x0, x1 = c.box[0], c.box[2]
    w = GLYPH_WIDTH * (c.box[3] - c.box[1])
    if x1 - x0 <= w or min(x1, bb.x1) <= max(x0, bb.x0):
        return x0, x1
    return (x1 - w, x1) if (x0 + x1) / 2 >= bb.cx else (x0, x0 + w)


def on_box(c: OcrChar, bb: BBox) -> bool:
    x0, x1 = glyph(c, bb)
    return bb.x0 <= (x0 + x1) / 2 <= bb.x1


class Labels:
    """The catalogue's option labels, normalised, and how well a text starts with one."""

    def __init__(self, options: list[str]):
        self.options = sorted({norm(o) for o in options if norm(o)})

    def best(self, text: str, head: str = "") -> tuple[float, str]:
        """(score, option) of the option ``text`` starts with best; with ``head``, of the
        options that begin with ``head`` (normalised) only."""
        from rapidfuzz import fuzz
        t, h = norm(text), norm(head)
        if not t:
            return 0.0, ""
        best = (0.0, "")
        for o in (o for o in self.options if o.startswith(h)):
            n = min(len(o), PREFIX)
            s = fuzz.ratio(o[:n], t[:n])
            if s > best[0]:
                best = (float(s), o)
        return best


def row_lines(lines: list[OcrLine], bb: BBox) -> list[tuple[float, OcrLine]]:
    """(offset in line heights, line) of the text lines on the box's row."""
    out = []
    for ln in lines:
        h = max(1.0, ln.box[3] - ln.box[1])
        off = abs((ln.box[1] + ln.box[3]) / 2 - bb.cy) / h
        if off <= LABEL_ALIGN and ln.box[2] >= bb.x0 - LABEL_REACH * h:
            out.append((off, ln))
    return out


def _same_glyph(a: OcrChar, b: OcrChar) -> bool:
    """Two characters of two lines whose boxes cover most of one another: over more than
    ``TWICE`` of the narrower one's width and of the lower one's height."""
    w = min(a.box[2], b.box[2]) - max(a.box[0], b.box[0])
    h = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
    return (w > TWICE * min(a.box[2] - a.box[0], b.box[2] - b.box[0])
            and h > TWICE * min(a.box[3] - a.box[1], b.box[3] - b.box[1]))


def read_once(rows: list[tuple[float, OcrLine]]) -> list[tuple[float, list[OcrChar]]]:
    """(offset, characters left to right) of each line on a box's row, a glyph read twice by two
    lines counted once: the detector may find a stretch of print twice, in two overlapping lines
    (第一产业第 | 第二产业: the 第 of 第二产业 read at the end of the first line too, as a guess,
    7 px left of where the second reads it).  Of two readings of one glyph (``_same_glyph``)
    the surer stays (then the one of the line read first); the other, taken for the text after
    a box, was its label (第 — no option) and the box was dropped as a character in a word
    (held-out s7b chenghai p3 ``basic.industry_type``, its ticked 第二产业 lost)."""
    chars = [sorted(ln.chars, key=lambda c: c.box[0]) for _, ln in rows]
    out = []
    for i, (off, _) in enumerate(rows):
        keep = [c for c in chars[i]
                if not any(_same_glyph(c, d) and (d.score, -j) > (c.score, -i)
                           for j in range(len(rows)) if j != i for d in chars[j])]
        out.append((off, keep))
    return out


def wrapped_rest(lines: list[OcrLine], ln: OcrLine) -> str:
    """The text of the line a label cut at ``ln``'s end goes on in: the line below it (its
    middle ``WRAP_BELOW`` line heights down) that starts where ``ln`` starts, within
    ``LABEL_REACH`` line heights (the block's left margin: ``ln`` may start after a box); the
    next such line down (then the nearest start).  Empty when there is none.  Not the nearest
    start first: a line whose height a pen's tick stretched (49 px for 30) reached two lines
    down, to a note starting 2 px nearer the margin than the label's own next line, so the
    box of □投 | 融资服务 read 投(注：勾选… and was dropped (held-out s8b longxi p12)."""
    h = max(1.0, ln.box[3] - ln.box[1])
    mid = (ln.box[1] + ln.box[3]) / 2
    starts = _row_starts(lines, ln)
    below = [o for o in lines if o is not ln and o.chars
             and WRAP_BELOW[0] * h <= (o.box[1] + o.box[3]) / 2 - mid <= WRAP_BELOW[1] * h
             and min(abs(o.box[0] - x) for x in starts) <= LABEL_REACH * h]
    if not below:
        return ""
    nxt = min(below, key=lambda o: (o.box[1] + o.box[3], min(abs(o.box[0] - x) for x in starts)))
    return "".join(c.text for c in sorted(nxt.chars, key=lambda c: c.box[0]))


ROW_CHAIN = 3.0          # line heights: lines of one row this close apart are one run of text (boxes between them)


def _row_starts(lines: list[OcrLine], ln: OcrLine) -> list[float]:
    """Where ``ln`` starts and where the lines before it on its row start, each within
    ``ROW_CHAIN`` line heights of the next: a row of options the OCR read as several lines (it
    breaks a line at a box) starts at the first of them, and a label cut at the row's end goes
    on under that start, not under its own line's (held-out s7d longxi p12: 人员培训 | 市场营销□投
    read as two lines, the rest 融资服务 under the row's start)."""
    h = max(1.0, ln.box[3] - ln.box[1])
    mid = (ln.box[1] + ln.box[3]) / 2
    row = [o for o in lines if o is not ln and o.chars and abs((o.box[1] + o.box[3]) / 2 - mid) <= LABEL_ALIGN * h
           and o.box[2] <= ln.box[0] + 0.5 * h]
    starts, x = [ln.box[0]], ln.box[0]
    for o in sorted(row, key=lambda o: -o.box[2]):
        if x - o.box[2] > ROW_CHAIN * h:
            break
        x = min(x, o.box[0])
        starts.append(x)
    return starts


def runs_on_into(lines: list[OcrLine], ln: OcrLine, x0: float) -> bool:
    """The line above ``ln`` in its block runs on into it: the line whose middle lies
    ``WRAP_BELOW`` line heights above and which starts within ``LABEL_REACH`` line heights of
    ``x0`` (the block's left margin) is a full line — ``WRAP_CHARS`` characters or more,
    reaching past ``ln``'s end — ending with a Chinese character (no full stop, colon or
    bracket closing it).  A word cut there goes on at ``ln``'s start."""
    from ..ocr import is_han
    h = max(1.0, ln.box[3] - ln.box[1])
    mid = (ln.box[1] + ln.box[3]) / 2
    above = [o for o in lines if o is not ln and o.chars
             and WRAP_BELOW[0] * h <= mid - (o.box[1] + o.box[3]) / 2 <= WRAP_BELOW[1] * h
             and abs(o.box[0] - x0) <= LABEL_REACH * h]
    if not above:
        return False
    prev = max(above, key=lambda o: o.box[3])
    chars = sorted(prev.chars, key=lambda c: c.box[0])
    return len(chars) >= WRAP_CHARS and prev.box[2] >= ln.box[2] and is_han(chars[-1].text[-1:])


def _reading(lines: list[OcrLine], bb: BBox, next_x: float, labels: Labels) -> dict:
    """The OCR's evidence about one box (see the module docstring)."""
    read_on, after, left, sure = "", None, None, []
    rows = row_lines(lines, bb)
    for (off, ln), (_, chars) in zip(rows, read_once(rows)):
        h = max(1.0, ln.box[3] - ln.box[1])
        on = [c for c in chars if on_box(c, bb)]
        read_on += "".join(c.text for c in on)
        sure += [c.score for c in on]
        right = [c for c in chars if glyph(c, bb)[0] >= bb.cx and not on_box(c, bb) and glyph(c, bb)[0] < next_x]
        if right:
            gap = (glyph(right[0], bb)[0] - bb.x1) / h
            # of the lines on its row, the one whose text starts nearest the box (then the
            # better aligned): a neighbour's label read as a line of its own, its OCR box
            # swallowing its own square, may lie a little better aligned (D101-008 p9 是 | 否)
            if gap <= LABEL_REACH and (after is None or (gap, off) < (after[1], after[0])):
                # the text after it ends its line (nothing read further right on the row)
                ends = right[-1] is chars[-1] and not any(o.box[0] >= right[-1].box[2]
                                                          for _, o in rows if o is not ln)
                after = (off, gap, "".join(c.text for c in right), "".join(c.text for c in on + right),
                         ln if ends else None, ln)
        before = [c for c in chars if sum(glyph(c, bb)) / 2 < bb.x0 and not on_box(c, bb)]
        if before:
            d = (bb.x0 - glyph(before[-1], bb)[1]) / h
            left = d if left is None else min(left, d)
    read_score = round(min(sure), 3) if sure else 0.0
    if after is None:
        return dict(read_on=read_on, read_score=read_score, label="", label_score=0.0, self_score=0.0,
                    label_offset=None, label_gap=None, left_tight=left)
    wraps = left is None and runs_on_into(lines, after[5], bb.x0)
    score, option = labels.best(after[2])
    if after[4] is not None and score < 100.0:
        wrapped = labels.best(after[2] + wrapped_rest(lines, after[4]), head=after[2])
        score, option = wrapped if wrapped[0] > score else (score, option)
    self_score = labels.best(after[3])[0] if after[3] != after[2] else 0.0
    return dict(read_on=read_on, read_score=read_score, label=option, label_score=score, self_score=self_score,
                label_offset=round(after[0], 3), label_gap=round(after[1], 3), left_tight=left, wraps_on=wraps)


def _alike(a: Candidate, b: Candidate) -> bool:
    return (abs(a.bbox.width - b.bbox.width) <= SIZE_TOLERANCE * max(a.bbox.width, b.bbox.width) + 1
            and abs(a.bbox.height - b.bbox.height) <= SIZE_TOLERANCE * max(a.bbox.height, b.bbox.height) + 1)


def siblings(c: Candidate, cands: list[Candidate]) -> int:
    tol = 2 * ALIGN_PX
    return sum(1 for o in cands if o is not c and _alike(c, o)
               and (abs(o.bbox.x0 - c.bbox.x0) <= tol or abs(o.bbox.cy - c.bbox.cy) <= tol))


def _next_x(c: Candidate, cands: list[Candidate]) -> float:
    """Where the next printed outline on the box's row starts (its label's text ends there; a
    square found otherwise may be a character of the label itself)."""
    xs = [o.bbox.x0 for o in cands if o is not c and o.source == OUTLINE and o.bbox.x0 > c.bbox.x1 and abs(o.bbox.cy - c.bbox.cy) < c.side]
    return min(xs, default=float("inf"))


def print_only(masks: InkMasks, rule_mask: Optional[np.ndarray] = None) -> np.ndarray:
    """The print without the seal, the pen and the ink right beside the pen, and the rules."""
    pm = masks.dark & ~masks.red & ~cv2.dilate(masks.blue.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    return pm & ~rule_mask.astype(bool) if rule_mask is not None else pm


def lined(cands: list[Candidate], masks: InkMasks, rule_mask: Optional[np.ndarray] = None) -> list[Candidate]:
    """The candidates with their outline's line measured on the print alone (``printed_line``)."""
    if all(c.line for c in cands):
        return cands
    pm = print_only(masks, rule_mask)
    return [c if c.line else replace(c, line=printed_line(pm, c.box(), c.thickness)) for c in cands]


def ownership(cands: list[Candidate], masks: InkMasks, rule_mask: Optional[np.ndarray] = None,
              owners: Optional[list[bool]] = None) -> list[dict]:
    """Per candidate, the evidence that depends on whose strokes are whose — ``own_inside``,
    ``stroke_out``, ``stroke_shared`` — with the strokes shared out among the ``owners`` only
    (default: all): a glyph taken for a square and dropped (建 under a √'s arm) must not take a
    box's stroke.  A candidate that is no owner gets its inside ink as its own and no stroke."""
    owners = owners if owners is not None else [True] * len(cands)
    cands = lined(cands, masks, rule_mask)
    ink = masks.dark | masks.blue
    out = [dict(own_inside=round(_share(ink, _inset(c)), 4), stroke_out=0.0, stroke_shared=False) for c in cands]
    idx = [i for i, o in enumerate(owners) if o]
    if not idx:
        return out
    sub = [cands[i] for i in idx]
    free = ink & ~rule_mask.astype(bool) if rule_mask is not None else ink
    strokes = stroke_labels(masks) if masks.blue.any() else np.zeros(masks.blue.shape, np.int32)
    foreign = _foreign_strokes(sub, masks, strokes)
    for i, c, fo, so in zip(idx, sub, foreign, strokes_out(free, sub)):
        out[i] = dict(own_inside=round(_own_inside(c, masks, strokes, fo, _share(ink, _inset(c))), 4),
                      stroke_out=round(so[0], 4), stroke_shared=so[1])
    return out


def measure(cands: list[Candidate], masks: InkMasks, lines: list[OcrLine], labels: Labels,
            px_per_pt: float, rule_mask: Optional[np.ndarray] = None,
            owners: Optional[list[bool]] = None) -> list[Evidence]:
    """One evidence record per candidate, in the candidates' order (``owners``: see
    :func:`ownership`)."""
    ink = masks.dark | masks.blue
    pm = print_only(masks, rule_mask)
    cands = lined(cands, masks, rule_mask)
    out = []
    for c, own in zip(cands, ownership(cands, masks, rule_mask, owners)):
        inner = _inset(c)
        out.append(Evidence(
            side_pt=round(c.side / px_per_pt, 2), sides=round(min(side_cover(ink, c.box(), c.thickness)), 3),
            inside=round(_share(ink, inner), 4), pen_inside=round(_share(masks.blue, inner), 4),
            pen_around=round(_ring(masks.blue, c), 4), **own,
            left_clear=_left_clear(pm, c), siblings=siblings(c, cands),
            **_reading(lines, c.bbox, _next_x(c, cands), labels)))
    return out
