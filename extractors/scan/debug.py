"""A scanned page drawn with what the reader saw, like pdfplumber's ``debug_tablefinder``.

    python -m extractors.scan.debug FILE [--page N] [--out PAGE.png] [--table]

FILE is a scanned PDF or an image file (PNG/JPEG/TIFF).  The page is read as the pipeline reads
it and drawn straightened, with every OCR line (grey frame, its text and score above it) and
every tick-box candidate: green = kept ticked, blue = kept unticked, orange = kept undecided or
below the bar, red dashed = dropped; beside each its source, state, confidence and the short name
of the decision rule.  ``--table`` prints every candidate's full reason and evidence.
``draw(scan_page)`` gives the picture for a test's failure message.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Optional

from PIL import Image, ImageDraw, ImageFont

from pipeline.model.extraction import UNREADABLE_BELOW

from .page import ScanPage, scan_page
from .raster import page_images

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _font(size: int):
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default()


def _colour(kept: bool, state, conf: float) -> tuple[int, int, int]:
    if not kept:
        return (220, 30, 30)
    if state is None or conf < UNREADABLE_BELOW:
        return (240, 140, 0)
    return (0, 160, 0) if state else (30, 90, 230)


def draw(sp: ScanPage) -> Image.Image:
    """The straightened page with the OCR lines and every candidate box and its verdict."""
    if sp.image is None:
        raise ValueError("read the page with keep_image=True")
    im = Image.fromarray(sp.image).convert("RGB")
    im = Image.blend(im, Image.new("RGB", im.size, (255, 255, 255)), 0.45)
    d = ImageDraw.Draw(im)
    small = _font(max(9, int(sp.px_per_pt * 4)))
    for ln in sp.lines:
        x0, y0, x1, y1 = ln.box
        d.rectangle((x0, y0, x1, y1), outline=(150, 150, 150))
        d.text((x0, y0 - small.size - 1), f"{ln.text[:40]} ({ln.score:.2f})", fill=(110, 110, 110), font=small)
    for t in sp.ticks:
        v = t.verdict
        col = _colour(v.kept, v.state, v.confidence)
        x0, y0, x1, y1 = t.candidate.bbox
        d.rectangle((x0 - 2, y0 - 2, x1 + 2, y1 + 2), outline=col, width=3 if v.kept else 1)
        rule = v.reason.split(":")[1].strip() if ":" in v.reason else v.reason
        state = {True: "√", False: "□", None: "?"}[v.state] if v.kept else "×"
        d.text((x0, y1 + 3), f"{t.candidate.source[:3]} {state} {v.confidence:.2f} {rule}", fill=col, font=small)
    return im


def read_page(path: Path, page: int) -> ScanPage:
    for n, image, w, h in page_images(path):
        if n == page:
            return scan_page(image, n, w, h, path.name, keep_image=True)
    raise SystemExit(f"{path}: no page {page}")


def table(sp: ScanPage) -> str:
    rows = []
    for t in sp.ticks:
        v = t.verdict
        rows.append(f"{t.candidate.box()} {'KEPT' if v.kept else 'drop'} {v.state} {v.confidence:.2f} {v.reason}\n"
                    f"    {t.evidence}")
    return "\n".join(rows)


def main(argv: Optional[list[str]] = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m extractors.scan.debug", description=__doc__.split("\n\n")[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--page", type=int, default=1)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--table", action="store_true", help="print every candidate's reason and evidence")
    a = ap.parse_args(argv)
    sp = read_page(a.file, a.page)
    out = a.out or Path(f"{a.file.stem}-p{a.page}.debug.png")
    draw(sp).save(out)
    print(f"{out}: {sum(t.verdict.kept for t in sp.ticks)} boxes kept of {len(sp.ticks)} candidates, "
          f"{len(sp.lines)} lines")
    if a.table:
        print(table(sp))


if __name__ == "__main__":
    main()
