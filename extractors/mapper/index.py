"""An index over a Document for finding printed labels, whatever reader filled it.

The document is flattened into *units* in reading order: every body paragraph and every
table cell (nested tables included).  Each unit knows its section (from the catalogue's
section headings), its normalised text and how each normalised character maps back to the
original text, so a label can be found tolerantly (full-width or ASCII brackets, stray
spaces or line breaks, OCR slips) and the value read from just after it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Optional

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pipeline.model import Catalogue, Cell, Document, Paragraph, Table
from pipeline.model.text import norm

from .values import norm_map, one_slip_from

_NUMERAL_PREFIX = re.compile(r"^[一二三四五六七八九十]+[、.．,，]")
_SEPARATORS = "、.．,，"
HEADING_OWN_NUMERAL = 75    # fuzzy score a heading needs when it starts with its own numeral
LABEL_CONTINUATION_MIN = 3         # exact characters that carry on a wrapped label (unless all of the text)
LABEL_CONTINUATION_FUZZY_MIN = 6   # ... and the least an OCR-slipped piece of label must hold
LABEL_CONTINUATION_SCORE = 85      # Levenshtein similarity (%) of an OCR-slipped piece to the label
LABEL_PART_MIN = 10                # a unit holding only this much of a label's start is the label, wrapped
LABEL_PART_SCORE = 90              # ... allowing OCR slips (rapidfuzz ratio)
HEADING_MAX = 60            # a section heading's line is short (normalised characters)
HEADING_PREFIX_MAX = 20     # printed words (a running header) before a numbered heading on its line


@dataclass
class Unit:
    pos: int
    paragraphs: list[Paragraph]
    table: Optional[Table] = None
    cell: Optional[Cell] = None
    section: str = ""
    heading: bool = False                            # a section heading, never a label
    text: str = ""                                   # paragraphs joined with "\n" (tick markers kept)
    ntext: str = ""                                  # norm(text)
    nmap: list[int] = field(default_factory=list)    # ntext index -> text index

    @property
    def is_cell(self) -> bool:
        return self.cell is not None

    def source(self):
        if self.cell is not None and self.cell.source is not None:
            return self.cell.source
        return self.paragraphs[0].source if self.paragraphs else None

    @property
    def confidence(self) -> float:
        cs = [p.confidence for p in self.paragraphs if p.text.strip()]
        if self.cell is not None:
            cs.append(self.cell.confidence)
        return min(cs) if cs else 1.0


@dataclass
class LabelHit:
    unit: Unit
    start: int          # index into unit.text where the label starts
    end: int            # index into unit.text just after the label
    score: float
    tail: str = ""      # the rest of the full printed label (normalised) not found in the unit:
                        # a wrapped label goes on after ``end`` or in the next unit, and is no value


def label_tail(full: str, matched: str) -> str:
    """What of the full printed label (normalised) follows a shorter printed form that was found."""
    nf, nm = norm(full), norm(matched)
    return nf[len(nm):] if nm and nf.startswith(nm) else ""


def continuation_length(ntext: str, tail: str) -> int:
    """How many normalised characters at the start of ``ntext`` carry on the label's ``tail``
    (0 if none): an exact prefix, or for a longer piece a close one (an OCR slip or two).
    A wrap may fall anywhere, so any prefix of the tail counts."""
    if not tail or not ntext:
        return 0
    k = 0
    while k < min(len(ntext), len(tail)) and ntext[k] == tail[k]:
        k += 1
    if k == len(tail) or k == len(ntext):
        return k
    best = k if k >= LABEL_CONTINUATION_MIN else 0
    # OCR slips: the prefix of ntext closest to the start of the tail (the closest, not the
    # longest: a figure right after the label must not be read as one more slip)
    best_score = 0.0
    for j in range(max(best + 1, LABEL_CONTINUATION_FUZZY_MIN), min(len(ntext), len(tail) + 2) + 1):
        score = Levenshtein.normalized_similarity(ntext[:j], tail[:j]) * 100
        if score >= LABEL_CONTINUATION_SCORE and score >= best_score:
            best, best_score = j, score
    return best


def _run_on(label: str, text: str, start: int, end: int) -> int:
    """The end of a fuzzy label match, run on over the characters after it while they make the
    match closer: the alignment spans the label's length, so a mark or a box read inside the
    label (县（市、区）工信部门或☐或开发区管委会) leaves its last character (会) outside, where
    it would be taken for the value."""
    best = fuzz.ratio(label, text[start:end])
    while end < len(text):
        r = fuzz.ratio(label, text[start:end + 1])
        if r <= best:
            break
        best, end = r, end + 1
    return end


class DocIndex:
    def __init__(self, doc: Document, catalogue: Catalogue):
        self.doc = doc
        self.catalogue = catalogue
        self.units: list[Unit] = []
        self._cell_unit: dict[int, Unit] = {}
        self._build()
        self._assign_sections()

    # -- construction ----------------------------------------------------------------------
    def _add(self, paragraphs: list[Paragraph], table=None, cell=None) -> None:
        text = "\n".join(p.text for p in paragraphs)
        ntext, nmap = norm_map(text)
        u = Unit(len(self.units), paragraphs, table, cell, text=text, ntext=ntext, nmap=nmap)
        self.units.append(u)
        if cell is not None:
            self._cell_unit[id(cell)] = u

    def _add_table(self, t: Table) -> None:
        for c in sorted(t.cells, key=lambda c: (c.row, c.col)):
            self._add(c.paragraphs, t, c)
            for nt in c.tables:
                self._add_table(nt)

    def _build(self) -> None:
        for b in self.doc.blocks:
            if isinstance(b, Table):
                self._add_table(b)
            else:
                self._add([b])

    def heading_section(self, u: Unit) -> Optional[str]:
        """The section a unit opens, if it is a section heading ("二、主导产业情况").

        A numbered heading may follow a short printed line run into it (a running header
        such as the form's title printed above the heading on the same line)."""
        t = u.ntext
        if not t or len(t) > HEADING_MAX:
            return None
        for sec in self.catalogue.sections:
            for h in sec.get("headings", []):
                nh = norm(h)
                if t == nh or (t.startswith(nh) and len(t) <= len(nh) + 2):
                    return sec["id"]
                if not u.is_cell and _NUMERAL_PREFIX.match(nh) and t.endswith(nh) \
                        and len(t) - len(nh) <= HEADING_PREFIX_MAX:
                    return sec["id"]
                # tolerate a different numeral separator or an OCR slip, but insist on a numeral
                bare = _NUMERAL_PREFIX.sub("", nh)
                # ... or a scan's heading whose numeral 一 was taken for a ruling line and painted
                # out or not detected (、基本情况): the whole line is the heading's words, its
                # separator at most; on a line of its own outside a table, one character may be
                # misread (基水情况: samples beiliu p3)
                if bare != nh and len(bare) >= 4 and (t.lstrip(_SEPARATORS) == bare or (
                        not u.is_cell and one_slip_from(t.lstrip(_SEPARATORS), bare))):
                    return sec["id"]
                m = _NUMERAL_PREFIX.match(t)
                if m and bare != nh:
                    tb = _NUMERAL_PREFIX.sub("", t)
                    # the heading's own numeral (八 for 八、…) is evidence enough for a few OCR slips
                    own = m.group(0)[:-1] == _NUMERAL_PREFIX.match(nh).group(0)[:-1]
                    if tb == bare or (len(bare) >= 4 and fuzz.ratio(tb, bare) >= (HEADING_OWN_NUMERAL if own else 88)):
                        return sec["id"]
        return None

    def _assign_sections(self) -> None:
        order = [s["id"] for s in self.catalogue.sections]
        current = order[0] if order else ""
        for u in self.units:
            sec = self.heading_section(u)
            if sec is not None and order.index(sec) >= order.index(current):
                current = sec
                u.heading = True
            u.section = current

    # -- lookups -------------------------------------------------------------------------
    def unit_of(self, cell: Cell) -> Optional[Unit]:
        return self._cell_unit.get(id(cell))

    def in_section(self, section: str) -> list[Unit]:
        return [u for u in self.units if u.section == section]

    def find_label(self, labels: Iterable[str], units: Optional[list[Unit]] = None,
                   after: int = -1, fuzzy: bool = True) -> Optional[LabelHit]:
        """Best unit holding one of ``labels`` (the first is the full printed label); labels at
        the start of a short unit win.  Failing an exact find: an OCR-slipped label, or a unit
        holding only the first part of a label that wrapped (``LabelHit.tail`` says the rest)."""
        labels = [lab for lab in labels if norm(lab)]
        if not labels:
            return None
        units = [u for u in (self.units if units is None else units) if u.pos > after and u.ntext and not u.heading]
        full = labels[0]
        best = self._exact(labels, units, full)
        if best is not None or not fuzzy:
            return best
        cands = [self._fuzzy(labels, units), self._label_start(full, units)]
        cands = [c for c in cands if c is not None]
        return max(cands, key=lambda h: h.score) if cands else None

    @staticmethod
    def _exact(labels: list[str], units: list[Unit], full: str) -> Optional[LabelHit]:
        best: Optional[LabelHit] = None
        for lab in labels:
            nl = norm(lab)
            for u in units:
                k = u.ntext.find(nl)
                if k < 0:
                    continue
                score = 100.0 - min(k, 20) * 1.5 - min(max(len(u.ntext) - len(nl), 0), 200) * 0.02
                hit = LabelHit(u, u.nmap[k], u.nmap[k + len(nl) - 1] + 1, score, label_tail(full, lab))
                if best is None or hit.score > best.score:
                    best = hit
        return best

    @staticmethod
    def _fuzzy(labels: list[str], units: list[Unit]) -> Optional[LabelHit]:
        """OCR slips: fuzzy match of the label against the start of each unit."""
        best: Optional[LabelHit] = None
        for lab in labels:
            nl = norm(lab)
            if len(nl) < 4:
                continue
            for u in units:
                head = u.ntext[: len(nl) + 4]
                al = fuzz.partial_ratio_alignment(nl, head)
                if al is None or al.score < 86 or al.dest_start > 3:
                    continue
                end = _run_on(nl, head, al.dest_start, al.dest_end)
                end = min(end, len(u.nmap)) - 1
                score = al.score - 20 - al.dest_start * 2
                hit = LabelHit(u, u.nmap[al.dest_start], u.nmap[max(end, al.dest_start)] + 1, score)
                if best is None or hit.score > best.score:
                    best = hit
        return best

    @staticmethod
    def _label_start(full: str, units: list[Unit]) -> Optional[LabelHit]:
        """A unit that holds nothing but the first part of a long label (it wrapped, and a
        reader put the rest in another unit)."""
        nl = norm(full)
        best: Optional[LabelHit] = None
        for u in units:
            n = len(u.ntext)
            if n < LABEL_PART_MIN or n >= len(nl):
                continue
            score = fuzz.ratio(u.ntext, nl[:n])
            if score < LABEL_PART_SCORE:
                continue
            hit = LabelHit(u, 0, len(u.text), score - 25, nl[n:])
            if best is None or hit.score > best.score:
                best = hit
        return best

    # -- table geometry ---------------------------------------------------------------------
    def right_of(self, u: Unit) -> Optional[Unit]:
        """The next distinct cell to the right of a cell unit, in the cell's first row."""
        if not u.is_cell:
            return None
        t, c = u.table, u.cell
        for col in range(c.last_col + 1, t.n_cols):
            nc = t.at(c.row, col)
            if nc is not None and nc is not c:
                return self.unit_of(nc)
        return None

    def below(self, u: Unit) -> Optional[Unit]:
        if not u.is_cell:
            return None
        t, c = u.table, u.cell
        nc = t.at(c.last_row + 1, c.col)
        return self.unit_of(nc) if nc is not None else None
