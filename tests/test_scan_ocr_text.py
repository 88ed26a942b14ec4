"""Corrections to what the recogniser reads (``extractors.scan.ocr``): ISO with a zero, and a
line's final full stop read again from the line's own region.  The second reading is a
recogniser's call; here it is stood in for, so that the rule deciding what is taken from it
is what is tested (the committed scans measure the whole: ``python -m bench.accuracy_scan``)."""
import numpy as np
import pytest

from extractors.scan import ocr
from extractors.scan.ocr import OcrChar, OcrLine, _end_mark_restored, _iso, _unstacked, _yin


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


@pytest.fixture(autouse=True)
def _no_ocr_cache(monkeypatch):
    """The development cache (``SCAN_OCR_CACHE``) would answer for the stand-in engine."""
    monkeypatch.delenv(ocr.CACHE_ENV, raising=False)


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
    (0.6, "配套率提高到61%个。", "配套率提高到61%个。"),  # a character dropped with the mark
    (0.6, "配套率提高到61%abc。", "配套率提高到61%"),    # ... but not Latin, nor three of them
    (0.6, "配套率提高到61%一二三。", "配套率提高到61%"),
])
def test_a_dropped_full_stop_is_read_again(monkeypatch, gap, again, want):
    rec = _Rec(again)
    monkeypatch.setattr(ocr, "engine", lambda: rec)
    ln = _line("配套率提高到61%", gap)
    out = _end_mark_restored(np.full((60, 400, 3), 255, np.uint8), ln)
    assert out.text == want
    assert rec.calls == (1 if gap >= ocr.END_GAP else 0)
    if out.text != ln.text:
        added = out.chars[len(ln.chars):]
        assert "".join(c.text for c in added) == out.text[len(ln.text):]
        assert all(c.box[0] >= ln.chars[-1].box[2] for c in added)
        assert all(a.box[2] <= b.box[0] + 1e-6 for a, b in zip(added, added[1:]))


@pytest.mark.parametrize("ink_from, ink_to, want", [
    (152, 168, "固废分拣"),     # a glyph's ink in the line's region past the last character read
    (None, None, "固废分"),     # a clean region: the second reading's 拣 is not taken
    (172, 186, "固废分"),       # ink only past the region: the next text on the row (是否 | □非)
    (152, 158, "固废分"),       # a speck, not a character's width
])
def test_a_dropped_last_character_is_taken_where_its_ink_shows(monkeypatch, ink_from, ink_to, want):
    monkeypatch.setattr(ocr, "engine", lambda: _Rec("固废分拣"))
    monkeypatch.setattr(ocr, "END_MORE_SCORE", 0.9)
    ln = _line("处理站和固废分", 1.2)             # last character ends at 150, region at 174
    img = np.full((60, 400, 3), 255, np.uint8)
    if ink_from is not None:
        img[14:28, ink_from:ink_to] = 0
    out = _end_mark_restored(img, ln)
    assert out.text == "处理站和" + want
    if out.text != ln.text:
        assert out.chars[-1].text == "拣" and out.chars[-1].box[0] >= ln.chars[-1].box[2]


@pytest.mark.parametrize("read, right", [
    ("区域品牌影响力不断提升。，品牌价值逐年提高。", "区域品牌影响力不断提升。品牌价值逐年提高。"),
    ("质量持续夯实！、下一步", "质量持续夯实！下一步"),
    ("不断提升，品牌价值。", "不断提升，品牌价值。"),        # a comma alone stays
    ("分为三类：一是、二是", "分为三类：一是、二是"),          # marks apart stay
])
def test_a_clause_mark_right_after_a_sentence_end_is_taken_out(read, right):
    from extractors.scan.ocr import _corrected
    chars = [OcrChar(c, (i * 10.0, 0.0, i * 10.0 + 9, 20.0)) for i, c in enumerate(read)]
    text, fixed = _corrected(read, chars)
    assert text == right and "".join(c.text for c in fixed) == right


def test_two_stacked_labels_read_as_vertical_text_are_two_lines():
    """□是 over □否 read as one vertical line 是否: one line per character, each on its row."""
    ln = OcrLine("是否", (703, 1534, 743, 1618), 1.0,
                 [OcrChar("是", (703, 1536, 743, 1577)), OcrChar("否", (703, 1577, 743, 1618))])
    out = _unstacked(ln)
    assert [(o.text, o.box[1], o.box[3]) for o in out] == [("是", 1536, 1577), ("否", 1577, 1618)]
    shared = OcrLine("是否", ln.box, 1.0, [OcrChar("是", (703, 1534, 723, 1618)), OcrChar("否", (723, 1534, 743, 1618))])
    assert [o.text for o in _unstacked(shared)] == ["是", "否"] and _unstacked(shared)[1].box[1] == 1576
    flat = OcrLine("是否", (700, 100, 780, 130), 1.0, [OcrChar("是", (700, 100, 740, 130)), OcrChar("否", (740, 100, 780, 130))])
    assert _unstacked(flat) == [flat]


def test_a_scrawled_name_read_as_letters_is_not_text_to_the_signature_finder():
    from extractors.scan.marks import is_scrawl
    assert is_scrawl("NAA", 0.553)                    # a black signature, read by the recogniser
    assert not is_scrawl("单位负责人（签字）", 0.55)     # print read poorly is still print
    assert not is_scrawl("ISO9001", 0.97)
    assert not is_scrawl("0", 0.79) and not is_scrawl("12.5%", 0.7)   # a figure alone, read unsurely
    assert is_scrawl("7", 0.5) and is_scrawl("FJIXZK", 0.614)


def _row(*parts):
    """Lines of one text line as the page's reading gave them: (text, x of the first char)."""
    out = []
    for text, x in parts:
        chars = [OcrChar(c, (x + 30.0 * i, 100.0, x + 30.0 * i + 28, 130.0), 0.98) for i, c in enumerate(text)]
        out.append(OcrLine(text, (x, 100.0, chars[-1].box[2], 130.0), 0.97, chars))
    return out


PAGE = np.full((200, 600, 3), 255, np.uint8)


def test_a_line_read_again_gets_back_the_character_an_outline_hid(monkeypatch):
    """口 read as a box: the first reading has 出额; the second, by the recogniser alone, has
    出口额 — 口 goes between them, every other character keeps its box and probability."""
    rec = _Rec("个，主导产品出口额")
    monkeypatch.setattr(ocr, "engine", lambda: rec)
    row = _row(("个，主导产品出", 10.0), ("额", 250.0))           # 口 was at 220–248
    [out] = ocr.read_again(PAGE, (4, 94, 284, 136), row)
    assert out.text == "个，主导产品出口额" and rec.calls == 1
    kou = out.chars[7]
    assert kou.text == "口" and row[0].chars[-1].box[2] <= kou.box[0] < kou.box[2] <= row[1].chars[0].box[0]
    assert out.chars[:7] == row[0].chars and out.chars[8] == row[1].chars[0]
    assert kou.score == pytest.approx(0.99) and out.score == pytest.approx(0.97)


def test_fragments_read_again_as_one_line_lose_their_overlap(monkeypatch):
    """The detector broke the strip into overlapping pieces (品出 | 出口额): read as one line,
    the character both held is there once."""
    monkeypatch.setattr(ocr, "engine", lambda: _Rec("主导产品出口额"))
    [out] = ocr.read_again(PAGE, (0, 90, 300, 140), _row(("主导产品出", 10.0), ("出口额", 130.0)))
    assert out.text == "主导产品出口额"


def test_nothing_read_again_leaves_the_row(monkeypatch):
    monkeypatch.setattr(ocr, "engine", lambda: _Rec(""))
    row = _row(("主导产品出额", 10.0))
    assert ocr.read_again(PAGE, (0, 90, 300, 140), row) is row


def test_lines_one_outline_touches_are_read_together():
    from extractors.scan.page import _touched_groups
    from pipeline.model.geometry import BBox
    below = _row(("年均增长", 10.0))[0]                              # the line below: not touched
    below = OcrLine(below.text, (below.box[0], 160.0, below.box[2], 190.0), below.score, below.chars)
    lines = _row(("个，主导产品出", 10.0), ("额", 250.0)) + [below]
    groups = _touched_groups(lines, [BBox(222, 104, 246, 128)])
    assert groups == {0: (0, [0, 1], [BBox(222, 104, 246, 128)]), 1: (0, [0, 1], [BBox(222, 104, 246, 128)])}


class _Page:
    """A stand-in engine answering a whole page's reading: one line, no word boxes."""
    def __init__(self, text):
        self.text = text

    def __call__(self, img, **kw):
        n = len(self.text)
        return [[[[10, 10], [10 + 30 * n, 10], [10 + 30 * n, 40], [10, 40]], self.text, 0.99]], [0.0]


@pytest.mark.parametrize("read, right", [
    ("2021一2023年产值", "2021—2023年产值"),       # 一 between two digits
    ("核算碳排放数据。2020一", "核算碳排放数据。2020—"),  # a range wrapped after its first year
    ("一2022年单位产值", "一2022年单位产值"),        # a line's start may end a word (统 | 一2022年)
    ("统一标准", "统一标准"), ("第1批一是", "第1批一是")])
def test_yi_after_a_digit_is_the_dash_of_a_range(monkeypatch, read, right):
    monkeypatch.setattr(ocr, "engine", lambda: _Page(read))
    [ln] = ocr.read_lines(np.full((60, 40 + 30 * len(read), 3), 255, np.uint8))
    assert ln.text == right and "".join(c.text for c in ln.chars) == right


def test_a_line_read_again_gets_the_same_corrections(monkeypatch):
    monkeypatch.setattr(ocr, "engine", lambda: _Rec("2021一2023年通过IS09001认证"))
    [out] = ocr.read_again(PAGE, (0, 90, 600, 140), _row(("2021一2023年通过IS09001认", 10.0)))
    assert out.text == "2021—2023年通过ISO9001认证"
