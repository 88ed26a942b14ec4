"""Tick boxes of one real scanned page against the positions the generator recorded (real OCR).

Page 8 of the TIFF rendition gx-rongxian-furniture-scan (三、数字化 …: yes/no pairs and option
lists, blue and black pen ticks, one heavy √ that the colour dropout leaves as a square the
recogniser reads as 二, another read as 广, a 是 □否 pair whose OCR boxes run into the space):
every printed box is found with its state, and no tick is put where no box is printed.  A failure
names the debug view of the page (``extractors.scan.debug``: every candidate, its verdict and
reason, every OCR line) written beside the test's temporary files."""
import pytest

from extractors.layout.assemble import assemble
from extractors.scan.debug import draw
from extractors.scan.page import scan_page, unskew_sources
from extractors.scan.raster import image_frames

from .expected import DOSSIERS, load_expected
from .scan_scoring import box_scores

DOSSIER = "gx-rongxian-furniture-scan"
PAGE = 8


@pytest.fixture(scope="module")
def page_boxes(tmp_path_factory):
    exp = load_expected(DOSSIER)
    fr = next(f for f in image_frames(DOSSIERS / DOSSIER / exp["form_file"]) if f.number == PAGE)
    sp = scan_page(fr.image, PAGE, fr.width_pt, fr.height_pt, "scan.tif", keep_image=True)
    pc = sp.content
    doc = unskew_sources(assemble("scan.tif", [pc], "image"), [pc])
    recorded = [b for b in exp["scan"]["boxes"] if b["page"] == PAGE]
    view = tmp_path_factory.mktemp("scan-debug") / f"{DOSSIER}-p{PAGE}.png"
    draw(sp).save(view)
    return recorded, box_scores(doc, recorded), f"debug view: {view}"


@pytest.mark.slow
def test_every_printed_box_is_found_with_its_state(page_boxes):
    recorded, sc, view = page_boxes
    assert len(recorded) >= 9 and sum(b["ticked"] for b in recorded) >= 4
    assert sc.found == sc.recorded, (sc.missed, view)
    assert sc.state_right == sc.recorded, view


@pytest.mark.slow
def test_no_tick_where_no_box_is_printed(page_boxes):
    _, sc, view = page_boxes
    assert sc.true_ticks == sc.ticks, (sc.extra, view)
