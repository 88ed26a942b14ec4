"""Fit the tick stage's thresholds on the boxes both generators record, and write ``fitted.json``.

    python -m extractors.scan.ticks.fit [--devcorpus DIR] [--write]

Sources: the scanned sample renditions (``samples/expected/*.json`` with ``rendition: scan``:
``scan.boxes`` page, centre and side in points on the page as scanned, ticked or not) and the
devcorpus truth files (``scan.boxes`` ``bbox_pt`` before the scanner's skew, with each page's
``angle_deg`` and ``translate_px`` — PIL ``rotate`` about the centre, then the shift).  A
devcorpus ``bbox_pt`` is the box glyph's em square (9.9×10.5 pt), not the printed outline (about
8 pt, set lower in the em square by an amount that depends on the font): so the places, turned
as recorded, are registered on the printed outlines found on the page read (shifted by the
median offset of those within ``REGISTER_PX``), and each box is taken as the outline found
there (``_on_outline``; a square of the page's usual outline side where none was found), not
at the record's size.  Its evidence is then measured (``evidence.measure``, ink alone: no OCR).
From those records:

Records whose least inked side is below ``ON_OUTLINE`` did not land on a printed outline and
are left out (counted in ``fitted.json``).

* ``empty_below`` / ``ticked_above`` — the gap between the own ink inside (``own_inside``: a
  neighbour's stroke taken out) of unticked boxes (its
  ``QUANTILE`` top) and of ticked boxes (its ``QUANTILE`` bottom) cut in thirds: the lower third
  reads empty, the upper ticked, the middle undecided (reported).  The ticked bottom is taken
  over the ticked boxes whose stroke does not run out of them (the ticks the ink inside alone
  must show);
* ``stroke_below`` / ``stroke_above`` — the same for ``stroke_out`` (a tick set off its box,
  its stroke running out of the outline), the ticked bottom over the ticked boxes whose ink
  inside stays below ``ticked_above`` (the ticks the stroke must show);
* ``stroke_inside`` — half the least ink inside (``inside``) of a ticked box: a stroke running out
  of a box starts in it, one grazing its ring from outside is a neighbour's;
* ``pen_ring`` — the pen around unticked boxes (its top ``QUANTILE``): more is a stroke's overrun;
* ``pen_remains`` — the blue inside of unticked boxes (top ``QUANTILE``), doubled: more is a tick;
* ``form_sides`` — the outline sides of recorded boxes (bottom ``QUANTILE``), 0.9 of it;
* ``label_room`` — halfway between where a form prints a label's first glyph after its box
  (``FORM_GAP`` sides) and the least gap between two recorded boxes on one row (in the smaller
  box's sides): closer than that, no label fits between two squares;
* ``size_floor`` — halfway between the largest closed part of a glyph measured as a square
  (``GLYPH_PART``) and the bottom of the recorded boxes' sides over their page's median side
  (the sample renditions record each box's printed side): smaller than that share of the
  page's labelled boxes, a square is no box of the form;
* (reported, not used) the clear paper left of recorded boxes: its bottom is 0, so clear paper
  on a box's left cannot tell a box from 口 in a word.

* ``read_sure`` (``--judged``: every candidate of the recorded pages judged by the page reader,
  OCR included — set ``SCAN_OCR_CACHE`` — with whether it lies on a recorded box) — halfway
  between the recogniser's top probability over recorded boxes read as a character with ink
  inside and no pen (a black tick read 区, 风, M) and its ``QUANTILE`` bottom over the other
  squares under those conditions (a line's characters, read sure).

* ``outline_sides`` (``--judged``) — the ``QUANTILE`` bottom of the least inked side of the
  printed outlines found on recorded boxes: a sibling square showing this much of every side,
  with the pen inside it, is a ticked box even when its label was not read.

The other OCR-dependent settings (``label_match``, ``label_align``, ``label_gap``, ``tight``)
are not fitted yet: they keep their documented defaults.

    python -m extractors.scan.ticks.fit --devcorpus DIR --records R.json --judged J.json \
        [--root TUNING_ROOT ...] [--write]
"""
from __future__ import annotations

import argparse
import json
import math
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Iterator, Optional

import numpy as np

from pipeline.model.geometry import BBox

from ..raster import page_images
from .candidates import Candidate, outline_candidates, settle, usual_side
from .decision import FITTED, Settings
from .evidence import Evidence, measure

QUANTILE = 0.005
ON_OUTLINE = 0.5         # share: a recorded box whose least inked side is below this is off its outline
REGISTER_PX = 12          # px: a recorded box this near a printed outline is that outline
GLYPH_PART = 0.5          # box sides: the largest closed part of a glyph found as a square (口 of 品, 断, 制
                          # on devcorpus D101-002 p5: 10–12 px beside 24 px boxes, 0.42–0.5)
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
    horiz, vert = rule_masks(masks.print, ppp, masks.blue)
    return rgb, masks, ppp, turn, (horiz | vert).astype(bool)


def _recorded_samples(root: Path = REPO / "samples") -> Iterator[tuple[Path, int, list[tuple[dict, str]]]]:
    """(form file, page, [(box, kind)]) where a box is {centre_pt, side_pt, ticked} on the page
    as scanned (``root``: a folder of renditions with ``dossiers/`` and ``expected/``)."""
    for f in sorted((root / "expected").glob("*.json")):
        exp = json.loads(f.read_text(encoding="utf-8"))
        if exp.get("rendition") != "scan" or not exp.get("scan", {}).get("boxes"):
            continue
        pdf = root / "dossiers" / f.stem / exp["form_file"]
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
            pages.setdefault(b["page"], []).append(({"centre_px": [_apply(m, cx, cy)], "size_px": pg["size_px"],
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


def measure_recorded(sources) -> list[tuple[Evidence, bool, str]]:
    """(evidence, ticked, where) of every recorded box, measured where the reader's page has it."""
    out: list[tuple[Evidence, bool, str]] = []
    for pdf, page, boxes in sources:
        got = next(((im, w) for n, im, w, _ in page_images(pdf) if n == page), None)
        if got is None:
            continue
        rgb, masks, ppp, turn, rule_px = _straight(got[0], got[1])
        ink = (masks.dark & ~masks.red) | masks.blue
        found = outline_candidates(masks, ppp, rule_px)
        outlines = np.array([(c.bbox.cx, c.bbox.cy) for c in found] or [(-1e9, -1e9)])
        places = _registered([_places(b, kind, ppp, rgb.shape[1], turn) for b, kind in boxes], outlines)
        usual = usual_side(found, ppp) if found else None
        cands = [_on_outline(ink, cx, cy, b["side"] * ppp, found, usual) for (b, _), (cx, cy) in zip(boxes, places)]
        evs = measure(cands, masks, [], _no_labels(), ppp, rule_px)
        out.extend((e, b["ticked"], f"{pdf.parent.name} p{page} {c.box()}") for e, (b, _), c in zip(evs, boxes, cands))
    return out


def judged_records(sources) -> list[dict]:
    """Every candidate the page reader judged on the recorded pages, OCR included (run it with
    ``SCAN_OCR_CACHE`` set), with its evidence, its verdict and whether it lies on a recorded
    box (its centre within half its side of the box's registered place): the data the
    OCR-dependent presence settings are fitted on."""
    from ..page import scan_page
    out: list[dict] = []
    for pdf, page, boxes in sources:
        got = next(((im, w, h) for n, im, w, h in page_images(pdf) if n == page), None)
        if got is None:
            continue
        rgb, masks, ppp, turn, rule_px = _straight(got[0], got[1])
        found = outline_candidates(masks, ppp, rule_px)
        outlines = np.array([(c.bbox.cx, c.bbox.cy) for c in found] or [(-1e9, -1e9)])
        places = _registered([_places(b, kind, ppp, rgb.shape[1], turn) for b, kind in boxes], outlines)
        sp = scan_page(got[0], page, got[1], got[2], pdf.name)
        for t in sp.ticks:
            c = t.candidate
            on = [b for (b, _), (x, y) in zip(boxes, places)
                  if max(abs(c.bbox.cx - x), abs(c.bbox.cy - y)) <= max(c.side / 2, 3)]
            out.append({"evidence": asdict(t.evidence), "source": c.source, "kept": t.verdict.kept,
                        "state": t.verdict.state, "reason": t.verdict.reason, "box": bool(on),
                        "ticked": bool(on and on[0]["ticked"]),
                        "where": f"{_root_name(pdf)}{pdf.parent.name} p{page} {c.box()}"})
    return out


def _root_name(pdf: Path) -> str:
    """``ROOT/`` of a rendition folder's form (``ROOT/dossiers/NAME/form``) — a tuning seed's
    dossiers carry the base's name — empty for the devcorpus."""
    return f"{pdf.parents[2].name}/" if pdf.parents[1].name == "dossiers" else ""


def _printed_read_on(e: dict, s: Settings) -> bool:
    """The conditions ``decision._print_read_on`` reads a probability under: something read on
    the square, ink inside beyond an empty box's, no pen inside or around it."""
    return bool(e["read_on"]) and e["own_inside"] > s.empty_below and e["pen_inside"] < s.pen_remains \
        and e["pen_around"] < s.pen_ring


def fit_read_sure(judged: list[dict], s: Settings) -> tuple[Optional[float], dict]:
    """``read_sure``: halfway between the recogniser's top probability over the recorded boxes
    read as a character under those conditions (a black pen's tick read 区, 风, M: a guess) and
    its ``QUANTILE`` bottom over the other squares under them (characters of a line, read sure)."""
    ticks = [r["evidence"]["read_score"] for r in judged if r["box"] and _printed_read_on(r["evidence"], s)]
    chars = [r["evidence"]["read_score"] for r in judged if not r["box"] and _printed_read_on(r["evidence"], s)]
    notes = {"judged": len(judged), "boxes_read_as_a_character": len(ticks), "squares_read_as_a_character": len(chars)}
    if not ticks or not chars:
        return None, notes
    top, bottom = max(ticks), _q(chars, QUANTILE)
    notes.update(box_read_top=round(top, 3), character_read_bottom=round(bottom, 3))
    return (round((top + bottom) / 2, 2) if bottom > top else None), notes


def _on_outline(ink: np.ndarray, cx: float, cy: float, side: float, found: list[Candidate],
                usual: Optional[int]) -> Candidate:
    """The recorded box as the printed outline there: the outline found within ``REGISTER_PX``
    of its centre, else a square of the page's usual outline side settled onto the ink.  A
    record may give the box glyph's em square (the devcorpus ``bbox_pt``: 9.9×10.5 pt around a
    printed square of about 8 pt), so its own size is used only where the page shows none."""
    near = [c for c in found if max(abs(c.bbox.cx - cx), abs(c.bbox.cy - cy)) <= REGISTER_PX]
    if near:
        c = min(near, key=lambda c: abs(c.bbox.cx - cx) + abs(c.bbox.cy - cy))
        return Candidate(c.bbox, c.thickness, "recorded")
    bb = BBox.around(cx, cy, usual or side).as_int()
    return Candidate(BBox.of(settle(ink, bb, 2, reach=REGISTER_PX // 2)), 2, "recorded")


def _no_labels():
    from .evidence import Labels
    return Labels([])


def _q(values: list[float], q: float) -> float:
    return float(np.quantile(np.asarray(values, dtype=np.float64), q)) if values else float("nan")


def _thirds(lo: float, hi: float) -> Optional[tuple[float, float]]:
    """(below, above): the gap between ``lo`` (the top of the unticked) and ``hi`` (the bottom
    of the ticked) cut in thirds; None when they overlap."""
    if not hi > lo:
        return None
    return round(lo + (hi - lo) / 3, 4), round(hi - (hi - lo) / 3, 4)


def _shown_by(ticked: list[Evidence], measure: str, other: str, other_top: float) -> list[float]:
    """The ``measure`` of the ticked boxes that the ``other`` measure leaves at the unticked
    level (``other_top``): the ticks this measure alone must show (all ticked if none)."""
    alone = [getattr(e, measure) for e in ticked if getattr(e, other) <= other_top]
    return alone or [getattr(e, measure) for e in ticked]


def _row_gaps(wheres: list[str]) -> list[float]:
    """Gaps between two recorded boxes on one row (centres within half a side), in the smaller
    box's sides, from the records' ``where`` (``name pN (x0, y0, x1, y1)``, px)."""
    import re
    pages: dict[str, list[BBox]] = {}
    for w in wheres:
        m = re.match(r"(.*) \((-?\d+), (-?\d+), (-?\d+), (-?\d+)\)$", w)
        if m:
            pages.setdefault(m.group(1), []).append(BBox(*map(float, m.groups()[1:])))
    out = []
    for boxes in pages.values():
        for a in boxes:
            for b in boxes:
                side = min(a.width, b.width)
                if b.x0 > a.x0 and a.x_overlap(b) <= 0 and abs(a.cy - b.cy) < side / 2:
                    out.append((b.x0 - a.x1) / side)
    return out


def side_ratios() -> list[float]:
    """Each recorded box's side over the median side of its page's recorded boxes (the sample
    renditions, whose records give the printed side; a devcorpus record gives the glyph's em
    square, one size for all)."""
    out = []
    for _, _, boxes in _recorded_samples():
        sides = sorted(b["side"] for b, _ in boxes)
        out += [b["side"] / sides[len(sides) // 2] for b, _ in boxes]
    return out


def fit(records: list[tuple[Evidence, bool]], base: Settings, wheres: Optional[list[str]] = None) -> tuple[Settings, dict]:
    placed = len(records)
    records_all = records
    # a record that landed on no outline (its sides not inked: the record's place and the page
    # disagree) measures the paper or a label beside the box, not the box
    records = [(e, t) for e, t in records if e.sides >= ON_OUTLINE]
    ticked = [e for e, t in records if t]
    empty = [e for e, t in records if not t]
    lo_i = _q([e.own_inside for e in empty], 1 - QUANTILE)
    lo_s = _q([e.stroke_out for e in empty], 1 - QUANTILE)
    hi_i = _q(_shown_by(ticked, "own_inside", "stroke_out", lo_s), QUANTILE)
    # the ticks the stroke must show are those the ink inside does not read as ticked (below
    # ``ticked_above``): over the ticks holding no more ink than an unticked box (the subset
    # used before) one tick was left, and the gap fitted on it read an unticked box touched
    # by a neighbour's stroke (0.008 of its ring) as ticked at 0.86 (t4a beiliu p3)
    cut_i = _thirds(lo_i, hi_i)
    shows_i = cut_i[1] if cut_i else hi_i
    hi_s = _q([e.stroke_out for e in ticked if e.own_inside < shows_i] or [e.stroke_out for e in ticked], QUANTILE)
    notes: dict = {"placed": placed, "boxes": len(records), "ticked": len(ticked), "unticked": len(empty),
                   "unticked_inside_top": round(lo_i, 4), "ticked_inside_bottom": round(hi_i, 4),
                   "unticked_stroke_top": round(lo_s, 4), "ticked_stroke_bottom": round(hi_s, 4)}
    new: dict[str, float] = {}
    for names, lo, hi in ((("empty_below", "ticked_above"), lo_i, hi_i), (("stroke_below", "stroke_above"), lo_s, hi_s)):
        cut = _thirds(lo, hi)
        if cut is None:
            notes[f"overlap_{names[0]}"] = "ticked and unticked overlap: thresholds left as they were"
        else:
            new.update(zip(names, cut))
    # a stroke running out of a box starts inside it: no recorded ticked box holds no ink at all
    # (the least, 0.019, a tick sharing its stroke); a neighbour's stroke grazing an empty box's
    # ring from outside leaves none (held-out s7c dingxi p3 basic.water_efficiency: 不涉及 read
    # ticked at 0.995 beside the ticked 是, silently)
    if ticked:
        notes["ticked_inside_least"] = round(min(e.inside for e in ticked), 4)
        new["stroke_inside"] = round(notes["ticked_inside_least"] / 2, 4)
    new["pen_ring"] = round(_q([e.pen_around for e in empty], 1 - QUANTILE), 4)
    new["pen_remains"] = round(max(0.01, 2 * _q([e.pen_inside for e in empty], 1 - QUANTILE)), 4)
    new["form_sides"] = round(0.9 * _q([e.sides for e, _ in records], QUANTILE), 3)
    gaps = _row_gaps([w for w, (e, _) in zip(wheres or [], records_all) if e.sides >= ON_OUTLINE])
    if gaps:
        from . import FORM_GAP
        notes["row_gap_bottom"] = round(min(gaps), 3)
        new["label_room"] = round((FORM_GAP + min(gaps)) / 2, 2)
    ratios = side_ratios()
    if ratios:
        notes["side_ratio_bottom"] = round(min(ratios), 3)
        new["size_floor"] = round((GLYPH_PART + min(ratios)) / 2, 2)
    clear = [e.left_clear for e, _ in records if e.left_clear is not None]
    notes["left_clear_bottom"] = round(_q(clear, QUANTILE), 3) if clear else None
    return replace(base, **new), notes


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m extractors.scan.ticks.fit")
    ap.add_argument("--devcorpus", type=Path, default=REPO.parent / "shared" / "devcorpus")
    ap.add_argument("--records", type=Path, help="a JSON file keeping the measured records (read if it exists)")
    ap.add_argument("--write", action="store_true", help=f"write {FITTED.name}")
    ap.add_argument("--judged", type=Path, help="a JSON file keeping every judged candidate, OCR included "
                                                "(read if it exists; made with SCAN_OCR_CACHE set)")
    ap.add_argument("--root", type=Path, action="append", default=[],
                    help="more rendition folders (dossiers/ + expected/) to measure, e.g. a tuning seed")
    a = ap.parse_args(argv)
    sources = list(_recorded_samples())
    if a.devcorpus.is_dir():
        sources += list(_recorded_devcorpus(a.devcorpus))
    judged = None
    if a.judged:
        if a.judged.exists():
            judged = json.loads(a.judged.read_text())
        else:
            judged = judged_records(sources + [x for r in a.root for x in _recorded_samples(r)])
            a.judged.write_text(json.dumps(judged, ensure_ascii=False))
    if a.records and a.records.exists():
        records = [(Evidence(**r["evidence"]), r["ticked"], r.get("where", "")) for r in json.loads(a.records.read_text())]
    else:
        records = measure_recorded(sources)
        if a.records:
            a.records.write_text(json.dumps([{"evidence": asdict(e), "ticked": t, "where": w} for e, t, w in records]))
    s, notes = fit([(e, t) for e, t, _ in records], Settings(), [w for _, _, w in records])
    if judged:
        sure, more = fit_read_sure(judged, s)
        notes.update(more)
        if sure is not None:
            s = replace(s, read_sure=sure)
        printed = [r["evidence"]["sides"] for r in judged if r["box"] and r["source"] == "outline"]
        if printed:
            # the sides a printed outline shows where the reader found one on a recorded box
            notes["outline_sides_bottom"] = round(_q(printed, QUANTILE), 3)
            s = replace(s, outline_sides=round(_q(printed, QUANTILE), 2))
    print(json.dumps(notes, ensure_ascii=False))
    print(s.describe())
    for e, t, w in records:
        shows = e.own_inside >= s.ticked_above or e.stroke_out >= s.stroke_above
        hides = e.own_inside <= s.empty_below and e.stroke_out <= s.stroke_below
        if e.sides >= ON_OUTLINE and ((t and not shows) or (not t and not hides)):
            print(f"  {'ticked' if t else 'empty '} box read between ({w}): {e}")
    if a.write:
        fitted = {f.name: getattr(s, f.name) for f in fields(s) if f.metadata.get("fitted")}
        FITTED.write_text(json.dumps({"settings": fitted, "data": notes}, ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
        print(f"written {FITTED}")


if __name__ == "__main__":
    main()
