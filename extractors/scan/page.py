"""One scanned page image → :class:`~extractors.layout.pieces.PageContent`, the chain in order.

``read_scan_page(image, number, width_pt, height_pt, file)`` is what the PDF reader calls for
a page without a usable text layer, and what ``image_reader`` calls for each frame:

1. the image is brought to the working resolution ``WORK_DPI`` (from its size against the
   page's size in points) and capped in pixels (``raster.MAX_PAGE_PIXELS``);
2. ink masks, the skew measured and the page turned straight (``deskew``);
3. ruling lines (``lines``) → ``Rule`` s; tick boxes and their ink decision (``boxes``,
   ``box_siblings``) → ``GlyphPiece`` s (``scan-ink`` encoding: ticked / empty / undecided,
   with the confidence of the ink measure); the seal and signatures (``marks``) → ``Mark`` s;
4. OCR (``ocr``) on a copy with pen-blue and seal-red dropped out, the sure tick boxes and
   the ruling lines painted white (so neither is read as a letter); the boxes checked against
   the OCR's reading and the lines they touch read again (``confirm``); a pen stroke that
   runs through several boxes counted for the one holding most of it (``strokes``); each line cut at
   ruling lines and boxes → ``TextPiece`` s carrying the OCR's confidence; 一 or — between
   characters settled by the stroke's length (``dashes``).  Pieces that lie on
   a found signature are not text.

Everything is in points on the *straightened* page (the grid of a table is axis-aligned
there); :func:`unskew_sources` maps a document's sources back onto the page as stored, so a
field's bbox crops the right cell from the file (call it after ``assemble``).
``timings`` (seconds of raster preparation, OCR and the rest of the last page read in this
process) feed ``make bench``.
"""
from __future__ import annotations

import time
from typing import Iterable, Optional

import cv2
import numpy as np
from PIL import Image

from extractors.layout.pieces import GlyphPiece, PageContent, TextPiece
from pipeline.model.document import Document, Mark, Source
from pipeline.model.glyphs import BOX_EMPTY, BOX_TICKED, UNKNOWN
from pipeline.model.ticks import Glyph

from . import ocr
from .boxes import find_boxes
from .confirm import confirm, reread
from .dashes import settle_dashes
from .deskew import deskew
from .ink import dropout_colour, ink_masks
from .lines import rule_masks, rules_of
from .marks import find_seals, find_signatures, is_scrawl
from .strokes import one_box_per_stroke
from .raster import MAX_PAGE_PIXELS, shrink_to_cap

WORK_DPI = 200.0
BLANK_INK_SHARE = 0.0005     # below this share of inked pixels a page is blank: no OCR
timings: dict[str, float] = {}


def _working_image(image: Image.Image, width_pt: float) -> tuple[np.ndarray, float]:
    """(RGB array at about WORK_DPI, pixels per point), never above the pixel cap.

    A low-resolution page is brought up to WORK_DPI only as far as the cap allows (a poster
    rendered small stays small)."""
    im = image.convert("RGB")
    dpi = im.width / width_pt * 72.0 if width_pt > 0 else WORK_DPI
    if dpi > WORK_DPI * 1.15 or dpi < WORK_DPI / 1.6:
        f = WORK_DPI / dpi
        cap = (MAX_PAGE_PIXELS / max(1, im.width * im.height)) ** 0.5
        f = min(f, cap)
        if abs(f - 1.0) > 0.05:
            im = im.resize((max(1, round(im.width * f)), max(1, round(im.height * f))), Image.Resampling.LANCZOS)
    im, _ = shrink_to_cap(im)
    return np.asarray(im), im.width / width_pt


def _painted(image: np.ndarray, boxes) -> np.ndarray:
    """A copy of the image with the boxes (and a pixel around them) painted paper white."""
    out = image.copy()
    for b in boxes:
        x0, y0, x1, y1 = b.bbox
        out[max(0, y0 - 1):y1 + 1, max(0, x0 - 1):x1 + 1] = 255
    return out


def read_scan_page(image: Image.Image, number: int, width_pt: float, height_pt: float, file: str) -> PageContent:
    t0 = time.perf_counter()
    rgb, ppp = _working_image(image, width_pt)
    t_raster = time.perf_counter() - t0
    masks = ink_masks(rgb)
    rgb, turn = deskew(rgb, masks.dark)
    if turn.matrix is not None:
        masks = ink_masks(rgb)
    horiz, vert = rule_masks(masks.print, ppp)
    rule_px = (horiz | vert).astype(bool)
    rules = rules_of(horiz, vert, ppp)
    boxes = find_boxes(masks, ppp, rule_px)
    seals = find_seals(masks, ppp)
    s = 1.0 / ppp

    # OCR on the print alone, the sure boxes painted out
    unpainted = dropout_colour(rgb, masks)
    unpainted[cv2.dilate(rule_px.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)] = 255
    clean = _painted(unpainted, [b for b in boxes if b.sure])
    t1 = time.perf_counter()
    # a page without ink (blank, or nothing but its rules) has nothing to read
    lines = ocr.read_lines(clean) if (masks.dark & ~rule_px).mean() > BLANK_INK_SHARE else []
    # the boxes the OCR contradicts go; the lines the boxes kept or dropped touch are read again
    boxes, late, dropped = confirm(boxes, lines)
    if late or dropped:
        lines = reread(lines, _painted(unpainted, boxes), late, dropped)
    lines = settle_dashes(lines, masks.grey < masks.threshold)
    # a neighbour's stroke running through a box does not tick it
    boxes = one_box_per_stroke(boxes, masks)
    t_ocr = time.perf_counter() - t1

    sigs = find_signatures(masks, ppp, [ln.box for ln in lines if not is_scrawl(ln.text, ln.score)],
                           [b.bbox for b in boxes], rule_px)
    pieces: list = []
    v_rules = [r for r in rules if not r.horizontal]
    for ln in lines:
        y0, y1 = ln.box[1] * s, ln.box[3] * s
        cuts = [r.x0 * ppp for r in v_rules if r.top < (y0 + y1) / 2 < r.bottom]
        cuts += [(b.bbox[0] + b.bbox[2]) / 2 for b in boxes if b.bbox[1] < (ln.box[1] + ln.box[3]) / 2 < b.bbox[3]]
        for p in ocr.line_pieces(ln, cuts, ppp):
            cx, cy = (p.bbox[0] + p.bbox[2]) / 2 * ppp, (p.bbox[1] + p.bbox[3]) / 2 * ppp
            if any(g.box[0] <= cx <= g.box[2] and g.box[1] <= cy <= g.box[3] for g in sigs) and p.confidence < 0.9:
                continue
            pieces.append(p)
    for b in boxes:
        cls = BOX_TICKED if b.state else (BOX_EMPTY if b.state is False else UNKNOWN)
        bb = tuple(v * s for v in b.bbox)
        raw = f"ink {b.inside:.3f} pen {b.pen_around:.3f}"
        pieces.append(GlyphPiece(Glyph(cls, "scan-ink", raw, b.confidence, bb), bb))
    marks = [Mark(f.kind, f.confidence, Source(file, number, tuple(v * s for v in f.box)), f.detail)
             for f in seals + sigs]
    pc = PageContent(number, width_pt, height_pt, pieces, rules, "scan", marks, turn.angle, round(ppp * 72.0, 1))
    timings.update({"raster": t_raster, "ocr": t_ocr, "rest": time.perf_counter() - t0 - t_raster - t_ocr})
    return pc


# ------------------------------------------------------------------ back onto the stored page
def _unturn(bbox, angle: float, width: float, height: float):
    """A bbox on the straightened page (points) as the covering bbox on the stored page."""
    m = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), angle, 1.0)
    inv = cv2.invertAffineTransform(m)
    x0, y0, x1, y1 = bbox
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64) @ inv.T
    return (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max()))


def unskew_sources(doc: Document, pages: Iterable[PageContent]) -> Document:
    """Map every bbox on a turned scan page back onto the page as the file stores it."""
    turned = {pc.number: pc for pc in pages if pc.kind == "scan" and abs(pc.rotation) > 0}
    if not turned:
        return doc
    seen: set[int] = set()

    def fix(src: Optional[Source]) -> None:
        if src is None or src.bbox is None or src.page not in turned or id(src) in seen:
            return
        seen.add(id(src))
        pc = turned[src.page]
        src.bbox = _unturn(src.bbox, pc.rotation, pc.width, pc.height)

    def walk(t) -> None:
        fix(t.source)
        for c in t.cells:
            fix(c.source)
            for p in c.paragraphs:
                fix(p.source)
                for tk in p.ticks:
                    if tk.bbox is not None and p.source is not None and p.source.page in turned:
                        pc = turned[p.source.page]
                        tk.bbox = _unturn(tk.bbox, pc.rotation, pc.width, pc.height)
            for nt in c.tables:
                walk(nt)

    for b in doc.blocks:
        if hasattr(b, "cells"):
            walk(b)
        else:
            fix(b.source)
    for m in doc.marks:
        fix(m.source)
    return doc
