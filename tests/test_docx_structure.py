"""Merged cells, nested tables and document order from the DOCX reader."""
from extractors.docx_reader import read_docx
from pipeline.model import Document, Paragraph, Table

from .docx_builder import build


def test_gridspan_and_vmerge_resolved(tmp_path):
    p = build(tmp_path / "m.docx", [
        "标题",
        {"rows": [["年度", "2020年", None, None, "2021年", None, None],
                  ["标准", "类别", "主持数量", "参与数量", "类别", "主持数量", "参与数量"],
                  [None, "国际", "1", "2", "国际", "3", "4"]],
         "merges": [(0, 1, 0, 3), (0, 4, 0, 6), (1, 0, 2, 0)]},
        "结尾",
    ])
    doc = read_docx(p)
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table", "Paragraph"]
    t = doc.blocks[1]
    assert (t.n_rows, t.n_cols) == (3, 7)
    y2020 = t.at(0, 2)
    assert y2020.text == "2020年" and (y2020.col, y2020.col_span) == (1, 3)
    label = t.at(2, 0)
    assert label.text == "标准" and (label.row, label.row_span) == (1, 2)
    assert t.at(2, 6).text == "4"
    assert t.at(2, 6).source.to_dict() == {"file": "m.docx", "table": 0, "row": 2, "col": 6}
    # each cell once, with its spans
    assert len(t.cells) == 1 + 2 + 7 + 6


def test_nested_table_and_table_numbering(tmp_path):
    import docx
    d = docx.Document()
    d.add_paragraph("八、未来三年发展规划")
    outer = d.add_table(rows=1, cols=1)
    c = outer.cell(0, 0)
    c.paragraphs[0].add_run("（3000字以内）")
    inner = c.add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "方向", "指标"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "主导产业", "集群产值年均增速"
    c.add_paragraph("2.阶段性目标")
    d.add_table(rows=1, cols=1).cell(0, 0).text = "后表"
    d.save(str(tmp_path / "n.docx"))
    doc = read_docx(tmp_path / "n.docx")
    outer_t = doc.blocks[1]
    cell = outer_t.cells[0]
    # Word keeps an (empty) paragraph after a nested table
    assert [p.text for p in cell.paragraphs if p.text] == ["（3000字以内）", "2.阶段性目标"]
    assert cell.tables[0].at(1, 1).text == "集群产值年均增速"
    assert [t.index for t in doc.iter_tables()] == [0, 1, 2]
    assert cell.tables[0].index == 1 and doc.blocks[2].index == 2


def test_document_round_trips_through_dict(tmp_path):
    p = build(tmp_path / "r.docx", ["一、基本情况", {"rows": [["类型", ["☑第一产业", "□第二产业"]]]}])
    doc = read_docx(p)
    again = Document.from_dict(doc.to_dict())
    assert again.to_dict() == doc.to_dict()
    assert isinstance(again.blocks[0], Paragraph) and isinstance(again.blocks[1], Table)
    assert again.blocks[1].at(0, 1).ticks[0].state is True
