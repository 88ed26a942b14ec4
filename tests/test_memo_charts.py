"""The memo's charts (Pillow, ``pipeline/memo/plot.py``): every chart of a dossier drawn at its
print size, with values missing, negative or beyond a threshold, and characters the CJK font
lacks drawn with a fallback font."""
from __future__ import annotations

import copy
import io
from pathlib import Path

import pytest
from PIL import Image

from pipeline.dossiers import discover
from pipeline.memo import charts
from pipeline.memo.fonts import find_cjk_font
from pipeline.memo.plot import Figure, nice_ticks
from pipeline.model.profiles import load_profile
from pipeline.process import Options, process

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "dossiers" / "gx-beiliu-ceramics"
FONT = find_cjk_font()
pytestmark = pytest.mark.skipif(FONT is None or not SAMPLE.is_dir(), reason="no CJK font or sample")


@pytest.fixture(scope="module")
def ext():
    return process(discover([SAMPLE])[0], Options(formats=())).extraction


def _ink_columns(png: bytes) -> int:
    with Image.open(io.BytesIO(png)) as im:
        grey = im.convert("L").point(lambda v: 255 if v < 200 else 0)
        box = grey.getbbox()
    return 0 if box is None else box[2] - box[0]


def test_both_charts_are_drawn_at_print_size(ext):
    drawn = charts.charts(ext, load_profile(ext.profile), FONT)
    assert [c["title"] for c in drawn] == ["集群总产值与主导产业产值", "占比、增速与碳排放强度"]
    for c in drawn:
        with Image.open(io.BytesIO(c["image"].png)) as im:
            assert im.format == "PNG" and im.width == round(160 / 25.4 * 150)
        assert _ink_columns(c["image"].png) > 800          # drawn across the width, not blank


def test_missing_and_negative_values_are_charted(ext):
    odd = copy.deepcopy(ext)
    years = odd.reporting_years
    odd.fields[f"industry.leading_growth.{years[0]}"].value = -12.5
    odd.fields[f"industry.total_output.{years[1]}"].value = None
    odd.fields[f"green.co2_intensity.{years[2]}"].value = None
    drawn = charts.charts(odd, load_profile(odd.profile), FONT)
    assert len(drawn) == 2 and all(_ink_columns(c["image"].png) > 800 for c in drawn)


def test_a_character_the_font_lacks_comes_from_a_fallback_font():
    """Drawn with an installed CJK face that lacks a subscript or unit a form writes (Noto Sans
    CJK lacks ₂), whichever face the memo itself uses."""
    from pipeline.memo.fonts import CJKFont, _fc_list
    from pipeline.memo.plot import _covered, _fallback, font_file
    for installed in _fc_list():
        font = CJKFont(installed.families[0], installed.path)
        have = _covered(*font_file(font.family, font.path))
        lacking = [c for c in "₂₃³㎡℃" if ord(c) not in have and _fallback(c)]
        if lacking:
            break
    else:
        pytest.skip("every installed CJK face has every test character; no fallback to show")
    fig = Figure(40, 20, font)
    ch = lacking[0]
    runs = fig.runs(f"CO{ch}排放", 8)
    assert [text for text, _ in runs] == ["CO", ch, "排放"]
    assert runs[1][1].path != runs[0][1].path


def test_ticks_are_round_and_cover_the_range():
    assert nice_ticks(0, 95.9) == [0, 20, 40, 60, 80]
    assert nice_ticks(-14.2, 21.6, 5) == [-10, 0, 10, 20]
    assert nice_ticks(1.96, 2.41, 5) == [2.0, 2.1, 2.2, 2.3, 2.4]


def test_two_thresholds_with_the_same_words_at_one_value_are_written_once():
    """主导产业 and 中小企业 占比 both need ≥ 70%: one note in the ink colour, not two drawn
    over each other; a different note at the same value is stacked, one at another value kept."""
    refs = [(70.0, "#1", True, 1.0, "认定标准 ≥70%"), (70.0, "#2", True, 1.0, "认定标准 ≥70%"),
            (70.0, "#3", True, 1.0, "省定标准 ≥70%"), (60.0, "#4", False, 1.0, ""), (50.0, "#5", True, 1.0, "下限")]
    assert charts._ref_notes(refs) == [(70.0, "认定标准 ≥70%", charts.INK), (70.0, "省定标准 ≥70%", "#3"),
                                       (50.0, "下限", "#5")]
