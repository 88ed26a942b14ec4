"""Damaged copies of real files for the fuzzing harness (tests/test_fuzz_readers.py, make fuzz).

Seeds are real files of each kind the readers take: a sample 申报表 (DOCX), a sample evidence
table (XLSX), a small text-layer PDF and tiny PNG/JPEG/TIFF images (small, so a damaged one
that falls to OCR costs a second, not minutes), and a zip dossier of a DOCX and a PDF.
Mutations: truncate, flip bits, zero a range, splice a piece of another seed in, and for zip
packages damage one member (its compressed bytes, its declared size, its compression method
or its name) the way a broken upload or a hostile tool would.
"""
from __future__ import annotations

import io
import struct
import zipfile
from functools import lru_cache
from pathlib import Path

from hypothesis import strategies as st

from .pdf_fixtures import text_page, write_pdf

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "dossiers"


def _sample(pattern: str) -> bytes:
    return sorted(SAMPLES.glob(pattern), key=lambda p: p.stat().st_size)[0].read_bytes()


def _image(fmt: str) -> bytes:
    from PIL import Image, ImageDraw
    im = Image.new("L", (96, 48), 255)
    d = ImageDraw.Draw(im)
    d.rectangle((4, 4, 20, 20), outline=0, width=2)
    d.line((8, 12, 12, 18, 19, 6), fill=0, width=2)
    d.text((28, 10), "56.30", fill=0)
    buf = io.BytesIO()
    im.save(buf, fmt)
    return buf.getvalue()


@lru_cache(maxsize=1)
def seeds() -> dict[str, tuple[str, bytes]]:
    """kind -> (file name, bytes)."""
    pdf = write_pdf([text_page(["Total output 56.30", "2020 45.60 2021 50.20"], width=300.0, height=150.0)])
    form = _sample("*/*申报*.docx")
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("材料/申报表.docx", form)
        z.writestr("材料/统计证明.pdf", pdf)
    return {
        "docx": ("申报表.docx", form),
        "xlsx": ("名单.xlsx", _sample("*/*.xlsx")),
        "pdf": ("证明.pdf", pdf),
        "png": ("证书.png", _image("PNG")),
        "jpeg": ("证书.jpg", _image("JPEG")),
        "tiff": ("证书.tif", _image("TIFF")),
        "zip": ("材料.zip", zbuf.getvalue()),
    }


# --------------------------------------------------------------------------- mutations
def truncate(data: bytes, at: int) -> bytes:
    return data[: at % max(len(data), 1)]


def flip_bits(data: bytes, positions: list[int]) -> bytes:
    b = bytearray(data)
    for p in positions:
        b[(p // 8) % len(b)] ^= 1 << (p % 8)
    return bytes(b)


def zero_range(data: bytes, start: int, length: int) -> bytes:
    b = bytearray(data)
    s = start % len(b)
    b[s:s + length] = bytes(len(b[s:s + length]))
    return bytes(b)


def splice(data: bytes, other: bytes, at: int, start: int, length: int) -> bytes:
    a = at % max(len(data), 1)
    s = start % max(len(other), 1)
    return data[:a] + other[s:s + length] + data[a + length:]


def _central_headers(data: bytes) -> list[int]:
    out, i = [], data.find(b"PK\x01\x02")
    while i >= 0:
        out.append(i)
        i = data.find(b"PK\x01\x02", i + 4)
    return out


def damage_member(data: bytes, which: int, how: str, value: int) -> bytes:
    """One member of a zip package damaged: ``data`` (its compressed bytes), ``size`` (its
    declared uncompressed size), ``method`` (its compression method) or ``name`` (a byte of
    its name, in the central directory only)."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        return data
    if not infos:
        return data
    info = infos[which % len(infos)]
    b = bytearray(data)
    central = _central_headers(data)
    c = central[which % len(infos)] if len(central) == len(infos) else None
    if how == "data":
        off = info.header_offset
        n, m = struct.unpack_from("<HH", b, off + 26)
        start = off + 30 + n + m
        if info.compress_size:
            p = start + value % info.compress_size
            b[p] ^= 0xFF
    elif how == "size" and c is not None:
        struct.pack_into("<I", b, c + 24, value & 0xFFFFFFFF)
    elif how == "method" and c is not None:
        method = (0, 8, 9, 12, 14, 99, value & 0xFFFF)[value % 7]
        struct.pack_into("<H", b, c + 10, method)
        struct.pack_into("<H", b, info.header_offset + 8, method)
    elif how == "name" and c is not None:
        n = struct.unpack_from("<H", b, c + 28)[0]
        if n:
            b[c + 46 + value % n] = (0x2F, 0x2E, 0x00, 0xFF, 0x5C)[value % 5]    # / . NUL 0xFF backslash
    return bytes(b)


class Case(tuple):
    """(kind, file name, damaged bytes, what was done), shown without its bytes."""

    def __repr__(self) -> str:
        return f"Case({self[0]!r}, {self[1]!r}, <{len(self[2])} bytes>, {self[3]!r})"


@st.composite
def damaged(draw, kinds: tuple[str, ...]) -> Case:
    return Case(draw(_damaged(kinds)))


@st.composite
def _damaged(draw, kinds: tuple[str, ...]) -> tuple[str, str, bytes, str]:
    """(kind, file name, damaged bytes, what was done)."""
    all_seeds = seeds()
    kind = draw(st.sampled_from(kinds))
    name, data = all_seeds[kind]
    ops = ["truncate", "flip", "zero", "splice"] + (["member"] * 2 if data.startswith(b"PK") else [])
    op = draw(st.sampled_from(ops))
    n = len(data)
    if op == "truncate":
        at = draw(st.integers(0, n - 1))
        return kind, name, truncate(data, at), f"truncate at {at}"
    if op == "flip":
        pos = draw(st.lists(st.integers(0, n * 8 - 1), min_size=1, max_size=16))
        return kind, name, flip_bits(data, pos), f"flip bits {pos}"
    if op == "zero":
        start, length = draw(st.integers(0, n - 1)), draw(st.integers(1, 4096))
        return kind, name, zero_range(data, start, length), f"zero {length} at {start}"
    if op == "splice":
        other_kind = draw(st.sampled_from(sorted(all_seeds)))
        other = all_seeds[other_kind][1]
        at, start, length = draw(st.integers(0, n)), draw(st.integers(0, len(other))), draw(st.integers(1, 8192))
        return kind, name, splice(data, other, at, start, length), f"splice {length} of {other_kind}@{start} at {at}"
    which, how = draw(st.integers(0, 200)), draw(st.sampled_from(["data", "size", "method", "name"]))
    value = draw(st.integers(0, 2**32 - 1))
    return kind, name, damage_member(data, which, how, value), f"member {which} {how} {value}"
