"""Tick boxes on a page of another generator's scan (real OCR): devcorpus D101-005 page 8
(三、数字化: two option lists ticked with a black pen, several √ set low and
left of their box, their turn below it and little ink inside).  The groups read from that page
alone equal the truth file's.  Skipped when ``../shared/devcorpus`` is absent; a failure names
the debug view of the page (``extractors.scan.debug``)."""
import json
from pathlib import Path

import pytest

from extractors.layout.assemble import assemble
from extractors.mapper import map_form
from extractors.scan.debug import draw
from extractors.scan.page import scan_page, unskew_sources
from extractors.scan.raster import page_images
from pipeline.model.text import norm

DEVCORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "devcorpus"
DOSSIER = "D101-005-21a9"
PAGE = 8
GROUPS = ("digital.services", "digital.newmodes")


def _root() -> Path:
    for root in (DEVCORPUS, Path(__file__).resolve().parents[3] / "shared" / "devcorpus"):
        if (root / f"{DOSSIER}.truth.json").exists():
            return root
    pytest.skip("devcorpus not present")


@pytest.mark.slow
def test_groups_of_a_devcorpus_page_ticked_off_their_boxes(tmp_path):
    root = _root()
    truth = json.loads((root / f"{DOSSIER}.truth.json").read_text(encoding="utf-8"))
    pdf = root / DOSSIER / truth["form_file"]
    n, im, w, h = next(p for p in page_images(pdf) if p[0] == PAGE)
    sp = scan_page(im, PAGE, w, h, pdf.name, keep_image=True)
    view = tmp_path / f"{DOSSIER}-p{PAGE}.png"
    draw(sp).save(view)
    doc = unskew_sources(assemble(pdf.name, [sp.content], "scan"), [sp.content])
    got = map_form(doc).fields
    for fid in GROUPS:
        want, fv = truth["fields"][fid], got.get(fid)
        value = fv.value if fv is not None else None
        if isinstance(want, list):
            assert sorted(map(norm, value or [])) == sorted(map(norm, want)), (fid, value, f"debug view: {view}")
        else:
            assert value is not None and norm(value) == norm(want), (fid, value, f"debug view: {view}")
        assert fv.confidence >= 0.75, (fid, fv, f"debug view: {view}")


@pytest.mark.slow
def test_a_group_cut_by_a_page_break_is_read_whole(tmp_path):
    """D101-005 innovation.measures: its label and first option on page 6, three ticked options
    on page 7, a page where no printed outline is found under the heavy ticks (the boxes are
    sized by the labels' line height).  Read from those two pages, the group equals the truth
    file's, with confidence."""
    root = _root()
    truth = json.loads((root / f"{DOSSIER}.truth.json").read_text(encoding="utf-8"))
    pdf = root / DOSSIER / truth["form_file"]
    pages = [scan_page(im, n, w, h, pdf.name, keep_image=True) for n, im, w, h in page_images(pdf) if n in (6, 7)]
    for sp in pages:
        draw(sp).save(tmp_path / f"{DOSSIER}-p{sp.content.number}.png")
    doc = unskew_sources(assemble(pdf.name, [sp.content for sp in pages], "scan"), [sp.content for sp in pages])
    fv = map_form(doc).fields.get("innovation.measures")
    want = truth["fields"]["innovation.measures"]
    assert fv is not None and sorted(map(norm, fv.value or [])) == sorted(map(norm, want)), (fv, f"debug views: {tmp_path}")
    assert fv.confidence >= 0.75, (fv, f"debug views: {tmp_path}")
