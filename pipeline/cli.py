"""Command line: ``python -m pipeline run INPUT... --out OUT`` and ``python -m pipeline check``.

Exit status is non-zero only when the run itself could not proceed (bad arguments, an input
that does not exist, an output folder that cannot be written or is in use by another run, an
interrupt); a dossier that fails is recorded in its own output and the ledger, and the batch
goes on.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.isolation import machine_cores, set_ocr_threads
from pipeline.model import Extraction
from pipeline.model.profiles import list_profiles

from pipeline.memo import FORMATS


def _formats(text: str) -> tuple[str, ...]:
    fs = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    bad = [f for f in fs if f not in FORMATS]
    if bad or not fs:
        raise argparse.ArgumentTypeError(f"formats are a comma-separated subset of {','.join(FORMATS)}")
    return fs


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pipeline",
                                description="中小企业特色产业集群申报材料预审流水线 — pre-screen application dossiers")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="read dossiers and write extraction.json + memos per dossier, "
                                   "summary.csv/xlsx + index.html per run")
    r.add_argument("inputs", nargs="+", type=Path, help="dossier folder, .zip, or folder of dossiers")
    r.add_argument("--out", required=True, type=Path, help="output folder")
    r.add_argument("--profile", choices=list_profiles(), help="criteria profile (default: from the form's header)")
    r.add_argument("--workers", type=int, default=None,
                   help=f"worker processes (default: this machine's CPU cores, {machine_cores()}); "
                        "OCR threads per worker = cores ÷ workers")
    r.add_argument("--file-timeout", type=float, default=600.0, help="seconds allowed per file (default 600)")
    r.add_argument("--dossier-timeout", type=float, default=3600.0,
                   help="seconds allowed per dossier, all its files and memos (default 3600; 0 = no limit)")
    r.add_argument("--formats", type=_formats, default=FORMATS,
                   help="memo formats to write, comma-separated (default html,md,docx,pdf)")
    r.add_argument("--force", action="store_true", help="redo every dossier, also those unchanged since the last run")
    c = sub.add_parser("check", help="re-run the checks on an existing extraction.json and rewrite its findings")
    c.add_argument("extraction", type=Path)
    c.add_argument("--profile", choices=list_profiles())
    c.add_argument("--formats", type=_formats, default=FORMATS, help="memo formats to rewrite")
    return p


def cmd_run(a) -> int:
    from pipeline.process import Options
    from pipeline.runner import RunLocked, run_batch
    for i in a.inputs:
        if not i.exists():
            print(f"错误：输入不存在 — input not found: {i}", file=sys.stderr)
            return 2
    if a.workers is None:
        a.workers = machine_cores()
    if a.workers < 1:
        print("错误：--workers 至少为 1 — --workers must be at least 1", file=sys.stderr)
        return 2
    try:
        a.out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        print(f"错误：无法创建输出目录 — cannot create output folder {a.out}: {e}", file=sys.stderr)
        return 2
    opts = Options(profile=a.profile, file_timeout=a.file_timeout, formats=a.formats)
    threads = set_ocr_threads(a.workers)
    from pipeline.doccache import DocCache
    DocCache(a.out).prune()                 # document models of older readers, writes a kill left
    print(f"{a.workers} 个工作进程，每个 OCR 线程 {threads}（本机 {machine_cores()} 核）— {a.workers} worker(s), "
          f"{threads} OCR thread(s) each ({machine_cores()} CPU cores)", file=sys.stderr, flush=True)
    try:
        s = run_batch(a.inputs, a.out, opts, workers=a.workers, dossier_timeout=a.dossier_timeout or None,
                      force=a.force)
    except RunLocked as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:               # before the workers started: nothing to clean up
        print("已中断 — interrupted", file=sys.stderr)
        return 130
    return 130 if s.interrupted else 0


def cmd_check(a) -> int:
    from pipeline.outputs import write_memos_in_place
    from pipeline.process import run_validators
    path: Path = a.extraction
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        ext = Extraction.from_json(data)
    except (OSError, ValueError, KeyError) as e:
        print(f"错误：无法读取 {path} — cannot read extraction: {e}", file=sys.stderr)
        return 2
    if a.profile:
        ext.profile = a.profile
    ext.problems = [p for p in ext.problems if p.get("kind") not in ("render", "no_cjk_font")]
    run_validators(ext)
    write_memos_in_place(ext, path.parent, a.formats)
    errors = sum(f.severity == "error" for f in ext.findings)
    warnings = sum(f.severity == "warning" for f in ext.findings)
    print(f"{ext.dossier_id}: {ext.verdict} ({errors} error, {warnings} warning) — profile {ext.profile}")
    return 0


def main(argv=None) -> int:
    a = _parser().parse_args(argv)
    return {"run": cmd_run, "check": cmd_check}[a.cmd](a)
