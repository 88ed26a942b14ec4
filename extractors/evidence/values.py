"""The figures an evidence file states, each tied to a catalogue field, a year and a unit.

Three ways a certificate or a list states a figure:

- a sentence: ``2022年集群总产值45.60亿元`` (indicator, year, number with unit in one clause),
  or ``2020年、2021年、2022年集群总产值分别为31.80亿元、36.25亿元、39.80亿元`` (years and
  numbers zipped in order);
- a table: an indicator in the header row and years down the first column (or the reverse),
  the unit from the header (``集群总产值（亿元）``); a 合计 row under an indicator column
  (有效发明专利（件）… 合计 386); a row labelled with an indicator whose column header gives
  the year (``专精特新中小企业 | 12`` under ``2022年企业数量（家）``);
- a list: the rows of a table counted by its 类型 column (专精特新中小企业, 小巨人 …), as of
  the year the list's title gives (``截至2022年底``).

Each reading keeps the sentence or row it came from, its source and the confidence its text
was read with, whether that sentence was read whole, and for a list of years the count of years
and of figures it paired (``paired``), so a check can quote it and hold back when the reading
is doubtful.  A list pairs the last run of years before 分别为 (``2020年、2021年、2022年``,
``2020—2022年``) with the run of figures after it (joined by 、 ， 和; a bare figure takes the
unit of the last one, ``72.30、77.52、83.72亿元``); runs of unequal length are paired in order and
marked misaligned.  Text that names an indicator but holds a malformed number (``80.0.34``), or
was read below ``UNREADABLE_BELOW``, is listed by ``unread``: a figure may be in it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from pipeline.model import UNREADABLE_BELOW, Source
from pipeline.model.catalogue import Catalogue
from pipeline.model.numbers import YEAR, malformed_numbers, quantities, to_field_unit, unit_in_label, years
from pipeline.model.text import norm

from .nlp import ConceptMatcher, normalise
from .patterns import Indicator, Patterns
from .segments import DocumentSegments, Segment

_AS_OF = re.compile(r"截至\s*(20\d\d)\s*年|(20\d\d)\s*年\s*(?:底|末|12月31日)")
_CLAUSE = re.compile(r"[，,；;。]")
_LISTED = re.compile(r"分别(?:为|是|达到|达)|依次(?:为|是)")
_SEP = re.compile(r"^\s*(?:[、，,/和及与]|以及)?\s*$")
_YEAR_RANGE = re.compile(r"((?:19|20)\d\d)\s*年?\s*[-—–~～至到]\s*((?:19|20)\d\d)\s*年")


def _runs(items: list, text: str) -> list[list]:
    """Items (with .start/.end or [1]/[2]) in runs joined only by separators (、 ， 和 …)."""
    runs: list[list] = []
    for it in items:
        s = it[1] if isinstance(it, tuple) else it.start
        if runs:
            last = runs[-1][-1]
            e = last[2] if isinstance(last, tuple) else last.end
            if _SEP.match(text[e:s]):
                runs[-1].append(it)
                continue
        runs.append([it])
    return runs


def listed_years(text: str, end: int) -> list[int]:
    """The last run of years before ``end``: 2020年、2021年、2022年 or 2020—2022年."""
    ranges = [(list(range(int(m.group(1)), int(m.group(2)) + 1)), m.start(), m.end())
              for m in _YEAR_RANGE.finditer(text) if m.end() <= end and int(m.group(1)) < int(m.group(2))]
    single = [([y], s, e) for y, s, e in years(text)
              if e <= end and not any(rs <= s < re_ for _, rs, re_ in ranges)]
    items = sorted(ranges + single, key=lambda x: x[1])
    runs = _runs(items, text)
    return [y for it in runs[-1] for y in it[0]] if runs else []


def listed_values(qs: list, start: int, text: str) -> list:
    """The run of figures right after ``start``; bare ones take the unit of the run's last."""
    after = [q for q in qs if q.start >= start]
    if not after:
        return []
    run = _runs(after, text)[0]
    unit = next((q.unit for q in reversed(run) if q.unit), "")
    for q in run:
        if not q.unit:
            q.unit = unit
    return run


@dataclass
class Reading:
    field: str                 # concrete field id (with the year for yearly fields)
    value: float               # in the field's catalogue unit
    raw: str                   # the number as written, with its unit
    step: float                # one unit of the last written digit, in the field's unit
    indicator: str             # the indicator words found
    sentence: str
    source: Source
    confidence: float
    how: str                   # sentence | table | list
    whole: bool = True         # the sentence was read whole (not cut by a break)
    paired: Optional[tuple[int, int]] = None    # (years, figures) of a listed statement

    @property
    def doubtful(self) -> bool:
        return (not self.whole or self.confidence < UNREADABLE_BELOW
                or (self.paired is not None and self.paired[0] != self.paired[1]))

    def to_dict(self) -> dict:
        d = {"field": self.field, "value": _round(self.value), "raw": self.raw, "step": _round(self.step),
             "indicator": self.indicator, "sentence": self.sentence, "source": self.source.to_dict(),
             "confidence": round(float(self.confidence), 4), "how": self.how, "whole": self.whole}
        if self.paired is not None:
            d["paired"] = list(self.paired)
        return d


def _one_per_year(readings: list[Reading]) -> list[Reading]:
    """Different figures of one field and year in one sentence: which one is meant is a guess,
    so each is marked as paired one year to many figures (the same figure twice, 45.6亿元
    （456,000万元）, is no doubt)."""
    seen: dict[str, set] = {}
    for r in readings:
        seen.setdefault(r.field, set()).add(round(r.value, 6))
    for r in readings:
        if len(seen[r.field]) > 1 and r.paired is None:
            r.paired = (1, len(seen[r.field]))
    return readings


def _round(x: float) -> float:
    return float(f"{x:.10g}")


class ValueReader:
    def __init__(self, patterns: Patterns, matcher: ConceptMatcher, cat: Catalogue, years_wanted: list[int]):
        self.p = patterns
        self.m = matcher
        self.cat = cat
        self.years = set(years_wanted)
        self.by_concept = {ind.concept: ind for ind in patterns.indicators}

    # ---------------------------------------------------------------- helpers
    def _unit(self, ind: Indicator) -> Optional[str]:
        return self.cat.base(ind.field).unit

    def _yearly(self, ind: Indicator) -> bool:
        return self.cat.base(ind.field).yearly

    def _fid(self, ind: Indicator, year: Optional[int]) -> Optional[str]:
        if self._yearly(ind):
            return f"{ind.field}.{year}" if year in self.years else None
        return ind.field

    def indicators_in(self, text: str) -> list[tuple[Indicator, int, int, str]]:
        """Indicators named in the text (their excluding words respected), by position."""
        hits = self.m.find(text)
        out = []
        for h in hits:
            ind = self.by_concept.get(h.concept)
            if ind is None:
                continue
            if any(x.concept == f"not:{ind.field}" and x.start <= h.end and x.end >= h.start for x in hits):
                continue
            out.append((ind, h.start, h.end, h.term))
        # a longer indicator wording wins over one inside it
        out = [o for o in out if not any(p is not o and p[1] <= o[1] and p[2] >= o[2] and (p[2] - p[1]) > (o[2] - o[1])
                                         for p in out)]
        return out

    def categories_in(self, text: str) -> list[Indicator]:
        hits = self.m.find(text)
        inds = []
        for h in hits:
            if h.concept.startswith("cat:"):
                ind = next(i for i in self.p.indicators if i.category_concept == h.concept)
                if any(x.concept == f"not:{ind.field}" for x in hits):
                    continue
                if ind not in inds:
                    inds.append(ind)
        return inds

    def _reading(self, ind, year, value, unit, dec, raw, term, seg_text, source, conf, how, header_unit=""):
        fid = self._fid(ind, year)
        if fid is None:
            return None
        v = to_field_unit(value, unit, self._unit(ind), self.p, header_unit)
        if v is None:
            return None
        step_written = 10.0 ** (-dec)
        step = to_field_unit(step_written, unit, self._unit(ind), self.p, header_unit) or step_written
        if self.cat.base(ind.field).type == "int" and abs(v - round(v)) > 1e-6 and step < 1:
            return None
        return Reading(fid, v, raw, step, term, seg_text, source, conf, how)

    # ---------------------------------------------------------------- sentences
    def from_sentence(self, seg: Segment) -> list[Reading]:
        text = normalise(seg.text)
        inds = self.indicators_in(text)
        if not inds:
            return []
        qs = [q for q in quantities(text)]
        if not qs:
            return []
        ys = years(text)
        out: list[Reading] = []
        m = _LISTED.search(text)
        if m:
            listed = self._listed(seg, text, m, inds, qs)
            if listed is not None:
                return listed
        # otherwise: the nearest indicator before the number; the year of its clause, else of the sentence
        bounds = [0] + [c.end() for c in _CLAUSE.finditer(text)]
        sentence_year = ys[0][0] if len({y for y, _, _ in ys}) == 1 else None
        for q in qs:
            ind = next((i for i in reversed(inds) if i[2] <= q.start), None)
            if ind is None:
                continue
            clause_start = max(b for b in bounds if b <= ind[1])
            clause_years = [y for y, s, _ in ys if clause_start <= s < q.start]
            year = clause_years[-1] if clause_years else sentence_year
            if self._yearly(ind[0]) and year is None:
                year = self._as_of(seg.headings)
            r = self._reading(ind[0], year, q.value, q.unit, q.decimals, q.raw, ind[3], seg.text, seg.source,
                              seg.confidence, "sentence")
            if r:
                r.whole = seg.whole
                out.append(r)
        return _one_per_year(out)

    def _listed(self, seg: Segment, text: str, m: re.Match, inds, qs) -> Optional[list[Reading]]:
        """分别为 / 依次为: the years listed before, the figures listed after, zipped in order."""
        ind = next((i for i in reversed(inds) if i[1] < m.start()), None)
        ys = listed_years(text, m.start())
        vs = listed_values(qs, m.end(), text)
        if ind is None or not vs or (len(ys) < 2 and len(vs) < 2):
            return None
        out = []
        for y, q in zip(ys, vs):
            r = self._reading(ind[0], y, q.value, q.unit, q.decimals, q.raw, ind[3], seg.text,
                              seg.source, seg.confidence, "sentence")
            if r:
                r.whole, r.paired = seg.whole, (len(ys), len(vs))
                out.append(r)
        return out

    def _as_of(self, texts) -> Optional[int]:
        for t in texts:
            m = _AS_OF.search(normalise(t))
            if m:
                return int(m.group(1) or m.group(2))
        return None

    # ---------------------------------------------------------------- tables
    def from_tables(self, ds: DocumentSegments, as_of: Optional[int]) -> list[Reading]:
        out: list[Reading] = []
        rows_by_table: dict[int, list[Segment]] = {}
        for s in ds.segments:
            if s.kind == "row":
                rows_by_table.setdefault(s.table, []).append(s)
        for rows in rows_by_table.values():
            out += self._table(rows, as_of)
        return out

    def _year_of_cell(self, text: str) -> Optional[int]:
        m = YEAR.fullmatch(normalise(text).strip()) or re.fullmatch(r"(20\d\d)", normalise(text).strip())
        return int(m.group(1)) if m else None

    def _table(self, rows: list[Segment], as_of: Optional[int]) -> list[Reading]:
        out: list[Reading] = []
        table_as_of = self._as_of([r.text for r in rows[:2]]) or as_of
        header_i = next((i for i, r in enumerate(rows) if sum(1 for c in r.cells if c) >= 2 and (
                         any(self.indicators_in(c) or self._year_of_cell(c) for c in r.cells)
                         or any(norm(c) in self.p.category_headers for c in r.cells))), None)
        if header_i is None:
            return out
        header = rows[header_i]
        col_inds = {j: self.indicators_in(c) for j, c in enumerate(header.cells)}
        col_years = {j: self._year_of_cell(c) for j, c in enumerate(header.cells)}
        col_header_years = {j: (years(c)[0][0] if years(c) else None) for j, c in enumerate(header.cells)}
        cat_col = next((j for j, c in enumerate(header.cells) if norm(c) in self.p.category_headers), None)
        counts: dict[str, list[Segment]] = {}
        for r in rows[header_i + 1:]:
            label = r.cells[0] if r.cells else ""
            row_year = self._year_of_cell(label)
            is_total = norm(label) in self.p.total_rows
            row_inds = self.indicators_in(label) if label else []
            for j, c in enumerate(r.cells):
                if j == 0 or not c:
                    continue
                qs = quantities(c)
                if len(qs) != 1:
                    continue
                q = qs[0]
                src = Source(r.source.file, r.source.page, None, r.source.table, r.source.row, j, r.source.sheet)
                if col_inds.get(j) and (row_year or is_total):
                    ind = col_inds[j][0]
                    r_ = self._reading(ind[0], row_year or table_as_of, q.value, q.unit, q.decimals, q.raw, ind[3],
                                       f"{header.cells[j]}：{r.text}", src, r.confidence, "table",
                                       unit_in_label(header.cells[j]))
                    if r_:
                        out.append(r_)
                elif row_inds and (col_years.get(j) or col_header_years.get(j) or table_as_of):
                    ind = row_inds[0]
                    year = col_years.get(j) or col_header_years.get(j) or table_as_of
                    r_ = self._reading(ind[0], year, q.value, q.unit, q.decimals, q.raw, ind[3],
                                       f"{header.cells[j]}：{r.text}", src, r.confidence, "table",
                                       unit_in_label(header.cells[j]))
                    if r_:
                        out.append(r_)
            if cat_col is not None and cat_col < len(r.cells):
                for ind in self.categories_in(r.cells[cat_col]):
                    counts.setdefault(ind.field, []).append(r)
        for fid, rs in counts.items():
            ind = next(i for i in self.p.indicators if i.field == fid)
            year = table_as_of
            first = rs[0]
            src = Source(first.source.file, first.source.page, None, first.source.table, None, cat_col,
                         first.source.sheet)
            r_ = self._reading(ind, year, float(len(rs)), "", 0, f"{len(rs)}行", header.cells[cat_col],
                               f"名单中“{header.cells[cat_col]}”为{'/'.join(sorted({x.cells[cat_col] for x in rs}))}的企业共{len(rs)}家",
                               src, min(x.confidence for x in rs), "list")
            if r_:
                out.append(r_)
        return out

    # ---------------------------------------------------------------- whole document
    def unread(self, ds: DocumentSegments) -> list[dict]:
        """Sentences and rows naming an indicator that could not be read whole: a malformed
        number in them, or text read below ``UNREADABLE_BELOW``."""
        out = []
        for s in ds.segments:
            bad = malformed_numbers(s.text)
            low = s.confidence < UNREADABLE_BELOW
            if (bad or low) and self.indicators_in(normalise(s.text)):
                why = f"数字无法识别：{'、'.join(bad)}" if bad else f"识别置信度{s.confidence:.2f}"
                out.append({"sentence": s.text, "source": s.source.to_dict(), "why": why})
        return out

    def read(self, ds: DocumentSegments) -> list[Reading]:
        as_of = self._as_of([s.text for s in ds.segments[:6]])
        out: list[Reading] = []
        for s in ds.segments:
            if s.kind != "row":
                out += self.from_sentence(s)
        out += self.from_tables(ds, as_of)
        # a count from the rows of a list only where the file states no such figure itself
        stated = {r.field for r in out if r.how != "list"}
        return [r for r in out if r.how != "list" or r.field not in stated]
