"""Write ``report_templates/memo.docx``, the docxtpl template of the DOCX memo.

The DOCX memo is a real Word document — headings in Word's heading styles, real tables with a
repeating header row, pictures inline — laid out from the same view model as memo.html and
memo.md.  Its template is a .docx holding jinja2 tags (docxtpl: ``{%p …%}`` paragraph tags,
``{%tr …%}`` table-row tags, ``{% cellbg … %}`` cell shading).  This script is the template's
source: edit it (or open memo.docx in Word and edit the styles) and run

    .venv/bin/python report_templates/build_memo_docx.py

``tests/test_memo.py`` checks that the committed memo.docx is what this script writes.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
BODY_FONT, HEAD_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"


def _fonts(style, east_asian: str, size: float, bold: bool = False, colour: RGBColor | None = None) -> None:
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = colour or RGBColor(0x1D, 0x27, 0x31)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)


def _styles(doc) -> None:
    st = doc.styles
    _fonts(st["Normal"], BODY_FONT, 10.5)
    st["Normal"].paragraph_format.space_after = Pt(3)
    _fonts(st["Title"], HEAD_FONT, 18, bold=True)
    _fonts(st["Subtitle"], BODY_FONT, 11, colour=RGBColor(0x50, 0x60, 0x70))
    _fonts(st["Heading 1"], HEAD_FONT, 14, bold=True, colour=RGBColor(0x2F, 0x5D, 0x8A))
    _fonts(st["Heading 2"], HEAD_FONT, 11.5, bold=True)
    _fonts(st["Heading 3"], HEAD_FONT, 10.5, bold=True)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        st[name].paragraph_format.space_before = Pt(10)
        st[name].paragraph_format.space_after = Pt(4)
        st[name].paragraph_format.keep_with_next = True
    _fonts(st["Footer"], BODY_FONT, 8, colour=RGBColor(0x66, 0x70, 0x7A))


def _page(doc) -> None:
    s = doc.sections[0]
    s.orientation = WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = Cm(21.0), Cm(29.7)
    s.left_margin = s.right_margin = Cm(2.0)
    s.top_margin = s.bottom_margin = Cm(2.0)
    p = s.footer.paragraphs[0]
    p.style = doc.styles["Footer"]
    p.add_run("{{ header.cluster_name }} · 专家预审备忘录 · 第 ")
    _field(p, "PAGE")
    p.add_run(" 页")


def _field(p, instr: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    p._p.append(fld)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _table(doc, headers: list[str], widths_cm: list[float], loop: str, cells: list[str], end: str = "{%tr endfor %}"):
    """A table: a shaded header row repeated on every page, and one looped row of ``cells``."""
    t = doc.add_table(rows=4, cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for i, h in enumerate(headers):
        c = t.rows[0].cells[i]
        c.text = h
        c.paragraphs[0].runs[0].bold = True
        _shade(c, "EAF0F5")
    _repeat_header(t.rows[0])
    t.rows[1].cells[0].text = loop
    for i, text in enumerate(cells):
        t.rows[2].cells[i].text = text
    t.rows[3].cells[0].text = end
    _widths(t, widths_cm)
    return t


def _widths(t, widths_cm: list[float]) -> None:
    """Column widths in the grid (LibreOffice reads these) and in every cell (Word reads those)."""
    for i, w in enumerate(widths_cm):
        t.columns[i].width = Cm(w)
        for row in t.rows:
            row.cells[i].width = Cm(w)


def _meta_table(doc) -> None:
    rows = [("所属地区", "{{ header.region }}"), ("申报主体", "{{ header.applicant }}"),
            ("集群运营管理机构", "{{ header.operator }}"),
            ("认定标准", "{{ header.profile_name }}（{{ header.profile_document }}）"),
            ("申报时间 / 填报年度", "{{ header.application_date }} · {{ header.years }}"),
            ("预审结论", "{{ header.verdict_label }}（错误 {{ header.counts.error }} 项，提示 {{ header.counts.warning }} 项，"
                      "文件问题 {{ problems | length }} 项）"),
            ("预审日期", "{{ header.memo_date }}"),
            ("申报表文件 / 编号", "{{ header.form_file }} · {{ header.dossier_id }}")]
    t = doc.add_table(rows=len(rows), cols=2)
    t.style = doc.styles["Table Grid"]
    t.autofit = False
    for r, (label, value) in zip(t.rows, rows):
        r.cells[0].text, r.cells[1].text = label, value
        r.cells[0].paragraphs[0].runs[0].bold = True
        _shade(r.cells[0], "F3F6F9")
    _widths(t, [4.2, 12.8])
    _shade(t.rows[5].cells[1], "{{ header.verdict | fill }}")


def build(path: Path) -> None:
    doc = Document()
    _styles(doc)
    _page(doc)
    doc.core_properties.title = "专家预审备忘录"
    doc.core_properties.author = "特色产业集群申报材料预审流水线"
    doc.add_paragraph("{{ header.cluster_name }}", style="Title")
    doc.add_paragraph("中小企业特色产业集群申报材料 · 专家预审备忘录", style="Subtitle")
    _meta_table(doc)
    doc.add_paragraph("{%p if review.count %}")
    doc.add_paragraph("人工复核：{{ review.count }} 项数值经复核人员确认或更正（更正 {{ review.corrected }} 项，确认 "
                      "{{ review.confirmed }} 项），复核人：{{ review.by }}；附件中以“✔”标出。")
    doc.add_paragraph("{%p endif %}")

    doc.add_paragraph("{%p if problems %}")
    doc.add_heading("文件问题", level=1)
    _table(doc, ["文件", "问题"], [5.5, 11.5], "{%tr for p in problems %}", ["{{ p.file }}", "{{ p.message }}"])
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("一、认定标准对照表", level=1)
    doc.add_paragraph("{%p if criteria %}")
    _table(doc, ["指标", "申报值", "认定标准", "依据条款", "结论"], [3.0, 4.6, 4.0, 3.4, 2.0],
           "{%tr for c in criteria %}",
           ["{{ c.indicator }}", "{{ c.values_text }}", "{{ c.threshold }}", "{{ c.clause }}{{ '（' ~ c.note ~ '）' if c.note else '' }}",
            "{% cellbg c.status | fill %}{{ c.status_label }}"])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("认定标准“{{ header.profile_name }}”尚未载入数值门槛，无法逐项对照。")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("二、一致性核查", level=1)
    doc.add_paragraph("{%p for f in findings %}")
    doc.add_heading("{{ f.n }}. 【{{ f.severity_label }}】{{ f.message }}", level=2)
    doc.add_paragraph("规则 {{ f.rule }}{% if f.clause %} · {{ f.clause }}{% endif %}")
    doc.add_paragraph("{%p for x in f.numbers %}")
    doc.add_paragraph("{{ x.label }}：{{ x.value }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if f.places %}")
    _table(doc, ["栏目", "填报内容", "来源"], [5.0, 4.0, 8.0], "{%tr for p in f.places %}",
           ["{{ p.label }}", "{{ p.value }}", "{{ p.source }}{{ p.crop | image }}"])
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("建议核实：{{ f.question }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if not findings %}")
    doc.add_paragraph("{{ '未发现不一致之处。' if form_read else '未读出申报表内容，无法核查。' }}")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("三、佐证材料核对", level=1)
    doc.add_paragraph("{%p if claims %}")
    doc.add_paragraph("需佐证的选项共 {{ claims | length }} 项，已勾选 {{ claim_counts.ticked }} 项：已关联佐证 "
                      "{{ claim_counts.linked }} 项，未关联 {{ claim_counts.unlinked }} 项，缺少佐证 {{ claim_counts.missing }} 项。")
    _table(doc, ["栏目", "选项（需佐证）", "勾选", "佐证文件", "状态"], [4.2, 5.4, 1.6, 3.6, 2.2],
           "{%tr for c in claims %}",
           ["{{ c.group if loop.changed(c.group) else '' }}", "{{ c.option }}", "{{ c.ticked_label }}",
            "{{ c.files | join('、') if c.files else '—' }}", "{% cellbg c.status | fill %}{{ c.status_label }}"])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("未读出申报表内容，无法核对佐证材料。")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("四、主要指标", level=1)
    doc.add_paragraph("{%p for c in charts %}")
    doc.add_paragraph("{{ c.image | image }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if charts_note %}")
    doc.add_paragraph("{{ charts_note }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if not indicators.rows %}")
    doc.add_paragraph("未读出可列示的年度指标。")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if indicators.rows %}")
    _table(doc, ["指标", "{{ indicators.years[0] }}", "{{ indicators.years[1] }}", "{{ indicators.years[2] }}"],
           [7.4, 3.2, 3.2, 3.2], "{%tr for r in indicators.rows %}",
           ["{{ r.label }}", "{{ r['values'][0] }}", "{{ r['values'][1] }}", "{{ r['values'][2] }}"])
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("五、叙述摘要", level=1)
    doc.add_paragraph("{%p if narratives %}")
    _table(doc, ["栏目", "字数 / 上限", "关键词"], [5.6, 3.4, 8.0], "{%tr for n in narratives %}",
           ["{{ n.label }}", "{% cellbg 'F9D6D5' if n.over else 'FFFFFF' %}{{ n.chars }} / {{ n.limit }} 字"
            "{{ '（超出）' if n.over else ('（未填写）' if n.empty else '') }}", "{{ n.keywords | join('、') }}"])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("未读出叙述性栏目。")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("六、建议核实问题", level=1)
    doc.add_paragraph("{%p for q in questions %}")
    doc.add_paragraph("{{ q }}", style="List Number")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if not questions %}")
    doc.add_paragraph("无。")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("附件：提取字段一览", level=1)
    doc.add_paragraph("置信度低于 0.75 或未能读出的栏目以底色标出。{% if form_file %}来源只写表格位置的，均出自申报表"
                      "“{{ form_file }}”（表、行、列从 1 起数）。{% endif %}")
    doc.add_paragraph("{%p for s in annex %}")
    doc.add_heading("{{ s.title }}", level=2)
    _table(doc, ["栏目", "填报内容", "置信度", "来源"], [4.4, 8.2, 1.4, 3.0], "{%tr for r in s.rows %}",
           ["{% cellbg 'FFF7DD' if r.low else 'FFFFFF' %}{{ r.label }}",
            "{% cellbg 'FFF7DD' if r.low else 'FFFFFF' %}{{ r.value }}{{ '（' ~ r.note ~ '）' if r.note else '' }}"
            "{{ ' ✔ ' ~ review.fields[r.id].mark if r.reviewed else '' }}",
            "{% cellbg 'FFF7DD' if r.low else 'FFFFFF' %}{{ r.confidence }}",
            "{% cellbg 'FFF7DD' if r.low else 'FFFFFF' %}{{ r.source }}"])
    doc.add_paragraph("{%p endfor %}")
    doc.add_heading("来源文件", level=2)
    _table(doc, ["文件", "角色", "格式", "页数", "sha256"], [6.6, 2.0, 1.6, 1.4, 5.4], "{%tr for s in sources %}",
           ["{{ s.file }}{{ '（' ~ s.problem ~ '）' if s.problem else '' }}", "{{ s.role }}", "{{ s.format }}",
            "{{ s.pages }}", "{{ s.sha256 }}…"])
    doc.save(str(path))


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "memo.docx"
    build(out)
    print(f"wrote {out}")
