"""Readers (one per format, each ``path → Document``) and, after them, the form mapper.

``read_file(path)`` decides the format from the file's content (``sniff``), never from its
extension alone, and dispatches to the reader for it.  A file whose extension lies is still
read by what it is, with a warning on the document.  Every failure is a :class:`ReadError`
with a message that names the file and the problem.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

from pipeline.model import Document

from .errors import ReadError
from .sniff import EXT_KIND, mislabel, sniff

Reader = Callable[[Path, Optional[str]], Document]


def _readers() -> dict[str, Reader]:
    from .docx_reader import read_docx
    from .legacy_reader import read_legacy
    from .xlsx_reader import read_xlsx
    readers: dict[str, Reader] = {"docx": read_docx, "xlsx": read_xlsx, "ole": read_legacy, "rtf": read_legacy}
    try:
        from .pdf_reader import read_pdf
        readers["pdf"] = read_pdf
    except ImportError:
        pass
    try:
        from .scan.image_reader import read_image
        for k in ("png", "jpeg", "tiff", "bmp"):
            readers[k] = read_image
    except ImportError:
        pass
    return readers


KIND_NAMES = {"ole": "旧版 Word/WPS (.doc/.wps)", "zip": "压缩包", "text": "纯文本", "unknown": "未知格式"}


def read_file(path: Path, name: Optional[str] = None) -> Document:
    path = Path(path)
    name = name or path.name
    kind = sniff(path)
    if kind == "empty":
        raise ReadError(name, "empty", "文件为空 (0 字节) — the file is empty")
    readers = _readers()
    reader = readers.get(kind)
    if reader is None and kind == "unknown":
        # unrecognisable content: let the reader its extension promises say what is wrong
        reader = readers.get(EXT_KIND.get(path.suffix.lower(), ""))
    if reader is None:
        raise ReadError(name, "unsupported",
                        f"不支持的文件格式（{KIND_NAMES.get(kind, kind)}）— unsupported file type ({kind})")
    try:
        doc = reader(path, name)
    except ReadError as e:      # a library's message may hold where the file sits now (a temporary folder)
        raise e.without_path(path) from None
    warn = mislabel(path, kind)
    if warn:
        doc.warnings.insert(0, f"{name}: {warn}")
        doc.meta["mislabelled"] = warn
    return doc


def read_file_within(path: Path, name: Optional[str] = None, limit: Optional[float] = None) -> Document:
    """``read_file`` with the file's time limit known to the readers (``extractors.budget``):
    a long PDF or multi-page image keeps the pages read in time instead of being killed."""
    from . import budget
    with budget.armed(limit):
        return read_file(path, name)
