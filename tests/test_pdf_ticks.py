"""Tick glyphs in PDF text layers, by font name and code point: each encoding as LibreOffice
prints it in the committed renditions, symbol fonts as Word/WPS print them (hand-written PDFs
with Wingdings / Wingdings 2 / Symbol fonts), and vector-drawn checkboxes."""
import pytest

from extractors import read_file
from extractors.pdf.symbols import OPENSYMBOL_CONFLICTS, classify_pdf_char
from extractors.pdf.vector_boxes import find_vector_boxes
from pipeline.model.glyphs import BOX_EMPTY, BOX_TICKED, MARK, OTHER, UNKNOWN

from .expected import DOSSIERS, load_expected
from .pdf_fixtures import PageSpec, write_pdf


def test_opensymbol_lookup_is_unambiguous():
    assert OPENSYMBOL_CONFLICTS == ()


@pytest.mark.parametrize("text,font,cls", [
    ("\uf0fe", "FAAAAA+OpenSymbol", BOX_TICKED), ("\uf0a8", "FAAAAA+OpenSymbol", BOX_EMPTY),
    ("\uf0fd", "FAAAAA+OpenSymbol", BOX_TICKED), ("\uf06f", "FAAAAA+OpenSymbol", BOX_EMPTY),
    ("\uf052", "FAAAAA+OpenSymbol", BOX_TICKED), ("\uf054", "FAAAAA+OpenSymbol", BOX_TICKED),
    ("\uf0a3", "FAAAAA+OpenSymbol", BOX_EMPTY),
    ("þ", "ABCDEF+Wingdings-Regular", BOX_TICKED), ("¨", "Wingdings", BOX_EMPTY),
    ("\uf0fe", "Wingdings", BOX_TICKED), ("R", "Wingdings2", BOX_TICKED), ("£", "Wingdings 2", BOX_EMPTY),
    ("Ö", "SymbolMT", MARK), ("(cid:254)", "XYZ+Wingdings", BOX_TICKED),
    ("☑", "DejaVuSans", BOX_TICKED), ("☐", "MS-Gothic", BOX_EMPTY), ("□", "SimSun", BOX_EMPTY),
    ("√", "SimSun", MARK), ("✔", "DejaVuSans", MARK),
    ("\ue123", "SimSun", UNKNOWN), ("\uf0b6", "FAAAAA+OpenSymbol", UNKNOWN),
    ("中", "SimSun", None), ("R", "Helvetica", None), ("(cid:12)", "SimSun", None),
    # a symbol font's code printed in LibreOffice's fallback text font keeps its meaning
    ("\uf052", "FAAAAA+DejaVuSans", BOX_TICKED), ("\uf0a8", "DejaVuSans", BOX_EMPTY), ("\uf0b6", "SimSun", UNKNOWN),
    # ZapfDingbats by its own codes; a symbol font whose ToUnicode gives a real tick character
    ("4", "ZapfDingbats", MARK), ("o", "ZapfDingbats", BOX_EMPTY), ("n", "ABCDEF+ZapfDingbatsITC", BOX_TICKED),
    ("l", "ZapfDingbats", OTHER), ("☑", "Wingdings", BOX_TICKED), ("✔", "ZapfDingbats", MARK),
])
def test_char_classes(text, font, cls):
    assert classify_pdf_char(text, font)[0] == cls


ENCODINGS = {
    "gz-renhuai-baijiu-packaging-pdf": ("pdf:OpenSymbol(Wingdings):F0FE", "pdf:OpenSymbol(Wingdings):F0A8"),
    "gs-dingxi-potato-pdf": ("pdf:OpenSymbol(Wingdings 2):F052", "pdf:OpenSymbol(Wingdings 2):F0A3"),
    "gx-rongxian-furniture-pdf": ("pdf-char:☒", "pdf-char:☐"),
    "gx-beiliu-ceramics-pdf": ("pdf-vector-box", "pdf-vector-box"),
    "gd-chenghai-toys-pdf": ("pdf-char:■", "pdf-char:□"),
}


@pytest.mark.parametrize("dossier", sorted(ENCODINGS))
def test_each_rendition_prints_its_encoding_and_every_tick_is_decided(dossier):
    exp = load_expected(dossier)
    doc = read_file(DOSSIERS / dossier / exp["form_file"])
    ticks = [t for p in doc.iter_paragraphs() for t in p.ticks]
    ticked, unticked = ENCODINGS[dossier]
    assert any(t.state is True and t.encoding.startswith(ticked) for t in ticks)
    assert any(t.state is False and t.encoding.startswith(unticked) for t in ticks)
    assert all(t.state is not None and t.bbox is not None for t in ticks)


def symbol_font(name: str, subtype: str = "TrueType") -> str:
    """A non-embedded symbol font as Word's PDF export names it (descriptor, widths)."""
    widths = " ".join(["1000"] * 224)
    return (f"/Type /Font /Subtype /{subtype} /BaseFont /{name} /FirstChar 32 /LastChar 255 /Widths [{widths}] "
            f"/FontDescriptor << /Type /FontDescriptor /FontName /{name} /Flags 4 /FontBBox [0 -200 1000 900] "
            f"/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>")


def _symbol_pdf(tmp_path, font: str, codes: bytes, label: bytes = b"Yes"):
    src = symbol_font(font)
    content = (b"BT /F2 12 Tf 1 0 0 1 72 700 Tm (" + codes + b") Tj /F1 12 Tf 1 0 0 1 90 700 Tm (" + label
               + b") Tj ET")
    path = tmp_path / f"{font}.pdf"
    helv = "/Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding"
    path.write_bytes(write_pdf([PageSpec(content=content, fonts={"F1": helv, "F2": src})]))
    return read_file(path)


@pytest.mark.parametrize("font,code,state", [
    ("Wingdings-Regular", b"\xfe", True), ("Wingdings-Regular", b"\xa8", False),
    ("Wingdings2", b"R", True), ("Wingdings2", b"\xa3", False),
])
def test_word_printed_symbol_fonts_by_name(tmp_path, font, code, state):
    doc = _symbol_pdf(tmp_path, font, code)
    (p,) = list(doc.iter_paragraphs())
    assert [t.state for t in p.ticks] == [state]
    assert p.ticks[0].encoding.startswith("pdf:" + font)
    assert p.plain_text().strip() == "Yes"


def test_symbol_radical_next_to_a_box_ticks_it(tmp_path):
    # "□" typed in a CJK-less font is not available in Helvetica: the box comes from Wingdings ¨,
    # the tick from Symbol Ö (√), written right after it: "□√Yes"
    helv = "/Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding"
    wd, sym = symbol_font("Wingdings"), symbol_font("Symbol", "Type1")
    content = (b"BT /F2 12 Tf 1 0 0 1 72 700 Tm (\xa8) Tj /F3 12 Tf 1 0 0 1 84 700 Tm (\xd6) Tj "
               b"/F1 12 Tf 1 0 0 1 96 700 Tm (Yes) Tj ET")
    path = tmp_path / "mark.pdf"
    path.write_bytes(write_pdf([PageSpec(content=content, fonts={"F1": helv, "F2": wd, "F3": sym})]))
    (p,) = list(read_file(path).iter_paragraphs())
    assert [t.state for t in p.ticks] == [True]
    assert "+mark" in p.ticks[0].encoding


def test_vector_boxes():
    rect = lambda x0, t, x1, b, **k: {"x0": x0, "top": t, "x1": x1, "bottom": b, "stroke": True, "fill": False, **k}
    line = lambda x0, t, x1, b: {"x0": x0, "top": t, "x1": x1, "bottom": b}
    empty, crossed, big = rect(10, 10, 21, 21), rect(40, 10, 51, 21), rect(100, 100, 300, 200)
    boxes = find_vector_boxes([empty, crossed, big], [line(40, 10, 51, 21), line(10, 10, 21, 10)], [])
    assert [(b.bbox[0], b.ticked) for b in boxes] == [(10, False), (40, True)]


def test_zapfdingbats_ticks_in_a_pdf(tmp_path):
    # the standard 14 font, no embedded program and no ToUnicode: "4" is ✔, "o" is ❏
    helv = "/Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding"
    zapf = "/Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats"
    content = (b"BT /F2 12 Tf 1 0 0 1 72 700 Tm (4) Tj /F1 12 Tf 1 0 0 1 90 700 Tm (Yes) Tj "
               b"/F2 12 Tf 1 0 0 1 140 700 Tm (o) Tj /F1 12 Tf 1 0 0 1 160 700 Tm (No) Tj ET")
    path = tmp_path / "zapf.pdf"
    path.write_bytes(write_pdf([PageSpec(content=content, fonts={"F1": helv, "F2": zapf})]))
    (p,) = list(read_file(path).iter_paragraphs())
    assert [(t.state, label.strip()) for t, label in p.option_segments()] == [(True, "Yes"), (False, "No")]
    assert all(t.encoding.startswith("pdf:ZapfDingbats") for t in p.ticks)


def test_vector_boxes_drawn_as_four_lines_or_a_rounded_path_with_a_check_curve():
    line = lambda x0, t, x1, b: {"x0": x0, "top": t, "x1": x1, "bottom": b}
    # a square of four separate strokes, empty; one with a check path (a curve) inside
    empty = [line(10, 10, 21, 10), line(10, 21, 21, 21), line(10, 10, 10, 21), line(21, 10, 21, 21)]
    ticked = [line(40, 10, 51, 10), line(40, 21, 51, 21), line(40, 10, 40, 21), line(51, 10, 51, 21)]
    check = {"x0": 42, "top": 12, "x1": 50, "bottom": 19, "stroke": True, "fill": False,
             "pts": [(42, 15), (45, 19), (50, 12)]}
    # a rounded square as one curved path, and a table rule that is no box
    rounded = {"x0": 70, "top": 10, "x1": 81, "bottom": 21, "stroke": True, "fill": False,
               "pts": [(72, 10), (79, 10), (81, 12), (81, 19), (79, 21), (72, 21), (70, 19), (70, 12)]}
    rule = line(0, 40, 300, 40)
    boxes = find_vector_boxes([], empty + ticked + [rule], [check, rounded])
    assert sorted((b.bbox[0], b.ticked) for b in boxes) == [(10, False), (40, True), (70, False)]
    # a check path is not itself a box, even when it is square-ish
    assert all(id(check) not in b.parts[:1] for b in boxes)
