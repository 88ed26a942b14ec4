"""Page images in: PDF pages rendered with pypdfium2, frames of image files, with size caps.

Every page the scan reader sees passes through here, so a hostile page cannot exhaust memory:

* a PDF page is rendered at ``dpi`` (200 by default) but never above ``MAX_PAGE_PIXELS``
  pixels — a page the size of a poster, or one carrying a 20000×20000 px image, is rendered
  smaller and the caller gets a warning;
* an image file is refused (``ReadError`` kind ``too_large``) when its frame would need more
  than ``MAX_DECODE_PIXELS`` pixels to decode — except JPEG, which PIL can decode at 1/2, 1/4
  or 1/8 of its size directly (``draft``); a frame that decodes is then scaled down to
  ``MAX_PAGE_PIXELS`` when larger, with a warning.

``MAX_PAGE_PIXELS`` (24 MP) holds an A4 page at 400 dpi; the reader works at 200 dpi anyway
(``page.WORK_DPI``), so nothing of use is lost by the cap.
"""
from __future__ import annotations

import math
import warnings as _warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from PIL import Image

from extractors.crop import image_dpi
from extractors.errors import ReadError

MAX_PAGE_PIXELS = 24_000_000
MAX_DECODE_PIXELS = 120_000_000
MAX_FRAMES = 500


@dataclass
class Frame:
    """One page image with the resolution it is at (pixels per inch) and its size in points."""
    number: int                 # 1-based
    image: Image.Image          # RGB
    dpi: float
    width_pt: float
    height_pt: float
    warning: Optional[str] = None
    of: int = 1                 # frames in the file


def capped_scale(width_pt: float, height_pt: float, dpi: float, max_pixels: int = MAX_PAGE_PIXELS) -> float:
    """Pixels per point for rendering a page at ``dpi`` without exceeding ``max_pixels``."""
    scale = dpi / 72.0
    px = width_pt * scale * height_pt * scale
    if px > max_pixels:
        scale *= math.sqrt(max_pixels / px) * 0.999     # rounding up a pixel must not cross the cap
    return scale


def render_pdf_page(page, dpi: float = 200.0, max_pixels: int = MAX_PAGE_PIXELS) -> tuple[Image.Image, Optional[str]]:
    """(RGB image of a pypdfium2 page, warning or None); the pixel count is capped."""
    w, h = page.get_size()
    scale = capped_scale(w, h, dpi, max_pixels)
    warning = None
    if scale < dpi / 72.0 - 1e-9:
        warning = (f"页面过大（{w:.0f}×{h:.0f} pt），按 {scale * 72:.0f} dpi 渲染 — page too large, "
                   f"rendered at {scale * 72:.0f} dpi instead of {dpi:.0f}")
    bitmap = page.render(scale=scale)
    try:
        im = bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()
    return im, warning


def shrink_to_cap(im: Image.Image, max_pixels: int = MAX_PAGE_PIXELS) -> tuple[Image.Image, float]:
    """(image, factor): the image scaled down by ``factor`` ≤ 1 so it holds ≤ max_pixels."""
    px = im.width * im.height
    if px <= max_pixels:
        return im, 1.0
    f = math.sqrt(max_pixels / px)
    return im.resize((max(1, int(im.width * f)), max(1, int(im.height * f))), Image.Resampling.LANCZOS), f


def _open(path: Path, name: str) -> Image.Image:
    try:
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            old = Image.MAX_IMAGE_PIXELS
            Image.MAX_IMAGE_PIXELS = None     # we check the size ourselves, before decoding
            try:
                im = Image.open(path)
            finally:
                Image.MAX_IMAGE_PIXELS = old
    except Exception as e:
        raise ReadError(name, "corrupt", f"图片无法打开 — the image cannot be opened ({type(e).__name__}: {e})")
    return im


def image_frames(path: Path, name: Optional[str] = None) -> Iterator[Frame]:
    """Every frame of an image file (a multi-page TIFF has several), as capped RGB frames."""
    path = Path(path)
    name = name or path.name
    im = _open(path, name)
    n = getattr(im, "n_frames", 1) or 1
    if n > MAX_FRAMES:
        raise ReadError(name, "too_large", f"图片有 {n} 帧，超过上限 {MAX_FRAMES} — too many frames ({n})")
    for k in range(n):
        try:
            im.seek(k)
        except EOFError:
            break
        except Exception as e:
            raise ReadError(name, "corrupt", f"第 {k + 1} 帧无法读取 — frame {k + 1} cannot be read ({e})")
        dpi = image_dpi(im)
        w, h = im.size
        warning = None
        frame = im
        if w * h > MAX_PAGE_PIXELS and im.format == "JPEG":
            # decode at a power-of-two reduction straight from the JPEG data
            f = math.sqrt(MAX_PAGE_PIXELS / (w * h))
            im.draft("RGB", (max(1, int(w * f)), max(1, int(h * f))))
        elif w * h > MAX_DECODE_PIXELS:
            raise ReadError(name, "too_large",
                            f"第 {k + 1} 页图片为 {w}×{h} 像素，超过上限 {MAX_DECODE_PIXELS // 1_000_000} 百万像素 — "
                            f"page image {w}×{h} px is larger than the {MAX_DECODE_PIXELS // 1_000_000} MP limit")
        try:
            frame = im.convert("RGB")
        except Exception as e:
            raise ReadError(name, "corrupt", f"第 {k + 1} 帧无法解码 — frame {k + 1} cannot be decoded ({e})")
        got = frame.width / w
        frame, f = shrink_to_cap(frame)
        got *= f
        if got < 0.999:
            warning = (f"{name}: 第 {k + 1} 页图片 {w}×{h} 像素过大，已缩小到 {frame.width}×{frame.height} — "
                       f"page {k + 1} image {w}×{h} px scaled down to {frame.width}×{frame.height}")
        yield Frame(k + 1, frame, dpi * got, w / dpi * 72.0, h / dpi * 72.0, warning, n)


def page_images(path: Path, dpi: float = 200.0) -> Iterator[tuple[int, Image.Image, float, float]]:
    """(page number, image, width pt, height pt) of every page of a scanned PDF or image file,
    rendered as the readers render them (for the debug view and the tick stage's fitting)."""
    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium
        pdf = pdfium.PdfDocument(str(path))
        for i in range(len(pdf)):
            w, h = pdf[i].get_size()
            yield i + 1, render_pdf_page(pdf[i], dpi)[0], w, h
    else:
        for fr in image_frames(path):
            yield fr.number, fr.image, fr.width_pt, fr.height_pt
