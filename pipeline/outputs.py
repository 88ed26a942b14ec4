"""Write one dossier's outputs atomically: a staging folder, then a rename over OUT/<id>/.

A run killed mid-way never leaves a half-written dossier folder behind: either the old
outputs or the new ones are there, complete.  Each worker process stages under
``OUT/.staging/<pid>/new/<id>``; the swap moves the old folder to ``…/old/<id>`` and the new
one into place, two renames.  :func:`recover` (run before a batch starts) puts back an old
folder that a kill between those two renames left aside, and clears the staging area.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import socket
from pathlib import Path
from typing import Iterable, Mapping, Optional

from pipeline.atomic import gone_here
from pipeline.memo import FORMATS, render_memos

STAGING = ".staging"
WRITE_PROBE = ".write-probe"


def unwritable(out_root: Path) -> Optional[str]:
    """Why OUT cannot be written (cannot be created, read-only, another user's, a full disk),
    in words for the clerk; None when a file can be created, written and removed in it."""
    out_root = Path(out_root)
    probe = out_root / f"{WRITE_PROBE}-{os.getpid()}"
    try:
        out_root.mkdir(parents=True, exist_ok=True)
        with open(probe, "wb") as f:
            f.write(b"\0" * 4096)
            f.flush()
            os.fsync(f.fileno())
        probe.unlink()
        return None
    except OSError as e:
        with contextlib.suppress(OSError):
            probe.unlink()
        return cannot_write_message(out_root, e)


def cannot_write_message(out_root: Path, e: BaseException) -> str:
    """The clerk's message for an OUT that failed to be written."""
    why = {errno.EACCES: "没有写入权限（只读或属于其他用户）— permission denied",
           errno.EPERM: "没有写入权限（只读或属于其他用户）— permission denied",
           errno.EROFS: "所在磁盘为只读 — read-only file system",
           errno.ENOSPC: "磁盘空间已满 — no space left on the device",
           errno.EDQUOT: "磁盘配额已用完 — disk quota exceeded",
           errno.EFBIG: "文件超过允许的大小（磁盘已满或受限）— file too large for the device",
           errno.ENOTDIR: "路径中有同名文件而不是文件夹 — a file is in the way"}.get(getattr(e, "errno", None))
    if why is None:
        why = str(e) or type(e).__name__
    return f"无法写入输出目录 {out_root}：{why}"


def scratch_dir(out_root: Optional[Path]) -> Optional[Path]:
    """Where this process unpacks a zip dossier: inside OUT (``.staging/<pid>/unpack``), so
    nothing outside OUT is written and a killed run's leftovers are cleared by :func:`recover`;
    None (the system's temporary folder) without an OUT."""
    if out_root is None:
        return None
    d = Path(out_root) / STAGING / str(os.getpid()) / "unpack"
    d.mkdir(parents=True, exist_ok=True)
    return d


def memo_cache(folder: Path) -> Path:
    """OUT/.cache/memo for a dossier folder OUT/<id> or its staging folder OUT/.staging/<pid>/new/<id>."""
    folder = Path(folder).resolve()
    for up in folder.parents:
        if up.name == STAGING:
            return up.parent / ".cache" / "memo"
    return folder.parent / ".cache" / "memo"


def write_bytes(path: Path, data: bytes) -> None:
    """Write a file so that a reader sees the old content or the new, never a part."""
    tmp = path.with_name(f"{path.name}.{_owner()}.tmp")       # runs sharing an OUT never share a tmp file
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def extraction_json(ext) -> str:
    return json.dumps(ext.to_json(), ensure_ascii=False, indent=1)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def render_into(ext, folder: Path, formats: Iterable[str] = FORMATS,
                files: Optional[Mapping[str, Path]] = None) -> None:
    """Render the memos, then write them and extraction.json into ``folder``.

    Problems met while rendering (no CJK font, a format that failed) join the dossier's
    ``problems`` before extraction.json is written, so the JSON says what is missing and why.
    """
    memos = render_memos(ext, tuple(formats), files, cache_dir=memo_cache(folder))
    for p in memos.problems:
        if p not in ext.problems:
            ext.problems.append(p)
    for name, data in memos.files.items():
        write_bytes(folder / name, data)
    write_text(folder / "extraction.json", extraction_json(ext))


def write_dossier(result, out_root: Path, opts) -> Path:
    """OUT/<id>/ for a processed dossier, swapped in whole.  Called while the dossier is open,
    so the memo can crop scanned cells out of the source files."""
    ext = result.extraction
    files = {rr.source.file: rr.path for rr in result.reads if getattr(rr, "path", None) is not None}
    return write_folder(ext, Path(out_root), opts.formats, files)


def write_folder(ext, out_root: Path, formats: Iterable[str] = FORMATS,
                 files: Optional[Mapping[str, Path]] = None) -> Path:
    from pipeline.dossiers import is_reserved
    if is_reserved(ext.dossier_id) or "/" in ext.dossier_id or ext.dossier_id in ("", "."):
        raise ValueError(f"reserved or unsafe dossier id for a folder of OUT: {ext.dossier_id!r}")
    out_root.mkdir(parents=True, exist_ok=True)
    mine = out_root / STAGING / _owner()
    staging, old = mine / "new" / ext.dossier_id, mine / "old" / ext.dossier_id
    for p in (staging, old):
        if p.exists():
            shutil.rmtree(p)
    staging.mkdir(parents=True)
    old.parent.mkdir(parents=True, exist_ok=True)
    render_into(ext, staging, formats, files)
    _fsync_dir(staging)
    final = out_root / ext.dossier_id
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    _fsync_dir(out_root)
    shutil.rmtree(old, ignore_errors=True)
    return final


def _owner() -> str:
    """This process's staging name: host and pid (runs on several machines may share an OUT)."""
    return f"{socket.gethostname()}-{os.getpid()}"


def _dead_here(name: str) -> bool:
    host, _, pid = name.rpartition("-")
    return gone_here(host, pid)


def recover(out_root: Path, only_dead_here: bool = False) -> list[str]:
    """Undo what a killed run left half-done: an old dossier folder moved aside whose
    replacement never arrived goes back in place; staged folders are dropped.  Returns the ids
    put back.  Call only when no other run writes to ``out_root`` — or, where other runs may
    (a shared ledger), with ``only_dead_here``: then only what processes of this machine that
    are gone left behind is touched."""
    root = Path(out_root) / STAGING
    restored = []
    if not root.is_dir():
        return restored
    for mine in root.iterdir():
        if only_dead_here and not _dead_here(mine.name):
            continue
        old = mine / "old"
        if old.is_dir():
            for d in old.iterdir():
                final = Path(out_root) / d.name
                if d.is_dir() and not final.exists():
                    os.replace(d, final)
                    restored.append(d.name)
        shutil.rmtree(mine, ignore_errors=True)
    return restored


def write_memos_in_place(ext, folder: Path, formats: Iterable[str] = FORMATS) -> None:
    """Rewrite extraction.json and the memos of an existing dossier folder (``check``); each
    file is replaced atomically.  The source files are not at hand, so no crops."""
    render_into(ext, Path(folder), formats)
