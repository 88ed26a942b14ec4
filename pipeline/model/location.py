"""Where a value was read, in the words an expert uses: 第3页 / 第12段 / 表2第4行 / 工作表“汇总”第3行.

One formatter for every place that names a source (findings, the memo's evidence table), so
the same cell is never written two ways.  Accepts a :class:`Source` or its ``to_dict()`` form.
"""
from __future__ import annotations

from typing import Any, Optional


def where(src: Optional[Any]) -> str:
    """A source location as an expert reads it; "" when nothing locates it."""
    if src is None:
        return ""
    d = src if isinstance(src, dict) else src.to_dict()
    if not d:
        return ""
    if d.get("sheet"):
        return f"工作表“{d['sheet']}”第{(d.get('row') or 0) + 1}行"
    if d.get("page"):
        return f"第{d['page']}页"
    if d.get("table") is not None:
        return f"表{d['table'] + 1}第{(d.get('row') or 0) + 1}行"
    if d.get("para") is not None:
        return f"第{d['para'] + 1}段"
    return ""
