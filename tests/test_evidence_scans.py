"""Scanned evidence: the committed certificate PNGs read by the scan reader (OCR) and linked.

Runs for real once ``extractors.scan`` is in the tree (it is being built apart and merged
later): each PNG's expected claims must be found, nothing else claimed above the threshold.
Until then it is skipped, and ``test_an_unreadable_evidence_file_*`` covers what the pipeline
does with a file it cannot read.
"""
import shutil

import pytest

from pipeline.dossiers import DossierInput
from pipeline.process import Options, process

from .expected import DOSSIERS, expected_files, load_expected

PNGS = [(f.stem, e) for f in expected_files() for e in load_expected(f.stem)["evidence"]
        if e["file"].endswith(".png") and not load_expected(f.stem).get("rendition")]


@pytest.mark.slow
@pytest.mark.parametrize("dossier, entry", PNGS[:4], ids=[f"{d}/{e['file']}" for d, e in PNGS[:4]])
def test_a_scanned_certificate_is_linked_to_its_claim(dossier, entry):
    pytest.importorskip("extractors.scan.image_reader")
    from extractors import read_file
    from extractors.evidence import link_document
    from pipeline.model import Extraction, FieldValue, SourceFile

    exp = load_expected(dossier)
    ext = Extraction(dossier, reporting_years=exp["reporting_years"],
                     fields={k: FieldValue(v) for k, v in exp["fields"].items()})
    doc = read_file(DOSSIERS / dossier / entry["file"])
    link = link_document(ext, SourceFile(entry["file"], "", "evidence", doc.format), doc)
    assert sorted(a for a in link.attests if ":" in a) == sorted(entry["attests"])
    assert all(c["source"].get("page") for c in link.detail["claims"])


def test_an_unreadable_evidence_file_leaves_its_claims_unlinked_not_missing(tmp_path):
    """The 汇编 damaged: the run goes on, the file's problem is recorded, and each ticked claim
    it held is a warning that names the file (not a certain error)."""
    src = DOSSIERS / "gd-yangjiang-knives"
    exp = load_expected("gd-yangjiang-knives")
    book = next(e for e in exp["evidence"] if e["kind"] == "evidence_book")
    d = tmp_path / "gd-yangjiang-knives"
    shutil.copytree(src, d)
    (d / book["file"]).write_bytes(b"PK\x03\x04 damaged")
    ext = process(DossierInput(d.name, d, "dir"), Options(formats=())).extraction
    assert any(p["file"] == book["file"] for p in ext.problems)
    missing = [f for f in ext.findings if f.rule == "evidence.missing"]
    assert len(missing) == len(book["attests"]) and {f.severity for f in missing} == {"warning"}
    assert all(book["file"] in f.message for f in missing)
    assert ext.verdict == "review"
    assert book["file"] not in {e.file for e in ext.evidence}
