"""Page furniture: running headers, running footers and page numbers, found and taken out.

A word processor prints them in the page margins, outside the form's tables; they are not
part of any field.  Left in, a page number (``— 16 —``) ends the narrative cell above it and a
running header between two pages of one table keeps the table from being joined across the
break.  Born-digital pages and OCR'd scans are treated alike (both come here as body lines).

A line is a *candidate* when it is one of the first or last ``max_lines`` body lines of its page
(nothing of the page — no table, no other body line — above or below it), lies in the
page's top or bottom band (``band`` of the page height), and the page holds something else
(a page of nothing but such lines has no body to set them apart from; only a decorated page
number is taken off it).  A candidate is furniture when:

* it reads as a page number — ``— 16 —``, ``-16-``, ``- 3 -``, ``第 3 页 共 20 页``, ``3 / 20``,
  ``Page 3 of 20`` (decorated, so it cannot be a value); a bare ``16`` only where the bare
  numbers of at least ``min_repeat_pages`` pages advance with the page (same offset);
* or its text, with digits and spaces left out, repeats in the same band at about the same
  height on at least ``min_repeat_pages`` pages and ``min_repeat_share`` of the pages
  (a running header or footer, the document title or an 附件 line atop every page); OCR'd
  text is compared by similarity, not equality.

Nothing is lost silently: each line taken out is recorded (:class:`Furniture`: page, text,
bbox, band and why) and ``assemble`` lists them in ``Document.meta["furniture"]``.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Optional

from pipeline.model.document import BBox

from .lines import Line


@dataclass(frozen=True)
class FurnitureSettings:
    band: float = 0.13                  # share of the page height at the top and at the bottom
    max_lines: int = 2                  # lines at each end of a page that may be furniture
    min_repeat_pages: int = 2           # pages a running line must appear on
    min_repeat_share: float = 0.3       # ... and this share of the document's pages
    y_tol_text_pt: float = 6.0          # how far (points) a running line may move on text-layer pages
    y_tol_scan_pt: float = 24.0         # ... and on scans (skew, shift on the glass)
    similar_scan: float = 0.8           # OCR'd running lines: text similarity that counts as the same

    def tol(self, kind: str) -> float:
        return self.y_tol_text_pt if kind == "text" else self.y_tol_scan_pt

    def same_text(self, kind: str) -> float:
        return 1.0 if kind == "text" else self.similar_scan


SETTINGS = FurnitureSettings()


@dataclass(frozen=True)
class Furniture:
    """A line taken out of a page as furniture."""
    page: int
    text: str
    bbox: BBox
    band: str                   # "top" | "bottom"
    why: str                    # "page_number" | "running"

    def to_dict(self) -> dict:
        return {"page": self.page, "text": self.text, "bbox": [round(v, 2) for v in self.bbox],
                "band": self.band, "why": self.why}


@dataclass
class Candidate:
    page: int
    kind: str                   # the page's kind: "text" | "scan"
    band: str
    line: Line
    number: Optional[int]       # the page number it states, if it reads as one
    decorated: bool             # a page number that cannot be anything else (— 3 —, 第3页)
    key: str                    # text without digits, spaces and dashes, for repetition


_DASH = re.escape("-—–―~～·•一_")           # OCR reads a long dash as 一
_PAGE_NUMBER = (
    re.compile(rf"^[{_DASH}]+(\d{{1,4}})[{_DASH}]+$"),                 # — 16 —  -16-  一3一
    re.compile(r"^第(\d{1,4})页(?:[,，/／]?共\d{1,4}页)?$"),              # 第 3 页 共 20 页
    re.compile(r"^(\d{1,4})[/／](\d{1,4})$"),                          # 3 / 20
    re.compile(r"^共\d{1,4}页[,，]?第(\d{1,4})页$"),                     # 共 20 页 第 3 页
    re.compile(r"^page(\d{1,4})(?:of\d{1,4})?$", re.I),                # Page 3 of 20
)
_BARE = re.compile(r"^(\d{1,4})$")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def page_number(text: str) -> tuple[Optional[int], bool]:
    """(number, decorated) when ``text`` reads as a page number, else (None, False)."""
    t = _squeeze(text)
    for rx in _PAGE_NUMBER:
        m = rx.match(t)
        if m:
            return int(m.group(1)), True
    m = _BARE.match(t)
    return (int(m.group(1)), False) if m else (None, False)


def _key(text: str) -> str:
    return re.sub(rf"[\d{_DASH}\s]", "", unicodedata.normalize("NFKC", text))


def _candidates(page: int, kind: str, height: float, lines: list[Line], band: str,
                s: FurnitureSettings) -> list[Candidate]:
    out = []
    ends = lines[:s.max_lines] if band == "top" else lines[::-1][:s.max_lines]
    for line in ends:
        inside = line.bbox[3] <= s.band * height if band == "top" else line.bbox[1] >= (1 - s.band) * height
        if not inside:
            break
        number, decorated = page_number(line.text)
        out.append(Candidate(page, kind, band, line, number, decorated, _key(line.text)))
    return out


def _similar(a: str, b: str, bar: float) -> bool:
    if bar >= 1.0:
        return a == b
    return SequenceMatcher(None, a, b).ratio() >= bar


def _running(c: Candidate, all_c: Sequence[Candidate], n_pages: int, s: FurnitureSettings) -> bool:
    if not c.key:
        return False
    pages = {o.page for o in all_c
             if o.band == c.band and abs(o.line.bbox[1] - c.line.bbox[1]) <= max(s.tol(c.kind), s.tol(o.kind))
             and _similar(o.key, c.key, min(s.same_text(c.kind), s.same_text(o.kind)))}
    return len(pages) >= s.min_repeat_pages and len(pages) >= s.min_repeat_share * n_pages


def _counted(c: Candidate, all_c: Sequence[Candidate], s: FurnitureSettings) -> bool:
    """A bare number that advances with the page, as on at least ``min_repeat_pages`` pages."""
    if c.number is None:
        return False
    offset = c.number - c.page
    pages = {o.page for o in all_c if o.band == c.band and o.number is not None and o.number - o.page == offset}
    return len(pages) >= s.min_repeat_pages


def why_furniture(c: Candidate, all_c: Sequence[Candidate], n_pages: int,
                  s: FurnitureSettings = SETTINGS) -> Optional[str]:
    """The reason a candidate is furniture (a readable table of reasons), else None."""
    if c.number is not None and (c.decorated or _counted(c, all_c, s)):
        return "page_number"
    if c.number is None and _running(c, all_c, n_pages, s):
        return "running"
    return None


@dataclass
class PageEnds:
    """A page's body lines at its top and bottom as ``assemble`` sees them."""
    page: int
    kind: str
    height: float
    top: list[Line]             # body lines of the page's first part, if it is body text
    bottom: list[Line]          # body lines of the page's last part, if it is body text
    content: int = 0            # body lines and tables on the page in all


def find_furniture(pages: Sequence[PageEnds], s: FurnitureSettings = SETTINGS) -> list[tuple[Line, Furniture]]:
    """Every furniture line of a document's pages, with its record."""
    cands: list[Candidate] = []
    for p in pages:
        top = _candidates(p.page, p.kind, p.height, p.top, "top", s)
        both = top + [c for c in _candidates(p.page, p.kind, p.height, p.bottom, "bottom", s)
                      if all(c.line is not o.line for o in top)]
        if p.content > len(both):       # a page of nothing but edge lines has no margins to tell by
            cands += both
        else:
            cands += [c for c in both if c.decorated]
    by_page_band: dict[tuple[int, str], list[Candidate]] = {}
    for c in cands:
        by_page_band.setdefault((c.page, c.band), []).append(c)
    out = []
    for group in by_page_band.values():
        for c in group:                 # from the page's edge inwards: stop at the first real line
            why = why_furniture(c, cands, len(pages), s)
            if why is None:
                break
            out.append((c.line, Furniture(c.page, c.line.text, c.line.bbox, c.band, why)))
    return out
