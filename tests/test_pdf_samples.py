"""Every committed born-digital PDF rendition: every field equals its expected value (100%, the
same check as the DOCX samples), every value located by page + bbox in points, the tables
(merged cells, a nested table, tables across page breaks) the same as the DOCX's, and the crop
of a cell's bbox holds that cell's text."""
import io

import pdfplumber
import pytest
from PIL import Image

from extractors import read_file
from extractors.crop import crop_png
from extractors.docx_reader import read_docx
from extractors.mapper import map_form

from .expected import DOSSIERS, expected_files, load_expected, same

PDF_SAMPLES = [f.stem for f in expected_files() if load_expected(f.stem).get("rendition") == "pdf"]
MARKS = {"declaration.signed", "declaration.sealed", "recommendation.sealed"}


@pytest.fixture(scope="module")
def read():
    cache = {}

    def get(dossier):
        if dossier not in cache:
            exp = load_expected(dossier)
            doc = read_file(DOSSIERS / dossier / exp["form_file"])
            cache[dossier] = (exp, doc, map_form(doc))
        return cache[dossier]
    return get


def test_there_are_enough_pdf_renditions():
    assert len(PDF_SAMPLES) >= 4
    encodings = {e.split(":")[0] + ":" + e.split(":")[1] if e.startswith("wsym") else e.split(":")[0]
                 for d in PDF_SAMPLES for e in load_expected(d)["variant"]["tick_encodings"]}
    assert {"wsym:Wingdings", "wsym:Wingdings 2", "sdt", "formfield", "typed"} <= encodings


@pytest.mark.parametrize("dossier", PDF_SAMPLES)
def test_every_field_equals_expected(read, dossier):
    exp, doc, m = read(dossier)
    assert doc.format == "pdf" and all(p["route"] == "text" for p in doc.meta["pages"])
    assert m.reporting_years == exp["reporting_years"]
    wrong = {fid: (want, m.fields[fid].value if fid in m.fields else "<missing>")
             for fid, want in exp["fields"].items()
             if fid not in m.fields or not same(m.fields[fid].value, want)}
    assert not wrong, f"{len(wrong)} of {len(exp['fields'])} fields wrong: {wrong}"
    assert not set(m.fields) - set(exp["fields"])
    assert all(fv.confidence == 1.0 for k, fv in m.fields.items() if k not in MARKS)
    assert all(0.5 < m.fields[k].confidence <= 1.0 for k in MARKS)


@pytest.mark.parametrize("dossier", PDF_SAMPLES)
def test_every_value_has_page_and_bbox_in_points(read, dossier):
    exp, doc, m = read(dossier)
    sizes = {p.number: (p.width, p.height) for p in doc.pages}
    for fid, fv in m.fields.items():
        s = fv.source
        assert s is not None and s.page in sizes and s.bbox is not None, fid
        w, h = sizes[s.page]
        x0, top, x1, bottom = s.bbox
        assert 0 <= x0 < x1 <= w and 0 <= top < bottom <= h, (fid, s.bbox)


@pytest.mark.parametrize("dossier", PDF_SAMPLES)
def test_tables_as_in_the_docx(read, dossier):
    """Rows, columns and cells (merged cells resolved, nested and page-crossing tables) equal
    the DOCX's; a borderless cover table has no rules and reads as paragraphs."""
    exp, doc, _ = read(dossier)
    base = load_expected(exp["rendition_of"])
    docx = read_docx(DOSSIERS / exp["rendition_of"] / base["form_file"])
    got = [(t.n_rows, t.n_cols, sorted((c.row, c.col, c.row_span, c.col_span) for c in t.cells))
           for t in doc.iter_tables()]
    want = [(t.n_rows, t.n_cols, sorted((c.row, c.col, c.row_span, c.col_span) for c in t.cells))
            for t in docx.iter_tables()]
    borderless = 1 if "cover_table" in base["variant"]["layout"] else 0
    assert len(want) - len(got) == borderless
    assert got == want[borderless:]
    crossing = [t for t in doc.iter_tables() if len({c.source.page for c in t.cells}) > 1]
    assert len(crossing) >= 3          # 二, 三 and 八 run over a page break in every rendition


@pytest.mark.parametrize("dossier", PDF_SAMPLES[:2])
def test_crop_of_a_value_shows_its_cell(read, dossier):
    exp, doc, m = read(dossier)
    path = DOSSIERS / dossier / exp["form_file"]
    y3 = exp["reporting_years"][-1]
    with pdfplumber.open(str(path)) as pdf:
        for fid in (f"industry.total_output.{y3}", "cover.cluster_name", "innovation.sme_patents",
                    "industry.chain_map"):
            fv = m.fields[fid]
            s = fv.source
            png = crop_png(path, s.page, s.bbox)
            im = Image.open(io.BytesIO(png))
            assert abs(im.width - (s.bbox[2] - s.bbox[0] + 8) * 150 / 72) < 4
            inside = pdf.pages[s.page - 1].crop(s.bbox).extract_text().replace(" ", "").replace("\n", "")
            want = exp["fields"][fid]
            shown = f"{want:.2f}" if isinstance(want, float) else str(want)
            assert shown in inside, (fid, inside)


@pytest.mark.parametrize("dossier", PDF_SAMPLES)
def test_same_verdict_and_findings_as_the_docx(dossier):
    from pipeline.dossiers import DossierInput
    from pipeline.process import Options, process

    def findings(d):
        ext = process(DossierInput(d, DOSSIERS / d, "dir"), Options(formats=())).extraction
        return ext.verdict, sorted((f.rule, f.severity, tuple(f.fields)) for f in ext.findings)

    assert findings(dossier) == findings(load_expected(dossier)["rendition_of"])
