"""``char_boxes.CharBoxes`` gives exactly what RapidOCR's ``CalRecBoxes`` gives (the characters'
corners to the integer, the characters and their probabilities unchanged): on random lines —
Chinese, Latin and digits mixed, quads straight, skewed and standing (a crop turned) — and on
the lines of a committed scan's page as RapidOCR recognises them."""
from __future__ import annotations

import copy

import numpy as np
import pytest
from rapidocr_onnxruntime.cal_rec_boxes import CalRecBoxes
from rapidocr_onnxruntime.ch_ppocr_rec.utils import CTCLabelDecode

from extractors.scan.char_boxes import CharBoxes, ordered

_ALPHABET = list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你对生产企业集群") + \
    list("0123456789abcdefghABCDEF.,-%") + [" "]


def _line(rng):
    """(crop, quad, recognition with word info) as RapidOCR's recogniser hands them on."""
    n = int(rng.integers(1, 30))
    text = "".join(rng.choice(_ALPHABET, n)).strip() or "中"
    steps = int(rng.integers(len(text) + 1, 4 * len(text) + 8))
    cols = np.sort(rng.choice(steps, len(text), replace=False))
    selection = np.zeros(steps, dtype=bool)
    selection[cols] = True
    words, word_cols, states = CTCLabelDecode.get_word_info(text, selection)
    probs = rng.random(len(text)).tolist()
    col_num = steps * float(rng.uniform(0.3, 1.0))          # the decoder's scaling by the batch's widest
    h = int(rng.integers(12, 90))
    w = int(rng.integers(h, 40 * h))
    x, y = rng.uniform(0, 1500), rng.uniform(0, 2500)
    if rng.random() < 0.15:                                  # standing: the crop was turned
        quad = np.float32([[x, y], [x + h, y], [x + h, y + w], [x, y + w]])
    else:
        quad = np.float32([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
    quad += np.float32(rng.choice([0.0, 0.0, 0.5, 2.0]) * rng.normal(size=(4, 2)))
    if rng.random() < 0.5:
        quad = np.round(quad)                               # the detector's corners are often whole pixels
    crop = np.zeros((h, w, 3), np.uint8)
    return crop, quad, (text, float(np.mean(probs)), [col_num, words, word_cols, states, probs])


@pytest.mark.parametrize("seed", range(6))
def test_same_as_rapidocr_on_random_lines(seed):
    rng = np.random.default_rng(seed)
    lines = [_line(rng) for _ in range(150)]
    imgs, quads, recs = (list(t) for t in zip(*lines))
    want = CalRecBoxes()(imgs, copy.deepcopy(quads), copy.deepcopy(recs))
    got = CharBoxes()(imgs, quads, recs)
    assert got == want
    assert [g[4] for g in got] == [r[2][4] for r in recs]    # each character keeps its probability


def test_corners_ordered_as_rapidocr():
    rng = np.random.default_rng(3)
    for _ in range(3000):
        box = rng.integers(0, 6, (4, 2)).tolist()
        try:
            want = CalRecBoxes.order_points(copy.deepcopy(box))
        except (ValueError, IndexError):
            continue                                         # degenerate corners RapidOCR fails on
        assert ordered(box) == want, box


@pytest.mark.slow
def test_same_as_rapidocr_on_a_scanned_page():
    from extractors.scan import ocr
    from extractors.scan.raster import page_images
    from tests.expected import DOSSIERS, load_expected
    d = "gx-beiliu-ceramics-scan"
    path = DOSSIERS / d / load_expected(d)["form_file"]
    if not path.exists():
        pytest.skip(f"{path} not committed")
    im = next(im for n, im, _w, _h in page_images(path) if n == 3)     # a page of the form's text
    rgb = np.asarray(im.convert("RGB"))
    bgr = np.ascontiguousarray(rgb[: rgb.shape[0] // 2, :, ::-1])
    eng = ocr.engine()
    seen = []

    class Both:
        def __call__(self, imgs, dt_boxes, rec_res):
            want = CalRecBoxes()(imgs, copy.deepcopy(dt_boxes), copy.deepcopy(rec_res))
            got = CharBoxes()(imgs, dt_boxes, rec_res)
            seen.append((got, want))
            return want

    mine, eng.cal_rec_boxes = eng.cal_rec_boxes, Both()
    try:
        eng(bgr, return_word_box=True, unclip_ratio=ocr.DET_UNCLIP_RATIO, box_thresh=ocr.DET_BOX_THRESH,
            text_score=ocr.TEXT_SCORE)
    finally:
        eng.cal_rec_boxes = mine
    (got, want), = seen
    assert len(want) > 10 and sum(len(w[3]) for w in want) > 100
    assert got == want
