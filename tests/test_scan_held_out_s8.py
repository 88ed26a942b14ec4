"""Four mechanisms a fresh held-out set of scans (s8, new layouts and pens) found silently
wrong, each on a page or line drawn here: a rule two pen strokes cross, a rule's fringe taken
for a signature, one glyph read twice, and two characters' boxes crossed by a pixel."""
import numpy as np
import pytest
from PIL import Image, ImageDraw

from extractors.layout.grid import find_grids
from extractors.scan import ocr
from extractors.scan.ink import ink_masks
from extractors.scan.lines import rule_masks, rules_of
from extractors.scan.marks import SIG_INK_MIN_MM, find_signatures
from extractors.scan.ocr import OcrChar, OcrLine, _corrected

PPP = 200 / 72.0
BLUE = (40, 60, 200)


def _two_row_table(cross: bool):
    """A table of two rows and two columns; a box sits on the rule between the rows in the right
    column, and an ✗ drawn over it in blue runs past the rule on both sides of the box."""
    im = Image.new("RGB", (1400, 700), "white")
    d = ImageDraw.Draw(im)
    for y in (100, 300, 600):
        d.line([(100, y), (1300, y)], fill=(30, 30, 30), width=3)
    for x in (100, 500, 1300):
        d.line([(x, 100), (x, 600)], fill=(30, 30, 30), width=3)
    d.rectangle([515, 268, 545, 298], outline=(30, 30, 30), width=2)     # the box, on the rule
    if cross:                              # the ✗'s arms cross the rule at x≈505 and x≈555
        d.line([(490, 250), (565, 320)], fill=BLUE, width=9)
        d.line([(570, 250), (495, 320)], fill=BLUE, width=9)
    return np.asarray(im)


@pytest.mark.parametrize("cross", [False, True])
def test_a_rule_two_pen_strokes_cross_keeps_its_row(cross):
    """Pen ink is not print: two crossings 50 px apart left a piece of rule shorter than the
    opening, the rule broke at the box, and the rows' cells merged.  Read with the pen, the rule
    runs through and the table keeps both rows in both columns."""
    masks = ink_masks(_two_row_table(cross))
    h, v = rule_masks(masks.print, PPP, masks.blue | masks.red)
    [grid] = find_grids(rules_of(h, v, PPP))
    assert grid.n_rows == 2 and grid.n_cols == 2
    assert len(grid.cells) == 4, grid.cells
    if cross:      # without the pen the rule is broken under the box and the right column merges
        h0, v0 = rule_masks(masks.print, PPP)
        [g0] = find_grids(rules_of(h0, v0, PPP))
        assert len(g0.cells) < 4


def test_a_pen_stroke_alone_is_not_a_rule():
    """A long straight pen stroke (an underline in ballpoint) holds no print: no rule."""
    im = Image.new("RGB", (1400, 400), "white")
    ImageDraw.Draw(im).line([(100, 200), (900, 200)], fill=BLUE, width=4)
    masks = ink_masks(np.asarray(im))
    h, v = rule_masks(masks.print, PPP, masks.blue | masks.red)
    assert rules_of(h, v, PPP) == []


def test_a_thin_line_as_wide_as_a_name_is_no_signature():
    """A rule's grey fringe left outside the rule mask (2 px tall, 600 px wide) is no signature;
    a name written in strokes standing a few millimetres tall is."""
    im = Image.new("RGB", (1400, 600), "white")
    d = ImageDraw.Draw(im)
    d.line([(100, 150), (700, 150)], fill=(90, 90, 90), width=2)
    scrawl = [(800 + 30 * k, 360 if k % 2 else 440) for k in range(12)]    # a scrawled name, dark pen
    d.line(scrawl, fill=(25, 25, 25), width=3)
    masks = ink_masks(np.asarray(im))
    found = find_signatures(masks, PPP, [], [], np.zeros(masks.dark.shape, bool))
    assert len(found) == 1
    x0, y0, x1, y1 = found[0].box
    assert x0 >= 750 and y1 > 400
    assert SIG_INK_MIN_MM * PPP * 72 / 25.4 > 2


def _chars(text, centres, height=30.0, width=12.0):
    return [OcrChar(c, (x - width / 2, 0.0, x + width / 2, height), 0.98) for c, x in zip(text, centres)]


def test_one_glyph_read_twice_is_one_character():
    """牵引引，: the two 引 stand 10 px apart centre to centre in a 30 px line — one glyph."""
    chars = _chars("牵引引，落", [15, 45, 55, 80, 110])
    text, out = _corrected("牵引引，落", chars)
    assert text == "牵引，落" and [c.text for c in out] == list("牵引，落")
    assert out[1].box[0] == chars[1].box[0] and out[1].box[2] == chars[2].box[2]


@pytest.mark.parametrize("text, centres", [("常常", [15, 45]), ("22", [15, 25])])
def test_a_character_written_twice_stays_twice(text, centres):
    """Two glyphs a full em apart are two characters; digits (half an em wide) are not judged."""
    assert _corrected(text, _chars(text, centres))[0] == text


def test_boxes_crossed_by_a_pixel_keep_the_reading_order():
    """42.80 whose 8 came out one pixel right of the 0 after it: every later step orders
    characters by their left edge, and read 42.08."""
    boxes = [(962, 979), (980, 995), (993, 1007), (1007, 1008), (1006, 1021)]
    chars = [OcrChar(c, (a, 762.0, b, 800.0)) for c, (a, b) in zip("42.80", boxes)]
    text, out = _corrected("42.80", chars)
    assert text == "42.80"
    assert "".join(c.text for c in sorted(out, key=lambda c: c.box[0])) == "42.80"
    assert all(c.box[2] >= c.box[0] for c in out)


def test_a_second_reading_placed_in_no_room_keeps_the_order(monkeypatch):
    """The second reading adds 8 where the first had only 42.0 and the neighbours' boxes
    overlap (no room between them): the line still reads 42.80 left to right."""
    class Rec:
        def __init__(self, text):
            self.text = text

        def __call__(self, *a, **k):
            return [[[[0, 0], [10, 0], [10, 10], [0, 10]], self.text, 0.93]], None
    rec = Rec("42.80")
    monkeypatch.setattr(ocr, "_strip_reading", lambda rgb, area: (rec.text, 0.93))
    first = [OcrChar(c, (a, 762.0, b, 800.0), 0.99) for c, (a, b) in zip("42.0", [(962, 979), (980, 995), (993, 1007), (1006, 1021)])]
    row = [OcrLine("42.0", (962, 762, 1021, 800), 0.95, first)]
    [out] = ocr.read_again(np.full((900, 1200, 3), 255, np.uint8), (950, 750, 1030, 810), row)
    assert out.text == "42.80"
    assert "".join(c.text for c in sorted(out.chars, key=lambda c: c.box[0])) == "42.80"


def _gapped_line():
    """固废分 中心绿色 with one pitch empty between 分 and 中 (a glyph the page's reading left out)."""
    xs = [100, 130, 160, 220, 250, 280, 310]
    chars = [OcrChar(c, (x, 100.0, x + 28, 130.0), 0.99) for c, x in zip("固废分中心绿色", xs)]
    return OcrLine("固废分中心绿色", (100.0, 100.0, 338.0, 130.0), 0.98, chars)


@pytest.mark.parametrize("strip, score, want", [
    ("固废分拣中心绿色", 0.97, "固废分拣中心绿色"),     # the strip holds the glyph: taken, in the gap
    ("固废分拣中心绿色", 0.80, "固废分中心绿色"),       # read unsurely: the line stays, still flagged
    ("固废分拣中心緑色", 0.97, "固废分中心绿色"),       # a character changed elsewhere: not taken
    ("固废分乙中心绿色", 0.97, "固废分中心绿色"),       # no word holds the added character: not taken
    ("固废拣分中心绿色", 0.97, "固废分中心绿色"),       # added where nothing was lost: not taken
])
def test_a_glyph_left_out_is_read_again_on_the_lines_strip(monkeypatch, strip, score, want):
    monkeypatch.setattr(ocr, "_strip_reading", lambda rgb, area: (strip, score))
    ln = _gapped_line()
    out = ocr.lost_read_again(np.full((300, 500, 3), 255, np.uint8), ln, None)
    assert "".join(c.text for c in out.chars) == want
    if want != ln.text:
        jian = out.chars[3]
        assert ln.chars[2].box[2] <= jian.box[0] < jian.box[2] <= ln.chars[3].box[0]
        assert ocr.line_pieces(out, [], PPP)[0].char_flags is None      # nothing left to flag
    else:
        assert out is ln and ocr.line_pieces(out, [], PPP)[0].char_flags is not None
