"""A character the recogniser made up on blank paper, unsure, is taken off its line
(``extractors.scan.inkless``); one with ink in its place, or read sure, stays."""
import numpy as np

from extractors.scan.inkless import INKLESS_SCORE, without_inkless
from extractors.scan.ocr import OcrChar, OcrLine


def _line(scores):
    """话：-韦 as the recogniser gave it on held-out s6h1 rongxian p1 (boxes in px), with the
    probabilities given for the four characters."""
    boxes = [(636, 12, 669, 55), (669, 12, 696, 55), (697, 12, 725, 55), (750, 12, 786, 55)]
    chars = [OcrChar(t, b, s) for t, b, s in zip("话：-韦", boxes, scores)]
    return OcrLine("话：-韦", (636, 12, 786, 55), 0.97, chars)


def _ink(with_dash: bool) -> np.ndarray:
    ink = np.zeros((80, 900), bool)
    for x0, x1 in ((640, 665), (678, 686), (752, 784)):      # 话, the colon's dots, 韦
        ink[18:50, x0:x1] = True
    if with_dash:
        ink[32:35, 700:722] = True                            # a printed hyphen at mid-height
    return ink


def test_an_unsure_character_on_blank_paper_is_taken_off():
    out = without_inkless([_line([1.0, 0.99, 0.39, 1.0])], _ink(False))
    assert out[0].text == "话：韦" and [c.text for c in out[0].chars] == ["话", "：", "韦"]


def test_an_unsure_character_with_ink_in_its_place_stays():
    line = _line([1.0, 0.99, 0.39, 1.0])
    assert without_inkless([line], _ink(True))[0].text == "话：-韦"


def test_a_character_read_sure_stays_even_on_blank_paper():
    line = _line([1.0, 0.99, INKLESS_SCORE, 1.0])
    assert without_inkless([line], _ink(False))[0].text == "话：-韦"
