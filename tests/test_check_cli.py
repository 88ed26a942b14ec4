"""``python -m pipeline check OUT/<id>/extraction.json [--profile NAME]`` end to end: run a
sample, correct a value by hand in the JSON as a clerk would, re-check, and watch the finding
appear and go away again; a different profile brings its own thresholds."""
import json
import subprocess
import sys

import pytest

from .expected import DOSSIERS, ROOT

DOSSIER = "gz-suiyang-chili"


def cli(*args):
    r = subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    o = tmp_path_factory.mktemp("check")
    cli("run", DOSSIERS / DOSSIER, "--out", o)
    return o / DOSSIER / "extraction.json"


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def save(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def test_check_sees_a_corrected_value_and_its_reversal(out):
    data = load(out)
    assert data["verdict"] == "pass" and not [f for f in data["findings"] if f["severity"] != "info"]
    cagr = data["fields"]["industry.leading_cagr"]
    good = cagr["value"]

    cagr["value"] = round(good + 1.0, 2)          # the clerk types what the paper form says
    save(out, data)
    stdout = cli("check", out)
    data = load(out)
    found = [f for f in data["findings"] if f["rule"] == "growth.cagr"]
    assert len(found) == 1 and found[0]["severity"] == "error"
    assert found[0]["actual"] == round(good + 1.0, 2) and found[0]["expected"] == pytest.approx(good, abs=0.01)
    assert found[0]["question"] and found[0]["sources"][0]["file"].endswith(".docx")
    assert data["verdict"] == "fail" and "fail" in stdout
    memo = (out.parent / "memo.html").read_text(encoding="utf-8")
    assert "growth.cagr" in memo

    data["fields"]["industry.leading_cagr"]["value"] = good
    save(out, data)
    cli("check", out)
    data = load(out)
    assert not [f for f in data["findings"] if f["rule"] == "growth.cagr"]
    assert data["verdict"] == "pass"


def test_check_under_another_profile(out):
    cli("check", out, "--profile", "guangdong")           # 40亿元 a year there; this cluster makes ~32–40
    data = load(out)
    assert data["profile"] == "guangdong"
    crit = [f for f in data["findings"] if f["rule"] == "criteria.output"]
    assert crit and all("广东省" in f["clause"] for f in crit)
    assert data["verdict"] == "fail"
    failed = [c for c in data["criteria"] if c["rule"] == "criteria.output"]
    assert failed and all(c["status"] == "not_met" for c in failed), "the table's record says what the finding says"
    cli("check", out, "--profile", "guizhou")
    data = load(out)
    assert data["profile"] == "guizhou" and data["verdict"] == "pass"


def test_check_rebuilds_the_criteria_table_of_an_extraction_written_before_it_was_kept(out):
    data = load(out)
    data.pop("criteria", None)                            # extraction.json of an earlier version
    save(out, data)
    cli("check", out, "--profile", "guangdong")
    data = load(out)
    assert data["criteria"] and all(c["status"] in ("met", "not_met", "cannot_tell") for c in data["criteria"])
    memo = (out.parent / "memo.html").read_text(encoding="utf-8")
    table = memo.split("一、认定标准对照表", 1)[1].split("二、一致性核查", 1)[0]
    assert "不符合" in table and "集群总产值" in table
