"""Text lines of a page image by RapidOCR, as layout ``TextPiece`` s with the OCR's confidence.

One engine per process, created on first use (``engine()``; a forked child makes its own, so
the batch's per-file isolation never uses an ONNX session across a fork, and keeps the inherited
one alive rather than freeing it, which would hang on the parent's threads).  RapidOCR ships
its Chinese PP-OCRv4 models inside the wheel: nothing is downloaded.  Settings: the whole
page at full resolution (``max_side_len`` raised from 2000 so 200 dpi A4 text is not shrunk
before recognition), no direction classifier (pages are straightened first), and per-character
boxes (``return_word_box``), so a line can be cut where a ruling line or a tick box lies
between two characters (worked out by ``char_boxes.CharBoxes``, RapidOCR's arithmetic at a
third of its cost, put in the engine's ``cal_rec_boxes``), and the detector run on a page in
two bands (``det_bands.BandedDetector`` in the engine's ``text_det``: its working memory is a
band's, not a whole page's — the scan reader's peak memory).

A line the detector found running down the page (two short labels stacked, read as one
vertical line) is split into a line per character.  These corrections are made to what the
recogniser reads (``_corrected``, every reading alike): look-alikes of Chinese marks read as
the marks (``CJK_LOOKALIKES``); a clause mark right after a sentence's end taken out
(``升。，品牌`` → ``升。品牌``: the blank half of the 。's em read as a mark); 一 between two digits, or after a digit ending
the line (a range wrapped), becomes the dash of a range (``2021一2023`` → ``2021—2023``); the management-system standard ISO read with
a zero or a one (``IS09001``, ``1S09001``) is written ISO (``_ISO``); the right stroke of 引
read apart as 1 is taken out (``引1进`` → ``引进``).  A line whose region runs on past its last
character (``END_GAP`` of its height or more), or whose last ink is a mark's (``_mark_past_end``:
a small blob low in the line, apart from the ink before it — ``中心、`` at a wrapped line's end,
where the recogniser's cell for 心 spread over the 、), is read again on its own (its region run on by
``END_RUN_ON`` of its height), and a full-width mark the second reading ends with
(``END_MARKS``: 。，、；：！？) is added to the line's end — with up to ``END_MORE`` Chinese
characters or digits before it that the page's reading dropped too (``深化。`` read ``深``),
when the second reading scores ``END_MORE_SCORE`` or more; such characters alone, with no
mark, are added where the line's region shows print past the last character read, ``END_INK``
of a line height wide for each (``固废分拣`` read ``固废分``: a line's last glyph against the cell's
rule).  The
recogniser reading the whole page drops a sentence's full stop after a figure at a line's end
(``提高到61%。`` read ``提高到61%``), though the detector's region holds it and a reading of
that region alone keeps it.  A line's confidence is RapidOCR's score for it (the mean of its characters' probabilities);
every piece cut from the line keeps that score, and its characters' own probabilities
(``TextPiece.char_scores``: ``layout.doubtful_chars`` judges them against the dictionary).
"""
from __future__ import annotations

import functools
import math
import os
import re
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from extractors.layout.pieces import DOT_BETWEEN, LOST_BEFORE, PEN_OVER, TextPiece

MAX_SIDE_PX = 3000
# the detector's settings, RapidOCR's defaults.  Growing the text regions more (unclip 2.0)
# was tried to keep a line's final full stop: it kept none of them and merged a tick box with
# its neighbour's label (measured on the scanned samples, bench/accuracy_scan.py)
DET_UNCLIP_RATIO = 1.6
DET_BOX_THRESH = 0.5
TEXT_SCORE = 0.5
_ENGINE: dict[int, object] = {}
# engines inherited through a fork are kept, never freed: destroying an ONNX session in the
# child joins threads that only exist in the parent, and the child hangs
_INHERITED: list = []


def _memory_capped() -> bool:
    """This process runs under an address-space cap (a reader child, a worker)."""
    import resource
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return soft != resource.RLIM_INFINITY


def engine():
    """The process's RapidOCR engine (made on first call in each process)."""
    pid = os.getpid()
    eng = _ENGINE.get(pid)
    if eng is None:
        from rapidocr_onnxruntime import RapidOCR
        # threads per process: the batch sets cores ÷ workers (pipeline.isolation.set_ocr_threads)
        threads = int(os.environ.get("PIPELINE_OCR_THREADS") or -1)
        try:
            eng = RapidOCR(max_side_len=MAX_SIDE_PX, use_cls=False, intra_op_num_threads=threads)
        except Exception as e:
            if _memory_capped():     # an allocation refused under the cap surfaces as any error
                raise MemoryError(f"OCR engine could not start within the memory limit ({type(e).__name__})") from e
            raise
        # the characters' boxes by RapidOCR's own arithmetic without its per-character overheads
        from .char_boxes import CharBoxes
        eng.cal_rec_boxes = CharBoxes()
        # the detector band by band: its working memory is a band's, not a whole page's
        from .det_bands import BandedDetector
        eng.text_det = BandedDetector(eng.text_det)
        _INHERITED.extend(_ENGINE.values())
        _ENGINE.clear()
        _ENGINE[pid] = eng
    return eng


@dataclass
class OcrChar:
    text: str
    box: tuple[float, float, float, float]      # pixels x0, y0, x1, y1
    score: float = 1.0      # the recogniser's probability for this character (CTC step maximum)

    def as_(self, text: str) -> "OcrChar":
        """The same character read as ``text`` (a look-alike mark made the mark it means)."""
        return OcrChar(text, self.box, self.score)

    def at(self, box: tuple[float, float, float, float]) -> "OcrChar":
        return OcrChar(self.text, box, self.score)


@dataclass
class OcrLine:
    text: str
    box: tuple[float, float, float, float]
    score: float
    chars: list[OcrChar] = field(default_factory=list)


CACHE_ENV = "SCAN_OCR_CACHE"    # a folder: RapidOCR's answers kept by image hash (development only)


_OUT_OF_MEMORY = ("bad_alloc", "Failed to allocate memory")


def _run_engine(bgr: np.ndarray, **kw):
    """The engine on one image.  ONNX Runtime reports running out of memory (the worker's
    memory cap, a huge damaged image) as its own RuntimeException: that is a MemoryError,
    which the reader's caller records as a file too large to read, never an uncaught error.

    The heap's free memory is handed back to the system before and after (``_trimmed``):
    the detector's working memory on a whole page is ≈ 0.5 GB for a moment, and what the
    allocator kept from the page before (or from the reader's masks) would otherwise add to it."""
    _trimmed()
    try:
        return engine()(bgr, **kw)
    except MemoryError:
        raise
    except Exception as e:
        if any(m in str(e) for m in _OUT_OF_MEMORY):
            raise MemoryError(f"OCR ran out of memory on a {bgr.shape[1]}×{bgr.shape[0]} image") from e
        raise
    finally:
        _trimmed()


def _trimmed() -> None:
    """glibc's ``malloc_trim(0)``: free heap pages go back to the system, so a process's peak
    memory is what it uses at once, not that plus what earlier pages left free in its heap
    (measured on the bench's 8 pages: RapidOCR alone 1139 → 945 MB max RSS, same CPU).
    Nothing where the C library has no such call."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    import ctypes
    import ctypes.util
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _recognise(bgr: np.ndarray, **kw):
    """RapidOCR's answer for an image (BGR), from the development cache when ``SCAN_OCR_CACHE``
    names a folder (off by default): the key is the image's bytes, shape and the call's
    settings, so a changed image or setting is read afresh."""
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        return _run_engine(bgr, **kw)
    import hashlib
    import pickle
    from pathlib import Path
    h = hashlib.sha256(bgr.tobytes())
    from .det_bands import SETTINGS as bands
    h.update(repr((bgr.shape, sorted(kw.items()), bands)).encode())
    path = Path(folder) / f"{h.hexdigest()}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = _run_engine(bgr, **kw)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps(out))
    os.replace(tmp, path)
    return out


def _axis_box(quad) -> tuple[float, float, float, float]:
    q = np.asarray(quad, dtype=np.float64).reshape(-1, 2)
    return float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max()), float(q[:, 1].max())


def _chars(text: str, box, words, word_boxes, scores=None) -> list[OcrChar]:
    """Per-character boxes: RapidOCR's word boxes, a multi-char word's box shared out by width;
    each with the recogniser's probability for it (``scores``: one per character of ``text``,
    spaces included, as RapidOCR's decoder gives them with ``return_word_box``)."""
    return _boxed(text, box, words, word_boxes, _char_scores(text, scores))


def _in_order(chars: list[OcrChar]) -> list[OcrChar]:
    """The characters with no box starting left of the one before it.  The recogniser's order
    is the reading order, but two cells close together on a line — a digit squeezed into one
    CTC step, its box a pixel wide — can come out of the perspective's integer corners crossed
    by a pixel, and every later step that orders characters by their left edge swapped them
    (``42.80`` became ``42.08`` at 0.92, silently: held-out s8b yongkang, where a second
    reading of the line put the 8 it added into a room of one pixel, ``read_again``)."""
    out: list[OcrChar] = []
    for c in chars:
        if out and c.box[0] < out[-1].box[0]:
            x0 = out[-1].box[0]
            c = c.at((x0, c.box[1], max(x0, c.box[2]), c.box[3]))
        out.append(c)
    return out


def _boxed(text: str, box, words, word_boxes, probs: list[float]) -> list[OcrChar]:
    out: list[OcrChar] = []
    if words and word_boxes and len(words) == len(word_boxes):
        for w, wb in zip(words, word_boxes):
            x0, y0, x1, y1 = _axis_box(wb)
            w = w.strip()
            if not w:
                continue
            step = (x1 - x0) / len(w)
            for i, ch in enumerate(w):
                out.append(OcrChar(ch, (x0 + i * step, y0, x0 + (i + 1) * step, y1)))
        if "".join(c.text for c in out) == "".join(text.split()):
            return [OcrChar(c.text, c.box, p) for c, p in zip(out, probs)]
    # no usable word boxes: share the line's box out over its characters
    x0, y0, x1, y1 = box
    chars = [c for c in text if not c.isspace()]
    step = (x1 - x0) / max(1, len(chars))
    return [OcrChar(ch, (x0 + i * step, y0, x0 + (i + 1) * step, y1), p)
            for i, (ch, p) in enumerate(zip(chars, probs))]


def _char_scores(text: str, scores) -> list[float]:
    """The probabilities of ``text``'s non-space characters; 1.0 each where the recogniser
    gave none, or not one per character (then the line's own score still speaks for it)."""
    n = sum(not c.isspace() for c in text)
    if not isinstance(scores, (list, tuple)) or len(scores) != len(text):
        return [1.0] * n
    return [float(p) for c, p in zip(text, scores) if not c.isspace()]


def _bgr(rgb: np.ndarray) -> np.ndarray:
    """The RGB image as the BGR one RapidOCR takes (OpenCV's channel swap: the same bytes as
    ``rgb[:, :, ::-1]`` copied, a tenth of the time)."""
    import cv2
    return cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2BGR)


def read_lines(rgb: np.ndarray) -> list[OcrLine]:
    """Every text line RapidOCR finds on an RGB image, with its characters' boxes."""
    if rgb.size == 0:
        return []
    # RapidOCR resets the detector's unclip ratio, box threshold and score floor to its
    # defaults on every call given keyword arguments: pass them all each time
    result, _ = _recognise(_bgr(rgb), return_word_box=True,
                         unclip_ratio=DET_UNCLIP_RATIO, box_thresh=DET_BOX_THRESH, text_score=TEXT_SCORE)
    lines = []
    for item in result or []:
        quad, text, score = item[0], item[1], float(item[2])
        word_boxes = item[3] if len(item) > 3 else None
        words = item[4] if len(item) > 4 else None
        scores = item[5] if len(item) > 5 else None
        if not text or not text.strip():
            continue
        box = _axis_box(quad)
        text, chars = _corrected(text, _chars(text, box, words, word_boxes, scores))
        lines.extend(_unstacked(OcrLine(text, box, score, chars)))
    return [_end_mark_restored(rgb, ln) for ln in lines]


def _corrected(text: str, chars: list[OcrChar]) -> tuple[str, list[OcrChar]]:
    """A line's text and characters with the recogniser's known confusions set right (the
    module docstring's list), in both alike, the characters' boxes in reading order."""
    chars = _dash_between_digits(_in_order(chars))
    text = _DIGIT_DASH.sub("—", text)
    text, chars = _cjk_marks(text, chars)
    if _MARK_AFTER_END.search(text):
        text, chars = _mark_after_end(text, chars)
    if _ISO.search(text):
        text, chars = _iso(text, chars)
    if _YIN_BAR.search(text):
        text, chars = _yin(text, chars)
    return _read_twice(text, chars)


# two Chinese glyphs stand a full em apart, centre to centre; the recogniser's steps inside one
# glyph stand a fraction of it apart
READ_TWICE_EM = 0.5     # the same Chinese character twice, centres closer than this many line heights: one glyph


def _read_twice(text: str, chars: list[OcrChar]) -> tuple[str, list[OcrChar]]:
    """One glyph read as two of itself: a character spaced out in a justified line spans more
    recogniser steps than usual, and a blank step inside it (引's gap between 弓 and 丨) splits
    it in two (``牵引引，落实`` at 0.98: held-out s8a, silent).  Two Chinese glyphs cannot stand
    closer than ``READ_TWICE_EM`` of the line's height, centre to centre; the second is taken
    out of the text and the characters, its box joined to the first."""
    drop = [i for i in range(1, len(chars))
            if chars[i].text == chars[i - 1].text and is_han(chars[i].text)
            and _centre(chars[i]) - _centre(chars[i - 1])
            < READ_TWICE_EM * (chars[i].box[3] - chars[i].box[1])]
    if not drop:
        return text, chars
    out = list(chars)
    for i in reversed(drop):
        a, b = out[i - 1], out[i]
        out[i - 1] = OcrChar(a.text, (a.box[0], min(a.box[1], b.box[1]), max(a.box[2], b.box[2]),
                                      max(a.box[3], b.box[3])), max(a.score, b.score))
        del out[i]
    places = [k for k, ch in enumerate(text) if not ch.isspace()]
    if len(places) != len(chars):
        return text, chars
    gone = {places[i] for i in drop}
    return "".join(ch for k, ch in enumerate(text) if k not in gone), out


def _unstacked(ln: OcrLine) -> list[OcrLine]:
    """A line the detector found running down the page — two short labels one under the other
    (``□是`` over ``□否``) read as the vertical text 是否 — as one line per character.  The
    forms have no vertical text; every later step takes a line to run left to right."""
    x0, y0, x1, y1 = ln.box
    if len(ln.chars) < 2 or (y1 - y0) < STACKED * (x1 - x0):
        return [ln]
    chars = sorted(ln.chars, key=lambda c: c.box[1])
    if any(b.box[1] < a.box[3] - 0.3 * (a.box[3] - a.box[1]) for a, b in zip(chars, chars[1:])):
        # no usable boxes per character (shared out across the line): share its height out
        step = (y1 - y0) / len(ln.chars)
        chars = [c.at((x0, y0 + i * step, x1, y0 + (i + 1) * step)) for i, c in enumerate(ln.chars)]
    return [OcrLine(c.text, (x0, c.box[1], x1, c.box[3]), ln.score, [c.at((x0, c.box[1], x1, c.box[3]))])
            for c in chars]


STACKED = 1.5            # a line this many times taller than wide runs down the page
END_GAP = 0.3            # region past the last character's box, in line heights
END_MARKS = frozenset("。，、；：！？")
END_PAD_PX = 4
END_RUN_ON = 0.5         # the second reading's crop runs on this many line heights past the region
END_MORE = 2             # characters the page's reading dropped with the mark (深化。 read 深) ...
END_MORE_SCORE = 0.9     # ... taken from a second reading this sure of itself
END_INK = 0.5            # line heights of print past the last character read, per character added without a mark
END_INK_GREY = 128       # grey level (0–255): darker is print, when the line's tail is measured
END_MARK_SIZE = 0.45     # a mark's ink past the last glyph: at most this many line heights wide and tall ...
END_MARK_LOW = 0.4       # ... its top at least this far down the line, in line heights (、，。 sit low) ...
END_MARK_APART = 0.0     # ... and its left edge this far (line heights) right of every other ink of the tail
END_MARK_SPECK = 4       # px: smaller ink is scanner noise


def _end_mark_restored(rgb: np.ndarray, ln: OcrLine) -> OcrLine:
    """The line with what the page's reading dropped at its end restored, if a reading of the
    line's region alone ends with it right after the same characters: a full-width mark (with
    up to ``END_MORE`` characters before it), or up to ``END_MORE`` characters alone where the
    page's print shows a character's ink for each of them past the last one read
    (``_tail_ink``)."""
    if not ln.chars or ln.text[-1] in END_MARKS:
        return ln
    x0, y0, x1, y1 = ln.box
    h = y1 - y0
    last = max(c.box[2] for c in ln.chars)
    if x1 - last < END_GAP * h and not _mark_past_end(rgb, ln):
        return ln
    H, W = rgb.shape[:2]
    # the mark may sit on the region's right edge: the crop runs on past it
    right = min(W, int(x1 + END_RUN_ON * h) + END_PAD_PX)
    again, score = _strip_reading(rgb, (max(0, int(x0) - END_PAD_PX), max(0, int(y0) - END_PAD_PX),
                                        right, min(H, int(y1) + END_PAD_PX)))
    tail = "".join(ln.text.split())[-2:]
    if len(again) < 2 or len(tail) < 2:
        return ln
    marked = again[-1] in END_MARKS
    at = again.rfind(tail, 0, len(again) - 1 if marked else len(again))
    if at < 0:
        return ln
    added = again[at + len(tail):]           # the mark, and the characters dropped before it
    words = added[:-1] if marked else added
    if not added or len(words) > END_MORE or (words and (score < END_MORE_SCORE or not all(
            "\u4e00" <= c <= "\u9fff" or c.isdigit() for c in words))):
        return ln
    # the detector's region holds the dropped characters' ink: what lies past it is the next
    # text on the row (是否 | □非工业集群 read 是否非)
    if not marked and _tail_ink(rgb, (last, y0, x1, y1)) < END_INK * h * len(words):
        return ln
    top, bottom = ln.chars[-1].box[1], ln.chars[-1].box[3]
    step = min(0.95 * h, max(1.0, (x1 + END_RUN_ON * h - last) / len(added)))
    more = [OcrChar(c, (last + i * step, top, last + (i + 1) * step, bottom), score) for i, c in enumerate(added)]
    return OcrLine(ln.text + added, ln.box, ln.score, ln.chars + more)


def _mark_past_end(rgb: np.ndarray, ln: OcrLine) -> bool:
    """The ink at the line's end, from its last character's cell to ``END_RUN_ON`` past its region,
    ends in a blob a mark's size, low in the line and apart from the ink before it: a 、，。 the
    recogniser's last cell may have spread over.  A glyph's own right-hand dot sits high (心, 以)
    or touches its glyph; a blob is only a reason to read the region again, never a mark itself."""
    import cv2
    x0, y0, x1, y1 = ln.box
    h = y1 - y0
    left = int(max(c.box[0] for c in ln.chars))
    H, W = rgb.shape[:2]
    crop = rgb[max(0, int(y0)):min(H, int(y1) + 1), max(0, left):min(W, int(x1 + END_RUN_ON * h))]
    if crop.size == 0 or h <= 0:
        return False
    ink = ((crop.min(axis=2) if crop.ndim == 3 else crop) < END_INK_GREY).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    blobs = [stats[i] for i in range(1, n) if max(stats[i][2], stats[i][3]) >= END_MARK_SPECK]
    if len(blobs) < 2:
        return False
    end = max(blobs, key=lambda b: b[0] + b[2])
    before = max(b[0] + b[2] for b in blobs if b is not end)
    bx, by, bw, bh = end[:4]
    return (bw <= END_MARK_SIZE * h and bh <= END_MARK_SIZE * h and by >= END_MARK_LOW * h
            and bx > before + END_MARK_APART * h)


def _tail_ink(rgb: np.ndarray, area: tuple[float, float, float, float]) -> float:
    """Pixels of width in ``area`` (x0, y0, x1, y1 px of ``rgb``) whose column holds print
    (darker than ``END_INK_GREY``) — a character's worth is about a line height."""
    x0, y0, x1, y1 = (int(round(v)) for v in area)
    crop = rgb[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    if crop.size == 0:
        return 0.0
    return float(((crop.min(axis=2) if crop.ndim == 3 else crop) < END_INK_GREY).any(axis=0).sum())


def _strip_reading(rgb: np.ndarray, area: tuple[int, int, int, int]) -> tuple[str, float]:
    """The recogniser alone (no detector) on the ``area`` (x0, y0, x1, y1 px) of ``rgb``: its
    text and score; ("", 0.0) for an empty area or no reading."""
    x0, y0, x1, y1 = area
    crop = rgb[y0:y1, x0:x1]
    if crop.size == 0:
        return "", 0.0
    res, _ = _recognise(_bgr(crop), use_det=False, use_cls=False, use_rec=True)
    return ((res[0][0] or "").strip(), float(res[0][1])) if res else ("", 0.0)


def read_strip(rgb: np.ndarray, area: tuple[int, int, int, int],
               ink: tuple[float, float, float, float] | None = None) -> OcrLine | None:
    """One line of print in ``area`` of ``rgb`` read by the recogniser alone, its characters
    sharing out the width of its ``ink`` (x0, y0, x1, y1 px; the area by default), with the
    known confusions set right; None where nothing is read."""
    text, score = _strip_reading(rgb, area)
    if not text:
        return None
    box = tuple(float(v) for v in (ink or area))
    text, chars = _corrected(text, _chars(text, box, None, None))
    return OcrLine(text, box, score, chars)


def read_again(rgb: np.ndarray, area: tuple[int, int, int, int], row: list[OcrLine]) -> list[OcrLine]:
    """``row`` (lines of one text line, left to right, in page pixels) read again as one line
    from the ``area`` of ``rgb`` (x0, y0, x1, y1 px), by the recogniser alone: the strip holds
    one line, and the detector run on a strip breaks it into overlapping fragments.  The
    characters both readings agree on keep their first boxes and probabilities; what the second
    reading adds or changes (the enclosure character a painted outline hid) is placed in the
    room between them, at the second reading's score.  Whether the second reading is to be
    believed is the caller's to judge (``page._keeps``); ``row`` as it was where nothing is read."""
    from difflib import SequenceMatcher
    old = sorted((c for ln in row for c in ln.chars), key=lambda c: c.box[0])
    if not old:
        return row
    text, score = _strip_reading(rgb, area)
    new = [ch for ch in text if not ch.isspace()]
    if not new:
        return row
    x0, y0, x1, y1 = area
    sm = SequenceMatcher(None, [c.text for c in old], new, autojunk=False)
    top, bottom = min(c.box[1] for c in old), max(c.box[3] for c in old)
    chars: list[OcrChar] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            chars.extend(old[i1:i2])
            continue
        if j1 == j2:                  # the first reading's characters the second did not read
            continue
        left = old[i1].box[0] if i2 > i1 else (old[i1 - 1].box[2] if i1 > 0 else x0 + 1.0)
        right = old[i2 - 1].box[2] if i2 > i1 else (old[i1].box[0] if i1 < len(old) else x1 - 1.0)
        step = max(1.0, right - left) / (j2 - j1)
        chars.extend(OcrChar(ch, (left + k * step, top, left + (k + 1) * step, bottom), score)
                     for k, ch in enumerate(new[j1:j2]))
    box = (min(c.box[0] for c in chars), top, max(c.box[2] for c in chars), bottom)
    text, chars = _corrected("".join(c.text for c in chars), chars)
    return [OcrLine(text, box, min([score] + [ln.score for ln in row]), chars)]


_DIGIT_DASH = re.compile(r"(?<=\d)一(?=\d|\s*$)")
# ISO followed by a standard's number (ISO9001, ISO 14001, ISO45001), its O or I read as a digit
_ISO = re.compile(r"(?<![A-Za-z0-9])[I1l]S[O0](?=\s?\d{4,5})")


# 引's right stroke is a bare vertical bar, which the recogniser reads apart as 1 (引1进, 引1领)
_BARS = frozenset("1lI丨|")
_YIN_BAR = re.compile(r"(?<=引)[1lI丨|](?=[\u4e00-\u9fff])")


def _yin(text: str, chars: list[OcrChar]) -> tuple[str, list[OcrChar]]:
    """``引1进`` → ``引进``: the bar read apart from 引 is taken out of the text and its characters."""
    out = [c for i, c in enumerate(chars)
           if not (0 < i < len(chars) - 1 and chars[i - 1].text == "引" and c.text in _BARS
                   and "\u4e00" <= chars[i + 1].text <= "\u9fff")]
    return _YIN_BAR.sub("", text), out


def _iso(text: str, chars: list[OcrChar]) -> tuple[str, list[OcrChar]]:
    """``IS09001`` → ``ISO9001``, in the text and in its characters alike."""
    joined = "".join(c.text for c in chars)
    fixed = _ISO.sub("ISO", joined)
    if len(fixed) == len(chars):
        chars = [c.as_(t) for t, c in zip(fixed, chars)]
    return _ISO.sub("ISO", text), chars


def _dash_between_digits(chars: list[OcrChar]) -> list[OcrChar]:
    """一 (yī) read between two digits is the dash of a range (2021—2023): the recogniser
    confuses the two strokes; no Chinese text writes 一 between digits.  The same holds where
    the range wraps, 一 after a digit ending the line (``2020一`` | ``2022年``); not before a
    digit starting one, which may end a word begun on the line above (统 | 一2022年)."""
    for i in range(1, len(chars)):
        if (chars[i].text == "一" and chars[i - 1].text.isdigit()
                and (i + 1 == len(chars) or chars[i + 1].text.isdigit())):
            chars[i] = chars[i].as_("—")
    return chars


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


# The recogniser's look-alikes of the full-width marks of Chinese text: (what it reads, what the
# text means, where: the neighbours that make the reading impossible as written).  A Latin full
# stop after a Chinese character that ends a sentence or runs into the next one is 。 (Chinese
# prose never writes it there); a middle dot is 。 only where it ends the line: between two
# Chinese characters it is as often the interpunct of a name (中国·定西马铃薯大会) as a misread
# 。, so it is kept and its text doubted (``_dot_between_han``); the one-stroke character 丶
# between Chinese characters is the enumeration comma 、 (丶 is a radical, not a word).
_OPENING, _CLOSING = "“‘（《【「", "”’）》】」"


def _after_han(prev: str) -> bool:
    return bool(prev) and (is_han(prev) or prev in _CLOSING)


def _before_han(nxt: str) -> bool:
    return bool(nxt) and (is_han(nxt) or nxt in _OPENING)


def _ends_sentence(prev: str, nxt: str) -> bool:
    return _after_han(prev) and (nxt == "" or _before_han(nxt))


def _between_han(prev: str, nxt: str) -> bool:
    return _after_han(prev) and _before_han(nxt)


# (what the recogniser reads, the mark meant, where the reading is the mark)
def _dot_ends_sentence(prev: str, nxt: str) -> bool:
    """A middle dot that can only be 。: at the line's end, or after a closing mark (“小巨人”·集群)."""
    return _after_han(prev) and (nxt == "" or (prev in _CLOSING and _before_han(nxt)))


MIDDLE_DOTS = frozenset("·•∙")
CJK_LOOKALIKES = (
    (frozenset("．."), "。", _ends_sentence),
    (MIDDLE_DOTS, "。", _dot_ends_sentence),
    (frozenset("丶"), "、", _between_han),
)


def _lookalike_meant(chars: list[str], i: int) -> str | None:
    prev = chars[i - 1] if i > 0 else ""
    nxt = chars[i + 1] if i + 1 < len(chars) else ""
    for reads, meant, where in CJK_LOOKALIKES:
        if chars[i] in reads and where(prev, nxt):
            return meant
    return None


def _cjk_marks(text: str, chars: list[OcrChar]) -> tuple[str, list[OcrChar]]:
    """The recogniser's look-alikes of Chinese marks (``CJK_LOOKALIKES``) read as the marks,
    in the characters and in the text alike (the text's spaces kept)."""
    seq = [c.text for c in chars]
    fixed = [_lookalike_meant(seq, i) or ch for i, ch in enumerate(seq)]
    if fixed == seq:
        return text, chars
    chars = [c.as_(t) for t, c in zip(fixed, chars)]
    if "".join(text.split()) != "".join(seq):
        return "".join(fixed), chars
    it = iter(fixed)
    return "".join(ch if ch.isspace() else next(it) for ch in text), chars


# A clause mark read right after a sentence's end (升。，品牌): Chinese prose never writes one
# there; the recogniser read the blank half of the full-width 。's em as a mark of its own
_SENTENCE_ENDS, _CLAUSE_MARKS = "。！？", "，、；："
_MARK_AFTER_END = re.compile(f"(?<=[{_SENTENCE_ENDS}])\\s*[{_CLAUSE_MARKS}]")


def _mark_after_end(text: str, chars: list[OcrChar]) -> tuple[str, list[OcrChar]]:
    """The clause marks read right after a sentence's end taken out, in the text and in its
    characters alike."""
    out = [c for i, c in enumerate(chars)
           if not (i > 0 and c.text in _CLAUSE_MARKS and chars[i - 1].text in _SENTENCE_ENDS)]
    return _MARK_AFTER_END.sub("", text), out


def _gap_is_space(a: OcrChar, b: OcrChar, height: float) -> bool:
    return (b.box[0] - a.box[2]) > 0.45 * height


def line_pieces(line: OcrLine, cuts: list[float], px_per_pt: float,
                ink: Optional[np.ndarray] = None, pen: Optional[np.ndarray] = None) -> list[TextPiece]:
    """A line as text pieces in points, cut wherever one of ``cuts`` (x in pixels: ruling lines
    crossing the line, tick boxes on it) lies between two characters.  A wide gap between
    characters is written as a space.  ``ink`` (the page's print, rules left out) shows a glyph
    the recogniser left out between two characters (``LostCharSettings``); ``pen`` (the coloured
    pen, dropped out before the OCR) a character a stroke crossed (``PEN_CROSSED``)."""
    chars = sorted(line.chars, key=lambda c: c.box[0])
    if not chars:
        return []
    height = line.box[3] - line.box[1]
    runs: list[list[OcrChar]] = [[chars[0]]]
    for a, b in zip(chars, chars[1:]):
        if any((a.box[0] + a.box[2]) / 2 < x < (b.box[0] + b.box[2]) / 2 for x in cuts):
            runs.append([b])
        else:
            runs[-1].append(b)
    s = 1.0 / px_per_pt
    pitch = _han_pitch(chars)
    out = []
    for run in runs:
        text = run[0].text
        for a, b in zip(run, run[1:]):
            text += (" " if _gap_is_space(a, b, height) else "") + b.text
        x0, x1 = run[0].box[0], run[-1].box[2]
        y0, y1 = line.box[1], line.box[3]
        lost = set(_lost_inside(run, pitch)) | set(_inked_step(run, pitch, (y0, y1), ink))
        dots = set(_dot_between_han(run))
        crossed = set(_pen_crossed(run, pen))
        conf = line.score if not (lost or dots) else min(line.score, LOST_CHAR.confidence)
        flags = tuple(LOST_BEFORE if i in lost else DOT_BETWEEN if i in dots else PEN_OVER if i in crossed else ""
                      for i in range(len(run)))
        out.append(TextPiece(text, (x0 * s, y0 * s, x1 * s, y1 * s), round(conf, 4), None, height * s * 0.8,
                             tuple(round(c.score, 4) for c in run), flags if any(flags) else None))
    return out


@dataclass(frozen=True)
class LostCharSettings:
    """A character or mark the recogniser did not read inside a line of text leaves its place
    empty (出 欧盟 for 出口欧盟, 分 中心 for 分拣中心, 中心 国家 for 中心、国家, 84.40% 容县
    for 84.40%。容县, 8个 2025年 for 8个。2025年; a Chinese mark takes a full em).  Chinese
    writes no spaces between words.  The characters' own boxes jitter (产[1018-1040]
    品[1061-1073] read whole: a gap of 0.75 pitch, a step of 1.36), so both the gap between
    the boxes and the step between their centres must be wide.  Printed words after a cover
    line's blank (黔东南 市（州）) are not inside running text: each side must hold
    ``run_chars`` characters of text (Chinese, digits, %, quotation marks), one side Chinese —
    “一带一路” read “ 带一路” left a full pitch after the opening quote (held-out s7b chenghai
    ``plan.targets``, silent while the quote did not count as text).

    The recogniser's boxes may also spread over the glyph it left out (黄芪、 read 黄、, the
    boxes 22 px apart at a pitch of 29.5, 0.75 pitch: held-out longxi ``industry.risk_text`` and
    ``brand_text``, silent at 0.98): then the step is wide and the stretch between the boxes holds
    print (``_inked_step``).  Over the 4 committed scans and a held-out one, the steps of 1.4
    pitches or more between characters hold print over 0.42–0.45 of the stretch where a glyph
    was lost (族治 for 族自治, 黄、, 黄”, 分中 for 分拣中) and at most 0.29 elsewhere (box
    outlines between option labels, brackets' sides, a colon's blank): ``gap_ink`` sits between."""
    gap_pitch: float = 0.85         # gap between the two boxes, in the line's character pitches
    step_pitch: float = 1.5         # ... and step from centre to centre
    run_chars: int = 2              # characters of text on each side of the gap
    gap_ink: float = 0.35           # share of the stretch between two boxes (line height) in print: a glyph
    confidence: float = 0.6         # the piece's confidence is capped here, below the bar (0.75)


LOST_CHAR = LostCharSettings()


# quotation marks stand inside running text only (“一带一路”); brackets also close a cover line's
# printed label after its blank (黔东南 市（州）), so they do not count
RUNNING_QUOTES = frozenset("“”‘’「」『』")


def _texty(ch: str) -> bool:
    return is_han(ch) or ch.isdigit() or ch in "%％" or ch in RUNNING_QUOTES


def _centre(c: OcrChar) -> float:
    return (c.box[0] + c.box[2]) / 2


def _han_pitch(chars: list[OcrChar]) -> float | None:
    steps = [_centre(b) - _centre(a) for a, b in zip(chars, chars[1:]) if is_han(a.text) and is_han(b.text)]
    return float(np.median(steps)) if len(steps) >= 3 else None


# share of a character's box the coloured pen covers: a stroke crossed it.  The pen is dropped
# out before the OCR and takes the print under it along: a tick's stroke from the box below
# crossing a 。 had it read ： (at 0.46 and at 0.78, held-out s7a renhuai and s7d pingxiang,
# silent; its box 0.025 pen).  Only the value holding it is doubted (the piece keeps its
# confidence: an option label beside a ticked box is crossed often and is no value).
PEN_CROSSED = 0.01


def _pen_crossed(run: list[OcrChar], pen: Optional[np.ndarray]) -> list[int]:
    if pen is None:
        return []
    out = []
    for i, c in enumerate(run):
        x0, y0 = max(0, int(c.box[0])), max(0, int(c.box[1]))
        x1, y1 = min(pen.shape[1], int(math.ceil(c.box[2]))), min(pen.shape[0], int(math.ceil(c.box[3])))
        if x1 > x0 and y1 > y0 and pen[y0:y1, x0:x1].mean() >= PEN_CROSSED:
            out.append(i)
    return out


def _dot_between_han(run: list[OcrChar]) -> list[int]:
    """The middle dots between two Chinese characters: a name's interpunct or a misread 。 — the
    text cannot tell which, so a clerk looks (see ``CJK_LOOKALIKES``)."""
    seq = [c.text for c in run]
    return [i for i, ch in enumerate(seq)
            if 0 < i < len(seq) - 1 and ch in MIDDLE_DOTS and _between_han(seq[i - 1], seq[i + 1])]


def _inked_step(run: list[OcrChar], pitch: float | None, rows: tuple[float, float],
                ink: Optional[np.ndarray]) -> list[int]:
    """The characters after a wide step from the one before, one of them Chinese, over a stretch
    that holds print: a glyph the recogniser left out though its neighbours' boxes spread over it."""
    if pitch is None or ink is None:
        return []
    y0, y1 = max(0, int(rows[0])), min(ink.shape[0], int(math.ceil(rows[1])))
    out = []
    for i, (a, b) in enumerate(zip(run, run[1:]), 1):
        x0, x1 = max(0, int(a.box[2])), min(ink.shape[1], int(b.box[0]))
        if (x1 - x0 >= 2 and y1 > y0 and _centre(b) - _centre(a) >= LOST_CHAR.step_pitch * pitch
                and (is_han(a.text) or is_han(b.text)) and ink[y0:y1, x0:x1].mean() >= LOST_CHAR.gap_ink):
            out.append(i)
    return out


# a line with a glyph left out (``LostCharSettings``) is read once more on its own strip
LOST_READ_PADS = (0.15, 0.45)   # the strips: the line's region grown by these many line heights each way
LOST_READ_SCORE = 0.9     # the strip's reading counts from this score
LOST_READ_MAX = 2         # characters it may add at one place


def lost_read_again(rgb: np.ndarray, ln: OcrLine, ink: Optional[np.ndarray]) -> OcrLine:
    """``ln`` with the glyphs the page's reading left out inside it, where a reading of the
    line's strip alone (the recogniser without the detector, its region grown by one of
    ``LOST_READ_PADS``, the nearer first: the recogniser scales a strip to its own height, and
    which margin shows a faint glyph whole differs from line to line) holds them.  固废分拣中心
    read 固废分中心 and 评估黄芪、 read 评估黄、 on the page, their strips read whole (held-out
    s8b longxi, yongkang, chenghai, s8a yongkang: at 0.15 line heights or at 0.45).

    The second reading is taken only where it is the first with characters added, and only at
    the places ``_lost_inside`` / ``_inked_step`` found empty or inked: up to ``LOST_READ_MAX``
    Chinese characters each, every one covered by a dictionary word there (``worded``), the
    strip read at ``LOST_READ_SCORE`` or more.  Anything else — a character changed or dropped,
    an addition elsewhere, a digit — leaves the line as it was, its place still flagged for a
    clerk."""
    chars = sorted(ln.chars, key=lambda c: c.box[0])
    pitch = _han_pitch(chars)
    lost = set(_lost_inside(chars, pitch)) | set(_inked_step(chars, pitch, (ln.box[1], ln.box[3]), ink))
    if not lost:
        return ln
    for pad in LOST_READ_PADS:
        again = _inserted(rgb, ln, chars, lost, pad)
        if again is not None:
            return again
    return ln


def _inserted(rgb: np.ndarray, ln: OcrLine, chars: list[OcrChar], lost: set[int], pad: float) -> OcrLine | None:
    """``ln`` with what a reading of its strip grown by ``pad`` line heights adds at the
    ``lost`` places (``lost_read_again``), or None."""
    from difflib import SequenceMatcher

    from extractors.layout.doubtful_chars import worded
    x0, y0, x1, y1 = ln.box
    grow = pad * (y1 - y0)
    H, W = rgb.shape[:2]
    area = (max(0, int(x0 - grow)), max(0, int(y0 - grow)),
            min(W, int(math.ceil(x1 + grow))), min(H, int(math.ceil(y1 + grow))))
    text, score = _strip_reading(rgb, area)
    if score < LOST_READ_SCORE or not text:
        return None
    text, _ = _corrected(text, _chars(text, area, None, None))
    new = [ch for ch in text if not ch.isspace()]
    old = [c.text for c in chars]
    out: list[OcrChar] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(chars[i1:i2])
            continue
        added = new[j1:j2]
        if (op != "insert" or i1 not in lost or len(added) > LOST_READ_MAX
                or not all(is_han(ch) and worded("".join(new), j1 + k) for k, ch in enumerate(added))):
            return None
        left, right = chars[i1 - 1].box[2], chars[i1].box[0]
        step = max(1.0, right - left) / len(added)
        out.extend(OcrChar(ch, (left + k * step, y0, left + (k + 1) * step, y1), score) for k, ch in enumerate(added))
    if len(out) == len(chars):
        return None
    return OcrLine("".join(c.text for c in out), ln.box, ln.score, out)


def _lost_inside(run: list[OcrChar], pitch: float | None) -> list[int]:
    """The characters after a place left empty inside running text (``LostCharSettings``)."""
    if pitch is None:
        return []
    k = LOST_CHAR.run_chars
    out = []
    for i in range(k, len(run) - k + 1):
        a, b = run[i - 1], run[i]
        around = run[i - k:i + k]
        if (b.box[0] - a.box[2] >= LOST_CHAR.gap_pitch * pitch
                and _centre(b) - _centre(a) >= LOST_CHAR.step_pitch * pitch
                and all(_texty(c.text) for c in around) and (is_han(a.text) or is_han(b.text))):
            out.append(i)
    return out
