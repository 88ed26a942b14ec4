"""Command line: ``python -m pipeline run INPUT... --out OUT`` and ``python -m pipeline check``.

Exit status is non-zero only when the run itself could not proceed (bad arguments, an input
that does not exist, an output folder that cannot be written); a dossier that fails is
recorded in its own output and the batch goes on.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.model import Extraction
from pipeline.model.profiles import list_profiles


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pipeline",
                                description="中小企业特色产业集群申报材料预审流水线 — pre-screen application dossiers")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="read dossiers and write extraction.json + memos per dossier")
    r.add_argument("inputs", nargs="+", type=Path, help="dossier folder, .zip, or folder of dossiers")
    r.add_argument("--out", required=True, type=Path, help="output folder")
    r.add_argument("--profile", choices=list_profiles(), help="criteria profile (default: from the form's header)")
    r.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    r.add_argument("--file-timeout", type=float, default=600.0, help="seconds allowed per file (default 600)")
    c = sub.add_parser("check", help="re-run the checks on an existing extraction.json and rewrite its findings")
    c.add_argument("extraction", type=Path)
    c.add_argument("--profile", choices=list_profiles())
    return p


def cmd_run(a) -> int:
    from pipeline.process import Options
    from pipeline.runner import run_batch
    for i in a.inputs:
        if not i.exists():
            print(f"错误：输入不存在 — input not found: {i}", file=sys.stderr)
            return 2
    try:
        a.out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        print(f"错误：无法创建输出目录 — cannot create output folder {a.out}: {e}", file=sys.stderr)
        return 2
    opts = Options(profile=a.profile, file_timeout=a.file_timeout)
    run_batch(a.inputs, a.out, opts, workers=a.workers)
    return 0


def cmd_check(a) -> int:
    from pipeline.outputs import write_dossier_memo_only
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
    run_validators(ext)
    write_dossier_memo_only(ext, path.parent)
    errors = sum(f.severity == "error" for f in ext.findings)
    warnings = sum(f.severity == "warning" for f in ext.findings)
    print(f"{ext.dossier_id}: {ext.verdict} ({errors} error, {warnings} warning) — profile {ext.profile}")
    return 0


def main(argv=None) -> int:
    a = _parser().parse_args(argv)
    return {"run": cmd_run, "check": cmd_check}[a.cmd](a)
