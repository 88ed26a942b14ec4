"""A field's note reaches the clerk and the expert in Chinese: the tick decision's reasons, the
mapper's note codes, and the one table (``pipeline.model.notes``) the memo, the
``field.unreadable`` finding and the review workbench share."""
from __future__ import annotations

import re
from dataclasses import replace

from extractors.mapper.layouts import _scan_box_note
from extractors.scan.ticks.candidates import OUTLINE, Candidate
from extractors.scan.ticks.decision import (
    PRESENCE,
    PRESENCE_ZH,
    STATE,
    STATE_ZH,
    Evidence,
    decide_one,
    load_settings,
)
from pipeline.model import Tick
from pipeline.model.geometry import BBox
from pipeline.model.notes import NOTE_TEXT, PREFIXED, note_text

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _evidence(**kw) -> Evidence:
    base = dict(side_pt=12.6, sides=0.91, inside=0.0, pen_inside=0.0, own_inside=0.0, pen_around=0.0,
                stroke_out=0.0, stroke_shared=False, left_clear=None, read_on="", label="不涉及",
                label_score=100.0, self_score=0.0, label_offset=0.014, label_gap=0.0, left_tight=None, siblings=2)
    base.update(kw)
    return Evidence(**base)


def test_every_row_that_keeps_a_box_and_every_state_has_its_chinese_reason():
    kept_rows = {name for name, _, kept, _ in PRESENCE if kept}
    assert kept_rows == set(PRESENCE_ZH)
    assert {name for name, *_ in STATE} == set(STATE_ZH)
    for text in [*PRESENCE_ZH.values(), *STATE_ZH.values()]:
        assert not LATIN_WORD.search(re.sub(r"\{[^}]*\}", "", text)), text


def test_a_kept_box_carries_its_reason_in_chinese_with_its_measures():
    s = load_settings()
    box = Candidate(BBox(579, 1513, 613, 1548), 2, OUTLINE)
    cases = {
        "ticked": _evidence(inside=0.4, own_inside=0.4, pen_inside=0.3),
        "empty": _evidence(),
        "between": _evidence(inside=(s.empty_below + s.ticked_above) / 2,
                             own_inside=(s.empty_below + s.ticked_above) / 2),
    }
    seen = {}
    for name, e in cases.items():
        v = decide_one(box, e, s)
        assert v.kept, (name, v.reason)
        assert v.why and not LATIN_WORD.search(v.why), (name, v.why)
        assert "不涉及" not in v.why, v.why          # the note names the box by its option
        seen[name] = v.state
    assert seen == {"ticked": True, "empty": False, "between": None}
    assert "介于空框与已勾之间" in decide_one(box, cases["between"], s).why
    dropped = decide_one(box, _evidence(label="", label_score=0.0, siblings=0, label_offset=None), s)
    assert not dropped.kept and dropped.why == ""


def test_the_weakest_scan_box_is_named_by_its_option_in_the_note_and_the_note_reads_in_chinese():
    sure = Tick(True, 0.97, "scan-ink", "outline: …", why="框内笔迹占40%，判为已勾选")
    weak = Tick(None, 0.4, "scan-ink", "outline: …; undecided: …", why="框内墨迹3.0%、框周1.0%，介于空框与已勾之间，无法确定是否勾选")
    note = _scan_box_note([(sure, "是"), (weak, "否")])
    assert note is not None and note.startswith("scan_box:")
    text = note_text(note)
    assert text == "扫描件上选项「否」的勾选框：框内墨迹3.0%、框周1.0%，介于空框与已勾之间，无法确定是否勾选", text
    assert not LATIN_WORD.search(text)
    # a box above the bar, or not a scan's, makes no note
    assert _scan_box_note([(sure, "是")]) is None
    assert _scan_box_note([(replace(weak, encoding="pdf-glyph"), "否")]) is None


def test_every_note_code_reads_as_chinese():
    for code in NOTE_TEXT:
        assert not LATIN_WORD.search(note_text(code)), code
    for code in PREFIXED:
        assert not LATIN_WORD.search(note_text(f"{code}: 是、否")), code
    assert note_text("options_missing: 是、否") == "扫描件上未找到以下选项的勾选框：是、否"
    assert note_text("options_repeated: 3") == "该栏目的选项在单元格中出现3组，取紧邻栏目名称的一组"
    assert note_text(None) == "" and note_text("") == ""
    # a reader's doubt is Chinese already and passes through; an unknown code is shown as it is
    assert note_text("“新”识别概率0.59") == "“新”识别概率0.59"
