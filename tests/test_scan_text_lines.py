"""Text on scanned pages kept whole (issue 12, point 3): a table row cut by a page break goes on
in the same cell when the scan's rules shift a few points between the pages; the recogniser's
look-alikes of Chinese marks read as the marks; printed cover-line words found though a mark of
them was misread."""
import numpy as np
import pytest

from extractors.layout import PageContent, Rule, assemble
from extractors.mapper.values import find_printed
from extractors.scan.ocr import OcrChar, OcrLine, _cjk_marks
from pipeline.model.document import Table
from tests.test_pdf_furniture import H, W, chars


def _rules(x0, x1, ys, cols_to=None, cols=()):
    """Horizontal rules at ``ys`` from x0 to x1; inner column rules down to ``cols_to``."""
    down = ys[-1] if cols_to is None else cols_to
    return ([Rule(x0, y, x1, y) for y in ys] + [Rule(x, ys[0], x, ys[-1]) for x in (x0, x1)]
            + [Rule(x, ys[0], x, down) for x in cols])


@pytest.mark.parametrize("shift", [0.0, 2.5, -2.5, 8.0, -8.0, 21.0, -21.0])
def test_a_row_cut_by_the_page_break_goes_on_in_its_cell_when_the_rules_shift(shift):
    # page 1: a two-column table, then a row across it whose text runs to the foot of the page;
    # page 2: the rest of that row, its rules a few points off those of page 1 (a scan)
    ys1 = [100, 140, 180, 790]
    p1 = PageContent(1, W, H, chars("标签甲", 70, 110) + chars("值甲", 210, 110) + chars("标签乙", 70, 150)
                     + chars("值乙", 210, 150) + chars("第一段文字写到页面的最底部为止并且", 70, 190)
                     + chars("这一行也写到了页面最底部的最后面", 70, 770),
                     _rules(60, 540, ys1, cols_to=180, cols=[200]), "scan")
    ys2 = [80, 200]
    p2 = PageContent(2, W, H, chars("续行的文字在第二页。", 70 + shift, 90),
                     _rules(60 + shift, 540 + shift, ys2), "scan")
    doc = assemble("f.pdf", [p1, p2], "scan")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    cells = [c for c in tables[0].cells if "第一段文字" in c.text]
    assert len(cells) == 1 and "续行的文字在第二页" in cells[0].text
    assert cells[0].text.index("第一段文字") < cells[0].text.index("续行的文字")


def _chars(text):
    return [OcrChar(c, (i * 10.0, 0.0, i * 10.0 + 9, 20.0)) for i, c in enumerate(text)]


@pytest.mark.parametrize("read, meant", [
    ("供应来源·针对物流环节", "供应来源·针对物流环节"),          # 。 read as a middle dot, or a
    ("中国·定西马铃薯大会", "中国·定西马铃薯大会"),              # name's interpunct: kept (doubted)
    ("保供协议·", "保供协议。"),                                  # a middle dot ending the line
    ("保供协议.集群建立", "保供协议。集群建立"),                  # ... as a Latin full stop
    ("“小巨人”·集群", "“小巨人”。集群"),                          # after a closing quote
    ("种植丶原料初加工丶特色食品", "种植、原料初加工、特色食品"),  # 、 read as the radical 丶
    ("a.产值年均增速", "a.产值年均增速"),                          # an item's letter: kept
    ("1.三年总体目标", "1.三年总体目标"),                          # a number's point: kept
    ("增长12.5%", "增长12.5%"), ("ISO9001.", "ISO9001."),
    ("·集群", "·集群"),                                            # a bullet opening a line: kept
])
def test_lookalikes_of_chinese_marks_are_read_as_the_marks(read, meant):
    text, chars = _cjk_marks(read, _chars(read))
    assert text == meant and "".join(c.text for c in chars) == meant


def test_marks_are_fixed_in_text_with_spaces_too():
    read = "来源. 针对"
    text, chars = _cjk_marks(read, _chars(read.replace(" ", "")))
    assert text == "来源。 针对" and [c.text for c in chars][2] == "。"


def test_a_middle_dot_between_chinese_characters_is_kept_and_doubted():
    """中国·定西 (a name's interpunct) and 来源·针对 (。 misread) look the same to the text: the
    dot stays as read and the piece goes below the bar, so a clerk compares it with the paper."""
    from extractors.scan.ocr import LOST_CHAR, line_pieces
    for read, doubted in (("组织企业参加中国·定西马铃薯大会", True), ("保供协议·", False), ("增长12.5%", False)):
        text, chars = _cjk_marks(read, _chars(read))        # as read_lines hands the line on
        (piece,) = line_pieces(OcrLine(text, (0.0, 0.0, len(read) * 10.0, 20.0), 0.98, chars), [], 1.0)
        assert piece.text == text
        assert (piece.confidence <= LOST_CHAR.confidence) == doubted, read


@pytest.mark.parametrize("text, loose, before", [
    ("凯里 县（市、区）", False, "凯里 "),
    ("凯里 县（市 区)", True, "凯里 "),        # the 、 lost, a half-width bracket
    ("凯里 县（市 区)", False, None),          # text from a text layer: exact words only
    ("凯里县市场监督管理局", True, None),     # not like the printed word
])
def test_printed_cover_words_are_found_though_a_mark_was_misread(text, loose, before):
    at = find_printed(text, "县（市、区）", loose)
    assert (text[:at[0]] if at else None) == before


def test_a_short_printed_word_is_only_found_as_written():
    assert find_printed("凯里巿", "市（州）", True) is None and find_printed("黔东南 市", "市", True) == (4, 5)


@pytest.mark.parametrize("text, word", [("有待进一步增强", True), ("统一品牌标识", True),
                                        ("泥料制备一日用陶瓷", False), ("与热处理一刀剪锻造", False),
                                        ("板材加工一家具设计", False)])
def test_yi_inside_a_word_is_the_character(text, word):
    from extractors.scan.dashes import in_word
    assert in_word(text, text.index("一")) is word


def test_the_pages_own_yi_is_the_ruler_for_a_dash():
    # one font's 一 runs 0.83 of the pitch (under the fitted 0.87): with the page's own 一 in
    # words as the ruler it stays 一; a dash 20% shorter than the ruler is a dash
    from extractors.scan.dashes import _is_dash, _Yi
    ln = OcrLine("x", (0, 0, 1, 1), 1.0, [])
    assert not _is_dash(_Yi(ln, [], 1, 0.833, False), ruler=0.84)
    assert _is_dash(_Yi(ln, [], 1, 0.76, False), ruler=0.95)
    assert _is_dash(_Yi(ln, [], 1, 0.833, False), ruler=None)      # no ruler: the fitted range
    assert not _is_dash(_Yi(ln, [], 1, 0.5, True), ruler=0.95)      # inside a word: never


def test_a_box_read_inside_a_label_leaves_none_of_it_for_the_value(tmp_path):
    # a stray box read between 或 and 或 of the label: the fuzzy label match must run on to the
    # label's last character (会), not leave it as the value
    from extractors.docx_reader import read_docx
    from extractors.mapper import map_form
    from tests.docx_builder import build
    rows = [["集群名称", "中小企业特色产业集群（凯里市特色食品产业）"],
            ["县（市、区）工信部门或☐或开发区管委会", "凯里市工业和信息化局"], ["联系人", "蔡杰"]]
    m = map_form(read_docx(build(tmp_path / "f.docx", ["一、基本情况", {"rows": rows}])))
    assert m.fields["basic.applicant"].value == "凯里市工业和信息化局"


@pytest.mark.parametrize("second, kind, doubtful", [
    ("主导产品出口额年", "scan", True),    # starts 2 characters in, under a full line mid-sentence
    ("个，主导产品出口额年", "scan", False),  # the whole line read
    ("主导产品出口额年", "text", False),   # a text layer loses no characters
])
def test_a_scanned_line_that_lost_its_start_is_below_the_bar(second, kind, doubtful):
    from pipeline.model.extraction import UNREADABLE_BELOW
    x = 70 + (len("个，主导产品出口额年") - len(second)) * 10
    p = PageContent(1, W, H, chars("境外分支机构达到13个", 70, 110) + chars(second, x, 122)
                    + chars("均增长10%以上", 70, 134) + chars("标签", 260, 110),
                    _rules(60, 400, [100, 150], cols=[180]), kind)
    # the first two lines run to the cell's right edge (10 characters of 10 pt in 60–180)
    doc = assemble("f.pdf", [p], kind)
    cell = next(c for t in doc.blocks if isinstance(t, Table) for c in t.cells if "境外" in c.text)
    assert (cell.confidence < UNREADABLE_BELOW) is doubtful


def _spaced(text):
    """Characters 30 px apart at 200 dpi; a space stands for a character's width left unread."""
    out, x = [], 100.0
    for ch in text:
        if ch != " ":
            out.append(OcrChar(ch, (x, 10.0, x + 28.0, 40.0)))
        x += 30.0
    return OcrLine(text.replace(" ", ""), (100.0, 10.0, x, 40.0), 0.99, out)


@pytest.mark.parametrize("text, lost", [
    ("集群产品出 欧盟、美国", True),       # 出口欧盟: 口 not read
    ("测试中心 国家企业技术中心", True),   # 中心、国家: the mark not read
    ("集群产品出口欧盟、美国", False),
    ("重复利用率84.40% 容县绣江", True),   # 84.40%。容县: the full stop not read
    ("新建数字化车间8个 2025年集群", True),  # 8个。2025年
    ("2023年6月15日", False),
    ("黔东南 市（州）", False),            # a cover line's blank before a printed word
    ("拓展“ 带一路”市场", True),          # “一带一路”: the thin 一 after the quote not read (s7b chenghai)
    ("拓展“一带一路”市场", False),
    ("2021 年", False),
])
def test_a_characters_gap_inside_chinese_text_is_below_the_bar(text, lost):
    from extractors.scan.ocr import line_pieces
    from pipeline.model.extraction import UNREADABLE_BELOW
    pieces = line_pieces(_spaced(text), [], 200 / 72)
    assert (min(p.confidence for p in pieces) < UNREADABLE_BELOW) is lost


@pytest.mark.parametrize("kind, doubted", [("scan", True), ("text", False)])
def test_a_number_cell_that_is_not_a_number_is_doubted_on_a_scan(kind, doubted):
    from extractors.mapper import _misread_doubted
    from pipeline.model import FieldValue
    from pipeline.model.document import Document, Page, Source
    from pipeline.model.extraction import UNREADABLE_BELOW
    doc = Document("f.pdf", "pdf", pages=[Page(1, W, H, kind)])
    fv = FieldValue(None, "l4", 0.82, Source("f.pdf", 1, (0, 0, 1, 1)), note="bad_number")
    assert (_misread_doubted(fv, doc).confidence < UNREADABLE_BELOW) is doubted
    ok = FieldValue(14, "14", 0.82, Source("f.pdf", 1, (0, 0, 1, 1)))
    assert _misread_doubted(ok, doc).confidence == 0.82


def test_a_centred_last_line_did_not_lose_its_start():
    # a target cell's text is centred: its short last line starts as far in as it stops short
    p = PageContent(1, W, H, chars("境外分支机构9个，参", 70, 110) + chars("加国际展会1次", 85, 122)
                    + chars("标签", 260, 110), _rules(60, 400, [100, 140], cols=[180]), "scan")
    doc = assemble("f.pdf", [p], "scan")
    cell = next(c for t in doc.blocks if isinstance(t, Table) for c in t.cells if "境外" in c.text)
    assert cell.confidence == 1.0


def test_jittering_character_boxes_are_not_a_lost_character():
    # every character read, but the recogniser's boxes jitter: 产[1018-1040] 品[1061-1073]
    from extractors.scan.ocr import line_pieces
    boxes = [("药", 902, 924), ("食", 935, 957), ("同", 963, 985), ("源", 996, 1018), ("产", 1018, 1040),
             ("品", 1061, 1073), ("的", 1078, 1100), ("完", 1106, 1128), ("整", 1139, 1161)]
    ln = OcrLine("药食同源产品的完整", (902, 10, 1161, 40), 0.99, [OcrChar(t, (a, 10, b, 40)) for t, a, b in boxes])
    assert min(p.confidence for p in line_pieces(ln, [], 200 / 72)) == 0.99


@pytest.mark.parametrize("shift", [0.0, 8.0, -8.0, 21.0, -21.0])
def test_rows_below_the_break_keep_their_columns_when_the_rules_shift(shift):
    cols = [150, 300, 400]
    ys1 = [100, 140, 790]
    words1 = ["方向甲", "指标甲", "十二", "十五"]
    lefts = [70, 160, 310, 410]
    p1 = PageContent(1, W, H, [pc for w, x in zip(words1, lefts) for pc in chars(w, x, 110)]
                     + [pc for w, x in zip(["方向乙", "指标乙", "三十", "四十"], lefts) for pc in chars(w, x, 770)],
                     _rules(60, 540, ys1, cols=cols), "scan")
    p2 = PageContent(2, W, H, [pc for w, x in zip(["方向丙", "指标丙", "五十", "六十"], lefts) for pc in chars(w, x + shift, 90)],
                     _rules(60 + shift, 540 + shift, [80, 120], cols=[c + shift for c in cols]), "scan")
    doc = assemble("f.pdf", [p1, p2], "scan")
    t = next(b for b in doc.blocks if isinstance(b, Table))
    col_of = {c.text: c.col for c in t.cells if c.text}
    assert [col_of[w] for w in ("方向丙", "指标丙", "五十", "六十")] == [col_of[w] for w in words1]


def test_a_narrower_table_on_the_next_page_is_not_the_same_table():
    # moved sideways is the same table on a scan; another width is another table
    from extractors.layout.assemble import ProtoTable as T
    from extractors.layout.assemble import page_shift
    a = T([60.0, 540.0], 1, [], 1, (60, 100, 540, 790), 1, (60, 100, 540, 790))
    assert page_shift(a, T([81.0, 561.0], 1, [], 2, (81, 80, 561, 200), 2)) is None   # no cells: a text page
    from extractors.layout.assemble import CellPart, ProtoCell
    def scan_t(xs, page):
        box = (xs[0], 80, xs[-1], 200)
        return T(xs, 1, [ProtoCell(0, 0, 1, 1, [CellPart(page, box, [], "scan")])], page, box, page, box)
    assert page_shift(scan_t([60.0, 540.0], 1), scan_t([81.0, 561.0], 2)) == 21.0
    assert page_shift(scan_t([60.0, 540.0], 1), scan_t([60.0, 400.0], 2)) is None


@pytest.mark.parametrize("raw, doubted", [("集群产品出☐欧盟、美国", True),   # 口 taken for a box
                                          ("集群推广卓越绩效☑先进质量管理模式", True),
                                          ("☐是 ☑否", False), ("集群产品出口欧盟", False)])
def test_a_box_read_inside_running_text_is_doubted_on_a_scan(raw, doubted):
    from extractors.mapper import _misread_doubted
    from pipeline.model import FieldValue
    from pipeline.model.document import Document, Page, Source
    from pipeline.model.extraction import UNREADABLE_BELOW
    doc = Document("f.pdf", "pdf", pages=[Page(1, W, H, "scan")])
    fv = FieldValue(raw.replace("☐", "").replace("☑", ""), raw, 0.99, Source("f.pdf", 1, (0, 0, 1, 1)))
    assert (_misread_doubted(fv, doc).confidence < UNREADABLE_BELOW) is doubted
    assert _misread_doubted(fv, doc, narrative=True).confidence == 0.99     # a narrative: still read


def test_a_dash_the_line_wraps_after_is_measured_too():
    """与制造一 | 家居卖场: a 一 ending the line after a character is measured against the page's
    own 一 like one between two characters (before, only those were: the dash stayed 一)."""
    from extractors.scan.dashes import settle_dashes
    ink = np.zeros((300, 400), bool)

    def line(text, y, stroke, thick=3):
        return _flat_line(ink, text, y, stroke, thick)
    ruler = line("有待进一步增强", 20, 27)                         # 一 in a word: 0.9 of the pitch
    dash = line("家具设计与制造一", 80, 22)                         # 0.73: a dash
    yi = line("每半年更新一", 140, 27)                              # 一次 wrapped: the character
    out = settle_dashes([ruler, dash, yi], ink)
    assert [ln.text for ln in out] == ["有待进一步增强", "家具设计与制造—", "每半年更新一"]


def test_a_flat_stroke_read_as_a_latin_hyphen_between_chinese_characters_is_settled_like_yi():
    """下一步 read 下-步 (held-out s7c dingxi ``industry.chain_text``, silent): the recogniser named
    the flat stroke with a Latin hyphen (or a dash: 下—步 on the page itself).  Between two Chinese
    characters it is 一 where its stroke measures as the page's own 一 (下一步 is no dictionary
    word); a thinner stroke is a dash, and without a 一 on the page to measure against it stays
    as read.  A hyphen beside Latin letters stays."""
    from extractors.scan.dashes import settle_dashes
    ink = np.zeros((300, 400), bool)

    def line(text, y, stroke, thick=3):
        return _flat_line(ink, text, y, stroke, thick)
    ruler = line("有待进一步增强", 20, 27)
    word = line("下-步将围绕变", 80, 27)
    em = line("下—步将围绕变", 140, 27)
    dash = line("家具制造—酱香型", 200, 27, thick=2)  # as long as the page's 一 but thinner: a dash
    latin = line("GB-T标准", 260, 10)
    out = settle_dashes([ruler, word, em, dash, latin], ink)
    assert [ln.text for ln in settle_dashes([line("下-步将围绕变", 280, 27)], ink)] == ["下-步将围绕变"]  # no ruler
    assert [ln.text for ln in out] == ["有待进一步增强", "下一步将围绕变", "下一步将围绕变", "家具制造—酱香型",
                                       "GB-T标准"]


def test_a_dash_as_long_as_the_pages_yi_is_told_by_its_thinner_stroke():
    """制造—酱香 (held-out s5h renhuai p13): the dash ran 0.926 of the page's own 一 — inside the
    length tolerance — but 2 px thick against the 一's 3 (0.65 of it).  Every 一 outside a word
    on the committed, devcorpus and held-out forms measured 0.87–1.42 of its page's thickness."""
    from extractors.scan.dashes import THIN_DASH, _is_dash, _Yi
    ln = OcrLine("x", (0, 0, 1, 1), 1.0, [])
    assert _is_dash(_Yi(ln, [], 1, 0.862, False, thick=1.96), ruler=0.931, thickness=3.0)
    assert not _is_dash(_Yi(ln, [], 1, 0.862, False, thick=1.96), ruler=0.931)      # length alone: 一
    assert not _is_dash(_Yi(ln, [], 1, 0.93, False, thick=0.87 * 3.0), ruler=0.931, thickness=3.0)
    assert not _is_dash(_Yi(ln, [], 1, 0.93, True, thick=1.0), ruler=0.931, thickness=3.0)  # in a word
    assert 0.68 < THIN_DASH < 0.87


def test_a_glyph_left_out_under_its_neighbours_spread_boxes_is_doubted_where_print_shows():
    """黄芪、 read 黄、 (held-out longxi ``industry.risk_text``, silent at 0.98): the two boxes stand
    0.75 pitch apart — no wider than the jitter of boxes read whole — but the step between their
    centres is wide and the stretch between them holds the lost glyph's print.  The same step
    over blank paper (a colon's fill-in blank) or over a thin outline stays as read."""
    import numpy as np

    from extractors.scan.ocr import LOST_CHAR, line_pieces
    h = 30
    text = "重点评估黄、党参"
    xs = [0, 30, 60, 90, 120, 172, 210, 240]            # 黄 at 120, 、 at 172: a step of 1.73 pitches
    chars = [OcrChar(c, (x, 0.0, x + 28.0, float(h))) for c, x in zip(text, xs)]
    line = OcrLine(text, (0.0, 0.0, 268.0, float(h)), 0.98, chars)
    ink = np.zeros((h, 300), dtype=bool)
    ink[:, :300:3] = True                                # the characters' own print
    ink[:, 148:172] = False

    def piece(gap_ink):
        (p,) = line_pieces(line, [], 1.0, gap_ink)
        return p
    blank = ink.copy()
    assert piece(blank).confidence > LOST_CHAR.confidence          # blank between: as read
    outline = ink.copy()
    outline[:, 160:163] = True                                     # a thin outline's side
    assert piece(outline).confidence > LOST_CHAR.confidence
    glyph = ink.copy()
    glyph[6:24, 150:168] = True                                    # the lost glyph's print: 0.45
    assert glyph[:, 148:172].mean() >= LOST_CHAR.gap_ink
    assert piece(glyph).confidence <= LOST_CHAR.confidence
    assert piece(None).confidence > LOST_CHAR.confidence           # no page ink to look at: as before


def test_without_a_yi_in_a_word_a_page_with_thin_dashes_tells_its_yi_by_the_thicker_stroke():
    """No 一 in a dictionary word on the page (下一步 is none), so no ruler: the length range alone
    read 下一步's 一, 0.867 of the pitch, as a dash (held-out s7c dingxi p4, silent).  The page's
    flat strokes were of two kinds — 2.0 px (种植—淀粉, 加工—冷链) and 3.0 px — so the thinner
    are dashes and the thicker 一, whatever their length.  Strokes of one kind keep the range."""
    from extractors.scan.dashes import settle_dashes
    ink = np.zeros((300, 400), bool)

    def line(text, y, stroke, thick=3):
        return _flat_line(ink, text, y, stroke, thick)
    dashes = [line("种植一淀粉全粉", 20, 23, 2), line("品加工一冷链物", 80, 23, 2)]
    yi = line("增强。下一步将", 140, 25, 3)
    assert [ln.text for ln in settle_dashes(dashes + [yi], ink)] == ["种植—淀粉全粉", "品加工—冷链物", "增强。下一步将"]
    alone = line("增强。下一步将", 200, 25, 3)          # one kind only: the length range decides (0.83: a dash)
    assert settle_dashes([alone], ink)[0].text == "增强。下—步将"


def test_a_character_a_pen_stroke_crossed_is_flagged_and_its_piece_keeps_its_confidence():
    """A √'s stroke from the box below ran over the 。 after 提高, and the pen, dropped out before
    the OCR, took the print with it: read ： (held-out s7a renhuai at 0.46, s7d pingxiang at 0.78;
    silent).  A character whose box the coloured pen covers by ``PEN_CROSSED`` or more is flagged
    (a doubt for the value holding it); the piece keeps its confidence — an option label beside
    a ticked box is crossed often and is no value."""
    import numpy as np

    from extractors.layout.doubtful_chars import doubt_note, doubtful_chars, piece_chars
    from extractors.scan.ocr import PEN_CROSSED, line_pieces
    text = "逐年提高：质量基础"
    chars = [OcrChar(c, (30.0 * i, 0.0, 30.0 * i + 28, 30.0), 0.99) for i, c in enumerate(text)]
    line = OcrLine(text, (0.0, 0.0, 30.0 * len(text), 30.0), 0.97, chars)
    pen = np.zeros((40, 300), dtype=bool)
    pen[2:28, 125:127] = True                                   # a stroke through ：'s box
    assert pen[0:30, 120:148].mean() >= PEN_CROSSED
    (piece,) = line_pieces(line, [], 1.0, None, pen)
    assert piece.confidence == 0.97 and piece.char_flags[4] == "pen" and not any(piece.char_flags[:4])
    (d,) = doubtful_chars(piece_chars([piece]))
    assert d.char == "：" and doubt_note([d]) == "“：”处有笔迹划过（“年提高：质量基”），或为误识"
    assert line_pieces(line, [], 1.0, None, np.zeros_like(pen))[0].char_flags is None
    # a Chinese character under the stroke read sure keeps enough strokes: no doubt; read unsure, one
    han = [("年", 0.99, ""), ("提", 0.99, ""), ("高", 0.99, "pen"), ("质", 0.99, "")]
    assert doubtful_chars(han) == []
    assert [d.kind for d in doubtful_chars([(c, 0.7 if f else p, f) for c, p, f in han])] == ["pen"]


def _flat_line(ink, text: str, y: float, stroke: int, thick: int = 3) -> OcrLine:
    """A line 30 px a character; its flat stroke (一, or a hyphen or dash the recogniser named it
    by; else its last character) drawn ``stroke`` px long and ``thick`` px thick on ``ink``, the
    other characters a vertical bar each."""
    cs = [OcrChar(ch, (10.0 + 30 * i, y, 38.0 + 30 * i, y + 28)) for i, ch in enumerate(text)]
    i = next((k for k, ch in enumerate(text[:-1]) if ch in "一-—"), len(text) - 1)
    x = int(cs[i].box[0]) + (28 - stroke) // 2
    ink[int(y) + 13:int(y) + 13 + thick, x:x + stroke] = True          # the flat stroke, as printed
    for j, c in enumerate(cs):                                          # the other characters' ink
        if j != i:
            ink[int(y) + 2:int(y) + 26, int(c.box[0]) + 4:int(c.box[0]) + 8] = True
    return OcrLine(text, (10.0, y, cs[-1].box[2], y + 28), 0.99, cs)
