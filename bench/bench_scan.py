"""An 8-page scan: the scan reader (PDF → document model) against RapidOCR alone on the same
pages at the same resolution, both measured in this run (bar: ≤ 1.2× — issue 13).

Pages: the first ``PAGES`` pages of a committed scanned PDF rendition, cut into a PDF of their
own.  The floor is RapidOCR with the reader's engine settings (no direction classifier, the
page not shrunk, the same threads) on each page rendered at the reader's ``SCAN_DPI``, the
rendering not timed: only the recognition.  The reader is timed whole, as a worker runs it:
rendering, ink, rules, tick boxes, OCR, every second reading, the layout; its OCR engine is made
before the clock starts in each case.  Each reading runs in a forked child, as in a batch, so
its peak memory (max RSS) is its own: bar ≤ 1 GiB per worker.  ``BENCH_REPEATS`` (default 2).
Threads: ``PIPELINE_OCR_THREADS`` (default: every core, one worker).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import resource
import tempfile
from pathlib import Path

from bench.timing import Timing, header, row, timed
from tests.expected import DOSSIERS, load_expected
from tests.scan_scoring import scan_renditions

PAGES = 8
REPEATS = int(os.environ.get("BENCH_REPEATS", "2"))
RSS_BAR_MB = 1024


def _source() -> Path | None:
    pdfs = [d for d in scan_renditions() if load_expected(d)["form_file"].endswith(".pdf")]
    if not pdfs:
        return None
    return DOSSIERS / pdfs[0] / load_expected(pdfs[0])["form_file"]


def _first_pages(src: Path, n: int, out: Path) -> Path:
    import pypdfium2 as pdfium
    pdf, new = pdfium.PdfDocument(str(src)), pdfium.PdfDocument.new()
    try:
        new.import_pages(pdf, list(range(min(n, len(pdf)))))
        new.save(str(out))
    finally:
        new.close()
        pdf.close()
    return out


def _in_child(fn, conn) -> None:
    """``fn()`` in this forked child: its engine made first (not timed), then (wall, cpu, max RSS MB)."""
    import time

    from bench.timing import _cpu
    from extractors.scan import ocr
    ocr.engine()
    c0, w0 = _cpu(), time.perf_counter()
    fn()
    conn.send((time.perf_counter() - w0, _cpu() - c0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    conn.close()


def forked(name: str, fn, repeats: int) -> tuple[Timing, float]:
    """``fn`` timed in a fresh forked child per repeat; (timing, peak RSS MB of the children)."""
    ctx = mp.get_context("fork")
    t, peak = Timing(name), 0.0
    for _ in range(repeats):
        parent, child = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_in_child, args=(fn, child))
        p.start()
        child.close()
        wall, cpu, rss = parent.recv()
        p.join()
        t.add(wall, cpu)
        peak = max(peak, rss)
    return t, peak


def _rendered(path: Path) -> list:
    import numpy as np
    import pypdfium2 as pdfium

    from extractors.pdf_reader import SCAN_DPI
    from extractors.scan.raster import render_pdf_page
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [np.ascontiguousarray(np.asarray(render_pdf_page(pdf[i], SCAN_DPI)[0])[:, :, ::-1]) for i in range(len(pdf))]
    finally:
        pdf.close()


def main() -> None:
    from extractors import read_file
    from pipeline.isolation import OCR_THREADS_ENV
    src = _source()
    if src is None:
        print("no scanned PDF renditions found")
        return
    threads = int(os.environ.get(OCR_THREADS_ENV) or os.cpu_count() or 1)
    os.environ[OCR_THREADS_ENV] = str(threads)
    with tempfile.TemporaryDirectory() as tmp:
        path = _first_pages(src, PAGES, Path(tmp) / "scan.pdf")
        pages = _rendered(path)
        print(f"{src.parent.name}: first {len(pages)} pages, {pages[0].shape[1]}×{pages[0].shape[0]} px; "
              f"{threads} OCR thread(s); {REPEATS} repeats; CPU = this process and its children")

        from rapidocr_onnxruntime import RapidOCR
        eng = RapidOCR(max_side_len=max(max(p.shape[:2]) for p in pages), use_cls=False, intra_op_num_threads=threads)
        header()
        floor = timed(f"floor: RapidOCR alone, {len(pages)} pages", lambda: [eng(p) for p in pages], REPEATS)
        row(floor)
        reader, peak = forked(f"scan reader, {len(pages)} pages", lambda: read_file(path, path.name), REPEATS)
        row(reader, floor=floor, note="(bar: ≤ 1.20×)")
    print(f"peak memory of the reader's process (max RSS): {peak:.0f} MB ({peak / RSS_BAR_MB:.2f}× the bar of "
          f"{RSS_BAR_MB} MB per worker)")


if __name__ == "__main__":
    main()
