"""How a scanned rendition is read and scored against its expected values (shared by the
accuracy table ``bench/accuracy_scan.py`` and the tests ``test_scan_accuracy.py``).

Comparison (``same_read``): numbers, ints and booleans by value exactly as ``expected.same``;
text — a string field, each string of a list, each string cell of a ``plan.targets`` row — after
``pipeline.model.text.norm`` (NFKC, quotes and brackets unified, white space removed), the form
the mapper itself compares labels and options by: OCR cannot see how many spaces were typed,
and full/half-width brackets print alike.  Nothing else is forgiven: one wrong character is a
wrong field.  A wrong field whose confidence is below ``UNREADABLE_BELOW`` (0.75) is *flagged*:
the validators report it as ``field.unreadable`` instead of using it.

Boxes (``box_scores``): the generator records where every printed box lies on the page as
scanned (``scan.boxes`` of the expected JSON: page, centre and side in points, ticked or not).
A tick of the read document (its bbox on the stored page) *finds* a recorded box when its centre
lies within half a side (and at least 3 pt) of the box's centre; recall = recorded boxes found,
``state right`` = found with the recorded state, precision = ticks that found a recorded box.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors import budget, read_file
from extractors.mapper import map_form
from pipeline.model import load_catalogue
from pipeline.model.extraction import UNREADABLE_BELOW
from pipeline.model.text import norm

from .expected import DOSSIERS, EXPECTED, expected_files, load_expected

NO_LIMIT_S = 36000.0


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
    right_flagged: int = 0        # right values read below the bar: reported for a clerk to confirm
    to_confirm: list = field(default_factory=list)   # (field id, confidence, note) of those
    groups_total: int = 0
    groups_right: int = 0
    seconds: float = 0.0
    pages: int = 0
    wrong: list = field(default_factory=list)     # (field id, expected, got, confidence, note)
    boxes: "BoxScore | None" = None

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0

    @property
    def group_share(self) -> float:
        return self.groups_right / self.groups_total if self.groups_total else 1.0


@dataclass
class BoxScore:
    recorded: int = 0
    found: int = 0
    state_right: int = 0
    ticks: int = 0                # ticks the reader put on the pages
    true_ticks: int = 0           # of them, on a recorded box
    missed: list = field(default_factory=list)      # (page, option, ticked) of boxes not found
    extra: list = field(default_factory=list)       # (page, bbox) of ticks on no recorded box

    @property
    def recall(self) -> float:
        return self.found / self.recorded if self.recorded else 1.0

    @property
    def precision(self) -> float:
        return self.true_ticks / self.ticks if self.ticks else 1.0


def box_scores(doc, recorded: list[dict]) -> BoxScore:
    """How the document's ticks match the generator's recorded boxes (see the module docstring)."""
    ticks = [(p.source.page, t) for p in doc.iter_paragraphs() for t in p.ticks
             if t.bbox is not None and p.source is not None and p.source.page]
    sc = BoxScore(recorded=len(recorded), ticks=len(ticks))
    used: set[int] = set()
    for b in recorded:
        (cx, cy), r = b["centre"], max(3.0, b["side"] / 2.0)
        best = None
        for i, (page, t) in enumerate(ticks):
            if page != b["page"] or i in used:
                continue
            tx, ty = (t.bbox[0] + t.bbox[2]) / 2.0, (t.bbox[1] + t.bbox[3]) / 2.0
            d = max(abs(tx - cx), abs(ty - cy))
            if d <= r and (best is None or d < best[0]):
                best = (d, i)
        if best is None:
            sc.missed.append((b["page"], b["option"], b["ticked"]))
            continue
        used.add(best[1])
        sc.found += 1
        sc.state_right += ticks[best[1]][1].state is b["ticked"]
    sc.true_ticks = len(used)
    sc.extra = [(page, tuple(round(v, 1) for v in t.bbox)) for i, (page, t) in enumerate(ticks) if i not in used]
    return sc


def read_rendition(dossier: str, root: Path | None = None) -> Result:
    import json
    exp = (json.loads((root / "expected" / f"{dossier}.json").read_text(encoding="utf-8")) if root
           else load_expected(dossier))
    path = (root / "dossiers" if root else DOSSIERS) / dossier / exp["form_file"]
    t0 = time.perf_counter()
    # the reading budget (85% of a file's time limit) is the batch's, not the reader's accuracy:
    # on a loaded machine it would cut a scan short and score the pages left out as misread
    with budget.armed(NO_LIMIT_S):
        doc = read_file(path)
    m = map_form(doc)
    r = Result(dossier, seconds=time.perf_counter() - t0, pages=len(doc.pages))
    if exp.get("scan", {}).get("boxes"):
        r.boxes = box_scores(doc, exp["scan"]["boxes"])
    groups = tick_groups()
    for fid, want in exp["fields"].items():
        fv = m.fields.get(fid)
        ok = fv is not None and same_read(fv.value, want)
        r.total += 1
        r.right += ok
        if fid in groups:
            r.groups_total += 1
            r.groups_right += ok
        if ok and fv.confidence < UNREADABLE_BELOW:
            r.right_flagged += 1
            r.to_confirm.append((fid, round(fv.confidence, 3), fv.note))
        if not ok:
            conf = fv.confidence if fv is not None else 0.0
            r.flagged += conf < UNREADABLE_BELOW
            r.wrong.append((fid, want, fv.value if fv else None, round(conf, 3), fv.note if fv else "missing"))
    return r
