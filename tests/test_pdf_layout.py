"""The shared layout chain on made-up pages (the same functions lay out PDF text layers and
OCR'd scans): grids with merged and nested cells, lines into paragraphs, spaces, tables joined
across a page break (a row cut by the break rejoined, a label's vertical merge rejoined, a
clean break kept)."""
from extractors.layout import GlyphPiece, PageContent, Rule, TextPiece, assemble, find_grids
from extractors.layout.assemble import split_at_columns
from extractors.layout.lines import Column, group_lines, line_text_pieces, split_paragraphs
from pipeline.model.ticks import Glyph


def box(x0, top, x1, bottom, rows, cols):
    """Rules of a grid: ``rows`` / ``cols`` are the y / x boundaries; merged cells by leaving
    segments out is done by the caller."""
    rs = [Rule(x0, y, x1, y) for y in rows] + [Rule(x, top, x, bottom) for x in cols]
    return rs


def chars(text, x, top, size=10.0, conf=1.0):
    return [TextPiece(ch, (x + i * size, top, x + (i + 1) * size, top + size), conf) for i, ch in enumerate(text)]


def test_merged_cells_resolved():
    # 3 columns x 3 rows; (0,0) spans 2 rows; row 2's last two cells are one
    rules = [Rule(0, 0, 300, 0), Rule(100, 50, 300, 50), Rule(0, 100, 300, 100), Rule(0, 150, 300, 150),
             Rule(0, 0, 0, 150), Rule(300, 0, 300, 150), Rule(100, 0, 100, 150), Rule(200, 0, 200, 100)]
    (g,) = find_grids(rules)
    assert (g.n_rows, g.n_cols) == (3, 3)
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in g.cells}
    assert spans == {(0, 0): (2, 1), (0, 1): (1, 1), (0, 2): (1, 1), (1, 1): (1, 1), (1, 2): (1, 1),
                     (2, 0): (1, 1), (2, 1): (1, 2)}


def test_one_cell_table_kept_and_nested_table_inside_it():
    outer = box(0, 0, 400, 300, [0, 300], [0, 400])
    inner = box(20, 50, 380, 150, [50, 100, 150], [20, 200, 380])
    pc = PageContent(1, 595, 842, chars("前文", 30, 20) + chars("方向", 30, 60) + chars("指标", 210, 110), outer + inner)
    doc = assemble("f.pdf", [pc], "pdf")
    (t,) = doc.blocks
    assert (t.n_rows, t.n_cols) == (1, 1)
    (cell,) = t.cells
    assert cell.text == "前文" and len(cell.tables) == 1
    nt = cell.tables[0]
    assert (nt.n_rows, nt.n_cols) == (2, 2) and nt.at(0, 0).text == "方向" and nt.at(1, 1).text == "指标"
    assert [x.index for x in doc.iter_tables()] == [0, 1]


def test_wrapped_lines_are_one_paragraph_short_line_and_indent_start_new_ones():
    col = Column(0, 200)
    lines = group_lines(chars("一" * 20, 0, 0) + chars("二" * 5, 0, 14) +      # full line, short last line
                        chars("三" * 18, 20, 28) + chars("四" * 20, 0, 42) +   # indented first line, full
                        chars("五" * 3, 0, 56))
    paras = split_paragraphs(lines, col)
    assert [len(p) for p in paras] == [2, 3]


def test_spaces_only_where_a_space_glyph_fits_or_a_wide_gap():
    size = 10.0
    a = TextPiece("a", (0, 0, 5, size))
    sp_over = TextPiece(" ", (3, 0, 7, size))          # a space written over the next glyph
    b = TextPiece("b", (5, 0, 10, size))
    c = TextPiece("c", (14.5, 0, 19.5, size))          # a real space between b and c
    sp = TextPiece(" ", (10, 0, 14.4, size))
    d = TextPiece("中", (40, 0, 50, size))              # a tab-wide gap
    (line,) = group_lines([a, sp_over, b, sp, c, d])
    text = "".join(p if isinstance(p, str) else p[0] for p in line_text_pieces(line))
    assert text == "ab c 中"


def test_ocr_box_across_a_column_rule_is_cut():
    p = TextPiece("集群总产值56.30", (10, 0, 110, 10), 0.9)
    parts = split_at_columns(p, [60])
    assert [x.text for x in parts] == ["集群总产值", "56.30"]
    assert all(x.confidence == 0.9 for x in parts) and parts[0].bbox[2] == 60


def _page(number, rules, pieces, height=842):
    return PageContent(number, 595, height, pieces, rules)


def test_table_across_a_page_break_with_a_cut_row_is_one_table():
    # page 1: two rows reaching the foot (bottom 780); the second row's value runs on
    p1 = box(50, 600, 550, 780, [600, 650, 780], [50, 200, 550])
    t1 = chars("标签一", 60, 610) + chars("值一", 210, 610) + chars("标签二", 60, 660) + \
        chars("长" * 32, 210, 660) + chars("长" * 32, 210, 760)
    # page 2: the cut row goes on (left cell empty), then a new row
    p2 = box(50, 72, 550, 200, [72, 120, 200], [50, 200, 550])
    t2 = chars("续完。", 210, 80) + chars("标签三", 60, 130) + chars("值三", 210, 130)
    doc = assemble("f.pdf", [_page(1, p1, t1), _page(2, p2, t2)], "pdf")
    (t,) = doc.blocks
    assert (t.n_rows, t.n_cols) == (3, 2)
    v = t.at(1, 1)
    assert v.text == "长" * 64 + "续完。"                   # one paragraph over the break
    assert v.source.page == 1 and t.at(2, 0).text == "标签三" and t.at(2, 0).source.page == 2


def test_a_row_with_its_own_label_after_a_break_at_the_foot_is_a_new_row():
    """The table reaches the foot and the value above ran to its cell's edge, but the row below
    the break has its own label: a new row (方向 / 主导产业 of a plan table), not the cut row."""
    p1 = box(50, 600, 550, 780, [600, 650, 780], [50, 200, 550])
    t1 = chars("方向", 60, 610) + chars("指标", 210, 610) + chars("标签二", 60, 660) + \
        chars("长" * 32, 210, 660) + chars("长" * 32, 210, 760)
    p2 = box(50, 72, 550, 120, [72, 120], [50, 200, 550])
    t2 = chars("标签三", 60, 80) + chars("值三", 210, 80)
    doc = assemble("f.pdf", [_page(1, p1, t1), _page(2, p2, t2)], "pdf")
    (t,) = doc.blocks
    assert t.n_rows == 3
    assert t.at(1, 0).text == "标签二" and t.at(1, 1).text == "长" * 64
    assert t.at(2, 0).text == "标签三" and t.at(2, 1).text == "值三"


def test_a_whole_narrow_label_above_the_break_does_not_swallow_the_next_rows_label():
    """A short label centred in a narrow column fills its one line, but ends well above its
    cell's foot: it is whole, so the row below the break (its own label) is a new row
    (开放合作 / 治理和服务 of a plan table were merged into one target)."""
    p1 = box(50, 600, 550, 780, [600, 650, 780], [50, 100, 550])
    t1 = chars("方向", 55, 610) + chars("指标", 110, 610) + chars("开放合作", 55, 710) + \
        chars("长" * 40, 110, 660) + chars("长" * 40, 110, 760)
    p2 = box(50, 72, 550, 120, [72, 120], [50, 100, 550])
    t2 = chars("治理", 55, 80) + chars("值三", 110, 80)
    doc = assemble("f.pdf", [_page(1, p1, t1), _page(2, p2, t2)], "pdf")
    (t,) = doc.blocks
    assert t.n_rows == 3
    assert t.at(1, 0).text == "开放合作" and t.at(2, 0).text == "治理" and t.at(2, 1).text == "值三"


def test_a_label_cut_at_the_foot_rejoins_its_rest_below_the_break():
    """The same narrow column, but the label's lines run down to its cell's foot: the break cut
    it (its text starts at the cell's top and runs to its foot), and its rest below the break
    (with the value's rest) is the same row."""
    p1 = box(50, 600, 550, 780, [600, 650, 780], [50, 100, 550])
    t1 = chars("方向", 55, 610) + chars("指标", 110, 610) + \
        sum((chars("标签文字", 55, y) for y in range(652, 770, 14)), []) + \
        chars("长" * 40, 110, 660) + chars("长" * 40, 110, 764)
    p2 = box(50, 72, 550, 120, [72, 120], [50, 100, 550])
    t2 = chars("完", 55, 80) + chars("续完。", 110, 80)
    doc = assemble("f.pdf", [_page(1, p1, t1), _page(2, p2, t2)], "pdf")
    (t,) = doc.blocks
    assert t.n_rows == 2
    assert t.at(1, 0).text.endswith("标签文字完") and t.at(1, 1).text.endswith("续完。")


def test_a_one_line_label_at_the_top_of_the_last_short_row_is_cut():
    """The break leaves room for one line of the row: the label's first line fills its narrow
    column at the cell's top, one and a half lines above the foot (no room for another): the
    label's rest (（200字以内）) below the break is the same row, not a new one."""
    p1 = box(50, 600, 550, 778, [600, 750, 778], [50, 100, 550])
    t1 = chars("方向", 55, 610) + chars("指标", 110, 610) + chars("协同创新", 55, 752) + chars("长" * 40, 110, 752)
    p2 = box(50, 72, 550, 120, [72, 120], [50, 100, 550])
    t2 = chars("（限）", 55, 80) + chars("续完。", 110, 80)
    doc = assemble("f.pdf", [_page(1, p1, t1), _page(2, p2, t2)], "pdf")
    (t,) = doc.blocks
    assert t.n_rows == 2
    assert t.at(1, 0).text.replace("\n", "") == "协同创新（限）" and t.at(1, 1).text.endswith("续完。")


def test_a_short_label_above_and_its_note_below_the_break_rejoin_when_the_value_was_cut():
    """A wide label column: the label's one line (集群制造资源共享情况) is far from full, so the
    label alone does not show the cut; but below the break the label cell holds only its
    bracketed note (（200字以内）) and the value above runs full to the foot: one row (the
    narrative of industry.sharing_text lost its rest on a held-out PDF)."""
    p1 = box(50, 600, 550, 778, [600, 750, 778], [50, 200, 550])
    t1 = chars("方向", 60, 610) + chars("指标", 210, 610) + chars("共享情况", 60, 752) + chars("长" * 34, 210, 752)
    p2 = box(50, 72, 550, 120, [72, 120], [50, 200, 550])
    t2 = chars("（限字）", 60, 80) + chars("续完。", 210, 80)
    doc = assemble("f.pdf", [_page(1, p1, t1), _page(2, p2, t2)], "pdf")
    (t,) = doc.blocks
    assert t.n_rows == 2
    assert t.at(1, 0).text.replace("\n", "") == "共享情况（限字）" and t.at(1, 1).text == "长" * 34 + "续完。"
    # the same note below a value that ended short of its cell's edge: the row above was whole
    t1_short = chars("方向", 60, 610) + chars("指标", 210, 610) + chars("共享情况", 60, 752) + chars("长" * 10, 210, 752)
    doc = assemble("f.pdf", [_page(1, p1, t1_short), _page(2, p2, t2)], "pdf")
    (t,) = doc.blocks
    assert t.n_rows == 3 and t.at(2, 0).text == "（限字）"


def test_a_merged_first_column_over_the_break_keeps_the_rows_below_apart():
    """A plan table reaching the foot: 绿色化 is merged down its rows, so the first cell below
    the break is blank; the indicator below (单位能耗) stands under a whole short one
    (排放量), so it is a row of its own, not the rest of the row above.  Under a value cut at
    the foot, the text below the blank first cell is that value's rest."""
    p1 = box(50, 600, 550, 780, [600, 650, 780], [50, 120, 300, 550])
    t1 = chars("方向", 60, 610) + chars("指标", 130, 610) + chars("值", 310, 610) + \
        chars("绿色化", 60, 700) + chars("排放量", 130, 760) + chars("0.44", 310, 760)
    p2 = box(50, 72, 550, 170, [72, 120, 170], [50, 120, 300, 550])
    t2 = chars("单位能耗", 130, 80) + chars("0.49", 310, 80) + chars("其他", 60, 130) + chars("数量", 130, 130)
    doc = assemble("f.pdf", [_page(1, p1, t1), _page(2, p2, t2)], "pdf")
    (t,) = doc.blocks
    assert t.n_rows == 4
    assert t.at(1, 1).text == "排放量" and t.at(1, 2).text == "0.44"
    assert t.at(2, 1).text == "单位能耗" and t.at(2, 2).text == "0.49"
    assert t.at(2, 0) is t.at(1, 0) and t.at(1, 0).text == "绿色化"       # the direction merged over the break
    # the same page 2 under a value cut at the foot (a full line ending at its cell's foot)
    t1_cut = chars("方向", 60, 610) + chars("指标", 130, 610) + chars("值", 310, 610) + \
        chars("绿色化", 60, 700) + chars("排放量", 130, 660) + chars("长" * 24, 310, 760)
    t2_cut = chars("续完。", 310, 80) + chars("其他", 60, 130) + chars("数量", 130, 130)
    doc = assemble("f.pdf", [_page(1, p1, t1_cut), _page(2, p2, t2_cut)], "pdf")
    (t,) = doc.blocks
    assert t.n_rows == 3 and t.at(1, 2).text == "长" * 24 + "续完。"
    # text in one cell only below the blank first column is the rest of the row, even where
    # the text above does not show its cut (a scan's last line read short of the cell's edge)
    t1_short = t1_cut[:-24] + chars("长" * 12, 310, 760)
    doc = assemble("f.pdf", [_page(1, p1, t1_short), _page(2, p2, t2_cut)], "pdf")
    (t,) = doc.blocks
    assert t.n_rows == 3 and t.at(1, 2).text.replace("\n", "") == "长" * 12 + "续完。"


def test_clean_break_keeps_rows_and_a_labels_vertical_merge_rejoins():
    # page 1 ends short of the foot of page 2's table: a clean break, rows appended
    p1 = box(50, 600, 550, 700, [600, 650, 700], [50, 200, 550])
    t1 = chars("年度", 60, 610) + chars("2021", 210, 610) + chars("排放量", 60, 660) + chars("0.85", 210, 660)
    p2 = box(50, 72, 550, 170, [72, 120, 170], [50, 200, 550])
    t2 = chars("0.80", 210, 80) + chars("其他", 60, 130) + chars("是", 210, 130)
    filler = chars("页" * 10, 50, 800)                      # text at the foot of page 2: the body reaches 810
    doc = assemble("f.pdf", [_page(1, p1, t1), _page(2, p2, t2 + filler)], "pdf")
    t = next(b for b in doc.blocks if hasattr(b, "cells"))
    assert t.n_rows == 4
    label = t.at(1, 0)
    assert label.text == "排放量" and label.row_span == 2 and t.at(2, 0) is label   # vMerge over the break
    assert t.at(2, 1).text == "0.80" and t.at(3, 0).text == "其他"


def test_ticks_in_cells_keep_their_boxes():
    rules = box(0, 0, 300, 40, [0, 40], [0, 100, 300])
    g1 = GlyphPiece(Glyph("box_ticked", "scan-ink", "☑", 0.9), (110, 10, 120, 20))
    g2 = GlyphPiece(Glyph("box_empty", "scan-ink", "☐", 0.95), (160, 10, 170, 20))
    pieces = chars("选项", 10, 10) + [g1] + chars("是", 122, 10) + [g2] + chars("否", 172, 10)
    (t,) = assemble("s.pdf", [_page(1, rules, pieces)], "scan").blocks
    (p,) = t.at(0, 1).paragraphs
    assert p.text == "☑是 ☐否" and [tk.state for tk in p.ticks] == [True, False]
    assert p.ticks[0].bbox == (110, 10, 120, 20) and p.ticks[0].confidence == 0.9


def test_a_line_closing_the_bracket_above_goes_on_its_paragraph():
    # an indented cover line wraps well short of the page's text column: 集群名称：…（…产 / 业）
    col = Column(60, 530)
    lines = group_lines(chars("集群名称：中小企业特色产业集群（肃州区新能源装备制造产", 98, 266, 15)
                        + chars("业）", 98, 305, 15) + chars("所属地区：酒泉市（州）", 98, 344, 15)
                        + chars("申报主体：某局", 98, 383, 15))
    paras = split_paragraphs(lines, col)
    assert ["".join(l.text for l in p) for p in paras] == [
        "集群名称：中小企业特色产业集群（肃州区新能源装备制造产业）", "所属地区：酒泉市（州）", "申报主体：某局"]
