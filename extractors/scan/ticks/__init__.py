"""The tick-box stage of a scanned page: candidates → measured evidence → decision.

* ``candidates`` — where a box may be: printed outlines, siblings of an outline's size in its
  column or row, the square under a pen tick, and (after the OCR) the square the form prints
  left of an option label of the catalogue;
* ``evidence``   — one frozen :class:`~.evidence.Evidence` per candidate: outline sides inked,
  ink inside by colour, the pen's overrun, strokes owned by another box, what the OCR read on
  and beside it, how well an option label follows it;
* ``decision``   — two ordered tables of (test → verdict, reason), every threshold in one
  :class:`~.decision.Settings` with its unit, fitted on the recorded boxes of both generators
  by ``python -m extractors.scan.ticks.fit``.

:func:`boxes_before_ocr` gives the candidates the ink alone shows (the page reader paints the
printed outlines out before OCR); :func:`judge` takes the OCR's lines and returns every
candidate with its verdict (``TickBox``), the dropped ones too, for the debug view
(``python -m extractors.scan.debug``).
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Optional

import numpy as np

from pipeline.model.geometry import BBox

from ..ink import InkMasks
from ..ocr import OcrLine
from .candidates import (
    FORM_GAP,
    LINE_SIDE_SPREAD,
    OUTLINE,
    PEN_SIDE_COVER,
    SIDE_SPREAD,
    Candidate,
    form_candidates,
    outline_candidates,
    pen_candidates,
    sibling_candidates,
    side_cover,
    usual_side,
)
from .decision import Settings, TickBox, decide, load_settings, present
from .evidence import Labels, glyph, lined, measure, ownership

__all__ = ["Candidate", "Settings", "TickBox", "boxes_before_ocr", "judge", "load_settings", "option_labels"]

FORM_LABEL_MIN = 2          # characters: an option label this long places a box by itself
LINE_START_GAP = 0.3        # line heights of clear space before a label that starts mid-line


def _ink(masks: InkMasks) -> np.ndarray:
    return (masks.dark & ~masks.red) | masks.blue


def boxes_before_ocr(masks: InkMasks, px_per_pt: float, rule_mask: Optional[np.ndarray]) -> list[Candidate]:
    """Candidates from the ink: outlines, their siblings, pen ticks, and the siblings of a pen
    tick whose square shows under it (a group ticked throughout has no bare outline)."""
    ink = _ink(masks)
    outline = outline_candidates(masks, px_per_pt, rule_mask)
    sib = sibling_candidates(ink, rule_mask, outline, [], px_per_pt)
    return outline + sib + _pen_boxes(masks, rule_mask, usual_side(outline + sib, px_per_pt), outline + sib,
                                      px_per_pt)


def _pen_boxes(masks: InkMasks, rule_mask: Optional[np.ndarray], side: int, taken: list[Candidate],
               px_per_pt: float, spread: tuple[float, ...] = SIDE_SPREAD) -> list[Candidate]:
    """The squares of about ``side`` under the pen ticks off ``taken``, and the siblings of
    those whose square shows under the tick."""
    ink = _ink(masks)
    pen = pen_candidates(masks, side, taken, spread)
    framed = [p for p in pen if min(side_cover(ink, p.box(), p.thickness)) >= PEN_SIDE_COVER]
    more = sibling_candidates(ink, rule_mask, framed, taken + pen, px_per_pt) if framed else []
    return pen + more


def line_side(starts: list[tuple[str, BBox]], s: Settings) -> Optional[int]:
    """px: the side of the form's boxes from the height of the option labels' lines the OCR read
    (``line_side`` line heights: a form prints its boxes in its labels' font), None without one."""
    heights = sorted(b.height for _, b in starts)
    return max(3, round(s.line_side * heights[len(heights) // 2])) if heights else None


@lru_cache(maxsize=4)
def option_labels(edition: str = "form_2023") -> Labels:
    """The option labels of every group of the form's catalogue."""
    from pipeline.model import load_catalogue
    cat = load_catalogue(edition)
    return Labels([o.label for s in cat.specs for o in s.options])


def _label_starts(lines: list[OcrLine], labels: Labels, s: Settings) -> list[tuple[str, BBox]]:
    """(option, first glyph) of each option label the OCR read starting a line or after a clear
    space (where the painted-out box left a gap) — or right after a character read there as a
    guess (below ``read_sure``) when the label reads better from the next one: what the OCR
    made of a box no candidate had painted out, under a heavy pen's tick (口 at 0.65, 文 at
    0.27 before 开展了… in a wrapped paragraph: held-out s8b chenghai and longxi p8
    ``digital.newmodes``).  The square was placed left of the guess, on the glyph before it."""
    out = []
    for ln in lines:
        chars = sorted(ln.chars, key=lambda c: c.box[0])
        h = max(1.0, ln.box[3] - ln.box[1])
        for i, ch in enumerate(chars):
            if i and ch.box[0] - chars[i - 1].box[2] < LINE_START_GAP * h:
                continue
            score, option = labels.best("".join(c.text for c in chars[i:]))
            if ch.score < s.read_sure and i + 1 < len(chars):
                on = labels.best("".join(c.text for c in chars[i + 1:]))
                if on[0] > score and on[0] >= s.label_match:
                    ch, (score, option) = chars[i + 1], on
            if score >= s.label_match and len(option) >= FORM_LABEL_MIN:
                out.append((option, BBox.of(ch.box)))
    return out


def judge(cands: list[Candidate], masks: InkMasks, lines: list[OcrLine], px_per_pt: float,
          rule_mask: Optional[np.ndarray] = None, settings: Optional[Settings] = None,
          labels: Optional[Labels] = None) -> list[TickBox]:
    """Every candidate (with those the form's labels place) and its verdict, top to bottom."""
    s = settings or load_settings()
    labels = labels or option_labels()
    starts = _label_starts(lines, labels, s)
    outlined = any(c.source == OUTLINE for c in cands)
    side = usual_side([c for c in cands if c.source == OUTLINE] or cands, px_per_pt)
    from_lines = None if outlined else line_side(starts, s)
    if from_lines is not None:
        # no printed outline found (faint print under heavy ticks): the squares under the pen
        # are looked for again at the side the labels' lines give, not the page-less default
        side = from_lines
        cands = ([c for c in cands if c.source == OUTLINE]
                 + _pen_boxes(masks, rule_mask, side, [], px_per_pt, LINE_SIDE_SPREAD))
    cands = lined(cands + form_candidates(_ink(masks), starts, side, FORM_GAP, cands, s.form_sides, s.outline_sides),
                  masks, rule_mask)
    # whose stroke is whose is shared out among the candidates the presence table keeps: a
    # glyph taken for a square (建 under a √'s arm) must not take a box's stroke
    evs = measure(cands, masks, lines, labels, px_per_pt, rule_mask, owners=[False] * len(cands))
    owned = ownership(cands, masks, rule_mask, [present(c, e, s) for c, e in zip(cands, evs)])
    evs = [replace(e, **o) for e, o in zip(evs, owned)]
    if not outlined:
        # the side is the labels' (shown when the square's outline is inked at that side) or a guess
        evs = [replace(e, side_known=from_lines is not None and e.sides >= s.form_sides) for e in evs]
    out = decide(cands, evs, s, page_read=bool(lines))
    return sorted(out, key=lambda b: (b.candidate.bbox.y0, b.candidate.bbox.x0))


def chars_off_boxes(lines: list[OcrLine], boxes: list[TickBox]) -> list[OcrLine]:
    """The lines without what the OCR read on a kept box (口, M, 二 …: the square or its tick),
    each character's box cut back to its glyph beside the square."""
    kept = [b.candidate.bbox for b in boxes if b.verdict.kept]
    out = []
    for ln in lines:
        row = [bb for bb in kept if ln.box[1] <= bb.cy <= ln.box[3] and ln.box[0] <= bb.x1 and bb.x0 <= ln.box[2]]
        if not row:
            out.append(ln)
            continue
        chars = []
        for c in ln.chars:
            if any(_on(c, bb) for bb in row):
                continue
            chars.append(_clear_of(c, row))
        if chars:
            out.append(OcrLine("".join(c.text for c in chars), ln.box, ln.score, chars))
    return out


def _on(c, bb: BBox) -> bool:
    x0, x1 = glyph(c, bb)
    return bb.x0 <= (x0 + x1) / 2 <= bb.x1


def _clear_of(c, row: list[BBox]):
    from ..ocr import OcrChar
    x0, y0, x1, y1 = c.box
    for bb in row:
        if min(x1, bb.x1) <= max(x0, bb.x0):
            continue
        x0, x1 = glyph(OcrChar(c.text, (x0, y0, x1, y1)), bb)
        if (x0 + x1) / 2 >= bb.cx:
            x0 = max(x0, bb.x1)
        else:
            x1 = min(x1, bb.x0)
    return c if (x0, x1) == (c.box[0], c.box[2]) else c.at((x0, y0, max(x0 + 1, x1), y1))
