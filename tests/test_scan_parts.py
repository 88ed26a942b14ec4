"""The scan reader's parts on pages drawn here (no OCR): raster caps, deskew, ruling lines,
tick boxes and their ink decision, seal detection, bboxes mapped back onto the stored page."""
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.errors import ReadError
from extractors.scan import raster
from extractors.scan.deskew import measure_skew
from extractors.scan.ink import ink_masks
from extractors.scan.lines import find_rules, rule_masks
from extractors.scan.marks import find_seals
from extractors.scan.page import _unturn
from extractors.scan.ticks import boxes_before_ocr, judge
from samples.generator.scan_rendition import TEST_SEEDS, pen_tick

PPP = 200 / 72.0
CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _font(size):
    try:
        return ImageFont.truetype(CJK, size)
    except OSError:
        pytest.skip("no CJK font")


def table_page(w=1654, h=2339):
    im = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(im)
    for y in range(300, 1900, 160):
        d.line([(200, y), (1450, y)], fill=(20, 20, 20), width=2)
    for x in (200, 650, 1450):
        d.line([(x, 300), (x, 1740)], fill=(20, 20, 20), width=2)
    return im


def test_skew_is_measured_from_the_ruling_lines():
    im = table_page()
    for angle in (-1.3, -0.4, 0.7, 1.5):
        turned = np.asarray(im.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor="white"))
        # PIL turns counter-clockwise: the lines then rise to the right, a negative skew
        assert abs(measure_skew(ink_masks(turned).dark) + angle) < 0.1


def test_ruling_lines_in_points():
    rules = find_rules(ink_masks(np.asarray(table_page())).print, PPP)
    hs = [r for r in rules if r.horizontal]
    vs = [r for r in rules if not r.horizontal]
    assert len(hs) == 10 and len(vs) == 3
    assert all(abs(r.x0 - 200 / PPP) < 2 and abs(r.x1 - 1450 / PPP) < 2 for r in hs)
    assert sorted(round(r.x0) for r in vs) == [round(200 / PPP), round(650 / PPP), round(1450 / PPP)]


def test_text_is_not_a_rule():
    im = Image.new("RGB", (1654, 600), "white")
    ImageDraw.Draw(im).text((100, 100), "一二三十一产业集群总产值一一", font=_font(30), fill="black")
    assert find_rules(ink_masks(np.asarray(im)).print, PPP) == []


def box_page(seed):
    """Boxes of three sizes, some ticked by pen (blue and black), beside characters that
    look like boxes (口 in a word, 国 回 田 图)."""
    rng = random.Random(seed)
    im = Image.new("RGB", (1654, 1200), "white")
    d = ImageDraw.Draw(im)
    f = _font(29)
    truth = []
    y = 80
    for side in (12, 20, 30):
        for k in range(5):
            x = 160 + (k % 2) * 500
            d.rectangle([x, y, x + side, y + side], outline=(30, 30, 30), width=2 if side > 12 else 1)
            d.text((x + side + 6, y + side / 2 - 16), "第二产业出口", font=f, fill=(20, 20, 20))
            ticked = k in (1, 2, 4)
            truth.append(((x, y, x + side, y + side), ticked))
            y += 70
    d.text((160, y + 20), "国家回收田间图谱出口人口", font=f, fill=(20, 20, 20))
    overlay = Image.new("RGBA", im.size, (0, 0, 0, 0))
    od = ImageDraw.Draw(overlay)
    for bb, ticked in truth:
        if ticked:
            pen_tick(od, bb, rng)
    im = Image.alpha_composite(im.convert("RGBA"), overlay).convert("RGB")
    return im, truth


def _label_line(bb):
    """The OCR's line for the label drawn right of a box (29 px characters, a 30 px line)."""
    from extractors.scan.ocr import OcrChar, OcrLine
    x, cy = bb[2] + 6, (bb[1] + bb[3]) / 2
    chars = [OcrChar(ch, (x + i * 29, cy - 15, x + (i + 1) * 29 - 1, cy + 15)) for i, ch in enumerate("第二产业出口")]
    return OcrLine("第二产业出口", (x, cy - 15, chars[-1].box[2], cy + 15), 0.95, chars)


@pytest.mark.parametrize("seed", TEST_SEEDS)
def test_boxes_found_and_decided_by_their_ink(seed):
    """With the labels' lines as the OCR reads them: every kept box is a drawn one, every empty
    box is found unticked, a ticked one found is read ticked."""
    im, truth = box_page(seed)
    a = np.asarray(im)
    masks = ink_masks(a)
    h, v = rule_masks(masks.print, PPP)
    rule = (h | v).astype(bool)
    lines = [_label_line(bb) for bb, _ in truth]
    ticks = judge(boxes_before_ocr(masks, PPP, rule), masks, lines, PPP, rule)
    got = {}
    for t in ticks:
        if not t.verdict.kept:
            continue
        bb = t.candidate.bbox
        match = [i for i, (tb, _) in enumerate(truth) if tb[0] - 6 <= bb.cx <= tb[2] + 6 and tb[1] - 6 <= bb.cy <= tb[3] + 6]
        assert match, f"a box kept where none is drawn: {t}"
        got[match[0]] = t.verdict
    for i, (bb, ticked) in enumerate(truth):
        if not ticked:
            assert i in got and got[i].state is False, (i, got.get(i))
        elif i in got:
            assert got[i].state is True, (i, got[i])
    # of 9 pen ticks: a heavy black tick over a small box can hide it (reported as a missed box,
    # the group's value then flagged), never read as unticked
    assert sum(1 for i, (_, t) in enumerate(truth) if t and i in got) >= 6


def test_seal_is_a_red_ring():
    im = Image.new("RGB", (800, 800), "white")
    d = ImageDraw.Draw(im)
    d.ellipse([200, 200, 500, 500], outline=(220, 30, 30), width=12)
    d.text((270, 330), "公章", font=_font(60), fill=(220, 30, 30))
    d.rectangle([600, 600, 760, 760], fill=(220, 30, 30))          # a red fill is not a seal
    seals = find_seals(ink_masks(np.asarray(im)), PPP)
    assert len(seals) == 1
    x0, y0, x1, y1 = seals[0].box
    assert abs(x0 - 200) < 15 and abs(y1 - 500) < 15 and seals[0].confidence >= 0.8


def test_bbox_on_the_straightened_page_maps_back_onto_the_stored_page():
    w, h = 595.3, 841.9
    box = (100.0, 700.0, 200.0, 720.0)
    import cv2
    angle = 1.2
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    back = _unturn(box, angle, w, h)
    # the stored point that the straightening sends to the box's centre lies in the result
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    inv = cv2.invertAffineTransform(m)
    ox, oy = inv @ np.array([cx, cy, 1.0])
    assert back[0] < ox < back[2] and back[1] < oy < back[3]
    assert abs((back[2] - back[0]) - 100) < 20 and back != box


def test_huge_image_is_refused_clearly(tmp_path):
    p = tmp_path / "huge.png"
    Image.new("1", (12000, 12000), 1).save(p)
    with pytest.raises(ReadError) as e:
        list(raster.image_frames(p, "huge.png"))
    assert e.value.kind == "too_large" and "12000×12000" in str(e.value)


def test_big_jpeg_is_decoded_small_with_a_warning(tmp_path):
    p = tmp_path / "big.jpg"
    Image.new("L", (8000, 8000), 255).save(p, quality=50)
    (fr,) = list(raster.image_frames(p, "big.jpg"))
    assert fr.image.width * fr.image.height <= raster.MAX_PAGE_PIXELS
    assert fr.warning and "8000×8000" in fr.warning
    assert abs(fr.width_pt - 8000 / 200 * 72) < 1           # the page keeps its size in points


def test_poster_sized_pdf_page_is_rendered_within_the_cap():
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(14400, 14400)          # 200 × 200 inches: 20000×20000 px at 100 dpi
    im, warning = raster.render_pdf_page(page, 200)
    assert im.width * im.height <= raster.MAX_PAGE_PIXELS and warning


def test_corrupt_image_is_a_clear_error(tmp_path):
    p = tmp_path / "bad.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(ReadError) as e:
        list(raster.image_frames(p, "bad.png"))
    assert e.value.kind == "corrupt" and "bad.png" in str(e.value)
