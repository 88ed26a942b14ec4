"""``pipeline.model.geometry.BBox``: the one box type the scan reader measures with."""
from pipeline.model.geometry import BBox


def test_overlap_iou_and_margin():
    a, b = BBox(0, 0, 10, 10), BBox(5, 5, 15, 15)
    assert a.overlap(b) == 25 and abs(a.iou(b) - 25 / 175) < 1e-9
    c = BBox(12, 0, 20, 10)
    assert not a.overlaps(c) and a.overlaps(c, margin=2.5)
    assert a.x_overlap(c) == 0 and a.y_overlap(c) == 10


def test_inset_never_crosses_the_middle_and_containment():
    a = BBox(0, 0, 10, 4)
    assert a.inset(1) == BBox(1, 1, 9, 3)
    assert a.inset(5).height == 0 and a.inset(5).width == 6
    assert a.contains(a.inset(1)) and not a.inset(1).contains(a)
    assert a.outset(1).contains(a) and a.contains_point(10.5, 2, tol=0.5)


def test_made_from_tuples_and_back():
    b = BBox.around(5, 5, 4)
    assert tuple(b) == (3, 3, 7, 7) and b.side == 4 and (b.cx, b.cy) == (5, 5)
    assert BBox.of((1, 2, 3, 4)).scaled(2) == BBox(2, 4, 6, 8)
    assert BBox.union_of([BBox(0, 0, 1, 1), BBox(2, 2, 3, 3)]) == BBox(0, 0, 3, 3)
    assert BBox.union_of([]) is None
