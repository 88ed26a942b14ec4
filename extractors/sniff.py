"""What a file really is, from its first bytes (never from its extension alone).

``sniff(path)`` returns one of ``docx``, ``xlsx``, ``pdf``, ``png``, ``jpeg``, ``tiff``,
``bmp``, ``ole`` (legacy .doc / .wps / .xls), ``wps`` (WPS Office), ``zip`` (another zip),
``rtf``, ``text``, ``empty`` or ``unknown``.  :func:`mislabel` says when the extension and the
content disagree, so the batch can record "申报表.docx is really a PDF" instead of failing.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Optional

EXT_KIND = {
    ".docx": "docx", ".docm": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".pdf": "pdf",
    ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff", ".tiff": "tiff", ".bmp": "bmp",
    ".doc": "ole", ".wps": "ole", ".xls": "ole", ".et": "ole", ".zip": "zip", ".rtf": "rtf",
}


def sniff(path: Path) -> str:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        return "unknown"
    if size == 0:
        return "empty"
    with open(path, "rb") as f:
        head = f.read(2048)
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(b"BM"):
        return "bmp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError):
            return "unknown"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    try:
        head.decode("utf-8")
        return "text"
    except UnicodeDecodeError:
        return "unknown"


def mislabel(path: Path, kind: str) -> Optional[str]:
    """A message when the extension promises something else than the content, else None."""
    expected = EXT_KIND.get(Path(path).suffix.lower())
    if expected is None or kind in ("empty", "unknown") or expected == kind:
        return None
    if expected == "tiff" and kind == "tiff":
        return None
    return f"扩展名为 {Path(path).suffix}，但文件内容实际是 {kind} 格式 (extension says {expected}, content is {kind})"
