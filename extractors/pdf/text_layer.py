"""One PDF page's text layer → :class:`~extractors.layout.PageContent` (pdfplumber).

* every character with its box and font name: ordinary text as ``TextPiece``; boxes and
  marks (Unicode or symbol-font, see ``symbols``) as ``GlyphPiece``;
* ruling lines: drawn lines and the edges of rectangles (Word draws cell borders as thin
  filled rectangles, LibreOffice as lines); page-sized frames, vector checkboxes
  (``vector_boxes``) and diagonal strokes are left out;
* pictures on the page (pypdfium2 image objects, rendered with their soft masks) classified
  as seal, signature or picture by ``extractors.marks.classify_picture``.
"""
from __future__ import annotations

import io
from typing import Optional

from pipeline.model.document import Mark, Source
from pipeline.model.glyphs import OTHER
from pipeline.model.ticks import Glyph

from ..layout.pieces import GlyphPiece, PageContent, Rule, TextPiece
from ..marks import classify_picture
from .symbols import classify_pdf_char
from .vector_boxes import find_vector_boxes

MAX_IMAGES_PER_PAGE = 40
MIN_MARK_PT = 12.0          # smaller pictures (icons, specks) are not seals or signatures


def char_pieces(chars: list[dict]) -> list:
    out = []
    for c in chars:
        text = c.get("text") or ""
        if not text or text in ("\n", "\r"):
            continue
        bbox = (float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]))
        font = c.get("fontname")
        cls, enc = classify_pdf_char(text, font)
        if cls is None:
            if text.isspace():
                text = " "        # kept only where it stands in a real gap (layout.lines)
            out.append(TextPiece(text, bbox, 1.0, font, float(c.get("size") or 0) or None))
        elif cls == OTHER:
            out.append(TextPiece("•", bbox, 1.0, font, float(c.get("size") or 0) or None))
        else:
            out.append(GlyphPiece(Glyph(cls, enc, text, 1.0, bbox, "•"), bbox))
    return out


def page_rules(page, exclude: set[int]) -> list[Rule]:
    W, H = float(page.width), float(page.height)
    rules = []
    for l in page.lines:
        if id(l) in exclude:
            continue
        x0, x1, t, b = float(l["x0"]), float(l["x1"]), float(l["top"]), float(l["bottom"])
        if (x1 - x0) > 1.5 and (b - t) > 1.5:
            continue                                   # a diagonal stroke, not a rule
        rules.append(Rule(x0, t, x1, b))
    for r in page.rects:
        if id(r) in exclude:
            continue
        x0, x1, t, b = float(r["x0"]), float(r["x1"]), float(r["top"]), float(r["bottom"])
        w, h = x1 - x0, b - t
        if w >= 0.9 * W and h >= 0.9 * H:
            continue                                   # a page frame or background
        if h <= 2.0 or w <= 2.0:
            rules.append(Rule(x0, t, x1, b))           # a thin rectangle is a rule
            continue
        if not (r.get("stroke") or r.get("fill")):
            continue
        rules += [Rule(x0, t, x1, t), Rule(x0, b, x1, b), Rule(x0, t, x0, b), Rule(x1, t, x1, b)]
    return rules


def page_marks(pdf_page, number: int, file: str, height: float) -> list[Mark]:
    """Seals, signatures and other pictures placed on the page (pypdfium2 page objects)."""
    import pypdfium2.raw as pdfium_c
    marks = []
    try:
        objs = list(pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))
    except Exception:
        return marks
    for obj in objs[:MAX_IMAGES_PER_PAGE]:
        try:
            l, b, r, t = obj.get_bounds() if hasattr(obj, "get_bounds") else obj.get_pos()
            if (r - l) < MIN_MARK_PT or (t - b) < MIN_MARK_PT:
                continue
            im = obj.get_bitmap(render=True).to_pil()
            buf = io.BytesIO()
            im.save(buf, "PNG")
        except Exception:
            continue
        kind, conf, detail = classify_picture(buf.getvalue())
        bbox = (float(l), float(height - t), float(r), float(height - b))
        marks.append(Mark(kind, conf, Source(file, number, bbox), detail))
    return marks


def read_text_page(page, pdf_page, number: int, file: str, chars: Optional[list] = None) -> PageContent:
    """The page's pieces, rules and marks as read from its text layer."""
    W, H = float(page.width), float(page.height)
    rects, lines, curves = page.rects, page.lines, page.curves
    boxes = find_vector_boxes(rects, lines, curves)
    exclude = {i for vb in boxes for i in vb.parts}
    pieces = char_pieces(page.chars if chars is None else chars)
    for vb in boxes:
        g = Glyph("box_ticked" if vb.ticked else "box_empty", "pdf-vector-box", "☒" if vb.ticked else "☐", 1.0, vb.bbox)
        pieces.append(GlyphPiece(g, vb.bbox))
    marks = page_marks(pdf_page, number, file, H) if pdf_page is not None else []
    return PageContent(number, W, H, pieces, page_rules(page, exclude), "text", marks)
