"""Memos: all four formats of one dossier (html, md, docx, pdf) at one worker, against the bar
of 1.0 s, with where the time goes; then an unchanged memo again with the PDF cache.

memo.pdf is printed by the batch's Chromium print server (``pipeline.memo.printer``) where
Chromium is installed: its CPU seconds (the server, Playwright's driver and the browser's
processes) are added to every CPU figure here, since a worker's own CPU time does not hold
them.  WeasyPrint, the fallback, is timed beside it."""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench.timing import Timing, header, row
from pipeline.dossiers import discover
from pipeline.process import Options, process
from pipeline.runner import _warm_up

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "dossiers"
DOSSIER = os.environ.get("BENCH_MEMO_DOSSIER", "gx-beiliu-ceramics")
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
PARTS = os.environ.get("BENCH_MEMO_PARTS", "1") != "0"
BAR = 1.0


def printer_cpu() -> float:
    """CPU seconds so far of the Chromium print server this process started and of every process
    under it (live ones, and those it has reaped); 0 without one."""
    from pipeline.memo.to_pdf import printer
    p = printer()
    if p is None or p.proc is None:
        return 0.0
    import psutil
    try:
        root = psutil.Process(p.proc.pid)
        procs = [root] + root.children(recursive=True)
    except psutil.Error:
        return 0.0
    total = 0.0
    for q in procs:
        try:
            t = q.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.Error:
            pass
    return total


def printer_rss_mb() -> float:
    """Resident memory of the print server's processes (MB, shared pages counted once per process)."""
    from pipeline.memo.to_pdf import printer
    p = printer()
    if p is None or p.proc is None:
        return 0.0
    import psutil
    root = psutil.Process(p.proc.pid)
    return sum(q.memory_info().rss for q in [root] + root.children(recursive=True)) / 2**20


def _own_cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(name: str, fn, repeats: int, before=None) -> Timing:
    """``bench.timing.timed`` with the print server's CPU seconds added."""
    t = Timing(name)
    for _ in range(repeats):
        if before is not None:
            before()
        s0, c0, w0 = printer_cpu(), _own_cpu(), time.perf_counter()
        fn()
        t.add(time.perf_counter() - w0, _own_cpu() - c0 + printer_cpu() - s0)
    return t


def in_fresh_worker(fn) -> tuple[float, float]:
    """(wall, cpu) seconds of ``fn()`` in a child forked now, as a batch forks a worker per
    dossier; cpu is the child's and the print server's."""
    r, w = os.pipe()
    s0 = printer_cpu()
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
    return float(data[0]), float(data[1]) + printer_cpu() - s0


def main() -> None:
    from pipeline.memo import FORMATS, render_memos
    from pipeline.memo.fonts import find_cjk_font
    from pipeline.memo.to_docx import render_docx
    from pipeline.memo.to_html import render_html
    from pipeline.memo.to_markdown import render_markdown
    from pipeline.memo.to_pdf import _print, engine, print_weasyprint, printer
    from pipeline.memo.view import build_view
    if not (SAMPLES / DOSSIER).is_dir():
        print(f"sample {DOSSIER} not found")
        return
    w0, c0 = time.perf_counter(), _own_cpu()
    _warm_up()                                   # what a batch does once before forking workers
    print(f"warm-up (once per batch, print server started): {time.perf_counter() - w0:.2f} s wall, "
          f"{_own_cpu() - c0 + printer_cpu():.2f} s cpu; memo.pdf by {engine()}")
    d = discover([SAMPLES / DOSSIER])[0]
    ext = process(d, Options(formats=())).extraction
    font = find_cjk_font()
    view = build_view(ext, None, font=font)
    html = render_html(view)
    print(f"{DOSSIER}: {len(ext.fields)} fields, {len(ext.findings)} findings; {REPEATS} repeats, one process "
          f"(prepared as a worker is); {sys.version.split()[0]}")
    header()
    fresh = Timing("memos, all four, in a freshly forked worker")
    for _ in range(REPEATS):
        fresh.add(*in_fresh_worker(lambda: render_memos(ext, FORMATS)))
    row(fresh, bar=BAR)
    whole = timed("memos, all four formats (same process again)", lambda: render_memos(ext, FORMATS), REPEATS)
    row(whole, bar=BAR)
    if PARTS:
        parts = [("  view model (charts included)", lambda: build_view(ext, None, font=font)),
                 ("  memo.html", lambda: render_html(view)), ("  memo.md", lambda: render_markdown(view)),
                 ("  memo.docx", lambda: render_docx(view)), (f"  memo.pdf ({engine().split()[0]})", lambda: _print(html))]
        if printer() is not None:
            parts.append(("  memo.pdf (WeasyPrint, the fallback)", lambda: print_weasyprint(html)))
        for name, fn in parts:
            row(timed(name, fn, REPEATS), bar=BAR)
    with tempfile.TemporaryDirectory() as cache:
        render_memos(ext, FORMATS, cache_dir=Path(cache))
        again = timed("memos again, unchanged (PDF from cache)",
                      lambda: render_memos(ext, FORMATS, cache_dir=Path(cache)), REPEATS)
    row(again, floor=whole)
    if printer() is not None:
        print(f"print server's memory (RSS of its processes, summed): {printer_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
