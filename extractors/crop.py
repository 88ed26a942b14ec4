"""The crop of a source location as a PNG, so a memo can show the cell a number came from.

``crop_png(path, page, bbox)`` renders ``page`` (1-based) of a PDF with pypdfium2 (no poppler
needed) or takes the frame of an image (PNG/JPEG/multi-page TIFF), and cuts out ``bbox``
(x0, top, x1, bottom in PDF points, origin top-left; for images 1 pt = 1/72 inch at the image's
resolution, 200 dpi when the file does not say) with a small margin.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Optional, Sequence

from PIL import Image

DEFAULT_IMAGE_DPI = 200.0
MAX_CROP_PX = 1600


def image_dpi(im: Image.Image) -> float:
    dpi = im.info.get("dpi")
    try:
        d = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        d = 0.0
    return d if 50 <= d <= 1200 else DEFAULT_IMAGE_DPI


def _page_image(path: Path, page: int, dpi: float) -> tuple[Image.Image, float]:
    """(image of the page, pixels per point)."""
    with open(path, "rb") as f:
        head = f.read(5)
    if head == b"%PDF-":
        import pypdfium2 as pdfium
        pdf = pdfium.PdfDocument(str(path))
        try:
            pg = pdf[page - 1]
            scale = dpi / 72.0
            im = pg.render(scale=scale).to_pil()
            pg.close()
        finally:
            pdf.close()
        return im.convert("RGB"), scale
    im = Image.open(path)
    im.seek(page - 1)
    scale = image_dpi(im) / 72.0
    return im.convert("RGB"), scale


def page_image(path: Path, page: int, dpi: float = 150.0) -> Optional[tuple[Image.Image, float]]:
    """(image of the page, pixels per point) for :func:`crop_png`'s ``rendered``; None when the
    page cannot be rendered.  Render a page once and cut every crop of it from this."""
    try:
        return _page_image(Path(path), int(page), dpi)
    except Exception:
        return None


def crop_png(path: Path, page: int, bbox: Sequence[float], dpi: float = 150.0, margin_pt: float = 4.0,
             max_px: int = MAX_CROP_PX, rendered: Optional[tuple[Image.Image, float]] = None) -> Optional[bytes]:
    """PNG bytes of the region, or None when the file, page or box cannot be rendered.
    ``rendered`` is the page as :func:`page_image` made it at this ``dpi`` (else it is rendered)."""
    if rendered is None:
        rendered = page_image(path, page, dpi)
        if rendered is None:
            return None
    im, scale = rendered
    x0, y0, x1, y1 = (float(v) for v in bbox)
    box = [int((x0 - margin_pt) * scale), int((y0 - margin_pt) * scale),
           int((x1 + margin_pt) * scale) + 1, int((y1 + margin_pt) * scale) + 1]
    box = [max(0, box[0]), max(0, box[1]), min(im.width, box[2]), min(im.height, box[3])]
    if box[2] <= box[0] or box[3] <= box[1]:
        return None
    crop = im.crop(box)
    want = dpi / 72.0
    if abs(scale - want) > 1e-6:      # an image page: bring it to the requested resolution
        crop = crop.resize((max(1, round(crop.width * want / scale)), max(1, round(crop.height * want / scale))))
    crop.thumbnail((max_px, max_px))
    buf = io.BytesIO()
    crop.save(buf, "PNG", optimize=True)
    return buf.getvalue()
