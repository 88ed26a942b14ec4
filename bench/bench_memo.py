"""Memos: all four formats of one dossier (html, md, docx, pdf) at one worker, against the bar
of 1.0 s, with where the time goes; then an unchanged memo again with the PDF cache."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from bench.timing import header, row, timed
from pipeline.dossiers import discover
from pipeline.process import Options, process
from pipeline.runner import _warm_up

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "dossiers"
DOSSIER = os.environ.get("BENCH_MEMO_DOSSIER", "gx-beiliu-ceramics")
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
PARTS = os.environ.get("BENCH_MEMO_PARTS", "1") != "0"


def in_fresh_worker(fn) -> tuple[float, float]:
    """(wall, cpu) seconds of ``fn()`` in a child forked now, as a batch forks a worker per dossier."""
    import time
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        c0, w0 = os.times(), time.perf_counter()
        fn()
        c1 = os.times()
        os.write(w, f"{time.perf_counter() - w0} {c1.user + c1.system - c0.user - c0.system}".encode())
        os._exit(0)
    os.close(w)
    data = os.read(r, 100).decode().split()
    os.close(r)
    os.waitpid(pid, 0)
    return float(data[0]), float(data[1])
BAR = 1.0


def main() -> None:
    from pipeline.memo import FORMATS, render_memos
    from pipeline.memo.fonts import find_cjk_font
    from pipeline.memo.to_docx import render_docx
    from pipeline.memo.to_html import render_html
    from pipeline.memo.to_markdown import render_markdown
    from pipeline.memo.to_pdf import render_pdf
    from pipeline.memo.view import build_view
    if not (SAMPLES / DOSSIER).is_dir():
        print(f"sample {DOSSIER} not found")
        return
    _warm_up()                                   # what a batch does once before forking workers
    d = discover([SAMPLES / DOSSIER])[0]
    ext = process(d, Options(formats=())).extraction
    font = find_cjk_font()
    view = build_view(ext, None, font=font)
    html = render_html(view)
    print(f"{DOSSIER}: {len(ext.fields)} fields, {len(ext.findings)} findings; {REPEATS} repeats, one process "
          f"(prepared as a worker is); {sys.version.split()[0]}")
    header()
    from bench.timing import Timing
    fresh = Timing("memos, all four, in a freshly forked worker")
    for _ in range(REPEATS):
        fresh.add(*in_fresh_worker(lambda: render_memos(ext, FORMATS)))
    row(fresh, bar=BAR)
    whole = timed("memos, all four formats (same process again)", lambda: render_memos(ext, FORMATS), REPEATS)
    row(whole, bar=BAR)
    if not PARTS:
        return
    for name, fn in (("  view model (charts included)", lambda: build_view(ext, None, font=font)),
                     ("  memo.html", lambda: render_html(view)), ("  memo.md", lambda: render_markdown(view)),
                     ("  memo.docx", lambda: render_docx(view)), ("  memo.pdf (WeasyPrint)", lambda: render_pdf(html))):
        row(timed(name, fn, REPEATS), bar=BAR)
    with tempfile.TemporaryDirectory() as cache:
        try:
            render_memos(ext, FORMATS, cache_dir=Path(cache))
        except TypeError:                        # a build without the PDF cache
            return
        again = timed("memos again, unchanged (PDF from cache)",
                      lambda: render_memos(ext, FORMATS, cache_dir=Path(cache)), REPEATS)
    row(again, floor=whole)


if __name__ == "__main__":
    main()
