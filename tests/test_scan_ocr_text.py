"""Corrections to what the recogniser reads (``extractors.scan.ocr``): ISO with a zero, and a
line's final full stop read again from the line's own region.  The second reading is a
recogniser's call; here it is stood in for, so that the rule deciding what is taken from it
is what is tested (the committed scans measure the whole: ``python -m tests.accuracy_scan``)."""
import numpy as np
import pytest

from extractors.scan import ocr
from extractors.scan.ocr import OcrChar, OcrLine, _end_mark_restored, _iso, _yin


@pytest.mark.parametrize("read, right", [("通过IS09001质量管理体系认证", "通过ISO9001质量管理体系认证"),
                                         ("1S09001", "ISO9001"), ("IS0 14001", "ISO 14001"),
                                         ("ISO45001", "ISO45001"), ("BIS09001", "BIS09001"), ("IS0", "IS0")])
def test_iso_read_with_a_zero_is_iso(read, right):
    chars = [OcrChar(c, (i * 10.0, 0.0, i * 10.0 + 9, 20.0)) for i, c in enumerate(read.replace(" ", ""))]
    text, fixed = _iso(read, chars)
    assert text == right
    assert "".join(c.text for c in fixed) == right.replace(" ", "")


@pytest.mark.parametrize("read, right", [("累计引1进日用陶瓷", "累计引进日用陶瓷"), ("标准引l领", "标准引领"),
                                         ("引1", "引1"), ("第1批", "第1批"), ("引进1家", "引进1家")])
def test_the_bar_of_yin_read_apart_is_taken_out(read, right):
    chars = [OcrChar(c, (i * 10.0, 0.0, i * 10.0 + 9, 20.0)) for i, c in enumerate(read)]
    text, fixed = _yin(read, chars)
    assert text == right and "".join(c.text for c in fixed) == right


def _line(text, gap):
    """A line of 20 px characters whose region runs on ``gap`` line heights past the last."""
    chars = [OcrChar(c, (10.0 + 20 * i, 10.0, 30.0 + 20 * i, 30.0)) for i, c in enumerate(text)]
    return OcrLine(text, (10.0, 10.0, chars[-1].box[2] + 20 * gap, 30.0), 0.99, chars)


class _Rec:
    def __init__(self, text):
        self.text, self.calls = text, 0

    def __call__(self, img, use_det=True, use_cls=True, use_rec=True, **kw):
        assert not use_det and use_rec
        self.calls += 1
        return [[self.text, 0.99]], [0.0]


@pytest.mark.parametrize("gap, again, want", [
    (0.6, "配套率提高到61%。", "配套率提高到61%。"),   # the full stop the page's reading dropped
    (0.6, "配套率提高到61%", "配套率提高到61%"),       # nothing more read: nothing added
    (0.6, "配套率提高到6", "配套率提高到61%"),         # a worse reading is not taken
    (0.6, "套率提高到61%，", "配套率提高到61%，"),      # the start may differ; the end must match
    (0.6, "配套率提高到64%。", "配套率提高到61%"),      # ... the characters before the mark too
    (0.1, "配套率提高到61%。", "配套率提高到61%"),      # the region ends at the last character
])
def test_a_dropped_full_stop_is_read_again(monkeypatch, gap, again, want):
    rec = _Rec(again)
    monkeypatch.setattr(ocr, "engine", lambda: rec)
    ln = _line("配套率提高到61%", gap)
    out = _end_mark_restored(np.full((60, 400, 3), 255, np.uint8), ln)
    assert out.text == want
    assert rec.calls == (1 if gap >= ocr.END_GAP else 0)
    if out.text != ln.text:
        mark = out.chars[-1]
        assert mark.box[0] >= ln.chars[-1].box[2] and mark.box[2] <= ln.box[2]
