"""Command line: ``python -m pipeline run INPUT... --out OUT``, ``python -m pipeline check`` and
``python -m pipeline review OUT`` (the clerks' review workbench).

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
from pipeline.memo import FORMATS
from pipeline.model import Extraction
from pipeline.model.profiles import list_profiles


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
    r.add_argument("--file-timeout", type=float, default=600.0, help="CPU seconds a file's reader may use (default 600; one silent for 4× that in wall-clock time is stopped as stuck)")
    r.add_argument("--dossier-timeout", type=float, default=3600.0,
                   help="seconds allowed per dossier, all its files and memos (default 3600; 0 = no limit)")
    r.add_argument("--formats", type=_formats, default=FORMATS,
                   help="memo formats to write, comma-separated (default html,md,docx,pdf)")
    r.add_argument("--force", action="store_true", help="redo every dossier, also those unchanged since the last run")
    _cluster_options(r)
    c = sub.add_parser("check", help="re-run the checks on an existing extraction.json and rewrite its findings")
    c.add_argument("extraction", type=Path)
    c.add_argument("--profile", choices=list_profiles())
    c.add_argument("--formats", type=_formats, default=FORMATS, help="memo formats to rewrite")
    c.add_argument("--ledger", metavar="URL", help="the run's ledger, to update the dossier's row "
                                                   "(default: OUT/ledger.sqlite beside the dossier's folder, if any)")
    v = sub.add_parser("review", help="the clerks' review workbench over a run's output (a local web app)")
    v.add_argument("out", type=Path, help="the run's output folder")
    v.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    v.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    v.add_argument("--add-user", metavar="NAME", help="create a reviewer account; the password is read from stdin")
    v.add_argument("--ledger", metavar="URL", help="database of the corrections (default: OUT/ledger.sqlite)")
    return p


def cmd_review(a) -> int:
    from pipeline import review
    if not a.out.is_dir():
        print(f"错误：输出目录不存在 — output folder not found: {a.out}", file=sys.stderr)
        return 2
    if a.add_user:
        return review.add_user(a.out, a.add_user, sys.stdin, a.ledger)
    return review.serve(a.out, a.host, a.port, a.ledger)


def _cluster_options(r: argparse.ArgumentParser) -> None:
    """A season on several machines (docs/cluster.md)."""
    r.add_argument("--ledger", metavar="URL", help="ledger database (default: OUT/ledger.sqlite); "
                                                   "postgresql+psycopg://user@host/db lets several runs share a season")
    r.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler (tcp://HOST:8786): run the dossiers on "
                                                          "its workers instead of local processes")


def cmd_run(a) -> int:
    from pipeline.dask_runner import ClusterError
    from pipeline.ledger import LedgerError
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
    from pipeline.outputs import cannot_write_message, unwritable
    why = unwritable(a.out)
    if why:
        print(f"错误：{why} — cannot write the output folder", file=sys.stderr)
        return 2
    opts = Options(profile=a.profile, file_timeout=a.file_timeout, formats=a.formats, ledger_url=a.ledger)
    threads = set_ocr_threads(a.workers)
    from pipeline.doccache import DocCache
    DocCache(a.out).prune()                 # document models of older readers, writes a kill left
    print(f"{a.workers} 个工作进程，每个 OCR 线程 {threads}（本机 {machine_cores()} 核）— {a.workers} worker(s), "
          f"{threads} OCR thread(s) each ({machine_cores()} CPU cores)", file=sys.stderr, flush=True)
    try:
        s = run_batch(a.inputs, a.out, opts, workers=a.workers, dossier_timeout=a.dossier_timeout or None,
                      force=a.force, ledger_url=a.ledger, scheduler=a.scheduler)
    except (RunLocked, LedgerError, ClusterError) as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except Exception as e:
        if not _is_write_failure(e):
            raise
        print(f"错误：{cannot_write_message(a.out, e)} — the run stopped: the output folder could not be written "
              f"({type(e).__name__}: {e})", file=sys.stderr)
        return 3
    except KeyboardInterrupt:               # before the workers started: nothing to clean up
        print("已中断 — interrupted", file=sys.stderr)
        return 130
    return 130 if s.interrupted else 0


def _is_write_failure(e: BaseException) -> bool:
    """An OSError, or the ledger's database failing to write (a full disk, a read-only file)."""
    while e is not None:
        if isinstance(e, OSError):
            return True
        text = str(e).lower()
        if type(e).__name__ in ("OperationalError", "DatabaseError") and any(
                w in text for w in ("disk", "full", "readonly", "read-only", "unable to open", "i/o")):
            return True
        e = e.__cause__ or e.__context__
    return False


def cmd_check(a) -> int:
    from pipeline.process import recheck
    path: Path = a.extraction
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        ext = Extraction.from_json(data)
    except (OSError, ValueError, KeyError) as e:
        print(f"错误：无法读取 {path} — cannot read extraction: {e}", file=sys.stderr)
        return 2
    if a.profile:
        ext.profile = a.profile
    recheck(ext, path.parent, a.formats)
    from pipeline.summary import record_recheck
    why = record_recheck(ext, path.parent.parent, a.ledger)
    if why:
        print(f"警告：{why}", file=sys.stderr)
    errors = sum(f.severity == "error" for f in ext.findings)
    warnings = sum(f.severity == "warning" for f in ext.findings)
    print(f"{ext.dossier_id}: {ext.verdict} ({errors} error, {warnings} warning) — profile {ext.profile}")
    return 0


def main(argv=None) -> int:
    a = _parser().parse_args(argv)
    return {"run": cmd_run, "check": cmd_check, "review": cmd_review}[a.cmd](a)
