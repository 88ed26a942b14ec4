"""The tick-box checks against the OCR's reading (``extractors.scan.confirm``) and the two ink
measures they use (``box_siblings.settle``, ``boxes.left_gap``), on made-up lines and boxes
laid out as the scanned forms lay them out (a 200 dpi page: a 10.5 pt line ~30 px high, a box
~19 px square)."""
import numpy as np

from extractors.scan.box_siblings import settle
from extractors.scan.boxes import Box, decide, left_gap
from extractors.scan.confirm import confirm
from extractors.scan.ink import InkMasks
from extractors.scan.ocr import OcrChar, OcrLine

H = 30            # line height (px)
SIDE = 19


def line(y: int, x0: int, text: str, widths=None) -> OcrLine:
    """A text line at y (top) from x0, its characters H wide unless ``widths`` says."""
    chars, x = [], float(x0)
    for i, ch in enumerate(text):
        w = widths[i] if widths else H * 0.93
        chars.append(OcrChar(ch, (x, y, x + w, y + H)))
        x += w + 1
    return OcrLine(text, (x0, y, x, y + H), 0.95, chars)


def box(x: int, y: int, sure=False, gap=None) -> Box:
    return Box((x, y, x + SIDE, y + SIDE), 2, True, 0.9, sure=sure, left_gap=gap)


def at_line(x: int, ln: OcrLine, **kw) -> Box:
    """A box centred on the line's middle."""
    return box(x, int((ln.box[1] + ln.box[3]) / 2 - SIDE / 2), **kw)


def test_a_label_whose_ocr_box_swallows_the_square_does_not_hide_its_box():
    # RapidOCR reads ``□是`` as one character box 1.4 glyphs wide starting on the square
    a = line(100, 100, "是", widths=[1.4 * H])
    b = line(200, 100, "否", widths=[1.4 * H])
    boxes = [at_line(102, a), at_line(102, b)]
    kept, late, dropped = confirm(boxes, [a, b])
    assert len(kept) == 2 and len(late) == 2 and not dropped


def test_the_first_character_of_a_wrapped_label_is_not_a_box():
    a = line(100, 130, "开展质量诊断")
    wrapped = line(140, 100, "务等工作")          # starts in the box column
    b = line(180, 130, "获得集体商标")
    boxes = [at_line(102, a), at_line(102, wrapped), at_line(102, b)]
    kept, late, _ = confirm(boxes, [a, wrapped, b])
    assert [k.bbox[1] for k in kept] == [boxes[0].bbox[1], boxes[2].bbox[1]]


def test_a_square_between_two_text_lines_is_not_a_box():
    a = line(100, 130, "第一产业")
    b = line(145, 130, "第二产业")
    real = [at_line(102, a), at_line(102, b)]
    between = box(102, 128)            # a pen stroke and the sides of the two boxes above and below
    kept, late, _ = confirm(real + [between], [a, b])
    assert between not in kept and all(r in kept for r in real)


def test_of_two_overlapping_late_boxes_the_one_centred_on_its_label_stays():
    a = line(100, 130, "第一产业")
    b = line(150, 130, "第二产业")
    good, off = at_line(102, a), box(104, 100 + H // 2 - SIDE // 2 + 6)
    kept, _, _ = confirm([off, good, at_line(102, b)], [a, b])
    assert good in kept and off not in kept


def test_a_figure_in_the_box_column_is_not_a_box():
    a = line(100, 130, "是否")
    figure = line(150, 100, "84%以上")
    b = line(200, 130, "否")
    boxes = [at_line(102, a), at_line(102, figure), at_line(102, b)]
    kept, _, _ = confirm(boxes, [a, figure, b])
    assert boxes[1] not in kept and boxes[0] in kept and boxes[2] in kept


def test_a_sure_box_between_words_is_judged_by_the_ink_on_its_left():
    # OCR boxes say tight on both sides in both cases; the ink tells 是 □否 from 出口商品
    x = 141
    yes_no = OcrLine("是否", (100, 100, x + SIDE + 2 + H, 100 + H), 0.95,
                     [OcrChar("是", (100, 100, x - 2, 100 + H)),          # 是's box runs on over the space
                      OcrChar("否", (x + SIDE + 2, 100, x + SIDE + 2 + H, 100 + H))])
    spaced = at_line(x, yes_no, sure=True, gap=int(0.5 * SIDE))
    word = at_line(x, yes_no, sure=True, gap=int(0.2 * SIDE))
    sibling = at_line(x, line(160, 100, "否"), sure=True, gap=int(0.5 * SIDE))
    kept, _, dropped = confirm([spaced, sibling], [yes_no])
    assert spaced in kept and not dropped
    kept, _, dropped = confirm([word, sibling], [yes_no])
    assert word in dropped and word not in kept


def test_a_box_whose_siblings_were_all_words_goes():
    a = line(100, 130, "贸易额增长率")
    lone = at_line(102, a, sure=True, gap=None)
    kept, _, dropped = confirm([lone], [a])
    assert not kept and dropped == [lone]


def _square(img: np.ndarray, x: int, y: int, side: int, t: int = 2) -> None:
    img[y:y + t, x:x + side] = True
    img[y + side - t:y + side, x:x + side] = True
    img[y:y + side, x:x + t] = True
    img[y:y + side, x + side - t:x + side] = True


def _masks(dark: np.ndarray) -> InkMasks:
    z = np.zeros_like(dark)
    return InkMasks(grey=np.where(dark, 0, 255).astype(np.uint8), dark=dark, blue=z, red=z, threshold=128)


def test_a_sibling_found_off_its_outline_is_settled_onto_it_and_reads_empty():
    ink = np.zeros((80, 80), bool)
    _square(ink, 30, 30, SIDE)
    off = Box((27, 32, 27 + SIDE, 32 + SIDE), 2)        # placed 3 px left, 2 px low
    assert decide(Box(off.bbox, 2), _masks(ink)).state is not False   # its own side inside it
    b = settle(ink, off)
    assert b.bbox == (30, 30, 30 + SIDE, 30 + SIDE)
    assert decide(b, _masks(ink)).state is False


def test_left_gap_is_the_clear_paper_before_the_box():
    ink = np.zeros((60, 120), bool)
    _square(ink, 60, 20, SIDE)
    ink[24:36, 40:48] = True                            # a glyph 12 px before the box
    assert left_gap(ink, Box((60, 20, 60 + SIDE, 20 + SIDE), 2)) == 11
    assert left_gap(np.zeros_like(ink), Box((60, 20, 60 + SIDE, 20 + SIDE), 2)) is None


def test_a_late_box_changes_its_line_only_by_what_was_read_on_it():
    from extractors.scan.confirm import reread
    read_as_box = line(100, 100, "口水资源梯级")          # the square read as 口, then its label
    label_only = line(200, 130, "余热余压")                # the square read as nothing
    b1, b2 = at_line(102, read_as_box), at_line(102, label_only)
    blank = np.full((300, 400, 3), 255, np.uint8)          # no OCR is run for late boxes
    out = reread([read_as_box, label_only], blank, [b1, b2])
    assert [ln.text for ln in out] == ["水资源梯级", "余热余压"]
    assert out[1] is label_only


def test_a_late_box_read_as_an_open_sign_needs_four_inked_sides():
    a = line(100, 100, "区，2022年", widths=[SIDE + 1] + [H * 0.93] * 6)   # 地区 wrapped: 区 starts the line
    b = line(150, 130, "否")
    c = line(200, 130, "是")
    zone = at_line(101, a)
    zone.sides = 0.65                     # 匚: the right side is open
    others = [at_line(102, b), at_line(102, c)]
    kept, _, _ = confirm([zone] + others, [a, b, c])
    assert zone not in kept and all(o in kept for o in others)
    zone.sides = 1.0                      # a square under a black ✗, read as 区
    kept, _, _ = confirm([zone] + others, [a, b, c])
    assert zone in kept


def test_a_label_box_that_swallowed_the_square_is_moved_off_it():
    from extractors.scan.confirm import reread
    yes = line(100, 100, "是", widths=[1.4 * H])
    b = at_line(103, yes)
    out = reread([yes], np.full((300, 400, 3), 255, np.uint8), [b])
    (c,) = out[0].chars
    assert c.text == "是" and c.box[0] >= b.bbox[2]          # the label now follows its box
