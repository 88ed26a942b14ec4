"""Tick boxes printed inline in a wrapped paragraph of options (□建有国家… □建有省级… □开展了…
as one paragraph, the boxes mid-line), under heavy pen ticks: pages drawn here, OCR lines made
up as RapidOCR gives them (200 dpi: a line ~30 px high).  No OCR runs here.  Held-out s8a/s8b
(session 8): longxi, chenghai, planted-cn-evidence p8 ``digital.newmodes``, yongkang p12
``governance.measures``, longxi p12 ``governance.services``."""
import numpy as np
import pytest
from PIL import Image, ImageDraw

from extractors.scan.ink import ink_masks
from extractors.scan.ocr import OcrChar, OcrLine
from extractors.scan.ticks import judge, option_labels
from extractors.scan.ticks.candidates import OUTLINE, SIBLING, Candidate
from extractors.scan.ticks.decision import decide, load_settings
from extractors.scan.ticks.evidence import measure, wrapped_rest
from pipeline.model.geometry import BBox

PPP = 200 / 72.0
H = 30
BLACK_PEN = (28, 28, 34)
BLUE = (40, 60, 190)


def _chars(text: str, x0: float, y: int, w: float = 28.0, score: float = 1.0) -> list[OcrChar]:
    return [OcrChar(ch, (x0 + i * (w + 1), y, x0 + i * (w + 1) + w, y + H), score) for i, ch in enumerate(text)]


def _line(chars: list[OcrChar]) -> OcrLine:
    return OcrLine("".join(c.text for c in chars), (chars[0].box[0], chars[0].box[1], chars[-1].box[2],
                                                    chars[-1].box[3]), 0.95, chars)


def _page(outlines, strokes=(), pen=BLACK_PEN, size=(1000, 400), width=4):
    im = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(im)
    for x0, y0, x1, y1 in outlines:
        d.rectangle([x0, y0, x1 - 1, y1 - 1], outline=(30, 30, 30), width=2)
    for pts in strokes:
        d.line(pts, fill=pen, width=width, joint="curve")
    return ink_masks(np.asarray(im))


def _heavy_check(box):
    """A heavy √ over a box: in from the left past its side, turning low, its arm out of the top."""
    x0, y0, x1, y1 = box
    s = x1 - x0
    return [(x0 - 0.3 * s, y0 + 0.35 * s), (x0 + 0.4 * s, y0 + 0.8 * s), (x1 + 0.1 * s, y0 - 0.4 * s)]


def _column(n=2, side=22, x=60, y=40, pitch=42):
    """A column of the page's usual boxes (是 / 否), printed and labelled, so the page's usual
    side is theirs."""
    boxes = [(x, y + k * pitch, x + side, y + k * pitch + side) for k in range(n)]
    lines = [_line(_chars(t, x + side + 8, y + k * pitch - 4)) for k, t in zip(range(n), "是否")]
    return boxes, lines, [Candidate(BBox(*b), 2, OUTLINE) for b in boxes]


def _kept_on(got, box):
    bb = BBox(*box)
    return [t for t in got if t.verdict.kept and t.candidate.bbox.overlap(bb) > 0.6 * bb.area]


def test_an_inline_box_larger_than_the_pages_usual_one_is_found_at_its_own_size():
    """点示范项目 □建有省级… : a box of 32 px printed mid-line, under a heavy black √, on a page
    whose other boxes are 22 px.  No outline candidate (the tick breaks its shape), no sibling
    (nothing of its size on its row or column); the form's square of the usual side settled on
    two of its sides and across the tick (sides 0.33) and the label was not believed: its
    ticked option was lost (held-out s8b longxi p8)."""
    col, col_lines, cands = _column()
    box = (300, 200, 332, 232)
    text = _line(_chars("点示范项目", 140, 201) + _chars("建有省级智能制造", 340, 201))
    masks = _page(col + [box], [_heavy_check(box)])
    got = judge(cands, masks, col_lines + [text], PPP)
    on = _kept_on(got, box)
    assert len(on) == 1 and on[0].verdict.state is True and on[0].verdict.confidence >= 0.75, \
        [(t.candidate.box(), t.verdict.reason) for t in got if t.candidate.bbox.cy > 150]
    assert on[0].evidence.label.startswith("建有省级")


@pytest.mark.parametrize("box, guess, start", [
    ((300, 202, 332, 234), OcrChar("文", (309, 200, 339, 200 + H), 0.27), 339),    # longxi: a larger box
    ((300, 205, 325, 230), OcrChar("口", (295, 202, 324, 202 + H), 0.65), 325),    # chenghai: the usual size
])
def test_a_box_the_ocr_read_as_a_guess_before_its_label_is_placed_by_the_label(box, guess, start):
    """式新业态试点示范项目 文开展了… : the OCR read the ticked box no candidate had painted out as
    文 at 0.27 (口 at 0.65 on another form); the label was taken to start at that guess and the
    form's square placed on the glyph before it (目): the box was lost (held-out s8b longxi and
    chenghai p8).  A label reading better from the next character starts there."""
    col, col_lines, cands = _column()
    text = _line(_chars("试点示范项目", 100, 202) + [guess] + _chars("开展了智能制造", start, 202))
    masks = _page(col + [box], [_heavy_check(box)])
    got = judge(cands, masks, col_lines + [text], PPP)
    on = _kept_on(got, box)
    assert len(on) == 1 and on[0].verdict.state is True, \
        [(t.candidate.box(), t.verdict.reason) for t in got if t.candidate.bbox.cy > 150]
    assert on[0].evidence.label.startswith("开展了智能制造")


def test_a_square_whose_outline_does_not_show_holds_no_place_before_a_label():
    """建立了专业化发展促进机构… : the ticked box at a line's start under a heavy √, and a sibling
    of a larger box's size found half across it (its outline 0.38 shown) — it kept the form's
    square out, and the group lost its ticked option (held-out s8b yongkang p12
    ``governance.measures``).  Only a square whose outline shows holds the place."""
    col, col_lines, cands = _column(side=24)
    box = (300, 203, 324, 227)
    stray = Candidate(BBox(302, 178, 336, 212), 3, SIBLING)
    text = _line(_chars("建立了专业化发展促进机构", 326, 200))
    masks = _page(col + [box], [_heavy_check(box)])
    got = judge(cands + [stray], masks, col_lines + [text], PPP)
    on = _kept_on(got, box)
    assert len(on) == 1 and on[0].verdict.state is True, \
        [(t.candidate.box(), t.verdict.reason) for t in got if t.candidate.bbox.cy > 150]


def test_the_arm_of_a_tick_turning_in_the_box_below_does_not_tick_the_box_above():
    """□信息服务 □创业辅导 … | 融资服务 ☑管理咨询 : the √ of 管理咨询's box runs its long arm up
    through 创业辅导's box, a line above and to the right; the arm held 50 px of that box's
    inside against 95 in its own — above ``FOREIGN_SHARE`` — and 创业辅导 read ticked at 1.0
    (held-out s8b longxi p12: flagged only because another box was missing).  A stroke that
    turns in one box and passes through another is the first one's tick (on the page, 创业辅导
    now reads unticked at 1.0; here the arm also leaves the box, which is reported)."""
    above = Candidate(BBox(137, 79, 160, 102), 2, OUTLINE)
    below = Candidate(BBox(111, 118, 137, 145), 2, OUTLINE)
    x0, y0, x1, y1 = below.box()
    tick = [(x0 - 6, y0 + 2), (x0 + 11, y0 + 15), (above.bbox.x0 + 16, above.bbox.y0 + 3)]
    lines = [_line(_chars("创业辅导", 163, 76)), _line(_chars("管理咨询", 140, 116))]
    masks = _page([above.box(), below.box()], [tick], pen=BLUE, size=(400, 250), width=5)
    evs = measure([above, below], masks, lines, option_labels(), PPP)
    got = decide([above, below], evs, load_settings())
    assert evs[0].inside > 0.1 and evs[0].own_inside < evs[0].inside, evs[0]      # the arm is there, not its own
    assert got[1].verdict.state is True, got[1].verdict.reason
    # its own inside is empty now; where the arm also runs out of it, whose stroke that is was a
    # judgement, so it is reported, never read ticked above the bar
    assert evs[0].own_inside <= load_settings().empty_below, evs[0]
    assert got[0].verdict.state is not True or got[0].verdict.confidence < 0.75, got[0].verdict.reason


def test_a_label_cut_at_a_lines_end_goes_on_in_the_next_line_down():
    """□市场营销 □投 | 融资服务 ☑管理咨询 | (注：勾选需提供佐证材料）: a pen's tick stretched the first
    line to 49 px, so two lines down lay within reach, and the note there started 2 px nearer the
    margin than the label's own next line: 投 read on into (注：… and the box was dropped
    (held-out s8b longxi p12, its 投融资服务 box missed).  The label goes on in the next line."""
    first = _chars("市场营销", 634, 863) + [OcrChar("投", (791, 863, 818, 912))]
    ln = OcrLine("市场营销投", (604, 863, 818, 912), 0.97, first)
    nxt = _line(_chars("融资服务", 580, 918) + _chars("管理咨询", 740, 918))
    note = _line(_chars("(注：勾选需提供佐证材料）", 602, 957))
    assert wrapped_rest([ln, note, nxt], ln) == "融资服务管理咨询"


def test_a_square_where_a_word_cut_by_a_wrap_goes_on_is_a_character():
    """近三年集群主导产品出 | 口贸易额增长率（%） in a label cell: the 口 of 出口 starts the second
    line, a printed outline of box size with siblings, painted out before the OCR; the line
    then reads 贸易额增长率（%） right after it — no option — and «outline with siblings» kept it
    (the extra square at about (89, 390) pt on p11 of s8b yongkang, chenghai, s8a
    planted-cn-evidence, planted-gs-form and the samples).  Where the line above is a full line
    running on into the square, the empty square with no option after it is the word's
    character.  A box under a short line (否 under 是) whose label was not read stays."""
    col, col_lines, cands = _column(side=23)
    above = _line(_chars("近三年集群主导产品出", 250, 300))
    kou = Candidate(BBox(250, 346, 273, 369), 2, OUTLINE)
    after = _line(_chars("贸易额增长率（%）", 277, 342))
    no_label = Candidate(BBox(60, 128, 83, 151), 2, OUTLINE)       # under 是/否 (short lines), nothing read after
    short_after = _line(_chars("提交", 87, 124))
    masks = _page(col + [kou.box(), no_label.box()], size=(700, 450))
    lines = col_lines + [above, after, short_after]
    got = {t.candidate.bbox: t.verdict for t in judge(cands + [kou, no_label], masks, lines, PPP)}
    assert not got[kou.bbox].kept, got[kou.bbox].reason
    assert "wrap" in got[kou.bbox].reason
    assert got[no_label.bbox].kept, got[no_label.bbox].reason


def test_a_label_cut_at_a_rows_end_goes_on_under_the_rows_start():
    """□信息服务 … □人员培训 □市场营销 □投 | 融资服务 □管理咨询: the OCR read the row as two lines
    (it breaks a line at a box), the cut label's line starting mid-row; its rest starts the next
    line at the row's start, under the first of the row's lines (held-out s7d longxi p12)."""
    first = _line(_chars("信息服务", 610, 880) + _chars("创业辅导", 790, 880) + _chars("人员培训", 1080, 880))
    cut = _line(_chars("市场营销", 1240, 880) + _chars("投", 1420, 880))
    nxt = _line(_chars("融资服务", 585, 921) + _chars("管理咨询", 740, 921))
    other_cell = _line(_chars("公共服务", 100, 921))          # the label column, left of a rule
    assert wrapped_rest([first, cut, nxt, other_cell], cut) == "融资服务管理咨询"
    far = _line(_chars("市场营销", 1240 + 400, 880) + _chars("投", 1820, 880))   # far apart: no run
    assert wrapped_rest([first, far, nxt], far) == ""
