"""The scan generator's box → option assignment (``samples/generator/scan_rendition.py``).

The assignment decides the ground truth of every scanned rendition (which printed box is which
option, ticked or not), so it must match by label and stop rather than guess.  The synthetic
tests need nothing; the print tests run LibreOffice (about 2 s a form) on bases whose forms print
option groups in other layouts than the committed scans' bases — a label cut at the line's end
(gs-longxi-tcm: □投 / 融资服务), a drawn FORMCHECKBOX ending its line (cn-yongkang-hardware),
a □ ending its line with all of its label on the next (gd-chenghai-toys), and a legacy .doc form
(gz-suiyang-chili-doc) — and skip without it.
"""
import json
import random
import shutil
from pathlib import Path

import pytest

from samples.generator.catalog import GROUPS
from samples.generator.scan_rendition import (
    _letters,
    assign_ticks,
    match_group,
    print_pdf,
    printed_boxes,
    untick_docx,
    unticked_copy,
)

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SERVICES = GROUPS["governance.services"][1]


def _box(label: str, wrapped: str = "", page: int = 1) -> dict:
    return {"page": page, "bbox": (0.0, 0.0, 10.0, 10.0), "label": label, "wrapped": wrapped}


# ------------------------------------------------------------------ synthetic
def test_options_printed_in_another_order_are_matched_by_label():
    order = [6, 0, 5, 1, 4, 2, 3]
    region = [_box(SERVICES[i] + "  ") for i in order]
    assert match_group("governance.services", SERVICES, region) == [SERVICES[i] for i in order]


def test_a_label_cut_at_the_line_end_is_read_on_with_the_next_line():
    labels = ["建设或引入国家中小企业公共服务示范平台", "建设或引入省级中小企业公共服务示范平台", "建立了中小企业公共服务平台"]
    region = [_box("建设或引入国家中小企业公共服务示范平台"), _box("建设或引入", "省级中小企业公共服务示范平台"),
              _box("建立了中小企业公共服务平台")]
    assert match_group("governance.platforms", labels, region) == labels
    # without the next line the cut label fits both 建设或引入… options: the third box is sure,
    # the first names 国家…, so the cut one is the only one left — by elimination, not by order
    region[1]["wrapped"] = ""
    assert match_group("governance.platforms", labels, region) == labels


def test_a_box_with_no_label_gets_the_one_option_left():
    region = [_box(s) for s in SERVICES[:5]] + [_box(""), _box("管理咨询")]
    assert match_group("governance.services", SERVICES, region) == SERVICES


def test_two_unlabelled_boxes_cannot_be_told_apart():
    region = [_box(s) for s in SERVICES[:5]] + [_box(""), _box("")]
    with pytest.raises(SystemExit, match="cannot tell"):
        match_group("governance.services", SERVICES, region)


def test_a_label_of_no_option_in_the_group_stops():
    region = [_box(s) for s in SERVICES[:6]] + [_box("其他服务")]
    with pytest.raises(SystemExit, match="其他服务"):
        match_group("governance.services", SERVICES, region)


def test_two_boxes_naming_one_option_stop():
    region = [_box(s) for s in SERVICES[:6]] + [_box("信息服务")]
    with pytest.raises(SystemExit, match="already"):
        match_group("governance.services", SERVICES, region)


def test_assign_ticks_walks_the_groups_and_keeps_print_order():
    rng = random.Random(7)
    boxes, fields = [], {}
    for gid, (kind, labels, _) in GROUPS.items():
        printed = labels[:]
        rng.shuffle(printed)
        boxes += [_box(lab) for lab in printed]
        fields[gid] = labels[-1] if kind == "choice" else labels[:2]
    out = assign_ticks(boxes, fields)
    assert [b["label"] for b in out] == [b["label"] for b in boxes]
    for b in out:
        assert b["option"] == b["label"]
        value = fields[b["group"]]
        assert b["ticked"] == (b["option"] in value if isinstance(value, list) else b["option"] == value)


def test_a_box_too_many_stops():
    boxes = [_box(lab) for _, labels, _ in GROUPS.values() for lab in labels] + [_box("是")]
    with pytest.raises(SystemExit, match="boxes"):
        assign_ticks(boxes, {})


# ------------------------------------------------------------------ real prints
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("base", ["gs-longxi-tcm", "cn-yongkang-hardware", "gd-chenghai-toys"])
def test_the_print_of_a_base_in_another_layout_is_assigned_by_label(tmp_path, base):
    exp = json.loads((SAMPLES / "expected" / f"{base}.json").read_text(encoding="utf-8"))
    docx = tmp_path / "unticked.docx"
    untick_docx(SAMPLES / "dossiers" / base / exp["form_file"], docx)
    boxes = assign_ticks(printed_boxes(print_pdf(docx, tmp_path)), exp["fields"])
    for b in boxes:
        # every box's printed text (its line, and the next line's start where it wraps) is its option
        assert _letters(b["label"] + b["wrapped"]).startswith(_letters(b["option"])), (b["page"], b["option"])
    services = [b for b in boxes if b["group"] == "governance.services"]
    assert [b["option"] for b in services] == SERVICES
    assert [b["option"] for b in services if b["ticked"]] == [s for s in SERVICES if s in exp["fields"]["governance.services"]]
    # the 投融资服务 box ends its printed line: its label is (in part) on the next line
    cut = services[SERVICES.index("投融资服务")]
    assert cut["wrapped"] and cut["label"] != "投融资服务"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_a_legacy_doc_form_prints_with_every_box_empty(tmp_path):
    base = "gz-suiyang-chili-doc"
    exp = json.loads((SAMPLES / "expected" / f"{base}.json").read_text(encoding="utf-8"))
    docx = tmp_path / "unticked.docx"
    unticked_copy(SAMPLES / "dossiers" / base / exp["form_file"], docx)
    # a tick left in the print would be no empty box: the count check in assign_ticks stops
    boxes = assign_ticks(printed_boxes(print_pdf(docx, tmp_path)), exp["fields"])
    values = [exp["fields"][gid] for gid in GROUPS]
    assert sum(b["ticked"] for b in boxes) == sum(len(v) if isinstance(v, list) else 1 for v in values)
