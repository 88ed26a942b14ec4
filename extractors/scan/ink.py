"""Which pixels of a page image are ink, and which ink: print, pen (blue ballpoint) or seal (red).

A scanner sees three inks on a filled-in form: the black print (text, ruling lines, boxes),
pen (ticks and signatures: blue ballpoint mostly, sometimes black) and the red seal.  The
masks here are boolean arrays over an RGB image (``uint8``, H×W×3):

* ``dark``  — darker than the page's own threshold (Otsu on the grey image, clamped so a blank
  page does not turn its paper noise into ink), or clearly darker than its surroundings
  (adaptive threshold over ``ADAPTIVE_BLOCK`` px, ``ADAPTIVE_C`` grey levels below the local
  mean): a thin printed box outline blurred by the scanner stays light grey (~170–190) and
  only the local test finds it;
* ``blue``  — clearly blue: blue above red and green by a margin, not paper-light;
* ``red``   — clearly red: red above green and blue by a margin (seal ink);
* ``print`` — dark and neither blue nor red: what the printer put on the page (black pen is
  indistinguishable from print by colour and lands here too).
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# Otsu's threshold on a grey page is clamped into this range: a page of faint print still gets
# a usable threshold and a blank page cannot call its paper texture ink.
MIN_DARK_THRESHOLD = 90
MAX_DARK_THRESHOLD = 170
ADAPTIVE_BLOCK = 31        # px, about 4 mm at the reader's 200 dpi
ADAPTIVE_C = 25


@dataclass
class InkMasks:
    grey: np.ndarray            # uint8 H×W
    dark: np.ndarray            # bool
    blue: np.ndarray
    red: np.ndarray
    threshold: int

    @property
    def print(self) -> np.ndarray:
        return self.dark & ~self.blue & ~self.red

    @property
    def any(self) -> np.ndarray:
        return self.dark | self.blue | self.red


def blue_mask(rgb: np.ndarray) -> np.ndarray:
    r, g, b = (rgb[..., i].astype(np.int16) for i in range(3))
    return (b - r > 35) & (b - g > 15) & (r + g + b < 620)


def red_mask(rgb: np.ndarray) -> np.ndarray:
    r, g, b = (rgb[..., i].astype(np.int16) for i in range(3))
    return (r > 110) & (r - g > 55) & (r - b > 45)


def dark_threshold(grey: np.ndarray) -> int:
    t, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return int(min(max(t, MIN_DARK_THRESHOLD), MAX_DARK_THRESHOLD))


def ink_masks(rgb: np.ndarray) -> InkMasks:
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    t = dark_threshold(grey)
    local = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV,
                                  ADAPTIVE_BLOCK, ADAPTIVE_C) > 0
    return InkMasks(grey=grey, dark=(grey < t) | local, blue=blue_mask(rgb), red=red_mask(rgb), threshold=t)


def dropout_colour(rgb: np.ndarray, masks: InkMasks) -> np.ndarray:
    """A copy of the image with pen-blue and seal-red ink turned to paper white (for OCR).

    Scanners used for forms do the same ("colour dropout"): the print stays, the coloured
    marks over it go, so they cannot turn into letters.
    """
    out = rgb.copy()
    coloured = masks.blue | masks.red
    if coloured.any():
        coloured = cv2.dilate(coloured.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool) & ~(masks.grey < 60)
        out[coloured] = 255
    return out
