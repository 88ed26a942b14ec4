"""The CJK font the PDF memo and the charts are drawn with, found through fontconfig.

WeasyPrint (through Pango), Chromium and the charts (Pillow, ``plot.py``) need a font that holds Chinese glyphs; without
one they draw empty boxes.  :func:`find_cjk_font` names such a font or returns ``None``, and the
memo then leaves out ``memo.pdf`` and the charts and says why (:data:`NO_FONT_MESSAGE`).

A face with TrueType outlines comes before one with CFF (PostScript) outlines, whatever its place
in :data:`PREFERRED`.  Chromium's PDF writer (Skia) embeds a TrueType face as a subset CID font,
but draws every glyph of a CFF face (Noto Sans CJK, Source Han Sans) as a Type 3 procedure:
measured on the sample memos (19–25 pages), Chromium then spends about 25% more CPU per memo and
writes a larger file (``docs/performance.md``, session 6).  ``make sysdeps`` installs
``fonts-wqy-microhei`` for that reason; with Noto Sans CJK alone the memo is the same, only slower.
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


@dataclass(frozen=True)
class _Installed:
    path: str
    families: tuple[str, ...]
    outlines: str                        # fontconfig's fontformat: "TrueType", "CFF", …


def _fc_list() -> list[_Installed]:
    """Every font fontconfig says covers Chinese: its file, family names and outline format."""
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file", "family", "fontformat"], capture_output=True,
                             text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = []
    for line in out.splitlines():
        path, _, rest = line.partition(":")
        fams, _, fmt = rest.partition(":fontformat=")
        families = tuple(f.strip().replace("\\-", "-") for f in fams.split(",") if f.strip())
        if path.strip() and families:
            fonts.append(_Installed(path.strip(), families, fmt.strip()))
    return fonts


def choose(fonts: list[_Installed]) -> Optional[CJKFont]:
    """TrueType outlines first (see the module's note), then the order of :data:`PREFERRED`, then
    any other face that is not monospaced."""
    for truetype in (True, False):
        group = [f for f in fonts if (f.outlines == "TrueType") == truetype]
        for want in PREFERRED:
            for f in group:
                if want in f.families:
                    return CJKFont(want, f.path)
    for f in sorted(fonts, key=lambda f: f.outlines != "TrueType"):
        usable = [name for name in f.families if "mono" not in name.lower()]
        if usable:
            return CJKFont(usable[0], f.path)
    return None


@lru_cache(maxsize=1)
def find_cjk_font() -> Optional[CJKFont]:
    """The best installed font with Chinese glyphs, or None when there is none."""
    return choose(_fc_list())
