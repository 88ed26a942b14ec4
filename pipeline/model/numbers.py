"""Reading numbers as Chinese forms and certificates write them — the one numbers module.

Two uses, one set of readings:

- a form cell holds one number: ``parse_number("1,234.50 万元")`` →
  ``ParsedNumber(1234.5, "万元", decimals=2)``; text that holds no number, or two different
  numbers, is not a number (it never guesses);
- running text (certificates, lists) holds many: ``quantities("2022年集群总产值４５.６亿元")`` →
  one :class:`Quantity` per number with its unit; years (``2022年``) are found by ``years`` and
  never read as quantities, nor are dates, document numbers, ordinals or phone numbers.

Normalised alike: full-width digits and punctuation (NFKC), thousands separators (``1,234``
``1，234``, thin spaces), a leading sign (- − ﹣ +), 百分之 / % / ％, and Chinese numerals
(``chinese_integer``).  Chinese numerals: with place words they are read by place (十二 → 12,
二十三 → 23, 一百零五 → 105, 三千五百 → 3500); without them digit by digit (二〇二二 → 2022,
一二 → 12) — except two neighbouring digits (两三, 三四, 四五 … 八九), which Chinese uses for an
approximate range ("四五家" is four or five), so they are no number at all.

Units: the magnitude words 万 and 亿 are a unit of their own when nothing follows them
(``44.06亿``, ``466,500万``) and combine with the word after them (``万元``, ``亿元``, ``万人``);
``to_field_unit`` converts once, to the field's catalogue unit, a bare magnitude taking the
kind of the field (44.06亿 of an output in 亿元 is 44.06).  A number run together with another
by a PDF text layer (``80.0.34``) is malformed: not a value (``malformed_numbers`` finds them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .text import nfkc

# ------------------------------------------------------------------ Chinese numerals
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_PLACES = {"十": 10, "百": 100, "千": 1000}
_CN = "".join(_CN_DIGITS) + "".join(_CN_PLACES)


def chinese_integer(s: str) -> Optional[int]:
    """十 → 10, 二十三 → 23, 一百零五 → 105, 二〇二二 → 2022; 四五 (four or five) → None."""
    s = (s or "").strip()
    if not s or any(ch not in _CN for ch in s):
        return None
    if not any(ch in _CN_PLACES for ch in s):
        digits = [_CN_DIGITS[ch] for ch in s]
        if len(digits) == 2 and digits[1] - digits[0] == 1 and digits[0] > 0:
            return None              # 两三 三四 四五 …: an approximate range, not a number
        return int("".join(map(str, digits)))
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            cur = _CN_DIGITS[ch]
        else:
            total += (cur or 1) * _CN_PLACES[ch]
            cur = 0
    return total + cur


def chinese_decimal(s: str) -> Optional[tuple[float, int]]:
    """四十五点六 → (45.6, 1); (value, decimals written)."""
    whole, _, frac = s.partition("点")
    w = chinese_integer(whole)
    if w is None:
        return None
    if not frac:
        return float(w), 0
    if any(ch not in _CN_DIGITS for ch in frac):
        return None
    digits = "".join(str(_CN_DIGITS[ch]) for ch in frac)
    return float(f"{w}.{digits}"), len(digits)


# ------------------------------------------------------------------ one number in a cell
_NUM = re.compile(r"(?<![\d.])([-+]?)\s*(\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.(\d+))?")
_NONE_WORDS = {"无", "暂无", "没有", "/", "-", "—", "——", "无。"}
_MEASURE = "个家件项户人"


@dataclass
class ParsedNumber:
    value: float
    unit: str = ""
    decimals: int = 0
    percent: bool = False

    @property
    def is_integer(self) -> bool:
        return self.decimals == 0


def is_none_word(text: str) -> bool:
    """The 填报说明 asks for 无 where there is nothing to report."""
    return nfkc(text).strip() in _NONE_WORDS


def _clean(text: str) -> str:
    return nfkc(text).replace("−", "-").replace("﹣", "-").replace("\u2009", "").replace("\u202f", "").strip()


def parse_number(text: str, scale_units: bool = False) -> Optional[ParsedNumber]:
    """The single number in ``text`` with the unit written after it, or None.

    With ``scale_units`` the magnitude words 万 and 亿 in the unit are applied to the value
    and removed from the unit (form cells keep their labelled unit).
    """
    t = _clean(text)
    if not t:
        return None
    pct = False
    m_pct = re.match(r"^百分之(.+)$", t)
    if m_pct:
        t, pct = m_pct.group(1).strip(), True
    if malformed_numbers(t):
        return None
    matches = list(_NUM.finditer(t))
    if not matches:
        n = chinese_integer(re.sub(f"[{_MEASURE}]$", "", t))
        return ParsedNumber(float(n), t[-1] if t[-1] in _MEASURE else "") if n is not None else None
    if len(matches) > 1:
        return None
    m = matches[0]
    before, after = t[:m.start()].strip(), t[m.end():].strip()
    if before and before not in ("约", "≈", "~", "≥", "≤", ">", "<"):
        return None
    sign = -1.0 if m.group(1) == "-" else 1.0
    int_part = m.group(2).replace(",", "").replace("，", "")
    frac = m.group(3) or ""
    value = sign * float(f"{int_part}.{frac}" if frac else int_part)
    unit = after
    if unit.startswith("%"):
        pct, unit = True, unit[1:].strip()
    if scale_units:
        if unit.startswith("亿"):
            value, unit = value * 1e8, unit[1:]
        elif unit.startswith("万"):
            value, unit = value * 1e4, unit[1:]
    return ParsedNumber(value=value, unit=unit, decimals=len(frac), percent=pct)


def decimals_of(raw: str) -> int:
    """Decimal places as written ("45.600" → 3)."""
    m = re.search(r"\.(\d+)", nfkc(raw or ""))
    return len(m.group(1)) if m else 0


# ------------------------------------------------------------------ numbers in running text
YEAR = re.compile(r"(?<![\d.])(20\d\d|19\d\d)\s*年(?:度)?")
MAGNITUDES = {"亿": 1e8, "万": 1e4}
_UNIT_WORDS = ("吨二氧化碳/万元", "tCO2/万元", "吨/万元", "亿元", "万元", "元", "万人", "人", "名", "万件", "件", "个", "项",
               "家", "户", "%")
_UNIT_RX = "|".join(re.escape(u) for u in _UNIT_WORDS)
_RUN = re.compile(r"(?<![\d.])(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<mag>亿|万)?\s*"
                  r"(?P<unit>(?:" + _UNIT_RX + r")(?!民币))?")
_PCT_WORD = re.compile(r"百分之\s*(?P<num>\d+(?:\.\d+)?|[" + _CN + r"]+(?:点[" + _CN + r"]+)?)")
_CN_NUM = re.compile(r"(?P<num>[" + _CN + r"]+点[" + _CN + r"]+|[" + _CN + r"]{2,})\s*(?P<mag>亿|万)?\s*"
                     r"(?P<unit>" + _UNIT_RX + r")")
# two decimal points in one run of digits; a dotted date (2022.5.9) is a date, not a number
_MALFORMED = re.compile(r"(?<![\d.])(?!(?:19|20)\d\d\.\d{1,2}\.\d{1,2}(?![\d.]))\d+(?:\.\d+){2,}(?![\d])")
_DOTTED_DATE = re.compile(r"(?<![\d.])(?:19|20)\d\d[.\-/]\d{1,2}[.\-/]\d{1,2}(?![\d.])")
_JOINERS = set("和与及或至到、")


@dataclass
class Quantity:
    value: float          # as written
    unit: str             # the written unit, magnitude word folded in ("亿元", "万人", "亿", "件", "%", "")
    raw: str
    start: int
    end: int
    decimals: int = 0     # decimal places as written (precision of the statement)


_WRAP = re.compile(r"[ \t]*\n[ \t]*")


def _unwrap(m: re.Match) -> str:
    s = m.string
    a, b = s[m.start() - 1:m.start()], s[m.end():m.end() + 1]
    ascii_word = a.isascii() and a.isalpha() and b.isascii() and b.isalpha()
    return " " if ascii_word or not a or not b else ""


def normalise(text: str) -> str:
    """The text numbers and words are read from: NFKC; a line break inside a sentence removed
    (Chinese sets no space between words, so ``72.\n30亿\n元`` is 72.30亿元), except between two
    Latin words; tabs as spaces."""
    return _WRAP.sub(_unwrap, nfkc(text)).replace("\t", " ")


def years(text: str) -> list[tuple[int, int, int]]:
    """(year, start, end) of every 20XX年 in the normalised text."""
    return [(int(m.group(1)), m.start(), m.end()) for m in YEAR.finditer(normalise(text))]


def malformed_numbers(text: str) -> list[str]:
    """Numbers no writer writes — ``80.0.34`` (two runs of digits glued by a PDF text layer),
    ``1,23.4`` — which are therefore unreadable, never read as their first part."""
    return [m.group(0) for m in _MALFORMED.finditer(normalise(text))]


def _fold(mag: Optional[str], unit: Optional[str]) -> str:
    """The written unit with its magnitude word: 亿+元 → 亿元, 万+人 → 万人, 亿 alone → 亿."""
    unit = unit or ""
    if mag and (mag + unit) in _UNIT_WORDS:
        return mag + unit
    if mag and not unit:
        return mag
    if mag:                                   # 亿 + a unit that takes no magnitude word
        return ""
    return unit


def _percent_words(t: str) -> list[Quantity]:
    out = []
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
    return out


def quantities(text: str) -> list[Quantity]:
    """Every number of the text with its unit; years, dates, document numbers, ordinals and
    malformed numbers excluded."""
    t = normalise(text)
    out = _percent_words(t)
    taken: list[tuple[int, int]] = [(q.start, q.end) for q in out]
    taken += [(s, e) for _, s, e in years(t)]
    taken += [(m.start(), m.end()) for rx in (_MALFORMED, _DOTTED_DATE) for m in rx.finditer(t)]

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in _CN_NUM.finditer(t):
        cd = chinese_decimal(m.group("num"))
        if not free(m.start(), m.end()) or cd is None:
            continue
        out.append(Quantity(cd[0], _fold(m.group("mag"), m.group("unit")), m.group(0), m.start(), m.end(), cd[1]))
        taken.append((m.start(), m.end()))
    for m in _RUN.finditer(t):
        q = _arabic(t, m)
        if q is not None and free(m.start(), m.end()):
            out.append(q)
            taken.append((m.start(), m.end()))
    out.sort(key=lambda q: q.start)
    return out


def _arabic(t: str, m: re.Match) -> Optional[Quantity]:
    s, e = m.start(), m.end()
    after, before = t[e:e + 1], t[max(0, s - 1):s]
    if after in ("月", "日", "号", "〕", "]", "-", "/") or before in ("〔", "[", "第", "-", "/"):
        return None                       # dates, 文号, ordinals, phone numbers
    num = m.group("num").replace(",", "").replace("，", "")
    dec = len(num.split(".")[1]) if "." in num else 0
    mag, unit_w = m.group("mag"), m.group("unit")
    unit = _fold(mag, unit_w)
    if mag and unit_w and not unit:
        return None                       # 亿人 …: a magnitude the unit does not take
    if not mag and not unit_w and e < len(t) and "\u4e00" <= t[e] <= "\u9fff" and t[e] not in _JOINERS:
        unit = t[e]                       # a measure word of its own (份, 台, 次, 场 …): not a bare number
    return Quantity(float(num), unit, m.group(0).strip(), s, e, dec)


def unit_in_label(text: str) -> str:
    """The unit a header cell prints in brackets: 集群总产值（亿元） → 亿元."""
    m = re.search(r"[（(]\s*([^()（）]+?)\s*[)）]\s*$", normalise(text))
    return m.group(1) if m else ""


def to_field_unit(q_value: float, q_unit: str, field_unit: Optional[str], units, header_unit: str = "") -> Optional[float]:
    """The quantity in the field's catalogue unit, or None when the units are of different kinds.

    ``units`` has ``units`` (written unit → (kind, factor)) and ``field_units`` (catalogue unit →
    (kind, factor)) — the evidence patterns.  A bare number takes the unit its table header
    prints (``header_unit``), else is taken to be in the field's own unit; a bare magnitude
    (亿, 万) takes the field's kind: 44.06亿 → 44.06 亿元, 2.3万 → 23000 人.
    """
    unit = q_unit or header_unit
    target = units.field_units.get(field_unit or "")
    if target is None:
        return None
    if not unit:
        return q_value
    if unit == "%":
        return q_value if target[0] == "percent" else None
    if unit in MAGNITUDES:
        return q_value * MAGNITUDES[unit] / target[1] if target[0] in ("money", "people", "count") else None
    src = units.units.get(unit)
    if src is None or src[0] != target[0]:
        return None
    return q_value * src[1] / target[1]
