"""Dossiers per minute with 1, 2 and 4 local Dask workers (``LocalCluster(processes=True)``,
one thread each, ``run --scheduler``) against the same numbers of local worker processes
(``run --workers``), over the same DOCX sample dossiers, SQLite ledger, formats html and md.

Each figure is the wall time of ``run_batch`` with the pipeline already loaded (the batch's
parent for local processes; every Dask worker, as a cluster serving a season is): the
steady throughput.  Starting and warming the cluster is timed apart and printed.
``BENCH_CLUSTER_DOSSIERS`` (default 8) sets how many dossiers: copies of the DOCX samples."""
from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
from pathlib import Path

from pipeline.process import Options
from pipeline.runner import run_batch

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "dossiers"
WORKERS = (1, 2, 4)
FORMATS = ("html", "md")


def _inputs(root: Path, n: int) -> Path:
    docx = sorted(p for p in SAMPLES.iterdir() if p.is_dir() and not p.name.startswith("planted")
                  and all(f.suffix in (".docx", ".xlsx") for f in p.iterdir()))     # no scans: no OCR
    inp = root / "in"
    for i in range(n):
        shutil.copytree(docx[i % len(docx)], inp / f"{i:02d}-{docx[i % len(docx)].name}")
    return inp


def _rate(inp: Path, n_workers: int, scheduler=None) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        s = run_batch([inp], Path(out), Options(formats=FORMATS), workers=n_workers, scheduler=scheduler,
                      stream=io.StringIO())
        return s.done, time.perf_counter() - t0


def main() -> None:
    from distributed import LocalCluster
    if not SAMPLES.exists():
        print("no sample dossiers found")
        return
    n = int(os.environ.get("BENCH_CLUSTER_DOSSIERS", "8"))
    print(f"{os.cpu_count()} CPU(s); {n} DOCX dossiers; formats {','.join(FORMATS)}; SQLite ledger; "
          f"load average before: {os.getloadavg()[0]:.1f}")
    print(f"{'workers':>8}{'local procs/min':>18}{'dask workers/min':>18}")
    from distributed import Client

    from pipeline.dask_runner import _warm
    from pipeline.runner import _warm_up
    _warm_up()
    starts = []
    with tempfile.TemporaryDirectory() as root:
        inp = _inputs(Path(root), n)
        for k in WORKERS:
            done, wall = _rate(inp, k)
            local = done / wall * 60
            t0 = time.perf_counter()
            with LocalCluster(n_workers=k, threads_per_worker=1, processes=True, dashboard_address=None,
                              host="127.0.0.1") as cluster, Client(cluster) as client:
                client.run(_warm)
                starts.append(time.perf_counter() - t0)
                done_d, wall_d = _rate(inp, k, cluster.scheduler_address)
            print(f"{k:>8}{local:>18.1f}{done_d / wall_d * 60:>18.1f}", flush=True)
    print("starting and warming the LocalCluster (not counted above): "
          + ", ".join(f"{k} workers {s:.0f} s" for k, s in zip(WORKERS, starts)))


if __name__ == "__main__":
    main()
