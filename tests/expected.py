"""Committed samples and their expected values, and how an extraction is scored against them."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
DOSSIERS = SAMPLES / "dossiers"
EXPECTED = SAMPLES / "expected"


def expected_files() -> list[Path]:
    return sorted(EXPECTED.glob("*.json")) if EXPECTED.exists() else []


def load_expected(dossier_id: str) -> dict:
    return json.loads((EXPECTED / f"{dossier_id}.json").read_text(encoding="utf-8"))


def same(a: Any, b: Any) -> bool:
    """Equality as the contract means it: numbers by value, lists in order, dict rows by key."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-9)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


@dataclass
class Score:
    total: int = 0
    right: int = 0
    flagged: int = 0                                 # wrong but reported as unreadable
    wrong: list[tuple[str, Any, Any]] = field(default_factory=list)
    groups_total: int = 0
    groups_right: int = 0

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0

    @property
    def group_share(self) -> float:
        return self.groups_right / self.groups_total if self.groups_total else 1.0


def score(fields: dict, expected: dict, tick_group_ids: Optional[set] = None,
          unreadable_below: float = 0.0) -> Score:
    """Compare extracted ``fields`` (id → {"value", "confidence", …}) with expected values."""
    s = Score()
    for fid, want in expected.items():
        s.total += 1
        got = fields.get(fid)
        value = got.get("value") if got else None
        ok = got is not None and same(value, want)
        if tick_group_ids is not None and fid in tick_group_ids:
            s.groups_total += 1
            s.groups_right += ok
        if ok:
            s.right += 1
        else:
            if got is not None and got.get("confidence", 1.0) < unreadable_below:
                s.flagged += 1
            s.wrong.append((fid, want, value))
    return s
