"""The batch: every dossier of the inputs through ``process``; one failure never stops the rest."""
from __future__ import annotations

import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from pipeline.dossiers import DossierInput, discover
from pipeline.process import Options, process


@dataclass
class BatchSummary:
    done: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    rows: list[dict] = field(default_factory=list)


def run_batch(inputs: list[Path], out: Path, opts: Options, workers: int = 1,
              stream=sys.stderr) -> BatchSummary:
    dossiers = discover(inputs)
    out.mkdir(parents=True, exist_ok=True)
    summary = BatchSummary()
    t0 = time.perf_counter()
    for i, d in enumerate(dossiers, 1):
        try:
            r = process(d, opts, out)
            summary.done += 1
            ext = r.extraction
            print(f"[{i}/{len(dossiers)}] {d.id}: {ext.verdict}"
                  f"{'  (' + str(len(ext.problems)) + ' 个文件问题)' if ext.problems else ''}", file=stream)
        except Exception as e:
            summary.failed += 1
            print(f"[{i}/{len(dossiers)}] {d.id}: 失败 — failed: {type(e).__name__}: {e}", file=stream)
            traceback.print_exc(file=stream)
    summary.seconds = time.perf_counter() - t0
    print(f"完成 {summary.done}，失败 {summary.failed}，跳过 {summary.skipped}，用时 {summary.seconds:.1f} 秒 — "
          f"done {summary.done}, failed {summary.failed}, skipped {summary.skipped}", file=stream)
    return summary
