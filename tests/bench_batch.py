"""The whole batch over the samples: dossiers per minute at 1 and 2 workers (every memo format),
where a dossier's time goes, and the time of a rerun that skips every unchanged dossier."""
from __future__ import annotations

import io
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from pipeline.ledger import Ledger
from pipeline.process import Options
from pipeline.runner import run_batch

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "dossiers"
WORKERS = (1, 2)


def main() -> None:
    if not SAMPLES.exists():
        print("no sample dossiers found")
        return
    print(f"{os.cpu_count()} CPU(s); formats html, md, docx, pdf; fresh output folder per run")
    print(f"{'workers':>8}{'dossiers':>10}{'failed':>8}{'seconds':>10}{'dossiers/min':>14}")
    stages: dict[str, list[float]] = {}
    for n in WORKERS:
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            s = run_batch([SAMPLES], Path(out), Options(), workers=n, stream=io.StringIO())
            wall = time.perf_counter() - t0
            print(f"{n:>8}{s.done:>10}{s.failed:>8}{wall:>10.1f}{s.done / wall * 60:>14.1f}", flush=True)
            if n == 1:
                ledger = Ledger(Path(out))
                for row in ledger.dossiers():
                    for k, v in json.loads(row["timings"] or "{}").items():
                        stages.setdefault(k, []).append(v)
                ledger.close()
                t0 = time.perf_counter()
                again = run_batch([SAMPLES], Path(out), Options(), workers=n, stream=io.StringIO())
                rerun = time.perf_counter() - t0
    print(f"rerun with nothing changed: {again.skipped} skipped in {rerun:.2f} s")
    print("where one dossier's time goes (1 worker, median s): " + ", ".join(
        f"{k} {statistics.median(v):.2f}" for k, v in stages.items() if k != "total"))


if __name__ == "__main__":
    main()
