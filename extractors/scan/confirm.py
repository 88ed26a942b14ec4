"""Tick boxes checked against what the OCR read, and the text lines they touch read again.

The box finder works on ink alone; the OCR knows where the characters are.  The page reader
paints the *sure* boxes (found by their own outline) white before OCR and leaves the others
(found from their siblings or under a pen stroke) as they are, then:

* a box that is **not sure** stays a box only when its *label* follows it — text starting
  right after it on a line centred on the box's middle (a square that a pen stroke and the
  sides of two boxes make between two text lines has none) — and the OCR read no character
  on it (``_a_character``: a Chinese one that is not box-like — ``BOX_LIKE``, 口 区 团 …,
  how a recogniser reads a square, ticked or not —, a digit, a per cent sign or a bracket;
  a box under a pen tick is read as a sign, a Latin letter, M V X, or not at all), no
  character read beside it covers it for the most part, and it has no characters tight on
  both sides — unless blue pen covers half its inside (``PEN_FILLED``): then what the OCR
  read is what the colour dropout left of a ticked square (二 广 巴), and a label's first
  character under a neighbour's overrunning stroke is not so covered.  The first character
  of a wrapped label that happens to sit in the box column is read as that character, and
  is not a box; nor is one read as 区 凶 风 or 冈 (how a square with a black ✗ over it is
  read) whose four sides are not all inked (``CLOSED``: those characters are open on one side).  Late boxes that overlap a sure box go; of
  late boxes that overlap each other the one best centred on its label's line stays;
* a **sure** box is dropped when it lies inside a word: a character read on it (the rest of
  a glyph once its enclosure was painted out: 谱 → 道 — but not 一 二 广 已 1 on a box with pen
  inside, ``PEN_REMAINS``: the dark remains of a tick's stroke once its blue was dropped,
  which a late box is allowed too), or characters tight against it on
  both sides by the OCR's reading *and* print a glyph's bearing from its left side in the
  ink (``Box.left_gap``; 口 in 出口商品, where the 是 of ``□是 □否`` is a space away) *and*
  the character before it making a word with 口 (``_kou_word``: 出口 进口 人口 by jieba's
  dictionary; 是口 is none, so a box set close after 是 stays) — a
  square bigger than a word's 口 can be (``GLYPH_SQUARE``) is a box however tight its
  neighbours (a 12 pt box set after 是 with a narrow space);
* last, a box left without a sibling (``box_siblings.with_siblings``) once the others are
  judged is a word's 口 too (出口 wrapped so that 口 starts a line): it is dropped.

Where a character sits is judged from its *glyph*: RapidOCR's box for the character next to
a square often swallows the square (□是 read as one box 1.3–1.5 glyphs wide), so such a box
is cut to a glyph's width on the side away from the square (``_glyph``).

A line that a kept late box touches loses what the OCR read on the square (口, M, 二 …)
and has its characters' boxes moved off the square, nothing more; a line that a dropped sure box touches is read again from the image as it
should have been (late boxes painted out, dropped boxes restored), so the line's text and
its OCR score are those of the words alone (``reread``).
"""
from __future__ import annotations

import numpy as np

from . import ocr
from .box_siblings import with_siblings
from .boxes import Box
from .ocr import OcrChar, OcrLine

BOX_LIKE = set("口□☐囗▢◻☑☒⊠区凶风冈团√✓✔×")
NOT_A_BOX = set("0123456789%％(（[【)）]】")
LEFT_BEARING = 0.35     # print closer than this share of a side left of a sure box: a glyph's
                        # neighbour in a word (口 in 出口: 0.3), not a space before a box (≥ 0.39)
OPEN_SIGNS = set("区凶风冈")  # how a square with an ✗ is read: characters with a side open
CLOSED = 0.8            # ... so read on a late box, its four sides must be inked along this share
PEN_FILLED = 0.5        # blue over this share of a late box's inside: a ticked box, whatever is read
PEN_REMAINS = set("一二广巴已巳己丨1lI")  # what is read for the dark remains of a pen tick
                        # over a square once the colour dropout took its blue: a ticked box ...
PEN_TOUCHED = 0.05      # ... when blue pen covers this share of its inside
TIGHT = 0.3             # characters this close (in line heights) on both sides make a box part of a word
COVERED = 0.6           # a character read over this share of a late box's width is what is there
PAD_PX = 6              # margin around a line re-read
LABEL_ALIGN = 0.3       # a label line's middle within this share of its height of the box's middle
LABEL_GAP = 1.0         # ... its text starting within this many line heights right of the box
CLASH_GAP = 0.1         # boxes of a form lie at least this share of a side apart (stacked
                        # options of a 12 pt form: 0.25)
GLYPH_SQUARE = 0.8      # 口 is at most this share of the page's usual (median) line height: a
                        # bigger square (a 12 pt box beside 10.5 pt text) is no word's 口
GLYPH_WIDTH = 0.95      # a Chinese glyph's width in its line's height (RapidOCR's boxes: median 0.93)


def _a_character(text: str) -> bool:
    """A Chinese character that is not a box-like sign, a digit, a per cent sign or a bracket:
    what a wrapped label or a figure in a table cell starts with.  A box under a pen tick is
    read as a sign, a Latin letter (M, V, X) or not at all."""
    return any(("\u3400" <= ch <= "\u9fff" and ch not in BOX_LIKE) or ch in NOT_A_BOX for ch in text)


def _line_at(ln: OcrLine, bb) -> bool:
    cy = (bb[1] + bb[3]) / 2
    return ln.box[1] <= cy <= ln.box[3] and ln.box[0] <= bb[2] and bb[0] <= ln.box[2]


def _glyph(c: OcrChar, bb) -> tuple[float, float]:
    """(x0, x1) of where the character's glyph lies, judged beside the box ``bb``.

    RapidOCR's box for the character next to a square often swallows the square (是 read over
    ``□是``: one box 1.3–1.5 glyphs wide).  A Chinese glyph is about as wide as it is tall, so
    a box wider than ``GLYPH_WIDTH`` of its height that overlaps the square is cut to that
    width on the side away from the square."""
    x0, x1 = c.box[0], c.box[2]
    w = GLYPH_WIDTH * (c.box[3] - c.box[1])
    if x1 - x0 <= w or min(x1, bb[2]) <= max(x0, bb[0]):
        return x0, x1
    if (x0 + x1) / 2 >= (bb[0] + bb[2]) / 2:
        return x1 - w, x1
    return x0, x0 + w


def _others(ln: OcrLine, bb) -> list[tuple[str, float, float]]:
    """(text, x0, x1) of the line's characters, each at its glyph's place."""
    return [(c.text, *_glyph(c, bb)) for c in ln.chars]


def _glyph_on(c: OcrChar, bb) -> bool:
    x0, x1 = _glyph(c, bb)
    return bb[0] <= (x0 + x1) / 2 <= bb[2]


def _on_box(ln: OcrLine, bb) -> list[str]:
    """What the OCR read on the box: the characters whose glyph is centred on it."""
    return [c.text for c in ln.chars if _glyph_on(c, bb)]


def _inside_word(ln: OcrLine, bb) -> bool:
    """Characters of the line tight against the box on both sides: 口 in 出口.  What is read
    on the box itself is neither side."""
    h = ln.box[3] - ln.box[1]
    chars = _others(ln, bb)
    left = [x1 for _, x0, x1 in chars if (x0 + x1) / 2 < bb[0]]
    right = [x0 for _, x0, x1 in chars if (x0 + x1) / 2 > bb[2]]
    if not left or not right:
        return False
    return (bb[0] - max(left) < TIGHT * h) and (min(right) - bb[2] < TIGHT * h)


def _kou_word(ln: OcrLine, bb) -> bool:
    """The character read just left of the box makes a word with 口 (出口 进口 接口 人口 …, by
    jieba's dictionary): the square may be that 口.  是 □否 makes none, so a box set close
    after 是 is not taken for a word's 口 however tight the print."""
    left = [(x1, t) for t, x0, x1 in _others(ln, bb) if (x0 + x1) / 2 < bb[0]]
    if not left:
        return False
    ch = max(left)[1]
    return _word_freq(ch + "口") > 0


def _word_freq(word: str) -> int:
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return int(jieba.dt.FREQ.get(word, 0))


def _label_offset(lines: list[OcrLine], bb) -> float | None:
    """How far (in line heights) the box's middle lies from the middle of the text line that
    starts right after it, or None when no line does: a tick box's option label follows it
    on its own baseline.  Between two text lines (where a pen stroke and the sides of two
    boxes make a square) no line is centred on it."""
    cy = (bb[1] + bb[3]) / 2
    best = None
    for ln in lines:
        h = ln.box[3] - ln.box[1]
        off = abs((ln.box[1] + ln.box[3]) / 2 - cy) / max(1.0, h)
        if off > LABEL_ALIGN:
            continue
        if any((x0 + x1) / 2 > (bb[0] + bb[2]) / 2 and x0 <= bb[2] + LABEL_GAP * h for _, x0, x1 in _others(ln, bb)):
            best = off if best is None else min(best, off)
    return best


def _clash(a: Box, b: Box) -> bool:
    """Two boxes closer than printed boxes ever are: overlapping, or less than
    ``CLASH_GAP`` of a side apart one above the other."""
    m = CLASH_GAP * min(a.side, b.side)
    return not (a.bbox[2] <= b.bbox[0] or b.bbox[2] <= a.bbox[0]
                or a.bbox[3] + m <= b.bbox[1] or b.bbox[3] + m <= a.bbox[1])


def _covered(ln: OcrLine, bb) -> bool:
    """A Chinese character read over most of the box's width (a late box in a label's text)."""
    w = bb[2] - bb[0]
    return any(_a_character(t) and min(x1, bb[2]) - max(x0, bb[0]) > COVERED * w for t, x0, x1 in _others(ln, bb))


def confirm(boxes: list[Box], lines: list[OcrLine]) -> tuple[list[Box], list[Box], list[Box]]:
    """(boxes kept, late boxes kept, sure boxes dropped) given the OCR's lines."""
    kept, late, dropped = [], [], []
    cleaned: list[Box] = []            # sure boxes kept though their pen's remains were read on them
    heights = sorted(ln.box[3] - ln.box[1] for ln in lines)
    usual = heights[len(heights) // 2] if heights else None
    for b in boxes:
        at = [ln for ln in lines if _line_at(ln, b.bbox)]
        read = [t for ln in at for t in _on_box(ln, b.bbox)]
        # where a pen stroke crosses print it is dark, not blue, and stays after the dropout:
        # read as 一 二 广 巴 已 1 on a box with pen inside, it is the tick, not a character
        remains = bool(read) and b.pen_inside >= PEN_TOUCHED and all(t in PEN_REMAINS | BOX_LIKE for t in read)
        if not b.sure:
            off = _label_offset(lines, b.bbox)
            # under a heavy blue tick, what the OCR read there is what the colour dropout left
            # of the ticked square (二 广 巴 已): the square, not a character
            inked = b.pen_inside >= PEN_FILLED or remains
            # 区 凶 风 冈 are read for a square with an ✗ — and are characters open on one side
            open_sign = b.sides < CLOSED and any(t in OPEN_SIGNS for t in read)
            if (off is not None and not open_sign and not any(_inside_word(ln, b.bbox) for ln in at)
                    and (inked or not (any(_a_character(t) for t in read)
                                       or any(_covered(ln, b.bbox) for ln in at)))):
                late.append((off, b))
            continue
        # inside a word by the OCR's reading, and by the ink: print a glyph's bearing to its left
        # — for a square no bigger than a word's 口 can be
        tight_left = (b.left_gap is not None and b.left_gap < LEFT_BEARING * b.side
                      and (usual is None or b.side <= GLYPH_SQUARE * usual))
        in_word = tight_left and any(_inside_word(ln, b.bbox) and _kou_word(ln, b.bbox) for ln in at)
        if (any(t not in BOX_LIKE for t in read) and not remains) or in_word:
            dropped.append(b)
        else:
            kept.append(b)
            if remains:
                cleaned.append(b)         # its line loses what was read on the square, as a late box's
    # late boxes that clash with a sure box go; of those that clash with each other, the one
    # best centred on its label's line stays
    late_kept: list[Box] = []
    for _, b in sorted(late, key=lambda ob: ob[0]):
        if not any(_clash(b, o) for o in kept + late_kept):
            late_kept.append(b)
    # a box whose siblings were all words is a word's 口 (出口 wrapped to a line's start)
    alone = {id(b) for b in kept + late_kept} - {id(b) for b in with_siblings(kept + late_kept)}
    dropped += [b for b in kept if id(b) in alone]
    kept = [b for b in kept if id(b) not in alone]
    late_kept = [b for b in late_kept if id(b) not in alone]
    kept = sorted(kept + late_kept, key=lambda b: (b.bbox[1], b.bbox[0]))
    cleaned = [b for b in cleaned if id(b) not in alone]
    return kept, late_kept + cleaned, dropped


def _overlapped(ln: OcrLine, bb) -> bool:
    return any(min(c.box[2], bb[2]) > max(c.box[0], bb[0]) for c in ln.chars)


def _off_the_box(c: OcrChar, boxes: list[Box]) -> OcrChar:
    """The character with its box at its glyph and clear of the squares (a box that swallowed
    the square would put the label's first character before its box in the line)."""
    x0, y0, x1, y1 = c.box
    for b in boxes:
        bb = b.bbox
        if min(x1, bb[2]) <= max(x0, bb[0]):
            continue
        x0, x1 = _glyph(OcrChar(c.text, (x0, y0, x1, y1)), bb)
        if (x0 + x1) / 2 >= (bb[0] + bb[2]) / 2:
            x0 = max(x0, bb[2])
        else:
            x1 = min(x1, bb[0])
    return c if (x0, x1) == (c.box[0], c.box[2]) else OcrChar(c.text, (x0, y0, max(x0 + 1, x1), y1))


def reread(lines: list[OcrLine], image: np.ndarray, changed: list[Box], dropped: tuple = ()) -> list[OcrLine]:
    """The lines that the boxes ``changed`` (kept late boxes, and sure boxes whose pen
    remains were read) and ``dropped`` (sure boxes dropped) touch, corrected.

    A kept box changes a line only where the OCR's boxes lie over it, and
    then only there: the characters read on the square (口, M, 二 …) are taken out of the
    line, and a character's box that swallowed the square is cut back to its glyph beside it.  A line that starts right after a box read as nothing is its label read right
    already, and a line read again from a crop comes out worse (RapidOCR's detector splits a
    tight crop into fragments).  A dropped box was painted out and its 口 is missing: its line
    is read again from ``image``."""
    changed = list(changed) + list(dropped)
    if not changed:
        return lines
    gone = {id(b) for b in dropped}
    H, W = image.shape[:2]
    out = []
    for ln in lines:
        touched = [b for b in changed if _line_at(ln, b.bbox) and (id(b) in gone or _overlapped(ln, b.bbox))]
        if not touched:
            out.append(ln)
            continue
        if not any(id(b) in gone for b in touched):
            chars = [_off_the_box(c, touched) for c in ln.chars if not any(_glyph_on(c, b.bbox) for b in touched)]
            if chars:
                out.append(OcrLine("".join(c.text for c in chars), ln.box, ln.score, chars))
            continue
        x0 = int(max(0, min([ln.box[0]] + [b.bbox[0] for b in touched]) - PAD_PX))
        y0 = int(max(0, min([ln.box[1]] + [b.bbox[1] for b in touched]) - PAD_PX))
        x1 = int(min(W, max([ln.box[2]] + [b.bbox[2] for b in touched]) + PAD_PX))
        y1 = int(min(H, max([ln.box[3]] + [b.bbox[3] for b in touched]) + PAD_PX))
        again = [ocr.shifted(a, x0, y0) for a in ocr.read_lines(np.ascontiguousarray(image[y0:y1, x0:x1]))]
        # a sliver of the lines above and below may be read too: keep what lies on this line
        out.extend(a for a in again if ln.box[1] <= (a.box[1] + a.box[3]) / 2 <= ln.box[3])
    return out
