"""Look inside a DOCX/XLSX package before a reader opens it.

A .docx or .xlsx is a zip.  python-docx and openpyxl inflate and parse whole parts in memory,
so a 1.8 MB file that declares a 500 MB ``document.xml`` would cost gigabytes before any
limit of the reader applies.  :func:`check_package` reads only the zip's central directory
and refuses, with a typed :class:`~extractors.errors.ReadError`, a package that:

* is not a complete zip (truncated, damaged): ``corrupt``, in words naming the file (never
  python-docx's "Package not found at '<absolute path>'");
* lacks the part its format needs (``word/document.xml``, ``xl/workbook.xml``): ``corrupt``;
* holds too many members, a part (or all parts together) declaring more bytes than a form
  or an evidence table ever needs, or a member compressed beyond any real document's ratio:
  ``too_large``.

Python's ``zipfile`` never inflates a member beyond its declared size, so declared sizes are
a bound on what the readers can be made to inflate.  The limits are in :data:`LIMITS`.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import ReadError

MiB = 1024 * 1024


@dataclass(frozen=True)
class PackageLimits:
    max_members: int = 5000                 # members in one package
    max_xml_bytes: int = 96 * MiB           # one XML part (document.xml, a worksheet), declared
    max_member_bytes: int = 256 * MiB       # any member (pictures included), declared
    max_total_bytes: int = 768 * MiB        # all members together, declared
    max_ratio: float = 150.0                # declared size / compressed size of a member …
    ratio_floor_bytes: int = 4 * MiB        # … checked for members larger than this


LIMITS = PackageLimits()
NEEDED_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
KIND_WORDS = {"docx": "Word 文档", "xlsx": "Excel 表格"}


def check_package(path: Path, name: str, kind: str, limits: PackageLimits = LIMITS) -> None:
    """Raise ReadError if the package at ``path`` (shown as ``name``) is damaged or would
    expand beyond the limits; ``kind`` is ``docx`` or ``xlsx``."""
    words = KIND_WORDS.get(kind, "文件")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as e:
        raise ReadError(name, "corrupt", f"{words}已损坏或不完整（文件可能被截断），无法打开 — the file is damaged or "
                                         f"truncated, not a complete {kind} package ({type(e).__name__})")
    if len(infos) > limits.max_members:
        raise ReadError(name, "too_large", f"{words}内部文件数过多 ({len(infos)} 个) — too many parts in the package")
    names = {i.filename for i in infos}
    needed = NEEDED_PART.get(kind)
    if needed and needed not in names:
        raise ReadError(name, "corrupt", f"{words}缺少必需的部件 {needed}，文件已损坏 — the package lacks {needed}")
    total = 0
    for info in infos:
        _check_member(info, name, words, limits)
        total += info.file_size
    if total > limits.max_total_bytes:
        raise ReadError(name, "too_large", f"{words}解压后总大小 ({total // MiB} MB) 超过上限 "
                                           f"({limits.max_total_bytes // MiB} MB)，已拒绝 — the package expands too far")


def _check_member(info: zipfile.ZipInfo, name: str, words: str, limits: PackageLimits) -> None:
    size = info.file_size
    cap = limits.max_xml_bytes if info.filename.lower().endswith((".xml", ".rels")) else limits.max_member_bytes
    if size > cap:
        raise ReadError(name, "too_large", f"{words}中的 {info.filename} 解压后 {size // MiB} MB，超过上限 "
                                           f"{cap // MiB} MB，已拒绝 — a part declares {size // MiB} MB")
    ratio = size / max(info.compress_size, 1)
    if size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
        raise ReadError(name, "too_large", f"{words}中的 {info.filename} 压缩比异常 ({ratio:.0f}:1)，疑似压缩炸弹，"
                                           f"已拒绝 — a part is compressed {ratio:.0f}:1 (a zip bomb)")
