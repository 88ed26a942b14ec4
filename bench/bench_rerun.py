"""Never the same work twice: a forced rerun (``--force``: same files, same output folder) of a
scanned dossier against its first run, whose reading and OCR the document-model cache
(``OUT/.cache/docmodel``) and the PDF cache (``OUT/.cache/memo``) make unnecessary."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from bench.timing import header, row, timed
from pipeline.dossiers import discover
from pipeline.isolation import machine_cores, set_ocr_threads
from pipeline.process import Options, process
from pipeline.runner import _warm_up

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "dossiers"
DOSSIER = os.environ.get("BENCH_RERUN_DOSSIER", "gx-beiliu-ceramics-scan")
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
# a long per-file limit: a scan cut short at its time budget (a busy machine) is, rightly, not
# cached, and the rerun would read it again
FILE_TIMEOUT = float(os.environ.get("BENCH_FILE_TIMEOUT", "7200"))


def main() -> None:
    if not (SAMPLES / DOSSIER).is_dir():
        print(f"sample {DOSSIER} not found")
        return
    set_ocr_threads(1)
    _warm_up()
    d = discover([SAMPLES / DOSSIER])[0]
    out = Path(tempfile.mkdtemp(prefix="bench-rerun-"))
    print(f"{DOSSIER}, one worker, {machine_cores()} cores; first run once, forced rerun {REPEATS} times")
    header()
    first = timed("first run (reads and OCRs every page)", lambda: process(d, Options(file_timeout=FILE_TIMEOUT), out), 1)
    row(first)
    again = timed("forced rerun, same output folder", lambda: process(d, Options(file_timeout=FILE_TIMEOUT), out),
                  REPEATS)
    row(again, floor=first, note="(bar: ≤ 0.05×)")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
