"""Numbers as certificates write them, found in running text with their unit.

``quantities("2022年集群总产值４５.６亿元，有效发明专利1,234件")`` gives 45.6 (亿元) and 1234
(件); years (``2022年``) are found separately by ``years`` and never read as quantities.
Normalised: full-width digits and punctuation (NFKC), thousands separators (``1,234``
``1，234``), 百分之 (``百分之十二点五`` → 12.5 %, ``百分之12.5``), Chinese numerals with 点
(``四十五点六``), and the magnitude words 万/亿 (``2.3万人`` is 23,000 人; ``456,000万元`` is
45.6 亿元 once converted to the field's unit by :func:`to_field_unit`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .nlp import normalise
from .patterns import Patterns

_CN = "零〇一二两三四五六七八九十百千"
_CN_VAL = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
YEAR = re.compile(r"(?<![\d.])(20\d\d|19\d\d)\s*年(?:度)?")
_UNIT_WORDS = ("吨二氧化碳/万元", "tCO2/万元", "吨/万元", "亿元", "万元", "元", "万人", "人", "名", "万件", "件", "个", "项",
               "家", "户", "%")
_UNIT_RX = "|".join(re.escape(u) for u in _UNIT_WORDS)
_NUM = re.compile(
    r"(?<![\d.])(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<mag>亿|万)?\s*(?P<unit>" + _UNIT_RX + r")?")
_PCT_WORD = re.compile(r"百分之\s*(?P<num>\d+(?:\.\d+)?|[" + _CN + r"]+(?:点[" + _CN + r"]+)?)")
_CN_NUM = re.compile(r"(?P<num>[" + _CN + r"]+点[" + _CN + r"]+|[" + _CN + r"]{2,})\s*(?P<mag>亿|万)?\s*(?P<unit>" + _UNIT_RX + r")")


_JOINERS = set("和与及或至到、")


@dataclass
class Quantity:
    value: float          # as written, magnitude word applied when it stands apart from the unit
    unit: str             # the written unit after the magnitude word is folded in ("亿元", "万人", "件", "%", "")
    raw: str
    start: int
    end: int
    decimals: int = 0     # decimal places as written (precision of the statement)


def chinese_integer(s: str) -> Optional[int]:
    """十 → 10, 二十三 → 23, 一百零五 → 105, 四五 (digit by digit) → 45."""
    if not s or any(ch not in _CN for ch in s):
        return None
    if not any(ch in "十百千" for ch in s):
        return int("".join(str(_CN_VAL[ch]) for ch in s))
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_VAL:
            cur = _CN_VAL[ch]
        else:
            total += (cur or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            cur = 0
    return total + cur


def chinese_decimal(s: str) -> Optional[tuple[float, int]]:
    """四十五点六 → (45.6, 1)."""
    whole, _, frac = s.partition("点")
    w = chinese_integer(whole)
    if w is None:
        return None
    if not frac:
        return float(w), 0
    if any(ch not in _CN_VAL for ch in frac):
        return None
    digits = "".join(str(_CN_VAL[ch]) for ch in frac)
    return float(f"{w}.{digits}"), len(digits)


def years(text: str) -> list[tuple[int, int, int]]:
    """(year, start, end) of every 20XX年 in the normalised text."""
    return [(int(m.group(1)), m.start(), m.end()) for m in YEAR.finditer(normalise(text))]


def _fold(value: float, mag: Optional[str], unit: Optional[str]) -> tuple[float, str]:
    unit = unit or ""
    if mag and (mag + unit) in _UNIT_WORDS:
        return value, mag + unit
    if mag == "亿":
        return value * 1e8, unit
    if mag == "万":
        return value * 1e4, unit
    return value, unit


def quantities(text: str) -> list[Quantity]:
    """Every number of the text with its unit; years, dates, document numbers and ordinals excluded."""
    t = normalise(text)
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    year_spans = [(s, e) for _, s, e in years(t)]

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken + year_spans)

    for m in _PCT_WORD.finditer(t):
        num = m.group("num")
        if num[0].isdigit():
            v, dec = float(num), len(num.split(".")[1]) if "." in num else 0
        else:
            cd = chinese_decimal(num)
            if cd is None:
                continue
            v, dec = cd
        out.append(Quantity(v, "%", m.group(0), m.start(), m.end(), dec))
        taken.append((m.start(), m.end()))
    for m in _CN_NUM.finditer(t):
        if not free(m.start(), m.end()):
            continue
        cd = chinese_decimal(m.group("num"))
        if cd is None:
            continue
        v, unit = _fold(cd[0], m.group("mag"), m.group("unit"))
        out.append(Quantity(v, unit, m.group(0), m.start(), m.end(), cd[1]))
        taken.append((m.start(), m.end()))
    for m in _NUM.finditer(t):
        s, e = m.start(), m.end()
        if not free(s, e):
            continue
        after = t[e:e + 2]
        before = t[max(0, s - 1):s]
        if after[:1] in ("月", "日", "号", "〕", "]", "-", "/") or before in ("〔", "[", "第", "-", "/"):
            continue                      # dates, 文号, ordinals, phone numbers
        num = m.group("num").replace(",", "").replace("，", "")
        dec = len(num.split(".")[1]) if "." in num else 0
        v, unit = _fold(float(num), m.group("mag"), m.group("unit"))
        if not m.group("unit") and e < len(t) and "\u4e00" <= t[e] <= "\u9fff" and t[e] not in _JOINERS:
            unit = (m.group("mag") or "") + t[e]      # a measure word of its own (份, 台, 次, 场 …): not a bare number
        out.append(Quantity(v, unit, m.group(0).strip(), s, e, dec))
        taken.append((s, e))
    out.sort(key=lambda q: q.start)
    return out


def unit_in_label(text: str) -> str:
    """The unit a header cell prints in brackets: 集群总产值（亿元） → 亿元."""
    m = re.search(r"[（(]\s*([^()（）]+?)\s*[)）]\s*$", normalise(text))
    return m.group(1) if m else ""


def to_field_unit(q_value: float, q_unit: str, field_unit: Optional[str], patterns: Patterns,
                  header_unit: str = "") -> Optional[float]:
    """The quantity in the field's catalogue unit, or None when the units are of different kinds.

    A bare number takes the unit its table header prints (``header_unit``), else is taken to be
    in the field's own unit.
    """
    unit = q_unit or header_unit
    target = patterns.field_units.get(field_unit or "")
    if target is None:
        return None
    if not unit:
        return q_value
    if unit == "%":
        return q_value if target[0] == "percent" else None
    src = patterns.units.get(unit)
    if src is None:
        return None
    if src[0] != target[0]:
        return None
    return q_value * src[1] / target[1]
