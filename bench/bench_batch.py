"""A batch of the digital samples (every dossier whose form is not a scan) at 1 and 2 workers
(every memo format, a fresh output folder per run), each repeated ``BENCH_REPEATS`` times
(default 2): the 2-worker batch against its floor, half the 1-worker batch of the same run
(ideal 1.00×; the bar, 2 workers ≥ 1.8× one, is ≤ 1.11×; CPU against the whole 1-worker
batch's: the cost of running two at once), where a dossier's
time goes, a rerun that skips every unchanged dossier, and the workers' peak memory.
``BENCH_BATCH=all`` takes the scans too, ``BENCH_BATCH=8`` the first 8 digital samples,
``BENCH_BATCH=docx`` the samples whose every file is DOCX or XLSX (the batch issue 13 measured:
no picture for OCR, so one worker is one busy core, and the workers' scaling is what is seen),
``BENCH_BATCH=heldout`` 16 DOCX/XLSX dossiers the generator writes afresh with a salt no one tunes on
(the batch issue 13 measured: 16 held-out dossiers, a DOCX form with DOCX and XLSX evidence), and
``BENCH_BATCH=<folder>`` the dossiers in a folder.  With N dossiers, 2 workers can at best reach
N ÷ ⌈N/2⌉ times one (1.88× for 15: one worker runs the odd one alone); that ceiling is printed
beside the speed-up.  OCR threads per worker: cores ÷ workers, as ``run`` sets them.  CPU seconds are this process's and its reaped children's (the workers), plus the
Chromium print server's (``bench.bench_memo.timed``), which prints every worker's memo.pdf.  The
load average before and after is printed: above the core count, other work shared the machine
and the wall ratio says more about it than about the workers."""
from __future__ import annotations

import io
import json
import os
import resource
import statistics
import tempfile
from pathlib import Path

from bench.bench_memo import timed
from bench.timing import Timing, header, row
from pipeline.isolation import machine_cores, set_ocr_threads
from pipeline.ledger import Ledger
from pipeline.process import Options
from pipeline.runner import _warm_up, run_batch

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "dossiers"
REPEATS = int(os.environ.get("BENCH_REPEATS", "2"))
OFFICE = frozenset({".docx", ".xlsx"})
HELDOUT_SALT = "bench-batch"            # the generator's salt for BENCH_BATCH=heldout (never tuned on)
HELDOUT_COUNT = 16


def inputs() -> list[Path]:
    """``BENCH_BATCH``: unset, the digital samples; ``all``, the scans too; ``docx``, the samples
    made of DOCX and XLSX files only; a number N, the first N digital samples (a shorter batch
    on a busy machine)."""
    wanted = os.environ.get("BENCH_BATCH", "")
    if wanted == "heldout":
        batch: list[Path] = []
        for n in range(1, 5):           # a salt's draw may give fewer office-only dossiers: another salt
            batch += _office_only(_generated(HELDOUT_SALT if n == 1 else f"{HELDOUT_SALT}-{n}"))
            if len(batch) >= HELDOUT_COUNT:
                break
        return batch[:HELDOUT_COUNT]
    if wanted and Path(wanted).is_dir():
        return sorted(p for p in Path(wanted).iterdir() if p.is_dir())
    dirs = sorted(p for p in SAMPLES.iterdir() if p.is_dir())
    if wanted == "all":
        return dirs
    digital = [p for p in dirs if not p.name.endswith("-scan")]
    if wanted == "docx":
        return _office_only(digital)
    return digital[:int(wanted)] if wanted.isdigit() else digital


def _office_only(dirs: list[Path]) -> list[Path]:
    return [p for p in dirs if all(f.suffix.lower() in OFFICE for f in p.iterdir() if f.is_file())]


def _generated(salt: str) -> list[Path]:
    """Every profile's dossiers (clean and planted) drawn afresh by the generator with ``salt``,
    in a temporary folder removed at exit."""
    import atexit
    import contextlib
    import shutil

    from samples.generator.__main__ import main as generate
    root = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    atexit.register(shutil.rmtree, root, True)
    with contextlib.redirect_stdout(io.StringIO()):
        generate(["--out", str(root), "--seed-salt", salt])
    return sorted(p for p in (root / "dossiers").iterdir() if p.is_dir())


def _stages(out: Path) -> dict[str, list[float]]:
    stages: dict[str, list[float]] = {}
    ledger = Ledger(out)
    try:
        for r in ledger.dossiers():
            for k, v in json.loads(r["timings"] or "{}").items():
                stages.setdefault(k, []).append(v)
    finally:
        ledger.close()
    return stages


def main() -> None:
    if not SAMPLES.exists():
        print("no sample dossiers found")
        return
    batch = inputs()
    _warm_up()                      # as `run` does before it forks its workers
    print(f"{machine_cores()} core(s); {len(batch)} dossiers; formats html, md, docx, pdf; fresh output folder per "
          f"run; {REPEATS} repeats; load average before: {os.getloadavg()[0]:.1f}")
    header()
    done: dict[int, int] = {}
    runs = {}
    for n in (1, 2):
        threads = set_ocr_threads(n)

        def one(n=n) -> None:
            with tempfile.TemporaryDirectory() as out:
                s = run_batch(batch, Path(out), Options(), workers=n, stream=io.StringIO())
                done[n] = s.done
                if n == 1:
                    runs["stages"] = _stages(Path(out))
                    runs["rerun"] = timed("rerun, nothing changed (1 worker)", lambda: runs.setdefault(
                        "again", run_batch(batch, Path(out), Options(), workers=n, stream=io.StringIO())), 1)
        runs[n] = timed(f"batch, {n} worker(s) × {threads} OCR thread(s)", one, REPEATS)
    row(runs[1])
    # the floor's wall is half the 1-worker batch's; its CPU the whole (the same work, shared out)
    half = Timing("half the 1-worker batch", [w / 2 for w in runs[1].wall], list(runs[1].cpu))
    row(runs[2], floor=half, note="(bar: ≤ 1.11× = 2 workers ≥ 1.8× one)")
    print(f"dossiers done: {done[1]} (1 worker), {done[2]} (2 workers) of {len(batch)}")
    print(f"speed-up of 2 workers over 1 (median wall): {runs[1].median / runs[2].median:.2f}× "
          f"(ideal 2.00×, at best {len(batch) / -(-len(batch) // 2):.2f}× for {len(batch)} dossiers, bar 1.80×); "
          f"per minute: {done[1] / runs[1].median * 60:.1f} → "
          f"{done[2] / runs[2].median * 60:.1f} dossiers")
    row(runs["rerun"], floor=runs[1], note=f"({runs['again'].skipped} skipped)")
    print("where one dossier's time goes (1 worker, median s): " + ", ".join(
        f"{k} {statistics.median(v):.2f}" for k, v in runs["stages"].items() if k != "total"))
    load = os.getloadavg()[0]
    print(f"load average after: {load:.1f} on {machine_cores()} core(s)"
          + (" — measured under load: other work shared the cores, the wall ratio is not the workers' alone"
             if load > machine_cores() else ""))
    print(f"peak memory of one worker (max RSS of the largest child): "
          f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
