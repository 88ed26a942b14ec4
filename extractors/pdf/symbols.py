"""Tick glyphs in a PDF text layer, decided by font name and code point, never by guessing.

* Unicode boxes and marks (□ ☐ ☑ ☒ ■ √ ✓ ✔ ✗ …) in any font: ``glyphs.classify_char``.
* Symbol fonts Word and WPS embed when they print ``w:sym`` runs — Wingdings, Wingdings 2,
  Symbol — with private-use code points U+F0xx or plain Latin-1 code points:
  ``glyphs.classify_symbol`` with the font's name.
* LibreOffice prints a Wingdings or Wingdings 2 ``w:sym`` in its **OpenSymbol** font and keeps
  the source font's code point (``pdffonts``: ``FAAAAA+OpenSymbol``; chars U+F0FE, U+F0A8, U+F052,
  U+F0A3 …).  The source font's name is lost, so the code is looked up in the Wingdings table,
  then Wingdings 2, then Symbol; the first that knows the code decides.  This is unambiguous
  because no code point is a box or a mark in one of those tables and something else in
  another (``OPENSYMBOL_CONFLICTS`` is empty; a test holds it so).
* A symbol-font glyph with no Unicode mapping comes out of pdfminer as ``(cid:NN)``: for a
  simple font the cid is the byte code, looked up the same way.

* A symbol font's private-use code U+F0xx drawn in an ordinary text font: LibreOffice falls
  back to a text font (``DejaVuSans``) for a ``w:sym`` glyph its OpenSymbol cannot draw and
  keeps the code (D101-style prints: ``F052`` in DejaVuSans beside ``F052`` in OpenSymbol).
  The code is the author's symbol whatever the font drew, so it is looked up like OpenSymbol's.
* ZapfDingbats / Dingbats (the PDF standard font form fields and some printers use for check
  marks): by its own code table (``glyphs``).

Anything else in a symbol font, or any other private-use code point, is ``UNKNOWN``: a tick
whose state is not known (reported), never silently an unticked box.
"""
from __future__ import annotations

import re
from typing import Optional

from pipeline.model.glyphs import (
    BOX_EMPTY,
    BOX_TICKED,
    MARK,
    UNKNOWN,
    classify_char,
    classify_symbol,
    is_symbol_font,
)

_CID = re.compile(r"^\(cid:(\d+)\)$")
_OPENSYMBOL_ORDER = ("Wingdings", "Wingdings 2", "Symbol")
_DECIDED = (BOX_EMPTY, BOX_TICKED, MARK)


def base_font(fontname: Optional[str]) -> str:
    """The font's name without the subset prefix (``FAAAAA+OpenSymbol`` → ``OpenSymbol``)."""
    return (fontname or "").split("+", 1)[-1]


def is_opensymbol(fontname: Optional[str]) -> bool:
    return "opensymbol" in base_font(fontname).lower().replace(" ", "")


def _opensymbol(code: int) -> tuple[str, str]:
    for font in _OPENSYMBOL_ORDER:
        cls = classify_symbol(font, code)
        if cls != UNKNOWN:
            return cls, font
    return UNKNOWN, ""


def _conflicts() -> tuple[int, ...]:
    out: list[int] = []
    for low in range(256):
        classes = {classify_symbol(f, 0xF000 | low) for f in _OPENSYMBOL_ORDER} - {UNKNOWN}
        if len(classes & set(_DECIDED)) >= 1 and len(classes) > 1:
            out.append(0xF000 | low)
    return tuple(out)


OPENSYMBOL_CONFLICTS = _conflicts()


def char_code(text: str) -> Optional[int]:
    """The code point of a one-char text, or the cid of a ``(cid:NN)`` placeholder."""
    if len(text) == 1:
        return ord(text)
    m = _CID.match(text)
    return int(m.group(1)) if m else None


def classify_pdf_char(text: str, fontname: Optional[str]) -> tuple[Optional[str], str]:
    """(glyph class, encoding) of one text-layer character; class None for ordinary text.

    OTHER is a symbol-font glyph known not to be a box (a bullet): shown as "•".
    """
    code = char_code(text)
    if code is None:
        return None, ""
    font = base_font(fontname)
    cid = len(text) > 1
    if is_opensymbol(font) and (0xF000 <= code <= 0xF0FF or (cid and code <= 0xFF)):
        cls, src = _opensymbol(code if code > 0xFF else 0xF000 | code)
        return cls, f"pdf:OpenSymbol({src or '?'}):{code:04X}"
    if is_symbol_font(font):
        return classify_symbol(font, code), f"pdf:{font}:{code:04X}"
    if cid:
        return None, ""                 # an unmapped glyph of a text font: junk text, not a tick
    if 0xF000 <= code <= 0xF0FF:        # a symbol font's code, printed in a fallback text font
        cls, src = _opensymbol(code)
        return cls, f"pdf:{font}({src or '?'}):{code:04X}"
    if 0xE000 <= code <= 0xF8FF:
        return UNKNOWN, f"pdf:{font}:{code:04X}"
    cls = classify_char(text)
    return (cls, f"pdf-char:{text}") if cls else (None, "")
