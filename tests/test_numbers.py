"""Numbers as Chinese forms and certificates write them."""
import pytest

from pipeline.model.numbers import decimals_of, parse_number


@pytest.mark.parametrize("text, value, unit", [
    ("45.60", 45.6, ""), ("４５．６０", 45.6, ""), ("1,234", 1234, ""), ("1，234.5 万元", 1234.5, "万元"),
    ("-3.20", -3.2, ""), ("−3.20", -3.2, ""), ("12.5%", 12.5, ""), ("百分之12.5", 12.5, ""),
    ("123 个", 123, "个"), ("约 45 亿元", 45, "亿元"), ("十二", 12, ""), ("二十三家", 23, "家"),
])
def test_parse_number(text, value, unit):
    n = parse_number(text)
    assert n is not None and n.value == pytest.approx(value) and n.unit == unit


@pytest.mark.parametrize("text", ["", "无", "二〇二二年数据", "45.6 和 47.2", "见附件"])
def test_not_a_single_number(text):
    assert parse_number(text) is None


def test_scaling_magnitude_words():
    assert parse_number("45.6亿元", scale_units=True).value == pytest.approx(4.56e9)
    assert parse_number("2.3万人", scale_units=True).value == pytest.approx(23000)
    assert parse_number("2.3万人", scale_units=True).unit == "人"


def test_decimals_as_written():
    assert decimals_of("45.600") == 3 and decimals_of("45") == 0 and decimals_of("４５．６") == 1


# one numbers module: the readings the form's and the evidence's parsers used to disagree on
@pytest.mark.parametrize("text, want", [
    ("十二", 12), ("二十三", 23), ("一百零五", 105), ("三千五百", 3500), ("二〇二二", 2022), ("四八", 48),
    ("四五", None), ("两三", None), ("七八", None),           # neighbouring digits: "four or five", no number
])
def test_chinese_numerals_one_reading(text, want):
    from pipeline.model.numbers import chinese_integer, quantities
    assert chinese_integer(text) == want
    n = parse_number(text + "家")
    assert (n is None and want is None) or n.value == want
    q = quantities(text + "家")
    assert (not q and want is None) or (q[0].value == want) or len(text) < 2


def test_a_malformed_cell_is_not_a_number():
    assert parse_number("80.0.34") is None
