"""The committed samples through the whole pipeline: every clean dossier yields no error (and no
warning) under its issuer's profile; every dossier with planted problems yields exactly the
errors and warnings its expected JSON plants, no other."""
from collections import Counter

import pytest

from pipeline.dossiers import DossierInput
from pipeline.process import Options, process

from .expected import DOSSIERS, expected_files, load_expected
from .test_memo_criteria import assert_table_agrees

# scanned renditions are read by OCR within the accuracy bars, not exactly: accuracy_scan.py
# counts their fields and test_scan_accuracy.py holds them to it
ALL = [f.stem for f in expected_files() if load_expected(f.stem).get("rendition") != "scan"]
CLEAN = [d for d in ALL if not load_expected(d)["planted"]]
PLANTED = [d for d in ALL if load_expected(d)["planted"]]


def run(dossier_id):
    return process(DossierInput(dossier_id, DOSSIERS / dossier_id, "dir"), Options(formats=())).extraction


def test_there_are_clean_and_planted_samples():
    assert len(CLEAN) >= 10 and len(PLANTED) >= 8
    assert {load_expected(d)["issuer"] for d in PLANTED} == {"national", "guangxi", "guangdong", "gansu", "guizhou"}


@pytest.mark.parametrize("dossier", CLEAN)
def test_clean_sample_has_no_error(dossier):
    ext = run(dossier)
    assert ext.profile == load_expected(dossier)["issuer"]
    bad = [(f.rule, f.message) for f in ext.findings if f.severity in ("error", "warning")]
    assert not bad
    assert ext.verdict == "pass"
    assert assert_table_agrees(ext, dossier) <= {"met", "unknown"}


@pytest.mark.parametrize("dossier", PLANTED)
def test_planted_sample_yields_exactly_its_planted_problems(dossier):
    exp = load_expected(dossier)
    ext = run(dossier)
    assert ext.profile == exp["issuer"]
    got = Counter((f.rule, frozenset(f.fields)) for f in ext.findings if f.severity in ("error", "warning"))
    want = Counter((p["rule"], frozenset(p["fields"])) for p in exp["planted"])
    assert got == want, f"missing {sorted(want - got)}; unexpected {sorted(got - want)}"
    assert ext.verdict == "fail"
    statuses = assert_table_agrees(ext, dossier)
    if any(f.rule.startswith("criteria.") and f.severity == "error" for f in ext.findings):
        assert "not_met" in statuses, "a failed criterion shows as 不符合"
