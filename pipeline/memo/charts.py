"""Key indicators charted (drawn with Pillow and the CJK font by ``plot.py``, embedded as PNG).

* 总产值 and 主导产业产值 (= 总产值 × 主导产业占比) over the three reporting years, with the
  profile's minimum output as a line;
* small multiples for the rates where a picture helps: the two output shares against their
  minima, the yearly leading-industry growth against the stated 3-year average and the growth
  minimum, and the CO₂ intensity that every document wants falling.

The figures behind the charts are also returned as a table (:func:`indicator_table`), which the
Markdown memo shows in place of pictures.
"""
from __future__ import annotations

from typing import Optional

from pipeline.model import Extraction
from pipeline.model.profiles import Profile

from .fonts import CJKFont
from .images import Image
from .plot import INK, Axes, Entry, Figure, nice_ticks, tick_text, value_range

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


def warm_up(font: CJKFont) -> None:
    """Find the CJK font's regular face and open it at the charts' sizes in this process (and in
    every worker forked from it) by drawing a small chart."""
    fig = Figure(40, 30, font)
    for size in (6, 6.5, 7, 8, 9):
        fig.text((0, 0), "集群总产值 2022年 1,234.5 CO₂", size)
    fig.png()


TITLE_PT, PANEL_TITLE_PT, TICK_PT, LEGEND_PT, LABEL_PT, NOTE_PT = 9, 8, 7, 6.5, 7, 6
AXIS_PT = 8          # the output chart's ticks and unit


def _title_height(fig: Figure, size_pt: float) -> float:
    return fig.pt(size_pt * 1.9)


def _left_margin(fig: Figure, ticks: list[float], size_pt: float = TICK_PT) -> float:
    return max(fig.text_width(tick_text(t), size_pt) for t in ticks) + fig.pt(8)


def output_chart(ext: Extraction, profile: Profile, font: CJKFont) -> Optional[Image]:
    s = series(ext)
    if not ext.reporting_years or all(v is None for v in s["total"]):
        return None
    fig = Figure(160, 62, font)
    low = minimum(profile, "criteria.output")
    top = max([v for v in s["total"] + s["leading"] if v is not None] + [low[0] if low else 0])
    hi = top * 1.22 if top > 0 else 1.0
    ticks = [t for t in nice_ticks(0, hi) if t <= hi]
    title_h = _title_height(fig, TITLE_PT)
    left = fig.pt(6) + _left_margin(fig, ticks, AXIS_PT)
    box = (left, title_h + fig.pt(LABEL_PT * 1.8), fig.size[0] - fig.pt(6), fig.size[1] - fig.pt(AXIS_PT * 2.4))
    ax = Axes(fig, box, len(ext.reporting_years), 0.0, hi)
    fig.text((fig.size[0] / 2, fig.pt(3)), "集群总产值与主导产业产值", TITLE_PT, anchor="ma")
    fig.text((left, box[1] - fig.pt(3)), "亿元", AXIS_PT, anchor="ld")
    w = 0.36
    ax.bars(s["total"], -w / 2, w, COLOURS["total"], label_size=LABEL_PT)
    ax.bars(s["leading"], w / 2, w, COLOURS["leading"], label_size=LABEL_PT)
    entries = [Entry("bar", COLOURS["total"], "集群总产值"),
               Entry("bar", COLOURS["leading"], "主导产业产值（总产值×主导产业占比）")]
    if low:
        ax.hline(low[0], COLOURS["min"], 1.2, dashed=True)
        entries.append(Entry("dashed", COLOURS["min"], f"{low[1]}（总产值）"))
    ax.frame([f"{y}年" for y in ext.reporting_years], ticks, AXIS_PT)
    fig.legend(entries, box[0] + fig.pt(4), box[1] + fig.pt(2), LEGEND_PT + 0.5, columns=3)
    return Image(fig.png(), "集群总产值与主导产业产值柱状图", 160)


def _panels(ext: Extraction, s: dict) -> list[str]:
    panels = []
    if any(v is not None for v in s["leading_share"] + s["sme_share"]):
        panels.append("share")
    if any(v is not None for v in s["leading_growth"]) or ext.value("industry.leading_cagr") is not None:
        panels.append("growth")
    if any(v is not None for v in s["co2"]):
        panels.append("co2")
    return panels


def _panel_content(p: str, ext: Extraction, profile: Profile, s: dict) -> dict:
    """What one small multiple shows: its title, values (for the range), drawing steps, legend."""
    if p == "share":
        lines = [minimum(profile, r) for r in ("criteria.leading_share", "criteria.sme_share")]
        refs = [(low, c) for low, c in zip(lines, (COLOURS["leading"], COLOURS["sme"])) if low]
        return {"title": "产值占比（%）", "values": s["leading_share"] + s["sme_share"] + [lo[0] for lo, _ in refs],
                "lines": [(s["leading_share"], COLOURS["leading"], "o"), (s["sme_share"], COLOURS["sme"], "s")],
                "refs": [(lo[0], c, True, 1.0, lo[1]) for lo, c in refs], "bars": None, "zero": False,
                "legend": [Entry("line", COLOURS["leading"], "主导产业占比", "o"),
                           Entry("line", COLOURS["sme"], "中小企业占比", "s")]}
    if p == "growth":
        cagr, low = _num(ext, "industry.leading_cagr"), minimum(profile, "criteria.growth")
        refs, legend = [], [Entry("bar", COLOURS["leading"], "主导产业产值增速")]
        if cagr is not None:
            refs.append((cagr, COLOURS["avg"], False, 1.2, ""))
            legend.append(Entry("line", COLOURS["avg"], f"填报年均增速 {cagr:.2f}%"))
        if low:
            refs.append((low[0], COLOURS["min"], True, 1.0, ""))
            legend.append(Entry("dashed", COLOURS["min"], low[1]))
        return {"title": "主导产业产值增速（%）", "values": s["leading_growth"] + [r[0] for r in refs] + [0.0],
                "lines": [], "refs": refs, "bars": s["leading_growth"], "zero": True, "legend": legend}
    return {"title": "单位产值CO₂排放（吨/万元）", "values": s["co2"], "lines": [(s["co2"], COLOURS["co2"], "o")],
            "refs": [], "bars": None, "zero": False, "legend": [Entry("line", COLOURS["co2"], "应逐年下降", "o")]}


def _ref_notes(refs) -> list[tuple[float, str, str]]:
    """The reference lines' notes to write, once each: two thresholds at the same value with
    the same words (主导产业 and 中小企业 占比 both ≥ 70%) are one note in the ink colour, not
    two drawn over each other; different notes at one value are stacked (the caller moves the
    k-th one up by k lines)."""
    out: list[tuple[float, str, str]] = []
    for value, colour, _, _, note in refs:
        if not note:
            continue
        same = next((i for i, (v, n, _) in enumerate(out) if v == value and n == note), None)
        if same is None:
            out.append((value, note, colour))
        elif out[same][2] != colour:
            out[same] = (value, note, INK)
    return out


def rates_chart(ext: Extraction, profile: Profile, font: CJKFont) -> Optional[Image]:
    s = series(ext)
    years = [f"{y}" for y in ext.reporting_years]
    panels = _panels(ext, s)
    if not years or not panels:
        return None
    fig = Figure(160, 68, font)
    contents = [_panel_content(p, ext, profile, s) for p in panels]
    legend_h = max(len(c["legend"]) for c in contents) * fig.pt(LEGEND_PT * 1.45)
    top, bottom = _title_height(fig, PANEL_TITLE_PT), fig.size[1] - fig.pt(TICK_PT * 2.6) - legend_h - fig.pt(3)
    width = fig.size[0] / len(contents)
    for k, c in enumerate(contents):
        lo, hi = value_range(c["values"])
        ticks = [t for t in nice_ticks(lo, hi, 5) if lo <= t <= hi]
        x0 = k * width + fig.pt(4) + _left_margin(fig, ticks)
        ax = Axes(fig, (x0, top, (k + 1) * width - fig.pt(6), bottom), len(years), lo, hi)
        fig.text(((ax.x0 + ax.x1) / 2, fig.pt(3)), c["title"], PANEL_TITLE_PT, anchor="ma")
        if c["bars"] is not None:
            ax.bars(c["bars"], 0, 0.5, COLOURS["leading"])
        for value, colour, dashed, width_pt, _ in c["refs"]:
            ax.hline(value, colour, width_pt, dashed)
        notes = _ref_notes(c["refs"])
        for i, (value, note, colour) in enumerate(notes):
            k = sum(1 for v, _, _ in notes[:i] if v == value)
            y = ax.y(value) - fig.pt(1) - k * fig.pt(NOTE_PT * 1.3)
            fig.text((ax.x(len(years) - 1), y), note, NOTE_PT, colour, anchor="rd")
        if c["zero"]:
            ax.hline(0, "#555555", 0.6)
        for values, colour, marker in c["lines"]:
            ax.plot(values, colour, marker)
        ax.frame(years, ticks, TICK_PT)
        fig.legend(c["legend"], (ax.x0 + ax.x1) / 2, bottom + fig.pt(TICK_PT * 2.6), LEGEND_PT, centred=True)
    return Image(fig.png(), "产值占比、增速与单位产值二氧化碳排放量折线图", 160)


def charts(ext: Extraction, profile: Profile, font: Optional[CJKFont]) -> list[dict]:
    if font is None:
        return []
    out = []
    for title, make in (("集群总产值与主导产业产值", output_chart), ("占比、增速与碳排放强度", rates_chart)):
        img = make(ext, profile, font)
        if img is not None:
            out.append({"title": title, "image": img})
    return out
