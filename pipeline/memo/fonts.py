"""The CJK font the PDF memo and the charts are drawn with, found through fontconfig.

WeasyPrint (through Pango), Chromium and the charts (Pillow, ``plot.py``) need a font that holds Chinese glyphs; without
one they draw empty boxes.  :func:`find_cjk_font` names such a font or returns ``None``, and the
memo then leaves out ``memo.pdf`` and the charts and says why (:data:`NO_FONT_MESSAGE`).
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

# Simplified-Chinese sans faces first (the memo's body face), then any other CJK face.
PREFERRED = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN",
             "AR PL UKai CN", "Droid Sans Fallback")

NO_FONT_MESSAGE = ("未找到可显示中文的字体（如 fonts-noto-cjk），未生成 memo.pdf 和图表 — no CJK font found: "
                   "memo.pdf and the charts were not written; install fonts-noto-cjk (make sysdeps)")


@dataclass(frozen=True)
class CJKFont:
    family: str
    path: str


def _fc_list() -> list[tuple[str, list[str]]]:
    """(font file, its family names) of every font fontconfig says covers Chinese."""
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file", "family"], capture_output=True, text=True,
                             timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = []
    for line in out.splitlines():
        path, _, fams = line.partition(":")
        families = [f.strip().replace("\\-", "-") for f in fams.split(",") if f.strip()]
        if path.strip() and families:
            fonts.append((path.strip(), families))
    return fonts


@lru_cache(maxsize=1)
def find_cjk_font() -> Optional[CJKFont]:
    """The best installed font with Chinese glyphs, or None when there is none."""
    fonts = _fc_list()
    for want in PREFERRED:
        for path, families in fonts:
            if want in families:
                return CJKFont(want, path)
    for path, families in fonts:
        usable = [f for f in families if "mono" not in f.lower()]
        if usable:
            return CJKFont(usable[0], path)
    return None
