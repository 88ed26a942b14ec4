"""Page furniture on made-up pages (the layout chain shared by text layers and scans): page
numbers of every common style and running headers/footers are taken off the ends of the page
and listed in ``Document.meta["furniture"]``; the same text inside the body, a one-off line
or a table's content is kept; a table cut by a page break with a header and a page number
between its halves is joined again.  Also: two documents assembled in two threads at once
give what they give one after the other (no hidden state)."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from extractors.layout import PageContent, Rule, TextPiece, assemble
from extractors.layout.furniture import page_number

W, H = 595.0, 842.0


def chars(text, x, top, size=10.0, conf=1.0):
    return [TextPiece(ch, (x + i * size, top, x + (i + 1) * size, top + size), conf) for i, ch in enumerate(text)]


def ocr(text, x, top, size=10.0, conf=0.95):
    """One OCR'd box for a whole line, as the scan reader hands it over."""
    return [TextPiece(text, (x, top, x + size * len(text), top + size), conf)]


def grid(x0, x1, ys, cols=()):
    return [Rule(x0, y, x1, y) for y in ys] + [Rule(x, ys[0], x, ys[-1]) for x in (x0, *cols, x1)]


@pytest.mark.parametrize("text,number,decorated", [
    ("— 16 —", 16, True), ("-16-", 16, True), ("- 3 -", 3, True), ("第 3 页 共 20 页", 3, True),
    ("第3页", 3, True), ("3 / 20", 3, True), ("Page 3 of 20", 3, True), ("一 7 一", 7, True),
    ("16", 16, False), ("2022年", None, False), ("16.5", None, False), ("（3）", None, False),
])
def test_page_number_styles(text, number, decorated):
    assert page_number(text) == (number, decorated)


def _narrative_page(n, header=None, footer=None, kind="text", body=None):
    make = chars if kind == "text" else ocr
    pieces = []
    if header:
        pieces += make(header, 200, 40)
    for k, line in enumerate(body or [f"第{n}页正文第一行内容", "正文第二行内容。"]):
        pieces += make(line, 72, 100 + 14 * k)
    if footer:
        pieces += make(footer, 280, 800)
    return PageContent(n, W, H, pieces, [], kind)


@pytest.mark.parametrize("kind", ["text", "scan"])
@pytest.mark.parametrize("style", ["— {} —", "-{}-", "第 {} 页 共 3 页", "{}"])
def test_page_numbers_and_running_header_removed_and_listed(kind, style):
    pages = [_narrative_page(n, "中小企业特色产业集群申报表", style.format(n), kind) for n in (1, 2, 3)]
    doc = assemble("f.pdf", pages, "pdf" if kind == "text" else "scan")
    text = doc.text()
    assert "申报表" not in text and "页 共" not in text and "—" not in text
    assert all(f"第{n}页正文第一行内容" in text for n in (1, 2, 3))
    gone = doc.meta["furniture"]
    assert sorted((f["page"], f["band"], f["why"]) for f in gone) == sorted(
        [(n, "top", "running") for n in (1, 2, 3)] + [(n, "bottom", "page_number") for n in (1, 2, 3)])


def test_kept_when_not_repeated_not_at_the_edge_or_in_a_table():
    # a title only on page 1, the same header words inside the body, a bare number that does not
    # follow the pages, and a figure in a table cell at the foot of the page are all content
    p1 = _narrative_page(1, "附件1", "7", body=["中小企业特色产业集群申报表", "正文。"])
    p2 = _narrative_page(2, None, "7", body=["正文第二页。"])
    cell = PageContent(3, W, H, chars("正文第三页。", 72, 100) + chars("16", 300, 790),
                       grid(60, 540, [780, 810], [200]), "text")
    doc = assemble("f.pdf", [p1, p2, cell], "pdf")
    text = doc.text()
    assert "附件1" in text and "中小企业特色产业集群申报表" in text and "16" in text
    assert text.count("7") == 2
    assert "furniture" not in doc.meta


def test_a_page_of_nothing_but_edge_lines_is_kept():
    pages = [PageContent(n, W, H, chars(f"Annex {n}", 72, 40), [], "text") for n in (1, 2, 3)]
    assert assemble("f.pdf", pages, "pdf").text().count("Annex") == 3


def test_table_cut_by_a_page_break_joins_across_header_and_page_number():
    # a two-column table runs to the foot of page 1 and goes on at the top of page 2; a page
    # number under it and a running header above its second half used to keep them apart
    rows1 = [100 + 40 * k for k in range(18)]           # to 780
    rows2 = [80, 120, 160]
    p1 = PageContent(1, W, H, chars("标签甲", 70, 110) + chars("值甲", 210, 110) + chars("标签乙", 70, 750)
                     + chars("第一行很长的文字到了页面的最底部", 210, 750) + chars("— 1 —", 280, 800),
                     grid(60, 540, rows1, [200]), "text")
    p2 = PageContent(2, W, H, chars("申报表", 260, 40) + chars("续行的文字。", 210, 90) + chars("标签丙", 70, 130)
                     + chars("值丙", 210, 130) + chars("— 2 —", 280, 800), grid(60, 540, rows2, [200]), "text")
    p0 = PageContent(3, W, H, chars("申报表", 260, 40) + chars("末页正文。", 72, 100), [], "text")
    doc = assemble("f.pdf", [p1, p2, p0], "pdf")
    tables = list(doc.iter_tables())
    assert len(tables) == 1
    assert "标签丙" in doc.text() and "— 2 —" not in doc.text() and "申报表" not in doc.text()


def _doc_a():
    return [_narrative_page(n, "附件2 集群情况", f"- {n} -") for n in range(1, 5)]


def _doc_b():
    rows = [100 + 30 * k for k in range(6)]
    return [PageContent(n, W, H, chars(f"单元{n}", 70, 110) + chars("□是 ☑否", 210, 110) + chars(f"第{n}页", 280, 800),
                        grid(60, 540, rows, [200]), "scan") for n in (1, 2)]


def test_two_documents_assembled_in_two_threads_match_sequential():
    def run(make, fmt):
        return [assemble(f"{fmt}.pdf", make(), fmt).to_dict() for _ in range(15)]
    alone_a, alone_b = run(_doc_a, "pdf"), run(_doc_b, "scan")
    with ThreadPoolExecutor(2) as ex:
        fa, fb = ex.submit(run, _doc_a, "pdf"), ex.submit(run, _doc_b, "scan")
        assert fa.result() == alone_a and fb.result() == alone_b
    assert alone_a[0]["meta"]["furniture"] and alone_b[0]["pages"][0]["kind"] == "scan"


def test_generator_prints_header_and_page_number_fields(tmp_path):
    # the PDF renditions' page furniture: Word PAGE/NUMPAGES fields in every section's footer,
    # a header line when the seed's style has one; held-out seeds are apart from the dev seeds
    import zipfile

    from samples.generator.page_furniture import DEV_SEEDS, HELD_OUT_SEEDS, FurnitureStyle, add_furniture
    from tests.expected import DOSSIERS
    src = DOSSIERS / "gd-chenghai-toys" / "澄海区玩具产业集群申报表.docx"
    if not src.exists():
        pytest.skip("samples not present")
    style = FurnitureStyle("附件1", "第 {PAGE} 页 共 {NUMPAGES} 页", "right", True)
    out = add_furniture(src, tmp_path / "f.docx", style)
    with zipfile.ZipFile(out) as z:
        footers = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
        headers = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/header"))
    assert 'w:instr=" PAGE "' in footers and 'w:instr=" NUMPAGES "' in footers and "共 " in footers
    assert "附件1" in headers and "w:pBdr" in headers
    assert not set(DEV_SEEDS) & set(HELD_OUT_SEEDS)
