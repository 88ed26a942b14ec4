"""Pictures in the memo: charts and crops of the source cell a number came from.

An :class:`Image` holds PNG bytes; each output format embeds it its own way (a data URI in
HTML and PDF, an inline picture in DOCX).  :class:`SourceCrops` cuts the region of a scanned
source (a ``page`` + ``bbox`` location) out of the dossier's file while the file is at hand.
"""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from extractors.crop import crop_png, page_image
from pipeline.model import Source

MAX_CROPS = 60          # per memo: a memo is for reading, not an image archive
PAGES_KEPT = 6          # rendered pages kept while cropping (about 6.5 MB each at 150 dpi)


@dataclass(frozen=True)
class Image:
    png: bytes
    alt: str
    width_mm: float     # width on an A4 page

    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")

    @property
    def pixel_size(self) -> tuple[int, int]:
        from PIL import Image as PILImage
        with PILImage.open(io.BytesIO(self.png)) as im:
            return im.size


class SourceCrops:
    """Crops of source regions, each cut once, each page rendered once for all its crops (the
    last ``PAGES_KEPT`` pages are kept); none when the dossier's files are not at hand."""

    def __init__(self, files: Optional[Mapping[str, Path]] = None, limit: int = MAX_CROPS):
        self.files = dict(files or {})
        self.limit = limit
        self._cache: dict[tuple, Optional[Image]] = {}
        self._pages: dict[tuple, object] = {}

    def _page(self, file: str, page: int):
        key = (file, page)
        if key not in self._pages:
            if len(self._pages) >= PAGES_KEPT:
                self._pages.pop(next(iter(self._pages)))
            self._pages[key] = page_image(self.files[file], page)
        return self._pages[key]

    def of(self, src: Optional[Source], alt: str = "") -> Optional[Image]:
        if src is None or not src.page or not src.bbox or src.file not in self.files:
            return None
        key = (src.file, src.page, tuple(src.bbox))
        if key not in self._cache:
            if len(self._cache) >= self.limit:
                return None
            rendered = self._page(src.file, src.page)
            png = crop_png(self.files[src.file], src.page, src.bbox, rendered=rendered) if rendered else None
            self._cache[key] = _sized(png, alt or f"{src.file} 第{src.page}页") if png else None
        return self._cache[key]


def _sized(png: bytes, alt: str) -> Image:
    """A crop at its natural print size (150 dpi), at most the width of a memo's source column."""
    from PIL import Image as PILImage
    with PILImage.open(io.BytesIO(png)) as im:
        width_mm = im.width / 150 * 25.4
    return Image(png, alt, round(min(max(width_mm, 15.0), 68.0), 1))
