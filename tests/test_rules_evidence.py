"""evidence.missing, evidence.value, evidence.unrelated both ways, on a committed sample read
for real (form and evidence files through the readers and the linker) and then edited: each
fires where the dossier gives cause, names the file, the sentence and the form cell, and holds
its error back where it cannot be certain (a file that could not be read, a figure read by OCR
with low confidence)."""
import copy

import pytest

from pipeline.memo.claims import claim_rows
from pipeline.model import EvidenceLink, SourceFile, load_catalogue
from validators.registry import RULES

from .validation_fixtures import check, errors, for_profile, of


def sample():
    return for_profile("guangxi")          # gx-rongxian-furniture: stats certificate, list, 汇编, a PNG


def test_the_three_rules_are_registered():
    assert {"evidence.missing", "evidence.value", "evidence.unrelated"} <= RULES.keys()


def test_a_clean_sample_gives_no_evidence_finding():
    assert not [f for f in check(sample()) if f.rule.startswith("evidence.")]


def without(ext, claim):
    for e in ext.evidence:
        e.attests = [a for a in e.attests if a != claim]
    return ext


def test_missing_fires_for_a_ticked_claim_no_file_attests():
    ext = sample()
    ext.sources = [s for s in ext.sources if s.role != "unreadable"]     # every file was read
    claim = next(a for e in ext.evidence for a in e.attests if a.startswith("governance.services:"))
    fs = of(check(without(ext, claim)), "evidence.missing")
    assert len(fs) == 1 and fs[0].severity == "error" and fs[0].fields == ["governance.services"]
    assert fs[0].detail["option"] == claim.partition(":")[2] and claim.partition(":")[2] in fs[0].message
    assert fs[0].sources[0].file == ext.meta.get("form_file", fs[0].sources[0].file) and fs[0].sources[0].table is not None
    assert fs[0].question and "佐证材料" in fs[0].question


def test_missing_is_held_back_to_a_warning_when_a_file_could_not_be_read():
    ext = sample()
    ext.sources.append(SourceFile("商标注册证.pdf", "", "unreadable", "unknown", problem="文件已损坏"))
    claim = next(a for e in ext.evidence for a in e.attests if a.startswith("industry.sharing:"))
    fs = of(check(without(ext, claim)), "evidence.missing")
    assert [(f.severity, f.fields) for f in fs] == [("warning", ["industry.sharing"])]
    assert "商标注册证.pdf" in fs[0].message and fs[0].detail["unreadable_files"][-1] == "商标注册证.pdf"
    ext.findings = check(ext)
    row = next(r for r in claim_rows(ext, load_catalogue()) if r["option"] == claim.partition(":")[2])
    assert row["status"] == "unlinked"                 # the memo shows it as not linked, not as missing


def test_missing_does_not_fire_for_an_unticked_option():
    ext = sample()
    claim = next(a for e in ext.evidence for a in e.attests if a.startswith("industry.sharing:"))
    ext.fields["industry.sharing"].value = [v for v in ext.fields["industry.sharing"].value if v != claim.partition(":")[2]]
    assert not of(check(without(ext, claim)), "evidence.missing")


def stats_link(ext):
    return next(e for e in ext.evidence if any(a.startswith("industry.total_output.") for a in e.attests))


def test_value_fires_when_the_form_differs_from_the_certificate():
    ext = sample()
    y2 = ext.reporting_years[1]
    fid = f"industry.total_output.{y2}"
    stated = stats_link(ext).values[fid]
    ext.fields[fid].value = round(stated + 0.5, 2)
    ext.fields[fid].raw = f"{stated + 0.5:.2f}"
    [f] = of(check(ext), "evidence.value")
    assert f.severity == "error" and f.fields == [fid]
    assert f.expected == pytest.approx(stated) and f.actual == pytest.approx(stated + 0.5)
    assert f.tolerance == pytest.approx(0.01)          # both written with 2 decimals
    assert f.sources[0].file == stats_link(ext).file and f.sources[-1].file.endswith("申报表（盖章版）.docx")
    assert f"{stated:.2f}" in f.message and f.detail["sentence"] and f.question


def test_value_allows_the_rounding_of_both_sides():
    ext = sample()
    link = stats_link(ext)
    fid = next(a for a in link.attests if a.startswith("industry.total_output."))
    r = next(x for x in link.detail["values"] if x["field"] == fid)
    r.update(value=round(r["value"], 1), raw=f"{r['value']:.1f}亿元", step=0.1)   # the certificate says 1 decimal
    assert not of(check(ext), "evidence.value")
    r.update(value=round(r["value"] + 0.1, 1))
    assert of(check(ext), "evidence.value")


def test_value_from_a_doubtful_ocr_reading_is_no_error():
    ext = sample()
    link = stats_link(ext)
    for r in link.detail["values"]:
        r["value"] += 3.0
        r["confidence"] = 0.6
    found = of(check(ext), "evidence.value")
    assert found and all(f.severity == "warning" and "识别置信度为0.60" in f.message for f in found)
    link.detail["values"][0]["confidence"] = 0.95
    assert len([f for f in of(check(ext), "evidence.value") if f.severity == "error"]) == 1


def test_a_count_must_equal_the_list():
    ext = sample()
    link = next(e for e in ext.evidence if any(a.startswith("industry.specialized.") for a in e.attests))
    fid = next(a for a in link.attests if a.startswith("industry.specialized."))
    ext.fields[fid].value = int(link.values[fid]) + 1
    [f] = of(check(ext), "evidence.value")
    assert f.tolerance == 0 and f.fields == [fid]


def test_unrelated_fires_for_a_file_that_attests_nothing():
    ext = sample()
    ext.evidence.append(EvidenceLink("会议通知.docx", detail={"claims": [], "values": []}))
    ext.evidence.append(EvidenceLink("省级平台.docx", detail={"claims": [], "values": [], "unticked_claims": [
        {"claim": "governance.platforms:建设或引入省级中小企业公共服务示范平台", "score": 0.9}]}))
    fs = of(check(ext), "evidence.unrelated")
    assert [(f.severity, f.sources[0].file) for f in fs] == [("warning", "会议通知.docx"), ("warning", "省级平台.docx")]
    assert "未勾选" in fs[1].message and "建设或引入省级中小企业公共服务示范平台" in fs[1].message
    assert not errors(fs)


def test_no_evidence_rule_runs_without_a_form():
    ext = copy.deepcopy(sample())
    ext.sources = [s for s in ext.sources if s.role != "form"]
    ext.evidence.append(EvidenceLink("会议通知.docx"))
    assert not [f for f in check(ext) if f.rule in ("evidence.missing", "evidence.unrelated")]
