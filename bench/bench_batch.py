"""A batch of the digital samples (every dossier whose form is not a scan) at 1 and 2 workers
(every memo format, a fresh output folder per run): dossiers per minute, the speed-up of two
workers over one against the ideal of 2× (bar ≥ 1.8×), where a dossier's time goes, and a
rerun that skips every unchanged dossier.  ``BENCH_BATCH=all`` takes the scans too."""
from __future__ import annotations

import io
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from pipeline.isolation import machine_cores, set_ocr_threads
from pipeline.ledger import Ledger
from pipeline.process import Options
from pipeline.runner import run_batch

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "dossiers"
WORKERS = (1, 2)


def inputs() -> list[Path]:
    dirs = sorted(p for p in SAMPLES.iterdir() if p.is_dir())
    if os.environ.get("BENCH_BATCH") == "all":
        return dirs
    return [p for p in dirs if not p.name.endswith("-scan")]


def main() -> None:
    if not SAMPLES.exists():
        print("no sample dossiers found")
        return
    batch = inputs()
    print(f"{machine_cores()} core(s); {len(batch)} dossiers; formats html, md, docx, pdf; fresh output folder per run")
    print(f"{'workers':>8}{'dossiers':>10}{'failed':>8}{'seconds':>10}{'dossiers/min':>14}")
    stages: dict[str, list[float]] = {}
    walls = {}
    for n in WORKERS:
        set_ocr_threads(n)
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            s = run_batch(batch, Path(out), Options(), workers=n, stream=io.StringIO())
            walls[n] = wall = time.perf_counter() - t0
            print(f"{n:>8}{s.done:>10}{s.failed:>8}{wall:>10.1f}{s.done / wall * 60:>14.1f}", flush=True)
            if n == 1:
                ledger = Ledger(Path(out))
                for r in ledger.dossiers():
                    for k, v in json.loads(r["timings"] or "{}").items():
                        stages.setdefault(k, []).append(v)
                ledger.close()
                t0 = time.perf_counter()
                again = run_batch(batch, Path(out), Options(), workers=n, stream=io.StringIO())
                rerun = time.perf_counter() - t0
    print(f"speed-up of 2 workers over 1: {walls[1] / walls[2]:.2f}× (ideal 2.00×, bar 1.80×)")
    print(f"rerun with nothing changed: {again.skipped} skipped in {rerun:.2f} s")
    print("where one dossier's time goes (1 worker, median s): " + ", ".join(
        f"{k} {statistics.median(v):.2f}" for k, v in stages.items() if k != "total"))


if __name__ == "__main__":
    main()
