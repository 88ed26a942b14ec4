"""From the text next to a label to a typed value: strip what is printed, parse what is written."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pipeline.model import Catalogue
from pipeline.model.document import TICK_MARK, UNKNOWN_MARK, UNTICK_MARK
from pipeline.model.numbers import is_none_word, parse_number
from pipeline.model.text import bracketed_spans, clean_spaces, norm

_MARKERS = TICK_MARK + UNTICK_MARK + UNKNOWN_MARK


def norm_map(text: str) -> tuple[str, list[int]]:
    """(norm(text) character by character, the index in ``text`` of each normalised character)."""
    out, idx = [], []
    for i, ch in enumerate(text):
        for c in norm(ch):
            out.append(c)
            idx.append(i)
    return "".join(out), idx


@dataclass(frozen=True)
class PrintedWordSettings:
    """How a printed word (a cover line's 县（市、区）) is found in OCR'd text, where the
    recogniser may drop or misread a mark of it (县（市 区)).  Exact match first, always."""
    min_chars: int = 4            # normalised characters a word needs to be looked for loosely:
                                  # shorter ones (市) would be found anywhere
    min_similarity: float = 80.0  # rapidfuzz ratio (%) of the word to the closest stretch of text:
                                  # one character of six lost or misread scores 91


PRINTED_WORD = PrintedWordSettings()


def find_printed(text: str, word: str, loose: bool = False) -> Optional[tuple[int, int]]:
    """Where ``word`` stands in ``text`` — (start, end) in ``text`` as written — compared in
    normalised form; with ``loose`` (OCR'd text) the closest stretch is taken when it is
    ``PRINTED_WORD.min_similarity`` like the word.  None when it is not there."""
    nt, idx = norm_map(text)
    nw = norm(word)
    if not nw or not nt:
        return None
    k = nt.find(nw)
    if k >= 0:
        return idx[k], idx[k + len(nw) - 1] + 1
    if not loose or len(nw) < PRINTED_WORD.min_chars:
        return None
    al = fuzz.partial_ratio_alignment(nw, nt, score_cutoff=PRINTED_WORD.min_similarity)
    if al is None or al.dest_end <= al.dest_start:
        return None
    return idx[al.dest_start], idx[al.dest_end - 1] + 1


SLIP_EDITS = 1      # characters a scan's reading of a printed phrase may get wrong (Levenshtein)


def one_slip_from(text: str, printed: str) -> bool:
    """``text`` (normalised) is the ``printed`` phrase but for one character the OCR substituted,
    dropped or added (1.三年总体自标 for 1.三年总体目标, 基水情况 for 基本情况).  How long a
    phrase must be for one slip to be no other words is the caller's to say."""
    return Levenshtein.distance(text, printed, score_cutoff=SLIP_EDITS) <= SLIP_EDITS


def remove_phrases(text: str, phrases: Iterable[str]) -> str:
    """Delete every occurrence of each phrase, compared in normalised form (the text is
    normalised again only after a deletion)."""
    nt, idx = norm_map(text)
    for ph in phrases:
        nph = norm(ph)
        if not nph:
            continue
        k = nt.find(nph)
        while k >= 0:
            a, b = idx[k], idx[k + len(nph) - 1] + 1
            text = text[:a] + text[b:]
            nt, idx = norm_map(text)
            k = nt.find(nph)
    return text


def strip_printed_notes(text: str, catalogue: Catalogue, extra: Iterable[str] = ()) -> str:
    """Remove the form's printed notes: listed phrases and bracketed notes with note markers."""
    text = remove_phrases(text, list(extra) + catalogue.printed_notes)
    markers = [norm(m) for m in catalogue.note_markers]
    for a, b, seg in reversed(bracketed_spans(text)):
        ns = norm(seg)
        if any(m in ns for m in markers):
            text = text[:a] + text[b:]
    return text


def clean_text(text: str) -> str:
    """Collapse spaces, drop empty lines and a leading colon/brackets left by a label."""
    text = clean_spaces(text)
    text = re.sub(r"^[\s:：]+", "", text)
    return text.strip()


def strip_markers(text: str) -> str:
    return "".join(ch for ch in text if ch not in _MARKERS)


def parse_typed(text: str, ftype: str, unit: Optional[str] = None) -> tuple[Any, Optional[str]]:
    """(value, note) for a cell's text; note says why the value is None when it is."""
    t = clean_text(strip_markers(text))
    if ftype == "text":
        return (t or None), (None if t else "empty")
    if not t:
        return None, "empty"
    if is_none_word(t):
        return None, "none"
    flat = t.replace("\n", " ")
    if unit:
        # a unit written after the number, as printed in the label ("123 个", "45.60亿元"),
        # bracketed or not; a cell holding only its printed unit is an empty cell
        flat = re.sub(r"[（(]?\s*" + re.escape(unit) + r"\s*[)）]?\s*$", "", flat).strip()
        if not flat:
            return None, "empty"
    pn = parse_number(flat)
    if pn is None:
        return None, "bad_number"
    if ftype == "int":
        if pn.decimals and pn.value != int(pn.value):
            return None, "bad_number"
        return int(pn.value), None
    return float(pn.value), None
