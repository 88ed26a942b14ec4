"""A 。 the recogniser dropped at a line's end, put back from the ink (``extractors.scan.end_ring``):
lines drawn here with a CJK font, the OCR's line given without its mark."""
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.scan.end_ring import end_ring, with_end_ring
from extractors.scan.ink import ink_masks
from extractors.scan.ocr import OcrChar, OcrLine

CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SIZE = 30


def _page(text, width_pad=40):
    """``text`` drawn at (20, 20) in grey on white (RGB), the OCR's reading of it without its last
    character when that is a mark (the recogniser dropped it), with per-character boxes, and
    where the drawn text ends (px)."""
    try:
        f = ImageFont.truetype(CJK, SIZE)
    except OSError:
        pytest.skip("no CJK font")
    im = Image.new("RGB", (width_pad + SIZE * len(text), 80), "white")
    d = ImageDraw.Draw(im)
    d.text((20, 20), text, font=f, fill=(30, 30, 30))
    read = text[:-1] if text[-1] in "。，、；" else text
    chars, x = [], 20.0
    for ch in read:
        w = d.textlength(ch, font=f)
        chars.append(OcrChar(ch, (x, 24.0, x + w, 58.0)))
        x += w
    return np.asarray(im), read, chars, 20 + d.textlength(text, font=f)


def _drawn(text, short=0.0):
    """The ink of ``text`` and the OCR's line for it (``_page``)."""
    rgb, read, chars, _ = _page(text)
    if short:                            # the recogniser's box for the last character ends early
        c = chars[-1]
        chars[-1] = OcrChar(c.text, (c.box[0], c.box[1], c.box[2] - short * (c.box[2] - c.box[0]), c.box[3]))
    return ink_masks(rgb).print, OcrLine(read, (18.0, 22.0, chars[-1].box[2] + 4, 60.0), 0.99, chars)


@pytest.mark.parametrize("text", ["重复利用率84.40%。", "达到2.09%。", "节能降耗成效明显。"])
def test_a_dropped_full_stop_comes_back_from_its_ring(text):
    ink, line = _drawn(text)
    out = with_end_ring(line, ink)
    assert out.text == text and out.chars[-1].text == "。"
    assert out.chars[-1].box[0] >= line.chars[-1].box[2]


@pytest.mark.parametrize("text", ["重复利用率84.40%，", "集群企业、", "利用率84.40%", "节能降耗成效明显"])
def test_no_ring_no_full_stop(text):
    ink, line = _drawn(text)
    assert end_ring(line, ink) is None and with_end_ring(line, ink) is line


@pytest.mark.parametrize("short", [0.3, 0.5])
def test_the_lower_ring_of_a_percent_sign_is_not_a_full_stop(short):
    """% 's lower circle is a ring in the line's lower half; where the recogniser's box for %
    ends before it, it lies past the box, but it starts under the % 's own stroke."""
    ink, line = _drawn("利用率84.40%", short)
    assert end_ring(line, ink) is None
    ink, line = _drawn("利用率84.40%。", short)
    assert with_end_ring(line, ink).text == "利用率84.40%。"


def _drawn_spread(text):
    """``text`` as the reader's OCR sees it (RGB) and the OCR's line without a last mark, the
    recogniser's last cell spread over the mark's place (its box runs on to the line region's
    end, so no gap is left past it)."""
    rgb, read, chars, end = _page(text, width_pad=60)
    right = end + 2
    last = chars[-1]
    chars[-1] = OcrChar(last.text, (last.box[0], last.box[1], right, last.box[3]))
    return rgb, OcrLine(read, (18.0, 20.0, right, 60.0), 0.99, chars)


@pytest.mark.parametrize("text", ["设计研发中心、", "容县家具电商孵化基地，", "产业链条完整。"])
def test_a_mark_under_the_last_cell_is_a_reason_to_read_the_line_again(text):
    from extractors.scan.ocr import _mark_past_end
    rgb, line = _drawn_spread(text)
    assert _mark_past_end(rgb, line)


@pytest.mark.parametrize("text", ["设计研发中心", "容县中小企业服务站", "利用率84.40%", "以", "集群发展水平"])
def test_a_glyphs_own_strokes_are_no_mark(text):
    """心 ends in a dot high in the line, % in a low ring that touches its slash, 以 in a stroke
    of its own: none is a mark's blob apart from the ink before it."""
    from extractors.scan.ocr import _mark_past_end
    rgb, line = _drawn_spread(text)
    assert not _mark_past_end(rgb, line)
