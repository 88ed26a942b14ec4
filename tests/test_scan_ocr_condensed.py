"""The detector is shown only the rows and columns of a page that hold ink (``ocr._condensed``),
at the page's own resolution, and every box it finds is put back where it lies on the page.

A stand-in engine finds the dark blocks of the image it is given (as the detector finds text),
so what is tested is what the reader does with the page and with the engine's answer; the
committed scans measure the whole (``python -m bench.accuracy_scan``)."""
import cv2
import numpy as np
import pytest

from extractors.scan import ocr


@pytest.fixture(autouse=True)
def _no_ocr_cache(monkeypatch):
    monkeypatch.delenv(ocr.CACHE_ENV, raising=False)


class _Blocks:
    """Answers like RapidOCR with word boxes: one line per dark block, its quad on the image."""

    def __init__(self):
        self.shapes = []

    def __call__(self, bgr, **kw):
        self.shapes.append(bgr.shape)
        dark = (bgr.min(axis=2) < 128).astype(np.uint8)
        n, _, stats, _ = cv2.connectedComponentsWithStats(dark)
        out = []
        for i in range(1, n):
            x, y, w, h, _ = (int(v) for v in stats[i])
            quad = [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]
            out.append([quad, "字字", 0.99, [[[x, y], [x + w // 2, y], [x + w // 2, y + h], [x, y + h]],
                                              [[x + w // 2, y], [x + w, y], [x + w, y + h], [x + w // 2, y + h]]],
                        ["字", "字"]])
        return (sorted(out, key=lambda r: r[0][0][1]) or None), [0.0]


def _page(blocks, h=2339, w=1654):
    rgb = np.full((h, w, 3), 255, np.uint8)
    for x0, y0, x1, y1 in blocks:
        rgb[y0:y1, x0:x1] = 0
    return rgb


def test_boxes_found_on_the_condensed_page_are_put_back_where_they_lie(monkeypatch):
    blocks = [(300, 200, 700, 230), (300, 1500, 900, 1530), (1200, 2100, 1400, 2130)]
    eng = _Blocks()
    monkeypatch.setattr(ocr, "engine", lambda: eng)
    lines = ocr.read_lines(_page(blocks))
    assert [tuple(round(v) for v in ln.box) for ln in lines] == blocks
    assert [c.box[0] for c in lines[1].chars] == pytest.approx([300, 600])
    h, w = eng.shapes[0][:2]
    assert h < 2339 / 2 and w < 1654              # the paper between and around them was not shown


def test_the_detector_gets_the_page_at_its_own_resolution():
    """Sides a multiple of the detector's stride and at least its minimum side: RapidOCR scales
    neither up nor down, so a thin strip read again is not enlarged many times over."""
    strip = _page([(10, 20, 500, 45)], h=70, w=900)
    c = ocr._condensed(np.ascontiguousarray(strip[:, :, ::-1]))
    h, w = c.image.shape[:2]
    assert h % ocr.DET_STRIDE == 0 and w % ocr.DET_STRIDE == 0
    assert min(h, w) >= ocr.DET_MIN_SIDE
    x1 = 500 + ocr.INK_PAD_PX
    assert c.x0 == max(0, 10 - ocr.INK_PAD_PX) and c.rows.tolist() == list(range(max(0, 20 - ocr.INK_PAD_PX), min(70, 45 + ocr.INK_PAD_PX)))
    e, n = ocr.EDGE_PX, len(c.rows)
    assert (c.image[e:e + n, e:e + x1 - c.x0] == strip[c.rows, c.x0:x1][:, :, ::-1]).all()   # pixels as they are
    paper = np.ones(c.image.shape[:2], bool)
    paper[e:e + n, e:e + x1 - c.x0] = False
    assert (c.image[paper] == 255).all()                                                     # framed by paper


def test_lines_stay_apart_and_paper_within_a_line_spacing_is_kept():
    page = _page([(100, 100, 400, 130), (100, 150, 400, 180), (100, 900, 400, 930)])
    c = ocr._condensed(np.ascontiguousarray(page[:, :, ::-1]))
    kept = set(c.rows.tolist())
    assert set(range(130, 150)) <= kept                     # 20 px between two lines: kept
    assert not set(range(180 + ocr.INK_PAD_PX, 900 - ocr.INK_PAD_PX)) & kept   # 720 px of paper: left out
    assert c.to_page([[ocr.EDGE_PX, ocr.EDGE_PX]])[0].tolist() == [c.x0, c.rows[0]]


def test_a_page_of_paper_only_is_not_sent_to_the_engine(monkeypatch):
    eng = _Blocks()
    monkeypatch.setattr(ocr, "engine", lambda: eng)
    page = _page([])
    page[::97, ::89] = 240                                  # paper's grain is not ink
    assert ocr.read_lines(page) == [] and eng.shapes == []


def test_a_strip_thinner_than_the_paper_kept_around_ink_is_shown_whole():
    """A line read again may be cut shorter than the paper kept above and below its ink."""
    strip = _page([(40, 8, 300, 22)], h=30, w=400)
    c = ocr._condensed(np.ascontiguousarray(strip[:, :, ::-1]))
    assert c.rows.tolist() == list(range(30)) and c.x0 == 8
