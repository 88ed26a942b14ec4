"""Every criteria profile is data with a source: each threshold's number and operator word
stand in its quote, the operator follows the word (以上/不低于/不少于 ≥, 高于/超过 >, 不超过 ≤),
and the quote stands in the source text it cites (copied verbatim under
validators/profiles/sources/).  Likewise the plan's 备注 a–g.  No document is read."""
import re
from pathlib import Path

import pytest
import yaml

from pipeline.model.profiles import PROFILE_DIR, SOURCE_DIR, detect_profile, list_profiles, load_profile
from validators.plan import plan_data
from validators.registry import RULES

WORD_OP = {"以上": "≥", "不低于": "≥", "不少于": "≥", "达到": "≥", "降低达到": "≥", "下降达到": "≥",
           "高于": ">", "超过": ">", "不超过": "≤", "maximum": "≤", "≥": "≥", ">": ">", "≤": "≤"}
SEEDS = Path("/work/shared/seeds")


def flat(s: str) -> str:
    """Comparison form of a source text: markdown emphasis and every white space removed."""
    return re.sub(r"\s+", "", s.replace("**", ""))


def thresholds():
    for name in list_profiles():
        p = load_profile(name)
        for i, t in enumerate(p.thresholds):
            yield pytest.param(p, t, id=f"{name}-{i}-{t['rule']}")


def test_the_five_issuers_are_there():
    assert set(list_profiles()) == {"national", "guangxi", "guangdong", "gansu", "guizhou"}


@pytest.mark.parametrize("name", ["national", "guangxi", "guangdong", "gansu", "guizhou"])
def test_profile_records_its_growth_reading_and_figure(name):
    g = load_profile(name).growth
    assert g["reading"] in ("compound", "arithmetic") and g["reading_basis"]
    assert g["figure"] == ("leading" if name == "guizhou" else "total")
    assert flat(g["figure_quote"]) in flat((SOURCE_DIR / load_profile(name).source).read_text(encoding="utf-8"))


@pytest.mark.parametrize("p,t", list(thresholds()))
def test_threshold_stands_in_its_quote_and_the_quote_in_its_source(p, t):
    assert t["rule"] in RULES, f"{t['rule']} is not a registered rule"
    assert t["clause"]
    if t["quote"] is None:
        assert t.get("why") and t.get("severity") == "warning", "an unquoted condition is only a warning"
        return
    source = (SOURCE_DIR / p.source_of(t)).read_text(encoding="utf-8")
    assert flat(t["quote"]) in flat(source), f"quote not in {p.source_of(t)}"
    q = flat(t["quote"])
    for alt in t.get("any_of") or ([t] if "op" in t else []):
        number = re.escape(f"{alt['value']:g}")
        word = re.escape(alt["op_word"])
        near = rf"{word}[^\d]{{0,3}}{number}(?!\d)|(?<![\d.]){number}[^\d，。；]{{0,4}}{word}"
        assert re.search(near, q), f"{alt['op_word']} {alt['value']} not worded so in “{t['quote']}”"
        assert WORD_OP[alt["op_word"]] == alt["op"], f"{alt['op_word']} means {WORD_OP[alt['op_word']]}"
        assert alt.get("unit")


def test_sources_are_verbatim_copies_of_the_seeds():
    if not SEEDS.exists():
        pytest.skip("seeds not mounted (clean checkout): the copies are what the profiles cite")
    for f in SEEDS.iterdir():
        assert (SOURCE_DIR / f.name).read_bytes() == f.read_bytes(), f.name


def test_plan_notes_are_quoted_from_the_printed_form():
    data = plan_data()
    text = flat((SOURCE_DIR / data["source"]).read_text(encoding="utf-8"))
    assert flat(data["baseline_quote"]) in text
    notes = [e["target"] for e in data["indicators"] if e.get("target")]
    assert sorted(n["note"] for n in notes) == list("abcdefg")
    for n in notes:
        assert flat(n["quote"]) in text, n["quote"]
        if "value" in n:
            assert f"{n['value']:g}%" in n["quote"] and WORD_OP[n["op_word"]] == n["op"]


def test_detect_picks_the_issuer_from_the_header():
    assert detect_profile("贵州省中小企业特色产业集群申报表\n贵州省工业和信息化厅 制") == "guizhou"
    assert detect_profile("广西壮族自治区中小企业特色产业集群申报表") == "guangxi"
    assert detect_profile("中小企业特色产业集群申报表\n工业和信息化部 制") == "national"
    assert detect_profile("某某申报表") is None


def test_malformed_profile_is_refused(tmp_path):
    good = yaml.safe_load((PROFILE_DIR / "gansu.yaml").read_text(encoding="utf-8"))
    bad = dict(good, thresholds=[dict(good["thresholds"][0], op="=>")])
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="op"):
        load_profile(str(path))
    bad = dict(good, thresholds=[{k: v for k, v in good["thresholds"][0].items() if k != "quote"}])
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="quote"):
        load_profile(str(path))
