"""Characters the recogniser read where the page shows no print: not on the page.

Seen silent on a held-out scan (s6h1 rongxian p1 ``cover.contact``): 联系电话：-韦健浩… — a ``-``
read at 0.39 in the blank between the colon and the name, over the start of the fill-in
underline the reader had painted out as a rule before the OCR.  The recogniser makes up a
character in a blank only with little belief in it, so a character read below
``INKLESS_SCORE`` whose place (its box without a ``MARGIN`` share at each side) holds no print
ink at all — rules excluded: an underline is no character — is taken off its line.  A
character with any ink in its place stays, however unsure: that is what the flags are for.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .ocr import OcrLine

INKLESS_SCORE = 0.5      # the recogniser's probability for a character below which an empty place rules it out
MARGIN = 0.15            # share of the character's box at each side left out of its place (a neighbour's edge)


def _empty(ink: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    x0, y0, x1, y1 = box
    dx, dy = MARGIN * (x1 - x0), MARGIN * (y1 - y0)
    H, W = ink.shape[:2]
    a, b = max(0, int(round(x0 + dx))), min(W, int(round(x1 - dx)))
    c, d = max(0, int(round(y0 + dy))), min(H, int(round(y1 - dy)))
    if b <= a or d <= c:
        return False
    return not ink[c:d, a:b].any()


def without_inkless(lines: list[OcrLine], ink: np.ndarray) -> list[OcrLine]:
    """The lines with every character read below ``INKLESS_SCORE`` on blank paper taken off
    (``ink``: the page's print without its rules, straightened, pixels); a line left with no
    character is dropped."""
    out = []
    for ln in lines:
        keep = [c for c in ln.chars if c.score >= INKLESS_SCORE or c.text.isspace() or not _empty(ink, c.box)]
        if len(keep) == len(ln.chars):
            out.append(ln)
        elif keep:
            out.append(replace(ln, text="".join(c.text for c in keep), chars=keep))
    return out
