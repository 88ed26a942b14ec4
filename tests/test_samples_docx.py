"""Every committed DOCX sample: every field the form holds equals its expected value (100%),
and the run's extraction.json follows the contract (JSON Schema)."""
import json
import subprocess
import sys

import jsonschema
import pytest

from extractors.docx_reader import read_docx
from extractors.mapper import map_form
from pipeline.schema import SCHEMA_PATH, schema_text

from .expected import DOSSIERS, ROOT, expected_files, load_expected, same
from .shared_run import once

DOCX_SAMPLES = [f.stem for f in expected_files() if load_expected(f.stem)["form_file"].endswith(".docx")]


def test_there_are_enough_docx_samples():
    assert len(DOCX_SAMPLES) >= 8


@pytest.mark.parametrize("dossier", DOCX_SAMPLES)
def test_every_field_equals_expected(dossier):
    exp = load_expected(dossier)
    m = map_form(read_docx(DOSSIERS / dossier / exp["form_file"]))
    assert m.reporting_years == exp["reporting_years"]
    wrong = {fid: (want, m.fields[fid].value if fid in m.fields else "<missing>")
             for fid, want in exp["fields"].items()
             if fid not in m.fields or not same(m.fields[fid].value, want)}
    assert not wrong, f"{len(wrong)} of {len(exp['fields'])} fields wrong: {wrong}"
    extra = set(m.fields) - set(exp["fields"])
    assert not extra, f"fields the form does not hold: {sorted(extra)}"
    # text and ticks read from a DOCX are certain; seals and signatures are pictures judged by a detector
    marks = {"declaration.signed", "declaration.sealed", "recommendation.sealed"}
    assert all(fv.confidence == 1.0 for k, fv in m.fields.items() if k not in marks)
    assert all(0.5 < m.fields[k].confidence <= 1.0 for k in marks)


@pytest.fixture(scope="module")
def run_out(tmp_path_factory):
    # the DOCX dossiers only: the scanned renditions (minutes of OCR) have their own tests;
    # made once for the session, whichever xdist worker gets here first
    def build(out):
        r = subprocess.run([sys.executable, "-m", "pipeline", "run", *(str(DOSSIERS / d) for d in DOCX_SAMPLES),
                            "--out", str(out), "--formats", "html", "--workers", "2"],
                           cwd=ROOT, capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, r.stderr
    return once(tmp_path_factory, "docx-cli-run", build)


def test_schema_file_is_current():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), "run `make schema`"


@pytest.mark.parametrize("dossier", DOCX_SAMPLES)
def test_cli_output_matches_expected_and_contract(run_out, dossier):
    data = json.loads((run_out / dossier / "extraction.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    exp = load_expected(dossier)
    assert data["dossier_id"] == dossier
    assert data["reporting_years"] == exp["reporting_years"]
    assert data["profile"] == exp["issuer"]
    form = [s for s in data["sources"] if s["role"] == "form"]
    assert [s["file"] for s in form] == [exp["form_file"]]
    for fid, want in exp["fields"].items():
        assert same(data["fields"][fid]["value"], want), fid
        src = data["fields"][fid]["source"]
        assert src["file"] == exp["form_file"]
    # DOCX cells are located by table/row/col; no bbox
    total = data["fields"]["industry.total_output." + str(exp["reporting_years"][-1])]
    assert {"table", "row", "col"} <= set(total["source"]) and "bbox" not in total["source"]
    raw = (run_out / dossier / "extraction.json").read_text(encoding="utf-8")
    assert "\\u" not in raw, "ensure_ascii=False: Chinese written as UTF-8"
