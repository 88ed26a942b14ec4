"""What a box or tick glyph means, whatever the encoding that wrote it.

Shared by every text-based reader (DOCX runs, ``w:sym`` symbol runs, PDF text layers):

* :func:`classify_char` for Unicode characters typed in place of or beside a box;
* :func:`classify_symbol` for symbol-font glyphs (Wingdings, Wingdings 2, Symbol) that Word
  writes as ``w:sym`` and that Word/WPS print into PDFs as private-use code points
  (U+F0xx) or as plain Latin-1 code points in the symbol font.

A glyph is one of:

* ``BOX_EMPTY``  – an empty box (□ ☐ Wingdings F06F/F0A8 …): an unticked option;
* ``BOX_TICKED`` – a box with a mark (☑ ☒ ■ Wingdings F0FE/F0FD, Wingdings 2 F052 …);
* ``MARK``       – a bare tick or cross (√ ✓ ✔ ✗ ✘): ticks the box it stands beside, or is
  itself the tick when typed in place of the box;
* ``OTHER``      – a symbol-font glyph known not to be a box (bullets, arrows);
* ``UNKNOWN``    – a symbol-font glyph we cannot place: reported, never read as unticked.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

BOX_EMPTY = "box_empty"
BOX_TICKED = "box_ticked"
MARK = "mark"
OTHER = "other"
UNKNOWN = "unknown"

EMPTY_BOX_CHARS = set("□☐◻▢◽⬜❑❒")
TICKED_BOX_CHARS = set("☑☒■▣◼⊠⌧⬛") | {"\U0001F5F9", "\U0001F5F7", "\U0001F5F5", "\U0001F5F8"}
MARK_CHARS = set("√✓✔✗✘") | {"\U0001F5F8", "\U0001F5F4", "\U0001F5F6"}

# Symbol fonts: code point (low byte of the F0xx private-use code) -> class.
# Wingdings: o □, q ❑, r ❒, ¨ ◻ (the box Word's "Insert Symbol" offers), þ ☑, ý ☒, ü ✓, û ✗,
# x ⌧, n ■; bullets and arrows are OTHER so that list bullets are not read as boxes.
_WINGDINGS = {
    0x6F: BOX_EMPTY, 0x71: BOX_EMPTY, 0x72: BOX_EMPTY, 0xA8: BOX_EMPTY, 0x70: BOX_EMPTY,
    0xFE: BOX_TICKED, 0xFD: BOX_TICKED, 0x78: BOX_TICKED, 0x6E: BOX_TICKED,
    0xFC: MARK, 0xFB: MARK,
    0x6C: OTHER, 0x9F: OTHER, 0xA7: OTHER, 0xD8: OTHER, 0x76: OTHER, 0x75: OTHER, 0x77: OTHER,
    0x9E: OTHER, 0xA1: OTHER, 0xE0: OTHER, 0xE8: OTHER, 0xF0: OTHER, 0x4A: OTHER, 0x3F: OTHER,
}
# Wingdings 2: £ (A3) □, ¢ (A2) ◻, R ☑, Q/S/T ☒, P ✓, O ✗.
_WINGDINGS2 = {
    0xA3: BOX_EMPTY, 0xA2: BOX_EMPTY, 0x2A: BOX_EMPTY,
    0x52: BOX_TICKED, 0x51: BOX_TICKED, 0x53: BOX_TICKED, 0x54: BOX_TICKED,
    0x50: MARK, 0x4F: MARK,
    0x97: OTHER, 0x98: OTHER, 0x99: OTHER, 0x9A: OTHER,
}
# Symbol: Ö is the radical sign √ people use as a tick; ´ ×.
_SYMBOL = {0xD6: MARK, 0xB4: MARK, 0xB7: OTHER}

# ZapfDingbats (Adobe's standard 14 font; Unicode as in Adobe's zapfdingbats glyph list):
# 3 ✓ (a19), 4 ✔ (a20), 5 ✕, 6 ✖, 7 ✗, 8 ✘; n ■, o ❏, p ❐, q ❑, r ❒; l ● m ❍ u ◆ v ❖ w ◗ are
# bullets here (as body text; a form widget's own appearance is not in the text layer).
_ZAPF = {
    0x33: MARK, 0x34: MARK, 0x35: MARK, 0x36: MARK, 0x37: MARK, 0x38: MARK,
    0x6E: BOX_TICKED, 0x6F: BOX_EMPTY, 0x70: BOX_EMPTY, 0x71: BOX_EMPTY, 0x72: BOX_EMPTY,
    0x6C: OTHER, 0x6D: OTHER, 0x75: OTHER, 0x76: OTHER, 0x77: OTHER,
}

_FONT_TABLES: tuple[tuple[re.Pattern, dict], ...] = (
    (re.compile(r"zapf\s*dingbats|^dingbats$|itc\s*zapf"), _ZAPF),
    (re.compile(r"wingdings\s*-?\s*2"), _WINGDINGS2),
    (re.compile(r"wingdings\s*-?\s*3"), {}),
    (re.compile(r"wingdings"), _WINGDINGS),
    (re.compile(r"^symbol$|symbolmt|^symbol[-,]"), _SYMBOL),
)


def classify_char(ch: str) -> Optional[str]:
    """Class of a Unicode character, or None when it is ordinary text."""
    if ch in EMPTY_BOX_CHARS:
        return BOX_EMPTY
    if ch in TICKED_BOX_CHARS:
        return BOX_TICKED
    if ch in MARK_CHARS:
        return MARK
    return None


@lru_cache(maxsize=1024)
def _font_key(font: str) -> str:
    # PDF subset fonts look like "ABCDEF+Wingdings-Regular"
    f = font.split("+", 1)[-1].lower().replace("_", " ")
    return re.sub(r"[-,](regular|bold|italic|normal)$", "", f)


@lru_cache(maxsize=1024)          # asked for every character of a PDF's text layer: a few fonts
def is_symbol_font(font: Optional[str]) -> bool:
    if not font:
        return False
    key = _font_key(font)
    return any(rx.search(key) for rx, _ in _FONT_TABLES)


def classify_symbol(font: Optional[str], code: int) -> str:
    """Class of a glyph drawn in a symbol font; UNKNOWN when the font or code is not known.

    ``code`` may be the private-use form (0xF0FE) or the low byte (0xFE).
    """
    key = _font_key(font or "")
    low = code & 0xFF if 0xF000 <= code <= 0xF0FF or code <= 0xFF else None
    for rx, table in _FONT_TABLES:
        if rx.search(key):
            if low is None:             # a real Unicode code point (the font maps it): read as such
                return classify_char(chr(code)) or UNKNOWN
            return table.get(low, UNKNOWN)
    # Not a symbol font we know: a private-use code point is still nothing we can read.
    if 0xE000 <= code <= 0xF8FF:
        return UNKNOWN
    return classify_char(chr(code)) or OTHER
