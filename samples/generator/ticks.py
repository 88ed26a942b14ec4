"""Tick-box encodings. Each encoding writes one box (ticked or not) into a paragraph.

Names (recorded in expected JSON under variant.tick_encodings):
  typed:<c>                 box typed as a character: □ unticked, <c> ticked (☑ ■ √ ✓ ✔ ☒ ✗)
  beside:<□√|√□>            a tick typed beside the box: "□√label" / "√□label"; unticked "□label"
  wsym:<font>:<on>/<off>    w:sym runs, e.g. wsym:Wingdings:F0FE/F0A8 (☑ / □)
  sdt:w14checkbox           Word 2010 content-control checkbox (☒ / ☐ in MS Gothic)
  formfield:FORMCHECKBOX    legacy form-field checkbox (w:ffData/w:checkBox)
"""
from __future__ import annotations

from .ooxml import Fonts, formfield_checkbox, sdt_checkbox, style_run, sym_run

TYPED_TICKS = ["☑", "■", "√", "✓", "✔", "☒", "✗"]

PLANS = {
    "typed_check": ["typed:☑"],
    "wsym_wingdings": ["wsym:Wingdings:F0FE/F0A8", "wsym:Wingdings:F0FE/F0A8", "wsym:Wingdings:F0FD/F06F"],
    "sdt": ["sdt:w14checkbox"],
    "formfield": ["formfield:FORMCHECKBOX"],
    "typed_mixed": ["typed:■", "typed:√", "typed:✓", "typed:✔", "typed:☒", "typed:✗"],
    "typed_beside": ["beside:□√", "beside:√□"],
    "wsym_wingdings2": ["wsym:Wingdings 2:F052/F0A3", "wsym:Wingdings 2:F052/F0A3", "wsym:Wingdings 2:F054/F0A3"],
    "mixed_controls": ["sdt:w14checkbox", "formfield:FORMCHECKBOX", "wsym:Wingdings:F0FE/F0A8"],
    "mixed_all": ["typed:☑", "beside:□√", "wsym:Wingdings:F0FE/F0A8", "wsym:Wingdings 2:F052/F0A3",
                  "sdt:w14checkbox", "formfield:FORMCHECKBOX", "typed:√", "beside:√□"],
    "typed_tick_cross": ["typed:✔", "typed:☒", "typed:✔", "typed:√"],
}


class Ticker:
    def __init__(self, plan: str, fonts: Fonts):
        self.cycle = PLANS[plan]
        self.fonts = fonts
        self.group_index = -1
        self.used: list[str] = []
        self.sdt_id = 918273645
        self.ff_n = 0

    def next_group(self) -> str:
        self.group_index += 1
        enc = self.cycle[self.group_index % len(self.cycle)]
        return enc

    def box(self, paragraph, ticked: bool, enc: str, size: float | None = None) -> None:
        if enc not in self.used:
            self.used.append(enc)
        fam, _, rest = enc.partition(":")
        p = paragraph._p
        if fam == "typed":
            r = paragraph.add_run(rest if ticked else "□")
            style_run(r, self.fonts, size=size)
        elif fam == "beside":
            if ticked:
                r = paragraph.add_run(rest)
            else:
                r = paragraph.add_run("□")
            style_run(r, self.fonts, size=size)
        elif fam == "wsym":
            font, _, chars = rest.partition(":")
            on, _, off = chars.partition("/")
            p.append(sym_run(font, on if ticked else off, size))
        elif fam == "sdt":
            self.sdt_id += 7919
            p.append(sdt_checkbox(ticked, self.sdt_id, size))
        elif fam == "formfield":
            self.ff_n += 1
            for r in formfield_checkbox(ticked, f"Check{self.ff_n}", size):
                p.append(r)
        else:  # pragma: no cover
            raise ValueError(enc)
