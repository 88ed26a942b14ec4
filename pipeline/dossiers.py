"""Finding dossiers in the inputs, and opening them safely.

A dossier is a folder (or a .zip of one) holding the 申报表 and its evidence.  An input is a
dossier when it directly holds at least one file of a dossier format; otherwise its
sub-folders and zips are searched for dossiers (so ``run samples/`` finds every sample).  A zip
is searched the same way: a zip of several dossier folders is several dossiers.

What is *not* a dossier is said, never skipped silently (:func:`discover_all`): an input or
sub-folder holding nothing readable, a lone file given as an input, an output folder of this
tool (it holds ``ledger.sqlite``) and the run's own OUT when it lies inside an input.

A dossier's id is its folder's name in OUT, so it never takes a name OUT's own files use
(``ledger.sqlite*``, ``index.html``, ``summary.*``, the lock, the staging area, a leading
``.``): such an id is prefixed with ``材料-`` and the dossier's problems say so.

Zips are opened defensively: no member may escape the extraction folder (absolute paths,
``..``, symlinks); the number of members, the total size (counted from the declared sizes
before anything is written, and again while writing) and each member's compression ratio are
capped against zip bombs; a member that cannot be written (a name too long for the file
system, a file and a folder of the same name, damage) costs that member only.  Names are
decoded in the order the zip tools write them (:func:`member_name`).
"""
from __future__ import annotations

import contextlib
import hashlib
import lzma
import os
import re
import shutil
import stat
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterator, Optional

DOSSIER_EXTS = {".docx", ".docm", ".doc", ".wps", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp",
                ".xlsx", ".xlsm", ".xls", ".et", ".rtf"}
SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
MAX_MEMBERS = 2000
MAX_TOTAL_BYTES = 2 * 1024 ** 3
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 64 * 1024      # below this a member cannot hurt, whatever its ratio
MAX_FILE_BYTES = 1024 ** 3
MAX_DEPTH = 6
OUTPUT_MARKER = "ledger.sqlite"    # a folder holding it is an OUT of this tool, never a dossier
RESERVED_PREFIX = "材料-"
UNICODE_PATH_EXTRA = 0x7075        # Info-ZIP Unicode Path extra field


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
    member: str = ""   # a zip of several dossiers: this dossier's folder inside it
    notes: list[str] = field(default_factory=list)    # said in the dossier's problems

    def fingerprint(self) -> str:
        """sha256 over the dossier's file names and contents (a zip: its bytes)."""
        h = hashlib.sha256()
        if self.kind == "zip":
            h.update(file_sha256(self.path).encode())
            h.update(self.member.encode())
        else:
            for f in sorted(_walk(self.path)):
                h.update(str(f.relative_to(self.path)).encode())
                h.update(file_sha256(f).encode())
        return h.hexdigest()


@dataclass
class NotFound:
    """An input (or a folder in it) that holds no dossier, and why."""
    path: str
    reason: str


@dataclass
class Discovery:
    dossiers: list[DossierInput]
    not_found: list[NotFound]
    excluded: list[str]        # the run's own OUT met inside an input, not read


def safe_id(name: str) -> str:
    s = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip().strip(".")
    return _truncate(s, 180) or "dossier"


def _truncate(s: str, max_bytes: int) -> str:
    """At most ``max_bytes`` of UTF-8 (file systems count bytes, 255 a name)."""
    b = s.encode("utf-8")
    return s if len(b) <= max_bytes else b[:max_bytes].decode("utf-8", "ignore")


def is_reserved(name: str) -> bool:
    """A name OUT's own files use (or will: ``x.tmp`` while written atomically)."""
    n = name.lower()
    return (n.startswith(".") or n.startswith("ledger.sqlite") or n.startswith("summary.")
            or n in ("index.html", "index.html.tmp"))


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
    try:
        return any(p.is_file() and p.suffix.lower() in DOSSIER_EXTS and not _skip(p) for p in d.iterdir())
    except OSError:
        return False


# --------------------------------------------------------------------------- discovery
class _Finder:
    def __init__(self, exclude: list[Path]):
        self.exclude = [p.resolve() for p in exclude]
        self.found: list[DossierInput] = []
        self.not_found: list[NotFound] = []
        self.excluded: list[str] = []

    def _is_excluded(self, p: Path) -> bool:
        r = p.resolve()
        return any(r == e or e in r.parents for e in self.exclude)

    def visit(self, p: Path, depth: int) -> int:
        """Dossiers found at or under ``p`` (appended to ``found``); their count, or -1 for
        what is left out on purpose (the run's OUT, another output folder)."""
        if self._is_excluded(p):
            self.excluded.append(str(p))
            return -1
        if p.is_file():
            if p.suffix.lower() == ".zip":
                self.found.extend(zip_dossiers(p))
                return 1
            return 0
        if not p.is_dir() or depth > MAX_DEPTH:
            return 0
        if (p / OUTPUT_MARKER).is_file():
            self.not_found.append(NotFound(str(p), "这是本工具的输出目录，不作为申报材料读取 — an output folder of "
                                                   "this tool (it holds ledger.sqlite), not a dossier"))
            return -1
        if _is_dossier_dir(p):
            self.found.append(DossierInput(safe_id(p.name), p, "dir"))
            return 1
        counts = {}
        try:
            children = sorted(p.iterdir())
        except OSError:
            children = []
        for c in children:
            if not c.name.startswith(".") and c.name != "__MACOSX":
                counts[c] = self.visit(c, depth + 1)
        total = sum(n for n in counts.values() if n > 0)
        if total:       # name each sub-folder beside the dossiers that holds none
            self.not_found.extend(NotFound(str(c), NOTHING_READABLE) for c, n in counts.items()
                                  if n == 0 and c.is_dir())
        return total


NOTHING_READABLE = ("未找到申报材料：文件夹中没有 Word、PDF、扫描件、图片或 Excel 文件 — no dossier found: "
                    "the folder holds no DOCX, PDF, scan, image or XLSX file")
LONE_FILE = ("未找到申报材料：单个文件不是申报材料，请将申报表和佐证材料放在一个文件夹或压缩包中 — no dossier "
             "found: a single file is not a dossier; put the form and its evidence in a folder or a .zip")


def discover_all(inputs: list[Path], exclude: tuple[Path, ...] = ()) -> Discovery:
    """Every dossier among the inputs (ids unique, safe for file names and never a name OUT's
    own files use), every input or folder in it that holds none, and what was left out
    because it is ``exclude`` (the run's OUT) or under it."""
    finder = _Finder([Path(e) for e in exclude])
    for i in inputs:
        i = Path(i)
        if not i.exists():
            raise FileNotFoundError(f"输入不存在 — input not found: {i}")
        n = finder.visit(i, 0)
        if n == 0:
            finder.not_found.append(NotFound(str(i), LONE_FILE if i.is_file() else NOTHING_READABLE))
    _unique_ids(finder.found)
    return Discovery(finder.found, finder.not_found, finder.excluded)


def discover(inputs: list[Path], exclude: tuple[Path, ...] = ()) -> list[DossierInput]:
    """Every dossier among the inputs (see :func:`discover_all`)."""
    return discover_all(inputs, exclude).dossiers


def _unique_ids(found: list[DossierInput]) -> None:
    """Ids safe as OUT's sub-folders: reserved names prefixed, duplicates numbered (without
    regard to case, for file systems that ignore it)."""
    for d in found:
        if is_reserved(d.id):
            new = RESERVED_PREFIX + d.id.lstrip(".")
            d.notes.append(f"编号“{d.id}”与输出目录自身的文件同名，已改为“{new}” — the dossier's name is reserved "
                           f"for the run's own files; its outputs are in {new}/")
            d.id = new
    seen: dict[str, int] = {}
    for d in found:
        key = d.id.lower()
        n = seen.get(key, 0)
        seen[key] = n + 1
        if n:
            d.id = f"{d.id}-{n + 1}"


def zip_dossiers(zip_path: Path) -> list[DossierInput]:
    """The dossiers of one zip: itself, or each dossier folder it holds (found as in a folder:
    the shallowest folders that directly hold a document)."""
    one = [DossierInput(safe_id(zip_path.stem), zip_path, "zip")]
    try:
        with zipfile.ZipFile(zip_path) as z:
            infos = z.infolist()
            if len(infos) > MAX_MEMBERS:
                return one
            names = [member_name(i).replace("\\", "/") for i in infos if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return one                                  # opening it will say what is wrong
    holders = set()
    for n in names:
        pp = PurePosixPath(n)
        if pp.suffix.lower() in DOSSIER_EXTS and not any(_skip_part(x) for x in pp.parts):
            holders.add(pp.parent.as_posix() if pp.parent.parts else "")
    roots = sorted(h for h in holders if not any(_is_under(h, o) for o in holders if o != h))
    if len(roots) < 2:
        return one
    return [DossierInput(safe_id(PurePosixPath(r).name), zip_path, "zip", member=r) for r in roots]


def _skip_part(part: str) -> bool:
    return part.startswith(".") or part.startswith("~$") or part == "__MACOSX" or part in SKIP_NAMES


def _is_under(path: str, folder: str) -> bool:
    return folder == "" or path.startswith(folder + "/")


# --------------------------------------------------------------------------- zip members
def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author wrote it.  With the UTF-8 flag: as stored.  Else the
    Info-ZIP Unicode Path extra field (0x7075) when its checksum matches the stored name; else
    the stored bytes as strict UTF-8 (the ``zip`` of Linux and macOS writes UTF-8 without the
    flag); else GBK (Chinese Windows tools); else as Python decoded it (CP437)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.orig_filename.encode("cp437")
    upath = _unicode_path(info.extra, raw)
    if upath:
        return upath
    if raw.isascii():
        return info.filename
    for enc in ("utf-8", "gbk"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            pass
    return info.filename


def _unicode_path(extra: bytes, raw_name: bytes) -> Optional[str]:
    i = 0
    while i + 4 <= len(extra):
        hid, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4:i + 4 + size]
        i += 4 + size
        if hid != UNICODE_PATH_EXTRA or len(body) < 5 or body[0] != 1:
            continue
        if struct.unpack_from("<I", body, 1)[0] != zlib.crc32(raw_name):
            return None             # the name was changed after the field was written
        try:
            return body[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def _refusal(info: zipfile.ZipInfo, name: str) -> Optional[str]:
    """Why a member is not extracted (before a byte of it is written), else None."""
    mode = (info.external_attr >> 16) & 0o170000
    if mode == stat.S_IFLNK:
        return f"{name}: 已忽略符号链接 — symlink skipped"
    pp = PurePosixPath(name.replace("\\", "/"))
    if pp.is_absolute() or ".." in pp.parts or re.match(r"^[A-Za-z]:", name):
        return f"{name}: 路径试图跳出压缩包，已拒绝 — path escapes the archive, skipped"
    if info.file_size > MAX_FILE_BYTES:
        return f"{name}: 文件过大 ({info.file_size // 2**20} MB)，已跳过 — member too large"
    if info.file_size > RATIO_FLOOR_BYTES and info.file_size / max(info.compress_size, 1) > MAX_RATIO:
        return (f"{name}: 压缩比异常 ({info.file_size // max(info.compress_size, 1)}:1)，疑似压缩炸弹，已跳过 — "
                "zip bomb suspected")
    return None


def _plan(z: zipfile.ZipFile, prefix: str) -> tuple[list[tuple[zipfile.ZipInfo, str]], list[str]]:
    """The members to extract (with their names) and the problems of those refused; refuses
    the archive when the declared sizes of what would be extracted exceed the limit."""
    infos = z.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnsafeArchive(f"压缩包文件数过多 ({len(infos)}) — too many members")
    todo, problems, total = [], [], 0
    for info in infos:
        name = member_name(info)
        if info.is_dir() or (prefix and not _is_under(name.replace("\\", "/"), prefix)):
            continue
        why = _refusal(info, name)
        if why:
            problems.append(why)
            continue
        total += info.file_size
        todo.append((info, name))
    if total > MAX_TOTAL_BYTES:
        raise UnsafeArchive(f"压缩包解压后总大小 ({total // 2**20} MB) 超过上限 — archive expands beyond the size limit")
    return todo, problems


def safe_extract(zip_path: Path, dest: Path, prefix: str = "") -> list[str]:
    """Extract a zip (only the folder ``prefix`` of it, if given) into dest, refusing anything
    unsafe; returns problems met on the way."""
    dest = dest.resolve()
    try:
        z = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as e:
        raise UnsafeArchive(f"压缩包已损坏，无法打开 — corrupt zip ({e})")
    with z:
        todo, problems = _plan(z, prefix)
        budget = [MAX_TOTAL_BYTES]
        for info, name in todo:
            problem = _extract_member(z, info, name, dest, budget)
            if problem:
                problems.append(problem)
    return problems


def _extract_member(z: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, dest: Path, budget: list[int]) -> Optional[str]:
    """Write one member; a problem of this member only, or None.  ``budget`` is what the whole
    archive may still write (declared sizes can lie)."""
    pp = PurePosixPath(name.replace("\\", "/"))
    target = (dest / Path(*pp.parts)).resolve()
    if dest not in target.parents:
        return f"{name}: 路径试图跳出压缩包，已拒绝 — path escapes the archive, skipped"
    written = 0
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with z.open(info) as src, open(target, "wb") as out:
            for block in iter(lambda: src.read(1 << 20), b""):
                written += len(block)
                budget[0] -= len(block)
                if written > info.file_size + 1024 or written > MAX_FILE_BYTES:
                    raise UnsafeArchive(f"{name}: 解压大小与声明不符 — member larger than declared")
                if budget[0] < 0:
                    raise UnsafeArchive("压缩包解压后总大小超过上限 — archive expands beyond the size limit")
                out.write(block)
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError, RuntimeError,
            ValueError) as e:
        # a damaged, encrypted or oddly compressed member costs that member only (bz2 says OSError)
        _remove(target)
        return f"{name}: 无法解压（已损坏、加密或压缩方式不支持），已跳过 — cannot extract ({e})"
    except OSError as e:
        # a name too long for the file system, a file and a folder of the same name, …
        _remove(target)
        return (f"{name}: 无法写出该文件（文件名过长、与文件夹同名或磁盘错误），已跳过 — cannot write this member "
                f"({e.strerror or type(e).__name__})")
    return None


def _remove(target: Path) -> None:
    with contextlib.suppress(OSError):
        if target.is_file():
            target.unlink()


# --------------------------------------------------------------------------- opening
def _extract_root(d: DossierInput, tmp: Path, problems: list[str]) -> Path:
    try:
        problems += safe_extract(d.path, tmp, d.member)
    except UnsafeArchive as e:
        problems.append(f"{d.path.name}: {e}")
    if d.member:
        root = tmp / Path(*PurePosixPath(d.member).parts)
        return root if root.is_dir() else tmp
    entries = [p for p in tmp.iterdir() if not _skip(p)]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else tmp


def _files(root: Path, problems: list[str]) -> list[DossierFile]:
    files = []
    for p in _walk(root):
        name = p.relative_to(root).as_posix()
        try:
            files.append(DossierFile(name, p, p.stat().st_size, file_sha256(p)))
        except OSError as e:
            problems.append(f"{name}: 无法读取该文件 — cannot read this file ({e.strerror or type(e).__name__})")
    return files


@contextlib.contextmanager
def open_dossier(d: DossierInput, work: Optional[Path] = None) -> Iterator[tuple[list[DossierFile], list[str]]]:
    """Yield (files, problems) of a dossier; a zip is extracted into a temporary folder."""
    problems: list[str] = list(d.notes)
    tmp = None
    root = d.path
    try:
        if d.kind == "zip":
            tmp = Path(tempfile.mkdtemp(prefix="dossier-", dir=work))
            root = _extract_root(d, tmp, problems)
        yield _files(root, problems), problems
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
