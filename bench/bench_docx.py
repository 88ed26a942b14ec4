"""DOCX dossiers: seconds per dossier for parse, map and write, over the committed samples."""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from extractors.docx_reader import read_docx
from extractors.mapper import form_score, map_form
from pipeline.dossiers import discover
from pipeline.process import Options, process

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "dossiers"
ROUNDS = 3


def main() -> None:
    dossiers = [d for d in discover([SAMPLES]) if any(p.suffix == ".docx" for p in d.path.glob("*"))] \
        if SAMPLES.exists() else []
    if not dossiers:
        print("no DOCX sample dossiers found")
        return
    parse, mapping, whole = [], [], []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(ROUNDS):
            for d in dossiers:
                forms = [p for p in sorted(d.path.glob("*.docx"))]
                for f in forms:
                    t0 = time.perf_counter()
                    doc = read_docx(f)
                    t1 = time.perf_counter()
                    if form_score(doc)[0] < form_score(doc)[1]:
                        continue
                    map_form(doc)
                    t2 = time.perf_counter()
                    parse.append(t1 - t0)
                    mapping.append(t2 - t1)
                t0 = time.perf_counter()
                process(d, Options(file_timeout=None, memory_mb=None, formats=("html",), cache=False), Path(out))
                whole.append(time.perf_counter() - t0)
    n = len(dossiers)
    print(f"{n} DOCX dossiers × {ROUNDS} rounds")
    print(f"{'stage':<38}{'median s':>10}{'max s':>10}")
    for name, xs in (("parse form .docx (read_docx)", parse), ("map form (catalogue → fields)", mapping),
                     ("whole dossier (all files, checks, write)", whole)):
        print(f"{name:<38}{statistics.median(xs):>10.3f}{max(xs):>10.3f}")
    print(f"dossiers per minute (1 process, whole): {60 / statistics.median(whole):.0f}")
