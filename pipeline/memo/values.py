"""How values and source locations read in the memo (the same text in every format)."""
from __future__ import annotations

from typing import Any, Optional

from pipeline.model import Source


def display_value(v: Any) -> str:
    """A field value as a reader sees it: numbers as printed (2 decimals), lists joined, — for none."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "有" if v else "无"
    if isinstance(v, float):
        return f"{v:.2f}"
    if isinstance(v, (list, tuple)):
        if v and isinstance(v[0], dict):
            return "；".join(" / ".join(display_value(x) for x in row.values()) for row in v)
        return "；".join(display_value(x) for x in v) if v else "（未勾选）"
    if isinstance(v, dict):
        return "；".join(f"{k}: {display_value(x)}" for k, x in v.items())
    return str(v)


def number_text(v: Any, unit: Optional[str] = None) -> str:
    """A threshold or tolerance: as precise as given, no trailing zeros (40, 10.5, 0.005), unit appended."""
    if v is None:
        return "—"
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        text = display_value(v)
    else:
        text = f"{v:.4f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v)
    if unit:
        text += unit if unit in ("%", "‰") else f" {unit}"
    return text


def source_text(src: Optional[Source | dict]) -> str:
    """'申报表.docx · 表2 行4 列2' or '证明.pdf · 第3页'; empty when there is no source."""
    if not src:
        return ""
    d = src.to_dict() if isinstance(src, Source) else src
    parts = [d.get("file", "")]
    if d.get("sheet"):
        parts.append(f"工作表“{d['sheet']}”")
    if d.get("page"):
        parts.append(f"第{d['page']}页")
    if d.get("table") is not None and d.get("row") is not None:
        col = f" 列{d['col'] + 1}" if d.get("col") is not None else ""
        parts.append(f"表{d['table'] + 1} 行{d['row'] + 1}{col}")
    return " · ".join(p for p in parts if p)
