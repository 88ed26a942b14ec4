"""An 8-page scan: the scan reader (PDF → document model) against RapidOCR alone on the same
pages at the same resolution, both measured in this run (bar: ≤ 1.2× — issue 13).

Pages: the first ``PAGES`` pages of a committed scanned PDF rendition, cut into a PDF of their
own.  The floor is RapidOCR with the reader's engine settings (no direction classifier, the
page not shrunk, the same threads) on each page rendered at the reader's ``SCAN_DPI``, the
rendering not timed: only the recognition.  The reader is timed whole, as a worker runs it:
rendering, ink, rules, tick boxes, OCR, every second reading, the layout; its OCR engine is made
before the clock starts in each case.  Each reading — the floor's and the reader's, taking turns —
runs in a fresh child forked from this light process (nothing rendered or OCR'd in it), as in a
batch, so its CPU seconds and peak memory (max RSS) are its own: bar ≤ 1 GiB per worker.  ``BENCH_REPEATS`` (default 2).
Threads: ``PIPELINE_OCR_THREADS`` (default: every core, one worker).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import resource
import tempfile
from pathlib import Path

from bench.timing import Timing, header, row
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


def _in_child(prepare, conn) -> None:
    """In this forked child: ``prepare()`` (not timed: the engine made, the pages rendered)
    gives the step, which is timed; sends (wall, cpu, max RSS MB)."""
    import time

    from bench.timing import _cpu
    step = prepare()
    c0, w0 = _cpu(), time.perf_counter()
    step()
    conn.send((time.perf_counter() - w0, _cpu() - c0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    conn.close()


def forked(prepare) -> tuple[float, float, float]:
    """(wall, cpu, max RSS MB) of the step ``prepare()`` gives, run in a fresh forked child."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_in_child, args=(prepare, child))
    p.start()
    child.close()
    got = parent.recv()
    p.join()
    return got


def alternated(steps: dict, repeats: int) -> dict:
    """Each step run ``repeats`` times in its own forked child, the steps taking turns (a load
    that changes during the run weighs on all alike); {name: (Timing, peak RSS MB)}."""
    out = {name: (Timing(name), 0.0) for name in steps}
    for _ in range(repeats):
        for name, prepare in steps.items():
            wall, cpu, rss = forked(prepare)
            t, peak = out[name]
            t.add(wall, cpu)
            out[name] = (t, max(peak, rss))
    return out


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


def _floor(path: Path, threads: int):
    """RapidOCR alone on the pages, the reader's engine settings (made, pages rendered: untimed)."""
    from rapidocr_onnxruntime import RapidOCR
    pages = _rendered(path)
    eng = RapidOCR(max_side_len=max(max(p.shape[:2]) for p in pages), use_cls=False, intra_op_num_threads=threads)
    return lambda: [eng(p) for p in pages]


def _reader(path: Path):
    """The scan reader on the PDF, whole (its OCR engine made: untimed)."""
    from extractors import read_file
    from extractors.scan import ocr
    ocr.engine()
    return lambda: read_file(path, path.name)


def main() -> None:
    from pipeline.isolation import OCR_THREADS_ENV
    src = _source()
    if src is None:
        print("no scanned PDF renditions found")
        return
    threads = int(os.environ.get(OCR_THREADS_ENV) or os.cpu_count() or 1)
    os.environ[OCR_THREADS_ENV] = str(threads)
    with tempfile.TemporaryDirectory() as tmp:
        path = _first_pages(src, PAGES, Path(tmp) / "scan.pdf")
        import pypdfium2 as pdfium
        pdf = pdfium.PdfDocument(str(path))
        n, (w, h) = len(pdf), pdf[0].get_size()
        pdf.close()
        print(f"{src.parent.name}: first {n} pages, {w:.0f}×{h:.0f} pt; {threads} OCR thread(s); {REPEATS} repeats, "
              f"floor and reader taking turns, each in a fresh forked child; CPU = that child's")
        floor_name, reader_name = f"floor: RapidOCR alone, {n} pages", f"scan reader, {n} pages"
        got = alternated({floor_name: lambda: _floor(path, threads), reader_name: lambda: _reader(path)}, REPEATS)
        (floor, floor_peak), (reader, peak) = got[floor_name], got[reader_name]
        header()
        row(floor)
        row(reader, floor=floor, note="(bar: ≤ 1.20×)")
    print(f"peak memory (max RSS): the reader's process {peak:.0f} MB ({peak / RSS_BAR_MB:.2f}× the bar of "
          f"{RSS_BAR_MB} MB per worker); RapidOCR alone's {floor_peak:.0f} MB")


if __name__ == "__main__":
    main()
