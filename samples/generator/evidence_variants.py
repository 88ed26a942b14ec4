"""Evidence wording variants: 统计局 certificates worded and wrapped the many ways real ones are,
each with the figures it states, for the evidence linker's held-out check.

Nothing here touches the committed ``samples/``: a certificate is made from a seed alone
(``certificate(seed)``), so the same seed always gives the same file.  Variants, each drawn
from the seed:

- the years: ``2020年、2021年、2022年`` / ``2020年、2021年和2022年`` / ``2020—2022年`` /
  ``2020年至2022年``;
- the figures' units: ``72.30亿元`` each / ``72.30亿`` (no 元) / ``723,000万元`` / ``723,000万`` /
  the unit once after the last figure (``72.30、77.52、83.72亿元``); 分别为 or 依次为;
- the wrap: none / a soft line break (``w:br``) or a paragraph break anywhere in the sentence —
  inside the year list, between a number and its unit, inside a number — optionally with a
  page number between the two halves (a page break as a PDF text layer gives it);
- a table of the same figures after the sentence, or none.

``python -m samples.generator.evidence_variants [--seeds 0-199] [--held-out]`` writes each
certificate to a temporary folder, reads it with the DOCX reader, links it, and prints how many
figures were read right, wrong, or not at all, and how many wrong ones a check would call an
error.  Seeds from ``HELD_OUT`` (1000 on) are never looked at while changing the linker: run
them once, at the end, and report.
"""
from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from .evidence import _docx, _p

TUNING = range(0, 200)
HELD_OUT = range(1000, 1100)

YEAR_STYLES = ("list", "list_he", "range_dash", "range_zhi")
UNIT_STYLES = ("yiyuan", "yi", "wanyuan", "wan", "last_only")
WRAPS = ("none", "soft", "paragraph", "page")


def _years(ys: list[int], style: str) -> str:
    if style == "list":
        return "、".join(f"{y}年" for y in ys)
    if style == "list_he":
        return "、".join(f"{y}年" for y in ys[:-1]) + f"和{ys[-1]}年"
    if style == "range_dash":
        return f"{ys[0]}—{ys[-1]}年"
    return f"{ys[0]}年至{ys[-1]}年"


def _figure(v: float, style: str) -> str:
    if style in ("wanyuan", "wan"):
        return f"{round(v * 10000):,}" + ("万元" if style == "wanyuan" else "万")
    return f"{v:.2f}" + ("亿元" if style == "yiyuan" else "亿")


def _figures(vals: list[float], style: str) -> str:
    if style == "last_only":
        return "、".join(f"{v:.2f}" for v in vals) + "亿元"
    return "、".join(_figure(v, style) for v in vals)


def sentence(rng: random.Random, name: str, ys: list[int], vals: list[float]) -> tuple[str, dict]:
    ystyle, ustyle = rng.choice(YEAR_STYLES), rng.choice(UNIT_STYLES)
    verb = rng.choice(["分别为", "依次为", "分别达到"])
    text = f"经核实，{name}{_years(ys, ystyle)}集群总产值{verb}{_figures(vals, ustyle)}。"
    return text, {"years": ystyle, "units": ustyle}


def _wrap_at(rng: random.Random, text: str) -> int:
    """Anywhere inside the figures' sentence (after its first clause), never at its ends."""
    lo = text.index("，") + 1
    return rng.randrange(lo + 1, len(text) - 1)


def certificate(seed: int) -> tuple[bytes, dict]:
    """One 统计局 certificate and its truth: {field: value} and the variant drawn."""
    rng = random.Random(seed)
    first = rng.choice([2020, 2021])
    ys = [first, first + 1, first + 2]
    v0 = round(rng.uniform(20, 400), 2)
    vals = [v0]
    for _ in ys[1:]:
        vals.append(round(vals[-1] * rng.uniform(1.02, 1.25), 2))
    name = rng.choice(["该集群", "XX县特色食品产业集群", "中小企业特色产业集群（XX区五金产业）"])
    text, variant = sentence(rng, name, ys, vals)
    wrap = rng.choice(WRAPS)
    cut = _wrap_at(rng, text)
    table = rng.random() < 0.3
    variant.update(wrap=wrap, cut=text[max(0, cut - 3):cut] + "|" + text[cut:cut + 3], table=table)

    def body(doc: Document) -> None:
        _p(doc, "证    明", align=WD_ALIGN_PARAGRAPH.CENTER, size=22)
        _p(doc, "县工业和信息化主管部门：", indent=False)
        if wrap == "none":
            _p(doc, text)
        elif wrap == "soft":
            _p(doc, text[:cut] + "\n" + text[cut:])
        else:
            _p(doc, text[:cut])
            if wrap == "page":
                _p(doc, f"— {rng.randint(1, 9)} —", align=WD_ALIGN_PARAGRAPH.CENTER)
            _p(doc, text[cut:], indent=False)
        if table:
            t = doc.add_table(rows=1, cols=2)
            t.style = "Table Grid"
            t.rows[0].cells[0].text = "年度"
            t.rows[0].cells[1].text = "集群总产值（亿元）"
            for y, v in zip(ys, vals):
                r = t.add_row().cells
                r[0].text, r[1].text = f"{y}年", f"{v:.2f}"
        _p(doc, "特此证明。")

    values = {f"industry.total_output.{y}": v for y, v in zip(ys, vals)}
    return _docx(body), {"seed": seed, "years": ys, "values": values, "variant": variant}


def check(seeds) -> dict:
    """Read and link each seed's certificate; count figures right / wrong / missed, and wrong
    ones a check would report as an error (read as certain)."""
    from extractors.docx_reader import read_docx
    from extractors.evidence import link_document
    from pipeline.model import Extraction, FieldValue, SourceFile

    tally = {"certificates": 0, "figures": 0, "right": 0, "wrong": 0, "missed": 0, "wrong_certain": 0}
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            data, truth = certificate(seed)
            path = Path(tmp) / f"证明{seed}.docx"
            path.write_bytes(data)
            ext = Extraction(f"v{seed}", reporting_years=truth["years"],
                             fields={k: FieldValue(v) for k, v in truth["values"].items()})
            link = link_document(ext, SourceFile(path.name, "", "evidence", "docx"), read_docx(path))
            tally["certificates"] += 1
            bad = _score(truth, link, tally)
            if bad:
                failures.append((seed, truth["variant"], bad))
    tally["failures"] = failures
    return tally


def _score(truth: dict, link, tally: dict) -> list:
    bad = []
    readings = link.detail.get("values", [])
    for fid, want in truth["values"].items():
        tally["figures"] += 1
        got = [r for r in readings if r["field"] == fid]
        if not got:
            tally["missed"] += 1
            bad.append((fid, "missed"))
        elif all(abs(r["value"] - want) < 1e-6 for r in got):
            tally["right"] += 1
        else:
            tally["wrong"] += 1
            certain = [r for r in got if abs(r["value"] - want) >= 1e-6 and fid in link.values]
            tally["wrong_certain"] += bool(certain)
            bad.append((fid, [r["raw"] for r in got]))
    return bad


def _seeds(spec: str) -> range:
    a, _, b = spec.partition("-")
    return range(int(a), int(b or a) + 1)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m samples.generator.evidence_variants", description=__doc__)
    ap.add_argument("--seeds", default=f"{TUNING.start}-{TUNING.stop - 1}", help="seed range, e.g. 0-199")
    ap.add_argument("--held-out", action="store_true", help=f"the held-out seeds {HELD_OUT.start}-{HELD_OUT.stop - 1}")
    ap.add_argument("--show", type=int, default=10, help="failures to print")
    a = ap.parse_args(argv)
    t = check(HELD_OUT if a.held_out else _seeds(a.seeds))
    fails = t.pop("failures")
    print(" ".join(f"{k}={v}" for k, v in t.items()))
    for f in fails[:a.show]:
        print(" ", f)


if __name__ == "__main__":
    main()


__all__ = ["certificate", "check", "HELD_OUT", "TUNING"]
