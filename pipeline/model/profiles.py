"""Criteria profiles: one data file per issuer's 认定标准 (``validators/profiles/*.yaml``).

A profile names its document, says how to recognise a form that belongs to it (``detect``:
words of the form's title or issuer line) and lists its thresholds, each with operator as
worded, unit and clause.  The validators read :class:`Profile`; the runner uses
:func:`detect_profile` when the user gives no ``--profile``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml

from .text import norm

PROFILE_DIR = Path(__file__).resolve().parents[2] / "validators" / "profiles"
DEFAULT_PROFILE = "national"


@dataclass
class Profile:
    id: str
    name: str
    document: str
    detect: list[str] = field(default_factory=list)
    thresholds: list[dict] = field(default_factory=list)
    raw: dict = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    def thresholds_for(self, rule: str) -> list[dict]:
        return [t for t in self.thresholds if t.get("rule") == rule]


def list_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.yaml"))


@lru_cache(maxsize=16)
def load_profile(name_or_path: str) -> Profile:
    p = Path(name_or_path)
    if not p.suffix:
        p = PROFILE_DIR / f"{name_or_path}.yaml"
    if not p.exists():
        raise ValueError(f"未知的认定标准配置 '{name_or_path}' — unknown profile; available: {', '.join(list_profiles())}")
    with open(p, encoding="utf-8") as f:
        d = yaml.safe_load(f) or {}
    return Profile(id=d.get("id", p.stem), name=d.get("name", p.stem), document=d.get("document", ""),
                   detect=list(d.get("detect", [])), thresholds=list(d.get("thresholds", [])), raw=d)


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
