"""Write one dossier's outputs atomically: a staging folder, then a rename over OUT/<id>/.

A run killed mid-way never leaves a half-written dossier folder behind: either the old
outputs or the new ones are there, complete.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from pipeline.model import load_catalogue
from pipeline.render import render_memo_html


def write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def extraction_json(ext) -> str:
    return json.dumps(ext.to_json(), ensure_ascii=False, indent=1)


def write_dossier(result, out_root: Path, opts) -> Path:
    ext = result.extraction
    out_root.mkdir(parents=True, exist_ok=True)
    staging = out_root / ".staging" / ext.dossier_id
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    write_text(staging / "extraction.json", extraction_json(ext))
    write_text(staging / "memo.html", render_memo_html(ext, load_catalogue()))
    final = out_root / ext.dossier_id
    old = out_root / ".staging" / (ext.dossier_id + ".old")
    if final.exists():
        if old.exists():
            shutil.rmtree(old)
        os.replace(final, old)
    os.replace(staging, final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    return final


def write_dossier_memo_only(ext, folder: Path) -> None:
    """Rewrite extraction.json and the memos of an existing dossier folder (``check``)."""
    write_text(folder / "extraction.json", extraction_json(ext))
    write_text(folder / "memo.html", render_memo_html(ext, load_catalogue()))
