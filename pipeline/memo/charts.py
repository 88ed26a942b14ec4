"""Key indicators charted (matplotlib, drawn with a CJK font, embedded as PNG).

* 总产值 and 主导产业产值 (= 总产值 × 主导产业占比) over the three reporting years, with the
  profile's minimum output as a line;
* small multiples for the rates where a picture helps: the two output shares against their
  minima, the yearly leading-industry growth against the stated 3-year average and the growth
  minimum, and the CO₂ intensity that every document wants falling.

The figures behind the charts are also returned as a table (:func:`indicator_table`), which the
Markdown memo shows in place of pictures.
"""
from __future__ import annotations

import io
import math
from typing import Callable, Optional

from pipeline.model import Extraction
from pipeline.model.profiles import Profile

from .fonts import CJKFont
from .images import Image

DPI = 150
MM = 1 / 25.4
COLOURS = {"total": "#9fb4c8", "leading": "#2f5d8a", "sme": "#4b8f5a", "min": "#c0392b", "avg": "#8e6c1f",
           "co2": "#6c5b7b"}


def _num(ext: Extraction, fid: str) -> Optional[float]:
    v = ext.value(fid)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def series(ext: Extraction) -> dict[str, list[Optional[float]]]:
    ys = ext.reporting_years
    s = {k: [_num(ext, f"{fid}.{y}") for y in ys] for k, fid in (
        ("total", "industry.total_output"), ("leading_share", "industry.leading_share"),
        ("sme_share", "industry.sme_share"), ("leading_growth", "industry.leading_growth"),
        ("rd_growth", "innovation.rd_growth"), ("co2", "green.co2_intensity"))}
    s["leading"] = [round(t * sh / 100, 2) if t is not None and sh is not None else None
                    for t, sh in zip(s["total"], s["leading_share"])]
    return s


def minimum(profile: Profile, rule: str) -> Optional[tuple[float, str]]:
    """(value, label) of the profile's first numeric threshold for a rule."""
    for t in profile.thresholds_for(rule):
        if isinstance(t.get("value"), (int, float)) and not isinstance(t.get("value"), bool):
            sym = t.get("op") or ""
            return float(t["value"]), f"认定标准 {sym}{t['value']:g}{t.get('unit') or ''}"
    return None


def indicator_table(ext: Extraction) -> dict:
    """Years and the charted figures as rows of text, for a table."""
    from .values import display_value
    s = series(ext)
    names = (("total", "集群总产值（亿元）"), ("leading", "主导产业产值（亿元，按占比计算）"),
             ("leading_share", "主导产业产值占比（%）"), ("sme_share", "中小企业产值占比（%）"),
             ("leading_growth", "主导产业产值增速（%）"), ("rd_growth", "研发经费增速（%）"),
             ("co2", "单位产值二氧化碳排放量（吨/万元）"))
    rows = [{"label": label, "values": [display_value(v) for v in s[k]]} for k, label in names
            if any(v is not None for v in s[k])]
    return {"years": [f"{y}年" for y in ext.reporting_years], "rows": rows}


def _draw(width_mm: float, height_mm: float, font: CJKFont, paint: Callable) -> bytes:
    """PNG of a figure that ``paint(fig)`` fills, drawn with the CJK font."""
    import matplotlib
    from matplotlib.figure import Figure
    style = {"font.family": [font.family, "DejaVu Sans"], "axes.unicode_minus": False, "font.size": 8,
             "axes.spines.top": False, "axes.spines.right": False}
    with matplotlib.rc_context(style):
        fig = Figure(figsize=(width_mm * MM, height_mm * MM), dpi=DPI)
        paint(fig)
        fig.tight_layout()
        fig.set_layout_engine(None)      # laid out once: savefig then draws it once, not twice
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def warm_up(font: CJKFont) -> None:
    """Draw a small chart with the CJK font, so matplotlib has found and opened it (and its
    text caches are warm) in this process and in every worker forked from it."""
    def paint(fig):
        ax = fig.add_subplot(1, 1, 1)
        ax.bar([0, 1], [1.5, 2.5], label="集群总产值 2022年")
        ax.set_title("主导产业产值（亿元）")
        ax.legend()
    _draw(40, 30, font, paint)


def _nan(xs):
    return [math.nan if x is None else x for x in xs]


def output_chart(ext: Extraction, profile: Profile, font: CJKFont) -> Optional[Image]:
    s = series(ext)
    if not ext.reporting_years or all(v is None for v in s["total"]):
        return None
    def paint(fig):
        ax = fig.add_subplot(1, 1, 1)
        xs = range(len(ext.reporting_years))
        w = 0.36
        b1 = ax.bar([x - w / 2 for x in xs], _nan(s["total"]), w, color=COLOURS["total"], label="集群总产值")
        b2 = ax.bar([x + w / 2 for x in xs], _nan(s["leading"]), w, color=COLOURS["leading"],
                    label="主导产业产值（总产值×主导产业占比）")
        for bars in (b1, b2):
            ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=2)
        low = minimum(profile, "criteria.output")
        if low:
            ax.axhline(low[0], color=COLOURS["min"], linestyle="--", linewidth=1.2, label=f"{low[1]}（总产值）")
        ax.set_xticks(list(xs), [f"{y}年" for y in ext.reporting_years])
        ax.set_ylabel("亿元")
        top = max([v for v in s["total"] + s["leading"] if v is not None] + [low[0] if low else 0])
        ax.set_ylim(0, top * 1.22)
        ax.legend(loc="upper left", fontsize=7, frameon=False, ncol=3)
        ax.set_title("集群总产值与主导产业产值", fontsize=9)
    return Image(_draw(160, 62, font, paint), "集群总产值与主导产业产值柱状图", 160)


def rates_chart(ext: Extraction, profile: Profile, font: CJKFont) -> Optional[Image]:
    s = series(ext)
    years = [f"{y}" for y in ext.reporting_years]
    panels = []
    if any(v is not None for v in s["leading_share"] + s["sme_share"]):
        panels.append("share")
    if any(v is not None for v in s["leading_growth"]) or ext.value("industry.leading_cagr") is not None:
        panels.append("growth")
    if any(v is not None for v in s["co2"]):
        panels.append("co2")
    if not years or not panels:
        return None
    def paint(fig):
        for i, p in enumerate(panels, 1):
            ax = fig.add_subplot(1, len(panels), i)
            xs = list(range(len(years)))
            if p == "share":
                ax.plot(xs, _nan(s["leading_share"]), marker="o", color=COLOURS["leading"], label="主导产业占比")
                ax.plot(xs, _nan(s["sme_share"]), marker="s", color=COLOURS["sme"], label="中小企业占比")
                for rule, colour in (("criteria.leading_share", COLOURS["leading"]), ("criteria.sme_share", COLOURS["sme"])):
                    low = minimum(profile, rule)
                    if low:
                        ax.axhline(low[0], color=colour, linestyle="--", linewidth=1, alpha=.8)
                        ax.annotate(low[1], (xs[-1], low[0]), fontsize=6, color=colour, ha="right", va="bottom")
                ax.set_title("产值占比（%）", fontsize=8)
            elif p == "growth":
                ax.bar(xs, _nan(s["leading_growth"]), 0.5, color=COLOURS["leading"], label="主导产业产值增速")
                cagr = _num(ext, "industry.leading_cagr")
                if cagr is not None:
                    ax.axhline(cagr, color=COLOURS["avg"], linewidth=1.2, label=f"填报年均增速 {cagr:.2f}%")
                low = minimum(profile, "criteria.growth")
                if low:
                    ax.axhline(low[0], color=COLOURS["min"], linestyle="--", linewidth=1, label=low[1])
                ax.axhline(0, color="#555", linewidth=.6)
                ax.set_title("主导产业产值增速（%）", fontsize=8)
            else:
                ax.plot(xs, _nan(s["co2"]), marker="o", color=COLOURS["co2"], label="应逐年下降")
                ax.set_title("单位产值CO₂排放（吨/万元）", fontsize=8)
            ax.set_xticks(xs, years)
            ax.tick_params(labelsize=7)
            ax.legend(fontsize=6.5, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.14))
    return Image(_draw(160, 68, font, paint), "产值占比、增速与单位产值二氧化碳排放量折线图", 160)


def charts(ext: Extraction, profile: Profile, font: Optional[CJKFont]) -> list[dict]:
    if font is None:
        return []
    out = []
    for title, make in (("集群总产值与主导产业产值", output_chart), ("占比、增速与碳排放强度", rates_chart)):
        img = make(ext, profile, font)
        if img is not None:
            out.append({"title": title, "image": img})
    return out
