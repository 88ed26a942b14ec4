"""How a value sits relative to its printed label: one small strategy per layout.

Each strategy takes the index, the catalogue entry and the section's units and returns
``{field id: FieldValue}``.  None of them knows which reader filled the document.
"""
from __future__ import annotations

import re
from dataclasses import replace
from types import MappingProxyType
from typing import Optional

from rapidfuzz import fuzz

from extractors.layout.doubtful_chars import doubted, value_doubts
from pipeline.model import Catalogue, ConcreteField, FieldSpec, FieldValue, Paragraph, Tick
from pipeline.model.extraction import UNREADABLE_BELOW
from pipeline.model.text import norm

from .index import DocIndex, LabelHit, Unit, continuation_length
from .plan import layout_plan_targets, layout_plan_text
from .values import (
    clean_text,
    find_printed,
    norm_map,
    parse_typed,
    remove_phrases,
    strip_markers,
    strip_printed_notes,
)

Fields = dict[str, FieldValue]

# the confidence of an option group on a scanned page whose boxes were not all found, or a
# choice with no tick found (below pipeline.model.UNREADABLE_BELOW: reported, not used)
SCAN_INCOMPLETE_CONFIDENCE = 0.5
# ... and of a single choice whose one tick was found though another option's box was not
SCAN_ONE_CHOICE_CONFIDENCE = 0.8
# ... and of a box whose option is known only by its place among the boxes read (its label not read)
SCAN_PLACE_CONFIDENCE = 0.6
PLACE_SEGMENT = 3          # characters: the longest option (and misread label) placed by its place
NOT_AN_OPTION = "\0"       # an unread label longer than that: no option, not placed


class Ctx:
    """What every strategy needs: the index, the catalogue, the form's years, found labels."""

    def __init__(self, index: DocIndex, catalogue: Catalogue, years: list[int]):
        self.ix = index
        self.cat = catalogue
        self.years = years
        self.hits: dict[str, LabelHit] = {}     # catalogue entry id -> where its label was found
        self.cache: dict[str, object] = {}       # per-entry work shared by its concrete fields
        self.year_re = catalogue.year_re

    def units_for(self, spec: FieldSpec) -> list[Unit]:
        us = self.ix.in_section(spec.section)
        return us if us else self.ix.units

    def locate(self, spec: FieldSpec) -> Optional[LabelHit]:
        if spec.id in self.hits:
            return self.hits[spec.id]
        after = -1
        anchor = spec.get("after")
        if anchor:
            ah = self.hits.get(anchor)
            if ah is not None:
                after = ah.unit.pos
        hit = self.ix.find_label(spec.labels, self.units_for(spec), after=after)
        if hit is None and spec.section:
            hit = self.ix.find_label(spec.labels, self.ix.units, after=after, fuzzy=False)
        if hit is not None:
            self.hits[spec.id] = hit
        return hit

    def scanned(self, unit: Unit) -> bool:
        """Whether the unit lies on a page read by OCR (``Page.kind == "scan"``): its boxes were
        found from ink, and a box the reader missed is an option read as unticked."""
        src = unit.source()
        page = src.page if src is not None else None
        return page is not None and any(p.number == page and p.kind == "scan" for p in self.ix.doc.pages)

    def year_of(self, text: str) -> Optional[int]:
        m = self.year_re.match(norm(strip_markers(text)))
        return int(m.group(1)) if m else None


# a label's rest that is its printed note but for a scan's misreadings (XX县 read X县, a box
# glyph found in it) is that note: rapidfuzz ratio on the normalised text, markers left out
STRIP_MATCH = 90.0


def _remainder(ctx: Ctx, hit: LabelHit, spec: FieldSpec) -> str:
    """Text after the label in its own unit, without printed notes."""
    rest = hit.unit.text[hit.end:]
    strip = spec.get("strip", [])
    rest = strip_printed_notes(rest, ctx.cat, strip)
    n = norm(strip_markers(rest)).lstrip(":：")
    if n and any(fuzz.ratio(n, norm(p)) >= STRIP_MATCH for p in strip):
        return ""
    return rest


def drop_continuation(text: str, tail: str) -> tuple[str, str]:
    """(text less what at its start carries on a wrapped label, what of the label is left)."""
    nt, idx = norm_map(text)
    k = continuation_length(nt, tail)
    if k == 0:
        return text, tail
    return text[idx[k - 1] + 1:], tail[k:]


def _has_value(text: str) -> bool:
    return bool(clean_text(strip_markers(text)))


LABEL_ROWS_MAX = 3      # a wrapped label runs over at most this many cells down its column


def _value_unit(ctx: Ctx, hit: LabelHit, spec: FieldSpec) -> tuple[str, Unit]:
    """The value text for a `right` layout: after the label, else the next cell right, else
    below.  Whatever carries on a label that wrapped (``hit.tail``: in its own cell, at the
    start of the next, or in the cell below the label's) is label, not value."""
    strip = spec.get("strip", [])
    rest, tail = drop_continuation(_remainder(ctx, hit, spec), hit.tail)
    if _has_value(rest):
        return rest, hit.unit
    label = hit.unit
    for _ in range(LABEL_ROWS_MAX):
        right = ctx.ix.right_of(label)
        if right is not None:
            text, _left = drop_continuation(strip_printed_notes(right.text, ctx.cat, strip), tail)
            if _has_value(text) or not tail:
                return text, right
        below = ctx.ix.below(label)
        if below is None:
            break
        text, left = drop_continuation(strip_printed_notes(below.text, ctx.cat, strip), tail)
        if left != tail and not _has_value(text):
            label, tail = below, left          # the label goes on in the cell below
            continue
        if right is None:
            return text, below
        break
    right = ctx.ix.right_of(hit.unit)
    if right is not None:
        return strip_printed_notes(right.text, ctx.cat, strip), right
    return "", hit.unit


def _cut(text: str, spec: FieldSpec, loose: bool = False) -> str:
    """Apply the entry's `from` / `until` printed words (cover lines such as 所属地区).

    The words are looked for in normalised text (full- and half-width brackets alike, spaces
    ignored: an OCR'd ``北流县 (市、区)`` holds ``县（市、区）``) and the cut made in the text as
    written, through the map from normalised characters back to the original ones.  On a
    scanned page (``loose``) a word the recogniser misread a mark of is found too
    (``values.find_printed``): 凯里 县（市 区) ends at 凯里."""
    froms, untils = spec.get("from", []), spec.get("until", [])
    if froms:
        for w in froms:
            at = find_printed(text, w, loose)
            if at is not None:
                text = text[at[1]:]
                break
        else:
            return ""
    for w in untils:
        at = find_printed(text, w, loose)
        if at is not None:
            text = text[:at[0]]
            break
    return text


def _fv(value, raw: str, unit: Unit, note: Optional[str] = None, conf: Optional[float] = None) -> FieldValue:
    """The value read from ``raw`` in ``unit``: below the bar where ``raw`` holds a character
    the scan read unsure that makes no word (``layout.doubtful_chars``)."""
    conf, note = doubted(unit.confidence if conf is None else conf, note,
                         value_doubts(unit.paragraphs, raw or ""))
    return FieldValue(value=value, raw=clean_text(raw) if raw is not None else None,
                      confidence=conf, source=unit.source(), note=note)


# ---------------------------------------------------------------------------- right
WRAPPED_LINES_MAX = 2     # lines a form line's value may run on over (a cover line wrapped by the printer)


def _open_brackets(text: str) -> int:
    n = norm(text)
    return n.count("(") - n.count(")")


def _wrapped_line(ctx: Ctx, unit: Unit, text: str) -> str:
    """A value on a line of its own (a cover line) that a printer wrapped: while it leaves a
    bracket open, the next paragraph(s) carry it on — taken only if they close it."""
    if _open_brackets(text) <= 0:
        return text
    more = []
    for nxt in ctx.ix.units[unit.pos + 1: unit.pos + 1 + WRAPPED_LINES_MAX]:
        if nxt.is_cell or nxt.heading:
            break
        more.append(nxt.text)
        if _open_brackets(text + "".join(more)) <= 0:
            return text + "".join(more)
    return text


def layout_right(ctx: Ctx, spec: FieldSpec, cf: ConcreteField) -> Fields:
    hit = ctx.locate(spec)
    if hit is None:
        return {}
    text, unit = _value_unit(ctx, hit, spec)
    if cf.type == "text" and not unit.is_cell:
        text = _wrapped_line(ctx, unit, text)
    text = _cut(text, spec, ctx.scanned(unit))
    text = remove_phrases(text, spec.get("strip", []))
    value, note = parse_typed(text, cf.type, cf.unit)
    if cf.type == "text" and value is not None:
        value = value if "\n" in value or spec.limit else value.replace("\n", "")
    return {cf.id: _fv(value, text, unit, None if note in ("empty",) else note)}


# ---------------------------------------------------------------------------- yearly
def _year_cells(ctx: Ctx, unit: Unit, rows: range) -> dict[int, tuple[int, int, object]]:
    """{year: (row, col, cell)} for year header cells in the given rows right of the unit."""
    t, c = unit.table, unit.cell
    out = {}
    for r in rows:
        for cell in t.row_cells(r):
            if cell.col <= c.last_col or cell.row != r:
                continue
            y = ctx.year_of(cell.text)
            if y:
                out[y] = (r, cell.col, cell)
    return out


def find_year_columns(ctx: Ctx, unit: Unit) -> dict[int, object]:
    """{year: value cell} for a yearly label cell, whatever the table's layout."""
    t, c = unit.table, unit.cell
    span = range(c.row, c.last_row + 1)
    ys = _year_cells(ctx, unit, span)
    if len(ys) >= 2:
        cols = {v[1] for v in ys.values()}
        rows = {v[0] for v in ys.values()}
        out = {}
        if len(cols) == 1:           # years stacked down a column: value to the right of each
            for y, (r, col, cell) in ys.items():
                nxt = ctx.ix.right_of(ctx.ix.unit_of(cell))
                if nxt is not None:
                    out[y] = nxt.cell
            return out
        if len(rows) == 1:           # years across the label's first row: values in the row below
            for y, (r, col, cell) in ys.items():
                below = t.at(cell.last_row + 1, col)
                if below is not None and below.row <= c.last_row:
                    out[y] = below
            if out:
                return out
    # a header row above the label holds the years; the label's row holds the values
    for r in range(c.row - 1, -1, -1):
        hdr = {}
        for cell in t.row_cells(r):
            y = ctx.year_of(cell.text)
            if y and cell.row == r:
                hdr[y] = cell
        if len(hdr) >= 2:
            out = {}
            for y, hc in hdr.items():
                vc = t.at(c.row, hc.col)
                if vc is not None and vc is not c:
                    out[y] = vc
            return out
    return {}


def layout_yearly(ctx: Ctx, spec: FieldSpec, cf: ConcreteField) -> Fields:
    hit = ctx.locate(spec)
    if hit is None or not hit.unit.is_cell:
        return {}
    key = f"yearcols:{spec.id}"
    if key not in ctx.cache:
        ctx.cache[key] = find_year_columns(ctx, hit.unit)
    cols = ctx.cache[key]
    cell = cols.get(cf.year)
    if cell is None:
        return {}
    u = ctx.ix.unit_of(cell)
    text = strip_printed_notes(u.text, ctx.cat)
    value, note = parse_typed(text, cf.type, cf.unit)
    return {cf.id: _fv(value, text, u, None if note == "empty" else note)}


# ---------------------------------------------------------------------------- options
def _option_score(spec: FieldSpec, seg: str, ctx: Ctx) -> tuple[Optional[str], float]:
    """The group's option the text reads as, and how well (0–100)."""
    s = norm(strip_printed_notes(seg, ctx.cat))
    s = s.split("\n")[0] if s else s
    if not s:
        return None, 0.0
    best, best_score = None, 0.0
    for o in spec.options:
        for lab in (o.label, *o.variants):
            nl = norm(lab)
            if s == nl:
                return o.label, 100.0
            if s.startswith(nl) and len(s) - len(nl) <= 2:
                score = 97.0
            else:
                score = fuzz.ratio(s, nl)
                if len(nl) >= 6:
                    score = max(score, fuzz.partial_ratio(nl, s) - 5 if len(s) >= len(nl) * 0.8 else 0)
            if score > best_score:
                best, best_score = o.label, score
    threshold = 90 if max(len(norm(o.label)) for o in spec.options) <= 3 else 80
    return (best, best_score) if best_score >= threshold else (None, 0.0)


def _match_option(spec: FieldSpec, seg: str, ctx: Ctx) -> Optional[str]:
    return _option_score(spec, seg, ctx)[0]


def _wrapped_rest(paras: list[Paragraph], i: int) -> str:
    """The first line of the paragraph after ``paras[i]`` when it holds no box: the rest of an
    option label that wrapped onto a line the reader took for a paragraph of its own."""
    if i + 1 >= len(paras) or paras[i + 1].ticks:
        return ""
    return paras[i + 1].text.split("\n")[0]


def _option_ticks(ctx: Ctx, spec: FieldSpec, units: list[tuple[Unit, int]]) -> list[tuple[Tick, str, Paragraph, Unit]]:
    """(tick, option label, paragraph, unit) for each box whose label is one of the group's
    options.  The last label of a paragraph is also read with the next box-less line joined
    to it (a wrapped label), and the better reading kept."""
    out = []
    for u, start in units:
        pos = 0
        row, paras = [], []         # the unit's boxes in reading order: a cell's options may stand on lines of their own
        for i, p in enumerate(u.paragraphs):
            p_start, pos = pos, pos + len(p.text) + 1
            segs = p.option_segments()
            rest = _wrapped_rest(u.paragraphs, i)
            for k, (t, seg) in enumerate(segs):
                if p_start + t.offset < start:
                    continue
                line = seg.split("\n")[0]
                readings = [line] + ([line + rest] if rest and k == len(segs) - 1 and line == seg else [])
                opt = max((_option_score(spec, r, ctx) for r in readings), key=lambda m: m[1])[0]
                unread = len(norm(line)) <= PLACE_SEGMENT     # a short label misread or not read at all
                row.append((t, opt if opt is not None or unread else NOT_AN_OPTION))
                paras.append(p)
        out += [(t, opt, p, u) for (t, opt), p in zip(_by_place(spec, row), paras) if opt is not None]
    read = {o for t, o, _, _ in out if "by its place" not in t.raw}
    return [m for m in out if "by its place" not in m[0].raw or m[1] not in read]


def _by_place(spec: FieldSpec, row: list[tuple[Tick, Optional[str]]]) -> list[tuple[Tick, Optional[str]]]:
    """A scanned box whose label the OCR misread as a character or two (是 under a √'s arm read
    as 提) is the short option (是/否/不涉及, ≤ ``PLACE_SEGMENT`` characters) the form prints in
    its place: the one between the options of the boxes beside it (or before the first / after
    the last), when exactly one fits and no box of the group reads it (``_option_ticks``; the
    boxes of the whole unit in reading order, since a cell may print 是 and 否 on lines of their
    own: 是 under a pen's tick not read at all, s5h yangjiang ``basic.no_violations``).  A
    long option is never placed (it placed long options on stray boxes), but a group may hold
    one: 是 / 否 / 非工业集群，不适用 (D101-008 p9 ``green.water_above_avg``, 是 read 提 with the
    detector in bands).  Its confidence is set below the bar (``SCAN_PLACE_CONFIDENCE``): a
    clerk confirms it.  A longer unread text (``NOT_AN_OPTION``) is no option."""
    order = [o.label for o in spec.options]
    clean = [(t, None if o is NOT_AN_OPTION else o) for t, o in row]
    known = [o for _, o in clean if o is not None]
    if min(map(len, order)) > PLACE_SEGMENT or len(row) < 2 or not known or len(known) == len(row):
        return clean
    out = list(clean)
    for i, (t, opt) in enumerate(row):
        if opt is not None or t.encoding != "scan-ink":
            continue
        left = order.index(clean[i - 1][1]) if i > 0 and clean[i - 1][1] is not None else None
        right = order.index(clean[i + 1][1]) if i + 1 < len(row) and clean[i + 1][1] is not None else None
        if left is None and right is None:
            continue
        lo = left + 1 if left is not None else (right - 1 if i == 0 else None)
        hi = right - 1 if right is not None else (left + 1 if i == len(row) - 1 else None)
        if (lo is not None and lo == hi and 0 <= lo < len(order) and order[lo] not in known
                and len(order[lo]) <= PLACE_SEGMENT):
            out[i] = (replace(t, confidence=min(t.confidence, SCAN_PLACE_CONFIDENCE),
                              raw=f"{t.raw}; option «{order[lo]}» by its place (label not read)",
                              why=f"{t.why}；选项标签未识别，按其位置推定为「{order[lo]}」"), order[lo])
    return out


def _scan_box_note(found: list[tuple[Tick, str]]) -> Optional[str]:
    """The scan reader's reason for its least sure box, when that box is below the bar, in the
    clerk's words (``Tick.why``; its English reason stays in ``Tick.raw`` for the debug view)."""
    weakest, option = min(found, key=lambda m: m[0].confidence)
    if weakest.confidence < UNREADABLE_BELOW and weakest.encoding == "scan-ink":
        return f"scan_box: 选项「{option}」的勾选框：{weakest.why}"
    return None


PAGE_TOP_UNITS = 3      # units at the top of the next page where a group cut by a page break goes on


def _page_of(u: Unit) -> Optional[int]:
    src = u.source()
    return src.page if src is not None else None


def _over_the_page(ctx: Ctx, spec: FieldSpec, last: Unit, found: list) -> list:
    """A scanned group cut by a page break: the boxes of its options not found yet, in the first
    ``PAGE_TOP_UNITS`` units of the next page (only this group's missing option labels count:
    found there, they go on from the page before).  Only for groups whose every option label
    is its own (longer than ``PLACE_SEGMENT``): a 是/否 pair at the top of the next page is
    another group's (D101-005 p9 read as digital.software_rising at 0.99)."""
    page = _page_of(last)
    if page is None or not ctx.scanned(last) or min(len(norm(o.label)) for o in spec.options) <= PLACE_SEGMENT:
        return []          # 是/否 are every such group's options: on the next page they are another's
    have = {o for _, o, _, _ in found}
    if have >= {o.label for o in spec.options}:
        return []
    nxt = [u for u in ctx.ix.units[last.pos + 1:] if _page_of(u) == page + 1][:PAGE_TOP_UNITS]
    more = _option_ticks(ctx, spec, [(u, 0) for u in nxt])
    return [m for m in more if m[1] not in have]


def _runs(order: list[str], found: list) -> list[list]:
    """The boxes cut where the group's options start over (an option found again after one
    the form prints later: 是 否 不涉及 | 是 否)."""
    idx = [order.index(o) for _, o, _, _ in found]
    runs, start = [], 0
    for k in range(1, len(idx)):
        if idx[k] <= idx[k - 1] and idx[k] in idx[start:k]:
            runs.append(found[start:k])
            start = k
    return runs + [found[start:]]


def _middle_y(src) -> Optional[float]:
    b = src.bbox if src is not None else None
    if b is None:
        return None
    return b.cy if hasattr(b, "cy") else (b[1] + b[3]) / 2


def _label_y(hit) -> Optional[float]:
    """The middle of the line the group's label was found on."""
    pos = 0
    for p in hit.unit.paragraphs:
        if pos <= hit.start < pos + len(p.text) + 1:
            return _middle_y(p.source)
        pos += len(p.text) + 1
    return None


def _one_run(order: list[str], found: list, label_y: Optional[float]) -> tuple[list, Optional[str]]:
    """A form prints a group's options once, in the catalogue's order: on a scan, where the
    boxes found for a group start over (是 否 不涉及 | 是 否), the cell holds the boxes of two
    groups, joined because the rule between their rows was not found (held-out s5t pingxiang
    p3: basic.water_efficiency read 是 + 不涉及 with provincial_cluster's 是, silently).  The
    group's own run is the one nearest its label's line (the runs stand in the labels' order)."""
    runs = _runs(order, found)
    if len(runs) == 1 or label_y is None:
        return found, None

    def away(run) -> float:
        ys = [y for y in (_middle_y(p.source) for _, _, p, _ in run) if y is not None]
        if not ys:
            return float("inf")
        lo, hi = min(ys), max(ys)
        return 0.0 if lo <= label_y <= hi else min(abs(label_y - lo), abs(label_y - hi))

    own = min(runs, key=away)
    return own, f"options_repeated: {len(runs)}"


def _boxes_of(ctx: Ctx, spec: FieldSpec, hit) -> list:
    """The boxes follow the label in its own cell, else sit in the next cell(s) right, else below."""
    found = _option_ticks(ctx, spec, [(hit.unit, hit.end)])
    nxt = hit.unit
    for _ in range(2):
        if found:
            break
        nxt = ctx.ix.right_of(nxt) if nxt.is_cell else None
        if nxt is None:
            break
        found = _option_ticks(ctx, spec, [(nxt, 0)])
    if not found and hit.unit.is_cell:
        b = ctx.ix.below(hit.unit)
        if b is not None:
            found = _option_ticks(ctx, spec, [(b, 0)])
    return found


def layout_options(ctx: Ctx, spec: FieldSpec, cf: ConcreteField) -> Fields:
    hit = ctx.locate(spec)
    if hit is None:
        return {}
    found = _boxes_of(ctx, spec, hit)
    order = [o.label for o in spec.options]
    found = found + _over_the_page(ctx, spec, hit.unit if not found else found[-1][3], found)
    if not found:
        return {cf.id: FieldValue(None, None, 0.0, hit.unit.source(), note="options_not_found")}
    repeated = None
    if ctx.scanned(found[0][3]):
        found, repeated = _one_run(order, found, _label_y(hit))
    ticked = sorted(dict.fromkeys(o for t, o, _, _ in found if t.state), key=order.index)
    unknown = [(t, o) for t, o, _, _ in found if t.state is None]
    conf = min([t.confidence if t.state is not None else 1.0 for t, _, _, _ in found] +
               [p.confidence for _, _, p, _ in found])
    raw = "  ".join(f"{t.marker}{o}" for t, o, _, _ in found)
    note = None
    if unknown:
        note = "unknown_glyph: " + "; ".join(f"{o} ({t.encoding})" for t, o in unknown)
        conf = min(conf, 0.3)
    if cf.type == "choice":
        if len(ticked) == 1:
            value = ticked[0]
        elif not ticked:
            value, note = None, note or "choice.none"
        else:
            value, note = ticked, note or "choice.multiple"
    else:
        value = ticked
    if ctx.scanned(found[0][3]):
        # on a scan a box the reader did not find reads as an option not ticked: the group's
        # value is only as sure as its boxes are complete (and a choice without a tick is more
        # likely a tick the reader missed than a form left blank)
        missing = [o for o in order if o not in {o2 for _, o2, _, _ in found}]
        if missing:
            note = note or ("options_missing: " + "、".join(missing))
            # one tick found in a single choice: a box missed beside it would make two ticks,
            # so the choice stands, a little less sure; a list of ticks may lack one
            one_choice = cf.type == "choice" and len(ticked) == 1 and not unknown
            conf = min(conf, SCAN_ONE_CHOICE_CONFIDENCE if one_choice else SCAN_INCOMPLETE_CONFIDENCE)
        if cf.type == "choice" and not ticked:
            conf = min(conf, SCAN_INCOMPLETE_CONFIDENCE)
        note = note or _scan_box_note([(t, o) for t, o, _, _ in found]) or repeated
    return {cf.id: FieldValue(value, raw, conf, found[0][3].source(), note)}


# ---------------------------------------------------------------------------- matrix
def layout_matrix(ctx: Ctx, spec: FieldSpec, cf: ConcreteField) -> Fields:
    key = f"matrix:{spec.id}"
    if key not in ctx.cache:
        ctx.cache[key] = _matrix_cells(ctx, spec)
    cells = ctx.cache[key]
    key = (cf.year, cf.row_key, cf.col_key)
    if key not in cells:
        return {}
    u = cells[key]
    text = strip_printed_notes(u.text, ctx.cat)
    value, note = parse_typed(text, cf.type, cf.unit)
    return {cf.id: _fv(value, text, u, None if note == "empty" else note)}


def _matrix_rows_and_cols(t, lc, spec: FieldSpec) -> tuple[dict[int, dict[int, str]], dict[int, str]]:
    """({grid row: {col of the level cell: level key}}, {grid col: role key}) of the block that
    starts at the label cell ``lc`` (rows such as 国际/国家, columns such as 主持数量/参与数量)."""
    nrow = {norm(v): k for k, v in spec.get("rows").items()}
    ncol = {norm(v): k for k, v in spec.get("cols").items()}
    row_of: dict[int, dict[int, str]] = {}
    col_key: dict[int, str] = {}
    r_end = lc.last_row
    # the block may run on below the label's own span (extra blank rows, OCR splits)
    while r_end + 1 < t.n_rows and any(norm(c.text) in nrow for c in t.row_cells(r_end + 1)):
        r_end += 1
    for r in range(lc.row, r_end + 1):
        for c in t.row_cells(r):
            if c is lc or c.col < lc.col:
                continue
            n = norm(c.text)
            if n in nrow:
                row_of.setdefault(r, {})[c.col] = nrow[n]
            elif n in ncol:
                for k in range(c.col, c.last_col + 1):
                    col_key[k] = ncol[n]
    return row_of, col_key


def _matrix_years(ctx: Ctx, t, lc, row_of: dict[int, dict[int, str]]) -> dict[int, int]:
    """Which year each grid column belongs to: a year header above, else the column groups in order."""
    year_at: dict[int, int] = {}
    for r in range(lc.row - 1, -1, -1):
        hdr = [(c, ctx.year_of(c.text)) for c in t.row_cells(r)]
        hdr = [(c, y) for c, y in hdr if y]
        if len(hdr) >= 2:
            for c, y in hdr:
                for k in range(c.col, c.last_col + 1):
                    year_at[k] = y
            return year_at
    groups = sorted({c for r in row_of.values() for c in r})
    for i, g in enumerate(groups[: len(ctx.years)]):
        nxt = groups[i + 1] if i + 1 < len(groups) else t.n_cols
        for k in range(g, nxt):
            year_at[k] = ctx.years[i]
    return year_at


def _matrix_cells(ctx: Ctx, spec: FieldSpec) -> dict:
    """{(year, level, role): value unit} of a matrix block (标准数量: 国际/国家/行业/团体 × 主持/参与 × years)."""
    hit = ctx.locate(spec)
    if hit is None or not hit.unit.is_cell:
        return {}
    t, lc = hit.unit.table, hit.unit.cell
    row_of, col_key = _matrix_rows_and_cols(t, lc, spec)
    year_at = _matrix_years(ctx, t, lc, row_of)
    out = {}
    for r, levels in row_of.items():
        for lcol, level in levels.items():
            for col, role in col_key.items():
                y = year_at.get(col)
                if y is None or year_at.get(lcol) != y or col <= lcol:
                    continue
                cell = t.at(r, col)
                if cell is not None and cell.col == col:
                    out[(y, level, role)] = ctx.ix.unit_of(cell)
    return out


# ---------------------------------------------------------------------------- parts
def layout_parts(ctx: Ctx, spec: FieldSpec, cf: ConcreteField) -> Fields:
    hit = ctx.locate(spec)
    if hit is None:
        return {}
    text, unit = _value_unit(ctx, hit, spec)
    parts = spec.get("parts")
    pd = parts[cf.part]
    subs = [norm(p.get("sublabel", "")) for p in parts.values()]
    seg = _after_sublabel(text, pd.get("sublabel", ""), subs)
    seg = strip_printed_notes(seg or "", ctx.cat)
    value, note = parse_typed(seg, cf.type, cf.unit)
    if cf.type == "text" and value is not None:
        value = value.replace("\n", "")
    return {cf.id: _fv(value, seg, unit, None if note == "empty" else note)}


def _after_sublabel(text: str, sub: str, all_subs: list[str]) -> Optional[str]:
    m = re.search(re.escape(sub) + r"\s*[:：]?", text)
    if not m:
        return None
    rest = text[m.end():]
    cut = len(rest)
    for s in all_subs:
        if s and s != norm(sub):
            k = re.search(re.escape(s) + r"\s*[:：]", rest)
            if k:
                cut = min(cut, k.start())
    return rest[:cut]


# ---------------------------------------------------------------------------- declaration
def _region(ctx: Ctx, spec: FieldSpec) -> list[Unit]:
    hit = ctx.locate(spec)
    if hit is None:
        return []
    end_labels = spec.get("region_end") or []
    units = [u for u in ctx.ix.units if u.pos >= hit.unit.pos]
    out = []
    for u in units:
        if u is not hit.unit and end_labels and any(norm(e) in u.ntext[: len(norm(e)) + 4] for e in end_labels):
            break
        out.append(u)
        if len(out) > 12:
            break
    return out


def _mark_in(ctx: Ctx, mark, region: list[Unit]) -> bool:
    s = mark.source
    for u in region:
        us = u.source()
        if us is None:
            continue
        if s.table is not None and us.table == s.table and us.row == s.row and us.col == s.col:
            return True
        if s.para is not None and us.para == s.para:
            return True
        if s.bbox is not None and us.bbox is not None and s.page == us.page:
            a, b = s.bbox, us.bbox
            cx, cy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
            if b[0] - 5 <= cx <= b[2] + 5 and b[1] - 5 <= cy <= b[3] + 5:
                return True
    return False


def _typed_name(text: str, typed: dict) -> Optional[str]:
    """A name written on the line of one of the printed words ``typed["after"]`` (单位负责人（签字）：张三),
    unless what follows holds one of ``typed["not_name"]`` (the next printed line)."""
    text = strip_markers(text)
    nt, idx = norm_map(text)
    for w in typed.get("after", []):
        k = nt.find(norm(w))
        if k < 0:
            continue
        name = clean_text(text[idx[k + len(norm(w)) - 1] + 1:].split("\n")[0])    # on the same line
        if name and not any(norm(x) in norm(name) for x in typed.get("not_name", [])):
            return name
    return None


def _page_bands(ctx: Ctx, region: list[Unit]) -> dict[int, tuple[float, float]]:
    """page → (top, bottom) of the stretch of page a region of paragraphs outside any table
    holds: from its first paragraph's top to the top of the paragraph after it (the next
    region's label), or to the page's foot.  A seal or signature stands in the blank between the
    printed lines — within no paragraph's box — when a form prints its declaration as running
    paragraphs (held-out s7c, the .doc form of suiyang: all three marks read absent, silently)."""
    flowing = [u for u in region if not u.is_cell and u.source() is not None and u.source().bbox is not None]
    if not flowing:
        return {}
    heights = {p.number: p.height for p in ctx.ix.doc.pages}
    after = ctx.ix.units[region[-1].pos + 1] if region[-1].pos + 1 < len(ctx.ix.units) else None
    nxt = after.source() if after is not None else None
    bands: dict[int, tuple[float, float]] = {}
    for u in flowing:
        src = u.source()
        top, bottom = bands.get(src.page, (src.bbox[1], heights.get(src.page, src.bbox[3])))
        bands[src.page] = (min(top, src.bbox[1]), bottom)
    if nxt is not None and nxt.bbox is not None and nxt.page in bands:
        top, _ = bands[nxt.page]
        bands[nxt.page] = (top, nxt.bbox[1])
    return bands


def _mark_in_band(mark, bands: dict[int, tuple[float, float]]) -> bool:
    s = mark.source
    if s.bbox is None or s.page not in bands:
        return False
    top, bottom = bands[s.page]
    return top <= (s.bbox[1] + s.bbox[3]) / 2 <= bottom


def layout_mark(ctx: Ctx, spec: FieldSpec, cf: ConcreteField) -> Fields:
    region = _region(ctx, spec)
    if not region:
        return {}
    kind = spec.get("mark")
    bands = _page_bands(ctx, region)
    found = [m for m in ctx.ix.doc.marks
             if m.kind == kind and (_mark_in(ctx, m, region) or _mark_in_band(m, bands))]
    scan = any(p.kind == "scan" for p in ctx.ix.doc.pages)
    if found:
        best = max(found, key=lambda m: m.confidence)
        return {cf.id: FieldValue(True, f"{kind} mark", best.confidence, best.source)}
    typed = spec.get("typed_name")
    if typed:
        for u in region:
            name = _typed_name(u.text, typed)
            if name:
                return {cf.id: FieldValue(True, name, 0.8 * u.confidence, u.source(), note="typed_name")}
    return {cf.id: FieldValue(False, None, 0.85 if scan else 1.0, region[0].source())}


_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def layout_region_date(ctx: Ctx, spec: FieldSpec, cf: ConcreteField) -> Fields:
    region = _region(ctx, spec)
    for u in region:
        for p in u.paragraphs:
            m = _DATE.search(p.plain_text())
            if m:
                return {cf.id: FieldValue(re.sub(r"\s+", "", m.group(0)), m.group(0), p.confidence, u.source())}
    if not region:
        return {}
    return {cf.id: FieldValue(None, None, 1.0, region[0].source())}


# On a scan the signature line and the date line come back misread (推荐单 公章）, 化推荐单位(公章!居,
# 2023年:6 28日, a lone T from the seal's rim): a line is taken for printed when its Chinese
# characters hold a printed line's to within PRINTED_MATCH (rapidfuzz partial ratio) and add at
# most PRINTED_EXTRA of their own; a date line when it is digits and 年/月/日 with at most
# DATE_EXTRA other characters; a line of no Chinese character and no digit, at most
# NOISE_CHARS long, is noise, and so is a line that short after a finished sentence (化 read
# from the seal's rim under 同意推荐……参加认定。).
PRINTED_MATCH = 80.0
PRINTED_EXTRA = 2
DATE_EXTRA = 3
NOISE_CHARS = 2
SENTENCE_END = ("。", "！", "？", "!", "?")
_HAN = re.compile(r"[\u3400-\u9fff]")
_SCAN_DATE = re.compile(r"\d{4}\D{0,2}年?\D{0,2}\d{1,2}\D{0,2}月?\D{0,2}\d{1,2}\D{0,2}日?")


def _printed_on_scan(n: str, printed: list[str]) -> bool:
    """Whether a scanned line (normalised) is a misread printed line or date, or seal noise."""
    han = "".join(_HAN.findall(n))
    if not han and not any(ch.isdigit() for ch in n):
        return len(n) <= NOISE_CHARS
    m = _SCAN_DATE.search(n)
    if m and len(n) - len(m.group(0)) <= DATE_EXTRA and any(ch in n for ch in "年月日"):
        return True
    for p in printed:
        ph = "".join(_HAN.findall(p))
        if len(ph) > 3 and len(han) <= len(ph) + PRINTED_EXTRA and fuzz.partial_ratio(ph, han) >= PRINTED_MATCH:
            return True
    return False


def layout_region_text(ctx: Ctx, spec: FieldSpec, cf: ConcreteField) -> Fields:
    region = _region(ctx, spec)
    if not region:
        return {}
    hit = ctx.hits[spec.id]
    printed = [norm(x) for x in spec.get("printed", [])]
    lines, confs, src = [], [], None
    doubts: list = []
    for u in region:
        text = u.text[hit.end:] if u is hit.unit else u.text
        scanned = ctx.scanned(u)
        for line in text.split("\n"):
            t = clean_text(strip_markers(line))
            n = norm(t)
            if not t or n in printed or any(n.startswith(p) and len(p) > 3 for p in printed):
                continue
            if _DATE.fullmatch(n) or (scanned and _printed_on_scan(n, printed)):
                continue
            if scanned and lines and len(n) <= NOISE_CHARS and lines[-1].rstrip().endswith(SENTENCE_END):
                continue        # a fragment after a finished sentence: the seal's rim, a scrawl
            lines.append(t)
            confs.append(u.confidence)
            doubts += value_doubts(u.paragraphs, t)
            src = src or u.source()
    conf, note = doubted(min(confs) if confs else 1.0, None, doubts)
    return {cf.id: FieldValue("\n".join(lines) or None, None, conf, src or region[0].source(), note)}


LAYOUTS = MappingProxyType({
    "right": layout_right,
    "yearly": layout_yearly,
    "options": layout_options,
    "matrix": layout_matrix,
    "parts": layout_parts,
    "plan_text": layout_plan_text,
    "plan_targets": layout_plan_targets,
    "mark": layout_mark,
    "region_date": layout_region_date,
    "region_text": layout_region_text,
})
