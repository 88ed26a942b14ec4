"""A region's text on a scan: the signature line and the date line come back misread by the OCR
and must not join the field (issue 12: signature-line printed words do not join fields)."""
from extractors.mapper.layouts import _printed_on_scan
from pipeline.model import load_catalogue
from pipeline.model.text import norm


def _printed():
    spec = next(s for s in load_catalogue().specs if s.id == "recommendation.text")
    return [norm(x) for x in spec.get("printed", [])]


def test_misread_signature_and_date_lines_are_printed_words():
    printed = _printed()
    for line in ["推荐单 公章）", "化推荐单位(公章!居", "推荐单位（盖章)：", "2023年:6 28日", "2023年6月28日", "T"]:
        assert _printed_on_scan(norm(line), printed), line


def test_the_applicants_own_words_stay():
    printed = _printed()
    for line in ["经审核，该集群申报材料真实有效，符合申报条件，同意推荐。", "同意推荐", "推荐单位为本市工信局",
                 "2023年产值增长12%，同意推荐"]:
        assert not _printed_on_scan(norm(line), printed), line


def test_the_recommendation_read_from_a_scan_keeps_only_its_words(tmp_path, monkeypatch):
    """End to end through the mapper, the region's units taken as read by OCR: the misread
    signature line, the date, the seal rim's 化 after the last sentence and a lone T are dropped."""
    from extractors.docx_reader import read_docx
    from extractors.mapper import layouts, map_form

    from .docx_builder import build
    text = ["经我局审核，申报材料属实，同意推荐。", "化", "推荐单 公章）", "2023年:6 28日", "T"]
    doc = read_docx(build(tmp_path / "f.docx", ["五、申报单位意见", {"rows": [["市（州）工信部门推荐意见", "\n".join(text)]]}]))
    assert "化" in (map_form(doc).fields["recommendation.text"].value or "")     # not a scan: kept as written
    monkeypatch.setattr(layouts.Ctx, "scanned", lambda self, unit: True)
    assert map_form(doc).fields["recommendation.text"].value == text[0]
