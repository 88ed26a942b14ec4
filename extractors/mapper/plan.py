"""Section 八 (the plan): its target table and its text, whatever the table structure.

The target table is found by its header row (the catalogue's ``columns`` words: 方向 / 指标 /
基准值 / 目标值, each in a cell of its own) wherever it sits: its own table after the text, a
table nested in the plan's cell, or rows merged into the section's one table between rows of
text.  Its rows run from the header down to the first row that is not a target row (a cell
running from the indicator to the target column holds text, not a target) or to the end of the table, and
on into the next table of the section when a page break split the table (same columns, no
text between).  Everything else in the section — every cell and paragraph, in order — is the
plan's text, less the form's printed headings and guidance (``printed`` of the catalogue entry
and the catalogue's printed notes), which are taken out wherever a line break fell in them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from rapidfuzz import fuzz

from extractors.layout.doubtful_chars import doubted, value_doubts
from pipeline.model import Cell, ConcreteField, FieldSpec, FieldValue, Table
from pipeline.model.numbers import parse_number
from pipeline.model.text import norm

from .index import Unit
from .values import clean_text, norm_map, one_slip_from, strip_markers

Fields = dict[str, FieldValue]

HEADER_CELL_MAX = 16       # a header cell holds a short heading (normalised characters)
BETWEEN_PARTS_MAX = 30     # a paragraph between two parts of a split table is page furniture, not text
PRINTED_PART_MIN = 8       # a line this long (normalised) found inside a printed paragraph is a piece of it
PRINTED_PART_SCORE = 90    # ... allowing an OCR slip or two (rapidfuzz partial ratio)
# a whole line this long (normalised) that is a printed phrase but for one misread character is
# that phrase (``values.one_slip_from``): 1.三年总体自标 (a scan's heading joined the text after it)
PRINTED_NEAR_MIN = 6

# a unit after a number in a target cell: 件, 家, 亿元, 吨/万元, 吨标准煤/万元, 人次 … (no sentence punctuation)
_UNIT = re.compile(r"[%‰A-Za-z\u4e00-\u9fff/·²³ ]{0,10}")
_YEAR = re.compile(r"20\d\d")
# what may be left of a line once its printed words are gone: brackets, punctuation, list marks
_LEFTOVER = re.compile(r"^[\s()（）:：;；,，.。、\-—…]*$")


@dataclass
class TargetBlock:
    """The target table as found: where its header is, its columns, its rows' cells."""
    table: Table
    header_row: int
    cols: dict[str, int]
    # each row's cells under each target column, top to bottom: one cell, or two where a page
    # break cut the row (``_continues``)
    rows: list[dict[str, list[Cell]]] = field(default_factory=list)
    cells: set[int] = field(default_factory=set)       # id() of every cell of the header and rows


def _section_units(ctx, spec: FieldSpec) -> list[Unit]:
    return ctx.ix.in_section(spec.section) or ctx.ix.units


def _tables_in(units: list[Unit]) -> list[Table]:
    tables: list[Table] = []
    for u in units:
        if u.table is not None and all(u.table is not t for t in tables):
            tables.append(u.table)
    return tables


def _header_cols(t: Table, r: int, colspec: dict) -> Optional[dict[str, int]]:
    """{column key: grid column} when row r of t is the target table's header row."""
    cols: dict[str, int] = {}
    used: list[Cell] = []
    for c in t.row_cells(r):
        if c.row != r:
            continue
        n = norm(c.text)
        if not n or len(n) > HEADER_CELL_MAX:
            continue
        for key, words in colspec.items():
            if key not in cols and any(norm(w) in n for w in words) and all(c is not u for u in used):
                cols[key] = c.col
                used.append(c)
    return cols if len(cols) == len(colspec) else None


def _row_cells(t: Table, r: int, cols: dict[str, int]) -> Optional[dict[str, Optional[Cell]]]:
    """The row's cell under each target column, or None when one cell runs from the indicator
    to the target column (a row of text merged across the table, not a target)."""
    cells = {k: t.at(r, c) for k, c in cols.items()}
    first, last = cells.get("indicator"), cells.get("target")
    if first is not None and first is last:
        return None
    return cells


def _next_part(units: list[Unit], t: Table, cols: dict[str, int]) -> Optional[Table]:
    """The table continuing ``t`` after a page break: the next table of the section, with as
    many columns and a first row of targets, with nothing but page furniture between."""
    last = max((u.pos for u in units if u.table is t), default=-1)
    for u in units:
        if u.pos <= last:
            continue
        if u.table is None:
            if len(u.ntext) > BETWEEN_PARTS_MAX:
                return None
            continue
        if u.table is t:
            continue
        nt = u.table
        if nt.n_cols == t.n_cols and _row_cells(nt, 0, cols) is not None:
            return nt
        return None
    return None


def find_targets(ctx, spec: FieldSpec) -> Optional[TargetBlock]:
    """The plan's target table (cached per document), or None."""
    key = "plan:targets"
    if key in ctx.cache:
        return ctx.cache[key]
    colspec = spec.get("columns")
    units = _section_units(ctx, spec)
    block = None
    for t in _tables_in(units):
        for r in range(t.n_rows):
            cols = _header_cols(t, r, colspec)
            if cols is not None:
                block = _collect(units, t, r, cols)
                break
        if block is not None:
            break
    ctx.cache[key] = block
    return block


LABEL_COLUMNS = ("direction", "indicator")     # every target row of the printed form names both


def _blank(c: Optional[Cell]) -> bool:
    return c is None or not c.text.strip()


def _continues(cells: dict[str, Optional[Cell]], block: TargetBlock) -> bool:
    """The first row after a page break continues the row above it: the form prints a
    direction and an indicator on every target row, so a row naming neither, holding only a
    baseline or target, is the rest of the row the break cut (the PDF layout joins such rows
    itself; on a scan the two pages' grids are found apart)."""
    return bool(block.rows) and all(_blank(cells.get(k)) for k in LABEL_COLUMNS if k in cells)


def _collect(units: list[Unit], t: Table, hr: int, cols: dict[str, int]) -> TargetBlock:
    block = TargetBlock(t, hr, cols)
    block.cells.update(id(c) for c in t.row_cells(hr))
    part, r = t, hr + 1
    while part is not None:
        while r < part.n_rows:
            cells = _row_cells(part, r, cols)
            if cells is None:
                return block
            if r == 0 and _continues(cells, block):
                for k, c in cells.items():
                    if not _blank(c):
                        block.rows[-1][k].append(c)
            else:
                block.rows.append({k: [c] if c is not None else [] for k, c in cells.items()})
            block.cells.update(id(c) for c in part.row_cells(r))
            r += 1
        part, r = _next_part(units, part, cols), 0
    return block


def _cell_value(text: str):
    t = clean_text(strip_markers(text)).replace("\n", "")
    if not t:
        return None
    pn = parse_number(t)
    if pn is not None and _UNIT.fullmatch(pn.unit):
        return float(pn.value)
    return t


def layout_plan_targets(ctx, spec: FieldSpec, cf: ConcreteField) -> Fields:
    block = find_targets(ctx, spec)
    if block is None:
        return {}
    placeholders = {norm(x) for x in spec.get("placeholder_rows", [])}
    rows, confs, doubts = [], [], []
    for cells in block.rows:
        texts = {k: "".join(c.text for c in cs) for k, cs in cells.items()}
        base, targ = _cell_value(texts["baseline"]), _cell_value(texts["target"])
        if base is None and targ is None:
            continue
        ind = clean_text(texts["indicator"]).replace("\n", "")
        if norm(ind) in placeholders:
            continue
        rows.append({"direction": clean_text(texts["direction"]).replace("\n", "") or None,
                     "indicator": ind or None, "baseline": base, "target": targ})
        confs.extend(c.confidence for cs in cells.values() for c in cs)
        doubts += [d for k, cs in cells.items() for d in value_doubts([p for c in cs for p in c.paragraphs], texts[k])]
    t = block.table
    first = t.at(block.header_row, 0)
    u = ctx.ix.unit_of(first) if first is not None else None
    src = u.source() if u is not None else t.source
    conf, note = doubted(min(confs) if confs else 1.0, None, doubts)
    return {cf.id: FieldValue(rows, None, conf, src, note)}


# ---------------------------------------------------------------------------- plan text
def _printed_pattern(phrase: str) -> Optional[re.Pattern]:
    """The phrase in normalised form, any year standing for its printed year."""
    n = norm(phrase)
    if not n:
        return None
    parts = [re.escape(p) for p in _YEAR.split(n)]
    return re.compile(r"20\d\d".join(parts))


def printed_mask(text: str, patterns: list[re.Pattern]) -> list[bool]:
    """Which characters of ``text`` belong to a printed phrase, wherever a line or paragraph
    break fell in it: the phrases are matched in normalised text (no white space) and marked in
    the text as written."""
    nt, idx = norm_map(text)
    mask = [False] * len(text)
    taken = [False] * len(nt)
    for pat in patterns:
        for m in pat.finditer(nt):
            if m.end() == m.start() or any(taken[m.start():m.end()]):
                continue
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            for i in range(idx[m.start()], idx[m.end() - 1] + 1):
                mask[i] = True
    return mask


def _printed_key(s: str) -> str:
    return _YEAR.sub("Y", norm(s)).rstrip("。")


def _part_of_printed(key: str, printed: set[str]) -> bool:
    """A line of a printed paragraph that a reader broke into lines (an OCR line per printed
    line): the whole line found inside one of the printed paragraphs, an OCR slip allowed; or
    a whole printed line with one character misread."""
    for pk in printed:
        if len(key) >= PRINTED_NEAR_MIN and one_slip_from(key, pk):
            return True
        if len(key) >= PRINTED_PART_MIN and len(pk) > len(key) and (key in pk or fuzz.partial_ratio(key, pk) >= PRINTED_PART_SCORE):
            return True
    return False


def _printed_phrases(ctx, spec: FieldSpec) -> list[str]:
    phrases = [*spec.get("printed", []), spec.label, *ctx.cat.printed_notes]
    return sorted(dict.fromkeys(phrases), key=lambda p: -len(norm(p)))


def _kept_lines(units: list[Unit], patterns: list[re.Pattern], printed: set[str]):
    """(line, confidence, doubts) of the applicant's text: the units' paragraphs run together,
    the printed phrases taken out, what is left split at the paragraphs' line breaks; doubts are
    the doubtful characters (``layout.doubtful_chars``) of the paragraphs it comes from that it holds."""
    paras = [p for u in units for p in u.paragraphs]
    text, owner = "", []
    for i, p in enumerate(paras):
        t = p.plain_text() + "\n"
        text += t
        owner.extend([i] * len(t))
    mask = printed_mask(text, patterns)
    line, confs = "", set()
    for ch, printed_ch, i in zip(text, mask, owner):
        if ch == "\n":
            yield from _line(line, confs, paras, printed)
            line, confs = "", set()
        elif printed_ch:
            line += "\n"        # what stood on either side of a printed phrase is two lines
        else:
            line += ch
            confs.add(i)


def _line(line: str, confs: set[int], paras, printed: set[str]):
    for piece in line.split("\n"):
        t = clean_text(piece)
        if not t or _LEFTOVER.match(t):
            continue
        k = _printed_key(t)
        if k in printed or _part_of_printed(k, printed):
            continue
        yield t, min(paras[i].confidence for i in confs), value_doubts([paras[i] for i in sorted(confs)], t)


def layout_plan_text(ctx, spec: FieldSpec, cf: ConcreteField) -> Fields:
    units = ctx.ix.in_section(spec.section)
    if not units:
        return {}
    targets_spec = next((s for s in ctx.cat.specs if s.section == spec.section and s.layout == "plan_targets"), None)
    block = find_targets(ctx, targets_spec) if targets_spec is not None else None
    skip = block.cells if block is not None else set()
    body = [u for u in units if not u.heading and not (u.cell is not None and id(u.cell) in skip)]
    phrases = _printed_phrases(ctx, spec)
    patterns = [p for p in map(_printed_pattern, phrases) if p is not None]
    printed = {_printed_key(p) for p in phrases}
    lines, confs, doubts = [], [], []
    for t, conf, why in _kept_lines(body, patterns, printed):
        lines.append(t)
        confs.append(conf)
        doubts += why
    value = "\n".join(lines) or None
    src = body[0].source() if body else None
    conf, note = doubted(min(confs) if confs else 1.0, None, doubts)
    return {cf.id: FieldValue(value, None, conf, src, note)}
