"""Reading numbers as Chinese forms and certificates write them.

``parse_number("1,234.50 万元")`` → ``ParsedNumber(1234.5, "万元", decimals=2)``.  Handles
full-width digits, thousands separators (, ， and thin spaces), a leading sign (- − ﹣ +),
百分之 / % / ％, Chinese magnitude words (万, 亿) when asked to scale, and small Chinese
numerals (十二, 二十三) for counts.  It never guesses: text that holds no number, or two
different numbers, is reported as not a number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .text import nfkc

_NUM = re.compile(r"(?<![\d.])([-+]?)\s*(\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.(\d+))?")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_NONE_WORDS = {"无", "暂无", "没有", "/", "-", "—", "——", "无。"}


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


def chinese_small_number(s: str) -> Optional[int]:
    """十 → 10, 十二 → 12, 二十三 → 23, 一百零五 → 105; None if not such a numeral."""
    s = s.strip()
    if not s or any(ch not in _CN_DIGITS and ch not in "十百千" for ch in s):
        return None
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            cur = _CN_DIGITS[ch]
        else:
            mult = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (cur or 1) * mult
            cur = 0
    return total + cur


def parse_number(text: str, scale_units: bool = False) -> Optional[ParsedNumber]:
    """The single number in ``text`` with the unit written after it, or None.

    With ``scale_units`` the magnitude words 万 and 亿 in the unit are applied to the value
    and removed from the unit (used for evidence; form cells keep their labelled unit).
    """
    t = nfkc(text).replace("−", "-").replace("﹣", "-").replace("\u2009", "").replace("\u202f", "")
    t = t.strip()
    if not t:
        return None
    pct = False
    m_pct = re.match(r"^百分之(.+)$", t)
    if m_pct:
        t, pct = m_pct.group(1).strip(), True
    matches = list(_NUM.finditer(t))
    if not matches:
        n = chinese_small_number(re.sub(r"[个家件项户人]$", "", t))
        return ParsedNumber(float(n), t[-1] if t and t[-1] in "个家件项户人" else "") if n is not None else None
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
