"""Turn a reader's run of text and glyphs into one :class:`Paragraph` with normalised ticks.

Readers hand over pieces in reading order: plain text (characters such as □ ☑ √ typed in it
are recognised here) and :class:`Glyph` pieces for things that are not plain characters
(``w:sym`` symbol runs, content-control and legacy form-field checkboxes, PDF symbol-font
glyphs with their boxes).  The rules, the same for every reader:

* a box glyph is one tick: empty box → unticked, marked box → ticked, a control's own
  checked state wins over whatever glyph it displays;
* a bare mark (√ ✓ ✔ ✗) written immediately beside a box (before or after, no space) ticks
  that box: "□√第二产业", "√□第二产业";
* a bare mark followed by label text stands in place of the box: "√第二产业";
* a bare mark written after a label ("□是√ □否") ticks the box of that label;
* a glyph we cannot place becomes a tick with ``state=None`` (reported, never unticked).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence, Union

from .document import BBox, Paragraph, Source, Tick
from .glyphs import BOX_EMPTY, BOX_TICKED, MARK, OTHER, UNKNOWN, classify_char


@dataclass
class Glyph:
    cls: str                        # one of glyphs.BOX_EMPTY/BOX_TICKED/MARK/OTHER/UNKNOWN
    encoding: str                   # e.g. "sym:Wingdings:F0FE", "sdt-checkbox", "formcheckbox"
    raw: str = ""
    confidence: float = 1.0
    bbox: Optional[BBox] = None
    display: str = ""               # text to show for OTHER glyphs
    why: str = ""                   # the reader's reason for its reading, in the clerk's words


@dataclass
class _Tok:
    ch: str = ""
    glyph: Optional[Glyph] = None
    bbox: Optional[BBox] = None


Piece = Union[str, Glyph, tuple]    # tuple: (char, bbox) for positioned characters


def _tokens(pieces: Sequence[Piece]) -> list[_Tok]:
    toks: list[_Tok] = []
    for p in pieces:
        if isinstance(p, Glyph):
            toks.append(_Tok(glyph=p, bbox=p.bbox))
            continue
        if isinstance(p, tuple):
            chars = [(p[0], p[1])]
        else:
            chars = [(ch, None) for ch in p]
        for ch, bb in chars:
            cls = classify_char(ch)
            if cls:
                toks.append(_Tok(glyph=Glyph(cls, "char", ch, bbox=bb), bbox=bb))
            else:
                toks.append(_Tok(ch=ch, bbox=bb))
    return toks


def _union(a: Optional[BBox], b: Optional[BBox]) -> Optional[BBox]:
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def build_paragraph(pieces: Sequence[Piece], source: Source, confidence: float = 1.0,
                    style: Optional[str] = None) -> Paragraph:
    toks = _tokens(pieces)
    text: list[str] = []
    ticks: list[Tick] = []
    i = 0
    n = len(toks)

    def is_box(t: _Tok) -> bool:
        return t.glyph is not None and t.glyph.cls in (BOX_EMPTY, BOX_TICKED, UNKNOWN)

    def is_mark(t: _Tok) -> bool:
        return t.glyph is not None and t.glyph.cls == MARK

    def next_nonspace(j: int) -> Optional[_Tok]:
        while j < n and toks[j].glyph is None and toks[j].ch.isspace():
            j += 1
        return toks[j] if j < n else None

    while i < n:
        t = toks[i]
        g = t.glyph
        if g is None:
            text.append(t.ch)
            i += 1
            continue
        if g.cls == OTHER:
            text.append(g.display or g.raw)
            i += 1
            continue
        if is_mark(t) and i + 1 < n and is_box(toks[i + 1]):
            # "√□label": the mark ticks the box right after it
            box = toks[i + 1].glyph
            assert box is not None          # is_box: a token with a glyph
            state = None if box.cls == UNKNOWN else True
            ticks.append(Tick(state, 1.0 if state else 0.0, f"{box.encoding}+mark", g.raw + box.raw,
                              len(text), _union(t.bbox, toks[i + 1].bbox)))
            text.append(ticks[-1].marker)
            i += 2
            continue
        if is_box(t):
            state = {BOX_EMPTY: False, BOX_TICKED: True, UNKNOWN: None}[g.cls]
            enc, raw, bb = g.encoding, g.raw, t.bbox
            conf = g.confidence if state is not None else 0.0
            if i + 1 < n and is_mark(toks[i + 1]):
                # "□√label": a mark typed right after the box
                state, conf = (True, 1.0) if state is not None else (None, 0.0)
                mark = toks[i + 1].glyph
                assert mark is not None         # is_mark: a token with a glyph
                enc, raw, bb = enc + "+mark", raw + mark.raw, _union(bb, toks[i + 1].bbox)
                i += 1
            ticks.append(Tick(state, conf, enc, raw, len(text), bb, g.why))
            text.append(ticks[-1].marker)
            i += 1
            continue
        # a bare mark not touching a box
        nxt = next_nonspace(i + 1)
        if nxt is not None and nxt.glyph is None:
            ticks.append(Tick(True, g.confidence, g.encoding, g.raw, len(text), t.bbox))
            text.append(ticks[-1].marker)
        elif ticks and "".join(text[ticks[-1].offset + 1:]).strip():
            prev = ticks[-1]       # "□是√": the mark after a label ticks that label's box
            if prev.state is False:
                prev.state, prev.confidence = True, 1.0
                text[prev.offset] = prev.marker
            prev.encoding += "+trailing-mark"
            prev.raw += g.raw
        else:
            ticks.append(Tick(True, g.confidence, g.encoding, g.raw, len(text), t.bbox))
            text.append(ticks[-1].marker)
        i += 1
    return Paragraph(text="".join(text), source=source, confidence=confidence, ticks=ticks, style=style)
