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
