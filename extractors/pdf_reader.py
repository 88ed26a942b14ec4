"""PDF → Document, page by page: a page with a usable text layer is read from it (pdfplumber),
a page without one — no text, a junk layer, a scanner's picture with an OCR layer over it
(see ``extractors.pdf.quality`` for the measured rule) — is rendered with pypdfium2 and read by
the scan reader (``extractors.scan.page.read_scan_page``).  A dossier may mix both; the pages
of both kinds are laid out by the same ``extractors.layout.assemble``, so the mapper never
knows which ran.

``Document.format`` is ``pdf`` when every page was read from its text layer and ``scan`` when
any page was OCR'd.  ``Document.meta["pages"]`` records each page's route and the reason.

Limits: at most ``MAX_PAGES`` pages are read, and reading stops at the file's reading deadline
(``extractors.budget``: 85% of the batch's per-file time limit, 420 s when read directly), also
inside a slow page (``budget.page_guard``); the pages read so far are kept, a warning says how
many were left out, and each page left out is in the document as an ``unread`` page, so a long
PDF gives a clear, partial result inside the per-file limit instead of a timeout.
Scanned pages are rendered at ``SCAN_DPI`` with the scan reader's pixel cap (a 20000×20000 px
page is rendered smaller, with a warning).
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from pipeline.model import Document

from . import budget
from .errors import ReadError
from .layout.assemble import assemble
from .layout.pieces import PageContent
from .pdf.opening import open_pdfium, open_plumber
from .pdf.quality import PageQuality, assess
from .pdf.text_layer import read_text_page

MAX_PAGES = 300
SCAN_DPI = 200.0


def _scan_reader():
    try:
        from .scan.page import read_scan_page
    except ImportError:
        return None
    return read_scan_page


def _unskew(doc: Document, pages: list[PageContent]) -> Document:
    """Scan pages are laid out straightened; put their boxes back on the page as stored."""
    if not any(p.kind == "scan" for p in pages):
        return doc
    from .scan.page import unskew_sources
    return unskew_sources(doc, pages)


def _render(pdf_page, dpi: float):
    try:
        from .scan.raster import render_pdf_page
    except ImportError:
        render_pdf_page = None
    if render_pdf_page is not None:
        return render_pdf_page(pdf_page, dpi)
    w, h = pdf_page.get_size()
    scale = min(dpi / 72.0, (24_000_000 / max(w * h, 1.0)) ** 0.5)
    return pdf_page.render(scale=scale).to_pil().convert("RGB"), None


def _scan_page(pdf_page, number: int, name: str, q: PageQuality) -> PageContent:
    w, h = pdf_page.get_size()
    reader = _scan_reader()
    if reader is None:
        pc = PageContent(number, w, h, [], [], "empty")
        pc.warnings.append(f"{name}: 第{number}页没有可用的文字层（{q.reason}），扫描件识别不可用，该页未读取 — "
                           f"page {number} has no usable text layer and the scan reader is not available")
        return pc
    image, warning = _render(pdf_page, SCAN_DPI)
    pc = reader(image, number, w, h, name)
    if warning:
        pc.warnings.append(f"{name}: 第{number}页 {warning}")
    return pc


def read_pdf(path: Path, name: Optional[str] = None) -> Document:
    """Read a PDF into the document model; raises ReadError with a clear message."""
    path = Path(path)
    name = name or path.name
    pdf = open_pdfium(path, name)          # None: damaged, but pdfminer reads its pages
    try:
        plumber = open_plumber(path, name)
        try:
            return _read(pdf, plumber, name)
        finally:
            plumber.close()
    finally:
        if pdf is not None:
            pdf.close()


def _pdfium_page(pdf, i: int):
    """Page ``i`` as pdfium loads it, or None when it cannot (a damaged page object: its text
    layer, if any, is still read; found by fuzzing)."""
    if pdf is None:
        return None
    try:
        return pdf[i]
    except Exception:
        return None


def _pages_of(pdf, plumber, name: str) -> tuple[list, int, list[str]]:
    """The text layer's pages, the page count and what is wrong with the file as a whole."""
    try:
        pl_pages = plumber.pages
    except Exception as e:
        raise ReadError(name, "corrupt", f"PDF 页面结构已损坏 — damaged page tree ({type(e).__name__}: {e})")
    warnings: list[str] = []
    if pdf is None:
        warnings.append(f"{name}: PDF 文件已损坏，只读取了文字层（无法渲染页面、识别图片）— damaged PDF: "
                        f"text layer read, pages not rendered")
        if not pl_pages:
            raise ReadError(name, "no_pages", "PDF 没有任何页面 — the PDF has no pages")
    n = len(pdf) if pdf is not None else len(pl_pages)
    if len(pl_pages) != n:
        warnings.append(f"{name}: 文字层页数 ({len(pl_pages)}) 与页面数 ({n}) 不一致 — text layer and page count disagree")
    return pl_pages, n, warnings


def _quality(pl_page) -> PageQuality:
    if pl_page is None:
        return PageQuality("scan", "no text layer")
    try:
        return assess(pl_page)
    except Exception as e:      # a page pdfminer cannot parse may still render
        return PageQuality("scan", f"text layer unreadable ({type(e).__name__})")


def _unread_page(pdf_page, pl_page, number: int, name: str, q: PageQuality) -> PageContent:
    w, h = pdf_page.get_size() if pdf_page is not None else \
        (float(pl_page.width), float(pl_page.height)) if pl_page is not None else (0.0, 0.0)
    pc = PageContent(number, w, h, [], [], "empty")
    if q.route == "scan":
        pc.warnings.append(f"{name}: 第{number}页无法渲染，未读取 — page {number} could not be rendered")
    return pc


def _read_page(pdf_page, pl_page, number: int, name: str) -> tuple[PageContent, PageQuality]:
    """One page by its route: its text layer, else the scan reader, else an empty page."""
    q = _quality(pl_page)
    if q.route == "text":
        try:
            return read_text_page(pl_page, pdf_page, number, name), q
        except Exception as e:
            q = PageQuality("scan", f"text layer unreadable ({type(e).__name__}: {e})")
    if q.route == "scan" and pdf_page is not None:
        return _scan_page(pdf_page, number, name, q), q
    return _unread_page(pdf_page, pl_page, number, name, q), q


def _route(number: int, q: PageQuality, pc: PageContent) -> dict:
    return {"page": number, "route": q.route if pc.kind != "empty" or q.route == "empty" else "unread",
            "reason": q.reason, "chars": q.chars, "junk": q.junk, "cover": q.cover}


def _unread_by_budget(pdf, plumber_pages, i: int) -> PageContent:
    """A page the reading budget left unread: its size, no content, kind ``unread``."""
    w = h = 0.0
    try:
        if pdf is not None:
            w, h = pdf.get_page_size(i)
        elif i < len(plumber_pages):
            w, h = float(plumber_pages[i].width), float(plumber_pages[i].height)
    except Exception:
        pass
    return PageContent(i + 1, w, h, [], [], budget.UNREAD)


def _read(pdf, plumber, name: str) -> Document:
    pl_pages, n, warnings = _pages_of(pdf, plumber, name)
    pages: list[PageContent] = []
    routes: list[dict] = []
    start = budget.clock()
    stop_at = budget.deadline()
    for i in range(min(n, MAX_PAGES)):
        if i and budget.clock() > stop_at:     # the first page is always read
            break
        pdf_page = _pdfium_page(pdf, i)
        pl_page = pl_pages[i] if i < len(pl_pages) else None
        try:
            with budget.page_guard(stop_at):
                pc, q = _read_page(pdf_page, pl_page, i + 1, name)
        except budget.OutOfTime:
            break
        finally:
            if pdf_page is not None:
                pdf_page.close()
            if pl_page is not None:
                pl_page.close()
        pages.append(pc)
        routes.append(_route(i + 1, q, pc))
    if len(pages) < min(n, MAX_PAGES):
        warnings.append(budget.cut_short(name, len(pages), n, budget.budget_seconds(stop_at, start)))
        for i in range(len(pages), min(n, MAX_PAGES)):
            pages.append(_unread_by_budget(pdf, pl_pages, i))
            routes.append({"page": i + 1, "route": budget.UNREAD, "reason": "reading time budget spent"})
    if n > MAX_PAGES:
        warnings.append(f"{name}: PDF 共 {n} 页，只读取前 {MAX_PAGES} 页 — only the first {MAX_PAGES} of {n} pages read")
    fmt = "scan" if any(p.kind == "scan" for p in pages) else "pdf"
    doc = _unskew(assemble(name, pages, fmt), pages)
    doc.warnings = warnings + doc.warnings
    doc.meta["pages"] = routes
    doc.meta["page_count"] = n
    return doc
