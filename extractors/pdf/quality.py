"""Does a PDF page carry a text layer we can read, or must its picture be OCR'd?

Measured per page, from pdfplumber's objects (no OCR needed):

* ``chars``      — characters that are not white space;
* ``junk``       — share of those that cannot be text: pdfminer's ``(cid:NN)`` placeholders
  (a glyph with no Unicode mapping), U+FFFD, control characters, private-use code points in
  a font that is not a symbol font, characters outside every script a Chinese form uses
  (CJK, Latin, digits, punctuation, box/tick symbols; a broken ToUnicode map typically yields
  Hangul, Thai, Cyrillic or Latin Extended), and characters whose box lies off the page;
* ``cover``      — the largest share of the page one picture covers;
* ``rules``      — drawn lines and rectangles.

Verdict (``route``):

1. no characters: ``scan`` if a picture covers ≥ 30% of the page or the page is drawn with
   ≥ 30 vector paths (text as outlines), else ``empty``;
2. ``junk`` ≥ 15% of the characters: ``scan`` (a garbage text layer, e.g. a bad OCR layer);
3. a picture covering ≥ 80% of the page and fewer than 4 drawn rules: ``scan`` — this is a
   scanner's page with an OCR text layer on it; the form's grid exists only in the picture,
   so the picture is read (and its layer ignored);
4. a picture covering ≥ 50% with fewer than 30 characters (a page number on a scan): ``scan``;
5. otherwise ``text``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pipeline.model.glyphs import classify_char, is_symbol_font

from .symbols import base_font, is_opensymbol

JUNK_SHARE = 0.15
COVER_SCAN = 0.80
COVER_FEW_CHARS = 0.50
FEW_CHARS = 30
MIN_RULES = 4
PICTURE_ONLY = 0.30
VECTOR_TEXT = 30

_CID = re.compile(r"^\(cid:\d+\)$")


@dataclass
class PageQuality:
    route: str                       # "text" | "scan" | "empty"
    reason: str
    chars: int = 0
    junk: float = 0.0
    cover: float = 0.0
    rules: int = 0
    detail: dict = field(default_factory=dict)


def _plausible(ch: str) -> bool:
    o = ord(ch)
    if o < 0x20:
        return False
    if o < 0x250:                                   # ASCII, Latin-1, Latin Extended-A/B
        return o < 0x180 or ch in "ǎǐǒǔǖǘǚǜ"
    if 0x2000 <= o <= 0x2BFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF:
        return True                                 # punctuation, symbols, CJK punctuation, full width
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
        return True                                 # CJK ideographs
    if 0x3200 <= o <= 0x33FF or 0xFE30 <= o <= 0xFE4F or 0x2E80 <= o <= 0x2FDF or 0x31C0 <= o <= 0x31EF:
        return True                                 # enclosed CJK, compatibility forms, radicals
    if 0x0370 <= o <= 0x03FF:
        return True                                 # Greek (units, formulas)
    if 0x1F5F4 <= o <= 0x1F5F9:
        return True                                 # ballot box symbols
    return classify_char(ch) is not None


def _junk_char(text: str, font: str, inside: bool) -> bool:
    if not inside:
        return True
    if _CID.match(text):
        return not (is_symbol_font(font) or is_opensymbol(font))
    if len(text) != 1:
        return False
    o = ord(text)
    if o == 0xFFFD or unicodedata.category(text) == "Cc":
        return True
    if 0xE000 <= o <= 0xF8FF:
        return not (is_symbol_font(font) or is_opensymbol(font))
    return not _plausible(text)


def assess(page) -> PageQuality:
    """The route for one pdfplumber page (see the module docstring)."""
    W, H = float(page.width), float(page.height)
    area = max(W * H, 1.0)
    chars = [c for c in page.chars if (c.get("text") or "").strip()]
    n = len(chars)
    cover = 0.0
    for im in page.images:
        x0, x1 = max(0.0, float(im["x0"])), min(W, float(im["x1"]))
        t, b = max(0.0, float(im["top"])), min(H, float(im["bottom"]))
        if x1 > x0 and b > t:
            cover = max(cover, (x1 - x0) * (b - t) / area)
    rules = len(page.lines) + len(page.rects)
    q = PageQuality("text", "text layer", n, 0.0, round(cover, 3), rules)
    if n == 0:
        paths = len(page.curves) + rules
        if cover >= PICTURE_ONLY or paths >= VECTOR_TEXT:
            q.route, q.reason = "scan", "no text layer" + ("" if cover >= PICTURE_ONLY else " (vector outlines)")
        else:
            q.route, q.reason = "empty", "blank page"
        return q
    bad = 0
    for c in chars:
        cx, cy = (float(c["x0"]) + float(c["x1"])) / 2, (float(c["top"]) + float(c["bottom"])) / 2
        inside = 0 <= cx <= W and 0 <= cy <= H
        bad += _junk_char(c["text"], base_font(c.get("fontname")), inside)
    q.junk = round(bad / n, 3)
    if q.junk >= JUNK_SHARE:
        q.route, q.reason = "scan", f"junk text layer ({q.junk:.0%} of {n} characters unreadable)"
    elif cover >= COVER_SCAN and rules < MIN_RULES:
        q.route, q.reason = "scan", f"picture of a page ({cover:.0%}) with a text layer over it (OCR layer)"
    elif cover >= COVER_FEW_CHARS and n < FEW_CHARS:
        q.route, q.reason = "scan", f"picture of a page ({cover:.0%}) with {n} characters of text"
    return q
