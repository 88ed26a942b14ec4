"""Text lines of a page image by RapidOCR, as layout ``TextPiece`` s with the OCR's confidence.

One engine per process, created on first use (``engine()``; a forked child makes its own, so
the batch's per-file isolation never uses an ONNX session across a fork, and keeps the inherited
one alive rather than freeing it, which would hang on the parent's threads).  RapidOCR ships
its Chinese PP-OCRv4 models inside the wheel: nothing is downloaded.  Settings: the whole
page at full resolution (``max_side_len`` raised from 2000 so 200 dpi A4 text is not shrunk
before recognition), no direction classifier (pages are straightened first), and per-character
boxes (``return_word_box``), so a line can be cut where a ruling line or a tick box lies
between two characters; text regions grown a little more than RapidOCR's default
(``DET_UNCLIP_RATIO``) so that a line's last full stop is not cut off.

One correction is made to what the recogniser reads: 一 between two digits becomes the dash
of a range (``2021一2023`` → ``2021—2023``).  A line's confidence is RapidOCR's score for it (the mean of its characters' probabilities);
every piece cut from the line keeps that score.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from extractors.layout.pieces import TextPiece

MAX_SIDE_PX = 3000
# how far the detector's text regions are grown before recognition (RapidOCR's default 1.6):
# at 1.6 a full stop after a digit or % at the end of a line (61%。) lies on the region's edge
# and is often dropped, most of all once the ruling line under it has been painted out
DET_UNCLIP_RATIO = 2.0
_ENGINE: dict[int, object] = {}
# engines inherited through a fork are kept, never freed: destroying an ONNX session in the
# child joins threads that only exist in the parent, and the child hangs
_INHERITED: list = []


def engine():
    """The process's RapidOCR engine (made on first call in each process)."""
    pid = os.getpid()
    eng = _ENGINE.get(pid)
    if eng is None:
        from rapidocr_onnxruntime import RapidOCR
        eng = RapidOCR(max_side_len=MAX_SIDE_PX, use_cls=False, det_unclip_ratio=DET_UNCLIP_RATIO)
        _INHERITED.extend(_ENGINE.values())
        _ENGINE.clear()
        _ENGINE[pid] = eng
    return eng


@dataclass
class OcrChar:
    text: str
    box: tuple[float, float, float, float]      # pixels x0, y0, x1, y1


@dataclass
class OcrLine:
    text: str
    box: tuple[float, float, float, float]
    score: float
    chars: list[OcrChar] = field(default_factory=list)


def _axis_box(quad) -> tuple[float, float, float, float]:
    q = np.asarray(quad, dtype=np.float64).reshape(-1, 2)
    return float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max()), float(q[:, 1].max())


def _chars(text: str, box, words, word_boxes) -> list[OcrChar]:
    """Per-character boxes: RapidOCR's word boxes, a multi-char word's box shared out by width."""
    out: list[OcrChar] = []
    if words and word_boxes and len(words) == len(word_boxes):
        for w, wb in zip(words, word_boxes):
            x0, y0, x1, y1 = _axis_box(wb)
            w = w.strip()
            if not w:
                continue
            step = (x1 - x0) / len(w)
            for i, ch in enumerate(w):
                out.append(OcrChar(ch, (x0 + i * step, y0, x0 + (i + 1) * step, y1)))
        if "".join(c.text for c in out) == "".join(text.split()):
            return out
    # no usable word boxes: share the line's box out over its characters
    x0, y0, x1, y1 = box
    chars = [c for c in text if not c.isspace()]
    step = (x1 - x0) / max(1, len(chars))
    return [OcrChar(ch, (x0 + i * step, y0, x0 + (i + 1) * step, y1)) for i, ch in enumerate(chars)]


def read_lines(rgb: np.ndarray) -> list[OcrLine]:
    """Every text line RapidOCR finds on an RGB image, with its characters' boxes."""
    if rgb.size == 0:
        return []
    result, _ = engine()(np.ascontiguousarray(rgb[:, :, ::-1]), return_word_box=True)
    lines = []
    for item in result or []:
        quad, text, score = item[0], item[1], float(item[2])
        word_boxes = item[3] if len(item) > 3 else None
        words = item[4] if len(item) > 4 else None
        if not text or not text.strip():
            continue
        box = _axis_box(quad)
        chars = _dash_between_digits(_chars(text, box, words, word_boxes))
        lines.append(OcrLine(_DIGIT_DASH.sub("—", text), box, score, chars))
    return lines


def shifted(line: OcrLine, dx: float, dy: float) -> OcrLine:
    """The line read from a crop, in the coordinates of the page the crop was cut from."""
    def mv(b):
        return (b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy)
    return OcrLine(line.text, mv(line.box), line.score, [OcrChar(c.text, mv(c.box)) for c in line.chars])


_DIGIT_DASH = re.compile(r"(?<=\d)一(?=\d)")


def _dash_between_digits(chars: list[OcrChar]) -> list[OcrChar]:
    """一 (yī) read between two digits is the dash of a range (2021—2023): the recogniser
    confuses the two strokes; no Chinese text writes 一 between digits."""
    for i in range(1, len(chars) - 1):
        if chars[i].text == "一" and chars[i - 1].text.isdigit() and chars[i + 1].text.isdigit():
            chars[i] = OcrChar("—", chars[i].box)
    return chars


def _gap_is_space(a: OcrChar, b: OcrChar, height: float) -> bool:
    return (b.box[0] - a.box[2]) > 0.45 * height


def line_pieces(line: OcrLine, cuts: list[float], px_per_pt: float) -> list[TextPiece]:
    """A line as text pieces in points, cut wherever one of ``cuts`` (x in pixels: ruling lines
    crossing the line, tick boxes on it) lies between two characters.  A wide gap between
    characters is written as a space."""
    chars = sorted(line.chars, key=lambda c: c.box[0])
    if not chars:
        return []
    height = line.box[3] - line.box[1]
    runs: list[list[OcrChar]] = [[chars[0]]]
    for a, b in zip(chars, chars[1:]):
        if any((a.box[0] + a.box[2]) / 2 < x < (b.box[0] + b.box[2]) / 2 for x in cuts):
            runs.append([b])
        else:
            runs[-1].append(b)
    s = 1.0 / px_per_pt
    out = []
    for run in runs:
        text = run[0].text
        for a, b in zip(run, run[1:]):
            text += (" " if _gap_is_space(a, b, height) else "") + b.text
        x0, x1 = run[0].box[0], run[-1].box[2]
        y0, y1 = line.box[1], line.box[3]
        out.append(TextPiece(text, (x0 * s, y0 * s, x1 * s, y1 * s), round(line.score, 4), None, height * s * 0.8))
    return out
