"""The decision: two ordered tables of (test → verdict, reason), read top to bottom, first match.

``PRESENCE`` says whether a candidate is a tick box of the form (kept) or not (dropped);
``STATE`` says, for a kept box, ticked / unticked / undecided and how sure.  The two are apart:
a box is not dropped for being doubtful, and its confidence is never an on/off switch — a kept
box read below the bar (``UNREADABLE_BELOW``, 0.75) is reported by the mapper as
``field.unreadable``.  Every threshold is in :class:`Settings` with its unit; the fitted ones
come from ``fitted.json``, written by ``python -m extractors.scan.ticks.fit`` from the boxes
both generators record.  The verdict's reason travels with the box (``Glyph.raw``, English, for
the debug view and administrators); a kept box's ``why`` says the same in the words a clerk and
an expert read (``Glyph.why`` → the field's note when the box is below the bar).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Callable, Optional

from pipeline.model.extraction import UNREADABLE_BELOW

from .candidates import FORM, FORM_GAP, OUTLINE, PRIORITY, SIBLING, Candidate
from .evidence import Evidence

FITTED = Path(__file__).with_name("fitted.json")


def _u(unit: str, fitted: bool = False):
    return {"unit": unit, "fitted": fitted}


@dataclass(frozen=True)
class Settings:
    # presence
    label_match: float = field(default=80.0, metadata=_u("rapidfuzz ratio 0–100"))
    label_align: float = field(default=0.35, metadata=_u("line heights"))
    label_gap: float = field(default=1.0, metadata=_u("line heights"))
    pen_remains: float = field(default=0.05, metadata=_u("share of the inside blue", True))
    tight: float = field(default=0.3, metadata=_u("line heights"))
    word_gap: float = field(default=0.6, metadata=_u("line heights"))
    form_sides: float = field(default=0.5, metadata=_u("share of the least inked side", True))
    clash_gap: float = field(default=0.1, metadata=_u("box sides"))
    line_side: float = field(default=0.67, metadata=_u("line heights of the option labels' OCR lines"))
    label_room: float = field(default=0.7, metadata=_u("box sides", True))
    size_floor: float = field(default=0.69, metadata=_u("share of the side of the page's labelled boxes", True))
    read_sure: float = field(default=0.85, metadata=_u("recogniser probability 0–1", True))
    outline_sides: float = field(default=0.71, metadata=_u("share of the least inked side", True))
    # state
    empty_below: float = field(default=0.03, metadata=_u("share of the inside inked", True))
    ticked_above: float = field(default=0.09, metadata=_u("share of the inside inked", True))
    stroke_below: float = field(default=0.01, metadata=_u("share of the ring inked by its strokes", True))
    stroke_above: float = field(default=0.03, metadata=_u("share of the ring inked by its strokes", True))
    # a stroke that runs out of a box starts in it: half the least ink inside of a recorded ticked box
    stroke_inside: float = field(default=0.0095, metadata=_u("share of the inside inked", True))
    pen_ring: float = field(default=0.03, metadata=_u("share of the ring blue", True))
    sure: float = field(default=0.8, metadata=_u("confidence at a threshold"))
    overrun: float = field(default=0.6, metadata=_u("confidence"))
    undecided: float = field(default=0.4, metadata=_u("confidence"))

    def describe(self) -> str:
        return "\n".join(f"{f.name:<14}{getattr(self, f.name):>10.4g}  {f.metadata['unit']}"
                         f"{'  (fitted)' if f.metadata.get('fitted') else ''}" for f in fields(self))


def load_settings(path: Path = FITTED) -> Settings:
    """The settings with the fitted values from ``fitted.json`` (defaults where it has none)."""
    s = Settings()
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        known = {f.name for f in fields(Settings)}
        s = replace(s, **{k: float(v) for k, v in data.get("settings", {}).items() if k in known})
    return s


@dataclass(frozen=True)
class Verdict:
    kept: bool
    state: Optional[bool]
    confidence: float
    reason: str
    why: str = ""           # a kept box: its state's reason in Chinese, for the field's note


@dataclass(frozen=True)
class TickBox:
    candidate: Candidate
    evidence: Evidence
    verdict: Verdict


Test = Callable[[Evidence, Candidate, Settings], bool]


def _text(e: Evidence) -> bool:
    """A character read on the box: Chinese, a digit or a per cent sign (a box under a pen tick
    is read as a sign, a Latin letter or nothing)."""
    return any("\u3400" <= ch <= "\u9fff" or ch.isdigit() or ch in "%％" for ch in e.read_on)


def _labelled(e: Evidence, c: Candidate, s: Settings) -> bool:
    """An option label of the catalogue follows on the box's line; a box placed by the form's
    knowledge alone must show its printed outline there too."""
    if c.source == FORM and e.sides < s.form_sides:
        return False
    return (e.label_score >= s.label_match and e.label_offset is not None and e.label_offset <= s.label_align
            and e.label_gap is not None and e.label_gap <= s.label_gap)


def _print_read_on(e: Evidence, s: Settings) -> bool:
    """The ink inside it is a character the OCR read sure, not a pen's: something read on it at
    ``read_sure`` or more, ink inside beyond an empty box's (``empty_below``) and no pen inside
    or around it.  An empty box read as 口 is sure but holds no ink; a tick of a black pen read as
    a character (区 风 M) is a guess — the top of the recorded ticks' probability lies below
    ``read_sure`` (``fit``); a blue tick shows its pen.  The 六 of 六是 and the IS of ISO9001,
    squares of a box's size found among a line's characters, are read sure."""
    return (bool(e.read_on) and e.read_score >= s.read_sure and e.own_inside > s.empty_below
            and e.pen_inside < s.pen_remains and e.pen_around < s.pen_ring)


def _printed_box(e: Evidence, c: Candidate, s: Settings) -> bool:
    """Its printed outline shows on every side (``outline_sides``) and an option label follows
    it as a form prints one (``_labelled``): a box, whatever the recogniser makes of the pen
    inside it — a black ✗ read as 风 at 0.86 (samples renhuai p12 ``governance.services``, with
    the detector in bands; 0.75 at most on whole pages).  The characters taken for squares
    (六 企 IS) show no outline: their sides measure 0.41–0.73."""
    return e.sides >= s.outline_sides and _labelled(e, c, s)


def _in_word(e: Evidence, s: Settings) -> bool:
    """Characters read tight against it on both sides, and no option label after it (口 in
    出口: a form sets a box after a space or at a line's start, before its label).  The ink's
    clear paper on its left (``left_clear``) is no test: recorded boxes sit with print right
    against them (the bottom of its distribution over the recorded boxes is 0).  ``word_gap``
    (0.6 line heights): over the 8427 candidates judged on the recorded pages (``fit
    --judged``), no recorded box reaches this test with text within 0.8 line heights on both
    sides, while printed outlines in words that the rule after it kept ran to 0.53 (0.3 had let
    the 口 of 出口 through at 0.32 with the detector in bands: samples suiyang p11 ``open.text``,
    and s5L rongxian, 出口贸易额 read 出贸易额, silent)."""
    return (e.left_tight is not None and e.left_tight < s.word_gap and e.label_gap is not None
            and e.label_gap < s.word_gap)


def _across_wrap(e: Evidence, s: Settings) -> bool:
    """A square starting its row where the line above runs on into it (``wraps_on``: a full line
    ending with a Chinese character), text tight after it (``word_gap``) that starts no option
    label, and nothing inside it: a character of a word cut by the wrap — the 口 of 出口 at the
    start of 口贸易额增长率（%）, its first glyph 出 ending the line above in a label cell (s8b
    yongkang, chenghai, s8a planted-cn-evidence, planted-gs-form p11 and the samples' p11: a
    printed outline of box size with siblings, painted out before the OCR, kept by «outline with
    siblings»; its 口 left the text).  ``inside a word`` does not see it: nothing is read left of
    it on its row.  Over the judged candidates of the samples, s8a, s8b and the devcorpus scans,
    the recorded boxes kept with text that tight after them and no option label either follow a
    short line (a 否 box under 是) or hold a tick."""
    return (e.wraps_on and e.label_score < s.label_match and e.label_gap is not None and e.label_gap < s.word_gap
            and e.own_inside <= s.empty_below and e.pen_inside < s.pen_remains and not e.read_on)


# (name, test, kept, reason): the first test that holds decides; a kept row's Chinese is in PRESENCE_ZH
PRESENCE: list[tuple[str, Test, bool, str]] = [
    ("own label", lambda e, c, s: bool(e.read_on) and e.self_score >= s.label_match and e.self_score > e.label_score,
     False, "«{read_on}» read on it starts option «{label}»: a label's first character"),
    ("character read on it", lambda e, c, s: _print_read_on(e, s) and not _printed_box(e, c, s), False,
     "«{read_on}» read on it at {read_score:.2f}, print inside ({own_inside:.3f}) and no pen: a character"),
    ("option label after", lambda e, c, s: _labelled(e, c, s), True, "before option «{label}» ({label_score:.0f})"),
    ("text read on it", lambda e, c, s: _text(e) and e.pen_inside < s.pen_remains, False,
     "«{read_on}» read on it, no pen inside, no option label after it"),
    ("inside a word", lambda e, c, s: _in_word(e, s), False,
     "characters read tight on both sides ({left_tight:.2f}, {label_gap:.2f} line heights), no option "
     "label after it: a character in a word"),
    ("word across a wrap", lambda e, c, s: _across_wrap(e, s), False,
     "the line above runs on into it, text {label_gap:.2f} line heights after it, no option label and nothing "
     "inside: a character of a word cut by a wrap"),
    ("outline with siblings", lambda e, c, s: c.source == OUTLINE and e.siblings > 0, True,
     "printed outline with {siblings} sibling(s)"),
    ("pen in its outline", lambda e, c, s: c.source == SIBLING and e.sides >= s.outline_sides and not e.read_on
     and e.siblings > 0 and e.pen_inside >= s.pen_remains, True,
     "its outline shows on every side ({sides:.2f}), the pen inside it ({pen_inside:.3f}), nothing read on it and "
     "{siblings} sibling(s): a ticked box whose label was not read"),
    ("text after, siblings", lambda e, c, s: e.label_offset is not None and e.label_offset <= s.label_align
     and e.siblings > 0 and (c.source == OUTLINE or (c.source == SIBLING and e.sides >= s.outline_sides))
     and (e.left_tight is None or e.left_tight >= s.tight),
     True, "text after it, none tight before it, and {siblings} sibling(s)"),
    ("nothing for it", lambda e, c, s: True, False, "no option label after it and no printed outline with a sibling"),
]


# why a kept box is a box, in the clerk's words (the rows of PRESENCE that keep one)
PRESENCE_ZH = {
    "option label after": "",      # the note names the box by its option already
    "outline with siblings": "印有方框轮廓，同行另有{siblings}个同样的方框",
    "pen in its outline": "方框四边可见、框内有笔迹，框上未识别出文字，同行另有{siblings}个方框",
    "text after, siblings": "其后有文字、其前无紧邻文字，同行另有{siblings}个方框",
}


def _ramp(margin: float, scale: float, s: Settings) -> float:
    return round(s.sure + (1.0 - s.sure) * max(0.0, min(1.0, margin / max(1e-6, scale))), 3)


# (name, test, state, confidence, reason); each row's Chinese is in STATE_ZH
STATE: list[tuple[str, Test, Optional[bool], Callable[[Evidence, Settings], float], str]] = [
    ("ink inside", lambda e, c, s: e.own_inside >= s.ticked_above, True,
     lambda e, s: _ramp(e.own_inside - s.ticked_above, s.ticked_above, s), "ink {own_inside:.3f} of its own inside"),
    ("stroke runs out", lambda e, c, s: e.stroke_out >= s.stroke_above and e.inside >= s.stroke_inside, True,
     lambda e, s: s.overrun if e.stroke_shared else _ramp(e.stroke_out - s.stroke_above, s.stroke_above, s),
     "its stroke runs out of it ({stroke_out:.3f} of the ring), ink {inside:.3f} inside"
     "{_shared}"),
    ("empty", lambda e, c, s: e.own_inside <= s.empty_below and e.stroke_out <= s.stroke_below
     and (e.pen_around < s.pen_ring or e.own_inside <= s.empty_below / 2 or e.own_inside < e.inside),
     False, lambda e, s: min(_ramp(s.empty_below - e.own_inside, s.empty_below, s),
                             _ramp(s.stroke_below - e.stroke_out, s.stroke_below, s)),
     "ink {own_inside:.3f} of its own inside, {stroke_out:.3f} of the ring"),
    ("pen overrun", lambda e, c, s: e.pen_around >= s.pen_ring, True, lambda e, s: s.overrun,
     "a little ink inside ({own_inside:.3f}) and pen around ({pen_around:.3f}): its stroke or a neighbour's"),
    ("undecided", lambda e, c, s: True, None, lambda e, s: s.undecided,
     "ink {own_inside:.3f} inside, {stroke_out:.3f} of the ring: between empty and ticked"),
]


# the state's reason in the clerk's words; ink is a share of the box's inside or of its ring
STATE_ZH = {
    "ink inside": "框内笔迹占{own_inside:.0%}，判为已勾选",
    "stroke runs out": "笔画伸出框外（占框周{stroke_out:.0%}），判为已勾选{_shared_zh}",
    "empty": "框内墨迹{own_inside:.1%}、框周{stroke_out:.1%}，判为未勾选",
    "pen overrun": "框内墨迹很少（{own_inside:.1%}），框周有笔迹（{pen_around:.1%}），判为已勾选，但笔迹可能属于相邻的勾选框",
    "undecided": "框内墨迹{own_inside:.1%}、框周{stroke_out:.1%}，介于空框与已勾之间，无法确定是否勾选",
}
GUESSED_SIZE_ZH = "；页面上未找到印刷的方框轮廓，框的大小为估计"


def _fmt(reason: str, e: Evidence) -> str:
    shared = ", the stroke touches another box too: whose it is was judged" if e.stroke_shared else ""
    shared_zh = "；该笔画同时触及另一勾选框，归属为推断" if e.stroke_shared else ""
    return reason.format(_shared=shared, _shared_zh=shared_zh, **{f.name: getattr(e, f.name) for f in fields(e)})


def present(c: Candidate, e: Evidence, s: Settings) -> bool:
    """Whether the presence table keeps the candidate (it reads no stroke evidence)."""
    return next(kept for _, test, kept, _ in PRESENCE if test(e, c, s))


def decide_one(c: Candidate, e: Evidence, s: Settings) -> Verdict:
    for name, test, kept, reason in PRESENCE:
        if test(e, c, s):
            break
    why = f"{c.source}: {name}: {_fmt(reason, e)}"
    if not kept:
        return Verdict(False, None, 0.0, why)
    for sname, stest, state, conf, sreason in STATE:
        if stest(e, c, s):
            zh = "；".join(t for t in (_fmt(PRESENCE_ZH[name], e), _fmt(STATE_ZH[sname], e)) if t)
            if not e.side_known:        # sized by a guess: what it holds is measured on a guess
                return Verdict(True, state, min(conf(e, s), s.overrun),
                               f"{why}; {sname}: {_fmt(sreason, e)}; no printed outline on the page: its size is a guess",
                               zh + GUESSED_SIZE_ZH)
            return Verdict(True, state, conf(e, s), f"{why}; {sname}: {_fmt(sreason, e)}", zh)
    raise AssertionError("the last state test always holds")


def _clash(a: TickBox, b: TickBox, s: Settings) -> bool:
    """Two boxes closer than a form prints them: overlapping, or less than ``clash_gap`` of a side
    apart one above the other — unless they do not overlap and each stands before an option
    label of its own (two boxes of a column, one found a little off its outline: a column
    sibling under a heavy ✗ drifted onto the stroke's top, 2 px under the box above — held-out
    s5t beiliu p3 basic.provincial_cluster, its ticked 是 dropped, the group read empty)."""
    ca, cb = a.candidate, b.candidate
    m = s.clash_gap * min(ca.side, cb.side)
    if not (ca.bbox.x_overlap(cb.bbox) > 0 and ca.bbox.overlaps(cb.bbox, m)):
        return False
    own = (ca.bbox.overlap(cb.bbox) == 0 and _labelled(a.evidence, ca, s) and _labelled(b.evidence, cb, s)
           and a.evidence.label != b.evidence.label)
    return not own


def _glyph_on(b: TickBox, s: Settings) -> bool:
    """A glyph lies on it and its outline does not show on every side: more likely a glyph of
    a label than the label's box, beside a rival for the same option.  A glyph lies on it
    where something was read on it, or where the glyph read before it reaches into it
    (``left_tight`` below 0 — no recorded box has one: 0 is the bottom over the 219 judged
    on the recorded pages with a character before them).  RapidOCR's box of 是 in 是□否
    swallowed the square found on 是's right half, so nothing was read *on* it; that square,
    labelled 否 0.20 line heights on, was closer to where a form prints a label than 否's own
    printed box (−0.05) and took the option, then was dropped as standing in 是's label place:
    否 lost its box (held-out s7b chenghai p8 ``digital.software_rising``).  The same with 收
    of 回收 before 水资源… (s7b yongkang p9: a square on 收's tail took the option from the
    ticked box 3 px right of it)."""
    e = b.evidence
    return (bool(e.read_on) or (e.left_tight is not None and e.left_tight < 0)) and e.sides < s.outline_sides


def _one_per_option(boxes: list[TickBox], s: Settings) -> list[TickBox]:
    """An option has one box: of boxes kept for the same option label on the same line, the one
    whose label matches best, then the one the label follows as a form prints it (``_labelled``:
    not a square a glyph further left — over 是 of a 是/否 pair), then of two squares apart the one
    its label follows as a form prints it (``FORM_GAP`` sides, ``line_side`` line heights to a
    side): a square over 是 is labelled 否 0.93 line heights on, 否's own box −0.12 (devcorpus
    D101-002 p3 with the detector in bands: the first was taken, then dropped for clashing
    with 是's box, and 否 lost its box); a square over the label's own first glyph starts it
    before its right edge (−0.30, D101-008 p8, where 是's box is 0.37 before it) — then the
    surer source, then the one whose outline shows best (``sides``: of one square found twice,
    at two places a few px apart, the place its outline lies on), then the leftmost, stays.
    Before the gap, a square with a glyph on it and its outline not on every side loses to one
    without (``_glyph_on``): the OCR read 引引进了…
    over an empty printed box and a square found on the label's first glyph; the glyph's square,
    its label 0.33 line heights on, was the closer to where a form prints it and was read ticked
    at 0.98, silently (held-out s7b pingxiang p11 ``open.activities``)."""
    kept = [b for b in boxes if b.verdict.kept and b.evidence.label_score >= s.label_match]
    out = []

    def rank(b: TickBox, apart: bool) -> tuple:
        gap = b.evidence.label_gap
        printed = FORM_GAP * s.line_side        # where a form prints the label after its box, line heights
        closest = (abs(gap - printed) if gap is not None else float("inf")) if apart else 0.0
        return (-b.evidence.label_score, not _labelled(b.evidence, b.candidate, s), _glyph_on(b, s), closest,
                PRIORITY[b.candidate.source], -b.evidence.sides, b.candidate.bbox.x0)

    def beats(o: TickBox, b: TickBox) -> bool:
        # two squares apart: the label's own is the one it follows closest; one square found
        # twice (overlapping): the surer source's
        apart = o.candidate.bbox.overlap(b.candidate.bbox) == 0
        return rank(o, apart) < rank(b, apart)

    for b in boxes:
        rivals = [o for o in kept if o is not b and o.evidence.label == b.evidence.label
                  and abs(o.candidate.bbox.cy - b.candidate.bbox.cy) < b.candidate.side]
        winners = [o for o in rivals if beats(o, b)] if b in kept else []
        if winners:
            best = winners[0]
            b = replace(b, verdict=Verdict(False, None, 0.0, f"{b.candidate.source}: option «{b.evidence.label}» "
                                                              f"has its box at {best.candidate.box()}"))
        out.append(b)
    return out


def _form_size(boxes: list[TickBox], s: Settings) -> list[TickBox]:
    """A form prints its tick boxes at one size: a kept box smaller than ``size_floor`` of the
    median side of the page's boxes standing before an option label (``_labelled``) is a closed
    part of a glyph — the 口 in 品, 断, 制 — not a box (devcorpus D101-002 p5: such squares kept
    as ticked split the option labels they stood in), unless an option label read in full
    follows it.  Larger ones are left to the other tests."""
    sides = sorted(b.candidate.side for b in boxes if b.verdict.kept and _labelled(b.evidence, b.candidate, s))
    if not sides:
        return boxes
    usual = sides[len(sides) // 2]
    return [replace(b, verdict=Verdict(False, None, 0.0, (
                f"{b.candidate.source}: {b.candidate.side / usual:.2f} of the side of the page's labelled boxes "
                f"({usual:.0f} px): a closed part of a glyph")))
            if b.verdict.kept and b.candidate.side < s.size_floor * usual and not _own_label(b, s) else b
            for b in boxes]


def _own_label(b: TickBox, s: Settings) -> bool:
    """The box stands right before an option label read in full (its first characters, 100)."""
    return _labelled(b.evidence, b.candidate, s) and b.evidence.label_score >= 100.0


def _in_label_place(boxes: list[TickBox], s: Settings) -> list[TickBox]:
    """A box's label follows it: of two kept boxes on one row less than ``label_room`` sides
    apart (no glyph of a label fits between them), the right one stands where the left one's
    label starts — the label's first character taken for a square (与 of 与境外…, an outline
    with siblings painted out before the OCR, so the text after it read 境外… as its label) —
    unless the left one has characters read tight before it (it is then a character of the
    text before the right one).  ``label_room`` lies between where a form prints a label's
    first glyph (``FORM_GAP`` sides after its box) and the closest two recorded boxes on a row."""
    kept = sorted((i for i, b in enumerate(boxes) if b.verdict.kept), key=lambda i: boxes[i].candidate.bbox.x0)
    out = list(boxes)
    gone: set[int] = set()
    for i in kept:
        for j in kept:
            a, b = out[i].candidate, out[j].candidate
            if i in gone or j in gone or b.bbox.x0 <= a.bbox.x0 or a.bbox.x_overlap(b.bbox) > 0:
                continue
            side = min(a.side, b.side)
            if abs(a.bbox.cy - b.bbox.cy) >= side / 2 or (b.bbox.x0 - a.bbox.x1) / side >= s.label_room:
                continue
            tight = out[i].evidence.left_tight
            k, other = (i, b) if tight is not None and tight < s.tight else (j, a)
            gone.add(k)
            out[k] = replace(out[k], verdict=Verdict(False, None, 0.0, (
                f"{out[k].candidate.source}: in the label's place of the box at {other.box()}: "
                f"{(b.bbox.x0 - a.bbox.x1) / side:.2f} sides apart, no room for a label between them")))
    return out


def _form_page_only(boxes: list[TickBox], s: Settings) -> list[TickBox]:
    """Tick boxes are the form's: on a page whose text was read (``page_read``) and where no
    kept box stands before an option label of the catalogue (a chart, a photograph, a poster
    among the evidence — its title's square characters, a diagram's nodes), no square is a
    tick box."""
    if any(b.verdict.kept and _labelled(b.evidence, b.candidate, s) for b in boxes):
        return boxes
    return [replace(b, verdict=Verdict(False, None, 0.0, f"{b.candidate.source}: no box of this page stands "
                                                          f"before an option label of the form: not a form page"))
            if b.verdict.kept else b for b in boxes]


def decide(cands: list[Candidate], evs: list[Evidence], s: Settings, page_read: bool = False) -> list[TickBox]:
    """Every candidate with its verdict (``page_read``: the page's text was read, so a page
    without any option label of the form keeps no box).  Of kept candidates that clash, the one of the surer
    source (outline, sibling, form, pen), then the better label, stays; the others are dropped
    with the reason."""
    boxes = _one_per_option([TickBox(c, e, decide_one(c, e, s)) for c, e in zip(cands, evs)], s)
    boxes = _in_label_place(_form_size(boxes, s), s)
    if page_read:
        boxes = _form_page_only(boxes, s)
    order = sorted(range(len(boxes)), key=lambda i: (not boxes[i].verdict.kept, PRIORITY[cands[i].source],
                                                     -evs[i].label_score, evs[i].label_offset or 9.0))
    winners: list[TickBox] = []
    out: dict[int, TickBox] = {}
    for i in order:
        b = boxes[i]
        if b.verdict.kept:
            other = next((w for w in winners if _clash(b, w, s)), None)
            if other is not None:
                b = replace(b, verdict=Verdict(False, None, 0.0, f"{b.candidate.source}: clashes with the "
                                                                   f"{other.candidate.source} box at {other.candidate.box()}"))
            else:
                winners.append(b)
        out[i] = b
    return [out[i] for i in range(len(boxes))]


def confident(v: Verdict) -> bool:
    return v.confidence >= UNREADABLE_BELOW
