"""Narrative cells (≤200字 each), the section 八 plan and the recommendation, built from a
cluster profile and its figures so that every number quoted in prose equals the form's.
"""
from __future__ import annotations

import math
import random

from .clusters import DEFAULT_WORDS


def pack(sentences: list[str], limit: int, min_len: int = 0) -> str:
    """Greedy: keep sentences in order while the text stays within limit characters."""
    out = ""
    for s in sentences:
        if len(out) + len(s) <= limit:
            out += s
    assert min_len <= len(out) <= limit, (len(out), out)
    return out


def build_context(rng: random.Random, p: dict, fig: dict) -> dict:
    f, ys = fig["fields"], fig["years"]
    y1, y2, y3 = ys
    ctx = dict(DEFAULT_WORDS)
    ctx.update({k: v for k, v in p.items() if isinstance(v, str)})
    ctx.update(
        Y1=y1, Y2=y2, Y3=y3, Y4=y3 + 1, Y5=y3 + 2, Y6=y3 + 3,
        city_full=p["city"] + ("州" if p["city"].endswith("南") else "市"),
        products_str="、".join(p["products"][:3]), products_all="、".join(p["products"]),
        firm1=p["firms"][0], firm2=p["firms"][1], firm3=p["firms"][2],
        univ1=p["univ"][0], univ2=p["univ"][1],
        total1=f"{f[f'industry.total_output.{y1}']:.2f}", total3=f"{f[f'industry.total_output.{y3}']:.2f}",
        lead3=f"{f[f'industry.leading_share.{y3}']:.2f}", sme3s=f"{f[f'industry.sme_share.{y3}']:.2f}",
        cagr=f"{f['industry.leading_cagr']:.2f}",
        ent3=f[f"industry.enterprises.{y3}"], sme3=f[f"industry.smes.{y3}"],
        spec3=f[f"industry.specialized.{y3}"], lg3=f[f"industry.little_giants.{y3}"],
        ht3=f[f"industry.hightech.{y3}"], champ3=f[f"industry.champions.{y3}"],
        rd3=f"{f[f'innovation.rd_intensity.{y3}']:.2f}", rdg3=f"{f[f'innovation.rd_growth.{y3}']:.2f}",
        pat=f["innovation.sme_patents"], patg=f"{f['innovation.patent_growth']:.2f}",
        per10k=f"{f['innovation.patents_per_10k']:.2f}", emp=f["innovation.sme_employees"],
        cloud=f"{f['digital.cloud_ratio']:.2f}", iiot=f"{f['digital.iiot_rate']:.2f}",
        sw1=f"{f[f'digital.software_spend.{y1}']:.2f}", sw3=f"{f[f'digital.software_spend.{y3}']:.2f}",
        co2_1=f"{f[f'green.co2_intensity.{y1}']:.2f}", co2_3=f"{f[f'green.co2_intensity.{y3}']:.2f}",
        energy=f"{f['green.energy_reduction']:.2f}", waste=f"{f['green.waste_utilization']:.2f}",
        water=f"{f['green.water_reuse']:.2f}", br=f["open.overseas_branches"],
        exg3=f"{f[f'open.export_growth.{y3}']:.2f}", area=f"{p['area']:.2f}",
        nat_plat="、".join(p["plat_nat"]) or "", prov_plat="、".join(p["plat_prov"][:2]),
        std3=sum(v for k, v in f.items() if k.startswith(f"innovation.standards.{y3}.")),
    )
    ri = rng.randint
    ctx.update(
        proj=ri(12, 36), inv=f"{rng.uniform(8, 40):.1f}", proj2=ri(4, 11), localpt=ri(55, 82),
        supp=ri(6, 18), whs=f"{rng.uniform(1.2, 6.5):.1f}", eqpt=ri(12, 25), svc=ri(60, 260), costpt=ri(6, 15),
        ledn=ri(20, 70), tm=ri(1, 4), famous=ri(3, 12), iso=ri(40, 160), tests=ri(800, 4000), passpt=ri(95, 99),
        labs=ri(3, 9), proj3=ri(8, 30), diag=ri(30, 120), lhrh=ri(10, 40), swg=f"{(f[f'digital.software_spend.{y3}'] / f[f'digital.software_spend.{y1}'] - 1) * 100:.2f}",
        conn=ri(30, 150), eff=ri(12, 30), defect=ri(10, 35), idn=ri(40, 200), keyn=ri(15, 45), talks=ri(6, 20),
        diag2=ri(40, 160), greenn=ri(2, 8), ncountry=ri(12, 45), stations=ri(3, 8), staff=ri(8, 25),
        svc2=ri(800, 3500), fin=f"{rng.uniform(3, 18):.1f}", satis=ri(92, 98),
    )
    return ctx


NARRATIVE_SENTENCES: dict[str, list[str]] = {
    "industry.chain_text": [
        "集群围绕{industry}全产业链，构建了“{upstream}—{midstream}—{downstream}”的完整链条。",
        "{Y1}年以来累计引进{industry}相关项目{proj}个、总投资{inv}亿元，其中补链延链项目{proj2}个。",
        "以{firm1}、{firm2}等龙头企业为牵引，落实“链长制”，编制重点招商清单和产业链图谱，开展以商招商、驻点招商。",
        "{Y3}年本地配套率提高到{localpt}%。",
        "集群产业链关键环节配套能力持续增强。",
        "下一步将围绕{risk_point}精准招商。",
        "链主企业带动作用明显。",
    ],
    "industry.risk_text": [
        "集群每年组织开展供应链风险排查，重点评估{raw}等原材料价格波动、关键设备依赖外部供应、物流中断等风险。",
        "经评估，集群在{risk_point}方面仍存在短板。",
        "针对风险点，建立重点企业原料储备和替代供应商名录，与{supp}家上游供应商签订长期供货协议，",
        "依托{operator_short}建立供应链预警机制，供应链总体风险可控。",
        "每半年更新一次风险清单。",
        "重点企业已制定供应链应急预案。",
        "风险总体可控。",
    ],
    "industry.sharing_text": [
        "{park}建成共享仓储{whs}万平方米和共享检测中心，为中小企业提供{share_items}等共享服务。",
        "{firm2}牵头组建共享工厂，向中小企业开放{equipment}等通用设备{eqpt}台（套）。",
        "集群建立了物流集中配送和人力资源共享机制，年服务企业{svc}家次，降低企业综合成本约{costpt}%。",
        "共享制造已成为集群中小企业降本增效的重要途径。",
        "共享服务实现线上预约。",
        "设备闲置率明显下降。",
    ],
    "industry.synergy_text": [
        "集群与{partner_cluster}开展跨区域产业协作，{firm1}与{big_firm}建立了长期稳定的配套关系。",
        "{park}获评{base_title}。",
        "龙头企业通过订单共享、技术输出、标准引领等方式，带动{ledn}家中小企业进入配套体系，形成大中小企业融通发展格局。",
        "协同发展成效逐年显现。",
        "本地配套关系更加稳定。",
        "融通发展格局初步形成。",
    ],
    "industry.brand_text": [
        "集群坚持质量兴链、品牌强链，“{brand}”完成{brand_cert}。",
        "现有中国驰名商标{tm}件、省级名牌产品{famous}个，{iso}家企业通过ISO9001质量管理体系认证。",
        "依托{quality_platform}开展质量诊断和检验检测服务，近三年累计检测{tests}批次，产品抽检合格率保持在{passpt}%以上。",
        "区域品牌影响力不断提升。",
        "品牌价值逐年提高。",
        "质量基础持续夯实。",
    ],
    "innovation.text": [
        "集群与{univ1}、{univ2}等高校院所建立产学研合作关系，共建联合实验室和研发中心{labs}个。",
        "{Y3}年集群中小企业研发投入强度达到{rd3}%，研发经费增长{rdg3}%，有效发明专利拥有量{pat}件。",
        "围绕{tech}等共性技术组织联合攻关，实施科技项目{proj3}项，",
        "{Y3}年主持或参与制修订标准{std3}项。",
        "科技成果转化率逐年提高。",
        "创新合作机制日益完善。",
        "产学研合作持续深化。",
    ],
    "digital.service_text": [
        "集群引入{dig_vendor}等数字化服务商，为中小企业提供数字化诊断和系统解决方案。",
        "截至{Y3}年底，企业上云比例达到{cloud}%，工业互联网平台应用普及率达到{iiot}%。",
        "{Y3}年集群企业工业软件采购金额{sw3}万元，较{Y1}年增长{swg}%；",
        "累计完成数字化诊断{diag}家，推动{lhrh}家企业开展两化融合管理体系贯标。",
        "数字化服务体系日趋完善。",
        "重点企业数据实现联通。",
        "数字化水平稳步提升。",
    ],
    "digital.newmode_text": [
        "{firm1}建成{smart_project}，入选{pilot_title}。",
        "集群推广{newmode}等新模式，{conn}家企业实现生产设备联网和数据采集，生产效率平均提升{eff}%，产品不良率下降{defect}%。",
        "依托{iiot_platform}开展工业互联网标识解析应用，接入企业{idn}家。",
        "新模式新业态应用范围不断扩大。",
        "示范带动效应明显。",
        "数字化改造持续推进。",
    ],
    "green.carbon_text": [
        "集群建立了碳排放监测机制，对{keyn}家重点用能企业实施能耗在线监测，按季度核算碳排放数据。",
        "{Y1}—{Y3}年单位产值二氧化碳排放量由{co2_1}吨/万元下降到{co2_3}吨/万元。",
        "结合“节能宣传周”“全国低碳日”开展碳达峰碳中和政策宣传{talks}场次，组织企业参加碳排放核算培训，引导企业制定减碳方案。",
        "碳排放强度持续下降。",
        "监测数据按季度通报。",
        "减碳工作成效明显。",
    ],
    "green.resource_text": [
        "集群积极推进能源和资源综合利用，{Y3}年大宗工业固废综合利用率{waste}%，工业用水重复利用率{water}%。",
        "{firm2}实施{resource_project}，{resource_effect}。",
        "近三年单位工业产值能耗累计降低{energy}%，推广{clean_energy}等清洁能源。",
        "资源利用效率稳步提高。",
        "循环利用体系基本建立。",
        "节能降耗成效明显。",
    ],
    "green.service_text": [
        "集群引入{green_vendor}等服务机构，为企业提供节能诊断、清洁生产审核和碳排放核算服务。",
        "近三年累计开展节能诊断{diag2}家次，{greenn}家企业获评{green_title}。",
        "园区建成{green_facility}，绿色低碳公共服务能力持续提升。",
        "绿色低碳服务实现集群企业全覆盖。",
        "服务质量不断提升。",
        "服务机制运行良好。",
    ],
    "open.text": [
        "集群产品出口{markets}等{ncountry}个国家和地区，{Y3}年主导产品出口贸易额增长{exg3}%。",
        "组织企业参加{expo}、中国国际中小企业博览会等展会，",
        "{firm1}等企业在境外设立分支机构{br}个。",
        "引进{foreign_tech}，与{foreign_partner}开展技术交流合作。",
        "国际化水平稳步提升。",
        "外贸订单保持增长。",
        "境外市场不断拓展。",
    ],
    "governance.text": [
        "集群由{operator}负责运营管理，设立{service_center}，配备专职服务人员{staff}名。",
        "建立“{governance_mech}”集群治理机制，每季度召开企业座谈会，惠企政策宣贯覆盖集群全部企业。",
        "近三年累计为企业提供信息、培训、融资等服务{svc2}家次，帮助企业获得融资{fin}亿元，企业满意度达到{satis}%。",
        "治理和服务能力明显增强。",
        "服务企业实现全覆盖。",
        "企业获得感持续增强。",
    ],
}


def narratives(rng: random.Random, ctx: dict, p: dict) -> dict[str, str]:
    out = {}
    for fid, sents in NARRATIVE_SENTENCES.items():
        s = [x.format(**ctx) for x in sents]
        if fid == "open.text" and ctx["br"] == 0:
            s = [x for x in s if "分支机构" not in x]
        limit = rng.choice([200, 200, 198, 190, 175, 160])
        text = pack(s, limit, min_len=60)
        # a few cells are written as two paragraphs (the reader joins them with "\n")
        if rng.random() < 0.25 and "。" in text[:-1]:
            cut = text.index("。") + 1
            text = text[:cut] + "\n" + text[cut:]
        out[fid] = text
    return out


# ------------------------------------------------------------------------ plan (section 八)
def plan_targets(rng: random.Random, p: dict, fig: dict) -> list[dict]:
    """Rows of the 三年总体目标 table: direction, indicator, baseline cell, target cell.

    Rows are written in printed order; a printed '......' row is either left empty
    (indicator '......', no values) or filled by the applicant with an extra indicator.
    """
    f, ys = fig["fields"], fig["years"]
    y3 = ys[2]
    q3 = fig["aux"]["quality3"]
    pats = f["innovation.sme_patents"]
    co2 = f[f"green.co2_intensity.{y3}"]
    ei = fig["aux"]["energy_intensity"]
    fill = rng.random

    def near(base, factor, lo, hi):
        """base × factor as printed text, rounded to 2 decimals and nudged so the printed ratio
        stays in [lo, hi]; a small base whose 0.01 step is wider than the window (0.43 × 0.85)
        is printed with one more decimal instead."""
        for places in (2, 3, 4):
            step = 10 ** -places
            t = round(base * factor, places)
            for _ in range(5):
                if t / base < lo:
                    t = round(t + step, places)
                elif t / base > hi:
                    t = round(t - step, places)
            if lo <= t / base <= hi:
                return f"{t:.{places}f}"
        raise AssertionError((base, factor, lo, hi))

    def pct(x):
        return f"{x:.2f}%"

    cagr_t = round(rng.uniform(8, 13), 0)
    rows = [
        ("主导产业", "集群产值年均增速", pct(f["industry.leading_cagr"]), pct(cagr_t)),
        ("主导产业", "优质中小企业数量", f"{q3}家", f"{q3 + rng.randint(4, 12)}家"),
    ]
    if fill() < 0.55:
        t3 = f[f"industry.total_output.{y3}"]
        rows.append(("主导产业", "集群总产值", f"{t3:.2f}亿元", f"{t3 * (1 + cagr_t / 100) ** 3:.2f}亿元"))
    else:
        rows.append(("主导产业", "......", "", ""))
    rd_t = round(rng.uniform(8, 12), 0)
    rows += [
        ("创新", "研发经费投入", pct(f[f"innovation.rd_growth.{y3}"]), pct(rd_t)),
        ("创新", "有效发明专利数量", f"{pats}件", f"{math.ceil(pats * 1.05 ** 3 * rng.uniform(1.04, 1.15))}件"),
    ]
    if fill() < 0.4:
        rd3 = f[f"innovation.rd_intensity.{y3}"]
        rows.append(("创新", "研发投入强度", pct(rd3), pct(rd3 + rng.uniform(0.3, 0.8))))
    else:
        rows.append(("创新", "......", "", ""))
    rows.append(("数字化", "工业互联网普及率", pct(f["digital.iiot_rate"]), pct(round(rng.uniform(29.5, 33), 0))))
    if fill() < 0.5:
        c = f["digital.cloud_ratio"]
        rows.append(("数字化", "企业上云比例", pct(c), pct(min(95, c + rng.uniform(8, 15)))))
    else:
        rows.append(("数字化", "......", "", ""))
    rows += [
        ("绿色化", "二氧化碳排放量", f"{co2:.2f}吨/万元", f"{near(co2, 0.85, 0.84, 0.86)}吨/万元"),
        ("绿色化", "单位工业产值能耗", f"{ei:.2f}吨标准煤/万元", f"{near(ei, 0.90, 0.885, 0.915)}吨标准煤/万元"),
    ]
    if fill() < 0.35:
        w = f["green.water_reuse"]
        rows.append(("绿色化", "工业用水重复利用率", pct(w), pct(min(98, w + rng.uniform(2, 4)))))
    else:
        rows.append(("绿色化", "......", "", ""))
    rows += [
        ("开放合作", "定性描述", f"产品出口{p['markets']}等地，境外分支机构{f['open.overseas_branches']}个",
         f"拓展“一带一路”市场，境外分支机构达到{f['open.overseas_branches'] + rng.randint(2, 4)}个"),
        ("治理和服务", "定性描述", "建立集群运营管理和公共服务体系",
         "公共服务平台服务企业全覆盖，形成共商共建共享治理格局"),
    ]
    if fill() < 0.3:
        rows.append(("其它", "产业工人技能培训", f"{rng.randint(8, 20) * 100}人次", f"{rng.randint(25, 40) * 100}人次"))
    else:
        rows.append(("其它", "......", "", ""))
    return [dict(direction=d, indicator=i, baseline=b, target=t) for d, i, b, t in rows]


PLAN_SECTIONS = [
    # (printed heading key, applicant paragraphs templates)
    ("intro", [
        "{cluster_name}位于{province}{city_full}{county_full}，以{products_all}为主导产品，集群核心区面积{area}平方公里。{Y3}年集群总产值{total3}亿元，主导产业产值占集群总产值的{lead3}%，中小企业产值占比{sme3s}%；集群企业{ent3}家，其中中小企业{sme3}家。",
        "近年来，{county_full}把{industry}产业作为县域经济的支柱产业来打造，出台了支持{industry}产业高质量发展的若干政策措施，在用地、融资、人才等方面给予集中支持。集群现有专精特新中小企业{spec3}家、专精特新“小巨人”企业{lg3}家、国家级高新技术企业和创新型中小企业{ht3}家，“{brand}”区域品牌知名度持续提升，已形成“{upstream}—{midstream}—{downstream}”较为完整的产业链，产业规模和综合实力位居全省同类集群前列。",
    ]),
    ("results", [
        "一是主导产业优势持续巩固。{Y1}—{Y3}年集群总产值由{total1}亿元增长到{total3}亿元，主导产业产值年均增长{cagr}%。二是创新活力不断增强，{Y3}年中小企业研发投入强度{rd3}%，有效发明专利{pat}件，每万人有效发明专利拥有量{per10k}件。",
        "三是数字化水平明显提升，企业上云比例{cloud}%，工业互联网平台应用普及率{iiot}%。四是绿色低碳转型加快，单位产值二氧化碳排放量由{co2_1}吨/万元降至{co2_3}吨/万元。五是开放合作不断深化，产品出口{markets}等地。六是治理和服务能力持续提升，{operator}统筹推进集群公共服务体系建设。",
    ]),
    ("problems", [
        "一是龙头企业带动能力仍需增强，中小企业普遍规模偏小、抗风险能力较弱；二是在{risk_point}等环节存在短板，高端人才和技术工人短缺；三是数字化转型发展不平衡，部分小微企业数字化基础薄弱；四是区域品牌附加值有待提高。",
    ]),
    ("approach", [
        "坚持以新发展理念为引领，聚焦{industry}主导产业，以“强链、补链、延链”为主线，以创新驱动、数字赋能、绿色转型为动力，做强龙头、做优配套、做响品牌，推动集群向专业化、特色化、集群化方向发展，打造具有全国影响力的{short}特色产业集群。",
    ]),
    ("goals", [
        "到{Y6}年，集群主导产业产值年均增长{cagr_t}%以上，优质中小企业数量达到{q_t}家，有效发明专利数量达到{pat_t}件，工业互联网普及率达到{iiot_t}，单位产值二氧化碳排放量较{Y3}年下降15%左右。",
    ]),
    ("stage1", ["{Y4}年：集群总产值达到{s1}亿元，新增优质中小企业{d1}家，新建数字化车间{d2}个。"]),
    ("stage2", ["{Y5}年：集群总产值达到{s2}亿元，有效发明专利数量达到{pat_mid}件，工业互联网普及率达到{iiot_mid}%。"]),
    ("stage3", ["{Y6}年：集群总产值达到{s3}亿元，全面完成三年总体目标。"]),
    ("tasks", [
        "一是做强主导产业。实施龙头企业培育和中小企业梯度培育行动，围绕{risk_point}等薄弱环节精准招商，提升本地配套率。",
        "二是提升创新能力。深化与{univ1}、{univ2}合作，围绕{tech}开展联合攻关，推动建设一批省级以上创新平台。",
        "三是推进数字化和绿色化转型。依托{iiot_platform}推广{newmode}等新模式，实施节能降碳改造，推广{clean_energy}。",
        "四是深化开放合作和提升服务能力。组织企业参加{expo}等展会，完善{service_center}功能，健全集群治理机制。",
    ]),
    ("safeguards", [
        "成立由{county_full}政府主要领导任组长的集群发展工作专班，统筹落实财政、金融、土地、人才等支持政策，将集群发展目标纳入年度考核，定期调度、跟踪评估，确保规划目标任务落到实处。",
    ]),
]


def plan_paragraphs(rng: random.Random, ctx: dict, targets: list[dict], fig: dict) -> dict[str, list[str]]:
    f, ys = fig["fields"], fig["years"]
    y3 = ys[2]
    t = {r["indicator"]: r for r in targets}
    cagr_t = float(t["集群产值年均增速"]["target"].rstrip("%"))
    t3 = f[f"industry.total_output.{y3}"]
    pats = f["innovation.sme_patents"]
    pat_t = int(t["有效发明专利数量"]["target"].rstrip("件"))
    iiot = f["digital.iiot_rate"]
    iiot_t = float(t["工业互联网普及率"]["target"].rstrip("%"))
    c = dict(ctx)
    c.update(
        cagr_t=f"{cagr_t:.0f}", q_t=t["优质中小企业数量"]["target"].rstrip("家"), pat_t=pat_t,
        iiot_t=t["工业互联网普及率"]["target"],
        s1=f"{t3 * (1 + cagr_t / 100):.2f}", s2=f"{t3 * (1 + cagr_t / 100) ** 2:.2f}",
        s3=f"{t3 * (1 + cagr_t / 100) ** 3:.2f}", d1=rng.randint(3, 8), d2=rng.randint(3, 10),
        pat_mid=(pats + pat_t) // 2, iiot_mid=f"{(iiot + iiot_t) / 2:.2f}",
    )
    out = {}
    for key, paras in PLAN_SECTIONS:
        out[key] = [x.format(**c) for x in paras]
    total = sum(len(x) for v in out.values() for x in v)
    assert total <= 2400, total
    return out


RECOMMENDATION = [
    "经审核，{cluster_name}申报材料真实、完整，集群主导产业特色鲜明，中小企业集聚度高，创新能力、数字化和绿色化水平较好，治理和服务体系较为健全，符合申报条件，同意推荐。",
    "该集群主导产业突出，发展基础好，产业链协作紧密，集群运营管理机构运行规范。经实地核查，申报材料真实有效，同意推荐申报。",
]


def recommendation(rng: random.Random, ctx: dict) -> str:
    return rng.choice(RECOMMENDATION).format(**ctx)
