"""Section 八 read from the catalogue, whatever the table structure, and wrapped labels.

Each test builds a small made-up form in one of the structures fillers and printers produce
(the target table nested in the plan's cell, merged into the section's table between rows of
text, in its own table, split over two tables; a long label wrapped over cells) and checks
that ``plan.text`` is the applicant's text, in order and complete, and ``plan.targets`` the
target rows, nothing more.
"""
import pytest

from extractors.docx_reader import read_docx
from extractors.mapper import map_form
from pipeline.model.text import norm

from .docx_builder import build

HEADING = "八、未来三年中小企业特色产业集群发展规划"
BEFORE = ["（3000字以内）", "一、集群基本情况简介", "集群位于某县，是某县的支柱产业。", "二、发展成效",
          "一是主导产业优势不断提升。", "（2） 发展目标", "1.三年总体目标"]
AFTER = ["（备注：基准值须符合中小企业特色产业集群认定标准，2026年目标值须符合以下要求：",
         "a. 产值年均增速不低于5%", "g. 集群单位工业产值能耗下降达到10%左右）", "2.阶段性目标",
         "（1）2024年度：集群总产值达到51.86亿元。", "（4） 保障措施", "一是加强组织领导。"]
OWN_WORDS = ["集群位于某县，是某县的支柱产业。", "一是主导产业优势不断提升。", "集群总产值达到51.86亿元。",
             "一是加强组织领导。"]
HEADER = ["方向", "指标", "2023年基准值", "2026年目标值"]
TARGETS = [["主导产业", "集群产值年均增速", "9.48", "11.96"],
           ["主导产业", "集群总产值（亿元）", "46.32", "65.01"],
           ["开放合作", "定性描述", "境外分支机构12个", "境外分支机构达到15个"]]
EXPECTED_TARGETS = [
    {"direction": "主导产业", "indicator": "集群产值年均增速", "baseline": 9.48, "target": 11.96},
    {"direction": "主导产业", "indicator": "集群总产值（亿元）", "baseline": 46.32, "target": 65.01},
    {"direction": "开放合作", "indicator": "定性描述", "baseline": "境外分支机构12个", "target": "境外分支机构达到15个"},
]
DECLARATION = "九、真实性声明及推荐意见"


def mapped(tmp_path, blocks):
    return map_form(read_docx(build(tmp_path / "f.docx", blocks)))


def assert_plan(m):
    text = m.fields["plan.text"].value
    assert text is not None
    assert text.split("\n") == OWN_WORDS                # the applicant's words, in order, nothing printed
    assert m.fields["plan.targets"].value == EXPECTED_TARGETS


def test_target_table_nested_in_the_plan_cell(tmp_path):
    cell = [*BEFORE, {"rows": [HEADER, *TARGETS]}, *AFTER]
    m = mapped(tmp_path, [HEADING, {"rows": [[cell]]}, DECLARATION])
    assert_plan(m)


def test_target_rows_merged_into_the_section_table(tmp_path):
    rows = [[BEFORE, None, None, None], HEADER, *TARGETS, [AFTER, None, None, None]]
    last = len(rows) - 1
    m = mapped(tmp_path, [HEADING, {"rows": rows, "merges": [(0, 0, 0, 3), (last, 0, last, 3)]}, DECLARATION])
    assert_plan(m)                                       # no 4th "target row" holding the text after


def test_target_table_on_its_own_between_text_tables(tmp_path):
    m = mapped(tmp_path, [HEADING, {"rows": [[BEFORE]]}, {"rows": [HEADER, *TARGETS]}, {"rows": [[AFTER]]},
                          DECLARATION])
    assert_plan(m)


def test_plan_and_target_table_split_over_two_tables(tmp_path):
    # a page break cut the section's table: text and the first target rows, then the rest
    first = {"rows": [[BEFORE, None, None, None], HEADER, TARGETS[0]], "merges": [(0, 0, 0, 3)]}
    second = {"rows": [*TARGETS[1:], [AFTER, None, None, None]], "merges": [(2, 0, 2, 3)]}
    m = mapped(tmp_path, [HEADING, first, second, DECLARATION])
    assert_plan(m)


def test_a_target_row_cut_by_the_page_break_is_one_row(tmp_path):
    # the break cut the last row's target: its rest is the next table's first row, under no
    # direction and no indicator (a scan's two page grids are found apart)
    cut = ["开放合作", "定性描述", "境外分支机构12个", "境外分支机构达到15个，主导产品"]
    first = {"rows": [[BEFORE, None, None, None], HEADER, *TARGETS[:2], cut], "merges": [(0, 0, 0, 3)]}
    second = {"rows": [["", "", "", "出口额年均增长10%以上"], ["治理和服务", "定性描述", "服务企业592家次", "满意度95%以上"],
                       [AFTER, None, None, None]], "merges": [(2, 0, 2, 3)]}
    m = mapped(tmp_path, [HEADING, first, second, DECLARATION])
    assert m.fields["plan.targets"].value == [
        *EXPECTED_TARGETS[:2],
        {"direction": "开放合作", "indicator": "定性描述", "baseline": "境外分支机构12个",
         "target": "境外分支机构达到15个，主导产品出口额年均增长10%以上"},
        {"direction": "治理和服务", "indicator": "定性描述", "baseline": "服务企业592家次", "target": "满意度95%以上"}]


def test_printed_guidance_broken_anywhere_is_dropped(tmp_path):
    # a reader that returns lines: the printed 备注 and a heading broken mid-phrase
    before = ["（3000字以内）", "一、集群基本", "情况简介", "集群位于某县，是某县的支柱产业。", "二、发展成效",
              "一是主导产业优势不断提升。"]
    after = ["（备注：基准值须符合中小企业特色产业集群认定", "标准，2026年目标值须符合以下要求：", "a. 产值年均增速不低",
             "于5%", "g. 集群单位工业产值能耗下降达到10%左右）", "（1）2024年度：集群总产值达到51.86亿元。",
             "（4） 保障措施", "一是加强组织领导。"]
    m = mapped(tmp_path, [HEADING, {"rows": [[[*before, {"rows": [HEADER, *TARGETS]}, *after]]]}, DECLARATION])
    assert_plan(m)


def test_a_printed_heading_with_one_misread_character_is_dropped(tmp_path):
    # a scan's OCR slip in a printed heading (目→自, 目→日) must not join the applicant's text;
    # a line two characters away from every printed phrase is the applicant's own
    before = [*BEFORE[:-1], "1.三年总体自标"]
    after = [*AFTER[:3], "2.阶段性日标", *AFTER[4:6], "3.阶段性指标", *AFTER[6:]]
    m = mapped(tmp_path, [HEADING, {"rows": [[[*before, {"rows": [HEADER, *TARGETS]}, *after]]]}, DECLARATION])
    text = m.fields["plan.text"].value.split("\n")
    assert text == [*OWN_WORDS[:3], "3.阶段性指标", OWN_WORDS[3]]


def test_heading_after_a_running_header_on_its_line(tmp_path):
    m = mapped(tmp_path, ["中小企业特色产业集群申报表" + HEADING, {"rows": [[[*BEFORE, {"rows": [HEADER, *TARGETS]}, *AFTER]]]},
                          DECLARATION])
    assert_plan(m)
    assert not [w for w in m.warnings if "plan" in w]


def test_no_target_table_is_a_warning_not_a_guess(tmp_path):
    m = mapped(tmp_path, [HEADING, {"rows": [[[*BEFORE, *AFTER]]]}, DECLARATION])
    assert "plan.targets" not in m.fields
    assert any("plan.targets" in w for w in m.warnings)
    assert m.fields["plan.text"].value.split("\n") == OWN_WORDS


# ------------------------------------------------------------------ wrapped long labels
PATENTS = "集群内中小企业有效发明专利拥有量（包括发明专利、国防专利、植物新品种、国家级农作物品种、国家新药、国家一级中药保护品种、集成电路布图设计专有权等）"
SECTION = "三、创新能力情况"


def _wraps():
    """The label cut into two or three lines at several places (a printer's column width)."""
    n = len(PATENTS)
    for cuts in [(22,), (30,), (16, 40), (45, n - 3), (n - 1,)]:
        pieces, a = [], 0
        for c in (*cuts, n):
            pieces.append(PATENTS[a:c])
            a = c
        yield pieces


@pytest.mark.parametrize("pieces", list(_wraps()))
def test_wrapped_label_continuation_in_the_cell_below_is_not_the_value(tmp_path, pieces):
    # each printed line of the label in its own row (rules drawn between them), value beside the first
    rows = [[pieces[0], "89"], *[[p, ""] for p in pieces[1:]], ["协同创新总体情况", "集群协同创新。"]]
    m = mapped(tmp_path, [SECTION, {"rows": rows}])
    fv = m.fields["innovation.sme_patents"]
    assert fv.value == 89 and fv.note is None


@pytest.mark.parametrize("pieces", list(_wraps()))
def test_wrapped_label_value_beside_its_last_line(tmp_path, pieces):
    rows = [*[[p, ""] for p in pieces[:-1]], [pieces[-1], "89"], ["协同创新总体情况", "集群协同创新。"]]
    m = mapped(tmp_path, [SECTION, {"rows": rows}])
    assert m.fields["innovation.sme_patents"].value == 89


@pytest.mark.parametrize("pieces", list(_wraps()))
def test_wrapped_label_continuation_at_the_start_of_the_value_cell(tmp_path, pieces):
    # a reader that put the label's last line(s) in the value's cell, above the figure
    rows = [[pieces[0], [*pieces[1:], "89"]], ["协同创新总体情况", "集群协同创新。"]]
    m = mapped(tmp_path, [SECTION, {"rows": rows}])
    assert m.fields["innovation.sme_patents"].value == 89


@pytest.mark.parametrize("pieces", list(_wraps()))
def test_wrapped_label_then_its_value_in_one_cell(tmp_path, pieces):
    m = mapped(tmp_path, [SECTION, {"rows": [[[*pieces, "89"]], ["协同创新总体情况", "集群协同创新。"]]}])
    assert m.fields["innovation.sme_patents"].value == 89


def test_label_continuation_with_an_ocr_slip(tmp_path):
    slipped = PATENTS[40:].replace("集成电路", "集戍电路")
    rows = [[PATENTS[:40], "89"], [slipped, ""]]
    m = mapped(tmp_path, [SECTION, {"rows": rows}])
    assert m.fields["innovation.sme_patents"].value == 89


def test_a_value_that_begins_like_its_label_is_kept(tmp_path):
    # the whole label was found: nothing of the value is taken for label
    m = mapped(tmp_path, ["二、主导产业情况", {"rows": [["集群产业链培育和招商情况（200字以内）",
                                                        "集群产业链培育和招商情况良好，引进企业12家。"]]}])
    assert norm(m.fields["industry.chain_text"].value) == norm("集群产业链培育和招商情况良好，引进企业12家。")


# ------------------------------------------------------------------ typed signature
@pytest.mark.parametrize("line, signed", [("单位负责人（签字）：张三", True), ("单位负责人（签字）：", False),
                                          ("单位负责人（签字）：（公章）", False)])
def test_typed_signature_words_from_the_catalogue(tmp_path, line, signed):
    m = mapped(tmp_path, [DECLARATION, {"rows": [["真实性声明", ["本单位承诺……", line, "2024年3月1日"]],
                                                 ["市（州）工信部门推荐意见", "同意推荐。"]]}])
    assert m.fields["declaration.signed"].value is signed


def test_a_target_row_with_baseline_and_target_merged_does_not_end_the_table(tmp_path):
    rows = [HEADER, TARGETS[0], ["治理和服务", "定性描述", "建成公共服务体系", None], *TARGETS[1:]]
    m = mapped(tmp_path, [HEADING, {"rows": [[BEFORE]]}, {"rows": rows, "merges": [(2, 2, 2, 3)]},
                          {"rows": [[AFTER]]}, DECLARATION])
    got = m.fields["plan.targets"].value
    assert [r["indicator"] for r in got] == ["集群产值年均增速", "定性描述", "集群总产值（亿元）", "定性描述"]
    assert got[1]["baseline"] == got[1]["target"] == "建成公共服务体系"


def test_two_forms_mapped_in_threads_at_once(tmp_path):
    """The mapper keeps no state between calls: two forms mapped at once give what each gives alone."""
    from concurrent.futures import ThreadPoolExecutor
    a = read_docx(build(tmp_path / "a.docx", [HEADING, {"rows": [[[*BEFORE, {"rows": [HEADER, *TARGETS]}, *AFTER]]]},
                                               DECLARATION]))
    b = read_docx(build(tmp_path / "b.docx", [SECTION, {"rows": [[PATENTS[:30], "89"], [PATENTS[30:], ""]]}]))
    alone = [map_form(a).fields, map_form(b).fields]
    with ThreadPoolExecutor(4) as ex:
        together = list(ex.map(lambda d: map_form(d).fields, [a, b, a, b]))
    assert together == alone * 2


def test_a_target_cell_holding_a_doubtful_character_puts_the_targets_below_the_bar_with_its_reason(tmp_path):
    """plan.targets read “ 带一路” on a scan (the thin 一 lost after the quote, held-out s7b
    chenghai) was flagged by its cell's confidence but said nothing: the doubt of the target
    cell now reaches the field's note, as for every other text value."""
    from pipeline.model.document import Doubt
    from pipeline.model.extraction import UNREADABLE_BELOW
    cell = [*BEFORE, {"rows": [HEADER, *TARGETS]}, *AFTER]
    doc = read_docx(build(tmp_path / "f.docx", [HEADING, {"rows": [[cell]]}, DECLARATION]))
    (para,) = [p for p in doc.iter_paragraphs() if p.text == "境外分支机构达到15个"]
    para.doubts = [Doubt("达", 1.0, "分支机构达到15", 4, "lost")]
    fv = map_form(doc).fields["plan.targets"]
    assert fv.value == EXPECTED_TARGETS
    assert fv.confidence < UNREADABLE_BELOW and fv.note == "「分支机构」与「达到15」之间似漏识一字或标点"
    para.doubts = [Doubt("达", 1.0, "某县的达到", 3, "lost")]          # a doubt in text not in the table
    assert map_form(doc).fields["plan.targets"].confidence >= UNREADABLE_BELOW
