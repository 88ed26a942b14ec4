"""Figures in evidence text: numbers with units normalised, years and dates kept apart, and
each figure tied to its indicator, year and the field's unit."""
import pytest

from extractors.evidence.nlp import concept_matcher
from pipeline.model.numbers import quantities, to_field_unit, unit_in_label, years
from extractors.evidence.patterns import load_patterns
from extractors.evidence.segments import Segment
from extractors.evidence.values import ValueReader
from pipeline.model import Source, load_catalogue


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
