"""The development corpus from another source (``../shared/devcorpus/``), scored by its own
``score.py``: the table per rendition (docx / pdf / scan) beside the samples' figures.

The corpus is read where it lies and never copied into the repository; the run's output goes
to ``out/devcorpus/`` (``DEVCORPUS_OUT`` overrides), so a second ``make accuracy`` only redoes
what changed (the ledger skips unchanged dossiers, the document cache keeps every file's
reading).  ``DEVCORPUS_FORCE=1`` redoes them all.  Skipped, saying so, where the corpus is not
beside the repository.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "devcorpus"


def main() -> None:
    if not (CORPUS / "score.py").exists():
        print(f"devcorpus: not found at {CORPUS} — section skipped")
        return
    out = Path(os.environ.get("DEVCORPUS_OUT", REPO / "out" / "devcorpus"))
    dossiers = sorted(str(p) for p in CORPUS.iterdir() if p.is_dir() and p.name.startswith("D"))
    cmd = [sys.executable, "-m", "pipeline", "run", *dossiers, "--out", str(out),
           "--workers", str(os.cpu_count() or 1)]
    if os.environ.get("DEVCORPUS_FORCE"):
        cmd.append("--force")
    run = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if run.returncode:
        print(f"devcorpus: the run failed (exit {run.returncode}):\n{run.stderr[-2000:]}")
        return
    print(run.stderr.strip().splitlines()[-3] if run.stderr.strip() else "")
    details = ["--details"] if os.environ.get("DEVCORPUS_DETAILS") else []
    subprocess.run([sys.executable, str(CORPUS / "score.py"), str(CORPUS), str(out), *details], cwd=REPO)


if __name__ == "__main__":
    main()
