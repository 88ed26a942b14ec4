"""Figures in evidence text: numbers with units normalised, years and dates kept apart, and
each figure tied to its indicator, year and the field's unit."""
import pytest

from extractors.evidence.nlp import concept_matcher
from extractors.evidence.patterns import load_patterns
from extractors.evidence.segments import Segment
from extractors.evidence.values import ValueReader
from pipeline.model import Source, load_catalogue
from pipeline.model.numbers import quantities, to_field_unit, unit_in_label, years


def q(text):
    return [(x.value, x.unit, x.decimals) for x in quantities(text)]


@pytest.mark.parametrize("text, want", [
    ("集群总产值45.6亿元", [(45.6, "亿元", 1)]),
    ("集群总产值４５．６０亿元", [(45.6, "亿元", 2)]),                 # full-width digits and point
    ("有效发明专利1,234件", [(1234.0, "件", 0)]),
    ("有效发明专利1，234件", [(1234.0, "件", 0)]),                     # full-width thousands separator
    ("从业人员2.3万人", [(2.3, "万人", 1)]),
    ("产值456,000万元", [(456000.0, "万元", 0)]),
    ("研发投入强度百分之三点五", [(3.5, "%", 1)]),
    ("上云比例百分之12.5", [(12.5, "%", 1)]),
    ("占比62.5%", [(62.5, "%", 1)]),
    ("实现产值四十五点六亿元", [(45.6, "亿元", 1)]),
    ("出具检验检测报告834份", [(834.0, "份", 0)]),                     # a measure word of its own: not bare
])
def test_quantities_are_normalised(text, want):
    assert q(text) == want


def test_years_dates_and_document_numbers_are_not_quantities():
    t = "2022年5月9日，工信部企业函〔2022〕123号认定，第12号，电话0851-2345678"
    assert [y for y, _, _ in years(t)] == [2022]
    assert q(t) == []


@pytest.mark.parametrize("value, unit, field_unit, header, want", [
    (456000.0, "万元", "亿元", "", 45.6),
    (4.56e9, "元", "亿元", "", 45.6),
    (2.3, "万人", "人", "", 23000.0),
    (31.8, "", "亿元", "亿元", 31.8),           # a bare table cell takes its header's unit
    (3180.0, "", "亿元", "万元", 0.318),
    (12.0, "%", "亿元", "", None),              # a percentage is not an output
    (120.0, "家", "亿元", "", None),            # nor is a count
    (834.0, "份", "个", "", None),              # an unknown unit never converts
])
def test_conversion_to_the_fields_unit(value, unit, field_unit, header, want):
    got = to_field_unit(value, unit, field_unit, load_patterns(), header)
    assert (got is None and want is None) or got == pytest.approx(want)


def test_unit_in_a_header_label():
    assert unit_in_label("集群总产值（亿元）") == "亿元"
    assert unit_in_label("单位产值二氧化碳排放量(吨二氧化碳/万元)") == "吨二氧化碳/万元"
    assert unit_in_label("企业名称") == ""


def reader(years=(2020, 2021, 2022)):
    return ValueReader(load_patterns(), concept_matcher(), load_catalogue(), list(years))


def read(text, years=(2020, 2021, 2022)):
    seg = Segment(text, Source("证明.pdf", page=2, bbox=(72.0, 300.0, 520.0, 330.0)), 0.93)
    return {r.field: (r.value, r.raw, r.step) for r in reader(years).from_sentence(seg)}


def test_a_sentence_gives_field_year_and_unit():
    got = read("2022年，集群总产值45.6亿元，同比增长12.5%，有效发明专利1,234件，中小企业从业人员2.3万人。")
    assert got["industry.total_output.2022"] == (45.6, "45.6亿元", pytest.approx(0.1))
    assert got["innovation.sme_patents"][0] == 1234
    assert got["innovation.sme_employees"][0] == pytest.approx(23000)
    assert got["innovation.sme_employees"][2] == pytest.approx(1000)   # 2.3万 is known to 0.1万
    assert len(got) == 3                                               # 12.5% is no field's figure here


def test_listed_years_zip_with_listed_figures():
    got = read("经核实，该集群2020年、2021年、2022年集群总产值分别为31.80亿元、362,500万元、39.8亿元。")
    assert {k: v[0] for k, v in got.items()} == pytest.approx(
        {"industry.total_output.2020": 31.8, "industry.total_output.2021": 36.25, "industry.total_output.2022": 39.8})


def test_a_year_outside_the_reporting_years_and_a_neighbouring_indicator_are_not_read():
    assert read("2019年集群总产值28.1亿元。") == {}
    assert read("2022年单位产值二氧化碳排放量为2.16吨/万元。") == {"green.co2_intensity.2022": (2.16, "2.16吨/万元", 0.01)}
    assert read("主导产业产值占集群总产值比例为85.5%。") == {}


# ------------------------------------------------------------------ units without 元, malformed numbers
@pytest.mark.parametrize("text, field, want", [
    ("2022年集群总产值44.06亿。", "industry.total_output.2022", 44.06),
    ("2022年集群总产值为35.38亿，同比增长8.1%。", "industry.total_output.2022", 35.38),
    ("2022年集群总产值466,500万。", "industry.total_output.2022", 46.65),
    ("2022年集群总产值466,500万元。", "industry.total_output.2022", 46.65),
    ("2022年集群总产值4406000000元。", "industry.total_output.2022", 44.06),
    ("2022年中小企业从业人员2.3万。", "innovation.sme_employees", 23000),
])
def test_a_magnitude_without_a_unit_takes_the_fields_kind(text, field, want):
    assert read(text)[field][0] == pytest.approx(want)


def test_a_number_run_together_by_a_text_layer_is_unreadable_not_its_first_part():
    from pipeline.model.numbers import malformed_numbers
    assert q("2022年，80.0.34，59.62") == [(59.62, "", 2)]
    assert malformed_numbers("2022年，80.0.34，59.62") == ["80.0.34"]
    assert malformed_numbers("2022.5.9印发，45.6亿元") == [] and q("2022.5.9印发") == []
    assert "industry.total_output.2022" not in read("2022年集群总产值80.0.34亿元。")


# ------------------------------------------------------------------ sentences across wraps, lists of years
def paragraphs(*lines, page_of=lambda i: 1):
    from pipeline.model import Document, Paragraph
    return Document(file="证明.pdf", format="pdf",
                    blocks=[Paragraph(t, Source("证明.pdf", page=page_of(i))) for i, t in enumerate(lines)])


def test_a_sentence_wrapped_inside_its_year_list_is_rebuilt_before_matching():
    from extractors.evidence.segments import segment
    doc = paragraphs("关于集群产值情况的证明", "经核实，该集群2020",
                     "年、2021年、2022年集群总产值分别为72.30亿元、77.52亿元、83.72", "— 2 —", "亿元。特此证明。",
                     page_of=lambda i: 1 if i < 3 else 2)
    got = {r.field: (r.value, r.paired, r.whole) for r in reader().read(segment(doc))}
    assert got == {"industry.total_output.2020": (72.3, (3, 3), True),
                   "industry.total_output.2021": (77.52, (3, 3), True),
                   "industry.total_output.2022": (83.72, (3, 3), True)}


def test_unequal_lists_of_years_and_figures_are_marked_misaligned():
    from extractors.evidence.segments import segment
    rs = reader().read(segment(paragraphs("年、2021年、2022年集群总产值分别为72.30亿元、77.52亿元、83.72亿元。")))
    assert rs and all(r.paired == (2, 3) and r.doubtful for r in rs)


@pytest.mark.parametrize("text", [
    "2020—2022年集群总产值分别为72.30、77.52、83.72亿元，年均增长7.6%。",
    "2020年、2021年和2022年，集群总产值依次为72.30亿、77.52亿、83.72亿。",
])
def test_year_ranges_and_bare_figures_in_a_list(text):
    got = read(text)
    assert {k: v[0] for k, v in got.items()} == pytest.approx(
        {"industry.total_output.2020": 72.3, "industry.total_output.2021": 77.52, "industry.total_output.2022": 83.72})


def test_a_sentence_a_table_cuts_is_not_whole():
    from extractors.evidence.segments import segment
    [s] = segment(paragraphs("2022年集群总产值为83.72亿元，")).segments
    assert s.whole is False


def test_a_misaligned_figure_is_linked_to_no_field():
    from extractors.evidence import link_document
    from pipeline.model import Extraction, FieldValue, SourceFile
    ext = Extraction("t", reporting_years=[2020, 2021, 2022],
                     fields={f"industry.total_output.{y}": FieldValue(v) for y, v in
                             [(2020, 72.3), (2021, 77.52), (2022, 83.72)]})
    link = link_document(ext, SourceFile("证明.pdf", "", "evidence", "pdf"),
                         paragraphs("年、2021年、2022年集群总产值分别为72.30亿元、77.52亿元、83.72亿元。"))
    assert link.values == {} and link.detail["values"][0]["paired"] == [2, 3]
