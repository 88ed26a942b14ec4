"""The 申报表 rebuilt in Word: cover, 填报说明, sections 一 to 九, filled with one dossier's values.

Row order, merged cells, printed labels, options and notes follow the printed form
(/work/shared/seeds/003_*.txt, 附件). Filled values are written where an applicant types them.
"""
from __future__ import annotations

import io
import random

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT  # noqa: F401  (kept for readers of this module)
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, Twips

from .catalog import GROUPS, LEVELS, NOTE_EVIDENCE
from .clusters import ISSUERS
from .ooxml import C, Fonts, add_row, add_text, fixed_zip_bytes, new_table, para_format, set_rfonts
from .ticks import Ticker

CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
                                WD_ALIGN_PARAGRAPH.JUSTIFY)

INSTRUCTIONS = [
    "1. 集群应如实填报所附各表。要求文字简洁，数据准确、详实。填报数据将依权限对相关部门和单位开放共享，仅供审核验证和查阅用。",
    "2. 各必填栏目不得空缺，无相关情况时应填写“无”；数据有小数时，保留小数点后2位。",
    "3. 集群运营管理机构是指对产业集群集中运营管理的产业园区管委会、园区运营企业或公共服务机构等法人主体，基础建设单位不可作为集群运营管理机构。",
    "4. 佐证材料包括主管部门、第三方机构出具的证明或申报主体自我声明。",
    "5. 财务数据应以企业该年度会计报表期末数为准。",
    "6. 未注明填报年度的，请填写截止到申报年度上一年年底的数据。",
    "7. 主导产品按获得的产品收入占比或重要程度从高到低填写。",
    "8. 集群内中小企业从业人员数是指集群内所有中小企业从业人员期末数之和。从业人员期末人数，为上年度末在企业工作，并取得工资或其他形式劳动报酬的人员数，是在岗职工、劳务派遣人员及其他从业人员之和。从业人员以上年度末数据为定量依据。",
    "9. 企业研发费用是指企业研发活动中发生的相关费用，具体按照财政部、国家税务总局、科技部《关于完善研究开发费用税前加计扣除政策的通知》（财税[2015]119号）有关规定进行归集。",
    "10. 未来三年中小企业特色产业集群发展规划中的发展目标依据《促进中小企业特色产业集群发展暂行办法》编制，要可考核，突出培育重点，分阶段合理制定年度目标。",
    "11.  为确保文件信息的正确采集，填表时不得改变表格样式，其中一至七部分不得串页。",
]

DECLARATION = ("本单位承诺此次申报中小企业特色产业集群的申请材料(包括附件资料)真实、合法。如有不实之处，本单位愿意负相应法律责任，"
               "并承担由此产生的一切后果。")

PLAN_GUIDE = {
    "intro": ("一、集群基本情况简介",
              "包括总体情况、主导产业、产业集群相关政策制定与实施情况、优质主体培育、品牌打造、产业链供应链建设等方面近三年来发展情况、在行业中所处的地位等。"),
    "results": ("二、发展成效",
                "包括提升集群主导产业优势、激发集群创新活力、推进集群数字化升级、加快集群绿色低碳转型、深化集群开放合作、提升集群治理和服务能力等方面开展的工作和取得的成绩。"),
    "problems": ("3、 存在的问题", None),
}
TARGET_GUIDE = ("（集群须围绕主导产业、创新、数字化、绿色化、开放合作、治理和服务等方面设定清晰、可考核的发展目标，"
                "鼓励集群根据自身特色增加考核指标，不局限于以上方面）")
TARGET_NOTES = [
    "a. 产值年均增速不低于5%",
    "b. 优质中小企业数量逐年增加",
    "c. 研发经费年均增速不低于5%",
    "d. 有效发明专利数年均增长不低于5%",
    "e. 工业互联网普及率达到30%左右",
    "f. 二氧化碳排放量降低达到15%左右",
    "g. 集群单位工业产值能耗下降达到10%左右",
]

# labels that get stray spaces / extra line breaks in those layout variants
STRAY_SPACE = {
    "集群总产值（亿元）": "集群总 产值（亿元）",
    "企业上云比例（%）": "企业上云 比例（%）",
    "集群占地面积（平方公里）": "集群占地面积 （平方公里）",
    "集群内中小企业从业人员数量": "集群内中小企业从业人员 数量",
    "大宗工业固废综合利用率（%）": "大宗工业固废综合利用率 （%）",
    "其中：集群中小企业数量": "其中： 集群中小企业数量",
}
LINE_BREAK = {
    "集群总产值（亿元）": "集群总产值\n（亿元）",
    "集群内中小企业产值占集群总产值比例（%）": "集群内中小企业产值占集群总\n产值比例（%）",
    "集群工业互联网平台应用普及率（%）": "集群工业互联网平台应用\n普及率（%）",
    "集群每万人有效发明专利拥有量": "集群每万人有效发明\n专利拥有量",
}

TW = 8780  # text width in twips (A4, 2.7 cm side margins)


def fmt2(v) -> str:
    """A number as the form asks (2 decimals).  Planted dossiers (planted.py) may hold what an
    applicant wrote instead: None (an empty cell), text (e.g. 若干), or a value with more decimals."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    s = f"{v:.2f}"
    return s if float(s) == v else repr(float(v))


class FormWriter:
    def __init__(self, p: dict, fields: dict, extra: dict, rng: random.Random):
        self.p = p
        self.f = fields
        self.x = extra            # texts, targets, images, years ...
        self.rng = rng
        self.layout = set(p["layout"])
        self.years = extra["years"]
        body = "仿宋_GB2312" if "fonts_fangsong" in self.layout else "宋体"
        self.fonts = Fonts(body=body, heading="黑体" if "headings_heiti" in self.layout else body,
                           latin="Times New Roman" if "digits_times" in self.layout else body)
        self.ticker = Ticker(p["tick"], self.fonts)
        self.L = 3300 if "col_widths_wide_label" in self.layout else 2500
        if "col_widths_label_wraps" in self.layout:     # long labels wrap over several lines in print
            self.L = 1700
        self.doc = Document()
        self._setup()
        self.blank_rows_done = 0

    # ------------------------------------------------------------------ document setup
    def _setup(self):
        doc = self.doc
        sec = doc.sections[0]
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
        sec.left_margin = sec.right_margin = Cm(2.7)
        sec.top_margin, sec.bottom_margin = Cm(2.54), Cm(2.3)
        normal = doc.styles["Normal"]
        normal.font.size = Pt(self.fonts.size)
        rpr = normal.element.get_or_add_rPr()
        set_rfonts(rpr, self.fonts.body, self.fonts.latin)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        rpr.append(lang)
        cp = doc.core_properties
        cp.author = self.p["applicant"]
        cp.last_modified_by = self.p["applicant"]
        cp.title = ISSUERS[self.p["issuer"]]["title"]
        cp.comments = ""
        cp.revision = 3

    # ------------------------------------------------------------------ small writers
    def para(self, container, text: str = "", *, align=None, bold=False, size=None, east=None,
             indent=None, before=0, after=0, underline=False):
        par = container.add_paragraph()
        para_format(par, align=align, first_indent=indent, before=before, after=after)
        if text:
            add_text(par, text, self.fonts, bold=bold, size=size, east=east, underline=underline)
        return par

    def cell_para(self, cell):
        """The cell's last paragraph if it is still empty (a fresh cell, or the paragraph Word
        requires after a nested table), else a new paragraph."""
        last = cell._tc.findall(qn("w:p"))[-1] if cell._tc.findall(qn("w:p")) else None
        if last is not None and last is cell._tc[-1] and not [e for e in last if e.tag != qn("w:pPr")]:
            return cell.paragraphs[-1]
        return cell.add_paragraph()

    def label_text(self, text: str) -> str:
        """Apply the label-variant quirks to a printed label ('\n' = printed paragraph break)."""
        if "label_stray_space" in self.layout and text in STRAY_SPACE:
            text = STRAY_SPACE[text]
        if "label_line_break" in self.layout and text in LINE_BREAK:
            text = LINE_BREAK[text]
        if "ascii_brackets" in self.layout:
            text = text.replace("（", "(").replace("）", ")")
        return text

    def label(self, cell, text: str, *, align=CENTER, bold=False):
        text = self.label_text(text)
        soft = "label_line_break" in self.layout
        parts = [text] if soft else text.split("\n")
        for part in parts:
            par = self.cell_para(cell)
            para_format(par, align=align)
            add_text(par, part, self.fonts, size=self.fonts.cell_size, bold=bold)

    def value(self, cell, text: str, *, align=CENTER):
        par = self.cell_para(cell)
        para_format(par, align=align)
        add_text(par, text, self.fonts, size=self.fonts.cell_size)
        return par

    def narrative(self, cell, text: str):
        for part in text.split("\n"):
            par = self.cell_para(cell)
            para_format(par, align=JUSTIFY, first_indent=self.fonts.cell_size * 2, line=1.15)
            add_text(par, part, self.fonts, size=self.fonts.cell_size)

    def options(self, cell, gid: str, *, lead: str | None = None, note: str | None = NOTE_EVIDENCE,
                note_inline: bool = False, sep: str = "  ", prefix: str = "", layout: str | None = None):
        kind, labels, printed = GROUPS[gid]
        layout = layout or printed
        if "options_one_line" in self.layout and (kind == "choice" or len(labels) <= 3 or printed == "grid3") \
                and layout != "inline":
            layout = "inline" if printed != "grid3" else "inline"
        if "options_one_per_line" in self.layout and layout in ("inline", "grid3"):
            layout = "lines"
        val = self.f[gid]
        ticked = set(val) if isinstance(val, list) else {val}   # a planted choice may hold 0 or 2 ticks
        enc = self.ticker.next_group()
        if enc.startswith("wsym") and layout == "inline" and sep.strip() == "":
            # LibreOffice draws a w:sym that follows CJK text + spaces with the east-asian font
            # (a missing-glyph box that looks ticked); Word users separate such boxes with tabs too.
            sep = "\t"
        if lead:
            par = self.cell_para(cell)
            para_format(par, align=LEFT)
            add_text(par, lead, self.fonts, size=self.fonts.cell_size)
        size = self.fonts.cell_size
        if layout == "lines":
            groups = [[lb] for lb in labels]
        elif layout == "grid3":
            groups = [labels[i:i + 3] for i in range(0, len(labels), 3)]
        else:
            groups = [labels]
        last_par = None
        for chunk in groups:
            par = self.cell_para(cell)
            para_format(par, align=LEFT)
            if layout == "grid3":
                width = int(cell._tc.tcPr.find(qn("w:tcW")).get(qn("w:w")))
                for k in (1, 2):
                    par.paragraph_format.tab_stops.add_tab_stop(Twips(width * k // 3 - 40))
            if prefix:
                add_text(par, prefix, self.fonts, size=size)
            for j, lb in enumerate(chunk):
                if j:
                    add_text(par, "\t" if layout == "grid3" else sep, self.fonts, size=size)
                self.ticker.box(par, lb in ticked, enc, size)
                add_text(par, lb, self.fonts, size=size)
            last_par = par
        if note:
            if note_inline and layout == "inline":
                add_text(last_par, note, self.fonts, size=size)
            else:
                par = self.cell_para(cell)
                para_format(par, align=LEFT)
                add_text(par, note, self.fonts, size=size)

    def heading(self, text: str, *, page_break=True):
        par = self.doc.add_paragraph()
        if page_break:
            par.paragraph_format.page_break_before = True
        para_format(par, align=LEFT, before=6, after=8, keep_next=True)
        add_text(par, text, self.fonts, east=self.fonts.heading, size=16, bold=self.fonts.heading == self.fonts.body)

    def maybe_blank_row(self, table, specs):
        if "extra_blank_row" in self.layout:
            add_row(table, specs, height_twips=300)
            self.blank_rows_done += 1

    # ------------------------------------------------------------------ cover
    def cover(self):
        iss = ISSUERS[self.p["issuer"]]
        doc = self.doc
        first = doc.paragraphs[0] if doc.paragraphs else None
        if iss["attachment"]:
            par = first or doc.add_paragraph()
            add_text(par, "附件", self.fonts, east="黑体", size=16)
        for _ in range(3):
            self.para(doc)
        self.para(doc, iss["title"], align=CENTER, size=22, east=self.fonts.title, bold=True, after=12)
        for _ in range(4):
            self.para(doc)
        size = 15
        f = self.f
        items = [
            ("集群名称：", [(f["cover.cluster_name"], True)]),
            ("所属地区：", [(f["cover.city"], True), (iss["city_suffix"], False), (f["cover.county"], True),
                        ("县（市、区）", False)]),
            ("申报主体：", [(f["cover.applicant"], True), ("（盖章）", False)]),
            ("集群运营管理机构：", [(f["cover.operator"], True)]),
            ("申报时间：", [(f["cover.date"], True)]),
            ("联系人及联系电话：", [(f["cover.contact"], True)]),
        ]
        if "cover_table" in self.layout:
            t = new_table(doc, [3500, 4900], style="Normal Table")
            _no_borders(t)
            for lab, parts in items:
                c1, c2 = add_row(t, [C(valign="bottom"), C(valign="bottom")], height_twips=620)
                par = c1.paragraphs[0]
                para_format(par, align=RIGHT)
                add_text(par, lab, self.fonts, size=size, east="黑体")
                par = c2.paragraphs[0]
                para_format(par, align=LEFT)
                for text, filled in parts:
                    add_text(par, text, self.fonts, size=size)
                _bottom_border(c2)
        else:
            for lab, parts in items:
                par = self.para(doc, align=LEFT)
                par.paragraph_format.left_indent = Cm(1.6)
                par.paragraph_format.space_after = Pt(14)
                add_text(par, lab, self.fonts, size=size, east="黑体")
                for text, filled in parts:
                    add_text(par, text, self.fonts, size=size, underline=filled and self.x["cover_underline"])
        for _ in range(6):
            self.para(doc)
        self.para(doc, f"{iss['dept']} 制", align=CENTER, size=16)
        # 填报说明
        par = self.para(doc, "填报说明", align=CENTER, size=18, east="黑体")
        par.paragraph_format.page_break_before = True
        par.paragraph_format.space_after = Pt(12)
        for line in INSTRUCTIONS:
            par = self.para(doc, line, align=JUSTIFY, indent=self.fonts.size * 2)
            par.paragraph_format.line_spacing = 1.4

    # ------------------------------------------------------------------ 一
    def section1(self):
        f = self.f
        self.heading("一、基本情况")
        L = self.L
        rest = TW - L
        widths = [L, rest - 1350 - 2150, 1350, 2150]
        t = new_table(self.doc, widths)
        two = [C(), C(span=3)]
        a, b = add_row(t, two, height_twips=560)
        self.label(a, "集群名称：（中小企业特色产业集群（XX县（市、区）XX产业））")
        self.value(b, f["basic.cluster_name"])
        a, b = add_row(t, two, height_twips=560)
        self.label(a, "县（市、区）工信部门或或开发区管委会")
        self.value(b, f["basic.applicant"])
        cs = add_row(t, [C(), C(), C(), C()], height_twips=480)
        self.label(cs[0], "联系人")
        self.value(cs[1], f["basic.applicant_contact"])
        self.label(cs[2], "联系方式")
        self.value(cs[3], f["basic.applicant_phone"])
        a, b = add_row(t, two, height_twips=560)
        self.label(a, "集群运营管理机构")
        self.value(b, f["basic.operator"])
        cs = add_row(t, [C(), C(), C(), C()], height_twips=480)
        self.label(cs[0], "联系人")
        self.value(cs[1], f["basic.operator_contact"])
        self.label(cs[2], "联系方式")
        self.value(cs[3], f["basic.operator_phone"])
        a, b = add_row(t, two, height_twips=480)
        self.label(a, "集群占地面积（平方公里）")
        self.value(b, fmt2(f["basic.area_km2"]))
        for gid, lab in [
            ("basic.industry_type", "主导产业所属产业类型"),
            ("basic.not_prohibited", "集群主导产业不属于国家规定的禁止、限制和淘汰类产业"),
            ("basic.no_accidents", "近三年未发生较大及以上安全、质量、环境污染等事故，重大及以上网络安全事件和数据安全事件"),
            ("basic.no_violations", "不存在偷税漏税、违法违规、严重失信和其他重大问题的行为"),
            ("basic.energy_efficiency", "属于高耗能行业的集群，能效水平高于行业基准值"),
            ("basic.water_efficiency", "属于高用水行业的集群，水效水平高于行业基准值"),
            ("basic.provincial_cluster", "获得省级中小企业特色产业集群"),
        ]:
            a, b = add_row(t, two)
            self.label(a, lab)
            self.options(b, gid, note=None)

    # ------------------------------------------------------------------ 二
    def section2(self):
        f, ys = self.f, self.years
        self.heading("二、主导产业情况")
        w = (TW - self.L) // 3
        t = new_table(self.doc, [TW - 3 * w, w, w, w])
        cs = add_row(t, [C(), C(), C(), C()], height_twips=480)
        self.label(cs[0], "主导产业情况（近三年）")
        for c, y in zip(cs[1:], ys):
            self.label(c, f"{y}年")
        yearly = [
            ("集群总产值（亿元）", "industry.total_output", fmt2),
            ("集群内中小企业产值占集群总产值比例（%）", "industry.sme_share", fmt2),
            ("集群主导产业产值占集群总产值比例（%）", "industry.leading_share", fmt2),
            ("集群主导产业产值增速（%）", "industry.leading_growth", fmt2),
        ]
        for lab, key, fm in yearly:
            cs = add_row(t, [C(), C(), C(), C()], height_twips=480)
            self.label(cs[0], lab)
            for c, y in zip(cs[1:], ys):
                self.value(c, fm(f[f"{key}.{y}"]))
        self.maybe_blank_row(t, [C(), C(), C(), C()])
        a, b = add_row(t, [C(), C(span=3)], height_twips=480)
        self.label(a, "近三年主导产业产值年均增速（%）")
        self.value(b, fmt2(f["industry.leading_cagr"]))
        for lab, key in [("集群企业数量", "industry.enterprises"), ("其中：集群中小企业数量", "industry.smes"),
                         ("专精特新中小企业数量", "industry.specialized"),
                         ("专精特新“小巨人”企业数量", "industry.little_giants"),
                         ("制造业单项冠军企业数量", "industry.champions"),
                         ("国家级高新技术企业和创新型中小企业数量", "industry.hightech")]:
            cs = add_row(t, [C(), C(), C(), C()], height_twips=440)
            self.label(cs[0], lab)
            for c, y in zip(cs[1:], ys):
                self.value(c, str(f[f"{key}.{y}"]))
        two = [C(), C(span=3)]
        a, b = add_row(t, two)
        self.label(a, "集群是否绘制产业链图谱")
        self.options(b, "industry.chain_map", note="（如涉及，需提供佐证材料）")
        for lab, fid in [("集群产业链培育和招商情况（200字以内）", "industry.chain_text"),
                         ("集群供应链风险评估情况\n（200字以内）", "industry.risk_text"),
                         ("集群制造资源共享情况\n（200字以内）", "industry.sharing_text")]:
            a, b = add_row(t, [C(), C(span=3, valign="top")], height_twips=2300)
            self.label(a, lab)
            self.narrative(b, f[fid])
        a, b = add_row(t, two)
        self.label(a, "集群已开展的制造资源共享工作")
        self.options(b, "industry.sharing")
        a, b = add_row(t, [C(), C(span=3, valign="top")], height_twips=1700)
        self.label(a, "集群协同发展情况\n（与先进制造业集群、国家新型工业化产业示范基地或龙头企业合作情况，200字以内）")
        self.narrative(b, f["industry.synergy_text"])
        a, b = add_row(t, [C(), C(span=3, valign="top")], height_twips=1700)
        self.label(a, "集群质量品牌建设情况\n（200字以内）")
        self.narrative(b, f["industry.brand_text"])
        a, b = add_row(t, two)
        self.label(a, "集群已开展的质量品牌建设工作")
        self.options(b, "industry.brand")

    # ------------------------------------------------------------------ 三
    def section3(self):
        f, ys = self.f, self.years
        self.heading("三、创新能力情况")
        L = self.L - 300
        w = (TW - L) // 9
        widths = [TW - 9 * w] + [w] * 9
        t = new_table(self.doc, widths)
        sz = 9
        cs = add_row(t, [C(), C(span=3), C(span=3), C(span=3)], height_twips=440)
        self.label(cs[0], "年度")
        for c, y in zip(cs[1:], ys):
            self.label(c, f"{y}年")
        for lab, key in [("集群中小企业近三年研发投入强度（%）", "innovation.rd_intensity"),
                         ("集群近三年研发经费增速（%）", "innovation.rd_growth")]:
            cs = add_row(t, [C(), C(span=3), C(span=3), C(span=3)], height_twips=480)
            self.label(cs[0], lab)
            for c, y in zip(cs[1:], ys):
                self.value(c, fmt2(f[f"{key}.{y}"]))
        # standards block: label spans 5 rows; per year 类别 | 主持数量 | 参与数量
        cs = add_row(t, [C(vmerge="restart")] + [C()] * 9, height_twips=440)
        self.label(cs[0], "集群中小企业近三年主持（起草单位排名前三位）或参与制修订标准数量情况（需提供清单）")
        for k in range(3):
            for j, h in enumerate(["类别", "主持数量", "参与数量"]):
                self.small(cs[1 + 3 * k + j], h, sz)
        for lv, lv_name in LEVELS:
            cs = add_row(t, [C(vmerge="continue")] + [C()] * 9, height_twips=400)
            for k, y in enumerate(ys):
                self.small(cs[1 + 3 * k], lv_name, sz)
                self.small(cs[2 + 3 * k], str(f[f"innovation.standards.{y}.{lv}.lead"]), sz)
                self.small(cs[3 + 3 * k], str(f[f"innovation.standards.{y}.{lv}.join"]), sz)
        # platforms: label spans 3 rows
        for i, (key, lab) in enumerate([
                ("national", "国家制造业创新中心或国家级创新平台名称及数量"),
                ("provincial", "省级制造业创新中心或省级创新平台名称及数量"),
                ("other", "其他平台名称及数量")]):
            cs = add_row(t, [C(vmerge="restart" if i == 0 else "continue"), C(span=4), C(span=5)], height_twips=700)
            if i == 0:
                self.label(cs[0], "创新平台建设情况")
            self.label(cs[1], lab)
            self.value(cs[2], f"数量：{f[f'innovation.platforms_{key}.count']}个", align=LEFT)
            self.value(cs[2], f"名称：{f[f'innovation.platforms_{key}.names']}", align=LEFT)
        two = [C(), C(span=9)]
        for lab, text in [("集群内中小企业从业人员数量", str(f["innovation.sme_employees"])),
                          ("集群内研发人员占从业人员比例（%）", fmt2(f["innovation.rd_staff_ratio"])),
                          ("集群有效发明专利年均增速（%）", fmt2(f["innovation.patent_growth"])),
                          ("集群每万人有效发明专利拥有量", fmt2(f["innovation.patents_per_10k"]))]:
            a, b = add_row(t, two, height_twips=480)
            self.label(a, lab)
            self.value(b, text)
        a, b = add_row(t, two)
        self.label(a, "集群内中小企业有效发明专利拥有量（包括发明专利、国防专利、 植物新品种、国家级农作物品种、国家新药、"
                      "国家一级中药保护品种、集成电路布图设计专有权等）")
        self.value(b, f"{f['innovation.sme_patents']}个")
        self.value(b, "（需提供清单）")
        a, b = add_row(t, [C(), C(span=9, valign="top")], height_twips=1900)
        self.label(a, "协同创新总体情况\n（200字以内）")
        self.narrative(b, f["innovation.text"])
        a, b = add_row(t, two)
        self.label(a, "集群已开展的协同创新工作")
        self.options(b, "innovation.measures")

    def small(self, cell, text, size):
        par = self.cell_para(cell)
        para_format(par, align=CENTER)
        add_text(par, text, self.fonts, size=size)

    # ------------------------------------------------------------------ 四
    def section4(self):
        f, ys = self.f, self.years
        self.heading("四、数字化升级情况")
        w = (TW - self.L) // 3
        t = new_table(self.doc, [TW - 3 * w, w, w, w])
        two = [C(), C(span=3)]
        a, b = add_row(t, two, height_twips=480)
        self.label(a, "企业上云比例（%）")
        self.value(b, fmt2(f["digital.cloud_ratio"]))
        a, b = add_row(t, two, height_twips=480)
        self.label(a, "集群工业互联网平台应用普及率（%）")
        self.value(b, fmt2(f["digital.iiot_rate"]))
        a, b = add_row(t, two, height_twips=480)
        self.label(a, "工业软件应用率稳步提升")
        self.options(b, "digital.software_rising", note=None, sep=" ", prefix=" ")
        cs = add_row(t, [C(vmerge="restart"), C(), C(), C()], height_twips=440)
        self.label(cs[0], "工业软件采购金额（万元）")
        for c, y in zip(cs[1:], ys):
            self.label(c, f"{y}年")
        cs = add_row(t, [C(vmerge="continue"), C(), C(), C()], height_twips=440)
        for c, y in zip(cs[1:], ys):
            self.value(c, fmt2(f[f"digital.software_spend.{y}"]))
        a, b = add_row(t, [C(), C(span=3, valign="top")], height_twips=2300)
        self.label(a, "数字化服务总体情况\n（200字以内）")
        self.narrative(b, f["digital.service_text"])
        a, b = add_row(t, two)
        self.label(a, "集群已开展的数字化服务工作")
        self.options(b, "digital.services")
        a, b = add_row(t, [C(vmerge="restart"), C(span=3, valign="top")], height_twips=2600)
        self.label(a, "数字化新模式新业态推广情况")
        par = self.cell_para(b)
        para_format(par, align=LEFT)
        add_text(par, self.label_text("智能制造、工业互联网以及其它新模式新业态试点示范建设或应用情况（200字以内）"), self.fonts,
                 size=self.fonts.cell_size)
        self.narrative(b, f["digital.newmode_text"])
        a, b = add_row(t, [C(vmerge="continue"), C(span=3)])
        self.options(b, "digital.newmodes", lead="集群已开展的数字化新模式新业态推广工作：")

    # ------------------------------------------------------------------ 五
    def section5(self):
        f, ys = self.f, self.years
        self.heading("五、绿色化转型情况")
        yw = 1500
        t = new_table(self.doc, [self.L, yw, TW - self.L - yw])
        two = [C(), C(span=2)]
        a, b = add_row(t, two, height_twips=480)
        self.label(a, "建立了集群碳排放监测机制")
        self.options(b, "green.carbon_monitoring", note="（如涉及，需提供佐证材料）", note_inline=True)
        for i, y in enumerate(ys):
            cs = add_row(t, [C(vmerge="restart" if i == 0 else "continue"), C(), C()], height_twips=440)
            if i == 0:
                self.label(cs[0], "近三年单位产值二氧化碳排放量（吨二氧化碳/万元）")
            self.label(cs[1], f"{y}年")
            self.value(cs[2], fmt2(f[f"green.co2_intensity.{y}"]))
        cs = add_row(t, [C(vmerge="continue"), C(span=2)], height_twips=440)
        self.value(cs[1], "（注：单位产值二氧化碳排放量需提供计算公式）", align=LEFT)
        a, b = add_row(t, [C(), C(span=2, valign="top")], height_twips=2600)
        self.label(a, "开展碳达峰碳中和相关宣传、监测等工作情况（200字以内）")
        self.narrative(b, f["green.carbon_text"])
        self.value(b, "（需提供相关佐证材料）", align=LEFT)
        for lab, fid, gid in [("近三年单位工业产值能耗降低率（%）", "green.energy_reduction", None),
                              ("大宗工业固废综合利用率（%）", "green.waste_utilization", "green.waste_above_avg"),
                              ("工业用水重复利用率（%）", "green.water_reuse", "green.water_above_avg")]:
            a, b = add_row(t, two, height_twips=480)
            self.label(a, lab)
            self.value(b, fmt2(f[fid]))
            if gid:
                a, b = add_row(t, two, height_twips=480)
                self.label(a, "是否高于行业平均水平")
                self.options(b, gid, note=None)
        a, b = add_row(t, [C(), C(span=2, valign="top")], height_twips=1700)
        self.label(a, "能源和资源综合利用工作情况\n（200字以内）")
        self.narrative(b, f["green.resource_text"])
        a, b = add_row(t, two)
        self.label(a, "集群已开展的能源和资源综合利用工作")
        self.options(b, "green.resource_measures")
        a, b = add_row(t, [C(), C(span=2, valign="top")], height_twips=1900)
        self.label(a, "绿色低碳公共服务总体情况\n（200字以内）")
        self.narrative(b, f["green.service_text"])
        a, b = add_row(t, two)
        self.label(a, "集群已具备绿色低碳公共服务能力")
        self.options(b, "green.services")

    # ------------------------------------------------------------------ 六
    def section6(self):
        f, ys = self.f, self.years
        self.heading("六、开放合作情况")
        yw = 1500
        t = new_table(self.doc, [self.L, yw, TW - self.L - yw])
        two = [C(), C(span=2)]
        a, b = add_row(t, [C(), C(span=2, valign="top")], height_twips=2000)
        self.label(a, "集群国际合作交流总体情况\n（200字以内）")
        self.narrative(b, f["open.text"])
        a, b = add_row(t, two)
        self.label(a, "集群已开展的国际合作交流活动")
        self.options(b, "open.activities")
        a, b = add_row(t, two, height_twips=560)
        self.label(a, "集群或集群内企业在境外设立分支机构数量")
        self.value(b, f"{f['open.overseas_branches']}个")
        self.value(b, "（需提供相关佐证材料）")
        if "extra_blank_row" in self.layout and self.p["id"].startswith("cn-"):
            self.maybe_blank_row(t, [C(), C(), C()])
        for lab, key in [("近三年集群主导产品出口贸易额增长率（%）", "open.export_growth"),
                         ("近三年集群外商直接投资额增长率（%）", "open.fdi_growth")]:
            for i, y in enumerate(ys):
                cs = add_row(t, [C(vmerge="restart" if i == 0 else "continue"), C(), C()], height_twips=440)
                if i == 0:
                    self.label(cs[0], lab)
                self.label(cs[1], f"{y}年")
                self.value(cs[2], fmt2(f[f"{key}.{y}"]))

    # ------------------------------------------------------------------ 七
    def section7(self):
        f = self.f
        self.heading("七、治理和服务水平")
        t = new_table(self.doc, [self.L, TW - self.L])
        a, b = add_row(t, [C(), C(valign="top")], height_twips=2000)
        self.label(a, "治理和服务水平情况\n（200字以内）")
        self.narrative(b, f["governance.text"])
        a, b = add_row(t, [C(), C()])
        self.label(a, "中小企业公共服务平台建设情况")
        self.options(b, "governance.platforms", lead="集群已建设的中小企业公共服务平台：")
        a, b = add_row(t, [C(), C()])
        self.label(a, "集群提供中小企业公共服务情况")
        self.options(b, "governance.services", lead="集群已提供的中小企业公共服务：")
        a, b = add_row(t, [C(), C()])
        self.label(a, "集群治理情况")
        self.options(b, "governance.measures", lead="集群开展的治理工作：")

    # ------------------------------------------------------------------ 八
    def section8(self):
        """八: one cell with the target table nested in it; with layout ``plan_targets_merged``
        one 4-column table whose full-width first and last rows hold the text and whose middle
        rows are the target table; with ``plan_targets_own_table`` three tables (text, targets,
        text)."""
        ys = self.years
        y3, y6 = ys[2], ys[2] + 3
        plan = self.x["plan"]
        self.heading("八、未来三年中小企业特色产业集群发展规划")
        inner_w = TW - 400
        widths = [1500, 2480, (inner_w - 3980) // 2, inner_w - 3980 - (inner_w - 3980) // 2]
        merged = "plan_targets_merged" in self.layout
        own_table = "plan_targets_own_table" in self.layout
        if merged:
            widths = [widths[0] + 200, widths[1] + 200, widths[2], widths[3]]
            t = new_table(self.doc, widths)
            (cell,) = add_row(t, [C(span=4, valign="top")])
        else:
            t = new_table(self.doc, [TW])
            (cell,) = add_row(t, [C(valign="top")])
        sz = self.fonts.cell_size
        box = {"cell": cell}

        def printed(text, bold=False, align=LEFT):
            par = self.cell_para(box["cell"])
            para_format(par, align=align)
            add_text(par, text, self.fonts, size=sz, bold=bold)

        def own(key):
            for text in plan[key]:
                par = self.cell_para(box["cell"])
                para_format(par, align=JUSTIFY, first_indent=sz * 2, line=1.2)
                add_text(par, text, self.fonts, size=sz)

        printed("（3000字以内）")
        for key in ("intro", "results", "problems"):
            head, guide = PLAN_GUIDE[key]
            printed(head, bold=True)
            if guide:
                printed(guide)
            own(key)
        printed("四、未来三年中小企业特色产业集群发展规划", bold=True)
        printed("（1） 总体思路", bold=True)
        own("approach")
        printed("（2） 发展目标", bold=True)
        own("goals")
        printed("1.三年总体目标")
        printed(TARGET_GUIDE)
        if merged:
            self._targets(t, y3, y6, sz)
            (box["cell"],) = add_row(t, [C(span=4, valign="top")])
        elif own_table:
            self._targets(new_table(self.doc, widths), y3, y6, sz)
            (box["cell"],) = add_row(new_table(self.doc, [TW]), [C(valign="top")])
        else:
            # nested target table; python-docx leaves an empty paragraph after it, the notes go into it
            self._targets(new_table(cell, widths), y3, y6, sz)
        printed(f"（备注：基准值须符合中小企业特色产业集群认定标准，{y6}年目标值须符合以下要求：")
        for line in TARGET_NOTES:
            printed(line)
        printed("2.阶段性目标")
        for i, key in enumerate(("stage1", "stage2", "stage3")):
            printed(f"（{i + 1}）{ys[2] + 1 + i}年度")
            own(key)
        printed("（3） 重点任务", bold=True)
        own("tasks")
        printed("（4） 保障措施", bold=True)
        own("safeguards")

    def _targets(self, nt, y3: int, y6: int, sz) -> None:
        """The 三年总体目标 table's header and rows, added to ``nt`` (4 grid columns)."""
        cs = add_row(nt, [C(), C(), C(), C()], height_twips=420)
        for c, h in zip(cs, ["方向", "指标", f"{y3}年基准值", f"{y6}年目标值"]):
            self.small(c, h, sz)
        rows = self.x["targets"]
        prev = None
        for r in rows:
            first = r["direction"] != prev
            nxt = [q for q in rows if q["direction"] == r["direction"]]
            vm = None if len(nxt) == 1 else ("restart" if first else "continue")
            cs = add_row(nt, [C(vmerge=vm), C(), C(), C()], height_twips=400)
            if first:
                self.small(cs[0], r["direction"], sz)
            self.small(cs[1], r["indicator"], sz)
            self.small(cs[2], r["baseline"], sz)
            self.small(cs[3], r["target"], sz)
            prev = r["direction"]

    # ------------------------------------------------------------------ 九
    def section9(self):
        f, p = self.f, self.p
        self.heading("九、真实性声明及推荐意见")
        t = new_table(self.doc, [TW])
        sz = self.fonts.cell_size + 1.5
        (c,) = add_row(t, [C()], height_twips=520)
        self.label(c, "真实性声明", bold=True)
        (c,) = add_row(t, [C(valign="top")])
        par = self.cell_para(c)
        para_format(par, align=JUSTIFY, first_indent=sz * 2, line=1.3)
        add_text(par, DECLARATION, self.fonts, size=sz)
        c.add_paragraph()
        par = c.add_paragraph()
        par.paragraph_format.left_indent = Cm(6.5)
        add_text(par, "单位负责人（签字）：", self.fonts, size=sz)
        if self.x["signature"]:                 # planted dossiers may leave it out
            par.add_run().add_picture(io.BytesIO(self.x["signature"]), width=Cm(3.4))
        c.add_paragraph()
        par = c.add_paragraph()
        para_format(par, align=LEFT)
        add_text(par, "县（市、区）工信部门或集群所在地开发区管委会（公章）：", self.fonts, size=sz)
        par = c.add_paragraph()
        para_format(par, align=RIGHT)
        par.paragraph_format.right_indent = Cm(1.2)
        if self.x["seal_applicant"]:
            par.add_run().add_picture(io.BytesIO(self.x["seal_applicant"]), width=Cm(3.8))
        par = c.add_paragraph()
        para_format(par, align=RIGHT, after=6)
        add_text(par, f["declaration.date"], self.fonts, size=sz)
        (c,) = add_row(t, [C()], height_twips=520)
        self.label(c, ISSUERS[p["issuer"]]["rec_label"], bold=True)
        (c,) = add_row(t, [C(valign="top")], height_twips=3200)
        for part in f["recommendation.text"].split("\n"):
            par = self.cell_para(c)
            para_format(par, align=JUSTIFY, first_indent=sz * 2, line=1.3)
            add_text(par, part, self.fonts, size=sz)
        c.add_paragraph()
        par = c.add_paragraph()
        par.paragraph_format.left_indent = Cm(7.5)
        add_text(par, "推荐单位（公章）：", self.fonts, size=sz)
        par.add_run().add_picture(io.BytesIO(self.x["seal_recommender"]), width=Cm(3.8))
        par = c.add_paragraph()
        para_format(par, align=RIGHT, after=6)
        add_text(par, self.x["rec_date"] + "          ", self.fonts, size=sz)

    # ------------------------------------------------------------------ all
    def build(self) -> bytes:
        self.cover()
        self.section1()
        self.section2()
        self.section3()
        self.section4()
        self.section5()
        self.section6()
        self.section7()
        self.section8()
        self.section9()
        buf = io.BytesIO()
        self.doc.save(buf)
        return fixed_zip_bytes(buf.getvalue(), drop=("docProps/thumbnail.jpeg",))


def _no_borders(table):
    tblPr = table._tbl.tblPr
    b = tblPr.find(qn("w:tblBorders"))
    for el in list(b):
        el.set(qn("w:val"), "nil")
        for a in ("w:sz", "w:space", "w:color"):
            if el.get(qn(a)) is not None:
                del el.attrib[qn(a)]


def _bottom_border(cell):
    tcPr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    bot = OxmlElement("w:bottom")
    bot.set(qn("w:val"), "single")
    bot.set(qn("w:sz"), "6")
    bot.set(qn("w:space"), "0")
    bot.set(qn("w:color"), "000000")
    borders.append(bot)
    # tcBorders goes after tcW/gridSpan/vMerge, before shd/vAlign
    va = tcPr.find(qn("w:vAlign"))
    if va is not None:
        va.addprevious(borders)
    else:
        tcPr.append(borders)
