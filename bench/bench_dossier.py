"""A digital dossier end to end at one worker (every file read in its isolated reader child,
mapped, linked, checked, four memos), against the bar of 1.5 s; its extraction against the
floor: python-docx loading the same DOCX files and reading every paragraph and cell,
openpyxl every cell of the XLSX files, pdfplumber's ``extract_words`` on every PDF page —
measured in the same run.  A fresh output folder each time, so no cache helps.  CPU figures
include the Chromium print server's (``bench.bench_memo.timed``), which prints memo.pdf."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from bench.bench_memo import timed
from bench.timing import header, row
from pipeline.dossiers import discover
from pipeline.process import Options, process
from pipeline.runner import _warm_up

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "dossiers"
DOSSIERS = os.environ.get("BENCH_DOSSIERS", "gx-beiliu-ceramics,gx-beiliu-ceramics-pdf").split(",")
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
BAR = 1.5


def floor_read(paths: list[Path]) -> int:
    """The libraries alone: every paragraph and cell, every sheet cell, every page's words."""
    import docx
    import openpyxl
    import pdfplumber
    n = 0
    for p in paths:
        ext = p.suffix.lower()
        if ext == ".docx":
            d = docx.Document(str(p))
            n += sum(len(para.text) for para in d.paragraphs)
            for t in d.tables:
                for r in t.rows:
                    n += sum(len(c.text) for c in r.cells)
        elif ext == ".xlsx":
            wb = openpyxl.load_workbook(str(p), read_only=True, data_only=True)
            for ws in wb.worksheets:
                for r in ws.iter_rows(values_only=True):
                    n += sum(1 for v in r if v is not None)
            wb.close()
        elif ext == ".pdf":
            with pdfplumber.open(str(p)) as pdf:
                for page in pdf.pages:
                    n += len(page.extract_words())
    return n


def in_process_read(paths: list[Path]) -> None:
    from extractors import read_file_within
    for p in paths:
        read_file_within(p, p.name, 600.0)


def main() -> None:
    _warm_up()
    print(f"{REPEATS} repeats, one worker (this process, prepared as a worker is), fresh output folder each time")
    header()
    for name in DOSSIERS:
        if not (SAMPLES / name).is_dir():
            print(f"sample {name} not found")
            continue
        d = discover([SAMPLES / name])[0]
        paths = sorted(p for p in d.path.iterdir() if p.is_file())
        work = Path(tempfile.mkdtemp(prefix="bench-dossier-"))
        stages: dict[str, list[float]] = {}

        def fresh() -> None:
            shutil.rmtree(work / "out", ignore_errors=True)

        def extraction() -> None:              # no output folder: nothing written, no cache
            r = process(d, Options(formats=()))
            for k, v in r.timings.items():
                stages.setdefault(k, []).append(v)

        print(f"{name}: {len(paths)} files ({', '.join(sorted({p.suffix for p in paths}))})")
        floor = timed("floor: libraries read every cell/word", lambda: floor_read(paths), REPEATS)
        row(floor)
        row(timed("  readers in-process (no isolation)", lambda: in_process_read(paths), REPEATS), floor=floor)
        ex = timed("extraction: read, map, link, check", extraction, REPEATS)
        row(ex, floor=floor)
        print("    stages (median s): " + ", ".join(f"{k} {sorted(v)[len(v) // 2]:.3f}" for k, v in stages.items()
                                                      if k != "total"))
        e2e = timed("end to end with all four memos", lambda: process(d, Options(), work / "out"), REPEATS,
                    before=fresh)
        row(e2e, bar=BAR)
        row(e2e, floor=floor)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
