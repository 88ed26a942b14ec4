"""XLSX → Document: each worksheet becomes one table (merged ranges resolved).

Evidence often arrives as spreadsheets: lists of enterprises, patents, standards.  Cells
are read as displayed text (numbers without float noise, dates as ISO dates); each cell's
source is the sheet (``sheet`` name, ``page`` = sheet number), row and column (0-based).
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Optional

from pipeline.model import Cell, Document, Page, Paragraph, Source, Table

from .errors import ReadError
from .ooxml_guard import check_package

MAX_XLSX_BYTES = 50 * 1024 * 1024
MAX_CELLS = 200_000


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.10g}" if v != int(v) else str(int(v))
    if isinstance(v, (dt.datetime, dt.date)):
        return v.strftime("%Y-%m-%d")
    return str(v)


def read_xlsx(path: Path, name: Optional[str] = None) -> Document:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    name = name or path.name
    size = path.stat().st_size
    if size == 0:
        raise ReadError(name, "empty", "文件为空 (0 字节) — the file is empty")
    if size > MAX_XLSX_BYTES:
        raise ReadError(name, "too_large", f"表格文件过大 ({size // 2**20} MB) — spreadsheet too large")
    check_package(path, name, "xlsx")
    try:
        wb = openpyxl.load_workbook(str(path), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as e:
        raise ReadError(name, "corrupt", f"不是有效的 Excel 文件，可能已损坏 — not a valid .xlsx ({type(e).__name__})")
    except Exception as e:  # a damaged part: zlib.error, an XML parse error, … (found by fuzzing)
        raise ReadError(name, "corrupt", f"Excel 表格已损坏，无法读取 — the spreadsheet is damaged ({type(e).__name__})")
    doc = Document(file=name, format="xlsx")
    budget = MAX_CELLS
    for si, ws in enumerate(wb.worksheets):
        n_rows, n_cols = ws.max_row or 0, ws.max_column or 0
        if n_rows * n_cols > budget:
            doc.warnings.append(f"{name}: 工作表 {ws.title} 过大，只读取前 {budget} 个单元格")
            n_rows = max(1, budget // max(n_cols, 1))
        budget -= n_rows * n_cols
        merged = {}
        for rng in ws.merged_cells.ranges:
            merged[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
        covered = set()
        for (r0, c0), (rs, cs) in merged.items():
            for r in range(r0, r0 + rs):
                for c in range(c0, c0 + cs):
                    if (r, c) != (r0, c0):
                        covered.add((r, c))
        cells = []
        for r, row in enumerate(ws.iter_rows(min_row=1, max_row=n_rows, max_col=n_cols, values_only=True), start=1):
            for c, v in enumerate(row, start=1):
                if (r, c) in covered:
                    continue
                rs, cs = merged.get((r, c), (1, 1))
                src = Source(name, page=si + 1, table=si, row=r - 1, col=c - 1, sheet=ws.title)
                text = _text(v)
                paras = [Paragraph(text=t, source=src) for t in text.split("\n")] if text else []
                cells.append(Cell(row=r - 1, col=c - 1, row_span=rs, col_span=cs, paragraphs=paras, source=src))
        doc.blocks.append(Paragraph(text=ws.title, source=Source(name, page=si + 1, sheet=ws.title), kind="heading"))
        doc.blocks.append(Table(index=si, n_rows=n_rows, n_cols=n_cols, cells=cells,
                                source=Source(name, page=si + 1, table=si, sheet=ws.title), name=ws.title))
        doc.pages.append(Page(number=si + 1, width=0, height=0, kind="text"))
    return doc
