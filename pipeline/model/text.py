"""Text normalisation shared by the mapper, the evidence linker and the validators.

``norm`` is the one comparison form for labels and option wording: Unicode NFKC (full-width
brackets, colons and digits become ASCII), every kind of white space removed, quotes and
bracket shapes unified.  Compare ``norm(a) == norm(b)``; never compare raw strings.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"',
                         "『": '"', "』": '"', "〔": "(", "〕": ")", "【": "[", "】": "]",
                         "〈": "<", "〉": ">", "《": "<", "》": ">", "﹙": "(", "﹚": ")",
                         "—": "-", "–": "-", "－": "-", "−": "-", "～": "~", "·": "・"})
_WS = re.compile(r"\s+")


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s or "")


SHORT = 64          # characters: strings up to this length are normalised once per process


def norm(s: str) -> str:
    """Comparison form: NFKC, quotes/brackets unified, no white space.  Short strings — single
    characters, the catalogue's labels, headings and phrases, asked for again and again — are
    normalised once per process (:func:`_norm_short`)."""
    if s and len(s) <= SHORT:
        return _norm_short(s)
    return _norm(s)


def _norm(s: str) -> str:
    return _WS.sub("", nfkc(s).translate(_QUOTES))


@lru_cache(maxsize=16384)
def _norm_short(s: str) -> str:
    return _norm(s)


def clean_spaces(s: str) -> str:
    """Strip each line and drop empty lines; spacing inside a line stays as written."""
    lines = [ln.strip(" \t\u3000\xa0") for ln in (s or "").split("\n")]
    return "\n".join(ln for ln in lines if ln)


def strip_colon(s: str) -> str:
    return re.sub(r"^[\s:：]+", "", s or "")


def char_count(s: str) -> int:
    """Length as the form counts 字: characters other than white space."""
    return len(_WS.sub("", s or ""))


_BRACKETED = re.compile(r"[（(][^（()）]*(?:[（(][^（()）]*[)）][^（()）]*)*[)）]")


def bracketed_spans(s: str) -> list[tuple[int, int, str]]:
    """Top-level bracketed segments (full- or half-width) with their positions."""
    return [(m.start(), m.end(), m.group(0)) for m in _BRACKETED.finditer(s or "")]
