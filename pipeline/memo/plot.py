"""A small plotting surface on Pillow for the memo's charts: category axes, bars, lines with
markers, solid and dashed reference lines, value labels, titles and legends, drawn with the CJK
font and written as PNG.

Why not matplotlib: it drew the memo's two charts in ≈ 0.2–0.3 CPU-s per memo (a quarter of
the memo's budget), nearly all of it laying out and drawing text through FreeType again for
every figure (its text-size cache lives with each figure's renderer, so nothing carries over
from one memo to the next); tuning it (no ``tight_layout``, no fallback font, other hinting,
faster PNG compression) saved nothing measurable (``docs/performance.md``).  Pillow draws the
same charts in a few hundredths of a second: the layout here is computed from measured text
(no label is clipped), the figure is drawn at twice the resolution and scaled down, so lines
and text are smooth.

Sizes are given as the charts give them: the figure in millimetres, text and line widths in
points, positions of values in data units.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Sequence

from .fonts import CJKFont

DPI = 150               # of the PNG written
SUPERSAMPLE = 2         # drawn at DPI × SUPERSAMPLE, scaled down (smooth edges)
PNG_COMPRESSION = 3     # zlib level: a third faster than the default 6, files no larger on these charts
INK = "#222222"
SPINE = "#444444"


def _fc_match(pattern: str) -> Optional[tuple[str, int]]:
    import os
    import subprocess
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", pattern], capture_output=True, text=True,
                             timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = out.partition("|")
    return (path, int(index)) if os.path.isfile(path) and index.isdigit() else None


@lru_cache(maxsize=4)
def font_file(family: str, path: str) -> tuple[str, int]:
    """(file, face index) of the regular face of ``family`` (fontconfig's ``fc-match``), else the
    first face of ``path`` (the file :func:`~.fonts.find_cjk_font` named)."""
    return _fc_match(f"{family}:weight=regular") or (path, 0)


@lru_cache(maxsize=16)
def _covered(path: str, index: int) -> frozenset:
    """The code points a font file's face has glyphs for."""
    from fontTools.ttLib import TTFont
    with TTFont(path, fontNumber=index, lazy=True) as f:
        return frozenset(f["cmap"].getBestCmap() or ())


@lru_cache(maxsize=64)
def _fallback(char: str) -> tuple[str, int]:
    """The font fontconfig picks for a character the chart's font lacks (e.g. ₂ in CO₂), if any."""
    return _fc_match(f":charset={ord(char):x}")


@lru_cache(maxsize=32)
def _font(path: str, index: int, size_px: int):
    from PIL import ImageFont
    return ImageFont.truetype(path, size_px, index=index)


@dataclass(frozen=True)
class Entry:
    """One legend entry: ``kind`` is ``bar``, ``line`` (with ``marker`` ``o``/``s`` or none) or ``dashed``."""
    kind: str
    colour: str
    label: str
    marker: str = ""


class Figure:
    def __init__(self, width_mm: float, height_mm: float, font: CJKFont):
        from PIL import Image, ImageDraw
        self.px_per_mm = DPI * SUPERSAMPLE / 25.4
        self.size = (round(width_mm * self.px_per_mm), round(height_mm * self.px_per_mm))
        self.image = Image.new("RGB", self.size, "white")
        self.draw = ImageDraw.Draw(self.image)
        self.face = font_file(font.family, font.path)

    def pt(self, points: float) -> float:
        """Points (1/72 inch) in pixels of the drawing."""
        return points / 72 * DPI * SUPERSAMPLE

    def runs(self, s: str, size_pt: float) -> list[tuple[str, object]]:
        """``s`` cut into runs of one font each: the chart's font, and for characters it lacks
        the font fontconfig picks for them."""
        main = self.face
        have = _covered(*main)
        size = max(1, round(self.pt(size_pt)))
        runs: list[tuple[str, tuple[str, int]]] = []
        for ch in s:
            face = main if ord(ch) in have or ch.isspace() else (_fallback(ch) or main)
            if runs and runs[-1][1] == face:
                runs[-1] = (runs[-1][0] + ch, face)
            else:
                runs.append((ch, face))
        return [(text, _font(path, index, size)) for text, (path, index) in runs]

    def text_width(self, s: str, size_pt: float) -> float:
        return sum(font.getlength(text) for text, font in self.runs(s, size_pt))

    def text(self, xy, s: str, size_pt: float, colour: str = INK, anchor: str = "la") -> None:
        """``anchor`` as Pillow's: horizontal l/m/r, vertical a (ascender), m (middle), s (baseline),
        d (descender) — of the chart's font, so that every run sits on one baseline."""
        runs = self.runs(s, size_pt)
        width = sum(font.getlength(text) for text, font in runs)
        x = xy[0] - {"l": 0.0, "m": width / 2, "r": width}[anchor[0]]
        path, index = self.face
        ascent, descent = _font(path, index, max(1, round(self.pt(size_pt)))).getmetrics()
        y = xy[1] + {"a": ascent, "m": (ascent - descent) / 2, "s": 0, "d": -descent}[anchor[1]]
        for text, font in runs:
            self.draw.text((x, y), text, font=font, fill=colour, anchor="ls")
            x += font.getlength(text)

    def line(self, points, colour: str, width_pt: float, dashed: bool = False) -> None:
        width = max(1, round(self.pt(width_pt)))
        if not dashed:
            self.draw.line(points, fill=colour, width=width, joint="curve")
            return
        dash, gap = self.pt(3.5 * width_pt), self.pt(2 * width_pt)
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            length = math.hypot(x1 - x0, y1 - y0)
            at = 0.0
            while at < length:
                end = min(at + dash, length)
                self.draw.line([(x0 + (x1 - x0) * at / length, y0 + (y1 - y0) * at / length),
                                (x0 + (x1 - x0) * end / length, y0 + (y1 - y0) * end / length)],
                               fill=colour, width=width)
                at = end + gap

    def marker(self, x: float, y: float, kind: str, colour: str, size_pt: float = 3.0) -> None:
        r = self.pt(size_pt)
        box = [x - r, y - r, x + r, y + r]
        if kind == "s":
            self.draw.rectangle(box, fill=colour)
        elif kind == "o":
            self.draw.ellipse(box, fill=colour)

    def png(self) -> bytes:
        small = self.image.reduce(SUPERSAMPLE)       # box average: 15× faster than LANCZOS here, as smooth
        buf = io.BytesIO()
        small.save(buf, format="PNG", dpi=(DPI, DPI), compress_level=PNG_COMPRESSION)
        return buf.getvalue()

    def legend(self, entries: Sequence[Entry], x: float, y: float, size_pt: float, columns: int = 1,
               centred: bool = False) -> None:
        """Entries from (x, y) (top left, or top centre when ``centred``), ``columns`` per row."""
        swatch, pad, row_h = self.pt(14), self.pt(4), self.pt(size_pt * 1.45)
        widths = [swatch + pad + self.text_width(e.label, size_pt) + self.pt(8) for e in entries]
        for start in range(0, len(entries), columns):
            row = list(range(start, min(start + columns, len(entries))))
            left = x - sum(widths[i] for i in row) / 2 if centred else x
            top = y + (start // columns) * row_h
            for i in row:
                self._swatch(entries[i], left, top + row_h / 2, swatch)
                self.text((left + swatch + pad, top + row_h / 2), entries[i].label, size_pt, anchor="lm")
                left += widths[i]

    def _swatch(self, e: Entry, x: float, y: float, width: float) -> None:
        if e.kind == "bar":
            h = self.pt(5)
            self.draw.rectangle([x + width * .2, y - h / 2, x + width * .8, y + h / 2], fill=e.colour)
            return
        self.line([(x, y), (x + width, y)], e.colour, 1.2, dashed=e.kind == "dashed")
        if e.marker:
            self.marker(x + width / 2, y, e.marker, e.colour)


def nice_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Round tick values covering [lo, hi]: steps of 1, 2, 2.5 or 5 × a power of ten."""
    span = hi - lo if hi > lo else abs(hi) or 1.0
    raw = span / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks, v = [], first
    while v <= hi + step * 1e-9:
        ticks.append(round(v, 10))
        v += step
    return ticks


def tick_text(v: float) -> str:
    return f"{v:g}" if abs(v) < 1e6 else f"{v:.3g}"


class Axes:
    """Categories along x (0 … n−1, centred in equal slots), values along y from ``lo`` to ``hi``."""

    def __init__(self, fig: Figure, box: tuple[float, float, float, float], n: int, lo: float, hi: float):
        self.fig, self.n, self.lo, self.hi = fig, n, lo, hi
        self.x0, self.y0, self.x1, self.y1 = box          # pixels: left, top, right, bottom

    def x(self, i: float) -> float:
        return self.x0 + (i + 0.5) * (self.x1 - self.x0) / self.n

    def slot(self) -> float:
        return (self.x1 - self.x0) / self.n

    def y(self, v: float) -> float:
        return self.y1 - (v - self.lo) / (self.hi - self.lo) * (self.y1 - self.y0)

    def bars(self, values: Sequence[Optional[float]], offset: float, width: float, colour: str,
             label_size: Optional[float] = None, fmt: str = "{:.2f}") -> None:
        """Bars at slot offset ``offset`` (in slots), ``width`` slots wide; value labels on top."""
        for i, v in enumerate(values):
            if v is None:
                continue
            cx, half = self.x(i + offset), width * self.slot() / 2
            top, base = self.y(v), self.y(max(self.lo, 0.0))
            self.fig.draw.rectangle([cx - half, min(top, base), cx + half, max(top, base)], fill=colour)
            if label_size:
                self.fig.text((cx, min(top, base) - self.fig.pt(2)), fmt.format(v), label_size, anchor="md")

    def plot(self, values: Sequence[Optional[float]], colour: str, marker: str = "", width_pt: float = 1.5) -> None:
        """A line through the values (broken where one is missing), with markers."""
        run: list[tuple[float, float]] = []
        for i, v in enumerate(list(values) + [None]):
            if v is not None:
                run.append((self.x(i), self.y(v)))
                continue
            if len(run) > 1:
                self.fig.line(run, colour, width_pt)
            for px, py in run:
                self.fig.marker(px, py, marker, colour)
            run = []

    def hline(self, v: float, colour: str, width_pt: float = 1.0, dashed: bool = False) -> None:
        if self.lo <= v <= self.hi:
            self.fig.line([(self.x0, self.y(v)), (self.x1, self.y(v))], colour, width_pt, dashed)

    def frame(self, xlabels: Sequence[str], ticks: Sequence[float], size_pt: float) -> None:
        """Left and bottom spines, y ticks with their values, x labels under their slots."""
        fig = self.fig
        tick = fig.pt(3)
        fig.line([(self.x0, self.y0), (self.x0, self.y1), (self.x1, self.y1)], SPINE, 0.8)
        for t in ticks:
            y = self.y(t)
            fig.line([(self.x0 - tick, y), (self.x0, y)], SPINE, 0.8)
            fig.text((self.x0 - tick - fig.pt(2), y), tick_text(t), size_pt, anchor="rm")
        for i, s in enumerate(xlabels):
            fig.line([(self.x(i), self.y1), (self.x(i), self.y1 + tick)], SPINE, 0.8)
            fig.text((self.x(i), self.y1 + tick + fig.pt(2)), s, size_pt, anchor="ma")


def value_range(values: Sequence[Optional[float]], headroom: float = 0.12) -> tuple[float, float]:
    """(lo, hi) holding every value, with ``headroom`` (a share of their span) above and below."""
    vs = [v for v in values if v is not None and not math.isnan(v)]
    if not vs:
        return 0.0, 1.0
    lo, hi = min(vs), max(vs)
    pad = (hi - lo) * headroom or abs(hi) * headroom or 1.0
    return lo - pad, hi + pad
