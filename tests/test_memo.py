"""The expert memo in its four formats, for a clean sample and for a flawed copy of it.

The clean memo comes from the real pipeline (process → write_dossier).  The flawed one is the
same extraction with values changed and findings built by hand (the validators are not
this branch's), one of them pointing at a scanned page so its memo carries a crop of the cell.
Every format is read back the way its reader would: the DOCX with python-docx, the PDF's text
with pdfplumber, the Markdown through a CommonMark parser, the HTML through lxml.
"""
from __future__ import annotations

import base64
import copy
import io
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.dossiers import discover
from pipeline.memo import criteria, render_memos
from pipeline.memo.fonts import find_cjk_font
from pipeline.model import EvidenceLink, Extraction, Finding, Source
from pipeline.model.profiles import Profile, load_profile
from pipeline.process import Options, process
from validators.criteria import judge as judge_criteria

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "gz-suiyang-chili"
CLUSTER = "中小企业特色产业集群（绥阳县辣椒产业）"
SCAN = "统计局产值证明（扫描件）.png"
SCAN_BOX = (100.0, 200.0, 330.0, 236.0)      # PDF points on the 200 dpi page image
HOSTILE = "<script>alert('x')</script> **粗体** | 管道 [链接](javascript:alert(1)) <img src=x onerror=alert(2)>"
SECTIONS = ["一、认定标准对照表", "二、一致性核查", "三、佐证材料核对", "四、主要指标", "五、叙述摘要", "六、建议核实问题",
            "附件：提取字段一览"]

pytestmark = pytest.mark.skipif(find_cjk_font() is None, reason="needs a CJK font (fonts-noto-cjk)")


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    out = tmp_path_factory.mktemp("memo-clean")
    d = next(x for x in discover([ROOT / "samples" / "dossiers"]) if x.id == SAMPLE)
    result = process(d, Options(), out)
    return result.extraction, out / SAMPLE


def _scan_page(path: Path) -> None:
    """A 200 dpi A4 page image stating 36.20 in the box SCAN_BOX."""
    dpi = 200
    s = dpi / 72
    im = Image.new("RGB", (int(595 * s), int(842 * s)), "white")
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype(find_cjk_font().path, int(22 * s))
    draw.text((40 * s, 120 * s), "集群总产值证明", fill="black", font=font)
    draw.rectangle([SCAN_BOX[0] * s, SCAN_BOX[1] * s, SCAN_BOX[2] * s, SCAN_BOX[3] * s], outline="black", width=3)
    draw.text(((SCAN_BOX[0] + 8) * s, (SCAN_BOX[1] + 6) * s), "36.20 亿元", fill="black", font=font)
    im.save(path, dpi=(dpi, dpi))


def flawed_copy(ext: Extraction) -> Extraction:
    bad = Extraction.from_json(copy.deepcopy(ext.to_json()))
    bad.fields["industry.leading_cagr"].value = 15.5
    bad.fields["industry.chain_text"].value = HOSTILE
    bad.fields["digital.iiot_rate"].value = None
    bad.fields["digital.iiot_rate"].confidence = 0.4
    cagr_src = bad.fields["industry.leading_cagr"].source
    scan_src = Source(file=SCAN, page=1, bbox=SCAN_BOX)
    bad.findings = [
        Finding(rule="growth.cagr", severity="error", fields=["industry.leading_cagr"],
                message="近三年主导产业产值年均增速与按产值计算的结果不一致", expected=12.78, actual=15.5, tolerance=0.01,
                sources=[cagr_src]),
        Finding(rule="evidence.value", severity="error", fields=["industry.total_output.2022"],
                message="2022年集群总产值与统计部门证明不一致", expected=36.2, actual=39.8, tolerance=0.005,
                sources=[bad.fields["industry.total_output.2022"].source, scan_src]),
        Finding(rule="field.unreadable", severity="warning", fields=["digital.iiot_rate"],
                message="集群工业互联网平台应用普及率无法清晰识别（置信度 0.40）", actual=0.4,
                question="请提供工业互联网平台应用普及率的统计口径和清晰数值。"),
    ]
    bad.findings.append(Finding(rule="evidence.missing", severity="error", fields=["industry.sharing"],
                                message="已勾选“建立共享车间、共享工厂”，但未找到佐证材料",
                                detail={"option": "建立共享车间、共享工厂"}))
    bad.evidence = [EvidenceLink(file="产业链图谱.png", attests=["industry.chain_map:是"], confidence=0.9)]
    bad.problems.append({"file": "损坏的附件.pdf", "kind": "corrupt", "message": "文件已损坏 — corrupt PDF"})
    bad.verdict = "fail"
    return bad


# Thresholds in both shapes a profile may use: the brief's (indicator, op as worded, no fields)
# and validators/profiles' (fields with years, op symbol + op_word, any_of, trend, fails_on).
PROFILE = Profile(id="test", name="测试认定标准", document="《测试办法》", thresholds=[
    {"rule": "criteria.output", "fields": ["industry.total_output"], "years": "each", "op": "≥", "op_word": "以上",
     "value": 40, "unit": "亿元", "clause": "第十一条（一）"},
    {"rule": "criteria.area", "indicator": "集群占地面积", "fields": ["basic.area_km2"], "op": "≤",
     "op_word": "不超过", "value": 100, "unit": "平方公里", "clause": "第十一条（二）"},
    {"rule": "criteria.iiot", "fields": ["digital.iiot_rate"], "op": "≥", "op_word": "不低于", "value": 20, "unit": "%",
     "clause": "第十二条（四）"},
    {"rule": "criteria.quality_smes", "years": "latest", "clause": "第十一条（二）", "any_of": [
        {"fields": ["industry.champions", "industry.little_giants"], "op": "≥", "op_word": "不少于", "value": 1,
         "unit": "家"},
        {"fields": ["industry.specialized", "industry.hightech"], "op": "≥", "op_word": "不少于", "value": 30,
         "unit": "家"}]},
    {"rule": "criteria.co2_trend", "fields": ["green.co2_intensity"], "trend": "falling", "clause": "第十一条（六）"},
    {"rule": "criteria.efficiency", "fields": ["basic.energy_efficiency"], "fails_on": "否", "clause": "第十一条（六）"},
    {"rule": "criteria.rd_growth", "fields": ["innovation.rd_growth"], "years": "average", "op": ">", "op_word": "高于",
     "value": 13, "unit": "%", "clause": "第十一条（四）"},
    {"rule": "criteria.growth", "fields": ["industry.total_output"], "op": ">", "op_word": "高于", "value": 12,
     "unit": "%", "clause": "第十一条（一）"},
], raw={"growth": {"reading": "compound"}})
EXPECTED_CRITERIA = {     # the bars in the document's words, as the findings quote them
    "集群总产值": ("2020年 31.80；2021年 36.25；2022年 39.80", "各年40亿元以上", "不符合"),
    "集群占地面积": ("12.60", "不超过100平方公里", "符合"),
    "工业互联网平台应用普及率": ("—", "不低于20%", "无法判断"),
    "优质中小企业数量": ("2022年：单项冠军 0 ＋ 专精特新“小巨人” 1 ＝ 1；专精特新中小企业 10 ＋ 高新技术和创新型中小企业 18 ＝ 28",
                        "单项冠军＋专精特新“小巨人” 不少于1家 或 专精特新中小企业＋高新技术和创新型中小企业 不少于30家",
                        "符合"),
    "单位产值二氧化碳排放量": ("2020年 0.85；2021年 0.78；2022年 0.73", "持续下降", "符合"),
    "属于高耗能行业的集群，能效水平高于行业基准值": ("不涉及", "不得为“否”", "符合"),
    "研发经费增速": ("2020年 13.07；2021年 13.17；2022年 12.85；按几何平均（水平法）计算，年均增长 13.03%", "年均高于13%",
                     "符合"),
    "产值年均增速": ("2020年 31.80；2021年 36.25；2022年 39.80；按几何平均（水平法）计算，年均增速 11.87%", "年均高于12%",
                     "不符合"),
}


@pytest.fixture(scope="module")
def flawed(clean, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("memo-flawed")
    _scan_page(tmp / "scan.png")
    ext = flawed_copy(clean[0])
    ext.criteria = judge_criteria(ext, PROFILE)[1]     # the validators' results under the hand-made profile
    memos = render_memos(ext, files={SCAN: tmp / "scan.png"}, profile=PROFILE)
    assert not memos.problems, memos.problems
    for name, data in memos.files.items():
        (tmp / name).write_bytes(data)
    return ext, tmp


def test_clean_sample_has_all_four_memos(clean):
    _, folder = clean
    for name in ("extraction.json", "memo.html", "memo.md", "memo.docx", "memo.pdf"):
        assert (folder / name).stat().st_size > 1000, name
    html = (folder / "memo.html").read_text(encoding="utf-8")
    assert CLUSTER in html and "通过预审" in html and "未发现不一致之处" in html
    for s in SECTIONS:
        assert s in html, s


def test_html_is_self_contained_and_escapes_submitted_text(flawed):
    import lxml.html
    _, folder = flawed
    html = (folder / "memo.html").read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    assert not tree.xpath("//script"), "a submitted <script> must never become an element"
    assert not tree.xpath("//img[@onerror]") and not tree.xpath("//a[starts-with(@href, 'javascript')]")
    assert "&lt;script&gt;alert(" in html
    assert HOSTILE in tree.text_content(), "the hostile text is shown, as text"
    srcs = tree.xpath("//img/@src")
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert not tree.xpath("//link[@href]") and "http://" not in html and "https://" not in html


def test_flawed_memo_shows_findings_numbers_sources_and_the_scanned_crop(flawed):
    import lxml.html
    ext, folder = flawed
    tree = lxml.html.fromstring((folder / "memo.html").read_text(encoding="utf-8"))
    text = tree.text_content()
    assert "未通过预审" in text
    assert "15.50" in text and "12.78" in text and "按产值计算的增速" in text
    assert "39.80" in text and "36.20" in text and "佐证材料所载数值" in text
    form = ext.meta["form_file"]
    assert f"{form} · 表2 行6 列2" in text, "where the stated growth came from"
    assert f"{SCAN} · 第1页" in text
    crops = tree.xpath("//img[@class='crop']/@src")
    assert len(crops) == 1
    crop = Image.open(io.BytesIO(base64.b64decode(crops[0].split(",", 1)[1])))
    assert abs(crop.width - (SCAN_BOX[2] - SCAN_BOX[0] + 8) * 150 / 72) < 4, crop.size
    dark = sum(1 for p in crop.convert("L").getdata() if p < 128) / (crop.width * crop.height)
    assert dark > 0.02, "the crop shows the boxed figure, not blank paper"
    # criteria under the hand-made profile, as the validators judged them (see the fixture)
    rows = {r.xpath("td[1]")[0].text_content(): tuple(r.xpath(f"td[{i}]")[0].text_content() for i in (2, 3, 5))
            for r in tree.xpath("//h2[text()='一、认定标准对照表']/following-sibling::table[1]//tr[td]")}
    assert rows == EXPECTED_CRITERIA
    assert "第十一条（一）" in text
    # questions: generated from the rule's template, or the finding's own
    qs = [li.text_content() for li in tree.xpath("//ol[@class='questions']/li")]
    assert any("15.50" in q and "12.78" in q and "计算" in q for q in qs), qs
    assert "请提供工业互联网平台应用普及率的统计口径和清晰数值。" in qs
    assert any("39.80" in q and "36.20" in q for q in qs)
    # evidence claims: linked by the evidence linker, missing by the validators, else not linked
    claims = {(r.xpath("td[2]")[0].text_content(), r.xpath("td[5]")[0].text_content()): r.xpath("td[4]")[0].text_content()
              for r in tree.xpath("//h2[text()='三、佐证材料核对']/following-sibling::table[1]//tr[td]")}
    assert claims[("是", "已关联佐证")] == "产业链图谱.png"
    assert ("建立共享车间、共享工厂", "缺少佐证") in claims
    assert ("开展同类设备和产品的集中采销", "未关联") in claims
    assert ("依托质量技术基础公共服务平台，提供计量、测试、认证等服务", "未勾选") in claims
    assert "已关联佐证 1 项，未关联 21 项，缺少佐证 1 项" in text
    assert any("已勾选“建立共享车间、共享工厂”" in q for q in qs), qs
    # the problems table and the low-confidence annex row
    assert "文件已损坏 — corrupt PDF" in text
    assert tree.xpath("//tr[@class='low']//text()[contains(., '集群工业互联网平台应用普及率')]")


def test_markdown_escapes_what_would_become_markup(flawed):
    from markdown_it import MarkdownIt
    _, folder = flawed
    md = (folder / "memo.md").read_text(encoding="utf-8")
    assert md.startswith(f"# {CLUSTER}")
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert(" in html
    # the hostile value stays in its own cell: the annex row keeps its four columns
    row = next(line for line in md.splitlines() if "alert(" in line and line.startswith("| 集群产业链培育和招商情况"))
    cells = re.split(r"(?<!\\)\|", row.strip())[1:-1]
    assert len(cells) == 4, cells
    for title in SECTIONS:
        assert f"## {title}" in md


def test_docx_is_a_word_document_with_headings_tables_and_pictures(clean, flawed):
    import docx
    for folder, expect_crop in ((clean[1], False), (flawed[1], True)):
        d = docx.Document(str(folder / "memo.docx"))
        paras = d.paragraphs
        assert paras[0].style.name == "Title" and paras[0].text == CLUSTER
        headings = [p.text for p in paras if p.style.name == "Heading 1"]
        assert [h for h in headings if h in SECTIONS] == SECTIONS
        assert not any("{%" in p.text or "{{" in p.text for p in paras), "no template tag left behind"
        assert len(d.tables) >= 8
        cells = {c.text for t in d.tables for r in t.rows for c in r.cells}
        assert any("第二产业" in c for c in cells)
        pictures = len(d.inline_shapes)
        assert pictures >= 2 + expect_crop, pictures     # two charts (+ the crop)
    d = docx.Document(str(flawed[1] / "memo.docx"))
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    assert HOSTILE in cells, "submitted text is kept verbatim as text"
    sub = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    assert any("近三年主导产业产值年均增速与按产值计算的结果不一致" in h for h in sub)
    with zipfile.ZipFile(flawed[1] / "memo.docx") as z:
        assert "<script>" not in z.read("word/document.xml").decode("utf-8")


def test_pdf_text_is_chinese_in_a_cjk_font(clean, flawed):
    import pdfplumber
    import pypdfium2 as pdfium
    for folder in (clean[1], flawed[1]):
        pdf = pdfium.PdfDocument(str(folder / "memo.pdf"))
        try:
            assert pdf[0].get_size() == pytest.approx((595.3, 841.9), abs=1)          # A4
            pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
        finally:
            pdf.close()
        assert CLUSTER in pages[0].replace("\r\n", "").replace("\n", "")
        text = "".join(pages)
        for s in SECTIONS:
            assert s in text, s
        assert "\ufffd" not in text
        with pdfplumber.open(folder / "memo.pdf") as plumb:
            fonts = {c["fontname"] for c in plumb.pages[0].chars}
        family = find_cjk_font().family.replace(" ", "")
        assert fonts and all(family in f.replace(" ", "") for f in fonts), \
            f"every glyph from the CJK font ({family}), no fallback: {fonts}"


def test_no_cjk_font_means_no_pdf_and_a_problem_that_says_so(clean, monkeypatch):
    import pipeline.memo as memo
    monkeypatch.setattr(memo, "find_cjk_font", lambda: None)
    ext = Extraction.from_json(copy.deepcopy(clean[0].to_json()))
    out = memo.render_memos(ext)
    assert set(out.files) == {"memo.html", "memo.md", "memo.docx"}
    assert [p["kind"] for p in out.problems] == ["no_cjk_font"]
    assert any(p["kind"] == "no_cjk_font" and "fonts-noto-cjk" in p["message"] for p in ext.problems)
    html = out.files["memo.html"].decode("utf-8")
    assert "未找到中文字体，图表未生成" in html and "fonts-noto-cjk" in html


def test_a_failing_format_costs_that_format_only(clean, monkeypatch):
    import pipeline.memo.to_docx as to_docx

    def broken(view):
        raise RuntimeError("template exploded")
    monkeypatch.setattr(to_docx, "render_docx", broken)
    ext = Extraction.from_json(copy.deepcopy(clean[0].to_json()))
    out = render_memos(ext, formats=("html", "md", "docx"))
    assert set(out.files) == {"memo.html", "memo.md"}
    assert out.problems[0]["file"] == "memo.docx" and "template exploded" in out.problems[0]["message"]


def test_committed_docx_template_is_what_its_builder_writes(tmp_path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_memo_docx", ROOT / "report_templates" / "build_memo_docx.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.build(tmp_path / "memo.docx")
    with zipfile.ZipFile(tmp_path / "memo.docx") as a, zipfile.ZipFile(ROOT / "report_templates" / "memo.docx") as b:
        for name in ("word/document.xml", "word/styles.xml", "word/footer1.xml"):
            assert a.read(name) == b.read(name), f"{name}: run report_templates/build_memo_docx.py"


def test_real_profiles_render_whatever_thresholds_they_hold(clean):
    """Thresholds come from validators/profiles; a missing value is 'cannot tell', never an error."""
    from pipeline.memo.criteria import criterion_rows
    from pipeline.model import load_catalogue
    ext = clean[0]
    prof = load_profile(ext.profile)
    bare = Extraction(dossier_id="empty", profile=ext.profile)
    bare.criteria = judge_criteria(bare, prof)[1]
    rows = criterion_rows(bare, prof, load_catalogue())
    assert len(rows) == len(prof.thresholds)
    assert all(r["status"] == "unknown" for r in rows)


def test_the_table_renders_the_validators_results_and_judges_nothing(clean):
    """The row's status is the record's: the memo never compares a value to a bar itself."""
    from pipeline.model import load_catalogue
    ext = Extraction.from_json(copy.deepcopy(clean[0].to_json()))
    cat = load_catalogue()
    prof = Profile(id="t", name="t", document="", thresholds=PROFILE.thresholds[:1])
    ext.criteria = judge_criteria(ext, prof)[1]
    assert ext.criteria[0]["status"] == "not_met"          # 2020: 31.80 < 40
    assert criteria.criterion_rows(ext, prof, cat)[0]["status"] == "not_met"
    ext.criteria[0]["status"] = "met"                      # whatever the validators said, the memo shows
    assert criteria.criterion_rows(ext, prof, cat)[0]["status"] == "met"
    for fid in ext.criteria[0]["fields"]:
        ext.fields[fid].confidence = 0.3
    ext.criteria = judge_criteria(ext, prof)[1]
    assert ext.criteria[0]["status"] == "cannot_tell"      # doubtful values: never not met
    assert "无法识别" in ext.criteria[0]["why"]
    assert criteria.criterion_rows(ext, prof, cat)[0]["status_label"] == "无法判断"
    ext.criteria = []                                      # checks never run: no rows, nothing guessed
    assert criteria.criterion_rows(ext, prof, cat) == []
