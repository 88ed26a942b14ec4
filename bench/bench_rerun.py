"""Never the same work twice: a forced rerun (``--force``: same files, same output folder) and a
``check`` (the checks and memos redone from ``extraction.json``, as after a clerk's correction)
of a scanned dossier, each against its first run (bar: ≤ 0.05×), whose reading and OCR the
document-model cache (``OUT/.cache/docmodel``) and the PDF cache (``OUT/.cache/memo``) make
unnecessary.  CPU seconds include the reader children; peak memory is the largest child's."""
from __future__ import annotations

import json
import os
import resource
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
    row(timed("check (checks and memos from extraction.json)", lambda: _check(out / d.id), REPEATS),
        floor=first, note="(bar: ≤ 0.05×)")
    print(f"peak memory (max RSS): this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
          f"its largest child (a reader) {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")
    shutil.rmtree(out, ignore_errors=True)


def _check(folder: Path) -> None:
    """What ``python -m pipeline check`` and the workbench's save do: no file is read."""
    from pipeline.model.extraction import Extraction
    from pipeline.process import recheck
    path = folder / "extraction.json"
    ext = Extraction.from_json(json.loads(path.read_text(encoding="utf-8")))
    recheck(ext, folder, Options().formats)


if __name__ == "__main__":
    main()
