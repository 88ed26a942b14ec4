"""The tick stage (``extractors.scan.ticks``): evidence measured on pages drawn here and OCR lines
made up as RapidOCR gives them (a 200 dpi page: a 10.5 pt line ~30 px high, a box ~19–33 px
square), and the decision taken from it.  No OCR runs here."""
import json

import numpy as np
import pytest
from PIL import Image, ImageDraw

from extractors.scan.ink import ink_masks
from extractors.scan.ocr import OcrChar, OcrLine
from extractors.scan.ticks import chars_off_boxes, option_labels
from extractors.scan.ticks.candidates import OUTLINE, SIBLING, Candidate, settle
from extractors.scan.ticks.decision import FITTED, PRESENCE, STATE, Settings, decide, load_settings
from extractors.scan.ticks.evidence import measure
from pipeline.model.geometry import BBox

PPP = 200 / 72.0
H = 30            # line height (px)
SIDE = 19
BLUE = (40, 60, 190)


def line(y: int, x0: float, text: str, widths=None) -> OcrLine:
    chars, x = [], float(x0)
    for i, ch in enumerate(text):
        w = widths[i] if widths else H * 0.93
        chars.append(OcrChar(ch, (x, y, x + w, y + H)))
        x += w + 1
    return OcrLine(text, (x0, y, x, y + H), 0.95, chars)


def at_line(x: int, ln: OcrLine, source=SIBLING, side=SIDE) -> Candidate:
    y = int((ln.box[1] + ln.box[3]) / 2 - side / 2)
    return Candidate(BBox(x, y, x + side, y + side), 2, source)


def page(boxes, strokes=(), size=(400, 400), pen=BLUE, widths=None, outlines=True):
    im = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(im)
    for c in boxes if outlines else ():
        x0, y0, x1, y1 = c.box()
        d.rectangle([x0, y0, x1 - 1, y1 - 1], outline=(30, 30, 30), width=2)
    for k, pts in enumerate(strokes):
        d.line(pts, fill=pen, width=widths[k] if widths else 3, joint="curve")
    return ink_masks(np.asarray(im))


def verdicts(cands, lines, strokes=(), settings=None, pen=BLUE, widths=None, outlines=True):
    masks = page(cands, strokes, pen=pen, widths=widths, outlines=outlines)
    evs = measure(cands, masks, lines, option_labels(), PPP)
    return decide(cands, evs, settings or load_settings())


def test_a_label_whose_ocr_box_swallows_the_square_does_not_hide_its_box():
    # RapidOCR reads ``□是`` as one character box 1.4 glyphs wide starting on the square
    a = line(100, 100, "是", widths=[1.4 * H])
    b = line(200, 100, "否", widths=[1.4 * H])
    got = verdicts([at_line(102, a), at_line(102, b)], [a, b])
    assert [t.verdict.kept for t in got] == [True, True], [t.verdict.reason for t in got]
    assert all("option label after" in t.verdict.reason for t in got)


def test_the_first_character_of_a_wrapped_label_is_not_a_box():
    a = line(100, 130, "开展了数字化共性解决方案开发")
    wrapped = line(140, 100, "务等工作")          # starts in the box column
    b = line(180, 130, "开展了两化融合管理体系推广工作")
    got = verdicts([at_line(102, a), at_line(102, wrapped), at_line(102, b)], [a, wrapped, b])
    assert [t.verdict.kept for t in got] == [True, False, True], [t.verdict.reason for t in got]
    assert "务" in got[1].verdict.reason


def test_a_label_read_from_the_box_column_is_the_label_not_a_box():
    """The label itself set in the box column (no box printed): its first character matches the
    option from itself on, not from after itself."""
    ln = line(100, 100, "建立共享车间、共享工厂")
    got = verdicts([at_line(100, ln)], [ln])
    assert not got[0].verdict.kept and "own label" in got[0].verdict.reason


def test_a_square_between_two_text_lines_is_not_a_box():
    a = line(100, 130, "第一产业")
    b = line(145, 130, "第二产业")
    between = Candidate(BBox(102, 128, 102 + SIDE, 128 + SIDE), 2, SIBLING)
    got = verdicts([at_line(102, a), at_line(102, b), between], [a, b])
    assert got[2].verdict.kept is False


def _check(box, arm, side):
    """A √ turning in the box (pixels), its long arm ``arm`` box sides long up and right."""
    x0, y0, x1, y1 = box
    turn = (x0 + 0.35 * side, y0 + 0.75 * side)
    return [(x0 + 0.1 * side, y0 + 0.4 * side), turn, (turn[0] + 0.35 * arm * side, turn[1] - arm * side)]


def _stack(n=3, side=33, pitch=44):
    return [Candidate(BBox(100, 60 + k * pitch, 100 + side + 1, 60 + k * pitch + side + 1), 2, OUTLINE) for k in range(n)]


def test_a_long_arm_through_the_box_above_does_not_tick_it():
    boxes = _stack()
    got = verdicts(boxes, [], [_check(boxes[2].box(), 2.0, 33)])
    assert got[1].evidence.inside > got[1].evidence.own_inside      # the arm is in it, not its own
    assert [t.verdict.state for t in got] == [False, False, True], [t.verdict.reason for t in got]
    assert got[1].verdict.confidence >= 0.75


def test_a_ticked_box_crossed_by_its_neighbours_stroke_stays_ticked():
    boxes = _stack()
    got = verdicts(boxes, [], [_check(boxes[1].box(), 1.2, 33), _check(boxes[2].box(), 2.0, 33)])
    assert [t.verdict.state for t in got] == [False, True, True]


def test_a_tick_touching_the_cross_of_the_box_above_stays_its_own():
    """A light √ in a box whose arm runs up into the foot of a heavy ✗ over the box above
    (gx-beiliu p8): one stroke, mostly the box above's, yet it turns inside this box — its own
    tick, not a neighbour's stroke to take out."""
    boxes = _stack(3)
    x0, y0, x1, y1 = boxes[0].box()
    b = boxes[1].box()
    foot = (x1 + 2, b[1] - 1)
    cross = [[(x0 - 4, y0 - 4), foot], [(x1 + 4, y0 - 4), (x0 - 6, y1 + 4)]]
    tick = [(b[0] + 9, b[1] + 16), (b[0] + 14, b[1] + 23), foot]
    got = verdicts(boxes, [], cross + [tick], widths=[5, 5, 2])
    assert got[1].evidence.own_inside >= load_settings().ticked_above, got[1].evidence
    assert [t.verdict.state for t in got] == [True, True, False], [t.verdict.reason for t in got]


def _low_check(box, side):
    """A black √ set low and left of its box, as some hands tick: it turns below the box and
    its arm leaves through the lower right side, little of it inside."""
    x0, y0, x1, y1 = box
    turn = (x0 + 0.3 * side, y1 + 0.2 * side)
    return [(x0 - 0.35 * side, y1 - 0.1 * side), turn, (x1 + 0.1 * side, y1 - 0.5 * side), (x1 + 0.5 * side, y0 - 0.5 * side)]


def test_a_tick_set_off_its_box_is_read_by_its_stroke_running_out():
    boxes = _stack(3, side=25, pitch=40)
    got = verdicts(boxes, [], [_low_check(boxes[1].box(), 25)], pen=(35, 35, 35))
    e = got[1].evidence
    assert e.inside < load_settings().ticked_above and e.stroke_out >= load_settings().stroke_above, e
    assert [t.verdict.state for t in got] == [False, True, False], [t.verdict.reason for t in got]
    assert "stroke runs out" in got[1].verdict.reason


def test_a_neighbours_arm_touching_a_box_does_not_tick_it():
    """A black √ turning in the box below whose arm runs up on to this box's bottom side: the
    stroke lies in the box below, so it is that box's."""
    boxes = _stack(2, side=25, pitch=36)
    x0, y0, x1, y1 = boxes[1].box()
    tick = [(x0 + 3, y0 + 12), (x0 + 9, y1 - 4), (x0 + 16, boxes[0].bbox.y1 - 2)]
    got = verdicts(boxes, [], [tick], pen=(35, 35, 35))
    assert got[0].evidence.stroke_out == 0.0, got[0].evidence
    assert [t.verdict.state for t in got] == [False, True], [t.verdict.reason for t in got]


def test_the_feet_of_a_cross_reaching_the_box_below_never_tick_it_silently():
    """A black ✗ over a box, its legs run on to the top of the box below: that box is read
    unticked, or ticked below the bar (reported) — never ticked with confidence."""
    boxes = _stack(2, side=33, pitch=44)
    x0, y0, x1, y1 = boxes[0].box()
    cross = [[(x0 - 4, y0 - 4), (x1 + 2, boxes[1].bbox.y0 + 2)], [(x1 + 4, y0 - 4), (x0 - 2, boxes[1].bbox.y0 + 2)]]
    got = verdicts(boxes, [], cross, pen=(35, 35, 35))
    assert got[0].verdict.state is True and got[0].verdict.confidence >= 0.75
    below = got[1].verdict
    assert below.state is not True or below.confidence < 0.75, below.reason


def test_on_a_page_without_an_outline_found_boxes_are_sized_by_their_labels_lines():
    """No outline found on the page (faint print under heavy ticks): the squares are looked for
    at the side the option labels' line height gives; where their outline shows at that side
    their state is trusted, where it does not (nothing printed there) it is reported."""
    from extractors.scan.ticks import judge
    a, b = line(100, 130, "第一产业"), line(145, 130, "第二产业")
    cands = [at_line(102, a), at_line(102, b)]
    got = [t for t in judge(cands, page(cands), [a, b], PPP) if t.verdict.kept]
    assert len(got) == 2 and all(t.verdict.confidence >= 0.75 for t in got), [t.verdict.reason for t in got]
    assert all(abs(t.candidate.side - SIDE) <= 0.2 * SIDE for t in got), [t.candidate.box() for t in got]
    x0, y0, x1, y1 = cands[0].box()
    tick = [(x0 + 2, y0 + 8), (x0 + 7, y1 - 2), (x1 + 4, y0 - 8)]
    bare = page([], [tick])
    from extractors.scan.ticks import boxes_before_ocr
    got = [t for t in judge(boxes_before_ocr(bare, PPP, None), bare, [a, b], PPP) if t.verdict.kept]
    assert got and all(t.verdict.confidence < 0.75 and "guess" in t.verdict.reason for t in got), \
        [t.verdict.reason for t in got]
    with_outline = [Candidate(c.bbox, 2, OUTLINE) for c in cands]
    got = [t for t in judge(with_outline, page(with_outline), [a, b], PPP) if t.verdict.kept]
    assert got and all(t.verdict.confidence >= 0.75 for t in got), [t.verdict.reason for t in got]


def test_outlines_without_text_are_kept_when_they_have_siblings_and_dropped_alone():
    boxes = _stack(2) + [Candidate(BBox(300, 300, 334, 334), 2, OUTLINE)]
    got = verdicts(boxes, [])
    assert [t.verdict.kept for t in got] == [True, True, False]


def test_clashing_boxes_keep_the_outline():
    boxes = _stack(2)
    shifted = Candidate(boxes[0].bbox.shifted(5, 5), 2, SIBLING)
    a = line(int(boxes[0].bbox.cy - H / 2), boxes[0].bbox.x1 + 4, "是")
    got = verdicts(boxes + [shifted], [a])
    assert got[0].verdict.kept and not got[2].verdict.kept
    assert str(boxes[0].box()) in got[2].verdict.reason          # it names the box that stays


def test_what_is_read_on_a_kept_box_leaves_its_line():
    ln = line(100, 100, "口是", widths=[SIDE, H * 0.93])
    got = verdicts([at_line(100, ln)], [ln])
    assert got[0].verdict.kept
    assert [x.text for x in chars_off_boxes([ln], got)] == ["是"]


def test_settle_moves_a_square_onto_its_outline():
    c = Candidate(BBox(100, 100, 120, 120), 2, OUTLINE)
    masks = page([c])
    assert settle(masks.dark, (103, 98, 123, 118), 2) == (100, 100, 120, 120)


def test_every_threshold_has_a_unit_and_the_fitted_ones_come_from_the_fitted_file():
    from dataclasses import fields
    assert all(f.metadata.get("unit") for f in fields(Settings))
    data = json.loads(FITTED.read_text(encoding="utf-8"))
    s = load_settings()
    for k, v in data["settings"].items():
        assert getattr(s, k) == v
    assert data["data"]["boxes"] > 100                     # fitted on recorded boxes, not by hand
    assert s.empty_below < s.ticked_above and s.stroke_below < s.stroke_above
    assert PRESENCE[-1][0] and STATE[-1][2] is None        # the last rows catch everything


def test_a_scanned_box_whose_label_was_misread_is_its_option_by_place_and_reported():
    """是 under a √'s arm read as 提 (devcorpus D101-002 p3): the box before 否's on the line of
    a 是/否 group is 是 — by its place, below the bar; a box with no place left stays unmatched."""
    from extractors.mapper.layouts import _by_place
    from pipeline.model import Tick, load_catalogue
    spec = next(s for s in load_catalogue("form_2023").specs if s.id == "basic.no_violations")
    ticked, empty = Tick(True, 1.0, "scan-ink", offset=0), Tick(False, 1.0, "scan-ink", offset=2)
    got = _by_place(spec, [(ticked, None), (empty, "否")])
    assert got[0][1] == "是" and got[0][0].confidence < 0.75 and "place" in got[0][0].raw
    assert got[1] == (empty, "否")
    assert _by_place(spec, [(ticked, "是"), (empty, None)])[1][1] == "否"
    assert _by_place(spec, [(ticked, "是"), (empty, None), (empty, "否")])[1][1] is None
    digital = Tick(True, 1.0, "char", offset=0)
    assert _by_place(spec, [(digital, None), (empty, "否")])[0][1] is None
    # a group with a long option (是 / 否 / 非工业集群，不适用, D101-008 p9): its short options
    # are placed, the long one never
    mixed = next(s for s in load_catalogue("form_2023").specs if s.id == "green.water_above_avg")
    assert [o.label for o in mixed.options][:2] == ["是", "否"] and len(mixed.options[2].label) > 3
    last = Tick(False, 1.0, "scan-ink", offset=4)
    got = _by_place(mixed, [(ticked, None), (empty, "否"), (last, "非工业集群，不适用")])
    assert got[0][1] == "是" and got[0][0].confidence < 0.75
    assert _by_place(mixed, [(ticked, "是"), (empty, "否"), (last, None)])[2][1] is None


@pytest.mark.parametrize("far_gap, own_gap, kept", [
    (1.08, -0.05, [False, True]),
    (0.93, -0.12, [False, True]),
    (0.37, -0.30, [True, False]),     # D101-008 p8: the right square lies over the label's first glyph
])
def test_of_two_boxes_for_one_option_the_one_its_label_follows_stays(far_gap, own_gap, kept):
    """A square over 是 of a 是/否 pair, about a line height before 否, and 否's own box: both
    read 否 after them; the box 否 follows as a form prints it keeps it (D101-002 p3: 1.08 line
    heights on whole pages, 0.93 with the detector in bands — within ``label_gap``, so both were
    labelled and the leftmost had won).  A square over the label's first glyph has the label
    start before its right edge: the box before it keeps the option (D101-008 p8)."""
    from extractors.scan.ticks.decision import Evidence, TickBox, _one_per_option, decide_one
    s = load_settings()

    def ev(gap):
        return Evidence(side_pt=8.6, sides=0.9, inside=0.3, pen_inside=0.2, own_inside=0.3, pen_around=0.0,
                        stroke_out=0.0, stroke_shared=False, left_clear=None, read_on="", label="否",
                        label_score=100.0, self_score=0.0, label_offset=0.03, label_gap=gap, left_tight=None,
                        siblings=5)
    far = Candidate(BBox(725, 1270, 749, 1293), 2, SIBLING)
    own = Candidate(BBox(779, 1271, 803, 1294), 2, SIBLING)
    boxes = [TickBox(c, e, decide_one(c, e, s)) for c, e in ((far, ev(far_gap)), (own, ev(own_gap)))]
    assert all(b.verdict.kept for b in boxes), [b.verdict.reason for b in boxes]
    got = _one_per_option(boxes, s)
    assert [b.verdict.kept for b in got] == kept, [b.verdict.reason for b in got]


def test_a_box_placed_by_its_label_is_found_under_the_ocr_box_of_the_labels_first_glyph():
    """The OCR's box of a label's first character swallows most of the square before it
    (devcorpus D101-008 p12 市场营销): the square placed by the label is still found on the
    printed outline, not a side to its left on blank paper."""
    from extractors.scan.ticks import judge
    ln = line(100, 0, "市场营销", widths=[1.4 * H, H * 0.93, H * 0.93, H * 0.93])
    ln = OcrLine(ln.text, ln.box, ln.score, [OcrChar(c.text, (c.box[0] + 110, c.box[1], c.box[2] + 110, c.box[3]))
                                             for c in ln.chars])
    printed = at_line(100, ln)
    got = [t for t in judge([], page([printed]), [ln], PPP) if t.verdict.kept]
    assert len(got) == 1 and got[0].candidate.bbox.overlap(printed.bbox) > 0.6 * printed.bbox.area, \
        [(t.candidate.box(), t.verdict.reason) for t in judge([], page([printed]), [ln], PPP)]
    assert got[0].verdict.state is False and got[0].verdict.confidence >= 0.75, got[0].verdict.reason


def test_a_box_takes_the_label_that_starts_nearest_it_on_its_row():
    """是 and 否 read as two lines of one row, 否's OCR box swallowing its own square and a little
    better aligned with 是's box: 是's box reads 是, not 否 (D101-008 p9)."""
    a, b = at_line(100, line(101, 0, "是")), at_line(165, line(101, 0, "否"))
    shi = line(103, 100 + SIDE + 4, "是")
    fou = OcrLine("否", (155, 101, 155 + 1.6 * H, 101 + H), 0.95, [OcrChar("否", (155, 101, 155 + 1.6 * H, 101 + H))])
    got = verdicts([a, Candidate(b.bbox, 2, OUTLINE)], [shi, fou])
    assert [t.evidence.label for t in got] == ["是", "否"], [t.verdict.reason for t in got]


def test_a_square_where_a_boxs_label_starts_is_the_labels_first_character():
    """与 of 与境外产业园区… found as an outline with siblings, painted out before the OCR, so the
    text after it reads 境外… — an option label at 83 (held-out t3b rongxian p11: it was kept and
    ticked by its glyph's ink, a wrong option at 0.99).  No label fits between two boxes this
    close: the right one stands where the left one's label starts.  With characters read tight
    before the left one, the left one is the character (a word's last glyph before a box)."""
    ln = line(100, 0, "境外产业园区形成较为稳定的合作关系")
    box = at_line(100, ln, OUTLINE)
    char = Candidate(box.bbox.shifted(SIDE + 7, 0), 2, OUTLINE)
    ln = line(100, char.bbox.x1 + 3, "境外产业园区形成较为稳定的合作关系")
    got = verdicts([box, char], [ln])
    assert [t.verdict.kept for t in got] == [True, False], [t.verdict.reason for t in got]
    assert "label's place" in got[1].verdict.reason and str(box.box()) in got[1].verdict.reason
    before = line(100, box.bbox.x0 - 2 - 2 * H, "出口")
    got = verdicts([box, char], [before, ln])
    assert [t.verdict.kept for t in got] == [False, True], [t.verdict.reason for t in got]


@pytest.mark.parametrize("gap", [0.1, 0.32, 0.5])
def test_a_printed_square_with_characters_close_on_both_sides_is_a_character(gap):
    """The 口 of 出口 in running text (出口贸易额), an outline with siblings: characters read within
    ``word_gap`` line heights on both sides and no option label after it — a character, dropped
    (0.32 before the 口 with the detector in bands: samples suiyang p11, kept and silent)."""
    ln = line(100, 0, "主导产品出")
    sq = Candidate(BBox(int(ln.box[2] + gap * H), 100 + (H - SIDE) // 2, int(ln.box[2] + gap * H) + SIDE,
                        100 + (H - SIDE) // 2 + SIDE), 2, OUTLINE)
    after = line(100, sq.bbox.x1 + gap * H, "贸易额增长")
    sibling = at_line(300, line(100, 0, "无"), OUTLINE)
    got = verdicts([sq, sibling], [ln, after])
    assert not got[0].verdict.kept and "inside a word" in got[0].verdict.reason, got[0].verdict.reason


def test_a_square_far_smaller_than_the_pages_labelled_boxes_is_part_of_a_glyph():
    """The 口 of 品, 断, 制 closed enough to be found as squares of half a box (devcorpus D101-002
    p5): kept as ticked, they split the option labels they stood in (获得…产☑品…: the group's
    option was not found).  A form prints its boxes at one size: the page's labelled boxes give it."""
    a, b = line(100, 100 + SIDE + 4, "是"), line(200, 100 + SIDE + 4, "否")
    c = line(300, 100 + 9 + 4, "得集体商标、地理标志产品批准认证")   # 83: the label's first glyph under it
    small = Candidate(BBox(100, 311, 109, 320), 1, OUTLINE)
    got = verdicts([at_line(100, a, OUTLINE), at_line(100, b, OUTLINE), small], [a, b, c])
    assert [t.verdict.kept for t in got] == [True, True, False], [t.verdict.reason for t in got]
    assert "part of a glyph" in got[2].verdict.reason
    # one that an option label read in full follows keeps its place (boxes of another size)
    full = line(300, 100 + 9 + 4, "获得集体商标、地理标志产品批准认证")
    assert verdicts([at_line(100, a, OUTLINE), at_line(100, b, OUTLINE), small], [a, b, full])[2].verdict.kept


def test_a_line_read_again_replaces_the_first_reading_only_when_it_keeps_all_of_it(monkeypatch):
    """A painted outline that proved no box has its line read again, by the recogniser alone,
    with it restored.  The second reading is taken only when it keeps every character the first
    reading had off the painted square — the character the square hid comes back (与 of
    与境外…, t3b rongxian p11); one that loses a character the first had is not (县 市 区 工信部门
    门互 for 县（市、区）工信部门或, devcorpus D101-005 p3: the basic.applicant label then went
    unfound)."""
    from extractors.layout.pieces import TextPiece
    from extractors.scan import ocr
    from extractors.scan import page as scan_page_mod
    image = np.full((200, 600, 3), 255, np.uint8)

    def reads(text):
        return lambda rgb, area: (text, 0.98)

    def texts(got):
        return [ln.text for ln in got[0]]
    first = line(100, 60, "境外产业园区")
    square = BBox(36, 105, 56, 125)
    monkeypatch.setattr(ocr, "_strip_reading", reads("与境外产业园区"))
    assert texts(scan_page_mod._restored([first], image, [square])) == ["与境外产业园区"]
    monkeypatch.setattr(ocr, "_strip_reading", reads("与境产业园区"))          # 外 lost
    got = scan_page_mod._restored([first], image, [square])
    assert texts(got) == ["境外产业园区"]
    assert got[1]       # the second reading saw a character under the square the first did not
    # the 8 painted, read 0 (83.83 read 83.03: D101-002 p4): a second reading keeping the rest
    # puts it right; one that does not leaves the first reading, below the bar where the two
    # disagree on what lies under the square; where they agree, it is no guess
    cut = line(100, 0, "83.03")
    eight = BBox(cut.chars[3].box[0] + 2, 105, cut.chars[3].box[2] - 2, 125)
    monkeypatch.setattr(ocr, "_strip_reading", reads("83.83"))
    assert texts(scan_page_mod._restored([cut], image, [eight])) == ["83.83"]
    monkeypatch.setattr(ocr, "_strip_reading", reads("83.8"))
    got, doubted = scan_page_mod._restored([cut], image, [eight])
    assert [ln.text for ln in got] == ["83.03"] and doubted == [BBox.of(cut.box)]
    piece = TextPiece("83.03", (0.0, 36.0, 50.0, 47.0), 0.99)
    assert scan_page_mod._in_doubt([piece], doubted, 1 / PPP)[0].confidence < 0.75
    monkeypatch.setattr(ocr, "_strip_reading", reads("83.03"))
    assert scan_page_mod._restored([cut], image, [eight])[1] == []
    # what the OCR made of the blank the painted square left is no reading to keep (出，韩国
    # where 出口's 口 was painted: suiyang plan.text)
    blank = line(100, 0, "出，韩国")
    under = BBox(blank.chars[1].box[0] + 2, 105, blank.chars[1].box[2] - 2, 125)
    monkeypatch.setattr(ocr, "_strip_reading", reads("出口韩国"))
    assert texts(scan_page_mod._restored([blank], image, [under])) == ["出口韩国"]
    # a strip cut at the line's start may lose its opening bracket: punctuation aside
    bracket = line(100, 0, "（清晰、丁考")
    monkeypatch.setattr(ocr, "_strip_reading", reads("清晰、可考"))
    under = BBox(bracket.chars[4].box[0] + 2, 105, bracket.chars[4].box[2] - 2, 125)   # the 口 of 可
    assert texts(scan_page_mod._restored([bracket], image, [under])) == ["清晰、可考"]


def test_a_wide_tick_inside_a_box_whose_line_was_measured_thick_reads_ticked():
    """A √ whose turn lies along the bottom side thickens the run its box was found on (5 px for
    a 2 px line); its siblings took that thickness, and an inside inset by it (9 px of a 25 px
    box) missed both arms of a wide √ in the box below: 0.086 inside, undecided (devcorpus
    D101-011 p7 innovation.measures).  The inside is inset by the line the print shows."""
    ln = line(int(112 - H / 2), 130, "是")
    box = Candidate(BBox(100, 100, 125, 125), 5, SIBLING)
    got = verdicts([box], [ln], [[(103, 107), (108, 123), (112, 123), (123, 104)]], widths=[3])
    assert got[0].verdict.kept and got[0].verdict.state is True and got[0].verdict.confidence >= 0.75, \
        got[0].verdict.reason


def test_a_sibling_in_a_column_keeps_the_column():
    """Siblings are looked for within ``ALIGN_PX`` of the anchor's column; settling one onto
    the ink must not carry it further across (a heavy ✗ over a faint outline right before 是:
    the square drifted 6 px onto the glyph and lost its label — gz-suiyang-chili-scan p3
    basic.not_prohibited).  Along the column it still settles."""
    from extractors.scan.ticks.candidates import ALIGN_PX, sibling_candidates
    anchor = Candidate(BBox(100, 100, 119, 119), 2, OUTLINE)
    off = Candidate(BBox(105, 161, 124, 180), 2, OUTLINE)
    m = page([anchor, off])
    got = sibling_candidates((m.dark & ~m.red) | m.blue, None, [anchor], [])
    assert got and all(abs(c.bbox.x0 - anchor.bbox.x0) <= ALIGN_PX for c in got), [c.box() for c in got]
    assert got[0].bbox.y0 == 161


def test_a_square_over_a_character_read_sure_is_no_box_but_a_black_tick_read_as_a_guess_is():
    """A square of a box's size found among a line's characters — 六 of 六是…, before the option
    label 是 (held-out t3a renhuai p13), IS of ISO9001 (tx3a suiyang p5) — holds print the OCR
    reads sure and shows no outline: a character, dropped.  A black pen's tick in a box is read
    as a character too (区, 风, M): as a guess (the recorded ticks' top is 0.75) it stays a
    ticked box; read sure (风 at 0.86, samples renhuai p12 with the detector in bands) it stays
    one where its printed outline shows on every side before its option label."""
    s = load_settings()

    def read(score):
        ln = line(100, 0, "六是治理和服务能力持续提升")
        first = ln.chars[0]
        return OcrLine(ln.text, ln.box, ln.score, [OcrChar(first.text, first.box, score)] + ln.chars[1:])

    square = at_line(4, read(1.0))
    x0, y0, x1, y1 = square.box()
    cross = [[(x0 + 4, y0 + 4), (x1 - 4, y1 - 4)], [(x0 + 4, y1 - 4), (x1 - 4, y0 + 4)]]
    # 六's strokes: a dot, a bar, two legs — print, no outline round them
    liu = [[(x0 + 9, y0 + 2), (x0 + 11, y0 + 5)], [(x0 + 2, y0 + 8), (x1 - 2, y0 + 8)],
           [(x0 + 7, y0 + 11), (x0 + 3, y1 - 2)], [(x1 - 7, y0 + 11), (x1 - 3, y1 - 2)]]
    sure = verdicts([square], [read(0.99)], liu, pen=(30, 30, 30), outlines=False)[0]
    assert not sure.verdict.kept and "character read on it" in sure.verdict.reason, sure.verdict.reason
    boxed = verdicts([square], [read(0.99)], cross, pen=(30, 30, 30))[0]
    assert boxed.verdict.kept and boxed.verdict.state is True, boxed.verdict.reason
    guess = verdicts([square], [read(0.4)], cross, pen=(30, 30, 30))[0]
    assert guess.verdict.kept and guess.verdict.state is True, guess.verdict.reason
    assert 0.75 < s.read_sure < 0.85                      # between the recorded ticks and the characters (fit)


def test_a_cell_holding_two_groups_boxes_gives_each_group_the_run_beside_its_label():
    """A row rule not found joins two rows' cells (held-out s5t pingxiang p3): the boxes of
    basic.water_efficiency (是 否 不涉及) and basic.provincial_cluster (是 否) in one cell.  Each
    group reads the run of its options that stands beside its label, not both (是 + 不涉及,
    silent, before)."""
    from extractors.mapper.layouts import _one_run, _runs
    from pipeline.model import Paragraph, Source, Tick

    def box(opt, y, ticked=False):
        return (Tick(ticked, 1.0, "scan-ink"), opt, Paragraph("☐" + opt, Source("f", 3, BBox(250, y, 300, y + 10))), None)

    order = ["是", "否", "不涉及"]
    cell = [box("是", 510), box("否", 525), box("不涉及", 540, True), box("是", 555, True), box("否", 570)]
    assert [len(r) for r in _runs(order, cell)] == [3, 2]
    water, note = _one_run(order, cell, label_y=530.0)
    assert [o for _, o, _, _ in water] == order and "options_repeated" in note
    cluster, _ = _one_run(order, cell, label_y=567.0)
    assert [o for _, o, _, _ in cluster] == ["是", "否"] and cluster[0][0].state is True
    assert _one_run(order, cell[:3], label_y=530.0) == (cell[:3], None)     # one run: left as found


def test_two_boxes_of_a_column_each_before_its_own_label_do_not_clash():
    """A column sibling drifted up onto the top of a heavy ✗, 2 px under the box above (held-out
    s5t beiliu p3): each stands before its own option label, so both stay; a square as near
    the box above on the same label's line is still the clash it was."""
    side = 33
    upper = Candidate(BBox(100, 100, 100 + side, 100 + side), 2, OUTLINE)
    lower = Candidate(BBox(100, 100 + side + 2, 100 + side, 100 + 2 * side + 2), 2, SIBLING)
    a = line(int(upper.bbox.cy - H / 2), upper.bbox.x1 + 2, "不涉及")
    b = line(int(lower.bbox.cy - H / 2) + 6, lower.bbox.x1 + 2, "是")
    got = verdicts([upper, lower], [a, b])
    assert [t.verdict.kept for t in got] == [True, True], [t.verdict.reason for t in got]
    got = verdicts([upper, Candidate(lower.bbox, 2, OUTLINE)], [a])      # no label of its own
    assert not got[1].verdict.kept and "clashes" in got[1].verdict.reason, got[1].verdict.reason


def test_a_box_cut_by_one_anchors_reach_is_found_whole_by_another():
    """One anchor's column reaches ``MAX_REACH`` sides: near its end it shows a square cut there
    — its top on a line above the box, its bottom on the box's top, a stroke down its side —
    which took the place of the whole box another anchor shows (held-out s5t suiyang p12
    ``governance.measures``, t4a yangjiang p3: the ticked box lost, the group flagged).  The
    column is measured a side past its reach, and a square there shown better than the cut one
    it overlaps leaves the box to the anchor that reaches it."""
    from extractors.scan.ticks.candidates import MAX_REACH, sibling_candidates
    side = 19
    top = Candidate(BBox(100, 20, 100 + side, 20 + side), 2, OUTLINE)
    end = top.bbox.y1 + (MAX_REACH - 1) * side              # the top anchor's corners stop here
    box = Candidate(BBox(100, end + 4, 100 + side, end + 4 + side), 2, OUTLINE)
    low = Candidate(BBox(100, box.bbox.y1 + 60, 100 + side, box.bbox.y1 + 60 + side), 2, OUTLINE)
    cut_top = box.bbox.y0 - side + 1
    strokes = [[(100, cut_top), (100 + side, cut_top)], [(101, cut_top + 0.65 * side), (101, box.bbox.y0)],
               [(100 + side - 2, cut_top + 0.65 * side), (100 + side - 2, box.bbox.y0)]]
    m = page([top, box, low], strokes, size=(300, int(low.bbox.y1) + 40), pen=(30, 30, 30), widths=[2, 2, 2])
    got = sibling_candidates((m.dark & ~m.red) | m.blue, None, [top, low], [])
    near = [c for c in got if abs(c.bbox.y0 - box.bbox.y0) < side]
    assert any(abs(c.bbox.y0 - box.bbox.y0) <= 1 for c in near), [c.box() for c in near]


def test_an_empty_box_touched_by_a_neighbours_stroke_is_never_read_ticked_above_the_bar():
    """No ink inside and 0.008 of its ring inked by a stroke touching it, blue around it: the
    neighbour's tick running on to it (t4a beiliu p3 basic.energy_efficiency: read 是 + 不涉及
    at 0.86, silently).  The stroke gap is fitted over the ticks the ink inside does not show
    (their stroke bottom 0.017), so this box is below the bar, not ticked at 0.86."""
    from extractors.scan.ticks.decision import Evidence, decide_one
    s = load_settings()
    e = Evidence(side_pt=12.6, sides=0.91, inside=0.0, pen_inside=0.0, own_inside=0.0, pen_around=0.0828,
                 stroke_out=0.0083, stroke_shared=False, left_clear=None, read_on="", label="不涉及",
                 label_score=100.0, self_score=0.0, label_offset=0.014, label_gap=0.0, left_tight=None, siblings=18)
    v = decide_one(Candidate(BBox(579, 1513, 613, 1548), 2, OUTLINE), e, s)
    assert v.kept and (v.state is not True or v.confidence < 0.75), v.reason


def test_a_pen_ticked_box_whose_label_was_not_read_is_kept_and_placed_by_its_place_below_the_bar():
    """A √ over 是 left the label unread (the OCR line starts at 否, t4a beiliu p9
    green.carbon_monitoring: the group read empty).  A sibling square with its outline on every
    side and the pen inside, nothing read on it, is a ticked box; the mapper places it as the
    option printed before 否, below the bar.  Without the pen (a glyph whose character the
    OCR did not centre on the square) it stays dropped."""
    from extractors.mapper.layouts import _by_place
    from pipeline.model import Tick, load_catalogue
    fou = line(100, 165, "否（如涉及，需提供佐证材料）")
    box = at_line(100, fou)
    other = Candidate(BBox(136, box.bbox.y0, 136 + SIDE, box.bbox.y1), 2, OUTLINE)
    tick = [_check(box.box(), 1.2, SIDE)]
    got = verdicts([box, other], [fou], tick)
    assert got[0].verdict.kept and got[0].verdict.state is True and "pen in its outline" in got[0].verdict.reason, \
        got[0].verdict.reason
    dark = verdicts([box, other], [fou], tick, pen=(30, 30, 30))
    assert not dark[0].verdict.kept, dark[0].verdict.reason
    spec = next(s for s in load_catalogue("form_2023").specs if s.id == "green.carbon_monitoring")
    placed = _by_place(spec, [(Tick(True, 1.0, "scan-ink"), None), (Tick(False, 1.0, "scan-ink", offset=1), "否")])
    assert placed[0][1] == "是" and placed[0][0].confidence < 0.75


def test_a_box_whose_label_was_not_read_is_placed_among_the_boxes_of_its_whole_cell():
    """A cell prints 是 and 否 on lines of their own, so the reader makes them two paragraphs; the
    pen's tick hid 是 from the OCR (held-out s5h yangjiang p3 ``basic.no_violations``: the ticked
    box was found, its group read empty).  The boxes of the whole cell, in reading order, place it
    as 是, below the bar; placed within its own paragraph alone it had no neighbour."""
    from types import SimpleNamespace

    from extractors.mapper.index import Unit
    from extractors.mapper.layouts import _option_ticks
    from pipeline.model import Paragraph, Source, Tick, load_catalogue
    cat = load_catalogue("form_2023")
    spec = next(s for s in cat.specs if s.id == "basic.no_violations")
    src = Source("f.pdf", 3)
    unread = Paragraph("☑", src, 0.99, [Tick(True, 1.0, "scan-ink", offset=0)])
    fou = Paragraph("☐否", src, 0.99, [Tick(False, 1.0, "scan-ink", offset=0)])
    unit = Unit(pos=0, paragraphs=[unread, fou], text="☑\n☐否")
    got = _option_ticks(SimpleNamespace(cat=cat), spec, [(unit, 0)])
    assert [(o, t.state) for t, o, _, _ in got] == [("是", True), ("否", False)]
    assert got[0][0].confidence < 0.75 and "by its place" in got[0][0].raw
    alone = _option_ticks(SimpleNamespace(cat=cat), spec, [(Unit(pos=0, paragraphs=[unread], text="☑"), 0)])
    assert alone == []                     # no neighbour read: nothing to place it by


def test_a_sibling_square_without_an_outline_over_running_text_is_no_box():
    """A square of a printed box's size, found beside the painted-out 口 of 出口 only as a sibling
    (held-out s6h1 rongxian p11 open.text): no outline of its own (its least inked side 0.565),
    print inside it and no pen, text after it.  Kept by "text after, siblings", the characters
    under it were taken for its label's place and 口 was lost: 出口东盟 read 出东盟, silent.
    Over the 8427 judged candidates no recorded box was kept by that rule with less than
    ``outline_sides`` of every side; the same square with its outline showing stays."""
    from extractors.scan.ticks.decision import Evidence, decide_one
    s = load_settings()
    e = Evidence(side_pt=8.28, sides=0.565, inside=0.2479, pen_inside=0.0, own_inside=0.2479, pen_around=0.0,
                 stroke_out=0.0629, stroke_shared=False, left_clear=0.304, read_on="", label="余热余压集中回收",
                 label_score=16.7, self_score=0.0, label_offset=0.017, label_gap=0.533, left_tight=0.833,
                 siblings=18)
    square = Candidate(BBox(928, 326, 951, 349), 2, SIBLING)
    v = decide_one(square, e, s)
    assert not v.kept and "nothing for it" in v.reason, v.reason
    from dataclasses import replace
    outlined = decide_one(square, replace(e, sides=0.9), s)
    assert outlined.kept and "text after" in outlined.reason, outlined.reason


def test_a_box_whose_label_only_the_late_reading_found_is_judged_again_with_it():
    """A black pen's √ joins a box to its short label 是, and the detector misses the label: the
    box has nothing after it and is dropped, its group losing its ticked option (held-out s6h1
    rongxian p3 basic.no_violations).  The recogniser alone reads the label later (``unread``);
    a line it finds on the row of a box dropped for want of a label has the boxes judged again,
    and the box is kept, ticked.  A late line elsewhere on the page asks for no second judging."""
    from extractors.scan.page import _labels_come_late
    from extractors.scan.ticks import judge
    yes = line(100, 60, "是")
    no = line(150, 60, "否")
    cands = [at_line(30, yes, source=SIBLING), at_line(30, no, source=OUTLINE)]     # the stroke broke its outline
    bx = cands[0].bbox
    tick = [(bx.x0 + 3, bx.cy), (bx.cx, bx.y1 - 3), (bx.x1 + 8, bx.y0 - 10)]
    masks = page(cands, [tick], pen=(25, 25, 30), widths=[4])
    first = judge(cands, masks, [no], PPP)
    yes_box = [t for t in first if t.candidate.bbox == bx]
    assert yes_box and not yes_box[0].verdict.kept, [t.verdict.reason for t in first]
    far = line(300, 60, "其他")
    assert not _labels_come_late(first, [far]) and not _labels_come_late(first, [])
    assert _labels_come_late(first, [yes])
    again = {t.candidate.bbox: t.verdict for t in judge(cands, masks, [no, yes], PPP)}
    assert again[bx].kept and again[bx].state is True, again[bx].reason


def test_an_empty_printed_box_beats_a_square_on_its_labels_first_glyph():
    """The OCR read 引引进了… over an empty printed box and a square found on the label's first
    glyph; both stand before the option label.  The glyph's square, its label a third of a line
    height on, was the closer to where a form prints a label and was read ticked at 0.98 —
    silently (held-out s7b pingxiang p11 ``open.activities``).  A square with something read on it
    and its outline not on every side loses to the printed box with nothing on it."""
    from extractors.scan.ticks.decision import Evidence, TickBox, _one_per_option, decide_one
    s = load_settings()
    label = "引进了国际领先技术、先进管理经验或高端人才团队等"
    common = dict(side_pt=8.63, pen_inside=0.0, pen_around=0.0, stroke_shared=False, label=label,
                  label_score=83.3, self_score=83.3, left_tight=None, siblings=20)
    glyph = Evidence(sides=0.375, inside=0.464, own_inside=0.464, stroke_out=0.014, left_clear=0.0,
                     read_on="引引", read_score=0.786, label_offset=0.045, label_gap=0.333, **common)
    printed = Evidence(sides=1.0, inside=0.0, own_inside=0.0, stroke_out=0.0, left_clear=0.71,
                       read_on="", read_score=0.0, label_offset=0.076, label_gap=0.061, **common)
    on_glyph = Candidate(BBox(717, 800, 741, 824), 2, SIBLING)
    box = Candidate(BBox(693, 801, 717, 825), 2, OUTLINE)
    boxes = [TickBox(c, e, decide_one(c, e, s)) for c, e in ((on_glyph, glyph), (box, printed))]
    assert all(b.verdict.kept for b in boxes), [b.verdict.reason for b in boxes]
    got = {b.candidate.bbox: b.verdict for b in _one_per_option(boxes, s)}
    assert got[box.bbox].kept and got[box.bbox].state is False, got[box.bbox].reason
    assert not got[on_glyph.bbox].kept, got[on_glyph.bbox].reason


def _chars(text: str, x0: float, y: int, w: float = 28.0, score: float = 1.0) -> list[OcrChar]:
    return [OcrChar(ch, (x0 + i * (w + 1), y, x0 + i * (w + 1) + w, y + H), score) for i, ch in enumerate(text)]


def _ocr_line(chars: list[OcrChar]) -> OcrLine:
    return OcrLine("".join(c.text for c in chars), (chars[0].box[0], chars[0].box[1], chars[-1].box[2],
                                                    chars[-1].box[3]), 0.95, chars)


def test_a_glyph_read_twice_by_two_overlapping_lines_is_counted_once():
    """The detector found 第一产业第 and 第二产业 as two overlapping lines: the 第 of 第二产业 read
    at the end of the first too, as a guess, a few px left of the second's reading.  Taken
    for the text after 第二产业's ticked box, that 第 was its label (no option) and the box was
    dropped as a character in a word (held-out s7b chenghai p3 ``basic.industry_type``, read
    empty).  Of two readings of one glyph the surer stays."""
    first = _chars("第一产业", 50, 100)
    twice = OcrChar("第", (198, 100, 219, 100 + H), 0.64)
    a = _ocr_line(first + [twice])
    b = _ocr_line(_chars("第二产业", 207, 100))
    cands = [Candidate(BBox(20, 102, 45, 127), 2, OUTLINE), Candidate(BBox(180, 102, 205, 127), 2, OUTLINE)]
    got = verdicts(cands, [a, b])
    assert got[1].verdict.kept and got[1].evidence.label == "第二产业", got[1].verdict.reason
    assert got[0].verdict.kept and got[0].evidence.label == "第一产业", got[0].verdict.reason


def _rivals(left, right, s):
    from extractors.scan.ticks.decision import TickBox, _one_per_option, decide_one
    boxes = [TickBox(c, e, decide_one(c, e, s)) for c, e in (left, right)]
    assert all(b.verdict.kept for b in boxes), [b.verdict.reason for b in boxes]
    return {b.candidate.bbox: b.verdict for b in _one_per_option(boxes, s)}


def test_a_square_the_glyph_before_it_reaches_into_does_not_take_the_option():
    """是□否 with RapidOCR's box of 是 swallowing a square found on 是's right half: nothing is
    read *on* that square, its label 否 follows 0.20 line heights on — closer to where a form
    prints a label than 否's own printed box (−0.05, 否's OCR box swallowing it).  It took the
    option, then was dropped as standing in 是's label place, and 否 had no box (held-out s7b
    chenghai p8 ``digital.software_rising``).  The glyph read before it reaches into it
    (``left_tight`` < 0: no recorded box has that) and its outline does not show on every side:
    a glyph, the printed box stays."""
    from extractors.scan.ticks.decision import Evidence
    s = load_settings()
    common = dict(side_pt=8.99, pen_inside=0.0, pen_around=0.0, stroke_out=0.0, stroke_shared=False, label="否",
                  label_score=100.0, self_score=0.0, label_offset=0.012, siblings=4, read_on="", read_score=0.0)
    glyph = Evidence(sides=0.48, inside=0.41, own_inside=0.41, left_clear=0.0, label_gap=0.195, left_tight=-0.123,
                     **common)
    printed = Evidence(sides=1.0, inside=0.0, own_inside=0.0, left_clear=0.36, label_gap=-0.05, left_tight=0.487,
                       **common)
    on_glyph = Candidate(BBox(630, 499, 655, 523), 2, SIBLING)
    box = Candidate(BBox(655, 499, 680, 523), 2, OUTLINE)
    got = _rivals((on_glyph, glyph), (box, printed), s)
    assert got[box.bbox].kept and got[box.bbox].state is False, got[box.bbox].reason
    assert not got[on_glyph.bbox].kept, got[on_glyph.bbox].reason


def test_of_one_square_found_twice_the_place_its_outline_shows_stays():
    """Two sibling squares 22 px apart overlapping by 3 px, both before 水资源梯级循环利用: one
    square found twice.  The leftmost was kept — a place showing 0.12 of its least inked side,
    nothing inside, read ticked by a stroke beside it — and the ticked box's own place (every
    side inked, the pen inside) was dropped (held-out s7b yongkang p9
    ``green.resource_measures``: a tick off its box).  Of one square found twice, the place its
    outline shows best stays."""
    from extractors.scan.ticks.decision import Evidence
    s = load_settings()
    common = dict(side_pt=8.99, stroke_shared=False, label="水资源梯级循环利用", label_score=100.0, self_score=0.0,
                  label_offset=0.0, siblings=18, read_on="", read_score=0.0, left_tight=None, left_clear=0.0)
    off = Evidence(sides=0.12, inside=0.005, pen_inside=0.0, own_inside=0.005, pen_around=0.105, stroke_out=0.156,
                   label_gap=0.639, **common)
    own = Evidence(sides=1.0, inside=0.59, pen_inside=0.59, own_inside=0.59, pen_around=0.054, stroke_out=0.006,
                   label_gap=0.028, **common)
    left = Candidate(BBox(834, 1699, 859, 1723), 2, SIBLING)
    right = Candidate(BBox(856, 1699, 881, 1723), 2, SIBLING)
    got = _rivals((left, off), (right, own), s)
    assert got[right.bbox].kept and got[right.bbox].state is True, got[right.bbox].reason
    assert not got[left.bbox].kept, got[left.bbox].reason


def test_a_boxs_side_joined_to_a_heavy_cross_is_no_cells_boundary():
    """A heavy black ✗ over 是's box ran its arm on along the box's right side up to the cell's
    top rule: a 40 px straight run meeting rules at both ends, kept in the page's rule mask
    (shorter than the ``MIN_RULE_PT`` the page's rules are read at).  Taken for a cell's
    boundary it cut 是's box off the row of 否's printed outline — and, out of the print, it
    was no outline either: no candidate for the ticked box (held-out gs-longxi p4
    ``industry.chain_map``, read empty).  Only rules as long as the page's rules bound a cell."""
    from extractors.scan.ticks import boxes_before_ocr
    side = 33
    yes = Candidate(BBox(40, 100, 40 + side + 1, 100 + side + 1), 2, OUTLINE)
    no = Candidate(BBox(120, 100, 120 + side + 1, 100 + side + 1), 2, OUTLINE)
    x0, y0, x1, y1 = yes.box()
    cross = [[(x0 - 8, y0 - 8), (x1 + 6, y1 + 6)], [(x1 + 6, y0 - 8), (x0 - 8, y1 + 6)]]
    masks = page([yes, no], cross, pen=(25, 25, 30), widths=[5, 5])
    rules = np.zeros(masks.dark.shape, bool)
    rules[:, 10:12] = True                               # the cell's left rule, the page's height
    rules[y0 - 3:y0 + 37, x1 - 2:x1] = True              # the box's right side and the arm: 40 px
    got = boxes_before_ocr(masks, PPP, rules)
    assert any(c.bbox.overlap(yes.bbox) > 0.8 * yes.bbox.area for c in got), [(c.source, c.box()) for c in got]


def test_a_label_cut_at_its_lines_end_is_read_on_into_the_next_line():
    """A flowing paragraph of options: □市场营销 □投 | 融资服务 □管理咨询 — the box before 投 ends
    its line, its label goes on at the start of the next.  Read on its line alone the label was
    投 (no option), and with a character read tight before the box, it was dropped as a
    character in a word (held-out gs-longxi p12 ``governance.services``, options_missing).
    What its line holds after the box begins an option, so the next line completes it."""
    first = _ocr_line(_chars("市场营销", 50, 100))
    cut = OcrChar("投", (203, 100, 231, 100 + H))
    a = _ocr_line(first.chars + [cut])
    rest = _ocr_line(_chars("融资服务", 22, 140) + _chars("管理咨询", 170, 140))
    cands = [Candidate(BBox(20, 105, 42, 127), 2, OUTLINE), Candidate(BBox(178, 105, 200, 127), 2, OUTLINE),
             Candidate(BBox(143, 145, 165, 167), 2, OUTLINE)]
    got = verdicts(cands, [a, rest])
    assert got[1].verdict.kept and got[1].evidence.label == "投融资服务", got[1].verdict.reason


def test_a_line_end_is_read_on_only_into_the_option_its_part_begins():
    """…等服务 ends a line, and the next begins 开展了两化融合…: a square on 服 read 务 after it;
    务开展了两化 matches 开展了两化… at 83, and the square was kept as a ticked box (held-out
    gs-longxi p8, tried while making the rule above).  A line's end is read on into the next
    line only for the options what the line holds after the box begins."""
    a = _ocr_line(_chars("开展了数字化共性解决方案开发和诊断等服务", 50, 100, w=16))
    on_fu = Candidate(BBox(a.chars[-2].box[0], 104, a.chars[-2].box[0] + 16, 120), 2, SIBLING)
    b = _ocr_line(_chars("开展了两化融合管理体系推广工作", 50, 140, w=16))
    ev = measure([on_fu], page([on_fu], size=(500, 300)), [a, b], option_labels(), PPP)[0]
    assert ev.label_score < load_settings().label_match, ev


def test_a_neighbours_stroke_grazing_an_empty_boxs_ring_does_not_tick_it():
    """No ink inside the 不涉及 box, 0.026 of its ring inked by the √ of the box below running up
    past it: read ticked at 0.995 by its stroke running out, so the single choice read 是 + 不涉及
    (held-out s7c dingxi p3 ``basic.water_efficiency``, silently — a false choice.multiple).  A
    stroke running out of a box starts in it: no recorded ticked box holds no ink inside
    (``stroke_inside``, fitted); this box is not read ticked above the bar."""
    from dataclasses import replace

    from extractors.scan.ticks.decision import Evidence, decide_one
    s = load_settings()
    e = Evidence(side_pt=8.27, sides=0.957, inside=0.0, pen_inside=0.0, own_inside=0.0, pen_around=0.0401,
                 stroke_out=0.0258, stroke_shared=False, left_clear=None, read_on="", label="不涉及",
                 label_score=100.0, self_score=0.0, label_offset=0.014, label_gap=0.0, left_tight=None, siblings=18)
    v = decide_one(Candidate(BBox(581, 1646, 604, 1669), 2, OUTLINE), e, s)
    assert v.kept and (v.state is not True or v.confidence < 0.75), v.reason
    # the same stroke running out of a box with the tick's ink inside it is a tick
    ticked = decide_one(Candidate(BBox(581, 1646, 604, 1669), 2, OUTLINE), replace(e, inside=0.02, own_inside=0.02), s)
    assert ticked.state is True and ticked.confidence >= 0.75, ticked.reason
