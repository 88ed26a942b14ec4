"""Shortcuts taken for speed give the same data as the plain way: the catalogue read by
libyaml's safe loader, the page's channels swapped by OpenCV for RapidOCR."""
from __future__ import annotations

import numpy as np
import yaml

from extractors.scan.ocr import _bgr
from pipeline.model.catalogue import CATALOGUE_DIR


def test_catalogue_same_with_libyaml():
    files = sorted(CATALOGUE_DIR.glob("*.yaml"))
    assert files
    for p in files:
        with open(p, encoding="utf-8") as f:
            plain = yaml.safe_load(f)
        with open(p, encoding="utf-8") as f:
            fast = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        assert fast == plain


def test_bgr_same_bytes_as_reversed_channels():
    rng = np.random.default_rng(0)
    page = rng.integers(0, 256, (301, 207, 3), dtype=np.uint8)
    for img in (page, page[5:60, 7:-3], page[:, ::2]):     # whole, a crop, a strided view
        want = np.ascontiguousarray(img[:, :, ::-1])
        got = _bgr(img)
        assert got.flags.c_contiguous and got.dtype == np.uint8 and np.array_equal(got, want)
