"""Render a dossier's memo from its extraction: Python builds a view model, jinja2 lays it out.

All presentation lives in ``report_templates/``.  HTML templates are autoescaped: submitted
text is untrusted and shows as text, never as markup.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from pipeline.model import Catalogue, Extraction, load_catalogue

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "report_templates"
SECTION_TITLES = {
    "cover": "封面", "basic": "一、基本情况", "industry": "二、主导产业情况", "innovation": "三、创新能力情况",
    "digital": "四、数字化升级情况", "green": "五、绿色化转型情况", "open": "六、开放合作情况",
    "governance": "七、治理和服务水平", "plan": "八、未来三年发展规划", "declaration": "九、真实性声明及推荐意见",
}


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)),
                      autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml", "html.j2"),
                                                   default_for_string=True, default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["display"] = display_value
    return env


def display_value(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "有" if v else "无"
    if isinstance(v, float):
        return f"{v:.2f}"
    if isinstance(v, list):
        if v and isinstance(v[0], dict):
            return "；".join(" / ".join(display_value(x) for x in row.values()) for row in v)
        return "；".join(display_value(x) for x in v) if v else "（未勾选）"
    return str(v)


def source_text(src: dict | None) -> str:
    if not src:
        return ""
    parts = [src.get("file", "")]
    if src.get("page"):
        parts.append(f"第{src['page']}页")
    if src.get("table") is not None and src.get("row") is not None:
        parts.append(f"表{src['table'] + 1} 行{src['row'] + 1} 列{src['col'] + 1}")
    return " · ".join(p for p in parts if p)


def field_rows(ext: Extraction, cat: Catalogue) -> list[dict]:
    """Extracted fields grouped by form section, in catalogue order."""
    data = ext.to_json()["fields"]
    by_section: dict[str, list] = {}
    for cf in cat.expand(ext.reporting_years):
        fv = data.get(cf.id)
        if fv is None:
            continue
        by_section.setdefault(cf.spec.section, []).append({
            "id": cf.id, "label": cat.label_of(cf.id), "value": fv.get("value"),
            "confidence": fv.get("confidence"), "source": source_text(fv.get("source")), "note": fv.get("note"),
        })
    return [{"id": s, "title": SECTION_TITLES.get(s, s), "rows": by_section[s]}
            for s in SECTION_TITLES if s in by_section]


def render_memo_html(ext: Extraction, cat: Catalogue | None = None) -> str:
    cat = cat or load_catalogue()
    env = environment()
    return env.get_template("memo.html.j2").render(
        ext=ext.to_json(), sections=field_rows(ext, cat), cluster=ext.value("cover.cluster_name") or ext.dossier_id)


def to_json_text(ext: Extraction) -> str:
    return json.dumps(ext.to_json(), ensure_ascii=False, indent=1)
