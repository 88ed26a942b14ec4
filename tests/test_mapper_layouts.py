"""The form mapper does not depend on one exact layout.

Each test builds a small piece of the 申报表 in a layout a real filler produces (ASCII
brackets, stray spaces and line breaks in labels, blank rows, other years, option groups on
one line or one per line) and checks the field ids it yields.
"""
import pytest

from extractors.docx_reader import read_docx
from extractors.mapper import map_form

from .docx_builder import build

YEARLY_ROWS = [
    ["集群总产值（亿元）", "45.60", "50.20", "56.30"],
    ["集群内中小企业产值占集群总产值比例（%）", "80.00", "81.50", "82.00"],
]


def mapped(tmp_path, blocks):
    doc = read_docx(build(tmp_path / "f.docx", blocks))
    return map_form(doc)


def values(m, prefix):
    return {k: v.value for k, v in m.fields.items() if k.startswith(prefix)}


@pytest.mark.parametrize("years", [(2020, 2021, 2022), (2021, 2022, 2023)])
def test_years_from_the_header(tmp_path, years):
    m = mapped(tmp_path, ["二、主导产业情况", {"rows": [["主导产业情况（近三年）", *[f"{y}年" for y in years]],
                                                        *YEARLY_ROWS]}])
    assert m.reporting_years == list(years)
    assert values(m, "industry.total_output") == {f"industry.total_output.{y}": v
                                                  for y, v in zip(years, (45.6, 50.2, 56.3))}


@pytest.mark.parametrize("label", ["集群总产值(亿元)", "集群总 产值（亿元）", "集群总产值{br}（亿元）", " 集群总产值 （ 亿元 ） "])
def test_label_variants(tmp_path, label):
    m = mapped(tmp_path, ["二、主导产业情况", {"rows": [["主导产业情况（近三年）", "2020年", "2021年", "2022年"],
                                                        [label, "45.60", "50.20", "56.30"]]}])
    assert m.fields["industry.total_output.2022"].value == 56.3
    assert m.fields["industry.total_output.2022"].raw == "56.30"


def test_extra_blank_rows_and_other_widths(tmp_path):
    m = mapped(tmp_path, ["二、主导产业情况", {"rows": [["主导产业情况（近三年）", "2020年", "2021年", "2022年", ""],
                                                        ["", "", "", "", ""],
                                                        ["集群总产值（亿元）", "45.60", "50.20", "56.30", ""],
                                                        ["", "", "", "", ""],
                                                        ["集群企业数量", "120", "131", "140", ""]]}])
    assert m.fields["industry.total_output.2021"].value == 50.2
    assert m.fields["industry.enterprises.2022"].value == 140
    assert isinstance(m.fields["industry.enterprises.2022"].value, int)


@pytest.mark.parametrize("cell", [
    ["□第一产业", "☑第二产业", "□第三产业"],
    ["□第一产业  ☑第二产业  □第三产业"],
    ["□ 第一产业 ☑ 第二产业 □ 第三产业"],
])
def test_option_group_per_line_or_one_line(tmp_path, cell):
    m = mapped(tmp_path, ["一、基本情况", {"rows": [["主导产业所属产业类型", cell]]}])
    fv = m.fields["basic.industry_type"]
    assert fv.value == "第二产业" and fv.confidence == 1.0


def test_multi_group_with_label_inside_the_cell(tmp_path):
    m = mapped(tmp_path, ["七、治理和服务水平", {"rows": [["集群提供中小企业公共服务情况", [
        "集群已提供的中小企业公共服务：", "☑信息服务\t\t□创业辅导\t\t☑创新支持", "□人员培训\t\t☑市场营销\t\t□投融资服务",
        "□管理咨询", "（注：勾选需提供佐证材料）"]]]}])
    assert m.fields["governance.services"].value == ["信息服务", "创新支持", "市场营销"]


def test_an_option_label_wrapped_onto_a_line_of_its_own_is_read_whole(tmp_path):
    """A printer wrapped a long option label early, and its rest (no box) became a paragraph of
    its own: the ticked option is still the long one, read with its rest."""
    m = mapped(tmp_path, ["二、主导产业情况", {"rows": [["集群已开展的制造资源共享工作", [
        "□建有产业链上下游产供销一体化协同协作机制", "☑建立共享制造机制，开展通用生产设备、物流、仓",
        "储、人力、设计等资源共享", "☑开展同类设备和产品的集中采销", "□建立共享车间、共享工厂",
        "（注：勾选需提供佐证材料）"]]]}])
    assert m.fields["industry.sharing"].value == [
        "建立共享制造机制，开展通用生产设备、物流、仓储、人力、设计等资源共享", "开展同类设备和产品的集中采销"]


def test_choice_none_and_multiple(tmp_path):
    m = mapped(tmp_path, ["一、基本情况", {"rows": [["主导产业所属产业类型", ["□第一产业", "□第二产业", "□第三产业"]],
                                                 ["获得省级中小企业特色产业集群", ["☑是", "☑否"]]]}])
    assert m.fields["basic.industry_type"].value is None
    assert m.fields["basic.industry_type"].note == "choice.none"
    assert m.fields["basic.provincial_cluster"].value == ["是", "否"]


def test_unknown_glyph_lowers_confidence_and_says_why(tmp_path):
    m = mapped(tmp_path, ["一、基本情况", {"rows": [["获得省级中小企业特色产业集群", ["{sym:Wingdings:F0B5}是", "□否"]]]}])
    fv = m.fields["basic.provincial_cluster"]
    assert fv.confidence <= 0.3 and "unknown_glyph" in fv.note and "是" in fv.note


def test_vertical_years_and_two_row_years(tmp_path):
    m = mapped(tmp_path, [
        "四、数字化升级情况",
        {"rows": [["工业软件采购金额（万元）", "2020年", "2021年", "2022年"], [None, "120.00", "150.50", "180.00"]],
         "merges": [(0, 0, 1, 0)]},
        "五、绿色化转型情况",
        {"rows": [["近三年单位产值二氧化碳排放量（吨二氧化碳/万元）", "2020年", "0.95"], [None, "2021年", "0.90"],
                  [None, "2022年", "0.86"], [None, "（注：单位产值二氧化碳排放量需提供计算公式）", None]],
         "merges": [(0, 0, 3, 0), (3, 1, 3, 2)]},
    ])
    assert values(m, "digital.software_spend") == {"digital.software_spend.2020": 120.0,
                                                   "digital.software_spend.2021": 150.5,
                                                   "digital.software_spend.2022": 180.0}
    assert values(m, "green.co2_intensity") == {"green.co2_intensity.2020": 0.95, "green.co2_intensity.2021": 0.9,
                                                "green.co2_intensity.2022": 0.86}


def test_standards_matrix_under_year_header(tmp_path):
    hdr = ["年度", "2020年", None, None, "2021年", None, None, "2022年", None, None]
    sub = ["集群中小企业近三年主持（起草单位排名前三位）或参与制修订标准数量情况（需提供清单）",
           "类别", "主持数量", "参与数量", "类别", "主持数量", "参与数量", "类别", "主持数量", "参与数量"]
    rows = [hdr, sub]
    for i, lvl in enumerate(["国际", "国家", "行业", "团体"]):
        row = [None]
        for y in range(3):
            row += [lvl, str(i + y), str(10 * i + y)]
        rows.append(row)
    m = mapped(tmp_path, ["三、创新能力情况", {"rows": rows, "merges": [(0, 1, 0, 3), (0, 4, 0, 6), (0, 7, 0, 9), (1, 0, 5, 0)]}])
    v = values(m, "innovation.standards")
    assert len(v) == 24
    assert v["innovation.standards.2020.intl.lead"] == 0
    assert v["innovation.standards.2022.group.join"] == 32
    assert v["innovation.standards.2021.industry.lead"] == 3


def test_platform_count_and_names(tmp_path):
    m = mapped(tmp_path, ["三、创新能力情况", {"rows": [
        ["创新平台建设情况", "国家制造业创新中心或国家级创新平台名称及数量", ["数量：  2 个", "名称：国家辣椒工程技术研究中心、国家级质检中心"]],
        [None, "省级制造业创新中心或省级创新平台名称及数量", ["数量：  无", "名称：无"]]],
        "merges": [(0, 0, 1, 0)]}])
    assert m.fields["innovation.platforms_national.count"].value == 2
    assert m.fields["innovation.platforms_national.names"].value == "国家辣椒工程技术研究中心、国家级质检中心"
    assert m.fields["innovation.platforms_provincial.count"].value is None
    assert m.fields["innovation.platforms_provincial.count"].raw == "无"


def test_cover_lines(tmp_path):
    m = mapped(tmp_path, [
        "贵州省中小企业特色产业集群申报表",
        "集群名称：中小企业特色产业集群（绥阳县辣椒产业）",
        "所属地区：遵义市（州）  绥阳县（市、区）",
        "申报主体：绥阳县工业和信息化局（盖章）",
        "集群运营管理机构：绥阳县辣椒产业发展中心",
        "申报时间：2023年3月20日",
        "联系人及联系电话：王明 0851-26221234",
        "填报说明",
    ])
    v = values(m, "cover.")
    assert v == {"cover.cluster_name": "中小企业特色产业集群（绥阳县辣椒产业）", "cover.city": "遵义",
                 "cover.county": "绥阳", "cover.applicant": "绥阳县工业和信息化局",
                 "cover.operator": "绥阳县辣椒产业发展中心", "cover.date": "2023年3月20日",
                 "cover.contact": "王明 0851-26221234"}
    assert m.application_year == 2023 and m.application_date == "2023-03-20"


def test_narrative_with_label_and_note_in_label_cell(tmp_path):
    m = mapped(tmp_path, ["二、主导产业情况", {"rows": [
        ["集群供应链风险评估情况{br}（200字以内）", ["建立了供应链风险监测机制。", "", "每季度评估一次。"]]]}])
    assert m.fields["industry.risk_text"].value == "建立了供应链风险监测机制。\n每季度评估一次。"


@pytest.mark.parametrize("lines, name", [
    (["集群名称：中小企业特色产业集群（肃州区新能源装备制造产", "业）"], "中小企业特色产业集群（肃州区新能源装备制造产业）"),
    (["集群名称：中小企业特色产业集群（肃州区新能源装备制造产业）"], "中小企业特色产业集群（肃州区新能源装备制造产业）"),
    # an open bracket the next lines do not close: nothing is taken from them
    (["集群名称：中小企业特色产业集群（肃州区", "甘肃省工业和信息化厅 制"], "中小企业特色产业集群（肃州区"),
])
def test_cover_line_wrapped_by_the_printer(tmp_path, lines, name):
    m = mapped(tmp_path, ["甘肃省中小企业特色产业集群申报表", *lines, "所属地区：酒泉市（州）肃州县（市、区）",
                          "申报主体：肃州区工业和信息化局"])
    assert m.fields["cover.cluster_name"].value == name
    assert m.fields["cover.applicant"].value == "肃州区工业和信息化局"


@pytest.mark.parametrize("heading, found", [
    ("一、基本情况", True),
    ("、基本情况", True),          # a scan's 一 taken for a ruling line and painted out
    ("基本情况", True),
    ("基水情况", True),            # ... and one character misread, on its own line
    ("基本情况介绍", False),       # other words: not the heading
    ("基本概况介绍", False),
])
def test_a_section_heading_that_lost_its_numeral(tmp_path, heading, found):
    m = mapped(tmp_path, ["封面", heading, {"rows": [["主导产业所属产业类型", ["☑第一产业", "□第二产业"]]]},
                          "二、主导产业情况"])
    assert m.fields["basic.industry_type"].value == "第一产业"
    assert any("一、基本情况" in w for w in m.warnings) is not found


@pytest.mark.parametrize("label", [
    "集群名称（中小企业特色产业集群（XX县（市、区）XX产业））",
    "集群名称：（中小企业特色产业集群（XX县（市、区） X产业））",      # a scan's misreading of the note
])
def test_a_labels_printed_note_misread_is_not_its_value(tmp_path, label):
    m = mapped(tmp_path, ["一、基本情况", {"rows": [[label, "中小企业特色产业集群（凯里市特色食品产业）"]]}])
    assert m.fields["basic.cluster_name"].value == "中小企业特色产业集群（凯里市特色食品产业）"


def test_seals_and_a_signature_between_running_paragraphs_belong_to_their_region():
    """A form that prints its declaration as running paragraphs (the .doc form of suiyang, held-out
    s7c): the seal stands in the blank under 县（市、区）…（公章）：, the signature right of
    单位负责人（签字）： — inside no paragraph's box.  All three marks were read absent at 0.85,
    silently.  A region of paragraphs holds the stretch of page from its first line to the next
    region's label; a mark there is its, one below the next label is the next region's."""
    from pipeline.model.document import Document, Mark, Page, Paragraph, Source
    f = "scan.pdf"

    def para(text, y):
        return Paragraph(text, Source(f, 1, (70.0, y, 70.0 + 14 * len(text), y + 14)), 0.98)
    blocks = [para("九、真实性声明及推荐意见", 60), para("真实性声明本单位承诺此次申报中小企业特色产业集群的申请材料真实、合法。", 90),
              para("单位负责人（签字）：", 160), para("县（市、区）工信部门或集群所在地开发区管委会（公章）：", 190),
              para("2023年5月9日市（州）工信部门推荐意见经审核，申报材料真实、完整，同意推荐。", 330),
              para("推荐单位（公章）：", 500), para("2023年5月17日", 520)]
    marks = [Mark("signature", 0.75, Source(f, 1, (330.0, 150.0, 420.0, 175.0))),
             Mark("seal", 0.99, Source(f, 1, (330.0, 215.0, 420.0, 305.0))),
             Mark("seal", 0.99, Source(f, 1, (330.0, 400.0, 420.0, 490.0)))]
    doc = Document(f, "pdf", blocks=blocks, pages=[Page(1, 595.0, 842.0, "scan")], marks=marks)
    m = map_form(doc).fields
    assert m["declaration.signed"].value is True and m["declaration.sealed"].value is True
    assert m["recommendation.sealed"].value is True
    # without the recommendation's seal, the declaration's is not taken for it
    doc.marks = marks[:2]
    m = map_form(doc).fields
    assert m["declaration.sealed"].value is True and m["recommendation.sealed"].value is False
