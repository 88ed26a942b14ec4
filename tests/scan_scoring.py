"""How a scanned rendition is read and scored against its expected values (shared by the
accuracy table ``accuracy_scan.py`` and the tests ``test_scan_accuracy.py``).

Comparison (``same_read``): numbers, ints and booleans by value exactly as ``expected.same``;
text — a string field, each string of a list, each string cell of a ``plan.targets`` row — after
``pipeline.model.text.norm`` (NFKC, quotes and brackets unified, white space removed), the form
the mapper itself compares labels and options by: OCR cannot see how many spaces were typed,
and full/half-width brackets print alike.  Nothing else is forgiven: one wrong character is a
wrong field.  A wrong field whose confidence is below ``UNREADABLE_BELOW`` (0.75) is *flagged*:
the validators report it as ``field.unreadable`` instead of using it.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors import read_file
from extractors.mapper import map_form
from pipeline.model import load_catalogue
from pipeline.model.extraction import UNREADABLE_BELOW
from pipeline.model.text import norm

from .expected import DOSSIERS, EXPECTED, expected_files, load_expected


def same_read(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-9)
    if isinstance(a, str) and isinstance(b, str):
        return norm(a) == norm(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_read(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_read(a[k], b[k]) for k in a)
    return a == b


def tick_groups() -> set:
    return {s.id for s in load_catalogue().specs if s.type in ("choice", "multi")}


def scan_renditions(root: Path | None = None) -> list[str]:
    exp_dir = (root / "expected") if root else EXPECTED
    files = sorted(exp_dir.glob("*.json")) if root else expected_files()
    import json
    return [f.stem for f in files if json.loads(f.read_text(encoding="utf-8")).get("rendition") == "scan"]


@dataclass
class Result:
    dossier: str
    total: int = 0
    right: int = 0
    flagged: int = 0
    groups_total: int = 0
    groups_right: int = 0
    seconds: float = 0.0
    pages: int = 0
    wrong: list = field(default_factory=list)     # (field id, expected, got, confidence, note)

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0

    @property
    def group_share(self) -> float:
        return self.groups_right / self.groups_total if self.groups_total else 1.0


def read_rendition(dossier: str, root: Path | None = None) -> Result:
    import json
    exp = (json.loads((root / "expected" / f"{dossier}.json").read_text(encoding="utf-8")) if root
           else load_expected(dossier))
    path = (root / "dossiers" if root else DOSSIERS) / dossier / exp["form_file"]
    t0 = time.perf_counter()
    doc = read_file(path)
    m = map_form(doc)
    r = Result(dossier, seconds=time.perf_counter() - t0, pages=len(doc.pages))
    groups = tick_groups()
    for fid, want in exp["fields"].items():
        fv = m.fields.get(fid)
        ok = fv is not None and same_read(fv.value, want)
        r.total += 1
        r.right += ok
        if fid in groups:
            r.groups_total += 1
            r.groups_right += ok
        if not ok:
            conf = fv.confidence if fv is not None else 0.0
            r.flagged += conf < UNREADABLE_BELOW
            r.wrong.append((fid, want, fv.value if fv else None, round(conf, 3), fv.note if fv else "missing"))
    return r
