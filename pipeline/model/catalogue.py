"""Load the form catalogue (``pipeline/catalogue/*.yaml``) and expand it into concrete field ids.

A catalogue entry may stand for a family of ids: ``yearly`` entries expand to
``<id>.<year>`` for each reporting year, ``matrix`` entries to ``<id>.<year>.<row>.<col>``,
``parts`` entries to ``<id>.<part>``.  :meth:`Catalogue.expand` does that for a form's
reporting years; :meth:`Catalogue.spec` finds the spec of any concrete id.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogue"
DEFAULT_EDITION = "form_2023"


@dataclass(frozen=True)
class Option:
    label: str
    evidence: bool = False
    variants: tuple[str, ...] = ()


@dataclass
class FieldSpec:
    """One catalogue entry (a field or a family of fields)."""
    id: str
    section: str
    type: str
    label: str
    variants: list[str] = field(default_factory=list)
    unit: Optional[str] = None
    limit: Optional[int] = None
    yearly: bool = False
    required: bool = False
    layout: str = "right"
    options: list[Option] = field(default_factory=list)
    raw: dict = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return [self.label, *self.variants]

    @property
    def is_percent(self) -> bool:
        return bool(self.raw.get("percent"))

    @property
    def is_growth(self) -> bool:
        return bool(self.raw.get("growth"))

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)


@dataclass
class ConcreteField:
    """A concrete id of a form with given reporting years, and what it is an instance of."""
    id: str
    spec: FieldSpec
    type: str
    unit: Optional[str] = None
    year: Optional[int] = None
    row_key: Optional[str] = None
    col_key: Optional[str] = None
    part: Optional[str] = None


class Catalogue:
    def __init__(self, data: dict, path: Optional[Path] = None):
        self.data = data
        self.path = path
        self.edition: str = data.get("edition", "")
        self.title: str = data.get("title", "")
        self.sections: list[dict] = data.get("sections", [])
        self.printed_notes: list[str] = data.get("printed_notes", [])
        self.note_markers: list[str] = data.get("note_markers", [])
        self.year_re = re.compile(data.get("year_pattern", r"^(20\d\d)\s*年?$"))
        self.detect: dict = data.get("detect", {})
        self.specs: list[FieldSpec] = [self._spec(d) for d in data.get("fields", [])]
        self._by_id = {s.id: s for s in self.specs}
        if len(self._by_id) != len(self.specs):
            dupes = sorted({s.id for s in self.specs if sum(t.id == s.id for t in self.specs) > 1})
            raise ValueError(f"catalogue {path}: duplicate field ids {dupes}")

    @staticmethod
    def _spec(d: dict) -> FieldSpec:
        opts = []
        for o in d.get("options", []) or []:
            if isinstance(o, str):
                o = {"label": o}
            opts.append(Option(label=o["label"], evidence=bool(o.get("evidence")),
                               variants=tuple(o.get("variants", []))))
        t = d.get("type") or ("parts" if d.get("layout") == "parts" else "text")
        layout = d.get("layout") or ("options" if t in ("choice", "multi") else
                                     "yearly" if d.get("yearly") else "right")
        return FieldSpec(id=d["id"], section=d.get("section", ""), type=t, label=d.get("label", ""),
                         variants=list(d.get("variants", [])), unit=d.get("unit"), limit=d.get("limit"),
                         yearly=bool(d.get("yearly")), required=bool(d.get("required")), layout=layout,
                         options=opts, raw=d)

    # -- lookups ---------------------------------------------------------------------
    def base(self, spec_id: str) -> FieldSpec:
        return self._by_id[spec_id]

    def expand(self, years: list[int]) -> list[ConcreteField]:
        """Every concrete field id the form holds, in catalogue order."""
        out: list[ConcreteField] = []
        for s in self.specs:
            if s.layout == "matrix":
                for y in years:
                    for rk in s.raw["rows"]:
                        for ck in s.raw["cols"]:
                            out.append(ConcreteField(f"{s.id}.{y}.{rk}.{ck}", s, s.type, s.unit, y, rk, ck))
            elif s.layout == "parts":
                for pk, pd in s.raw["parts"].items():
                    out.append(ConcreteField(f"{s.id}.{pk}", s, pd.get("type", "text"), pd.get("unit"), part=pk))
            elif s.yearly:
                for y in years:
                    out.append(ConcreteField(f"{s.id}.{y}", s, s.type, s.unit, y))
            else:
                out.append(ConcreteField(s.id, s, s.type, s.unit))
        return out

    def spec(self, field_id: str) -> Optional[ConcreteField]:
        """The concrete field for any id, whatever its years."""
        if field_id in self._by_id:
            s = self._by_id[field_id]
            if not s.yearly and s.layout not in ("matrix", "parts"):
                return ConcreteField(field_id, s, s.type, s.unit)
        parts = field_id.split(".")
        for n in range(len(parts) - 1, 0, -1):
            sid = ".".join(parts[:n])
            found = self._by_id.get(sid)
            if not found:
                continue
            s = found
            rest = parts[n:]
            if s.layout == "matrix" and len(rest) == 3 and rest[0].isdigit():
                return ConcreteField(field_id, s, s.type, s.unit, int(rest[0]), rest[1], rest[2])
            if s.layout == "parts" and len(rest) == 1 and rest[0] in s.raw["parts"]:
                pd = s.raw["parts"][rest[0]]
                return ConcreteField(field_id, s, pd.get("type", "text"), pd.get("unit"), part=rest[0])
            if s.yearly and len(rest) == 1 and rest[0].isdigit():
                return ConcreteField(field_id, s, s.type, s.unit, int(rest[0]))
        return None

    def label_of(self, field_id: str) -> str:
        """A human label for any concrete id (memo, findings): the title or printed label, plus year."""
        cf = self.spec(field_id)
        if cf is None:
            return field_id
        lab = cf.spec.get("title") or cf.spec.label
        if cf.spec.layout == "matrix":
            rows, cols = cf.spec.raw["rows"], cf.spec.raw["cols"]
            return f"{cf.year}年{rows[cf.row_key]}标准{cols[cf.col_key]}"
        if cf.part:
            return f"{lab}（{cf.spec.raw['parts'][cf.part].get('sublabel', cf.part)}）"
        return f"{cf.year}年{lab}" if cf.year else lab

    def evidence_claims(self) -> list[tuple[str, str]]:
        """(field id, option label) pairs whose ticking needs 佐证材料 (the form's 证 notes)."""
        out = []
        for s in self.specs:
            for o in s.options:
                if o.evidence:
                    out.append((s.id, o.label))
        return out


@lru_cache(maxsize=8)
def load_catalogue(name_or_path: str = DEFAULT_EDITION) -> Catalogue:
    p = Path(name_or_path)
    if not p.suffix:
        p = CATALOGUE_DIR / f"{name_or_path}.yaml"
    with open(p, encoding="utf-8") as f:
        # libyaml's safe loader where PyYAML has it: the same data, ≈ 7× faster
        return Catalogue(yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), p)
