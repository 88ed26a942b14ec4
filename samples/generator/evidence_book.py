"""The 佐证材料汇编: one section per ticked (证) claim of the form, as applicants compile them.

Each claim has a few ways of being shown — a certificate or 认定通知 reproduced (issuing
body, 文号, date, 证书编号), an agreement, a work record with dates and counts — worded as
such documents are, not as the form's option.  How a dossier compiles them varies with its
draws: one 汇编 or two volumes split by the form's sections, numbered headings with or without
Word heading styles, and some claims as separate certificate files.

``claim_sections(p, fields, ys, rng)`` gives the sections of the ticked claims (claim key,
title, paragraphs, certificate rows); ``write_books`` lays them out as DOCX files and returns
their expected ``evidence[]`` entries (``attests``: the claims each file has a section for).
"""
from __future__ import annotations

import io
import random

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from .catalog import GROUPS
from .clusters import DEFAULT_WORDS
from .ooxml import Fonts, add_text, fixed_zip_bytes, set_rfonts

ABBR = {"贵州省": "黔", "广西壮族自治区": "桂", "广东省": "粤", "甘肃省": "甘", "浙江省": "浙", "河北省": "冀"}
CN_NUM = "一二三四五六七八九十"
# (not the form's own section headings: a file that repeats six of them reads as a copy of the form)
SECTION_TITLES = {"industry": "主导产业发展", "innovation": "协同创新", "digital": "数字化转型",
                  "green": "绿色低碳发展", "open": "开放合作", "governance": "公共服务与集群治理"}
# evidence-bearing groups in form order; choice groups back their 是
CLAIM_GROUPS = ["industry.chain_map", "industry.sharing", "industry.brand", "innovation.measures", "digital.services",
                "digital.newmodes", "green.carbon_monitoring", "green.resource_measures", "green.services",
                "open.activities", "governance.platforms", "governance.services", "governance.measures"]


def dept(p: dict) -> str:
    return "浙江省经济和信息化厅" if p["province"] == "浙江省" else f"{p['province']}工业和信息化厅"


def ticked_claims(fields: dict) -> list[str]:
    """Every ticked (证) claim of the form, in form order ("group:label")."""
    out = []
    for g in CLAIM_GROUPS:
        v = fields.get(g)
        if GROUPS[g][0] == "choice":
            if v == "是":
                out.append(f"{g}:是")
        else:
            out += [f"{g}:{lb}" for lb in GROUPS[g][1] if isinstance(v, list) and lb in v]
    return out


class Words:
    """The draws one dossier's texts use: dates, document numbers, counts."""

    def __init__(self, p: dict, ys: list[int], rng: random.Random):
        self.p, self.ys, self.rng = p, ys, rng
        self.abbr = ABBR.get(p["province"], "省")

    def year(self) -> int:
        return self.rng.choice(self.ys)

    def date(self, y: int | None = None) -> str:
        y = y or self.year()
        return f"{y}年{self.rng.randint(1, 12)}月{self.rng.randint(1, 28)}日"

    def wenhao(self, org: str, y: int | None = None) -> str:
        y = y or self.year()
        return f"{org}〔{y}〕{self.rng.randint(12, 260)}号"

    def n(self, a: int, b: int) -> int:
        return self.rng.randint(a, b)

    def firm(self) -> str:
        return self.rng.choice(self.p["firms"])

    def pick(self, *alts):
        return self.rng.choice(alts)


def _sections(p: dict, w: Words) -> dict[str, list]:
    """claim → alternatives, each (title, [paragraphs], [(certificate field, value)] or None)."""
    p = {**DEFAULT_WORDS, **p}
    f1, f2, f3 = p["firms"]
    u1, u2 = p["univ"]
    cty, op, short, ind = p["county_full"], p["operator"], p["short"], p["industry"]
    prov, dp = p["province"], dept(p)
    y = w.year
    newmode = p.get("newmode") or "个性化定制、网络化协同"
    svc_center = f"{cty}中小企业公共服务中心"
    s: dict[str, list] = {}

    s["industry.chain_map:是"] = [
        (f"{short}产业链图谱", [f"{op}组织编制了《{short}产业链图谱》，梳理“{p['upstream']}—{p['midstream']}—{p['downstream']}”"
                             f"各环节重点企业{w.n(40, 160)}家，标注缺链、弱链环节{w.n(4, 12)}个，作为精准招商的依据。",
                             f"图谱于{w.date()}经{p['applicant']}审定印发，每年更新一次。"], None),
        ("产业链全景图及招商图谱", [f"集群按照“链长制”工作要求绘制了{ind}产业链全景图和招商图谱，明确上游{p['upstream']}、"
                            f"中游{p['midstream']}、下游{p['downstream']}的重点企业和招商方向。"], None),
    ]
    s["industry.sharing:建有产业链上下游产供销一体化协同协作机制"] = [
        ("产供销一体化协同协作机制", [f"{op}牵头制定《{short}产业链上下游协作办法》，由{f1}等链主企业与{w.n(12, 40)}家配套企业"
                              f"签订产供销合作协议，定期召开供需对接会，{y()}年本地配套采购额同比增长{w.n(8, 25)}%。"], None),
        ("上下游协作机制建设情况", [f"集群建立了“链主+配套”上下游协同协作机制，{f1}、{f2}与本地配套企业形成稳定的产供销关系，"
                            f"按月通报订单和产能信息。"], None),
    ]
    s["industry.sharing:建立共享制造机制，开展通用生产设备、物流、仓储、人力、设计等资源共享"] = [
        ("共享制造机制", [f"集群依托{p['park']}搭建共享制造服务平台，向园区企业开放{p['equipment']}等通用设备{w.n(12, 40)}台（套），"
                      f"统筹{p['share_items']}等资源，{y()}年累计服务企业{w.n(60, 240)}家次。"], None),
        ("制造资源共享情况", [f"《{short}共享制造管理办法》明确设备、物流、仓储、人力和设计资源的共享规则，"
                        f"由{p['operator_short']}负责日常调度，入驻企业按使用时长结算费用。"], None),
    ]
    s["industry.sharing:开展同类设备和产品的集中采销"] = [
        ("集中采购和联合销售", [f"{op}组织{w.n(15, 45)}家企业对{p['raw']}等大宗原辅料开展集中采购，{y()}年采购成本平均下降"
                          f"{w.n(5, 12)}%；对{p['products'][0]}等同类产品统一对外报价、集中销售。"], None),
        ("同类设备和产品集采情况", [f"集群企业联合采购同类生产设备{w.n(20, 80)}台（套），并通过统一采购平台集中采购原辅材料。"], None),
    ]
    s["industry.sharing:建立共享车间、共享工厂"] = [
        ("共享车间", [f"{p['park']}建成共享车间{w.n(2, 6)}个、面积{w.n(3, 18)}千平方米，由{p['operator_short']}统一运营，"
                    f"小微企业可按订单租用生产线，现入驻企业{w.n(8, 30)}家。"], None),
        ("共享工厂建设情况", [f"{f2}牵头建设的共享工厂于{w.date()}投入运营，为集群小微企业提供来料加工和代工服务。"], None),
    ]
    s["industry.brand:开展先进质量管理模式推广、品牌管理标准宣贯、质量诊断服务等工作"] = [
        ("质量管理模式推广和质量诊断", [f"{cty}市场监督管理局在集群推广卓越绩效等先进质量管理模式，组织品牌管理标准宣贯会"
                                f"{w.n(3, 9)}场，为{w.n(20, 60)}家企业开展质量诊断。"], None),
        ("质量提升行动", [f"集群开展质量提升行动，推行首席质量官制度，{w.n(10, 40)}家企业通过质量管理体系认证。"], None),
    ]
    kind = "证明商标" if "证明" in p["brand_cert"] or "地理标志" in p["brand_cert"] else "集体商标"
    s["industry.brand:获得集体商标、地理标志产品批准认证或证明商标通过注册"] = [
        (f"“{p['brand']}”{kind}注册证", [f"“{p['brand']}”经国家知识产权局核准注册为{kind}，注册人为{cty}{ind[:2]}产业协会。"],
         [("商标", p["brand"]), ("商标类型", kind), ("注册号", f"第{w.n(10000000, 69999999)}号"),
          ("核定使用商品", "、".join(p["products"][:2])), ("发证机关", "国家知识产权局")]),
        ("商标注册证书", [f"{cty}{ind[:2]}产业协会申请的“{p['brand']}”{kind}于{w.date(w.ys[0] - 2)}获准注册，"
                    f"注册有效期十年。"], None),
    ]
    s["industry.brand:建立品牌运营机制"] = [
        ("品牌运营机制", [f"{op}成立{short}区域公用品牌运营中心，制定品牌授权使用管理办法，已授权{w.n(10, 40)}家企业使用区域公用品牌。"], None),
        ("区域公用品牌运营情况", [f"“{p['brand']}”区域公用品牌由{p['operator_short']}统一运营，建立品牌准入、授权和退出制度。"], None),
    ]
    s["industry.brand:依托质量技术基础公共服务平台，提供计量、测试、认证等服务"] = [
        ("质量技术基础公共服务", [f"{p['quality_platform']}为集群企业提供计量校准、检验检测和认证咨询一站式服务，{y()}年出具检验检测报告"
                            f"{w.n(800, 4000)}份。"], None),
        (f"{p['quality_platform']}服务情况", [f"{p['quality_platform']}具备检验检测机构资质认定证书，开展计量、测试和认证服务，"
                                           f"服务集群企业{w.n(60, 200)}家。"], None),
    ]
    s["innovation.measures:绘制了集群主导产业技术路线图"] = [
        ("主导产业技术路线图", [f"{op}联合{u1}编制《{short}产业技术路线图（{w.ys[2]}—{w.ys[2] + 5}年）》，"
                          f"明确{p['tech']}等重点技术方向和时间节点。"], None),
        ("技术路线图编制情况", [f"集群{ind}技术路线图于{w.date()}发布，分近期、中期、远期三个阶段部署关键技术攻关任务。"], None),
    ]
    s["innovation.measures:形成了集群技术难点清单或创新项目库"] = [
        ("技术难点清单和创新项目库", [f"集群征集企业技术难题，形成技术难点清单{w.n(15, 45)}项，建立创新项目库，"
                              f"入库项目{w.n(20, 80)}个，实行动态管理。"], None),
        ("创新项目库", [f"{p['operator_short']}建立{short}创新项目库，{y()}年入库项目{w.n(20, 60)}个，其中{w.n(5, 15)}个获得专项资金支持。"], None),
    ]
    s["innovation.measures:建立了“揭榜挂帅”、“赛马”或众创众包等激励机制"] = [
        ("“揭榜挂帅”激励机制", [f"{op}印发《{short}关键技术揭榜挂帅实施办法》，{y()}年发布榜单{w.n(3, 10)}项，"
                           f"{f1}等揭榜单位获奖励资金{w.n(50, 300)}万元。"], None),
        ("揭榜挂帅和赛马机制", [f"集群对{p['risk_point']}等难题实行揭榜挂帅、赛马制，按攻关成效兑现奖励。"], None),
    ]
    s["innovation.measures:联合集群上下游企业，组建了创新联合体，并开展了产业链联合攻关"] = [
        ("创新联合体", [f"由{f1}牵头，联合集群上下游企业{w.n(6, 15)}家组建{short}创新联合体，围绕{p['risk_point']}开展联合攻关，"
                     f"{y()}年完成攻关项目{w.n(3, 9)}项。"], None),
        ("产业链联合攻关", [f"{f1}、{f2}、{f3}等上下游企业签订联合攻关协议，共同承担{p['tech']}技术攻关。"], None),
    ]
    s["innovation.measures:集群引入了高等院校、科研院所开展核心和关键共性技术产学研协同创新"] = [
        ("产学研协同创新", [f"集群与{u1}、{u2}签订产学研合作协议，共建研发中心{w.n(2, 6)}个，{y()}年联合实施{p['tech']}"
                         f"等共性技术项目{w.n(4, 15)}项。"], None),
        ("校企合作情况", [f"{f2}与{u1}开展校企合作，共建联合实验室，转化科技成果{w.n(3, 12)}项。"], None),
    ]
    s["digital.services:引入了数字化系统解决方案服务商"] = [
        ("数字化系统解决方案服务商", [f"集群引入{p['dig_vendor']}等数字化转型服务商{w.n(3, 9)}家，签订服务协议，"
                              f"为企业提供上云、设备联网和生产管理系统部署服务。"], None),
        ("数字化服务商引进情况", [f"{op}与{p['dig_vendor']}签订合作协议，引入数字化服务商入驻{p['park']}。"], None),
    ]
    s["digital.services:开展了数字化共性解决方案开发和诊断等服务"] = [
        ("数字化诊断服务", [f"{y()}年组织服务商为{w.n(30, 120)}家企业开展数字化转型诊断，形成诊断报告和改造方案，"
                         f"开发{ind}行业数字化共性解决方案{w.n(2, 6)}套。"], None),
        ("数字化共性解决方案", ["针对中小企业数字化改造需求，集群开发数字化共性解决方案，免费提供诊断服务。"], None),
    ]
    s["digital.services:开展了两化融合管理体系推广工作"] = [
        ("两化融合管理体系推广", [f"集群组织两化融合管理体系贯标宣贯会{w.n(2, 6)}场，{w.n(10, 40)}家企业通过两化融合管理体系评定。"],
         [("证书名称", "两化融合管理体系评定证书"), ("获证企业", f1), ("证书编号", f"AIITRE-{w.n(10000, 99999)}IIIMS{w.n(1000, 9999)}"),
          ("发证日期", w.date())]),
        ("两化融合贯标情况", [f"{f1}、{f2}等企业完成两化融合管理体系贯标，获得评定证书。"], None),
    ]
    s["digital.services:开展了智能制造能力成熟度评估或数据管理能力成熟度评估等推广工作"] = [
        ("智能制造能力成熟度评估", [f"集群推广智能制造能力成熟度评估（CMMM），{y()}年{w.n(5, 20)}家企业完成评估，"
                             f"{f1}达到成熟度二级。"], None),
        ("成熟度评估推广工作", [f"{op}组织企业参加智能制造能力成熟度自评估，{w.n(10, 40)}家企业完成线上自诊断。"], None),
    ]
    nat_title = p["pilot_title"] if p["pilot_title"].startswith("国家") else "智能制造示范工厂"
    s["digital.newmodes:建有国家智能制造、工业互联网以及其它国家新模式新业态试点示范项目"] = [
        ("国家级智能制造试点示范", [f"根据《工业和信息化部办公厅关于公布{y()}年度智能制造示范工厂揭榜单位和优秀场景名单的通知》"
                             f"（{w.wenhao('工信厅通装函')}），{f1}“{p['smart_project']}”入选国家{nat_title}揭榜单位。"], None),
        ("工业和信息化部试点示范项目", [f"{f1}的{p['smart_project']}入选工业和信息化部{y()}年工业互联网试点示范项目。"], None),
    ]
    prov_title = p["pilot_title"] if not p["pilot_title"].startswith("国家") else f"{prov[:2]}省智能制造试点示范项目"
    s["digital.newmodes:建有省级智能制造、工业互联网以及其它国家新模式新业态试点示范项目"] = [
        ("省级智能制造试点示范", [f"根据{dp}《关于公布{y()}年{prov_title}名单的通知》（{w.wenhao(w.abbr + '工信')}），"
                           f"{f2}的{p['smart_project']}入选{prov_title}。"], None),
        (f"{prov_title}", [f"{f2}{p['smart_project']}项目经{dp}认定为省级智能制造试点示范项目。"], None),
    ]
    s["digital.newmodes:开展了智能制造、工业互联网等新模式新业态创新应用推广"] = [
        ("新模式新业态应用推广", [f"{op}联合{p['dig_vendor']}举办智能制造、工业互联网应用推广现场会{w.n(3, 9)}场，"
                           f"推广{newmode}等新模式，参会企业{w.n(60, 200)}家次。"], None),
        ("工业互联网应用推广", [f"依托{p['iiot_platform']}推广工业互联网应用，{y()}年新增接入企业{w.n(20, 90)}家。"], None),
    ]
    s["green.carbon_monitoring:是"] = [
        ("碳排放监测机制", [f"{op}建立集群碳排放监测机制，依托能耗在线监测系统对重点用能企业按月开展碳排放统计监测，"
                         f"监测结果报{cty}发展和改革局。"], None),
        ("集群碳排放监测", [f"《{short}碳排放监测管理办法》明确监测范围、核算方法和报送时限，由专人负责碳排放监测数据的汇总。"], None),
    ]
    s["green.resource_measures:余热余压集中回收"] = [
        ("余热余压回收利用", [f"{f1}等企业实施余热回收改造，{y()}年回收余热折合标准煤{w.n(800, 5000)}吨。"], None),
        ("余热余压集中回收", ["集群建设余热余压集中回收管网，向周边企业供应蒸汽和热水。"], None),
    ]
    s["green.resource_measures:水资源梯级循环利用"] = [
        ("水资源梯级循环利用", [f"{p['park']}建成中水回用设施，生产用水实行梯级利用，{y()}年回用水量{w.n(20, 90)}万吨。"], None),
        ("工业用水循环利用", [f"集群企业废水经处理后循环利用，园区循环水系统覆盖{w.n(10, 40)}家企业。"], None),
    ]
    s["green.resource_measures:工业废弃物分类分级利用"] = [
        ("工业废弃物分类分级利用", [f"集群对生产边角料、副产物实行分类收集、分级利用，{p['resource_project']}投运后{p['resource_effect']}。"], None),
        ("固废综合利用", [f"{p['park']}建成固废分拣中心，工业固废按类别回收综合利用。"], None),
    ]
    s["green.services:绿色制造系统解决方案"] = [
        ("绿色制造系统解决方案", [f"集群引入{p['green_vendor']}提供绿色制造系统解决方案服务，指导{w.n(2, 8)}家企业创建{p['green_title']}。"], None),
        ("绿色工厂创建服务", ["服务机构为集群企业提供绿色工厂创建辅导和绿色制造系统集成方案。"], None),
    ]
    s["green.services:节能诊断与服务"] = [
        ("节能诊断服务", [f"{y()}年组织节能诊断服务机构为{w.n(20, 60)}家企业开展节能诊断，提出节能改造建议{w.n(40, 160)}条。"], None),
        ("工业节能诊断", [f"{cty}工业和信息化部门委托第三方机构对集群重点用能企业开展节能诊断和能源审计。"], None),
    ]
    s["green.services:清洁生产水平评价"] = [
        ("清洁生产审核与评价", [f"集群{w.n(5, 20)}家企业完成清洁生产审核，通过{cty}生态环境部门组织的评估验收。"], None),
        ("清洁生产水平评价", [f"第三方机构对集群企业开展清洁生产水平评价，{f1}达到清洁生产先进水平。"], None),
    ]
    s["green.services:节能系统建设运营"] = [
        ("能源管理中心", [f"{p['park']}建成能源管控中心，以合同能源管理方式建设运营{p['clean_energy']}等节能系统。"], None),
        ("节能系统建设运营", [f"节能服务公司采用合同能源管理模式，为{w.n(5, 20)}家企业建设运营节能系统。"], None),
    ]
    s["green.services:碳排放、碳足迹核算"] = [
        ("碳足迹核算", [f"委托第三方机构对{p['products'][0]}等主要产品开展碳足迹核算，出具核算报告{w.n(3, 12)}份。"], None),
        ("企业碳排放核算", ["集群为重点企业提供碳排放核算服务，编制年度温室气体排放核算报告。"], None),
    ]
    s["open.activities:建立或参与主导产业国际合作机制"] = [
        ("国际合作机制", [f"{op}与{p['foreign_partner']}签署合作备忘录，建立{ind}国际合作机制，每年互访交流。"], None),
        ("参与国际产业联盟", [f"集群加入国际产业联盟，{f1}担任理事单位。"], None),
    ]
    s["open.activities:与境外产业园区形成较为稳定的合作关系"] = [
        ("与境外产业园区合作", [f"{p['park']}与{p['markets'].split('、')[0]}的境外产业园区签订友好园区协议，开展产能和市场合作。"], None),
        ("境外园区合作关系", [f"集群与境外经贸合作区建立稳定合作关系，{w.n(3, 10)}家企业入驻境外园区。"], None),
    ]
    s["open.activities:引进了国际领先技术、先进管理经验或高端人才团队等"] = [
        ("引进国外先进技术", [f"{f1}引进{p['foreign_tech']}，{y()}年完成消化吸收再创新。"], None),
        ("引进境外技术和人才团队", [f"集群引进境外技术团队{w.n(1, 4)}个，引进国外先进生产工艺{w.n(2, 6)}项。"], None),
    ]
    s["open.activities:参加中国国际中小企业博览会等展会类活动"] = [
        ("参加展会情况", [f"集群组织{w.n(10, 40)}家企业参加中国国际中小企业博览会和{p['expo']}等展会，现场签约{w.n(2, 9)}亿元。"], None),
        ("参展记录", [f"{y()}年集群企业参加{p['expo']}，设立{short}展区。"], None),
    ]
    s["open.activities:承办主导产业国际研讨会或技术交流会"] = [
        ("承办国际研讨会", [f"{y()}年{op}承办{ind}产业国际研讨会，邀请{w.n(8, 20)}个国家和地区的专家参会。"], None),
        ("国际技术交流会", [f"集群举办{short}国际技术交流会，{p['foreign_partner']}等境外机构参加。"], None),
    ]
    s["governance.platforms:建设或引入国家中小企业公共服务示范平台"] = [
        ("国家中小企业公共服务示范平台", [f"{svc_center}经工业和信息化部认定为国家中小企业公共服务示范平台"
                                 f"（{w.wenhao('工信部企业函')}）。"],
         [("证书名称", "国家中小企业公共服务示范平台"), ("认定单位", "中华人民共和国工业和信息化部"), ("认定时间", w.date())]),
        ("国家级示范平台认定文件", [f"工业和信息化部公布的国家中小企业公共服务示范平台名单中，{svc_center}列入其中。"], None),
    ]
    s["governance.platforms:建设或引入省级中小企业公共服务示范平台"] = [
        ("省级中小企业公共服务示范平台", [f"{dp}《关于认定{y()}年度省级中小企业公共服务示范平台的通知》（{w.wenhao(w.abbr + '工信中小')}），"
                                 f"{p['operator_short']}服务中心被认定为省级中小企业公共服务示范平台。"], None),
        ("省级示范平台证书", [f"{p['operator_short']}服务中心获{dp}授予省级中小企业公共服务示范平台称号。"], None),
    ]
    s["governance.platforms:建立了中小企业公共服务平台"] = [
        ("中小企业公共服务平台", [f"{op}建成{short}中小企业公共服务中心，设立服务窗口{w.n(4, 10)}个，配备专职人员{w.n(6, 20)}名。"], None),
        ("公共服务平台建设", [f"集群搭建中小企业服务中心，{w.date()}挂牌运营，统一受理企业服务需求。"], None),
    ]
    s["governance.services:信息服务"] = [
        ("信息服务", [f"{svc_center}通过公众号和服务群推送政策信息{w.n(300, 1500)}条，发布供需信息{w.n(100, 600)}条。"], None),
        ("政策信息推送", ["每月汇编惠企政策，向集群企业开展政策推送和信息发布服务。"], None),
    ]
    s["governance.services:创业辅导"] = [
        ("创业辅导", [f"集群建有创业孵化基地，聘请创业导师{w.n(8, 25)}名，{y()}年开展创业辅导{w.n(20, 80)}场。"], None),
        ("创业指导服务", [f"为返乡创业人员提供创业指导和孵化服务，孵化小微企业{w.n(10, 40)}家。"], None),
    ]
    s["governance.services:创新支持"] = [
        ("创新支持服务", [f"{svc_center}为企业提供技术咨询、知识产权服务和科技成果转化对接，{y()}年服务{w.n(40, 160)}家次。"], None),
        ("技术创新服务", ["集群设立技术创新服务站，提供研发设计服务和检测研发支持。"], None),
    ]
    s["governance.services:人员培训"] = [
        ("人员培训", [f"{y()}年举办经营管理和技能培训班{w.n(10, 40)}期，培训{w.n(800, 3500)}人次。"], None),
        ("职业技能培训", [f"联合职业院校开展岗位培训和职业技能培训，{w.n(300, 1200)}人取得职业技能等级证书。"], None),
    ]
    s["governance.services:市场营销"] = [
        ("市场营销服务", [f"组织产销对接活动{w.n(6, 20)}场，开展电商营销和直播带货培育，{y()}年网络销售额增长{w.n(10, 40)}%。"], None),
        ("市场开拓服务", ["帮助集群企业开展市场开拓和品牌营销，对接大型商超和电商平台。"], None),
    ]
    s["governance.services:投融资服务"] = [
        ("投融资服务", [f"{y()}年举办银企对接会{w.n(4, 12)}场，帮助企业获得贷款{w.n(3, 18)}亿元，提供融资担保{w.n(1, 5)}亿元。"], None),
        ("融资对接服务", [f"{svc_center}设立金融服务专窗，开展融资对接和投融资服务。"], None),
    ]
    s["governance.services:管理咨询"] = [
        ("管理咨询服务", [f"引入管理咨询机构为{w.n(20, 60)}家企业提供企业管理咨询和管理诊断服务。"], None),
        ("企业管理咨询", ["组织专家团队开展管理咨询服务，帮助企业完善财务、人力资源和生产管理制度。"], None),
    ]
    s["governance.measures:建立了专业化发展促进机构、开展共商共建共享"] = [
        ("集群发展促进机构", [f"成立{short}产业集群发展促进中心，作为专业化发展促进机构，按照{p['governance_mech']}原则运行，"
                           f"理事单位{w.n(15, 40)}家。"], None),
        ("共商共建共享机制", [f"{cty}{ind[:2]}产业促进会组织会员企业开展共商共建共享，每季度召开理事会。"], None),
    ]
    s["governance.measures:建立了中小企业合法权益保护机制"] = [
        ("中小企业合法权益保护", [f"{cty}设立中小企业维权服务站，建立中小企业合法权益保护机制，受理企业诉求{w.n(20, 90)}件，"
                            f"办结率100%。"], None),
        ("权益保护机制", ["集群建立涉企拖欠账款清理和权益保护工作机制，定期开展政策落实情况督查。"], None),
    ]
    s["governance.measures:建立了公共服务效果考核机制"] = [
        ("公共服务效果考核机制", [f"{op}制定公共服务效果考核办法，每年开展服务满意度测评，{y()}年满意度{w.n(92, 98)}%。"], None),
        ("服务质量评价", ["对入驻服务机构实行考核评价，考核结果与服务补贴挂钩。"], None),
    ]
    return s


def claim_sections(p: dict, fields: dict, ys: list[int], rng: random.Random,
                   skip: set[str] = frozenset()) -> list[dict]:
    """One section per ticked claim not in ``skip``: {claim, group, title, paras, cert}."""
    w = Words(p, ys, rng)
    alts = _sections(p, w)
    out = []
    for claim in ticked_claims(fields):
        if claim in skip:
            continue
        title, paras, cert = rng.choice(alts[claim])
        out.append({"claim": claim, "group": claim.split(".")[0], "title": title, "paras": paras, "cert": cert})
    return out


# ------------------------------------------------------------------ layout
FONTS = Fonts(body="仿宋_GB2312", latin="Times New Roman")


def _new_doc():
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.8)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    set_rfonts(normal.element.get_or_add_rPr(), "仿宋_GB2312", "Times New Roman")
    return doc


def _para(doc, text, *, size=None, bold=False, center=False, indent=True, east=None, style=None):
    par = doc.add_paragraph(style=style) if style else doc.add_paragraph()
    if center:
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        par.paragraph_format.first_line_indent = Pt(28)
    par.paragraph_format.line_spacing = 1.4
    add_text(par, text, FONTS, size=size, bold=bold, east=east)
    return par


def _render(title: str, subtitle: str, sections: list[dict], style: dict) -> bytes:
    doc = _new_doc()
    _para(doc, title, size=20, center=True, east="方正小标宋简体")
    if subtitle:
        _para(doc, subtitle, size=15, center=True)
    groups: list[str] = []
    for s in sections:
        if s["group"] not in groups:
            groups.append(s["group"])
    k = 0
    for gi, g in enumerate(groups):
        head = (f"第{CN_NUM[gi]}部分  {SECTION_TITLES[g]}" if style["level1"] == "part"
                else f"{CN_NUM[gi]}、{SECTION_TITLES[g]}")
        _para(doc, head, size=16, bold=True, indent=False, east="黑体",
              style="Heading 1" if style["word_headings"] else None)
        for j, s in enumerate([x for x in sections if x["group"] == g]):
            k += 1
            num = f"（{CN_NUM[j % 10]}）" if style["level2"] == "paren" else f"{k}."
            _para(doc, f"{num}{s['title']}", size=15, bold=True, indent=False, east="楷体_GB2312",
                  style="Heading 2" if style["word_headings"] else None)
            for t in s["paras"]:
                _para(doc, t)
            if s["cert"]:
                tbl = doc.add_table(rows=0, cols=2)
                tbl.style = "Table Grid"
                for a, b in s["cert"]:
                    r = tbl.add_row().cells
                    r[0].text, r[1].text = a, b
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip_bytes(buf.getvalue(), drop=("docProps/thumbnail.jpeg",))


BOOK_NAMES = ["佐证材料汇编.docx", "附件5 佐证材料.docx", "{short}产业集群佐证材料汇编.docx", "申报佐证材料（汇编）.docx"]
VOLUME_NAMES = ["佐证材料汇编（一）主导产业和创新能力.docx", "佐证材料汇编（二）数字化绿色化开放合作和治理.docx"]
FIRST_VOLUME = {"industry", "innovation"}


def _certificate_file(p: dict, s: dict) -> bytes:
    """One certificate or 认定文件 on its own: title, body, the certificate's fields as a table."""
    doc = _new_doc()
    _para(doc, s["title"], size=20, center=True, east="方正小标宋简体")
    for t in s["paras"]:
        _para(doc, t)
    tbl = doc.add_table(rows=0, cols=2)
    tbl.style = "Table Grid"
    for a, b in s["cert"]:
        r = tbl.add_row().cells
        r[0].text, r[1].text = a, b
    _para(doc, f"（复印件与原件一致  {p['operator']}）", indent=False)
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip_bytes(buf.getvalue(), drop=("docProps/thumbnail.jpeg",))


def write_books(p: dict, fields: dict, ys: list[int], rng: random.Random, skip: set[str] = frozenset()):
    """The 汇编 file(s) of one dossier, and some certificates as files of their own:
    [(name, bytes, expected evidence entry)]."""
    sections = claim_sections(p, fields, ys, rng, skip)
    style = {"level1": rng.choice(["cn", "part"]), "level2": rng.choice(["paren", "arabic"]),
             "word_headings": rng.random() < 0.5}
    title = f"{p['cluster_name']}申报佐证材料"
    out = []
    if rng.random() < 0.5:                  # certificates filed apart from the 汇编
        for s in [x for x in sections if x["cert"]]:
            name = f"证书-{s['title'].replace('“', '').replace('”', '')}.docx"
            out.append((name, _certificate_file(p, s), {"file": name, "kind": "certificate", "attests": [s["claim"]],
                                                          "values": {}}))
        sections = [x for x in sections if not x["cert"]]
    if rng.random() < 0.35 and len({s["group"] for s in sections}) > 2:
        vols = [[s for s in sections if s["group"] in FIRST_VOLUME], [s for s in sections if s["group"] not in FIRST_VOLUME]]
        names = VOLUME_NAMES
    else:
        vols, names = [sections], [rng.choice(BOOK_NAMES).format(**p)]
    for name, secs in zip(names, vols):
        if not secs:
            continue
        data = _render(title, "（佐证材料汇编）", secs, style)
        out.append((name, data, {"file": name, "kind": "evidence_book", "attests": [s["claim"] for s in secs],
                                 "values": {}}))
    return out
