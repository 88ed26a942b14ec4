"""Bad and unusual PDFs: each gives a clear result (a ReadError naming the file and the problem,
or a document with a warning) and none hangs.  Fixtures are made here: hand-written PDFs
(``pdf_fixtures``), cut-down copies of a committed rendition, and a committed page rendered to a
picture (image-only, with a junk text layer, with a plausible OCR layer)."""
import json
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

import extractors.pdf_reader as pdf_reader
from extractors import read_file, read_file_within
from extractors.errors import ReadError
from extractors.pdf.quality import assess
from pipeline.isolation import run_isolated

from .docx_builder import build
from .expected import DOSSIERS, load_expected
from .pdf_fixtures import (
    HELVETICA,
    JUNK_FONT,
    PageSpec,
    blank_bilevel,
    image_page,
    text_content,
    text_page,
    write_pdf,
)
from .test_bad_inputs import MINI_FORM

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "gx-beiliu-ceramics-pdf"


def sample_pdf() -> Path:
    return DOSSIERS / SAMPLE / load_expected(SAMPLE)["form_file"]


@pytest.fixture(scope="module")
def page_picture():
    pdf = pdfium.PdfDocument(str(sample_pdf()))
    try:
        return pdf[3].render(scale=100 / 72).to_pil().convert("RGB")     # section 二, at 100 dpi
    finally:
        pdf.close()


def write(tmp_path, name, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def error_of(path) -> ReadError:
    with pytest.raises(ReadError) as ei:
        read_file(path)
    assert ei.value.file == path.name and path.name in str(ei.value)
    return ei.value


def test_encrypted_with_empty_user_password_is_read(tmp_path):
    p = write(tmp_path, "加密.pdf", write_pdf([text_page(["Total output 56.30", "Protected copy"])], user_password=""))
    doc = read_file(p)
    assert doc.format == "pdf" and "Total output 56.30" in doc.text()


def test_encrypted_with_a_password_is_a_clear_error(tmp_path):
    p = write(tmp_path, "有密码.pdf", write_pdf([text_page(["secret"])], user_password="1234"))
    e = error_of(p)
    assert e.kind == "encrypted" and "加密" in e.message and "password" in e.message


def test_truncated_pdf(tmp_path):
    data = sample_pdf().read_bytes()
    e = error_of(write(tmp_path, "截断.pdf", data[: len(data) // 2]))
    assert e.kind == "corrupt" and "损坏" in e.message


def test_garbage_after_a_pdf_header(tmp_path):
    e = error_of(write(tmp_path, "乱码.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40))
    assert e.kind == "corrupt"


def test_zero_pages(tmp_path):
    e = error_of(write(tmp_path, "空白.pdf", write_pdf([])))
    assert e.kind == "no_pages" and "没有任何页面" in e.message


def test_two_hundred_pages_read_within_the_limit(tmp_path):
    p = write(tmp_path, "附件汇编.pdf", write_pdf([text_page([f"Annex page {i + 1}", "Line"]) for i in range(200)]))
    doc = run_isolated(read_file, p, timeout=120)
    assert len(doc.pages) == 200 and doc.meta["page_count"] == 200
    assert "Annex page 200" in doc.text()


def test_page_cap_and_time_budget_say_what_was_left_out(tmp_path, monkeypatch):
    p = write(tmp_path, "长.pdf", write_pdf([text_page([f"Annex page {i + 1}"]) for i in range(60)]))
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 25)
    doc = read_file(p)
    assert len(doc.pages) == 25 and any("只读取前 25 页" in w for w in doc.warnings)
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 300)
    doc = read_file_within(p, limit=0.0)        # the file's time limit is spent at once
    assert [pg.kind for pg in doc.pages] == ["text"] + ["unread"] * 59
    assert any("time budget of 0 s spent, read 1 of 60 pages" in w for w in doc.warnings)
    assert [r["route"] for r in doc.meta["pages"]][:2] == ["text", "unread"]
    doc = read_file_within(p, limit=600.0)      # 85% of it to read: plenty for 60 text pages
    assert len(doc.pages) == 60 and not any("time budget" in w for w in doc.warnings)
    assert {pg.kind for pg in doc.pages} == {"text"}


def test_a_slow_page_is_cut_at_the_deadline_and_the_pages_before_it_kept(tmp_path, monkeypatch):
    """A page still being read when the reading deadline passes is dropped inside the page (the
    batch would otherwise kill the reader with every page lost); the pages read before it are
    kept and it and the pages after it are unread pages, not empty ones."""
    import time as _time
    p = write(tmp_path, "慢.pdf", write_pdf([text_page([f"Annex page {i + 1}"]) for i in range(5)]))
    real = pdf_reader._read_page

    def slow_third(pdf_page, pl_page, number, name):
        if number == 3:                         # works far past the deadline: only the timer ends it
            end = _time.process_time() + 30
            while _time.process_time() < end:
                pass
        return real(pdf_page, pl_page, number, name)

    monkeypatch.setattr(pdf_reader, "_read_page", slow_third)
    t0 = _time.monotonic()
    doc = read_file_within(p, limit=1.0 / 0.85 * 1.5)   # 1.5 CPU s to read
    assert _time.monotonic() - t0 < 10
    assert [pg.kind for pg in doc.pages] == ["text", "text", "unread", "unread", "unread"]
    assert "Annex page 2" in doc.text() and "Annex page 3" not in doc.text()
    assert any("read 2 of 5 pages" in w for w in doc.warnings)


def test_fields_on_pages_left_unread_are_not_taken_for_empty(tmp_path):
    """A form cut short by the budget: every field not found is reported unread (confidence 0,
    note ``pages_not_read``), so no check calls it missing."""
    from extractors.mapper import map_form
    from pipeline.model.document import Document, Page
    read = Document("表.pdf", "pdf", pages=[Page(1, 595.0, 842.0, "text")])
    assert not any(fv.note == "pages_not_read" for fv in map_form(read).fields.values())
    cut = Document("表.pdf", "pdf", pages=[Page(1, 595.0, 842.0, "text"), Page(2, 595.0, 842.0, "unread")])
    got = map_form(cut).fields
    assert len(got) > 50 and all(fv.note == "pages_not_read" and fv.confidence == 0.0 for fv in got.values())


def test_a_multi_page_image_stops_at_its_time_budget_too(tmp_path):
    """A multi-page TIFF keeps the frames read in time and says how many were left out."""
    from PIL import Image
    frames = [Image.new("RGB", (400, 566), "white") for _ in range(3)]
    p = tmp_path / "扫描件.tif"
    frames[0].save(p, save_all=True, append_images=frames[1:], dpi=(50, 50))
    doc = read_file_within(p, limit=0.0)
    assert [pg.kind for pg in doc.pages] == ["scan", "unread", "unread"]
    assert any("read 1 of 3 pages" in w for w in doc.warnings)
    assert len(read_file_within(p, limit=60.0).pages) == 3


def test_huge_page_is_rendered_under_the_pixel_cap(tmp_path):
    """A 100×100 inch page holding a 20000×20000 px picture: the raster is capped, with a warning."""
    page = PageSpec(7200, 7200, b"q 7200 0 0 7200 0 0 cm /Im1 Do Q", {}, {"Im1": blank_bilevel(20000, 20000)})
    p = write(tmp_path, "超大.pdf", write_pdf([page]))
    with pdfplumber.open(str(p)) as pl:
        q = assess(pl.pages[0])
    assert q.route == "scan" and q.cover == 1.0
    pdf = pdfium.PdfDocument(str(p))
    try:
        im, warning = pdf_reader._render(pdf[0], pdf_reader.SCAN_DPI)
    finally:
        pdf.close()
    assert im.width * im.height <= 24_000_000 * 1.001 and warning and "too large" in warning   # pdfium rounds up


def test_routes(tmp_path, page_picture):
    """Each page's route by the measured rule of extractors.pdf.quality."""
    junk_overlay = text_content([(72, 700, "ABCDEFGHIJKLMNOP"), (72, 680, "QRSTUVWXYZ")], invisible=True)
    ocr_overlay = text_content([(72, 700, "Total output 56.30 66.95 78.58 in the years 2021 2022 2023")],
                               invisible=True)
    pages = [
        text_page(["A born-digital page with its text layer"]),
        image_page(page_picture),                                                  # picture only
        image_page(page_picture, overlay=junk_overlay, fonts={"F1": JUNK_FONT}),   # junk layer over it
        image_page(page_picture, overlay=ocr_overlay, fonts={"F1": HELVETICA}),    # a scanner's OCR layer
        PageSpec(content=text_content([(72, 700, "Total output 56.30 in 2021")]), fonts={"F1": JUNK_FONT}),
        PageSpec(),                                                                # blank
    ]
    p = write(tmp_path, "混合.pdf", write_pdf(pages))
    with pdfplumber.open(str(p)) as pl:
        qs = [assess(pg) for pg in pl.pages]
    assert [q.route for q in qs] == ["text", "scan", "scan", "scan", "scan", "empty"]
    assert qs[1].reason == "no text layer"
    assert qs[2].reason.startswith("junk") and qs[4].reason.startswith("junk") and qs[4].junk == 1.0
    assert "OCR layer" in qs[3].reason and qs[3].junk == 0.0


@pytest.mark.slow
def test_mixed_dossier_text_and_scanned_pages(tmp_path, page_picture):
    """One file, a text page and the same page as a picture with a junk layer: the first is read
    from its layer, the second OCR'd; the document is a scan, both pages carry the table."""
    pytest.importorskip("extractors.scan.page")
    src = pdfium.PdfDocument(str(sample_pdf()))
    pic = write(tmp_path, "pic.pdf", write_pdf([image_page(page_picture, overlay=text_content(
        [(72, 700, "ABCDEFGHIJKLMNOP")], invisible=True), fonts={"F1": JUNK_FONT})]))
    picdoc = pdfium.PdfDocument(str(pic))
    out = pdfium.PdfDocument.new()
    out.import_pages(src, [3])
    out.import_pages(picdoc, [0])
    mixed = tmp_path / "mixed.pdf"
    out.save(str(mixed))
    for d in (out, picdoc, src):
        d.close()
    doc = read_file(mixed)
    assert [r["route"] for r in doc.meta["pages"]] == ["text", "scan"]
    assert doc.format == "scan" and [p.kind for p in doc.pages] == ["text", "scan"]
    on = {p.source.page for p in doc.iter_paragraphs() if "集群总产值" in p.text.replace(" ", "")}
    assert on == {1, 2}


def test_bad_pdfs_are_problems_of_their_dossier_and_the_batch_goes_on(tmp_path):
    d = tmp_path / "in" / "d1"
    d.mkdir(parents=True)
    build(d / "申报表.docx", MINI_FORM)
    (d / "有密码.pdf").write_bytes(write_pdf([text_page(["x"])], user_password="1234"))
    (d / "空白.pdf").write_bytes(write_pdf([]))
    data = sample_pdf().read_bytes()
    (d / "截断.pdf").write_bytes(data[: len(data) // 3])
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "pipeline", "run", str(tmp_path / "in"), "--out", str(out),
                        "--formats", "html"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    e = json.loads((out / "d1" / "extraction.json").read_text(encoding="utf-8"))
    kinds = {p["file"]: p["kind"] for p in e["problems"]}
    assert kinds.get("有密码.pdf") == "encrypted" and kinds.get("空白.pdf") == "no_pages"
    assert kinds.get("截断.pdf") == "corrupt"
    assert e["fields"]["cover.cluster_name"]["value"]
