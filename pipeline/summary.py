"""The run's summary for intake clerks and panels: ``summary.csv``, ``summary.xlsx`` and
``index.html`` in OUT, one row per dossier (id, cluster name, profile, verdict, counts of
errors and warnings, the key indicators), the index linking every memo.

Submitted text is untrusted: a cell that begins with ``= + - @`` (or a tab or carriage
return) is prefixed with an apostrophe so that no spreadsheet runs it as a formula, and the
index is autoescaped HTML.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

from pipeline.model import Extraction

# (column key, header): the columns of summary.csv / summary.xlsx, in order.
COLUMNS: list[tuple[str, str]] = [
    ("dossier_id", "编号"), ("cluster_name", "集群名称"), ("profile", "认定标准"), ("status", "处理状态"),
    ("verdict", "预审结论"), ("errors", "错误数"), ("warnings", "提示数"), ("problems", "文件问题数"),
    ("error", "处理错误"), ("years", "填报年度"),
    ("total_output_first", "总产值·第一年（亿元）"), ("total_output_last", "总产值·第三年（亿元）"),
    ("leading_share_last", "主导产业占比·第三年（%）"), ("sme_share_last", "中小企业产值占比·第三年（%）"),
    ("leading_cagr", "主导产业产值年均增速（%）"), ("enterprises_last", "企业数量·第三年"),
    ("specialized_last", "专精特新中小企业·第三年"), ("little_giants_last", "专精特新“小巨人”·第三年"),
    ("patents_per_10k", "每万人有效发明专利"), ("iiot_rate", "工业互联网普及率（%）"),
    ("area_km2", "占地面积（平方公里）"), ("memo", "备忘录"),
]
# Key indicators: column key -> (field id, which reporting year: 0 first, -1 last, None not yearly)
INDICATORS: dict[str, tuple[str, Optional[int]]] = {
    "total_output_first": ("industry.total_output", 0), "total_output_last": ("industry.total_output", -1),
    "leading_share_last": ("industry.leading_share", -1), "sme_share_last": ("industry.sme_share", -1),
    "leading_cagr": ("industry.leading_cagr", None), "enterprises_last": ("industry.enterprises", -1),
    "specialized_last": ("industry.specialized", -1), "little_giants_last": ("industry.little_giants", -1),
    "patents_per_10k": ("innovation.patents_per_10k", None), "iiot_rate": ("digital.iiot_rate", None),
    "area_km2": ("basic.area_km2", None),
}
VERDICT_TEXT = {"pass": "通过", "review": "需复核", "fail": "未通过"}
STATUS_TEXT = {"done": "已完成", "failed": "处理失败", "unfinished": "未完成", "no_dossier": "未找到申报材料"}
UNFINISHED = ("运行中断，本份材料尚未处理完毕；再次运行同一命令即可继续 — not finished: the run was interrupted; "
              "run the same command again to resume")
# problems of a dossier that the clerk must see in the summary row itself
ROW_PROBLEMS = ("form_conflict",)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def summary_row(ext: Extraction) -> dict:
    """The summary row of a processed dossier (stored in the ledger, so skipped dossiers keep theirs)."""
    ys = ext.reporting_years
    row: dict[str, Any] = {
        "dossier_id": ext.dossier_id,
        "cluster_name": ext.value("cover.cluster_name") or ext.value("basic.cluster_name") or "",
        "profile": ext.profile, "status": "done", "verdict": ext.verdict,
        "errors": sum(f.severity == "error" for f in ext.findings),
        "warnings": sum(f.severity == "warning" for f in ext.findings),
        "problems": len(ext.problems), "error": _row_problem(ext), "years": f"{ys[0]}–{ys[-1]}" if ys else "",
        "memo": f"{ext.dossier_id}/memo.html",
    }
    for key, (fid, which) in INDICATORS.items():
        if which is None:
            row[key] = ext.value(fid)
        else:
            row[key] = ext.value(f"{fid}.{ys[which]}") if ys else None
    return row


def _row_problem(ext: Extraction) -> str:
    return "；".join(p.get("message", "") for p in ext.problems if p.get("kind") in ROW_PROBLEMS)


def unfinished_row(dossier_id: str) -> dict:
    """The row of a dossier found but not finished (the run was interrupted before it)."""
    row = {k: None for k, _ in COLUMNS}
    row.update(dossier_id=dossier_id, cluster_name="", status="unfinished", verdict="", error=UNFINISHED,
               memo=None)
    return row


def no_dossier_row(path: str, reason: str) -> dict:
    """The row of an input (or a folder in it) that holds no dossier."""
    row = {k: None for k, _ in COLUMNS}
    row.update(dossier_id=path, cluster_name="", status="no_dossier", verdict="", error=reason, memo=None)
    return row


def rows_not_done(found, rows: list[dict]) -> list[dict]:
    """Rows for what has no row yet: each dossier found but not finished, and each input or
    folder that holds no dossier (``found`` is a :class:`pipeline.dossiers.Discovery`)."""
    have = {r["dossier_id"] for r in rows}
    extra = [unfinished_row(d.id) for d in found.dossiers if d.id not in have]
    extra += [no_dossier_row(nf.path, nf.reason) for nf in found.not_found]
    return extra


def failure_row(dossier_id: str, error: str) -> dict:
    """The summary row of a dossier whose processing failed (crash, per-dossier time limit)."""
    row = {k: None for k, _ in COLUMNS}
    row.update(dossier_id=dossier_id, cluster_name="", status="failed", verdict="", errors=None, warnings=None,
               problems=None, error=error, memo=f"{dossier_id}/memo.html")
    return row


def neutralise(value: Any) -> Any:
    """A value safe for a spreadsheet cell: text that a spreadsheet would read as a formula is
    prefixed with an apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cells(row: dict) -> list[Any]:
    out = []
    for key, _ in COLUMNS:
        v = row.get(key)
        if key == "verdict":
            v = VERDICT_TEXT.get(v, v)
        elif key == "status":
            v = STATUS_TEXT.get(v, v)
        if isinstance(v, (list, dict)):
            v = str(v)
        out.append(neutralise(v))
    return out


def csv_bytes(rows: list[dict]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese right."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([h for _, h in COLUMNS])
    for r in rows:
        w.writerow(["" if v is None else v for v in _cells(r)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    wb = Workbook()
    ws = wb.active
    ws.title = "预审汇总"
    ws.append([h for _, h in COLUMNS])
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="EAF0F5")
        c.alignment = Alignment(wrap_text=True, vertical="top")
    fills = {"pass": "D8EEDD", "review": "FFF1C9", "fail": "F9D6D5"}
    vcol = [k for k, _ in COLUMNS].index("verdict") + 1
    for r in rows:
        cells = [_XLSX_ILLEGAL.sub("", v) if isinstance(v, str) else v for v in _cells(r)]
        ws.append(cells)
        for c in ws[ws.max_row]:
            if isinstance(c.value, str):
                c.data_type = "s"          # text, never a formula, whatever it starts with
        if r.get("verdict") in fills:
            ws.cell(ws.max_row, vcol).fill = PatternFill("solid", fgColor=fills[r["verdict"]])
    widths = {"dossier_id": 26, "cluster_name": 34, "error": 30, "memo": 34}
    for i, (k, _) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(k, 13)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _profile_text(profile_id: Optional[str]) -> str:
    """The criteria's name as the clerk knows it (甘肃省 …认定标准（2023年版）); the id where the
    profile is unknown (the CSV and XLSX keep the id, as ``output.md`` says)."""
    from pipeline.model.profiles import list_profiles, load_profile
    if not profile_id or profile_id not in list_profiles():       # an id only, never a path
        return profile_id or ""
    return load_profile(profile_id).name


def index_html(rows: list[dict], out: Path, run: Optional[dict] = None) -> str:
    from pipeline.memo.to_html import html_environment
    items = []
    for r in rows:
        folder = out / r["dossier_id"]
        links = [{"label": fmt.upper() if fmt != "md" else "MD", "href": f"{quote(r['dossier_id'])}/memo.{fmt}"}
                 for fmt in ("html", "pdf", "docx", "md")
                 if r.get("memo") and (folder / f"memo.{fmt}").exists()]
        items.append({**r, "links": links, "profile_text": _profile_text(r.get("profile")),
                      "verdict_text": VERDICT_TEXT.get(r.get("verdict"), r.get("verdict") or ""),
                      "status_text": STATUS_TEXT.get(r.get("status"), r.get("status") or ""),
                      "href": links[0]["href"] if links else ""})
    counts = {k: sum(r.get("verdict") == k for r in rows) for k in VERDICT_TEXT}
    counts["failed"] = sum(r.get("status") == "failed" for r in rows)
    counts["unfinished"] = sum(r.get("status") in ("unfinished", "no_dossier") for r in rows)
    return html_environment().get_template("index.html.j2").render(
        rows=items, counts=counts, run=run or {}, generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"))


def write_summary(out: Path, rows: list[dict], run: Optional[dict] = None) -> list[Path]:
    """summary.csv, summary.xlsx and index.html in ``out``, each written atomically."""
    from pipeline.outputs import write_bytes, write_text
    rows = sorted(rows, key=lambda r: r["dossier_id"])
    paths = [out / "summary.csv", out / "summary.xlsx", out / "index.html"]
    write_bytes(paths[0], csv_bytes(rows))
    write_bytes(paths[1], xlsx_bytes(rows))
    write_text(paths[2], index_html(rows, out, run))
    return paths


def write_summary_from_ledger(out: Path, ledger, run: Optional[dict] = None, extra=None) -> list[Path]:
    """The summary files from the ledger's rows (``pipeline.ledger.Ledger``): every failed
    dossier, and every finished one whose folder is in ``out``; ``extra(rows)`` adds rows the
    ledger has none for (dossiers found but not finished, inputs holding no dossier)."""
    rows = [r for r in ledger.summaries() if r.get("status") == "failed" or (out / r["dossier_id"]).is_dir()]
    if extra is not None:
        rows += extra(rows)
    return write_summary(out, rows, run)



def record_recheck(ext, out: Path, url: Optional[str] = None) -> Optional[str]:
    """A re-checked dossier (``pipeline check``, a save in the review workbench): its new
    verdict and counts in the run's ledger row and the summary files, where there is a ledger.
    Returns why the ledger could not be updated (the memos are written either way), else None."""
    from pipeline.ledger import LEDGER_NAME, Ledger
    if not url and not (Path(out) / LEDGER_NAME).exists():
        return None
    try:
        ledger = Ledger(out, url)
    except Exception as e:
        return f"无法打开台账 — cannot open the ledger: {e}"
    try:
        if ledger.update_summary(ext.dossier_id, summary_row(ext)):
            write_summary_from_ledger(Path(out), ledger)
    finally:
        ledger.close()
    return None
