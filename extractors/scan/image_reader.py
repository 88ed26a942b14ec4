"""Image files (PNG, JPEG, TIFF — multi-page too —, BMP) → the document model, via the scan reader.

Each frame is one page: its size in points comes from its resolution (``dpi`` in the file,
else 200 dpi), it is read by :func:`extractors.scan.page.read_scan_page` and the pages are
laid out by ``extractors.layout.assemble`` like any PDF.  ``Document.format`` is ``image``.
A multi-page TIFF stops at the file's reading deadline (``extractors.budget``) like a PDF, also
inside a slow frame: the frames read are kept, a warning says how many were left out, and each
frame left out is an ``unread`` page of the document.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from extractors import budget
from extractors.errors import ReadError
from extractors.layout.assemble import assemble
from extractors.layout.pieces import PageContent
from pipeline.model import Document

from .page import read_scan_page, unskew_sources
from .raster import image_frames


def read_image(path: Path, name: Optional[str] = None) -> Document:
    path = Path(path)
    name = name or path.name
    pages: list[PageContent] = []
    warnings: list[str] = []
    start, stop_at = budget.clock(), budget.deadline()
    total, read, last = 0, 0, None
    for fr in image_frames(path, name):
        total, last = fr.of, fr
        if pages and budget.clock() > stop_at:      # the first frame is always read
            break
        if fr.warning:
            warnings.append(fr.warning)
        try:
            with budget.page_guard(stop_at):
                pages.append(read_scan_page(fr.image, fr.number, fr.width_pt, fr.height_pt, name))
        except budget.OutOfTime:
            break
        read += 1
    if last is not None:                              # the frames left unread, each an unread page
        pages += [PageContent(k, last.width_pt, last.height_pt, [], [], budget.UNREAD) for k in range(read + 1, total + 1)]
    if read < len(pages):
        warnings.append(budget.cut_short(name, read, total, budget.budget_seconds(stop_at, start)))
    if not pages:
        raise ReadError(name, "no_pages", "图片中没有可读取的页面 — the image holds no page")
    doc = unskew_sources(assemble(name, pages, "image"), pages)
    doc.warnings[:0] = warnings
    return doc
