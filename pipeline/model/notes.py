"""A field's note in the words a clerk and an expert read.

The mapper writes a field's ``note`` as a short code (``bad_number``, ``choice.none``) or a code
with its detail after a colon (``options_missing: 是、否``, ``scan_box: …``); a reader's doubt
about a character it recognised is written in Chinese already.  This is the one table that turns
a note into the sentence the memo, the ``field.unreadable`` finding and the review workbench
show; an administrator finds the code itself in ``extraction.json``.
"""
from __future__ import annotations

from typing import Optional

NOTE_TEXT = {
    "label_not_found": "未在申报表中找到该栏目",
    "pages_not_read": "该栏目可能位于读取超时未读取的页面",
    "options_not_found": "未找到该栏目的勾选框",
    "bad_number": "内容不是有效数字",
    "empty": "未填写",
    "none": "填写为“无”",
    "choice.none": "单选项未勾选任何一项",
    "choice.multiple": "单选项勾选了多项",
    "typed_name": "签字处为打印的姓名，不是手写签名",
}

# a code with its detail after the colon: the sentence the detail goes into
PREFIXED = {
    "unknown_glyph": "勾选符号无法辨认（{}）",
    "options_missing": "扫描件上未找到以下选项的勾选框：{}",
    "scan_box": "扫描件上{}",
    "options_repeated": "该栏目的选项在单元格中出现{}组，取紧邻栏目名称的一组",
}


def note_text(note: Optional[str]) -> str:
    """The note as a sentence in Chinese ('' for none); an unknown code is shown as it is."""
    if not note:
        return ""
    if note in NOTE_TEXT:
        return NOTE_TEXT[note]
    code, sep, detail = note.partition(":")
    if sep and code.strip() in PREFIXED:
        return PREFIXED[code.strip()].format(detail.strip())
    return note
