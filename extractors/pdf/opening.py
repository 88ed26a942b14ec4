"""Open a PDF safely: encrypted, truncated, corrupt and empty files become clear ReadErrors.

pypdfium2 opens the file first (fast, and strict about what it cannot read): an encrypted file
is opened with the empty user password (what "protected against editing" PDFs use); a file
that needs a real password raises ``encrypted``.  When pdfium cannot load the file, pdfminer
(which rebuilds a lost cross-reference table by scanning) decides: no pages → ``no_pages``,
nothing readable → ``corrupt``, pages it can read → ``open_pdfium`` returns None and the
reader takes the text layer alone (no rendering, no pictures) with a warning.  pdfplumber
(pdfminer) reads the text layer with the same empty password.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import ReadError

MAX_PDF_BYTES = 300 * 1024 * 1024


def open_pdfium(path: Path, name: str):
    import pypdfium2 as pdfium
    size = path.stat().st_size
    if size == 0:
        raise ReadError(name, "empty", "文件为空 (0 字节) — the file is empty")
    if size > MAX_PDF_BYTES:
        raise ReadError(name, "too_large", f"PDF 文件过大 ({size // 2**20} MB) — PDF too large")
    try:
        pdf = pdfium.PdfDocument(str(path), password="")
    except pdfium.PdfiumError as e:
        msg = str(e).lower()
        if "password" in msg:
            raise ReadError(name, "encrypted", "PDF 已加密，需要密码才能打开 — the PDF is encrypted with a password")
        if "security" in msg:
            raise ReadError(name, "encrypted", "PDF 使用了不支持的加密方式 — unsupported PDF encryption")
        return _not_pdfium(path, name, e)
    except Exception as e:  # pragma: no cover - pdfium raises PdfiumError for everything it knows
        raise ReadError(name, "corrupt", f"无法打开 PDF — cannot open the PDF ({type(e).__name__}: {e})")
    if len(pdf) == 0:
        pdf.close()
        raise ReadError(name, "no_pages", "PDF 没有任何页面 — the PDF has no pages")
    return pdf


def _not_pdfium(path: Path, name: str, err: Exception):
    """pdfium refused the file: say why as precisely as pdfminer can tell (no pages at all,
    or damaged); returns None when pdfminer can still read pages (a damaged file whose text
    layer survives: read it without rendering, with a warning)."""
    try:
        pl = open_plumber(path, name)
    except ReadError:
        pl = None
    if pl is not None:
        try:
            n = len(pl.pages)
        except Exception:
            n = -1
        finally:
            pl.close()
        if n == 0:
            raise ReadError(name, "no_pages", "PDF 没有任何页面 — the PDF has no pages")
        if n > 0:
            return None
    raise ReadError(name, "corrupt", f"PDF 文件已损坏或不完整，无法打开 — damaged or truncated PDF ({err})")


def open_plumber(path: Path, name: str):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    try:
        return pdfplumber.open(str(path), password="")
    except PDFPasswordIncorrect:
        raise ReadError(name, "encrypted", "PDF 已加密，需要密码才能打开 — the PDF is encrypted with a password")
    except PDFEncryptionError as e:
        raise ReadError(name, "encrypted", f"PDF 使用了不支持的加密方式 — unsupported PDF encryption ({e})")
    except PDFSyntaxError as e:
        raise ReadError(name, "corrupt", f"PDF 文件已损坏，无法读取文字层 — damaged PDF ({e})")
    except Exception as e:
        raise ReadError(name, "corrupt", f"无法读取 PDF 文字层 — cannot read the PDF's text layer ({type(e).__name__}: {e})")
