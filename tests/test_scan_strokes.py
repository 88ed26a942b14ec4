"""A pen stroke ticks one box (``extractors.scan.strokes``), on pages drawn here: a √ whose long
arm runs up through the empty box above leaves that box unticked; two ticks whose strokes
touch keep both boxes ticked."""
import numpy as np
from PIL import Image, ImageDraw

from extractors.scan.boxes import Box, decide
from extractors.scan.ink import ink_masks
from extractors.scan.strokes import one_box_per_stroke

BLUE = (40, 60, 190)
SIDE = 33          # px: a 12 pt box at 200 dpi
PITCH = 44         # stacked options, one under the other


def _page(strokes):
    im = Image.new("RGB", (300, 300), "white")
    d = ImageDraw.Draw(im)
    boxes = []
    for k in range(3):
        x0, y0 = 100, 60 + k * PITCH
        d.rectangle([x0, y0, x0 + SIDE, y0 + SIDE], outline=(30, 30, 30), width=2)
        boxes.append((x0, y0, x0 + SIDE + 1, y0 + SIDE + 1))
    for pts in strokes:
        d.line(pts, fill=BLUE, width=3, joint="curve")
    masks = ink_masks(np.asarray(im))
    return [decide(Box(bb, 2), masks) for bb in boxes], masks


def _check(box, arm):
    """A √ turning in the box (pixels), its long arm ``arm`` box sides long up and right."""
    x0, y0, x1, y1 = box
    turn = (x0 + 0.35 * SIDE, y0 + 0.75 * SIDE)
    return [(x0 + 0.1 * SIDE, y0 + 0.4 * SIDE), turn, (turn[0] + 0.35 * arm * SIDE, turn[1] - arm * SIDE)]


def test_a_long_arm_through_the_box_above_does_not_tick_it():
    boxes, _ = _page([])
    strokes = [_check(boxes[2].bbox, 2.0)]          # the bottom box's √ runs up through the middle box
    boxes, masks = _page(strokes)
    assert boxes[1].state is not False             # on the ink alone the middle box is not empty
    settled = one_box_per_stroke(boxes, masks)
    assert [b.state for b in settled] == [False, False, True]
    assert settled[1].confidence >= 0.8


def test_a_ticked_box_crossed_by_its_neighbours_stroke_stays_ticked():
    boxes, _ = _page([])
    strokes = [_check(boxes[1].bbox, 1.2), _check(boxes[2].bbox, 2.0)]
    boxes, masks = _page(strokes)
    settled = one_box_per_stroke(boxes, masks)
    assert [b.state for b in settled] == [False, True, True]


def test_two_ticks_whose_strokes_cross_keep_both():
    """An ✗ over the middle box and the bottom box's √ crossing it make one stroke, most of it
    in the middle box: the bottom box, ticked by the ink inside it, keeps its tick."""
    boxes, _ = _page([])
    x0, y0, x1, y1 = boxes[1].bbox
    cross = [[(x0 + 3, y0 + 3), (x1 - 3, y1 - 3)], [(x1 - 3, y0 + 3), (x0 + 3, y1 - 3)]]
    boxes, masks = _page(cross + [_check(boxes[2].bbox, 2.0)])
    assert [b.state for b in boxes] == [False, True, True]
    settled = one_box_per_stroke(boxes, masks)
    assert [b.state for b in settled] == [False, True, True]


def test_boxes_without_shared_strokes_are_left_as_they_are():
    boxes, _ = _page([])
    boxes, masks = _page([_check(boxes[0].bbox, 1.0)])
    settled = one_box_per_stroke(boxes, masks)
    assert [(b.state, b.confidence) for b in settled] == [(b.state, b.confidence) for b in boxes]
