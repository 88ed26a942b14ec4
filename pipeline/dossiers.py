"""Finding dossiers in the inputs, and opening them safely.

A dossier is a folder (or a .zip of one) holding the 申报表 and its evidence.  An input is a
dossier when it directly holds at least one file of a dossier format; otherwise its
sub-folders and zips are searched for dossiers (so ``run samples/`` finds every sample).

Zips are opened defensively: no member may escape the extraction folder (absolute paths,
``..``, symlinks), and the number of members, the total size and each member's compression
ratio are capped against zip bombs.  Names stored in GBK by Chinese Windows zip tools are
decoded as GBK, not as mojibake.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator, Optional

DOSSIER_EXTS = {".docx", ".docm", ".doc", ".wps", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp",
                ".xlsx", ".xlsm", ".xls", ".et", ".rtf"}
SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
MAX_MEMBERS = 2000
MAX_TOTAL_BYTES = 2 * 1024 ** 3
MAX_RATIO = 200
MAX_FILE_BYTES = 1024 ** 3


class UnsafeArchive(Exception):
    pass


@dataclass
class DossierFile:
    name: str          # path inside the dossier, POSIX separators ("佐证材料/统计证明.pdf")
    path: Path         # where to read it now
    size: int
    sha256: str


@dataclass
class DossierInput:
    id: str
    path: Path
    kind: str          # "dir" | "zip"

    def fingerprint(self) -> str:
        """sha256 over the dossier's file names and contents (a zip: its bytes)."""
        h = hashlib.sha256()
        if self.kind == "zip":
            h.update(file_sha256(self.path).encode())
        else:
            for f in sorted(_walk(self.path)):
                h.update(str(f.relative_to(self.path)).encode())
                h.update(file_sha256(f).encode())
        return h.hexdigest()


def safe_id(name: str) -> str:
    s = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip().strip(".")
    return s[:120] or "dossier"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _skip(p: Path) -> bool:
    return (p.name in SKIP_NAMES or p.name.startswith("~$") or p.name.startswith(".")
            or "__MACOSX" in p.parts)


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__MACOSX")
        for fn in sorted(filenames):
            p = Path(dirpath) / fn
            if not _skip(p) and p.is_file() and not p.is_symlink():
                yield p


def _is_dossier_dir(d: Path) -> bool:
    return any(p.is_file() and p.suffix.lower() in DOSSIER_EXTS and not _skip(p) for p in d.iterdir())


def discover(inputs: list[Path]) -> list[DossierInput]:
    """Every dossier among the inputs, ids unique and safe for file names."""
    found: list[DossierInput] = []

    def visit(p: Path, depth: int) -> None:
        if p.is_file():
            if p.suffix.lower() == ".zip":
                found.append(DossierInput(safe_id(p.stem), p, "zip"))
            return
        if not p.is_dir() or depth > 6:
            return
        if _is_dossier_dir(p):
            found.append(DossierInput(safe_id(p.name), p, "dir"))
            return
        for c in sorted(p.iterdir()):
            if not c.name.startswith(".") and c.name != "__MACOSX":
                visit(c, depth + 1)

    for i in inputs:
        i = Path(i)
        if not i.exists():
            raise FileNotFoundError(f"输入不存在 — input not found: {i}")
        visit(i, 0)
    seen: dict[str, int] = {}
    for d in found:
        n = seen.get(d.id, 0)
        seen[d.id] = n + 1
        if n:
            d.id = f"{d.id}-{n + 1}"
    return found


def _member_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def safe_extract(zip_path: Path, dest: Path) -> list[str]:
    """Extract a zip into dest, refusing anything unsafe; returns problems met on the way."""
    problems: list[str] = []
    dest = dest.resolve()
    try:
        z = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as e:
        raise UnsafeArchive(f"压缩包已损坏，无法打开 — corrupt zip ({e})")
    with z:
        infos = z.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UnsafeArchive(f"压缩包文件数过多 ({len(infos)}) — too many members")
        total = 0
        for info in infos:
            name = _member_name(info)
            if info.is_dir():
                continue
            mode = (info.external_attr >> 16) & 0o170000
            if mode == stat.S_IFLNK:
                problems.append(f"{name}: 已忽略符号链接 — symlink skipped")
                continue
            pp = PurePosixPath(name.replace("\\", "/"))
            if pp.is_absolute() or ".." in pp.parts or re.match(r"^[A-Za-z]:", name):
                problems.append(f"{name}: 路径试图跳出压缩包，已拒绝 — path escapes the archive, skipped")
                continue
            if info.file_size > MAX_FILE_BYTES:
                problems.append(f"{name}: 文件过大 ({info.file_size // 2**20} MB)，已跳过 — member too large")
                continue
            if info.compress_size and info.file_size / max(info.compress_size, 1) > MAX_RATIO and info.file_size > 10 * 2**20:
                problems.append(f"{name}: 压缩比异常 ({info.file_size // max(info.compress_size, 1)}:1)，疑似压缩炸弹，已跳过 — zip bomb suspected")
                continue
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise UnsafeArchive("压缩包解压后总大小超过上限 — archive expands beyond the size limit")
            target = (dest / Path(*pp.parts)).resolve()
            if dest not in target.parents:
                problems.append(f"{name}: 路径试图跳出压缩包，已拒绝 — path escapes the archive, skipped")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            try:
                with z.open(info) as src, open(target, "wb") as out:
                    for block in iter(lambda: src.read(1 << 20), b""):
                        written += len(block)
                        if written > info.file_size + 1024 or written > MAX_FILE_BYTES:
                            raise UnsafeArchive(f"{name}: 解压大小与声明不符 — member larger than declared")
                        out.write(block)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
                # a damaged, encrypted or oddly compressed member costs that member only
                target.unlink(missing_ok=True)
                problems.append(f"{name}: 无法解压（已损坏、加密或压缩方式不支持），已跳过 — cannot extract ({e})")
    return problems


@contextlib.contextmanager
def open_dossier(d: DossierInput, work: Optional[Path] = None) -> Iterator[tuple[list[DossierFile], list[str]]]:
    """Yield (files, problems) of a dossier; a zip is extracted into a temporary folder."""
    problems: list[str] = []
    tmp = None
    root = d.path
    try:
        if d.kind == "zip":
            tmp = Path(tempfile.mkdtemp(prefix="dossier-", dir=work))
            try:
                problems += safe_extract(d.path, tmp)
            except UnsafeArchive as e:
                problems.append(f"{d.path.name}: {e}")
            root = tmp
            entries = [p for p in root.iterdir() if not _skip(p)]
            if len(entries) == 1 and entries[0].is_dir():
                root = entries[0]
        files = []
        for p in _walk(root):
            name = p.relative_to(root).as_posix()
            files.append(DossierFile(name, p, p.stat().st_size, file_sha256(p)))
        yield files, problems
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
