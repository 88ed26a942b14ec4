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
