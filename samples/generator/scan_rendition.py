"""A scanned rendition of a sample: the form printed with every box empty, ticked by pen, scanned.

    python -m samples.generator.scan_rendition --out samples [--only ID ...] [--seed-salt S]

The way an applicant's paper form reaches intake:

1. **Print with empty boxes.**  A copy of the DOCX (a legacy .doc form is first saved as DOCX by
   LibreOffice) has every tick turned unticked in its XML
   (typed ☑ ■ √ … → □, ``□√`` → □, Wingdings F0FE/F0FD → F0A8/F06F, Wingdings 2 F052/F054 →
   F0A3, ``w14:checked`` → 0, FORMCHECKBOX ``w:checked`` removed) and LibreOffice prints it
   to PDF.  The seal and signature pictures of the DOCX stay in the print.
2. **Find the boxes.**  pdfplumber reads the print's text layer: box glyphs (□ ☐, the symbol
   fonts' private-use boxes) and small square rectangles (FORMCHECKBOX), in print order (a
   drawn box by the characters around it on its line), each with the label printed right of it
   up to the next box and, for a box that ends its line, the next line's start up to its first
   box (from the cell's left ruling): where a label cut at the line's end goes on.  The form's
   option groups (``catalog.GROUPS``) are walked in order, each taking as many boxes as it has
   options from those that follow; inside a group each box gets the option its label names
   (NFKC, whitespace and punctuation left out, the option agreeing furthest; options in any
   order, two or more to a line), a box with no label the one option left when every other
   box is matched.  Any box it cannot assign with certainty stops the run with a message
   naming it (the expected JSON is ground truth; nothing is guessed).  The expected JSON says
   which boxes are ticked.  Every DOCX base of the samples renders (their forms print option
   groups one per line, two or three to a line, and flowing with labels wrapped), and the
   legacy gz-suiyang-chili-doc.
3. **Tick by pen.**  Each ticked box gets a pen stroke drawn over the 200 dpi page: a √ (mostly)
   or an ✗, 1.3–2.4× the box, overrunning it, of varying pressure and slant, blue ballpoint
   mostly and black sometimes.
4. **Scan.**  Each page is turned by up to ±1.5°, its contrast and brightness shifted, blurred,
   given sensor noise and saved as a colour JPEG (quality 50–62, 4:2:0, progressive) at 200
   dpi; the pages are wrapped as an image-only PDF, or as a multi-page TIFF (``TIFF_BASES``).

Every random draw comes from ``sha256(seed:dossier:purpose)``; ``degrade_page`` takes its own
random generator, so tests can make a fresh degradation with a held-out seed (``TEST_SEEDS``)
that no committed sample used.  Needs LibreOffice for step 1 only; ``--print-cache`` keeps a
print between runs.  Writes ``dossiers/<id>-scan/`` (the scan plus the base's evidence files) and
``expected/<id>-scan.json``.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Optional

from PIL import Image, ImageDraw, ImageFilter

from .catalog import GROUPS

SEED = 20240601
DPI = 200
# the committed scans
BASES = ["gz-suiyang-chili", "gz-renhuai-baijiu-packaging", "gx-rongxian-furniture", "gx-beiliu-ceramics"]
TIFF_BASES = {"gx-rongxian-furniture"}        # written as a multi-page TIFF instead of a PDF
# seeds no committed sample uses: tests degrade clean pages with these
TEST_SEEDS = [910001, 910002, 910003]

# JPEG quality of a page, drawn per page: an office scanner's "standard" colour setting; with
# 4:2:0 chroma and progressive coding about 150 KB per A4 page at 200 dpi
QUALITY_LO, QUALITY_HI = 50, 62

TICKED_CHARS = "☑■☒✓✔✗√"
SYMBOL_BOX_CODES = {0xF0A8, 0xF06F, 0xF0A3, 0xF071, 0xF072, 0xF0A2}
BOX_CHARS = set("□☐")


def rng_for(dossier_id: str, purpose: str, salt: str = "") -> random.Random:
    """The random generator of one purpose; a ``salt`` (``--seed-salt``) makes a held-out
    rendition with other pen ticks and other degradations than the committed one."""
    key = f"{SEED}:{salt}:{dossier_id}:{purpose}" if salt else f"{SEED}:{dossier_id}:{purpose}"
    h = hashlib.sha256(key.encode()).hexdigest()
    return random.Random(int(h[:16], 16))


# ------------------------------------------------------------------ 1. print with empty boxes
def untick_xml(xml: str) -> str:
    """document.xml with every tick of every encoding the samples use turned unticked."""
    def fix_text(m: re.Match) -> str:
        t = m.group(2).replace("□√", "□").replace("√□", "□")
        return m.group(1) + re.sub(f"[{TICKED_CHARS}]", "□", t) + m.group(3)
    xml = re.sub(r"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)", fix_text, xml)
    xml = re.sub(r'(w:char=")F0FE(")', r"\1F0A8\2", xml)
    xml = re.sub(r'(w:char=")F0FD(")', r"\1F06F\2", xml)
    xml = re.sub(r'(w:char=")F05[24](")', r"\1F0A3\2", xml)
    xml = xml.replace('w14:checked w14:val="1"', 'w14:checked w14:val="0"')
    return re.sub(r'<w:checked/>|<w:checked w:val="(?:1|true|on)"/>', "", xml)


def untick_docx(src: Path, dst: Path) -> None:
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        for item in zi.infolist():
            data = zi.read(item)
            if item.filename == "word/document.xml":
                data = untick_xml(data.decode("utf-8")).encode("utf-8")
            zo.writestr(item, data)


def _soffice_convert(src: Path, target: str, outdir: Path) -> Path:
    """LibreOffice headless conversion of ``src`` to ``target`` ("pdf", "docx") in ``outdir``."""
    with tempfile.TemporaryDirectory() as td:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{td}/profile", "--headless",
                        "--convert-to", target, "--outdir", str(outdir), str(src)],
                       check=True, capture_output=True, timeout=300)
    return outdir / (src.stem + "." + target)


def print_pdf(docx: Path, outdir: Path) -> Path:
    """LibreOffice headless DOCX → PDF (the 'printer')."""
    return _soffice_convert(docx, "pdf", outdir)


def unticked_copy(form: Path, dst: Path) -> None:
    """``dst`` (a .docx path): the form with every box empty; a legacy .doc form is saved as
    DOCX by LibreOffice first (its ticks are then in the DOCX's XML like any other)."""
    if form.suffix.lower() == ".doc":
        with tempfile.TemporaryDirectory() as td:
            untick_docx(_soffice_convert(form, "docx", Path(td)), dst)
    else:
        untick_docx(form, dst)


# ------------------------------------------------------------------ 2. find the boxes
def _nfkc(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def _is_box_char(t: str) -> bool:
    return t in BOX_CHARS or (len(t) == 1 and ord(t) in SYMBOL_BOX_CODES)


def _text_of(chars: list[dict]) -> str:
    """The chars' text in x order, NFKC, without whitespace, box glyphs or symbol-font glyphs."""
    return _nfkc("".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]) if c["text"] not in BOX_CHARS
                         and not (len(c["text"]) == 1 and ord(c["text"]) >= 0xF000)))


def _mid(b) -> float:
    return (b[1] + b[3]) / 2


def _drawn_box_place(chars: list[dict], r: dict) -> float:
    """Where a drawn checkbox sits in the page's character stream: just before the first char
    right of it on its line; when none follows on the line (the box ends it, its label wrapped to
    the next line), just after the last char left of it on the line; else at the page's end."""
    def on_line(c):
        return abs((c["top"] + c["bottom"]) / 2 - (r["top"] + r["bottom"]) / 2) < 5
    k = next((i for i, c in enumerate(chars) if c["top"] >= r["top"] - 2 and c["x0"] >= r["x1"] - 1 and on_line(c)),
             None)
    if k is not None:
        return k - 0.5
    before = [i for i, c in enumerate(chars) if on_line(c) and c["x1"] <= r["x0"] + 1]
    return max(before, key=lambda i: chars[i]["x0"]) + 0.5 if before else len(chars) - 0.5


def _page_boxes(page) -> list[tuple[float, float, float, float]]:
    """The page's box glyphs and drawn checkboxes (FORMCHECKBOX), in the order they are printed."""
    chars = page.chars
    found: list[tuple[float, tuple[float, float, float, float]]] = [
        (k, (ch["x0"], ch["top"], ch["x1"], ch["bottom"])) for k, ch in enumerate(chars) if _is_box_char(ch["text"])]
    for r in page.rects:
        if abs(r["width"] - r["height"]) < 1.0 and 5 <= r["width"] <= 16:
            found.append((_drawn_box_place(chars, r), (r["x0"], r["top"], r["x1"], r["bottom"])))
    found.sort(key=lambda f: f[0])
    return [b for _, b in found]


def _line_start(page, line: list, b) -> float:
    """Where the text a box belongs to starts on its line: the table cell's left ruling (a
    vertical line longer than three boxes: not a drawn box's own side) when the box sits in a
    ruled cell, else the start of the printed run holding the box (going left over
    characters, spaces too, and boxes while the gap to the next is under the box's height — a
    borderless table's column gap ends it)."""
    cy, h = _mid(b), b[3] - b[1]
    rulings = [e["x0"] for e in page.edges if e["orientation"] == "v" and e["x0"] <= b[0]
               and e["top"] <= cy <= e["bottom"] and e["bottom"] - e["top"] > 3 * h]
    if rulings:
        return max(rulings)
    items = sorted([(c["x0"], c["x1"]) for c in page.chars if abs((c["top"] + c["bottom"]) / 2 - cy) < 4
                    and c["x1"] <= b[0] + 1] + [(b2[0], b2[2]) for b2 in line if b2[2] <= b[0] + 1],
                   key=lambda t: -t[1])
    left = b[0]
    for x0, x1 in items:
        if x1 < left - h:
            break
        left = min(left, x0)
    return left


def _wrapped_text(page, boxes: list, b, line: list) -> str:
    """The start of the next printed line under a box that ends its line, from where the box's
    text starts on its own line (``_line_start``) up to the next line's first box: where a label
    cut at the line's end goes on."""
    cy, h = _mid(b), b[3] - b[1]
    left = _line_start(page, line, b) - 2
    below = [c for c in page.chars if cy + 4 < (c["top"] + c["bottom"]) / 2 <= cy + 2.2 * h and c["x0"] >= left
             and not _is_box_char(c["text"])]
    if not below:
        return ""
    ny = min((c["top"] + c["bottom"]) / 2 for c in below)
    stop = min((b2[0] for b2 in boxes if abs(_mid(b2) - ny) < 4 and b2[0] >= left), default=math.inf)
    return _text_of([c for c in below if abs((c["top"] + c["bottom"]) / 2 - ny) < 4 and c["x0"] < stop])


def printed_boxes(pdf_path: Path) -> list[dict]:
    """Every empty box of the print, in print order: page (1-based), bbox in points, ``label``
    (the text right of it on its line, up to the next box) and ``wrapped`` (for a box that ends
    its line: the next line's text up to its first box, where a cut label goes on; else "")."""
    import pdfplumber
    out = []
    with pdfplumber.open(str(pdf_path)) as pdf:
        for pno, page in enumerate(pdf.pages, 1):
            chars = page.chars
            boxes = _page_boxes(page)
            for b in boxes:
                cy = _mid(b)
                line = [b2 for b2 in boxes if abs(_mid(b2) - cy) < 4]
                right = [b2[0] for b2 in line if b2 is not b and b2[0] > b[2]]
                stop = min(right) if right else b[2] + 400
                label = _text_of([c for c in chars if abs((c["top"] + c["bottom"]) / 2 - cy) < 4
                                  and b[2] - 1 <= c["x0"] < stop])
                wrapped = "" if right else _wrapped_text(page, boxes, b, line)
                out.append({"page": pno, "bbox": b, "label": label, "wrapped": wrapped})
    return out


def _letters(s: str) -> str:
    """NFKC text without whitespace and punctuation (a print may set a ，or “ off the line)."""
    return "".join(ch for ch in _nfkc(s) if not unicodedata.category(ch).startswith("P"))


def _agreement(text: str, option: str) -> int:
    """How far a box's printed text agrees with an option's label from its start (characters,
    NFKC, whitespace and punctuation left out); 0 unless at least the option's first 4
    characters (all of a shorter one) are printed there."""
    text, o = _letters(text), _letters(option)
    if not text.startswith(o[:4]):
        return 0
    return next((i for i, (x, y) in enumerate(zip(text, o)) if x != y), min(len(text), len(o)))


def _candidates(box: dict, labels: list[str]) -> set[str]:
    """The options a box's text names: those agreeing with it furthest (more than one on a tie)."""
    text = box["label"] + box.get("wrapped", "")
    scores = {lab: _agreement(text, lab) for lab in labels}
    best = max(scores.values(), default=0)
    return {lab for lab, s in scores.items() if s == best} if best else set()


def _where(b: dict) -> str:
    return f"box on page {b['page']} labelled {(b['label'] + b.get('wrapped', ''))[:12]!r}"


def match_group(gid: str, labels: list[str], region: list[dict]) -> list[str]:
    """The option of each box of one group's region (its boxes in print order), by label.

    Each box takes the option its text (label right of it, with the next line's start where the
    label wraps) names, in any order; a box with no text — or whose text fits several options — is
    given the last option left only when that is certain (every other box matched).  Raises
    ``SystemExit`` when a box's text names no option of the group, two boxes name the same option,
    or boxes are left that cannot be told apart.
    """
    cands = [_candidates(b, labels) for b in region]
    for b, c in zip(region, cands):
        if not c and (b["label"] + b.get("wrapped", "")):
            raise SystemExit(f"{_where(b)}, expected one of {gid}: {'/'.join(labels)}")
    chosen: list[Optional[str]] = [None] * len(region)
    progress = True
    while progress:
        progress = False
        taken = {c for c in chosen if c}
        for i, c in enumerate(cands):
            left = c - taken
            if chosen[i] is None and len(left) == 1:
                lab = left.pop()
                chosen[i] = lab
                taken.add(lab)
                progress = True
            elif chosen[i] is None and c and not left:
                raise SystemExit(f"{_where(region[i])}: {gid}'s option {'/'.join(c)} is already another box's")
    open_boxes = [i for i, c in enumerate(chosen) if c is None]
    rest = [lab for lab in labels if lab not in set(chosen)]
    if len(open_boxes) == 1 and len(rest) == 1 and (not cands[open_boxes[0]] or rest[0] in cands[open_boxes[0]]):
        chosen[open_boxes[0]] = rest[0]
    elif open_boxes:
        raise SystemExit(f"{_where(region[open_boxes[0]])}: cannot tell which of {gid}'s options "
                         f"{'/'.join(rest)} its {len(open_boxes)} unlabelled boxes are")
    return [c for c in chosen if c is not None]


def assign_ticks(boxes: list[dict], fields: dict) -> list[dict]:
    """Give each printed box its option group, option and state (the expected JSON's value).

    The groups are walked in the catalogue's order (``catalog.GROUPS``), each taking as many
    boxes as it has options from those that follow in print order; inside a group the boxes are
    matched to options by label (``match_group``), so a form may print a group's options in
    another order, two or three to a line, or with a label wrapped to the next line.  The boxes
    keep their print order.  Stops (``SystemExit``) on any box it cannot assign with certainty.
    """
    n = sum(len(labs) for _, labs, _ in GROUPS.values())
    if n != len(boxes):
        raise SystemExit(f"the print has {len(boxes)} boxes, the form's groups {n} options")
    at = 0
    for gid, (_, labels, _) in GROUPS.items():
        region = boxes[at:at + len(labels)]
        value = fields[gid]
        for b, lab in zip(region, match_group(gid, labels, region)):
            b["group"], b["option"] = gid, lab
            b["ticked"] = (value == lab) if not isinstance(value, list) else lab in value
        at += len(labels)
    return boxes


# ------------------------------------------------------------------ 3. tick by pen
BLUE_INKS = [(24, 44, 150), (30, 60, 170), (18, 36, 120), (40, 70, 180)]
BLACK_INKS = [(25, 25, 30), (40, 40, 48)]


def _stroke(draw: ImageDraw.ImageDraw, pts: list[tuple[float, float]], colour, width: float, rng: random.Random) -> None:
    """A pen stroke through points: pressure swells in the middle and thins at the ends."""
    n = len(pts)
    for i in range(n - 1):
        p = math.sin(math.pi * (i + 0.5) / (n - 1)) ** 0.6
        w = max(1.0, width * (0.55 + 0.6 * p) * rng.uniform(0.9, 1.1))
        draw.line([pts[i], pts[i + 1]], fill=colour + (235,), width=int(round(w)))
        r = w / 2.0
        x, y = pts[i + 1]
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour + (235,))


def _curve(a, b, bow: float, n: int = 14) -> list[tuple[float, float]]:
    """Points from a to b along a gently bowed line."""
    (x0, y0), (x1, y1) = a, b
    nx, ny = -(y1 - y0), (x1 - x0)
    out = []
    for i in range(n + 1):
        t = i / n
        k = bow * math.sin(math.pi * t)
        out.append((x0 + (x1 - x0) * t + nx * k, y0 + (y1 - y0) * t + ny * k))
    return out


def pen_tick(draw: ImageDraw.ImageDraw, box_px: tuple[float, float, float, float], rng: random.Random) -> str:
    """Draw a hand tick over a box (its visible square, in pixels); returns "check" or "cross"."""
    x0, y0, x1, y1 = box_px
    s = max(x1 - x0, y1 - y0, 8.0)
    size = s * rng.uniform(1.3, 2.4)
    colour = rng.choice(BLUE_INKS) if rng.random() < 0.8 else rng.choice(BLACK_INKS)
    width = rng.uniform(2.0, 3.6)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if rng.random() < 0.75:
        # the √'s turn sits in the box, its long stroke overruns up and right
        b = (cx + rng.uniform(-0.12, 0.12) * s, cy + rng.uniform(0.0, 0.25) * s)
        a = (b[0] - rng.uniform(0.25, 0.45) * size, b[1] - rng.uniform(0.25, 0.45) * size)
        c = (b[0] + rng.uniform(0.45, 0.75) * size, b[1] - rng.uniform(0.85, 1.25) * size)
        _stroke(draw, _curve(a, b, rng.uniform(-0.08, 0.08), 8), colour, width, rng)
        _stroke(draw, _curve(b, c, rng.uniform(-0.1, 0.1)), colour, width, rng)
        return "check"
    h = 0.5 * size * rng.uniform(0.6, 0.9)
    cx, cy = cx + rng.uniform(-0.1, 0.1) * s, cy + rng.uniform(-0.1, 0.1) * s
    _stroke(draw, _curve((cx - h, cy - h), (cx + h, cy + h), rng.uniform(-0.08, 0.08)), colour, width, rng)
    _stroke(draw, _curve((cx + h, cy - h * rng.uniform(0.9, 1.2)), (cx - h, cy + h), rng.uniform(-0.08, 0.08)),
            colour, width, rng)
    return "cross"


def visible_box(page: Image.Image, bbox_pt: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The printed square inside a box glyph's character box, in pixels (the ink's extent)."""
    import numpy as np
    s = DPI / 72.0
    x0, y0, x1, y1 = (int(bbox_pt[0] * s), int(bbox_pt[1] * s), int(bbox_pt[2] * s) + 1, int(bbox_pt[3] * s) + 1)
    a = np.asarray(page.convert("L").crop((x0, y0, x1, y1))) < 140
    ys, xs = np.nonzero(a)
    if len(xs) == 0:
        return (x0, y0, x1, y1)
    return (x0 + xs.min(), y0 + ys.min(), x0 + xs.max() + 1, y0 + ys.max() + 1)


def tick_page(page: Image.Image, boxes_pt: list[tuple[float, float, float, float]], rng: random.Random) -> Image.Image:
    """The page with a pen tick over each of the given boxes (points → pixels at DPI)."""
    from PIL import ImageChops
    overlay = Image.new("RGBA", page.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for b in boxes_pt:
        pen_tick(draw, visible_box(page, b), rng)
    overlay = overlay.filter(ImageFilter.GaussianBlur(0.6))
    # ballpoint ink is transparent-ish: multiply it onto the print
    ink = Image.alpha_composite(Image.new("RGBA", page.size, (255, 255, 255, 255)), overlay).convert("RGB")
    return ImageChops.multiply(page.convert("RGB"), ink)


# ------------------------------------------------------------------ 4. scan
def degrade_page(page: Image.Image, rng: random.Random) -> tuple[Image.Image, dict]:
    """An office scanner's copy of a clean page: turned, blurred, noisy, levels and contrast shifted.

    The sensor's noise is added before the scanner's levels step (paper above ``white`` is
    clipped to white, as office scanners do), so it shows on the print and its edges and
    little on blank paper.  Returns the RGB image (save it as JPEG with ``params["quality"]``)
    and the parameters drawn.
    """
    import numpy as np
    params = {"angle": round(rng.uniform(-1.5, 1.5), 3), "contrast": round(rng.uniform(0.85, 1.05), 3),
              "blur": round(rng.uniform(0.7, 1.1), 3), "noise": round(rng.uniform(2.0, 5.0), 2),
              "white": rng.randint(226, 240), "black": rng.randint(0, 30), "quality": rng.randint(QUALITY_LO, QUALITY_HI)}
    im = page.convert("RGB").rotate(params["angle"], resample=Image.Resampling.BICUBIC, expand=False,
                                    fillcolor=(255, 255, 255))
    im = im.filter(ImageFilter.GaussianBlur(params["blur"]))
    a = np.asarray(im, dtype=np.float32) * 0.94 + 6.0          # paper and toner as the sensor sees them
    nrng = np.random.default_rng(rng.getrandbits(32))
    a = a + nrng.normal(0.0, params["noise"], a.shape[:2])[..., None]
    lo, hi = params["black"], params["white"]
    a = (a - lo) * (255.0 / (hi - lo))
    a = 128.0 + (a - 128.0) * params["contrast"]
    im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")
    return im, params


def jpeg_bytes(im: Image.Image, quality: int) -> bytes:
    """The page as a scanner's colour JPEG: 4:2:0 chroma, progressive, at DPI."""
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, optimize=True, progressive=True, subsampling="4:2:0", dpi=(DPI, DPI))
    return buf.getvalue()


def render_print(pdf_path: Path) -> list[Image.Image]:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [pdf[i].render(scale=DPI / 72.0).to_pil().convert("RGB") for i in range(len(pdf))]
    finally:
        pdf.close()


def scan_pages(clean: list[Image.Image], ticks: list[dict], dossier_id: str,
               salt: str = "") -> tuple[list[bytes], list[dict]]:
    """Each page ticked and scanned: (JPEG bytes per page, degradation parameters per page)."""
    pen = rng_for(dossier_id, "pen", salt)
    out, params = [], []
    for pno, page in enumerate(clean, 1):
        boxes = [b["bbox"] for b in ticks if b["page"] == pno and b["ticked"]]
        ticked = tick_page(page, boxes, pen) if boxes else page
        im, p = degrade_page(ticked, rng_for(dossier_id, f"scan:{pno}", salt))
        out.append(jpeg_bytes(im, p["quality"]))
        params.append(p)
    return out, params


def box_records(clean: list[Image.Image], ticks: list[dict], params: list[dict]) -> list[dict]:
    """Where every printed box lies on the page as scanned: its visible square's centre and side
    in points on the stored (turned) page, its group, option and whether it was ticked — the
    ground truth a box finder is measured against (``tests/scan_scoring.py``)."""
    out = []
    for b in ticks:
        page, angle = clean[b["page"] - 1], params[b["page"] - 1]["angle"]
        x0, y0, x1, y1 = visible_box(page, b["bbox"])
        cx, cy = page.width / 2.0, page.height / 2.0
        x, y, t = (x0 + x1) / 2.0 - cx, (y0 + y1) / 2.0 - cy, math.radians(angle)
        # PIL's rotate turns counter-clockwise on screen (y down) about the image centre
        px, py = cx + x * math.cos(t) + y * math.sin(t), cy - x * math.sin(t) + y * math.cos(t)
        s = 72.0 / DPI
        out.append({"page": b["page"], "centre": [round(px * s, 2), round(py * s, 2)],
                    "side": round(max(x1 - x0, y1 - y0) * s, 2), "group": b["group"], "option": b["option"],
                    "ticked": b["ticked"]})
    return out


def write_pdf(pages: list[bytes], path: Path) -> None:
    """An image-only PDF: each page one JPEG, embedded as it is (no re-encoding), at DPI."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument.new()
    try:
        for data in pages:
            w, h = Image.open(io.BytesIO(data)).size
            wpt, hpt = w * 72.0 / DPI, h * 72.0 / DPI
            page = pdf.new_page(wpt, hpt)
            img = pdfium.PdfImage.new(pdf)
            img.load_jpeg(io.BytesIO(data), inline=True)
            img.set_matrix(pdfium.PdfMatrix().scale(wpt, hpt))
            page.insert_obj(img)
            page.gen_content()
            page.close()
        pdf.save(str(path))
    finally:
        pdf.close()


def write_tiff(pages: list[bytes], path: Path, quality: int) -> None:
    """A multi-page TIFF, JPEG-compressed in YCbCr (as scanners write them), at DPI."""
    ims = [Image.open(io.BytesIO(d)).convert("YCbCr") for d in pages]
    ims[0].save(path, "TIFF", save_all=True, append_images=ims[1:], compression="jpeg", quality=quality,
                dpi=(DPI, DPI))


# ------------------------------------------------------------------ the rendition
def make(root: Path, base: str, print_cache: Optional[Path] = None, salt: str = "") -> dict:
    exp = json.loads((root / "expected" / f"{base}.json").read_text(encoding="utf-8"))
    src_dir = root / "dossiers" / base
    out_id = f"{base}-scan"
    out_dir = root / "dossiers" / out_id
    form = src_dir / exp["form_file"]
    with tempfile.TemporaryDirectory() as td:
        tdp = Path(td)
        cached = print_cache / f"{base}.pdf" if print_cache else None
        if cached is not None and cached.exists():
            pdf = cached
        else:
            un = tdp / f"{base}.docx"
            unticked_copy(form, un)
            pdf = print_pdf(un, tdp)
            if print_cache is not None:
                print_cache.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(pdf, print_cache / f"{base}.pdf")
        ticks = assign_ticks(printed_boxes(pdf), exp["fields"])
        clean = render_print(pdf)
    pages, params = scan_pages(clean, ticks, out_id, salt)
    boxes = box_records(clean, ticks, params)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    quality = round(sum(p["quality"] for p in params) / len(params))
    if base in TIFF_BASES:
        name = Path(exp["form_file"]).stem + "（扫描件）.tif"
        write_tiff(pages, out_dir / name, quality)
    else:
        name = Path(exp["form_file"]).stem + "（扫描件）.pdf"
        write_pdf(pages, out_dir / name)
    for f in src_dir.iterdir():
        if f.name != exp["form_file"]:
            shutil.copyfile(f, out_dir / f.name)
    if salt:
        exp["seed_salt"] = salt
    exp.update({"dossier_id": out_id, "form_file": name, "rendition": "scan", "rendition_of": base,
                "scan": {"dpi": DPI, "pages": len(pages), "ticked_boxes": sum(b["ticked"] for b in ticks),
                         "angles": [p["angle"] for p in params], "jpeg_quality": quality,
                         "boxes": boxes}})
    (root / "expected" / f"{out_id}.json").write_text(json.dumps(exp, ensure_ascii=False, indent=1) + "\n",
                                                     encoding="utf-8")
    return exp


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samples.generator.scan_rendition", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="samples")
    ap.add_argument("--only", nargs="*", help="base dossier ids (default: the committed four, BASES); any base "
                    "whose form is DOCX or .doc renders, e.g. gs-longxi-tcm, cn-yongkang-hardware, gd-chenghai-toys, "
                    "cn-pingxiang-bicycle, gs-dingxi-potato, gd-yangjiang-knives, gz-suiyang-chili-doc, planted-*")
    ap.add_argument("--print-cache", help="folder keeping the LibreOffice prints between runs")
    ap.add_argument("--seed-salt", default="", help="a held-out rendition: other pen ticks and degradations "
                    "(write it to another --out, never over the committed samples)")
    a = ap.parse_args(argv)
    root = Path(a.out)
    for base in a.only or BASES:
        exp = make(root, base, Path(a.print_cache) if a.print_cache else None, a.seed_salt)
        d = root / "dossiers" / exp["dossier_id"]
        size = (d / exp["form_file"]).stat().st_size
        print(f"wrote {exp['dossier_id']}: {exp['form_file']} ({exp['scan']['pages']} pages, "
              f"{size / 1024:.0f} KB, {size / 1024 / exp['scan']['pages']:.0f} KB/page, "
              f"{exp['scan']['ticked_boxes']} pen ticks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
