"""Printed text the OCR's detector missed (``extractors.scan.unread``): a page drawn here, its
OCR lines given as the detector found them, one short wrapped line left out.  The strip left
over is read by the real recogniser (no detector: one small crop)."""
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.scan import ocr
from extractors.scan.ink import ink_masks
from extractors.scan.ocr import OcrChar, OcrLine
from extractors.scan.unread import UNREAD, unread_lines
from pipeline.model.geometry import BBox

CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SIZE = 30                        # px: a character's em at 200 dpi for a 10.8 pt font


@pytest.fixture(autouse=True)
def _no_ocr_cache(monkeypatch):
    monkeypatch.delenv(ocr.CACHE_ENV, raising=False)


def _font():
    try:
        return ImageFont.truetype(CJK, SIZE)
    except OSError:
        pytest.skip("no CJK font")


def _line(text, x, y):
    chars = [OcrChar(c, (x + SIZE * i, y, x + SIZE * (i + 1), y + SIZE + 4)) for i, c in enumerate(text)]
    return OcrLine(text, (x, y, x + SIZE * len(text), y + SIZE + 4), 0.99, chars)


def _page():
    """Three lines of a narrative in a ruled cell; the last is only 个。 and was not detected."""
    im = Image.new("RGB", (1000, 400), "white")
    d = ImageDraw.Draw(im)
    f = _font()
    d.rectangle([40, 40, 960, 360], outline="black", width=3)          # the cell's rules
    said = [("新增优质中小企业4家，新建数字化车间8", 60, 80), ("集群总产值达到44.58亿元", 60, 180),
            ("有效发明专利数量达到14件", 60, 230)]
    for text, x, y in said:
        d.text((x, y - 4), text, font=f, fill=(25, 25, 25))
    d.text((60, 126), "个。", font=f, fill=(25, 25, 25))
    a = np.asarray(im)
    masks = ink_masks(a)
    rules = np.zeros(a.shape[:2], bool)
    rules[37:44, 37:964] = rules[357:364, 37:964] = True
    rules[37:364, 37:44] = rules[37:364, 957:964] = True
    return a, masks, rules, [_line(t, x, y) for t, x, y in said]


def test_the_short_line_the_detector_missed_is_read():
    a, masks, rules, lines = _page()
    got = unread_lines(a, masks, lines, rules, [])
    assert [ln.text for ln in got] == ["个。"]
    x0, y0, x1, y1 = got[0].box
    assert 55 <= x0 and x1 <= 130 and 120 <= y0 and y1 <= 170           # where it is printed
    assert len(got[0].chars) == 2 and got[0].score >= UNREAD.min_score


def test_nothing_is_read_twice_nor_a_rule_nor_a_seal():
    a, masks, rules, lines = _page()
    everything = lines + [_line("个。", 60, 126)]
    assert unread_lines(a, masks, everything, rules, []) == []          # all read already
    assert unread_lines(a, masks, lines, rules, [], seals=[BBox(50, 115, 140, 170)]) == []
    # a line's box drawn too tight on its glyphs: the glyphs' tops are not a line of their own
    first = lines[0]
    tight = [OcrLine(first.text, (first.box[0], first.box[1] + 12, first.box[2], first.box[3]), 0.99, first.chars),
             *lines[1:]]
    assert [ln.text for ln in unread_lines(a, masks, tight, rules, [])] == ["个。"]


def test_a_page_of_pictures_or_handwriting_is_left_alone():
    a, masks, rules, lines = _page()
    noisy = masks.dark.copy()
    for k in range(UNREAD.max_clusters + 1):                           # blobs the size of characters
        x, y = 60 + 120 * (k % 7), 275 + 40 * (k // 7)
        noisy[y:y + 25, x:x + 30] = True
    masks.dark = noisy
    assert unread_lines(a, masks, lines, rules, []) == []


def test_the_label_of_a_box_with_nothing_read_after_it_is_read_from_the_strip_beside_it():
    """□是 / ☑否 in a column, a black pen's √ turning at 否's box with its arm running up past 是:
    the detector read 是 but not 否, and 否's ink lies within a box side of 是's kept box, where
    ``unread_lines`` takes ink for that box's stroke — its ticked box was dropped with nothing
    after it (held-out s8a planted-gz-arithmetic p3 ``basic.provincial_cluster``, choice.none).
    The strip right of a printed box with nothing read on or after it is read by the recogniser
    alone; nothing is read where no print stands beside the box."""
    from extractors.scan.unread import label_strips
    im = Image.new("RGB", (1000, 400), "white")
    d = ImageDraw.Draw(im)
    f = _font()
    said = [("集群总产值达到44.58亿元", 300, 80), ("有效发明专利数量达到14件", 300, 130),
            ("新增优质中小企业4家", 300, 300)]
    for text, x, y in said:
        d.text((x, y - 4), text, font=f, fill=(25, 25, 25))
    yes, no, bare = BBox(60, 183, 84, 207), BBox(60, 226, 84, 250), BBox(600, 226, 624, 250)
    for b in (yes, no, bare):
        d.rectangle([b.x0, b.y0, b.x1 - 1, b.y1 - 1], outline=(30, 30, 30), width=2)
    d.text((92, 171), "是", font=f, fill=(25, 25, 25))           # the glyph centred on its box
    d.text((92, 214), "否", font=f, fill=(25, 25, 25))
    d.line([(52, 232), (68, 247), (106, 176)], fill=(28, 28, 34), width=4)      # the √ of 否, over 是
    a = np.asarray(im)
    masks = ink_masks(a)
    rules = np.zeros(a.shape[:2], bool)
    lines = [_line(t, x, y) for t, x, y in said] + [_line("是", 92, 178)]
    assert "否" not in "".join(ln.text for ln in unread_lines(a, masks, lines, rules, [yes, bare]))
    got = label_strips(a, masks, lines, rules, [no, bare])
    assert [ln.text for ln in got] == ["否"], [(ln.text, ln.box) for ln in got]
    assert no.x1 < got[0].box[0] < no.x1 + SIZE and got[0].box[1] < no.cy < got[0].box[3]
