"""Tell a seal (公章) from a handwritten signature in a picture, by its ink.

Used for pictures embedded in Word documents (an e-seal or a scanned signature pasted into
the declaration cell).  A seal is red ink laid out around a ring; a signature is dark
(black or blue) ink in thin strokes on a light ground.  The scan reader detects the same
marks on page images with its own detector and fills the same :class:`Mark`.
"""
from __future__ import annotations

import io
from typing import Optional

import numpy as np
from PIL import Image

MAX_SIDE = 400


def _rgb_array(data: bytes) -> Optional[np.ndarray]:
    try:
        im = Image.open(io.BytesIO(data))
        im.load()
    except Exception:
        return None
    if im.mode in ("RGBA", "LA", "P"):
        im = im.convert("RGBA")
        bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(bg, im)
    im = im.convert("RGB")
    im.thumbnail((MAX_SIDE, MAX_SIDE))
    return np.asarray(im, dtype=np.int16)


def red_ink_mask(a: np.ndarray) -> np.ndarray:
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    return (r > 120) & (r - g > 60) & (r - b > 50)


def dark_ink_mask(a: np.ndarray) -> np.ndarray:
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    dark = (r + g + b) < 300
    blue = (b > 100) & (b - r > 40) & (b - g > 20)
    return (dark | blue) & ~red_ink_mask(a)


def classify_picture(data: bytes) -> tuple[str, float, dict]:
    """("seal" | "signature" | "picture", confidence, measurements) for an image's bytes."""
    a = _rgb_array(data)
    if a is None:
        return "picture", 0.0, {"error": "unreadable image"}
    h, w = a.shape[:2]
    total = float(h * w)
    red = red_ink_mask(a)
    dark = dark_ink_mask(a)
    red_share, dark_share = red.sum() / total, dark.sum() / total
    light_share = float(((a.sum(axis=2)) > 600).sum()) / total
    detail = {"red_share": round(float(red_share), 4), "dark_share": round(float(dark_share), 4),
              "light_share": round(light_share, 4), "size": [int(w), int(h)]}
    if red_share > 0.03 and red_share > 2 * dark_share:
        # a seal's ink sits on a ring: the centre band is mostly empty compared with the rim
        ys, xs = np.nonzero(red)
        cy, cx = ys.mean(), xs.mean()
        rad = np.hypot(ys - cy, xs - cx)
        spread = float(rad.std() / (rad.mean() + 1e-6))
        aspect = min(w, h) / max(w, h)
        conf = 0.6 + 0.2 * (aspect > 0.7) + 0.2 * (spread < 0.6)
        detail.update({"aspect": round(aspect, 3), "ring_spread": round(spread, 3)})
        return "seal", round(float(min(conf, 0.99)), 3), detail
    if 0.003 < dark_share < 0.35 and light_share > 0.5:
        aspect = w / max(h, 1)
        conf = 0.7 + 0.2 * (aspect > 1.5) + 0.05 * (dark_share < 0.15)
        detail["aspect"] = round(aspect, 3)
        return "signature", round(float(min(conf, 0.95)), 3), detail
    return "picture", 0.5, detail
