"""Supporting files (佐证材料) written beside the form, each with what it attests."""
from __future__ import annotations

import io
import random

import openpyxl
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from openpyxl.styles import Alignment, Border, Font, Side
from PIL import Image, ImageDraw

from .images import SANS, SANS_BOLD, SERIF, certificate_png, font, seal_png
from .ooxml import Fonts, add_text, fixed_zip_bytes, set_rfonts

BRAND_OPTION = "industry.brand:获得集体商标、地理标志产品批准认证或证明商标通过注册"
PLATFORM_OPTION = "governance.platforms:建设或引入国家中小企业公共服务示范平台"
CHAIN_OPTION = "industry.chain_map:是"
CARBON_OPTION = "green.carbon_monitoring:是"

# which options each evidence kind needs ticked on the form
NEEDS = {"cert_brand_png": BRAND_OPTION, "cert_platform_png": PLATFORM_OPTION,
         "cert_chainmap_png": CHAIN_OPTION, "carbon_decl_docx": CARBON_OPTION}

SYLL = list("鑫泰华盛源丰达宏瑞祥兴隆嘉禾润恒通博创远航金利顺安汇德永信诚和美佳丰硕龙腾卓越星辰启明")


def _docx(paragraphs_fn) -> bytes:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(3.0)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(15)
    set_rfonts(normal.element.get_or_add_rPr(), "仿宋_GB2312", "Times New Roman")
    paragraphs_fn(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip_bytes(buf.getvalue(), drop=("docProps/thumbnail.jpeg",))


def _p(doc, text="", *, align=None, size=None, east=None, indent=True, bold=False):
    par = doc.add_paragraph()
    if align is not None:
        par.alignment = align
    if indent and align is None:
        par.paragraph_format.first_line_indent = Pt(30)
    par.paragraph_format.line_spacing = 1.5
    if text:
        add_text(par, text, Fonts(body="仿宋_GB2312", latin="Times New Roman"), size=size, east=east, bold=bold)
    return par


def company_names(rng: random.Random, p: dict, n: int, used: set) -> list[str]:
    words = {"辣椒": "食品", "白酒包材配套": "包装", "家具": "家具", "日用陶瓷": "陶瓷", "玩具": "玩具",
             "五金刀剪": "五金制品", "马铃薯": "薯业", "中药材加工": "药业", "五金工具": "工具", "自行车童车": "童车"}
    kind = words.get(p["industry"], "实业")
    place = p["county_full"] if rng.random() < 0.6 else p["city"] + "市"
    out = []
    while len(out) < n:
        nm = rng.choice(SYLL) + rng.choice(SYLL)
        loc = place if rng.random() < 0.7 else p["province"][:2]
        name = f"{loc}{nm}{kind}{rng.choice(['有限公司', '有限公司', '股份有限公司', '科技有限公司'])}"
        if name not in used:
            used.add(name)
            out.append(name)
    return out


def stats_certificate(p, f, ys, rng, date, stated: dict | None = None) -> tuple[bytes, dict]:
    """The 统计局 certificate of 集群总产值; ``stated`` overrides what it states (a planted
    disagreement with the form)."""
    bureau = f"{p['county_full']}统计局"
    f = {**f, **(stated or {})}
    vals = {f"industry.total_output.{y}": f[f"industry.total_output.{y}"] for y in ys}

    def body(doc):
        _p(doc, "证    明", align=WD_ALIGN_PARAGRAPH.CENTER, size=22, east="方正小标宋简体")
        _p(doc, f"{p['rec_unit'].replace('工业和信息化局', '').replace('经济和信息化厅', '').replace('工业和信息化厅', '')}"
                f"工业和信息化主管部门：", indent=False)
        _p(doc, f"经核实，{p['cluster_name']}{ys[0]}年、{ys[1]}年、{ys[2]}年集群总产值分别为"
                f"{f[f'industry.total_output.{ys[0]}']:.2f}亿元、{f[f'industry.total_output.{ys[1]}']:.2f}亿元、"
                f"{f[f'industry.total_output.{ys[2]}']:.2f}亿元，具体如下：")
        t = doc.add_table(rows=1, cols=2)
        t.style = "Table Grid"
        t.rows[0].cells[0].text = "年度"
        t.rows[0].cells[1].text = "集群总产值（亿元）"
        for y in ys:
            r = t.add_row().cells
            r[0].text = f"{y}年"
            r[1].text = f"{f[f'industry.total_output.{y}']:.2f}"
        _p(doc, "特此证明。")
        _p(doc)
        par = _p(doc, bureau, align=WD_ALIGN_PARAGRAPH.RIGHT)
        par.add_run().add_picture(io.BytesIO(seal_png(bureau, rng, size=260)), width=Cm(3.6))
        _p(doc, date, align=WD_ALIGN_PARAGRAPH.RIGHT)

    return _docx(body), dict(kind="stats_certificate", attests=list(vals), values=vals)


def carbon_declaration(p, f, ys, rng, date) -> tuple[bytes, dict]:
    vals = {f"green.co2_intensity.{y}": f[f"green.co2_intensity.{y}"] for y in ys}

    def body(doc):
        _p(doc, "自我声明", align=WD_ALIGN_PARAGRAPH.CENTER, size=22, east="方正小标宋简体")
        _p(doc, f"（{p['cluster_name']}碳排放监测机制）", align=WD_ALIGN_PARAGRAPH.CENTER, size=15)
        _p(doc, f"{p['operator']}已建立集群碳排放监测机制，明确专人负责，对集群内重点用能企业的能源消费和二氧化碳排放情况"
                f"按季度开展统计监测和核算，监测数据报{p['county_full']}发展和改革部门备案。")
        _p(doc, "单位产值二氧化碳排放量计算公式：单位产值二氧化碳排放量（吨二氧化碳/万元）= 集群二氧化碳排放总量（吨）÷ 集群总产值（万元）。"
                "近三年核算结果如下：")
        t = doc.add_table(rows=1, cols=2)
        t.style = "Table Grid"
        t.rows[0].cells[0].text = "年度"
        t.rows[0].cells[1].text = "单位产值二氧化碳排放量（吨二氧化碳/万元）"
        for y in ys:
            r = t.add_row().cells
            r[0].text = f"{y}年"
            r[1].text = f"{f[f'green.co2_intensity.{y}']:.2f}"
        _p(doc, "本单位对上述内容的真实性负责。")
        _p(doc)
        par = _p(doc, p["operator"], align=WD_ALIGN_PARAGRAPH.RIGHT)
        par.add_run().add_picture(io.BytesIO(seal_png(p["operator"], rng, size=260)), width=Cm(3.6))
        _p(doc, date, align=WD_ALIGN_PARAGRAPH.RIGHT)

    return _docx(body), dict(kind="self_declaration", attests=[CARBON_OPTION] + list(vals), values=vals)


def _xlsx(wb) -> bytes:
    wb.properties.creator = "Administrator"
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_zip_bytes(buf.getvalue())


def enterprise_list(p, f, ys, rng, stated: dict | None = None) -> tuple[bytes, dict]:
    y3 = ys[2]
    f = {**f, **(stated or {})}
    used: set = set(p["firms"])
    kinds = [("制造业单项冠军企业", f[f"industry.champions.{y3}"], "工业和信息化部"),
             ("专精特新“小巨人”企业", f[f"industry.little_giants.{y3}"], "工业和信息化部"),
             ("专精特新中小企业", f[f"industry.specialized.{y3}"], f"{p['province']}工业和信息化厅"
              if p["province"] != "浙江省" else "浙江省经济和信息化厅")]
    nht = f[f"industry.hightech.{y3}"]
    n_innov = nht // 3
    kinds += [("国家级高新技术企业", nht - n_innov, f"{p['province']}高新技术企业认定管理机构"),
              ("创新型中小企业", n_innov, f"{p['province']}中小企业主管部门")]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "优质企业名单"
    title = f"{p['cluster_name']}优质中小企业名单（截至{y3}年底）"
    ws.append([title])
    ws.merge_cells("A1:E1")
    ws["A1"].font = Font(name="黑体", size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["序号", "企业名称", "类型", "认定年份", "认定部门"])
    thin = Side(style="thin")
    n = 0
    firms = list(p["firms"])
    for kind, count, dept in kinds:
        for _ in range(count):
            n += 1
            name = firms.pop(0) if firms and kind != "制造业单项冠军企业" else company_names(rng, p, 1, used)[0]
            ws.append([n, name, kind, rng.randint(y3 - 4, y3), dept])
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row):
        for c in row:
            c.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            c.font = Font(name="宋体", size=11, bold=c.row == 2)
    for col, w in zip("ABCDE", (6, 40, 24, 10, 34)):
        ws.column_dimensions[col].width = w
    ws2 = wb.create_sheet("汇总")
    ws2.append(["类型", f"{y3}年企业数量（家）"])
    ws2.append(["专精特新中小企业", f[f"industry.specialized.{y3}"]])
    ws2.append(["专精特新“小巨人”企业", f[f"industry.little_giants.{y3}"]])
    ws2.append(["制造业单项冠军企业", f[f"industry.champions.{y3}"]])
    ws2.append(["国家级高新技术企业和创新型中小企业", nht])
    vals = {f"industry.specialized.{y3}": f[f"industry.specialized.{y3}"],
            f"industry.little_giants.{y3}": f[f"industry.little_giants.{y3}"],
            f"industry.champions.{y3}": f[f"industry.champions.{y3}"],
            f"industry.hightech.{y3}": nht}
    return _xlsx(wb), dict(kind="enterprise_list", attests=list(vals), values=vals)


def patent_list(p, f, ys, rng) -> tuple[bytes, dict]:
    total = f["innovation.sme_patents"]
    used: set = set()
    k = rng.randint(18, 30)
    names = list(p["firms"]) + company_names(rng, p, k - 3, used)
    weights = [rng.paretovariate(1.3) for _ in names]
    s = sum(weights)
    counts = [max(1, int(total * w / s)) for w in weights]
    counts[0] += total - sum(counts)
    while counts[0] < 1:               # more firms than patents allow one each: the biggest give
        big = max(range(1, len(counts)), key=counts.__getitem__)
        if counts[big] <= 1:
            raise RuntimeError(f"cannot share {total} patents among {len(counts)} firms")
        counts[big] -= 1
        counts[0] += 1
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "有效发明专利"
    ws.append([f"{p['cluster_name']}中小企业有效发明专利拥有量清单（截至{ys[2]}年12月31日）"])
    ws.merge_cells("A1:D1")
    ws.append(["序号", "企业名称", "有效发明专利（件）", "备注"])
    order = sorted(range(len(names)), key=lambda i: -counts[i])
    for n, i in enumerate(order, 1):
        ws.append([n, names[i], counts[i], ""])
    ws.append(["合计", "", total, ""])
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 20
    return _xlsx(wb), dict(kind="patent_list", attests=["innovation.sme_patents"],
                           values={"innovation.sme_patents": total})


def brand_certificate(p, ys, rng) -> tuple[bytes, dict]:
    kind = "证明商标" if "证明" in p["brand_cert"] or "地理标志" in p["brand_cert"] else "集体商标"
    y = ys[0] - rng.randint(2, 6)
    lines = [f"注册人：{p['county_full']}{p['industry'][:2]}产业协会",
             f"商标：{p['brand']}",
             f"商标类型：{kind}",
             f"核定使用商品/服务：{'、'.join(p['products'][:2])}",
             f"注册有效期限：{y}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日起十年"]
    png = certificate_png("商标注册证", lines, "国家知识产权局", f"{y}年", rng,
                          f"第{rng.randint(10000000, 69999999)}号", "国家知识产权局商标局")
    return png, dict(kind="certificate_scan", attests=[BRAND_OPTION], values={})


def platform_certificate(p, ys, rng) -> tuple[bytes, dict]:
    y = ys[rng.randint(0, 2)]
    lines = [f"{p['county_full']}中小企业公共服务中心",
             "经审核，被认定为",
             "国家中小企业公共服务示范平台",
             "特发此证。"]
    png = certificate_png("证  书", lines, "工业和信息化部", f"{y}年{rng.randint(9, 12)}月", rng,
                          f"工信部企业〔{y}〕{rng.randint(100, 300)}号", "中华人民共和国工业和信息化部")
    return png, dict(kind="certificate_scan", attests=[PLATFORM_OPTION], values={})


def chainmap_cover(p, ys, rng) -> tuple[bytes, dict]:
    W, H = 900, 640
    img = Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.text((W / 2, 70), f"{p['short']}产业链图谱", font=font(SANS_BOLD, 44), fill=(20, 60, 130), anchor="mm")
    d.text((W / 2, 125), f"{p['applicant']}  {ys[2] + 1}年", font=font(SANS, 22), fill=(60, 60, 60), anchor="mm")
    cols = [("上游", p["upstream"]), ("中游", p["midstream"]), ("下游", p["downstream"])]
    bw = 240
    for i, (h, txt) in enumerate(cols):
        x0 = 45 + i * (bw + 50)
        d.rounded_rectangle((x0, 190, x0 + bw, 560), radius=14, outline=(20, 60, 130), width=3,
                            fill=(232, 240, 252))
        d.text((x0 + bw / 2, 225), h, font=font(SANS_BOLD, 30), fill=(20, 60, 130), anchor="mm")
        words = [w for w in txt.replace("和", "、").replace("与", "、").split("、") if w]
        for j, w in enumerate(words[:5]):
            d.text((x0 + bw / 2, 290 + j * 52), w, font=font(SANS, 20 if len(w) > 9 else 24), fill=(30, 30, 30),
                   anchor="mm")
        if i < 2:
            d.polygon([(x0 + bw + 8, 360), (x0 + bw + 42, 375), (x0 + bw + 8, 390)], fill=(200, 60, 40))
    d.text((W / 2, 600), "（封面）", font=font(SERIF, 20), fill=(90, 90, 90), anchor="mm")
    img = img.rotate(rng.uniform(-0.8, 0.8), resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    img = img.quantize(colors=32, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue(), dict(kind="certificate_scan", attests=[CHAIN_OPTION], values={})


NAMES = {
    "stats_docx": ["佐证材料1-{county_full}统计局产值证明.docx", "统计部门出具的集群产值证明.docx", "附件3 集群总产值证明.docx"],
    "enterprise_xlsx": ["优质中小企业名单.xlsx", "附件4-专精特新及高新技术企业清单.xlsx"],
    "patent_xlsx": ["有效发明专利清单.xlsx", "佐证-中小企业有效发明专利汇总表.xlsx"],
    "cert_brand_png": ["集体商标注册证.png", "商标注册证（扫描件）.png"],
    "cert_platform_png": ["国家中小企业公共服务示范平台证书.png"],
    "cert_chainmap_png": ["产业链图谱（封面）.png"],
    "carbon_decl_docx": ["碳排放监测机制自我声明.docx", "佐证材料-碳排放监测机制说明.docx"],
    "meeting_notice_docx": ["关于召开安全生产工作会议的通知.docx"],
    "platform_provincial_docx": ["中小企业公共服务示范平台认定文件.docx"],
}

# the claims each readable (DOCX/XLSX) kind backs: the 汇编 need not repeat them
READABLE_BACKS = {"carbon_decl_docx": {CARBON_OPTION}}


def meeting_notice(p, ys, rng, date) -> tuple[bytes, dict]:
    """A file that backs nothing on the form: a 会议通知 about work safety filed with the evidence."""
    y = ys[2] + 1

    def body(doc):
        _p(doc, f"关于召开{y}年全县安全生产工作会议的通知", align=WD_ALIGN_PARAGRAPH.CENTER, size=20, east="方正小标宋简体")
        _p(doc, "各乡（镇）人民政府、街道办事处，县直有关单位：", indent=False)
        _p(doc, f"经县人民政府同意，定于{y}年{rng.randint(2, 4)}月{rng.randint(1, 28)}日上午9:00在县政府三楼会议室召开"
                f"全县安全生产工作会议。现将有关事项通知如下：")
        _p(doc, "一、会议内容：传达上级安全生产工作会议精神，总结上年度安全生产工作，安排部署本年度安全生产重点工作。")
        _p(doc, "二、参会人员：各乡（镇）分管安全生产工作的负责同志，县应急管理局、县消防救援大队主要负责同志。")
        _p(doc, "三、有关要求：请参会人员提前10分钟到达会场签到，会议期间请将手机调至静音状态。无特殊情况不得请假。")
        _p(doc, f"联系人：{rng.choice('王李张刘陈杨')}{rng.choice('伟芳敏静强磊')}，电话：{rng.randint(2000000, 8999999)}。")
        _p(doc)
        _p(doc, f"{p['county_full']}安全生产委员会办公室", align=WD_ALIGN_PARAGRAPH.RIGHT)
        _p(doc, date, align=WD_ALIGN_PARAGRAPH.RIGHT)

    return _docx(body), dict(kind="unrelated", attests=[], values={})


def provincial_platform_notice(p, ys, rng, date) -> tuple[bytes, dict]:
    """The 省级 (not the 国家) public-service demonstration platform 认定通知."""
    from .evidence_book import ABBR, dept
    y = ys[1]
    d = dept(p)

    def body(doc):
        _p(doc, f"关于认定{y}年度省级中小企业公共服务示范平台的通知", align=WD_ALIGN_PARAGRAPH.CENTER, size=20,
           east="方正小标宋简体")
        _p(doc, f"{ABBR.get(p['province'], '省')}工信中小〔{y}〕{rng.randint(20, 200)}号", align=WD_ALIGN_PARAGRAPH.CENTER)
        _p(doc, "各市中小企业主管部门：", indent=False)
        _p(doc, f"经企业申报、市级推荐和专家评审，认定{p['county_full']}中小企业公共服务中心等{rng.randint(20, 60)}家平台为"
                f"{y}年度省级中小企业公共服务示范平台，有效期三年。")
        _p(doc)
        _p(doc, d, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _p(doc, f"{y}年{rng.randint(9, 12)}月{rng.randint(1, 28)}日", align=WD_ALIGN_PARAGRAPH.RIGHT)

    return _docx(body), dict(kind="certificate", attests=[], values={})


def write_evidence(kind: str, p: dict, f: dict, ys: list[int], rng: random.Random, date: str,
                   stated: dict | None = None):
    """One evidence file of ``kind``; ``stated`` (planted) overrides figures the file states."""
    name = rng.choice(NAMES[kind]).format(**p)
    if kind == "stats_docx":
        data, meta = stats_certificate(p, f, ys, rng, date, stated)
    elif kind == "carbon_decl_docx":
        data, meta = carbon_declaration(p, f, ys, rng, date)
    elif kind == "enterprise_xlsx":
        data, meta = enterprise_list(p, f, ys, rng, stated)
    elif kind == "patent_xlsx":
        data, meta = patent_list(p, f, ys, rng)
    elif kind == "cert_brand_png":
        data, meta = brand_certificate(p, ys, rng)
    elif kind == "cert_platform_png":
        data, meta = platform_certificate(p, ys, rng)
    elif kind == "cert_chainmap_png":
        data, meta = chainmap_cover(p, ys, rng)
    elif kind == "meeting_notice_docx":
        data, meta = meeting_notice(p, ys, rng, date)
    elif kind == "platform_provincial_docx":
        data, meta = provincial_platform_notice(p, ys, rng, date)
    else:  # pragma: no cover
        raise ValueError(kind)
    return name, data, {"file": name, **meta}
