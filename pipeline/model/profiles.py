"""Criteria profiles: one data file per issuer's 认定标准 (``validators/profiles/*.yaml``).

A profile names its document and source text, says how to recognise a form that belongs to
it (``detect``: words of the form's title or issuer line), which output its 年均增速 criterion
is about and how an average growth is read (``growth``), and lists its thresholds: each with
the rule it drives, the field(s) it reads, the operator as worded (``op`` ≥ > ≤ and
``op_word`` 以上/不低于/不少于/高于/超过/不超过), value, unit, clause and the exact quote
(checked against ``validators/profiles/sources/`` by the tests).  The validators read
:class:`Profile`; the runner uses :func:`detect_profile` when the user gives no ``--profile``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml

from .text import norm

PROFILE_DIR = Path(__file__).resolve().parents[2] / "validators" / "profiles"
SOURCE_DIR = PROFILE_DIR / "sources"
DEFAULT_PROFILE = "national"

OPERATORS = ("≥", ">", "≤")
READINGS = ("compound", "arithmetic")
GROWTH_FIGURES = ("leading", "total")


@dataclass
class Profile:
    id: str
    name: str
    document: str
    detect: list[str] = field(default_factory=list)
    thresholds: list[dict] = field(default_factory=list)
    growth: dict = field(default_factory=dict)
    source: str = ""
    not_in_source: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    def thresholds_for(self, rule: str) -> list[dict]:
        return [t for t in self.thresholds if t.get("rule") == rule]

    def source_of(self, threshold: dict) -> str:
        """The source text file (under ``sources/``) a threshold's quote comes from."""
        return threshold.get("source") or self.source

    def clause_of(self, threshold: dict) -> str:
        """Document and clause, as a finding cites them."""
        return f"{self.document}{threshold.get('clause', '')}"


def list_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.yaml"))


def _problems(d: dict) -> list[str]:
    """What is wrong with a profile's data (empty when it is well formed)."""
    bad = []
    for key in ("id", "name", "document"):
        if not d.get(key):
            bad.append(f"missing {key}")
    g = d.get("growth") or {}
    if g and g.get("reading") not in READINGS:
        bad.append(f"growth.reading must be one of {READINGS}")
    if g and g.get("figure") not in GROWTH_FIGURES:
        bad.append(f"growth.figure must be one of {GROWTH_FIGURES}")
    for i, t in enumerate(d.get("thresholds") or []):
        where = f"threshold {i} ({t.get('rule')})"
        if not str(t.get("rule", "")).startswith("criteria."):
            bad.append(f"{where}: rule must be a criteria.* id")
        if "clause" not in t:
            bad.append(f"{where}: no clause")
        if "quote" not in t:
            bad.append(f"{where}: no quote (write quote: null and say why)")
        elif t["quote"] is None and not t.get("why"):
            bad.append(f"{where}: quote is null but no why")
        for alt in t.get("any_of") or [t]:
            if "op" in alt and alt["op"] not in OPERATORS:
                bad.append(f"{where}: op {alt['op']!r} not one of {OPERATORS}")
            if "op" in alt and ("op_word" not in alt or "value" not in alt):
                bad.append(f"{where}: op without op_word or value")
        if t.get("severity") not in (None, "error", "warning", "info"):
            bad.append(f"{where}: bad severity {t.get('severity')!r}")
    return bad


@lru_cache(maxsize=16)
def load_profile(name_or_path: str) -> Profile:
    p = Path(name_or_path)
    if not p.suffix:
        p = PROFILE_DIR / f"{name_or_path}.yaml"
    if not p.exists():
        raise ValueError(f"未知的认定标准配置 '{name_or_path}' — unknown profile; available: {', '.join(list_profiles())}")
    with open(p, encoding="utf-8") as f:
        d = yaml.safe_load(f) or {}
    bad = _problems(d)
    if bad:
        raise ValueError(f"认定标准配置有误 {p}: " + "; ".join(bad))
    return Profile(id=d.get("id", p.stem), name=d.get("name", p.stem), document=d.get("document", ""),
                   detect=list(d.get("detect", [])), thresholds=list(d.get("thresholds") or []),
                   growth=dict(d.get("growth") or {}), source=d.get("source", ""),
                   not_in_source=dict(d.get("not_in_source") or {}), raw=d)


def detect_profile(header_text: str) -> Optional[str]:
    """The profile whose ``detect`` words appear in the form's header (longest match wins)."""
    h = norm(header_text)
    best, best_len = None, 0
    for name in list_profiles():
        for w in load_profile(name).detect:
            nw = norm(w)
            if nw and nw in h and len(nw) > best_len:
                best, best_len = name, len(nw)
    return best
