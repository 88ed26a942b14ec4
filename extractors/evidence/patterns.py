"""Load ``patterns.yaml``: the concepts, claim rules, indicators and units the linker uses.

Claim keys are ``"<field id>:<option label>"`` as the catalogue prints the option; the
linker never spells an option itself.  ``Patterns.problems(catalogue)`` lists every key that
names no (证) option of the catalogue, every (证) option without a rule, and every rule that
uses an undefined concept (the patterns test asserts it is empty).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

from pipeline.model.catalogue import Catalogue
from pipeline.model.text import norm

PATTERNS_FILE = Path(__file__).with_name("patterns.yaml")


@dataclass(frozen=True)
class ClaimRule:
    claim: str                            # "<field id>:<option label>"
    field: str
    option: str
    when: tuple[frozenset, ...]           # alternatives: all concepts of one must occur
    unless: frozenset = frozenset()
    level: Optional[str] = None           # the level the text must state (see ``level_of``)
    levels: tuple[str, ...] = ()          # the level concepts, e.g. (national, provincial)
    anchors: tuple[str, ...] = ()         # the concepts a level word qualifies (newmode, demo_platform)

    def holds(self, concepts: set[str], order: Optional[list[str]] = None) -> bool:
        if self.unless & concepts:
            return False
        if not any(alt <= concepts for alt in self.when):
            return False
        return self.level is None or self.level_of(order or []) == self.level

    def level_of(self, order: list[str]) -> Optional[str]:
        """The level word nearest before the first anchor (the words qualify what follows
        them: 建有省级智能制造…以及其它国家新模式… is 省级; 经省工信厅推荐，入选工业和信息化部
        智能制造示范工厂 is 国家), else the first level word after it."""
        first = next((i for i, c in enumerate(order) if c in self.anchors), None)
        if first is None:
            return next((c for c in order if c in self.levels), None)
        before = [c for c in order[:first] if c in self.levels]
        if before:
            return before[-1]
        return next((c for c in order[first:] if c in self.levels), None)

    def partly(self, concepts: set[str]) -> float:
        """Share of the best alternative's concepts present (for the candidates listed below the threshold)."""
        return max((len(alt & concepts) / len(alt) for alt in self.when), default=0.0)


@dataclass(frozen=True)
class Indicator:
    field: str                            # catalogue field (base id; yearly fields take a year)
    unless: tuple[str, ...] = ()
    has_category: bool = False

    @property
    def concept(self) -> str:
        return f"ind:{self.field}"

    @property
    def category_concept(self) -> str:
        return f"cat:{self.field}"


@dataclass
class Patterns:
    concepts: dict[str, list[str]]
    claims: list[ClaimRule]
    indicators: list[Indicator]
    indicator_terms: dict[str, list[str]]     # "ind:<field>" / "cat:<field>" / "not:<field>" -> terms
    units: dict[str, tuple[str, float]]
    field_units: dict[str, tuple[str, float]]
    total_rows: list[str]
    category_headers: list[str]
    link_threshold: float = 0.5
    raw: dict = field(default_factory=dict)

    def all_terms(self) -> dict[str, list[str]]:
        return {**self.concepts, **self.indicator_terms}

    def claim(self, key: str) -> Optional[ClaimRule]:
        return next((c for c in self.claims if c.claim == key), None)

    def problems(self, cat: Catalogue) -> list[str]:
        out = []
        wanted = {f"{fid}:{norm(label)}" for fid, label in cat.evidence_claims()}
        have = {f"{c.field}:{norm(c.option)}" for c in self.claims}
        out += [f"no rule for catalogue claim {k}" for k in sorted(wanted - have)]
        out += [f"rule {k} names no (证) option of the catalogue" for k in sorted(have - wanted)]
        for c in self.claims:
            for alt in c.when:
                out += [f"{c.claim}: unknown concept {x}" for x in sorted(alt - self.concepts.keys())]
            out += [f"{c.claim}: unknown concept {x} in unless" for x in sorted(c.unless - self.concepts.keys())]
            lv = set(c.levels) | set(c.anchors) | ({c.level} if c.level else set())
            out += [f"{c.claim}: unknown concept {x} in level" for x in sorted(lv - self.concepts.keys())]
        for ind in self.indicators:
            if cat.spec(ind.field) is None and ind.field not in {s.id for s in cat.specs}:
                out.append(f"indicator {ind.field} is not a catalogue field")
            unit = cat.base(ind.field).unit if ind.field in {s.id for s in cat.specs} else None
            if unit not in self.field_units:
                out.append(f"indicator {ind.field}: catalogue unit {unit!r} not in field_units")
        return out


def _parse(data: dict) -> Patterns:
    concepts = {k: [str(t) for t in v] for k, v in (data.get("concepts") or {}).items()}
    claims = []
    for key, spec in (data.get("claims") or {}).items():
        fid, _, option = key.partition(":")
        lv = spec.get("level") or {}
        claims.append(ClaimRule(claim=key, field=fid, option=option,
                                when=tuple(frozenset(a) for a in spec.get("when", [])),
                                unless=frozenset(spec.get("unless", [])), level=lv.get("is"),
                                levels=tuple(lv.get("among", [])), anchors=tuple(lv.get("of", []))))
    indicators, ind_terms = [], {}
    for fid, spec in (data.get("indicators") or {}).items():
        ind = Indicator(field=fid, unless=tuple(spec.get("unless", [])), has_category=bool(spec.get("category")))
        indicators.append(ind)
        ind_terms[ind.concept] = [str(t) for t in spec.get("terms", [])]
        if ind.unless:
            ind_terms[f"not:{fid}"] = [str(t) for t in ind.unless]
        if spec.get("category"):
            ind_terms[ind.category_concept] = [str(t) for t in spec["category"]]
    units = {k: (v[0], float(v[1])) for k, v in (data.get("units") or {}).items()}
    field_units = {k: (v[0], float(v[1])) for k, v in (data.get("field_units") or {}).items()}
    return Patterns(concepts=concepts, claims=claims, indicators=indicators, indicator_terms=ind_terms,
                    units=units, field_units=field_units, total_rows=list(data.get("total_rows", [])),
                    category_headers=list(data.get("category_headers", [])),
                    link_threshold=float(data.get("link_threshold", 0.5)), raw=data)


@lru_cache(maxsize=4)
def load_patterns(path: str = str(PATTERNS_FILE)) -> Patterns:
    with open(path, encoding="utf-8") as f:
        return _parse(yaml.safe_load(f))
