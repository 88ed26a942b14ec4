"""Fit the tick stage's thresholds on the boxes both generators record, and write ``fitted.json``.

    python -m extractors.scan.ticks.fit [--devcorpus DIR] [--write]

Sources: the scanned sample renditions (``samples/expected/*.json`` with ``rendition: scan``:
``scan.boxes`` page, centre and side in points on the page as scanned, ticked or not) and the
devcorpus truth files (``scan.boxes`` ``bbox_pt`` before the scanner's skew, with each page's
``angle_deg`` and ``translate_px`` — PIL ``rotate`` about the centre, then the shift).  The
recorded places are registered on the page read: of the two readings (turned as recorded, or as
they are — on some pages the latter lies closer) the one nearer the printed outlines found
there, shifted by the median offset to them.  Each
recorded box is placed on the straightened page as the reader sees it, settled onto its printed
outline, and its evidence measured (``evidence.measure``, ink alone: no OCR).  From those
records:

Records whose least inked side is below ``ON_OUTLINE`` did not land on a printed outline and
are left out (counted in ``fitted.json``).

* ``empty_below`` / ``ticked_above`` — the gap between the ink inside of unticked boxes (its
  ``QUANTILE`` top) and of ticked boxes (its ``QUANTILE`` bottom) cut in thirds: the lower third
  reads empty, the upper ticked, the middle undecided (reported);
* ``pen_ring`` — the pen around unticked boxes (its top ``QUANTILE``): more is a stroke's overrun;
* ``pen_remains`` — the blue inside of unticked boxes (top ``QUANTILE``), doubled: more is a tick;
* ``form_sides`` — the outline sides of recorded boxes (bottom ``QUANTILE``), 0.9 of it;
* (reported, not used) the clear paper left of recorded boxes: its bottom is 0, so clear paper
  on a box's left cannot tell a box from 口 in a word.

The OCR-dependent settings (``label_match``, ``label_align``, ``label_gap``, ``tight``) are
not fitted yet (that needs every page read): they keep their documented defaults.
"""
from __future__ import annotations

import argparse
import json
import math
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Iterator

import numpy as np

from pipeline.model.geometry import BBox

from ..raster import page_images
from .candidates import Candidate, outline_candidates, settle
from .decision import FITTED, Settings
from .evidence import Evidence, measure

QUANTILE = 0.005
ON_OUTLINE = 0.5         # share: a recorded box whose least inked side is below this is off its outline
REGISTER_PX = 12          # px: a recorded box this near a printed outline is that outline
REPO = Path(__file__).resolve().parents[3]


def _pil_forward(angle: float, translate: tuple[float, float], size: tuple[int, int]) -> np.ndarray:
    """3×3 matrix: a pixel of the page before ``Image.rotate(angle, translate=…)`` → after."""
    a = -math.radians(angle)
    cx, cy = size[0] / 2.0, size[1] / 2.0
    m = [math.cos(a), math.sin(a), 0.0, -math.sin(a), math.cos(a), 0.0]
    tx, ty = -cx - translate[0], -cy - translate[1]
    m[2], m[5] = m[0] * tx + m[1] * ty + cx, m[3] * tx + m[4] * ty + cy
    return np.linalg.inv(np.array([[m[0], m[1], m[2]], [m[3], m[4], m[5]], [0, 0, 1]]))   # output → input, inverted


def _apply(m: np.ndarray, x: float, y: float) -> tuple[float, float]:
    v = m @ np.array([x, y, 1.0])
    return float(v[0]), float(v[1])


def _straight(image, width_pt: float):
    from ..deskew import deskew
    from ..ink import ink_masks
    from ..lines import rule_masks
    from ..page import _working_image
    rgb, ppp = _working_image(image, width_pt)
    masks = ink_masks(rgb)
    rgb, turn = deskew(rgb, masks.dark)
    if turn.matrix is not None:
        masks = ink_masks(rgb)
    horiz, vert = rule_masks(masks.print, ppp)
    return rgb, masks, ppp, turn, (horiz | vert).astype(bool)


def _recorded_samples() -> Iterator[tuple[Path, int, list[tuple[dict, str]]]]:
    """(form file, page, [(box, kind)]) where a box is {centre_pt, side_pt, ticked} on the page as scanned."""
    for f in sorted((REPO / "samples" / "expected").glob("*.json")):
        exp = json.loads(f.read_text(encoding="utf-8"))
        if exp.get("rendition") != "scan" or not exp.get("scan", {}).get("boxes"):
            continue
        pdf = REPO / "samples" / "dossiers" / f.stem / exp["form_file"]
        pages: dict[int, list] = {}
        for b in exp["scan"]["boxes"]:
            pages.setdefault(b["page"], []).append(({"centre": b["centre"], "side": b["side"], "ticked": b["ticked"]}, "stored"))
        for p, bs in sorted(pages.items()):
            yield pdf, p, bs


def _recorded_devcorpus(root: Path) -> Iterator[tuple[Path, int, list[tuple[dict, str]]]]:
    for t in sorted(root.glob("*.truth.json")):
        truth = json.loads(t.read_text(encoding="utf-8"))
        scan = truth.get("scan")
        if not scan or not scan.get("boxes"):
            continue
        pdf = root / t.name.replace(".truth.json", "") / truth["form_file"]
        k = scan["dpi"] / 72.0
        pages: dict[int, list] = {}
        for b in scan["boxes"]:
            pg = scan["pages"][b["page"] - 1]
            m = _pil_forward(pg["angle_deg"], tuple(pg["translate_px"]), tuple(pg["size_px"]))
            x0, y0, x1, y1 = b["bbox_pt"]
            cx, cy = (x0 + x1) / 2 * k, (y0 + y1) / 2 * k
            pages.setdefault(b["page"], []).append(({"centre_px": [_apply(m, cx, cy), (cx, cy)], "size_px": pg["size_px"],
                                                      "side": max(x1 - x0, y1 - y0), "ticked": b["ticked"]}, "px"))
        for p, bs in sorted(pages.items()):
            yield pdf, p, bs


def _places(b: dict, kind: str, ppp: float, width_px: int, turn) -> list[tuple[float, float]]:
    """The box's centre on the straightened page, by each reading of the record."""
    if kind == "stored":
        pts = [(b["centre"][0] * ppp, b["centre"][1] * ppp)]
    else:
        f = width_px / b["size_px"][0]
        pts = [(x * f, y * f) for x, y in b["centre_px"]]
    if turn.matrix is not None:
        m = np.vstack([turn.matrix, [0, 0, 1]])
        pts = [_apply(m, x, y) for x, y in pts]
    return pts


def _registered(places: list[list[tuple[float, float]]], outlines: np.ndarray) -> list[tuple[float, float]]:
    """Of the readings, the one nearest the printed outlines (median distance), shifted by the
    median offset of the boxes within ``REGISTER_PX`` of one."""
    best = None
    for k in range(len(places[0])):
        pts = np.array([p[k] for p in places])
        d = outlines[None, :, :] - pts[:, None, :]
        near = np.abs(d).max(axis=2).argmin(axis=1)
        off = d[np.arange(len(pts)), near]
        dist = np.abs(off).max(axis=1)
        if best is None or np.median(dist) < best[0]:
            close = off[dist <= REGISTER_PX]
            shift = np.median(close, axis=0) if len(close) else np.zeros(2)
            best = (float(np.median(dist)), pts + shift)
    return [(float(x), float(y)) for x, y in best[1]]


def measure_recorded(sources) -> list[tuple[Evidence, bool]]:
    """(evidence, ticked) of every recorded box, measured where the reader's page has it."""
    out: list[tuple[Evidence, bool]] = []
    for pdf, page, boxes in sources:
        got = next(((im, w) for n, im, w, _ in page_images(pdf) if n == page), None)
        if got is None:
            continue
        rgb, masks, ppp, turn, rule_px = _straight(got[0], got[1])
        ink = (masks.dark & ~masks.red) | masks.blue
        outlines = np.array([(c.bbox.cx, c.bbox.cy) for c in outline_candidates(masks, ppp, rule_px)] or [(-1e9, -1e9)])
        places = _registered([_places(b, kind, ppp, rgb.shape[1], turn) for b, kind in boxes], outlines)
        cands = []
        for (b, _), (cx, cy) in zip(boxes, places):
            side = b["side"] * ppp
            bb = BBox.around(cx, cy, side).as_int()
            cands.append(Candidate(BBox.of(settle(ink, bb, 2)), 2, "recorded"))
        evs = measure(cands, masks, [], _no_labels(), ppp, rule_px)
        out.extend((e, b["ticked"]) for e, (b, _) in zip(evs, boxes))
    return out


def _no_labels():
    from .evidence import Labels
    return Labels([])


def _q(values: list[float], q: float) -> float:
    return float(np.quantile(np.asarray(values, dtype=np.float64), q)) if values else float("nan")


def fit(records: list[tuple[Evidence, bool]], base: Settings) -> tuple[Settings, dict]:
    placed = len(records)
    # a record that landed on no outline (its sides not inked: the record's place and the page
    # disagree) measures the paper or a label beside the box, not the box
    records = [(e, t) for e, t in records if e.sides >= ON_OUTLINE]
    ticked = [e for e, t in records if t]
    empty = [e for e, t in records if not t]
    lo = _q([e.inside for e in empty], 1 - QUANTILE)
    hi = _q([e.inside for e in ticked], QUANTILE)
    notes = {"placed": placed, "boxes": len(records), "ticked": len(ticked), "unticked": len(empty),
             "unticked_inside_top": round(lo, 4), "ticked_inside_bottom": round(hi, 4)}
    new: dict[str, float] = {}
    if hi > lo:
        new["empty_below"] = round(lo + (hi - lo) / 3, 4)
        new["ticked_above"] = round(hi - (hi - lo) / 3, 4)
    else:
        notes["overlap"] = "ticked and unticked ink inside overlap: thresholds left as they were"
    new["pen_ring"] = round(_q([e.pen_around for e in empty], 1 - QUANTILE), 4)
    new["pen_remains"] = round(max(0.01, 2 * _q([e.pen_inside for e in empty], 1 - QUANTILE)), 4)
    new["form_sides"] = round(0.9 * _q([e.sides for e, _ in records], QUANTILE), 3)
    clear = [e.left_clear for e, _ in records if e.left_clear is not None]
    notes["left_clear_bottom"] = round(_q(clear, QUANTILE), 3) if clear else None
    return replace(base, **new), notes


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m extractors.scan.ticks.fit")
    ap.add_argument("--devcorpus", type=Path, default=REPO.parent / "shared" / "devcorpus")
    ap.add_argument("--records", type=Path, help="a JSON file keeping the measured records (read if it exists)")
    ap.add_argument("--write", action="store_true", help=f"write {FITTED.name}")
    a = ap.parse_args(argv)
    sources = list(_recorded_samples())
    if a.devcorpus.is_dir():
        sources += list(_recorded_devcorpus(a.devcorpus))
    if a.records and a.records.exists():
        records = [(Evidence(**r["evidence"]), r["ticked"]) for r in json.loads(a.records.read_text())]
    else:
        records = measure_recorded(sources)
        if a.records:
            a.records.write_text(json.dumps([{"evidence": asdict(e), "ticked": t} for e, t in records]))
    s, notes = fit(records, Settings())
    print(json.dumps(notes, ensure_ascii=False))
    print(s.describe())
    for e, t in records:
        if e.sides >= ON_OUTLINE and ((t and e.inside < s.ticked_above) or (not t and e.inside > s.empty_below)):
            print(f"  {'ticked' if t else 'empty '} box read between: {e}")
    if a.write:
        fitted = {f.name: getattr(s, f.name) for f in fields(s) if f.metadata.get("fitted")}
        FITTED.write_text(json.dumps({"settings": fitted, "data": notes}, ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
        print(f"written {FITTED}")


if __name__ == "__main__":
    main()
