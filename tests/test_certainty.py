"""An error is certain by construction: each precondition of ``validators.dossier.Certainty``
broken on a made-up input turns the error into a warning that says why — and the same input
with the precondition met is still an error (so no guard silences a rule)."""
import copy

from pipeline.model import EvidenceLink, FieldValue, SourceFile
from validators.dossier import Certainty, Facts

from .validation_fixtures import check, for_profile, of, put, y


def test_certainty_collects_each_failed_precondition_once():
    c = Certainty().require(True, "a").require(False, "b").require(False, "b").aligned(2, 3).consecutive([2020, 2022])
    assert not c.certain and c.doubts[0] == "b" and len(c.doubts) == 3
    assert "2个" in c.doubts[1] and "3个" in c.doubts[1] and "不是连续" in c.doubts[2]
    assert Certainty().aligned(3, 3).consecutive([2020, 2021, 2022]).whole(True).files_readable([]).certain


def test_guard_inputs_read_every_named_field_at_full_confidence():
    e = for_profile("guangxi")
    fid = f"industry.smes.{y(e, 2)}"
    d = Facts(e)
    assert d.finding("count.subset", [fid], "x").severity == "error"
    e.fields[fid].confidence = 0.6
    f = Facts(e).finding("count.subset", [fid], "x")
    assert f.severity == "warning" and "0.60" in f.message and f.detail["uncertain"]


def test_guard_consecutive_years_for_yearly_growth():
    e = for_profile("guizhou")
    y1, y2 = y(e, 1), y(e, 2)
    put(e, f"industry.leading_growth.{y2}", 99.0)
    assert [f.severity for f in of(check(e), "growth.yearly")] == ["error"]
    # the same figures under years that skip one: a growth over two years is no yearly growth
    e2 = copy.deepcopy(e)
    e2.reporting_years = [y1 - 1, y2, y(e, 3)]
    for fid in [k for k in e2.fields if k.endswith(f".{y1}")]:
        e2.fields[fid[:-4] + str(y1 - 1)] = e2.fields.pop(fid)
    found = of(check(e2), "growth.yearly")
    assert found and all(f.severity == "warning" and "不是连续" in f.message for f in found)


def stats(e):
    return next(x for x in e.evidence if any(a.startswith("industry.total_output.") for a in x.attests))


def test_guard_years_and_figures_paired_one_to_one():
    e = for_profile("guangxi")
    link = stats(e)
    r = next(r for r in link.detail["values"] if r["field"].startswith("industry.total_output."))
    r["value"] += 5.0
    assert [f.severity for f in of(check(e), "evidence.value")] == ["error"]
    r["paired"] = [2, 3]                      # two years, three figures: which is which is a guess
    [f] = of(check(e), "evidence.value")
    assert f.severity == "warning" and "2个" in f.message and "3个" in f.message


def test_guard_a_sentence_read_whole():
    e = for_profile("guangxi")
    r = next(r for r in stats(e).detail["values"] if r["field"].startswith("industry.total_output."))
    r["value"] += 5.0
    r["whole"] = False
    [f] = of(check(e), "evidence.value")
    assert f.severity == "warning" and "未能完整读取" in f.message


def without_claim(e, prefix):
    claim = next(a for x in e.evidence for a in x.attests if a.startswith(prefix))
    for x in e.evidence:
        x.attests = [a for a in x.attests if a != claim]
        x.detail = {k: [c for c in v if c.get("claim") != claim] if isinstance(v, list) else v
                    for k, v in (x.detail or {}).items()}
    return claim


def test_guard_the_claims_files_readable():
    e = for_profile("guangxi")
    e.sources = [s for s in e.sources if s.role != "unreadable"]
    claim = without_claim(e, "governance.services:")
    [f] = of(check(e), "evidence.missing")
    assert f.severity == "error"
    e.sources.append(SourceFile("证明.pdf", "", "unreadable", "unknown", problem="文件已损坏"))
    [f] = of(check(e), "evidence.missing")
    assert f.severity == "warning" and "《证明.pdf》无法读取" in f.message and claim.partition(":")[2] in f.message


def test_guard_no_evidence_text_that_could_hold_the_claim():
    e = for_profile("guangxi")
    e.sources = [s for s in e.sources if s.role != "unreadable"]
    claim = without_claim(e, "governance.services:")
    assert of(check(e), "evidence.missing")[0].severity == "error"
    e.evidence.append(EvidenceLink(file="汇编.docx", detail={"related": [
        {"claim": claim, "sentence": "集群为企业提供多种服务。", "source": {"file": "汇编.docx", "para": 3}}]}))
    [f] = of(check(e), "evidence.missing")
    assert f.severity == "warning" and "《汇编.docx》第4段有相关表述" in f.message and f.detail["related"]


def test_guard_no_unread_evidence_text():
    e = for_profile("guangxi")
    e.sources = [s for s in e.sources if s.role != "unreadable"]
    without_claim(e, "governance.services:")
    e.evidence.append(EvidenceLink(file="汇编.pdf", detail={"unread": [
        {"sentence": "2022年，80.0.34，59.62", "source": {"file": "汇编.pdf", "page": 2}, "why": "数字无法识别"}]}))
    [f] = of(check(e), "evidence.missing")
    assert f.severity == "warning" and "未能完整识别" in f.message


def test_guard_a_figure_read_at_full_confidence():
    e = for_profile("guangxi")
    r = next(r for r in stats(e).detail["values"] if r["field"].startswith("industry.total_output."))
    r["value"] += 5.0
    r["confidence"] = 0.5
    [f] = of(check(e), "evidence.value")
    assert f.severity == "warning" and "0.50" in f.message


def test_guard_consecutive_years_for_the_co2_trend():
    e = for_profile("guizhou")
    y1, y2 = y(e, 1), y(e, 2)
    put(e, f"green.co2_intensity.{y2}", e.fields[f"green.co2_intensity.{y1}"].value + 0.5)
    assert [f.severity for f in of(check(e), "criteria.co2_trend")] == ["error"]
    e.reporting_years = [y1 - 1, y2, y(e, 3)]
    e.fields[f"green.co2_intensity.{y1 - 1}"] = e.fields.pop(f"green.co2_intensity.{y1}")
    assert all(f.severity == "warning" for f in of(check(e), "criteria.co2_trend"))


def test_a_field_absent_from_the_form_is_not_a_doubt():
    e = for_profile("guangdong")
    del e.fields["declaration.signed"]
    assert of(check(e), "declaration.unsigned")[0].severity == "error"
    e.fields["other"] = FieldValue(None, confidence=0.1)
    assert of(check(e), "declaration.unsigned")[0].severity == "error"


def test_guard_an_empty_cell_in_a_section_that_was_read():
    e = for_profile("guizhou")
    put(e, "plan.targets", [])
    [f] = of(check(e), "field.missing")
    assert f.severity == "error" and f.fields == ["plan.targets"]
    del e.fields["plan.text"]                  # the plan's text not found: section 八 was not understood
    [f] = of(check(e), "field.missing")
    assert f.severity == "warning" and "未能找到" in f.message


def test_an_input_written_with_more_decimals_than_the_form_allows_is_not_certain():
    """83.83 misread (or mistyped) as 83.883: the growth it breaks is a warning, not an error."""
    from pipeline.model import Extraction, FieldValue
    from validators.dossier import Certainty, Facts
    ext = Extraction(dossier_id="x")
    ext.fields["industry.leading_share.2021"] = FieldValue(83.883, "83.883", 0.99)
    ext.fields["industry.leading_share.2020"] = FieldValue(83.65, "83.65", 0.99)
    d = Facts(ext)
    assert not Certainty().inputs_read(d, ["industry.leading_share.2021"]).certain
    assert Certainty().inputs_read(d, ["industry.leading_share.2020"]).certain
