"""A scanned character read unsure that makes no word (``extractors.layout.doubtful_chars``).

The lines below are the recogniser's own reading of committed scan samples — each character
with its probability, as the scan reader kept them (``OcrChar.score``; 3 decimals), taken with
``SCAN_OCR_CACHE`` from ``samples/dossiers/*-scan``.  The slow test reads the rongxian page
itself."""
import pytest

from extractors.layout.assemble import _per_char_of, assemble
from extractors.layout.doubtful_chars import (
    CHAR_DOUBT,
    doubt_note,
    doubted,
    doubtful_chars,
    piece_chars,
    value_doubts,
)
from extractors.layout.pieces import PageContent, TextPiece
from pipeline.model.document import Document, Doubt, Paragraph, Source
from pipeline.model.extraction import UNREADABLE_BELOW

# gx-rongxian-furniture-scan, industry.risk_text: 桉木 read 按木 (the field was silent: 0.97)
RONGXIAN_RISK = [('集', 0.999), ('群', 0.999), ('每', 0.982), ('年', 0.999), ('组', 0.998), ('织', 0.991),
                 ('开', 0.997), ('展', 0.998), ('供', 0.997), ('应', 0.999), ('链', 0.999), ('风', 0.999),
                 ('险', 0.987), ('排', 0.998), ('查', 0.994), ('，', 0.994), ('重', 0.996), ('点', 0.992),
                 ('评', 0.998), ('估', 0.971), ('按', 0.746), ('木', 0.987), ('、', 0.949)]
# gx-beiliu-ceramics-scan, green.service_text: 分拣 read right, 拣 at 0.418
BEILIU_SORTING = [('工', 0.994), ('厂', 0.995), ('。', 0.993), ('园', 0.999), ('区', 0.991), ('建', 0.995),
                  ('成', 0.988), ('污', 0.983), ('水', 0.999), ('集', 1.0), ('中', 0.999), ('处', 0.999),
                  ('理', 0.997), ('站', 0.999), ('和', 0.995), ('固', 1.0), ('废', 0.99), ('分', 0.997),
                  ('拣', 0.418), ('中', 1.0), ('心', 0.997), ('，', 0.994), ('绿', 0.998), ('色', 0.999)]
# gx-rongxian-furniture-scan, the same sentence wrapped after 分: 拣 opens the next line at 0.515
RONGXIAN_WRAP = ([('和', 0.995), ('固', 1.0), ('废', 0.996), ('分', 0.989)],
                 [('拣', 0.515), ('中', 0.999), ('心', 0.996), ('，', 0.995), ('绿', 0.998), ('色', 0.999)])
# gx-beiliu-ceramics-scan, green.resource_text: a firm's name jieba does not know, 圭 at 0.622
BEILIU_NAME = [('北', 0.997), ('流', 0.999), ('市', 0.99), ('圭', 0.622), ('江', 0.996), ('日', 0.995),
               ('用', 0.991), ('瓷', 0.995), ('业', 0.992), ('有', 0.999), ('限', 0.998), ('公', 0.994),
               ('司', 0.997), ('实', 0.997), ('施', 0.997), ('窑', 0.853), ('炉', 0.993), ('余', 0.98)]


def test_a_lookalike_read_unsure_that_makes_no_word_is_doubtful():
    doubts = doubtful_chars(RONGXIAN_RISK)
    assert doubts == [Doubt("按", 0.746, "点评估按木、", 3)]
    note = doubt_note(doubts)
    assert "“按”" in note and "0.75" in note and "评估按木" in note


def test_a_character_read_unsure_inside_a_dictionary_word_is_not():
    assert doubtful_chars(BEILIU_SORTING) == []
    # the same probability outside any word would be
    alone = BEILIU_SORTING[:17] + [("拣", 0.418), ("天", 0.99)] + BEILIU_SORTING[19:]
    assert [d.char for d in doubtful_chars(alone)] == ["拣"]


def test_a_word_wrapped_over_a_line_end_is_judged_whole():
    first, second = RONGXIAN_WRAP
    assert doubtful_chars(first + second) == []


def test_a_name_the_dictionary_does_not_know_read_unsure_goes_to_a_clerk():
    # the mechanism's cost: measured on every set (docs/scan-text.md)
    assert [d.char for d in doubtful_chars(BEILIU_NAME)] == ["圭"]
    sure = [(c, 0.9 if c == "圭" else p) for c, p in BEILIU_NAME]
    assert doubtful_chars(sure) == []


def test_a_paragraphs_first_and_last_characters_are_not_judged():
    # a value cut at a cell's edge has lost the context that would make its word
    assert doubtful_chars([("按", 0.5), ("木", 0.99), ("、", 0.99)]) == []
    assert doubtful_chars([("估", 0.99), ("按", 0.5)]) == []


def _page(lines, scanned=True):
    pieces = []
    for row, chars in enumerate(lines):
        text = "".join(c for c, _ in chars)
        top = 100 + row * 14
        pieces.append(TextPiece(text, (72, top, 72 + 12 * len(text), top + 12), 0.97, None, 12,
                                tuple(p for _, p in chars) if scanned else None))
    return PageContent(1, 595, 842, pieces, [], kind="scan" if scanned else "text")


def test_the_paragraph_keeps_its_doubts_and_its_text():
    doc = assemble("scan.pdf", [_page([RONGXIAN_RISK])], "scan")
    (para,) = [p for p in doc.iter_paragraphs() if "按木" in p.text]
    assert para.text == "".join(c for c, _ in RONGXIAN_RISK)         # flagged, never rewritten
    assert [d.char for d in para.doubts] == ["按"]
    assert para.confidence == 0.97           # the value holding it is capped by the mapper
    again = Document.from_dict(doc.to_dict())                         # the document cache's round trip
    assert [p.doubts for p in again.iter_paragraphs()] == [p.doubts for p in doc.iter_paragraphs()]


def test_a_value_holding_the_doubtful_character_goes_below_the_bar_with_its_reason():
    doc = assemble("scan.pdf", [_page([RONGXIAN_RISK])], "scan")
    paras = list(doc.iter_paragraphs())
    found = value_doubts(paras, "重点评估按木、松木")
    conf, note = doubted(0.97, None, found)
    assert conf == CHAR_DOUBT.confidence < UNREADABLE_BELOW and "“按”识别概率0.75" in note
    # a value beside it in the same cell (a printed label's misread, an option's label) is not
    assert value_doubts(paras, "集群每年组织开展供应链风险排查") == []
    assert doubted(0.97, None, []) == (0.97, None)
    assert doubted(0.5, "bad_number", found)[1].startswith("bad_number；“按”")


def test_a_text_layer_is_never_doubted():
    doc = assemble("a.pdf", [_page([RONGXIAN_RISK], scanned=False)], "pdf")
    (para,) = [p for p in doc.iter_paragraphs() if "按木" in p.text]
    assert para.doubts is None and para.confidence == 0.97


def test_a_piece_cut_at_a_column_keeps_its_characters_probabilities_and_flags():
    p = TextPiece("估 按木、", (0, 0, 50, 10), 0.9, None, 10, (0.971, 0.746, 0.987, 0.949), ("", "", "lost", ""))
    assert _per_char_of(p, p.char_scores, 0, 1) == (0.971,)
    assert _per_char_of(p, p.char_scores, 1, 5) == (0.746, 0.987, 0.949)
    assert _per_char_of(p, p.char_flags, 1, 5) == ("", "lost", "")
    assert piece_chars([p]) == [("估", 0.971, ""), ("按", 0.746, ""), ("木", 0.987, "lost"), ("、", 0.949, "")]


@pytest.mark.slow
def test_the_committed_rongxian_scan_flags_its_misread_risk_text():
    """Page 4 of the committed rongxian scan read by the scan reader (real OCR, no cache)."""
    from extractors.mapper import map_form
    from extractors.scan.image_reader import image_frames
    from extractors.scan.page import read_scan_page, unskew_sources

    from .expected import DOSSIERS, load_expected
    exp = load_expected("gx-rongxian-furniture-scan")
    path = DOSSIERS / "gx-rongxian-furniture-scan" / exp["form_file"]
    fr = next(f for f in image_frames(path, path.name) if f.number == 4)
    pc = read_scan_page(fr.image, fr.number, fr.width_pt, fr.height_pt, path.name)
    fv = map_form(unskew_sources(assemble(path.name, [pc], "image"), [pc])).fields["industry.risk_text"]
    assert "按木" in fv.value and exp["fields"]["industry.risk_text"] != fv.value
    assert fv.confidence < UNREADABLE_BELOW and "“按”" in fv.note


# held-out gz-renhuai-baijiu-packaging-scan (s7a), innovation.text: a tick's stroke from the box
# below ran over the 。 after 提高, read ： (the field was silent: 0.97)
RENHUAI_MARK = [('率', 0.998), ('逐', 0.999), ('年', 0.999), ('提', 0.998), ('高', 0.995), ('：', 0.46),
                ('创', 0.999), ('新', 0.999), ('合', 0.998), ('作', 0.999)]


def test_a_sentence_mark_read_unsure_between_chinese_characters_is_doubtful():
    doubts = doubtful_chars(RENHUAI_MARK)
    assert [d.char for d in doubts] == ["："]
    assert "标点“：”" in doubt_note(doubts) and "0.46" in doubt_note(doubts)
    # read sure, or as unsure as the right marks of the committed scans (、 at 0.74–0.79), it
    # stands; a decimal point between digits is not a sentence mark's place
    assert doubtful_chars([(c, 0.97 if c == "：" else p) for c, p in RENHUAI_MARK]) == []
    assert doubtful_chars([(c, 0.74 if c == "：" else p) for c, p in RENHUAI_MARK]) == []
    assert doubtful_chars([("到", 0.99), ("0", 0.99), (".", 0.58), ("7", 0.99), ("5", 0.99), ("吨", 0.99)]) == []


def test_a_glyph_left_out_and_a_middle_dot_are_doubts_that_say_where_to_look():
    """The scan reader flags a glyph it left out (``LOST_BEFORE`` on the character after it) and a
    middle dot between Chinese characters; each becomes a doubt whose reason names its place, so
    a clerk finds it in a long narrative (held-out longxi: 黄芪、 read 黄、)."""
    chars = [("评", 0.99, ""), ("估", 0.99, ""), ("黄", 0.99, ""), ("、", 0.94, "lost"), ("党", 0.99, ""),
             ("参", 0.99, "")]
    (d,) = doubtful_chars(chars)
    assert (d.char, d.kind) == ("、", "lost")
    assert doubt_note([d]) == "「评估黄」与「、党参」之间似漏识一字或标点"
    para = Paragraph("重点评估黄、党参等", Source("scan.pdf", 4), doubts=[d])
    assert value_doubts([para], "重点评估黄、党参等") == [d] and value_doubts([para], "党参等") == []
    dot = [("中", 0.99, ""), ("国", 0.99, ""), ("·", 0.9, "dot"), ("定", 0.99, ""), ("西", 0.99, "")]
    assert "或为句号“。”的误识" in doubt_note(doubtful_chars(dot))
