"""Image files (PNG, JPEG, TIFF — multi-page too —, BMP) → the document model, via the scan reader.

Each frame is one page: its size in points comes from its resolution (``dpi`` in the file,
else 200 dpi), it is read by :func:`extractors.scan.page.read_scan_page` and the pages are
laid out by ``extractors.layout.assemble`` like any PDF.  ``Document.format`` is ``image``.
A multi-page TIFF stops at the file's reading deadline (``extractors.budget``) like a PDF:
the frames read are kept and a warning says how many were left out.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

from extractors import budget
from extractors.errors import ReadError
from extractors.layout.assemble import assemble
from pipeline.model import Document

from .page import read_scan_page, unskew_sources
from .raster import image_frames


def read_image(path: Path, name: Optional[str] = None) -> Document:
    path = Path(path)
    name = name or path.name
    pages, warnings = [], []
    start, stop_at = time.monotonic(), budget.deadline()
    for fr in image_frames(path, name):
        if pages and time.monotonic() > stop_at:
            secs = budget.budget_seconds(stop_at, start)
            warnings.append(f"{name}: 读取超过 {secs:.0f} 秒，只读取了前 {len(pages)} 页（共 {fr.of} 页）— "
                            f"time budget of {secs:.0f} s spent, read {len(pages)} of {fr.of} pages")
            break
        if fr.warning:
            warnings.append(fr.warning)
        pages.append(read_scan_page(fr.image, fr.number, fr.width_pt, fr.height_pt, name))
    if not pages:
        raise ReadError(name, "no_pages", "图片中没有可读取的页面 — the image holds no page")
    doc = unskew_sources(assemble(name, pages, "image"), pages)
    doc.warnings[:0] = warnings
    return doc
