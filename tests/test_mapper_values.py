"""A cell's text into a typed value: the printed unit is not a value."""
from extractors.mapper.values import parse_typed


def test_a_cell_holding_only_its_printed_unit_is_empty_not_a_bad_number():
    assert parse_typed("个", "int", "个") == (None, "empty")
    assert parse_typed("（个）", "int", "个") == (None, "empty")
    assert parse_typed("亿元", "number", "亿元") == (None, "empty")


def test_a_number_with_its_unit_is_the_number():
    assert parse_typed("12 个", "int", "个") == (12, None)
    assert parse_typed("45.60亿元", "number", "亿元") == (45.6, None)
    assert parse_typed("12（个）", "int", "个") == (12, None)
    assert parse_typed("个12", "int", "个") == (None, "bad_number")


def test_a_plan_indicator_is_known_with_its_printed_unit_after_it():
    from validators.plan import indicator_entry
    assert indicator_entry("有效发明专利数量（件）") is indicator_entry("有效发明专利数量") is not None
    assert indicator_entry("有效发明专利数量(件)") is not None
    assert indicator_entry("完全不同的指标（件）") is None
