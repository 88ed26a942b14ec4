"""Every tick encoding found in real Word forms reads as the same ticked/unticked state."""
import pytest

from extractors.docx_reader import read_docx
from pipeline.model import Source
from pipeline.model.ticks import build_paragraph

from .docx_builder import build


def ticks_of(tmp_path, line):
    p = build(tmp_path / "t.docx", [{"rows": [["选项", [line]]]}])
    doc = read_docx(p)
    cell = doc.blocks[0].cells[1]
    return [(t.state, seg.strip()) for t, seg in cell.paragraphs[0].option_segments()], cell


@pytest.mark.parametrize("line, expected", [
    ("□第一产业 ☑第二产业 □第三产业", [False, True, False]),
    ("□第一产业 ■第二产业 □第三产业", [False, True, False]),
    ("□第一产业 √第二产业 □第三产业", [False, True, False]),
    ("□第一产业 ✓第二产业 □第三产业", [False, True, False]),
    ("□第一产业 ✔第二产业 □第三产业", [False, True, False]),
    ("□第一产业 ☒第二产业 □第三产业", [False, True, False]),
    ("□第一产业 ✗第二产业 □第三产业", [False, True, False]),
    ("□第一产业 □√第二产业 □第三产业", [False, True, False]),
    ("□第一产业 √□第二产业 □第三产业", [False, True, False]),
    ("☐第一产业 ☐第二产业 ☑第三产业", [False, False, True]),
])
def test_typed_characters(tmp_path, line, expected):
    got, _ = ticks_of(tmp_path, line)
    assert [s for s, _ in got] == expected
    assert [lab for _, lab in got] == ["第一产业", "第二产业", "第三产业"]


@pytest.mark.parametrize("font, code, state", [
    ("Wingdings", "F0FE", True), ("Wingdings", "F0FD", True), ("Wingdings", "F0A8", False),
    ("Wingdings", "F06F", False), ("Wingdings 2", "F052", True), ("Wingdings 2", "F0A3", False),
    ("Wingdings 2", "F054", True),
])
def test_wsym_symbols(tmp_path, font, code, state):
    got, _ = ticks_of(tmp_path, f"{{sym:{font}:{code}}}是  {{sym:Wingdings:F0A8}}否")
    assert got == [(state, "是"), (False, "否")]


def test_symbol_font_run_with_private_use_character(tmp_path):
    got, _ = ticks_of(tmp_path, "{wdtext:F0FE}是 {wdtext:F06F}否")
    assert got == [(True, "是"), (False, "否")]


@pytest.mark.parametrize("checked", [True, False])
def test_content_control_checkbox(tmp_path, checked):
    got, cell = ticks_of(tmp_path, f"{{sdt:{int(checked)}}}是 {{sdt:0}}否")
    assert got == [(checked, "是"), (False, "否")]
    assert cell.ticks[0].encoding == "sdt-checkbox"


def test_content_control_state_wins_over_displayed_glyph(tmp_path):
    # a control whose w14:checked says 0 while its text shows ☒ is unticked
    import docx
    p = build(tmp_path / "c.docx", [{"rows": [["x", "{sdt:0}否"]]}])
    d = docx.Document(str(p))
    for t in d.element.body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"):
        if t.text == "☐":
            t.text = "☒"
    d.save(str(p))
    cell = read_docx(p).blocks[0].cells[1]
    assert [t.state for t in cell.ticks] == [False]


@pytest.mark.parametrize("token, state", [("ffcb:1", True), ("ffcb:0", False), ("ffcb:default1", True)])
def test_legacy_formcheckbox(tmp_path, token, state):
    got, cell = ticks_of(tmp_path, f"{{{token}}}是 {{ffcb:0}}否")
    assert got == [(state, "是"), (False, "否")]
    assert cell.ticks[0].encoding == "formcheckbox"


def test_unknown_symbol_is_reported_not_unticked(tmp_path):
    got, _ = ticks_of(tmp_path, "{sym:Wingdings:F0B5}是 {sym:Wingdings:F0A8}否")
    assert got[0] == (None, "是")
    p = build(tmp_path / "u.docx", [{"rows": [["x", "{sym:Wingdings:F0B5}是"]]}])
    assert any("F0B5" in w for w in read_docx(p).warnings)


def test_trailing_mark_ticks_the_label_before_it():
    p = build_paragraph(["□是√  □否"], Source("x"))
    assert [(t.state, seg.strip()) for t, seg in p.option_segments()] == [(True, "是"), (False, "否")]


def test_mark_in_place_of_box_and_text_markers():
    p = build_paragraph(["√是  □否"], Source("x"))
    assert p.text == "☑是  ☐否"
    assert p.plain_text() == "是  否"
