"""A scanned paragraph's characters that the recogniser read unsure *and* that make no word:
the confident look-alike substitutions (按木 for 桉木, 固废分抹中心 for 固废分拣中心) which no
other check sees, flagged for a clerk and never rewritten.

Two pieces of evidence, both already in hand:

* the recogniser's own probability for the character (the CTC step's maximum, kept per character
  by the scan reader as ``OcrChar.score`` and carried on the text piece as ``char_scores``);
* jieba's dictionary (``jieba.dt.FREQ``, shipped with jieba, nothing downloaded): a character is
  *unworded* when no dictionary word of 2 to ``longest_word`` characters, taken from the
  paragraph's text, covers it.  The paragraph's lines are joined first, so a word wrapped over a
  line end (固废分 | 拣中心) is seen whole.

A character is doubtful when it is Chinese, stands between two characters of the paragraph (its
first and last characters are not judged: a cut value's edge has lost its context), is unworded,
and was read below ``max_score``.  A sentence mark (。，、；：？！) has no word to make: it is
doubtful when read below ``mark_max_score`` between two Chinese characters — a tick's stroke
running over a 。 had it read ： at 0.46, silently (held-out s7a renhuai ``innovation.text``).
Over 6 scanned forms (≈ 4,900 marks) 13 sentence marks were read below 0.8, 5 of them between
two Chinese characters: that one wrong at 0.46, four right at 0.74–0.79 (、。、、); the bar sits
midway, 0.6 (at 0.8 the right ones sent 3 of the 592 fields of the committed scans to a clerk).  Either piece of evidence alone does not separate right from
wrong (``docs/scan-text.md``: a weakest-character bar of 0.75 sent 7–13% of the fields to a
clerk; jieba leaves about one character in eleven unworded — names, 占, 仍, 末 …), together they
do.  The paragraph keeps them (``Paragraph.doubts``; its text is never changed); the mapper
(:func:`value_doubts`) caps a text value holding one at ``confidence`` (below the bar, 0.75)
with the reason in the field's note (:func:`doubt_note`) — a doubt in a printed label beside the
value, or in an option's label beside a tick, does not make the value doubtful.

Settings in one object with units (:class:`CharDoubtSettings`), fitted on the characters of 12
scanned forms (4 committed samples, 8 of held-out sets) — the figures are in ``docs/scan-text.md``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from pipeline.model.document import Doubt, Paragraph
from pipeline.model.words import dictionary

from .pieces import DOT_BETWEEN, LOST_BEFORE, PEN_OVER, TextPiece


@dataclass(frozen=True)
class CharDoubtSettings:
    """When a character the recogniser read makes a paragraph doubtful."""
    max_score: float = 0.8        # recogniser's probability for the character (0–1): below it, and unworded
    mark_max_score: float = 0.6   # ... for a sentence mark between Chinese characters: below it
    longest_word: int = 4         # characters: dictionary words up to this long are looked for around it
    confidence: float = 0.6       # a value holding one is capped here, below the bar (0.75)
    kept_context: int = 3         # characters kept either side of a doubtful one (shown in the note)
    matched_context: int = 1      # ... of which this many either side must be in the value's text


CHAR_DOUBT = CharDoubtSettings()


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def worded(text: str, i: int, longest: int = CHAR_DOUBT.longest_word) -> bool:
    """A dictionary word of 2 to ``longest`` characters of ``text`` covers ``text[i]``."""
    freq = dictionary()
    for n in range(2, longest + 1):
        for a in range(max(0, i - n + 1), min(i, len(text) - n) + 1):
            if freq.get(text[a:a + n], 0) > 0:
                return True
    return False


SENTENCE_MARKS = frozenset("。，、；：？！,.;:?!")


def _doubtful(text: str, i: int, p: float, s: CharDoubtSettings) -> bool:
    ch, before, after = text[i], text[i - 1], text[i + 1]
    if ch in SENTENCE_MARKS:
        return p < s.mark_max_score and is_han(before) and is_han(after)
    return p < s.max_score and is_han(ch) and (is_han(before) or is_han(after)) and not worded(text, i, s.longest_word)


def doubtful_chars(chars: Sequence[tuple], s: CharDoubtSettings = CHAR_DOUBT) -> list[Doubt]:
    """The doubtful characters of a paragraph given as (character, probability[, flag]) in
    reading order, spaces left out.  A flag the scan reader set (``pieces.LOST_BEFORE``: a glyph
    left out before the character; ``pieces.DOT_BETWEEN``) makes a doubt of its own kind, with
    its place: the clerk is told where to look in a long narrative."""
    text = "".join(c[0] for c in chars)
    out = []
    for i, (ch, p, *flag) in enumerate(chars):
        kind = flag[0] if flag else ""
        if kind == PEN_OVER and is_han(ch) and p >= s.max_score:
            kind = ""       # a Chinese character keeps enough strokes under a pen's line to be read sure
        if kind or (0 < i < len(chars) - 1 and _doubtful(text, i, p, s)):
            a = max(0, i - s.kept_context)
            out.append(Doubt(ch, round(p, 4), text[a:i + s.kept_context + 1], i - a, kind))
    return out


def piece_chars(pieces: Iterable) -> list[tuple[str, float]]:
    """(character, probability) of the text pieces in order, spaces left out; 1.0 where a piece
    carries no probabilities (a text layer) or not one per character."""
    out: list[tuple[str, float, str]] = []
    for p in pieces:
        if not isinstance(p, TextPiece):
            continue
        chars = [c for c in p.text if not c.isspace()]
        scores = p.char_scores if p.char_scores is not None and len(p.char_scores) == len(chars) else None
        flags = p.char_flags if p.char_flags is not None and len(p.char_flags) == len(chars) else None
        out.extend(zip(chars, scores if scores is not None else [1.0] * len(chars),
                       flags if flags is not None else [""] * len(chars)))
    return out


def value_doubts(paragraphs: Iterable[Paragraph], value_text: str,
                 s: CharDoubtSettings = CHAR_DOUBT) -> list[Doubt]:
    """The paragraphs' doubts that lie in ``value_text`` (the doubtful character with
    ``matched_context`` characters either side found in it, spaces left out)."""
    solid = "".join(value_text.split())
    out: list[Doubt] = []
    for p in paragraphs:
        for d in p.doubts or ():
            k = s.matched_context
            if d.context[max(0, d.at - k):d.at + k + 1] in solid and d not in out:
                out.append(d)
    return out


def reason(d: Doubt) -> str:
    """In Chinese, for the clerk: the character, its probability, the words around it."""
    if d.kind == LOST_BEFORE:
        return f"「{d.context[:d.at]}」与「{d.context[d.at:]}」之间似漏识一字或标点"
    if d.kind == PEN_OVER:
        return f"“{d.char}”处有笔迹划过（“{d.context}”），或为误识"
    if d.kind == DOT_BETWEEN:
        return f"“{d.context}”中的“{d.char}”或为人名间隔号，或为句号“。”的误识"
    if d.char in SENTENCE_MARKS:
        return f"标点“{d.char}”识别概率{d.score:.2f}（“{d.context}”），或为形近标点误识"
    return f"“{d.char}”识别概率{d.score:.2f}，在“{d.context}”中不成词，或为形近字误识"


def doubt_note(doubts: Sequence[Doubt]) -> Optional[str]:
    """The field note for a value's doubtful characters (None when there are none)."""
    return "；".join(dict.fromkeys(reason(d) for d in doubts)) or None


def doubted(confidence: float, note: Optional[str], doubts: Sequence[Doubt],
            s: CharDoubtSettings = CHAR_DOUBT) -> tuple[float, Optional[str]]:
    """A text value's (confidence, note) given the doubtful characters it holds: capped at
    ``confidence`` with the reasons added to the note."""
    if not doubts:
        return confidence, note
    why = doubt_note(doubts)
    return min(confidence, s.confidence), (f"{note}；{why}" if note else why)
