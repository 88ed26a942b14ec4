"""The extraction as the checks read it, and how a check states a finding.

``Facts(extraction)`` answers the questions every rule asks: the reporting years, a field's
value *if it can be trusted* (present, not null, read with at least ``UNREADABLE_BELOW``
confidence — anything less is reported once as ``field.unreadable`` and every error that
depends on it is held back), the precision a number was written with, printed labels, and
the sources of the values involved.  ``Facts.finding`` builds a :class:`Finding` with the
rule's default severity and the fields' sources copied in.

**An error is certain by construction.**  Every finding is built by ``Facts.finding`` with a
:class:`Certainty`: the preconditions an ``error`` needs, each one checked in code and, when it
fails, kept as a reason in words.  ``Facts.finding`` always adds the first one itself (every
field the finding names was read, at full confidence); a rule adds its own (as many years as
values, consecutive years, a sentence read whole, every evidence file readable, no evidence text
left unread that could hold a claim).  An ``error`` whose certainty holds a doubt is reported
as a ``warning`` whose message ends with the doubts (未作为错误：…) and whose ``detail.uncertain``
lists them.  A rule never lowers or raises a severity by its own ``if``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from pipeline.model import UNREADABLE_BELOW, Extraction, FieldValue, Finding, load_catalogue
from pipeline.model.document import Source

from .arithmetic import FORM_DECIMALS, decimals_written, half_unit
from .registry import default_severity


@dataclass
class Certainty:
    """The preconditions of an ``error``: each ``require`` that fails leaves its reason.

    ``Certainty().require(len(years) == len(values), "2个年份对应3个数值")`` — chainable; a
    finding built with a certainty that holds any doubt is a ``warning`` saying why.
    """
    doubts: list[str] = field(default_factory=list)

    def require(self, ok: bool, why: str) -> "Certainty":
        if not ok and why not in self.doubts:
            self.doubts.append(why)
        return self

    @property
    def certain(self) -> bool:
        return not self.doubts

    # -------------------------------------------------------------- the shared preconditions
    def inputs_read(self, d: "Facts", fids: Iterable[str]) -> "Certainty":
        """Every field named is read at full confidence (a field the form lacks is the
        finding's subject, not a doubtful input)."""
        for fid in fids:
            fv = d.fv(fid)
            if fv is not None and fv.confidence < UNREADABLE_BELOW:
                self.require(False, f"「{d.label(fid)}」识别置信度{fv.confidence:.2f}，低于{UNREADABLE_BELOW}")
            self.as_the_form_writes(d, fid, fv)
        return self

    def as_the_form_writes(self, d: "Facts", fid: str, fv: Optional[FieldValue]) -> "Certainty":
        """A number written against the form's own rule (more than its 2 decimals, 填报说明第2条)
        may be a slip of the pen or a misread digit (83.83 read 83.883): the arithmetic resting
        on it is not certain (format.decimals reports the writing itself)."""
        if fv is None or isinstance(fv.value, bool) or not isinstance(fv.value, float):
            return self
        places = decimals_written(fv.raw, fv.value)
        return self.require(places <= FORM_DECIMALS,
                            f"「{d.label(fid)}」写作{fv.raw or fv.value}，多于{FORM_DECIMALS}位小数，可能为笔误或识别错误")

    def aligned(self, n_years: int, n_values: int, what: str = "") -> "Certainty":
        """As many years as values: a list of years paired with a list of figures."""
        return self.require(n_years == n_values,
                            f"{what}年份（{n_years}个）与数值（{n_values}个）个数不一致，无法确定对应关系")

    def consecutive(self, years: Iterable[int]) -> "Certainty":
        """Yearly figures compared year to year come from consecutive years."""
        ys = list(years)
        ok = all(b - a == 1 for a, b in zip(ys, ys[1:]))
        return self.require(ok, f"年度栏（{'、'.join(map(str, ys))}）不是连续的年份")

    def whole(self, ok: bool, sentence: str = "") -> "Certainty":
        """The sentence a figure or a claim was read from was read whole (not cut by a
        page or line break, no malformed number in it)."""
        shown = f"“{sentence[:40]}”" if sentence else "原文语句"
        return self.require(ok, f"{shown}未能完整读取")

    def files_readable(self, unreadable: list[str]) -> "Certainty":
        """Every file the finding depends on was read."""
        names = "、".join(f"《{n}》" for n in unreadable)
        return self.require(not unreadable, f"{names}无法读取")

    def note(self) -> str:
        return "（未作为错误：" + "；".join(self.doubts) + "。）" if self.doubts else ""


class Facts:
    def __init__(self, ext: Extraction):
        self.ext = ext
        self.cat = load_catalogue()
        self.years: list[int] = sorted(ext.reporting_years)

    # ---------------------------------------------------------------- raw access
    def fv(self, fid: str) -> Optional[FieldValue]:
        return self.ext.fields.get(fid)

    def present(self, fid: str) -> bool:
        return fid in self.ext.fields

    def each(self, *types: str):
        """(id, value, catalogue entry) of every field the form holds, of the given types."""
        for fid, fv in self.ext.fields.items():
            cf = self.cat.spec(fid)
            if cf is not None and (not types or cf.type in types):
                yield fid, fv, cf

    def readable(self, fid: str) -> bool:
        fv = self.fv(fid)
        return fv is not None and fv.confidence >= UNREADABLE_BELOW

    # ---------------------------------------------------------------- trusted values
    def value(self, fid: str) -> Any:
        """The value when it is present, not null and read with confidence; else None."""
        fv = self.fv(fid)
        if fv is None or fv.value is None or fv.confidence < UNREADABLE_BELOW:
            return None
        return fv.value

    def number(self, fid: str) -> Optional[float]:
        v = self.value(fid)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return None
        return v

    def numbers(self, fids: Iterable[str]) -> Optional[list[float]]:
        """All of them as trusted numbers, or None when any is missing or doubtful."""
        out = []
        for fid in fids:
            v = self.number(fid)
            if v is None:
                return None
            out.append(v)
        return out

    def count(self, fid: str) -> Optional[int]:
        """A count; a written 无 (the form's word for nothing) counts as 0."""
        fv = self.fv(fid)
        if fv is not None and fv.value is None and fv.note == "none" and fv.confidence >= UNREADABLE_BELOW:
            return 0
        v = self.number(fid)
        return int(v) if v is not None and float(v).is_integer() else None

    def choice(self, fid: str) -> Optional[str]:
        """The one ticked option of a single-choice group, when read with confidence."""
        v = self.value(fid)
        return v if isinstance(v, str) else None

    def half(self, fid: str) -> float:
        """Half a unit of the last place the number was written with."""
        fv = self.fv(fid)
        return half_unit(decimals_written(fv.raw if fv else None, fv.value if fv else 0))

    def written(self, fid: str) -> str:
        """A number as the form shows it: its raw text when that still holds the value
        (``45.60``), else the value with the decimals it was written with."""
        fv = self.fv(fid)
        if fv is None or fv.value is None:
            return ""
        v = fv.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return str(v)
        places = decimals_written(fv.raw, v)
        return f"{v:.{places}f}"

    def with_half(self, fid: str) -> tuple[float, float]:
        return float(self.number(fid)), self.half(fid)

    # ---------------------------------------------------------------- words
    def label(self, fid: str) -> str:
        return self.cat.label_of(fid)

    def spec(self, fid: str):
        return self.cat.spec(fid)

    @property
    def latest(self) -> Optional[int]:
        return self.years[-1] if self.years else None

    def yearly(self, base: str) -> list[str]:
        return [f"{base}.{y}" for y in self.years]

    def form_format(self) -> Optional[str]:
        return next((s.format for s in self.ext.sources if s.role == "form"), None)

    # ---------------------------------------------------------------- findings
    def sources(self, fids: Iterable[str]) -> list[Source]:
        out: list[Source] = []
        for fid in fids:
            fv = self.fv(fid)
            if fv is not None and fv.source is not None and fv.source not in out:
                out.append(fv.source)
        return out

    def finding(self, rule: str, fields: list[str], message: str, *, expected: Any = None,
                actual: Any = None, tolerance: Any = None, clause: Optional[str] = None,
                question: Optional[str] = None, severity: Optional[str] = None,
                detail: Optional[dict] = None, certainty: Optional[Certainty] = None) -> Finding:
        """A finding of ``rule``; an ``error`` only when ``certainty`` (with every named field
        read at full confidence, checked here) holds no doubt, else a ``warning`` saying why."""
        severity = severity or default_severity(rule)
        detail = dict(detail or {})
        if severity == "error":
            c = Certainty(list(certainty.doubts) if certainty else []).inputs_read(self, fields)
            if not c.certain:
                severity = "warning"
                message = message + c.note()
                detail["uncertain"] = list(c.doubts)
        return Finding(rule=rule, severity=severity, fields=list(fields),
                       message=message, expected=expected, actual=actual, tolerance=tolerance,
                       clause=clause, sources=self.sources(fields), question=question,
                       detail=detail)


def f2(x: float) -> str:
    """A figure as the form writes it: 2 decimals."""
    return f"{x:.2f}"


def plain(x: Any) -> str:
    """A number as written without trailing zeros (12.0 → 12, 12.50 → 12.5)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    if float(x).is_integer():
        return str(int(x))
    return re.sub(r"0+$", "", f"{x:.4f}").rstrip(".")
