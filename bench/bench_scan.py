"""Scanned pages: seconds per page split into raster, OCR and the rest, and beside it RapidOCR
alone (default settings, on the same rendered pages) — the pipeline's own overhead.

Pages: the first ``PAGES`` pages with tables of a committed scanned PDF rendition.  Peak
memory is printed by ``bench/benchmarks.py`` for the whole section.
"""
from __future__ import annotations

import statistics
import time

from tests.expected import DOSSIERS, load_expected
from tests.scan_scoring import scan_renditions

PAGES = (3, 4, 9, 16)


def main() -> None:
    import numpy as np
    import pypdfium2 as pdfium

    from extractors.scan import ocr
    from extractors.scan.page import scan_page
    from extractors.scan.raster import render_pdf_page
    pdfs = [d for d in scan_renditions() if load_expected(d)["form_file"].endswith(".pdf")]
    if not pdfs:
        print("no scanned PDF renditions found")
        return
    exp = load_expected(pdfs[0])
    path = DOSSIERS / pdfs[0] / exp["form_file"]
    ocr.engine()                                   # model load, once per process, not counted
    rows = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for n in PAGES:
            pg = pdf[n - 1]
            w, h = pg.get_size()
            t0 = time.perf_counter()
            image, _ = render_pdf_page(pg, 200)
            t_render = time.perf_counter() - t0
            t1 = time.perf_counter()
            timings = scan_page(image, n, w, h, path.name).timings
            whole = time.perf_counter() - t1
            from rapidocr_onnxruntime import RapidOCR
            alone = _alone(RapidOCR, np.asarray(image))
            rows.append((n, t_render + timings["raster"], timings["ocr"], timings["rest"], t_render + whole, alone))
    finally:
        pdf.close()
    print(f"{pdfs[0]}: pages {', '.join(map(str, PAGES))} at 200 dpi")
    print(f"{'page':>5}{'raster s':>10}{'OCR s':>9}{'rest s':>9}{'total s':>9}{'RapidOCR alone s':>18}")
    for r in rows:
        print(f"{r[0]:>5}{r[1]:>10.2f}{r[2]:>9.2f}{r[3]:>9.2f}{r[4]:>9.2f}{r[5]:>18.2f}")
    med = [statistics.median(r[i] for r in rows) for i in range(1, 6)]
    print(f"{'median':>5}{med[0]:>10.2f}{med[1]:>9.2f}{med[2]:>9.2f}{med[3]:>9.2f}{med[4]:>18.2f}")
    print(f"seconds per scanned page (median): {med[3]:.2f}; pipeline overhead beside RapidOCR alone: "
          f"{med[3] - med[4]:+.2f} s")


_DEFAULT = {}


def _alone(cls, rgb) -> float:
    """RapidOCR with its default settings on the page (engine made once, not timed)."""
    eng = _DEFAULT.get("e") or _DEFAULT.setdefault("e", cls())
    t = time.perf_counter()
    eng(rgb[:, :, ::-1])
    return time.perf_counter() - t
