"""Soak and chaos bench (``make soak``; not part of ``make test``).

1. **Soak.** ``--dossiers`` dossiers (the DOCX samples copied under new names; scans would
   take hours) run with ``--workers`` workers through the real command line.  The batch's
   process tree is sampled every 0.2 s: each worker's resident memory (with the reader
   children it forks) and the batch process's own.  Printed: peak per worker over the first
   hundred dossiers and over the last hundred (flat = no leak across a season), and the
   batch process's memory at the start and the end.
2. **Chaos.** The same batch into a fresh OUT, killed with ``kill -9`` at ``--kills`` random
   moments and resumed with the same command each time, then run to its end.  Its outputs
   are compared with the uninterrupted run's, dossier by dossier (extraction.json without its
   timings, memo.md, memo.html, the Word memo's body), and summary.csv, the ledger (every
   dossier ``done``, none ``running``) and the staging area (empty) are checked.

``python -m bench.soak --dossiers 500 --kills 20 --workers 2 [--formats html,md,docx] [--seed 1]``
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "dossiers"
DOCX_ONLY = (".docx", ".xlsx")


def make_inputs(inp: Path, n: int) -> list[str]:
    """``n`` dossiers, copies of the samples that hold only DOCX/XLSX, renamed ``0001-<sample>``."""
    pool = sorted(d for d in SAMPLES.iterdir() if d.is_dir() and all(f.suffix in DOCX_ONLY for f in d.iterdir()))
    ids = []
    for i in range(n):
        src = pool[i % len(pool)]
        dst = inp / f"{i + 1:04d}-{src.name}"
        dst.mkdir(parents=True)
        for f in src.iterdir():
            try:
                os.link(f, dst / f.name)
            except OSError:
                shutil.copy2(f, dst / f.name)
        ids.append(dst.name)
    return ids


class Sampler(threading.Thread):
    """Resident memory of the batch process and of each worker (with its readers), over time."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.stop = pid, threading.Event()
        self.workers: dict[int, int] = {}          # worker pid -> peak RSS (bytes), with its children
        self.order: list[int] = []                  # worker pids in the order they appeared
        self.parent: list[int] = []                 # the batch process's RSS over time

    def run(self) -> None:
        try:
            batch = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.stop.is_set():
            try:
                rss = batch.memory_info().rss
                if rss:
                    self.parent.append(rss)
                for w in batch.children():
                    rss = _tree_rss(w)
                    if w.pid not in self.workers:
                        self.order.append(w.pid)
                    self.workers[w.pid] = max(self.workers.get(w.pid, 0), rss)
            except psutil.Error:
                pass
            self.stop.wait(0.2)


def _tree_rss(p: psutil.Process) -> int:
    total = 0
    for q in [p] + p.children(recursive=True):
        try:
            total += q.memory_info().rss
        except psutil.Error:
            pass
    return total


def command(inp: Path, out: Path, workers: int, formats: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "run", str(inp), "--out", str(out), "--workers", str(workers),
            "--formats", formats]


ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONUNBUFFERED": "1"}


def soak(inp: Path, out: Path, workers: int, formats: str, n: int) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(command(inp, out, workers, formats), cwd=ROOT, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = Sampler(proc.pid)
    sampler.start()
    _, err = proc.communicate()
    sampler.stop.set()
    sampler.join()
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"the uninterrupted run failed ({proc.returncode}):\n{err[-2000:]}")
    peaks = [sampler.workers[p] / 2**20 for p in sampler.order]
    k = min(100, max(1, len(peaks) // 3))
    first, last = peaks[:k], peaks[-k:]
    print(f"soak: {n} dossiers, {workers} workers, {seconds:.0f} s ({n / seconds * 60:.1f} dossiers/min); "
          f"{len(peaks)} workers seen")
    print(f"  peak RSS per worker (with its readers), first {k}: max {max(first):.0f} MB, mean "
          f"{sum(first) / len(first):.0f} MB; last {k}: max {max(last):.0f} MB, mean {sum(last) / len(last):.0f} MB")
    if sampler.parent:
        print(f"  batch process RSS: start {sampler.parent[min(5, len(sampler.parent) - 1)] / 2**20:.0f} MB, "
              f"end {sampler.parent[-1] / 2**20:.0f} MB, peak {max(sampler.parent) / 2**20:.0f} MB")
    return seconds


def chaos(inp: Path, out: Path, workers: int, formats: str, kills: int, reference_seconds: float,
          rng: random.Random, n: int) -> dict:
    """Kill -9 the batch ``kills`` times at random moments, resuming each time; then finish.
    Each moment is drawn over the time the work still left should take, shared among the
    kills still to come, so they spread over the whole batch."""
    log = []
    for i in range(kills):
        left = 1 - _ledger_status(out).count("done") / n
        spacing = reference_seconds * left / (kills - i + 1)
        proc = subprocess.Popen(command(inp, out, workers, formats), cwd=ROOT, env=ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        at = rng.uniform(0.3, 1.7) * spacing + 4.0       # the warm-up comes first on every resume
        try:
            proc.wait(at)
            log.append((i + 1, at, "finished before the kill"))
            continue
        except subprocess.TimeoutExpired:
            pass
        tree = [proc.pid] + [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        left = _survivors(tree, 5.0)
        done = _ledger_status(out).count("done")
        log.append((i + 1, at, f"killed; {done} done so far; {len(left)} process(es) outlived it"))
        for pid in left:                                  # do not leave them to the next try
            os.kill(pid, signal.SIGKILL)
    t0 = time.perf_counter()
    final = subprocess.run(command(inp, out, workers, formats), cwd=ROOT, env=ENV, capture_output=True, text=True)
    for i, at, what in log:
        print(f"  kill {i:2d} after {at:5.1f} s: {what}")
    print(f"  final resume: exit {final.returncode}, {time.perf_counter() - t0:.0f} s; "
          f"{final.stderr.strip().splitlines()[-2] if final.stderr.strip() else ''}")
    return {"log": log, "final": final.returncode}


def _survivors(pids: list[int], wait: float) -> list[int]:
    deadline = time.time() + wait
    while time.time() < deadline:
        alive = [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
        if not alive:
            return []
        time.sleep(0.2)
    return alive


def _ledger_status(out: Path) -> list[str]:
    try:
        db = sqlite3.connect(f"file:{out / 'ledger.sqlite'}?mode=ro", uri=True, timeout=10)
        try:
            return [r[0] for r in db.execute("SELECT status FROM dossiers")]
        finally:
            db.close()
    except sqlite3.Error:
        return []


def comparable(folder: Path) -> dict:
    ext = json.loads((folder / "extraction.json").read_text(encoding="utf-8"))
    ext["meta"].pop("timings", None)
    out = {"files": sorted(p.name for p in folder.iterdir()), "extraction": ext}
    for name in ("memo.md", "memo.html"):
        if (folder / name).exists():
            out[name] = (folder / name).read_text(encoding="utf-8")
    if (folder / "memo.docx").exists():
        with zipfile.ZipFile(folder / "memo.docx") as z:
            out["docx"] = z.read("word/document.xml")
    return out


def summary_rows(out: Path) -> dict:
    rows = csv.DictReader((out / "summary.csv").read_text(encoding="utf-8-sig").splitlines())
    return {r["编号"]: r for r in rows}


def compare(ref: Path, got: Path, ids: list[str]) -> list[str]:
    diffs = []
    for d in ids:
        if not (got / d / "extraction.json").exists():
            diffs.append(f"{d}: missing")
        elif comparable(ref / d) != comparable(got / d):
            diffs.append(f"{d}: outputs differ")
    if summary_rows(ref) != summary_rows(got):
        diffs.append("summary.csv differs")
    status = _ledger_status(got)
    if status.count("done") != len(ids) or "running" in status:
        diffs.append(f"ledger: {status.count('done')} done of {len(ids)}, {status.count('running')} running")
    staging = got / ".staging"
    if staging.exists() and any(staging.iterdir()):
        diffs.append("staging area not empty")
    return diffs


def main(argv=None) -> int:
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--dossiers", type=int, default=500)
    a.add_argument("--kills", type=int, default=20)
    a.add_argument("--workers", type=int, default=2)
    a.add_argument("--formats", default="html,md,docx")
    a.add_argument("--seed", type=int, default=1)
    a.add_argument("--keep", type=Path, help="keep the inputs and outputs in this folder")
    a.add_argument("--chaos-only", type=float, metavar="SECONDS",
                   help="reuse --keep's inputs and uninterrupted run (which took SECONDS); redo the chaos only")
    args = a.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="soak-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        inp = base / "in"
        if args.chaos_only:
            ids, seconds = sorted(p.name for p in inp.iterdir()), args.chaos_only
            shutil.rmtree(base / "out-chaos", ignore_errors=True)
        else:
            ids = make_inputs(inp, args.dossiers)
            seconds = soak(inp, base / "out-soak", args.workers, args.formats, args.dossiers)
        print(f"chaos: {args.kills} × kill -9 at random moments (seed {args.seed}), resumed each time")
        chaos(inp, base / "out-chaos", args.workers, args.formats, args.kills, seconds, random.Random(args.seed),
              len(ids))
        diffs = compare(base / "out-soak", base / "out-chaos", ids)
        print(f"  compared with the uninterrupted run: {len(ids) - len([d for d in diffs if ':' in d])} of "
              f"{len(ids)} dossiers identical (up to timings); "
              + ("summary.csv identical, ledger all done, staging empty" if not diffs else "; ".join(diffs[:10])))
        return 1 if diffs else 0
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
