"""The extraction as the checks read it, and how a check states a finding.

``Facts(extraction)`` answers the questions every rule asks: the reporting years, a field's
value *if it can be trusted* (present, not null, read with at least ``UNREADABLE_BELOW``
confidence — anything less is reported once as ``field.unreadable`` and every error that
depends on it is held back), the precision a number was written with, printed labels, and
the sources of the values involved.  ``Facts.finding`` builds a :class:`Finding` with the
rule's default severity and the fields' sources copied in.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Optional

from pipeline.model import Extraction, FieldValue, Finding, UNREADABLE_BELOW, load_catalogue
from pipeline.model.document import Source

from .arithmetic import decimals_written, half_unit
from .registry import default_severity


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
                detail: Optional[dict] = None) -> Finding:
        return Finding(rule=rule, severity=severity or default_severity(rule), fields=list(fields),
                       message=message, expected=expected, actual=actual, tolerance=tolerance,
                       clause=clause, sources=self.sources(fields), question=question,
                       detail=dict(detail or {}))


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
