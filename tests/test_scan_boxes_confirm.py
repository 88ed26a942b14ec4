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
    export = OcrLine("出商", yes_no.box, 0.95, [OcrChar("出", yes_no.chars[0].box), OcrChar("商", yes_no.chars[1].box)])
    spaced = at_line(x, yes_no, sure=True, gap=int(0.5 * SIDE))
    word = at_line(x, export, sure=True, gap=int(0.2 * SIDE))
    sibling = at_line(x, line(160, 100, "否"), sure=True, gap=int(0.5 * SIDE))
    kept, _, dropped = confirm([spaced, sibling], [yes_no])
    assert spaced in kept and not dropped
    kept, _, dropped = confirm([word, sibling], [export])
    assert word in dropped and word not in kept
    # as tight after 是: 是口 is no word, the box stays
    tight = at_line(x, yes_no, sure=True, gap=int(0.2 * SIDE))
    kept, _, dropped = confirm([tight, sibling], [yes_no])
    assert tight in kept and not dropped


def test_a_square_bigger_than_a_words_kou_is_a_box_however_tight_its_neighbours():
    """A 12 pt box set after 是 with a narrow space, beside 10.5 pt text (lines H high): its
    print is as close on its left as 口's neighbour in 出口, but no 口 of this text is so big."""
    big = 34
    x = 141
    yes_no = OcrLine("是否", (100, 95, x + big + 2 + H, 95 + 40), 0.95,
                     [OcrChar("是", (100, 95, x - 2, 135)), OcrChar("否", (x + big + 2, 95, x + big + 2 + H, 135))])
    body = [line(200 + 40 * k, 100, "集群主导产业") for k in range(3)]
    first = Box((60, 98, 60 + big, 98 + big), 2, True, 0.9, sure=True, left_gap=24)
    second = Box((x, 98, x + big, 98 + big), 2, False, 0.9, sure=True, left_gap=int(0.18 * big))
    kept, _, dropped = confirm([first, second], [yes_no] + body)
    assert second in kept and first in kept and not dropped
    # a square of 口's size, as tight, is judged a word's
    word = OcrLine("出商", (100, 100, x + SIDE + 2 + H, 100 + H), 0.95,
                   [OcrChar("出", (100, 100, x - 2, 100 + H)), OcrChar("商", (x + SIDE + 2, 100, x + SIDE + 2 + H, 100 + H))])
    small = at_line(x, word, sure=True, gap=int(0.18 * SIDE))
    kept, _, dropped = confirm([small, at_line(x, line(160, 100, "否"), sure=True, gap=10)], [word] + body)
    assert small in dropped


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


def test_what_a_ticks_dark_remains_are_read_as_does_not_make_a_box_a_word():
    """A √ crossing a box's print is dark there, not blue; the colour dropout leaves it, and the
    OCR reads 二 or 已 on the square.  With pen inside the box that is the tick: a sure box stays
    (its line loses the 二), a late box is kept; without pen it is a character."""
    from extractors.scan.confirm import reread
    a = line(100, 100, "二投融资服务", widths=[SIDE + 2] + [H * 0.93] * 5)
    b = line(150, 100, "已余热余压集中回收", widths=[SIDE + 2] + [H * 0.93] * 8)
    c = line(200, 130, "管理咨询")
    sure, late, other = at_line(101, a, sure=True), at_line(101, b), at_line(102, c, sure=True)
    for x in (sure, late):
        x.pen_inside = 0.2
    kept, changed, dropped = confirm([sure, late, other], [a, b, c])
    assert sure in kept and late in kept and other in kept and not dropped
    out = reread([a, b, c], np.full((300, 400, 3), 255, np.uint8), changed, dropped)
    assert [ln.text for ln in out] == ["投融资服务", "余热余压集中回收", "管理咨询"]
    sure.pen_inside = late.pen_inside = 0.0              # no pen: 二 and 已 are characters
    kept, _, dropped = confirm([sure, late, other], [a, b, c])
    assert sure in dropped and late not in kept
