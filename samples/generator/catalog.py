"""The printed form's option groups and field ids, transcribed from the seed form (003, 附件).

This is the generator's own transcription of ``docs/contract/form-fields.md``; it is kept
separate from the pipeline's catalogue on purpose, so the samples test the reader rather than
echo it.
"""
from __future__ import annotations

YES_NO = ["是", "否"]
YES_NO_NA = ["是", "否", "不涉及"]
YES_NO_NONIND = ["是", "否", "非工业集群，不适用"]

# group id -> (kind, printed option labels, printed layout)
#   layout: "lines" one option per paragraph, "inline" all in one paragraph, "grid3" three per line
GROUPS: dict[str, tuple[str, list[str], str]] = {
    "basic.industry_type": ("choice", ["第一产业", "第二产业", "第三产业"], "lines"),
    "basic.not_prohibited": ("choice", YES_NO, "lines"),
    "basic.no_accidents": ("choice", YES_NO, "lines"),
    "basic.no_violations": ("choice", YES_NO, "lines"),
    "basic.energy_efficiency": ("choice", YES_NO_NA, "lines"),
    "basic.water_efficiency": ("choice", YES_NO_NA, "lines"),
    "basic.provincial_cluster": ("choice", YES_NO, "lines"),
    "industry.chain_map": ("choice", YES_NO, "inline"),
    "industry.sharing": ("multi", [
        "建有产业链上下游产供销一体化协同协作机制",
        "建立共享制造机制，开展通用生产设备、物流、仓储、人力、设计等资源共享",
        "开展同类设备和产品的集中采销",
        "建立共享车间、共享工厂",
    ], "lines"),
    "industry.brand": ("multi", [
        "开展先进质量管理模式推广、品牌管理标准宣贯、质量诊断服务等工作",
        "获得集体商标、地理标志产品批准认证或证明商标通过注册",
        "建立品牌运营机制",
        "依托质量技术基础公共服务平台，提供计量、测试、认证等服务",
    ], "lines"),
    "innovation.measures": ("multi", [
        "绘制了集群主导产业技术路线图",
        "形成了集群技术难点清单或创新项目库",
        "建立了“揭榜挂帅”、“赛马”或众创众包等激励机制",
        "联合集群上下游企业，组建了创新联合体，并开展了产业链联合攻关",
        "集群引入了高等院校、科研院所开展核心和关键共性技术产学研协同创新",
    ], "lines"),
    "digital.software_rising": ("choice", YES_NO, "inline"),
    "digital.services": ("multi", [
        "引入了数字化系统解决方案服务商",
        "开展了数字化共性解决方案开发和诊断等服务",
        "开展了两化融合管理体系推广工作",
        "开展了智能制造能力成熟度评估或数据管理能力成熟度评估等推广工作",
    ], "lines"),
    "digital.newmodes": ("multi", [
        "建有国家智能制造、工业互联网以及其它国家新模式新业态试点示范项目",
        "建有省级智能制造、工业互联网以及其它国家新模式新业态试点示范项目",
        "开展了智能制造、工业互联网等新模式新业态创新应用推广",
    ], "lines"),
    "green.carbon_monitoring": ("choice", YES_NO, "inline"),
    "green.waste_above_avg": ("choice", YES_NO_NONIND, "inline"),
    "green.water_above_avg": ("choice", YES_NO_NONIND, "inline"),
    "green.resource_measures": ("multi", ["余热余压集中回收", "水资源梯级循环利用", "工业废弃物分类分级利用"], "lines"),
    "green.services": ("multi", ["绿色制造系统解决方案", "节能诊断与服务", "清洁生产水平评价", "节能系统建设运营",
                                 "碳排放、碳足迹核算"], "lines"),
    "open.activities": ("multi", [
        "建立或参与主导产业国际合作机制",
        "与境外产业园区形成较为稳定的合作关系",
        "引进了国际领先技术、先进管理经验或高端人才团队等",
        "参加中国国际中小企业博览会等展会类活动",
        "承办主导产业国际研讨会或技术交流会",
    ], "lines"),
    "governance.platforms": ("multi", [
        "建设或引入国家中小企业公共服务示范平台",
        "建设或引入省级中小企业公共服务示范平台",
        "建立了中小企业公共服务平台",
    ], "lines"),
    "governance.services": ("multi", ["信息服务", "创业辅导", "创新支持", "人员培训", "市场营销", "投融资服务", "管理咨询"],
                            "grid3"),
    "governance.measures": ("multi", [
        "建立了专业化发展促进机构、开展共商共建共享",
        "建立了中小企业合法权益保护机制",
        "建立了公共服务效果考核机制",
    ], "lines"),
}

NARRATIVES = [
    "industry.chain_text", "industry.risk_text", "industry.sharing_text", "industry.synergy_text",
    "industry.brand_text", "innovation.text", "digital.service_text", "digital.newmode_text",
    "green.carbon_text", "green.resource_text", "green.service_text", "open.text", "governance.text",
]

LEVELS = [("intl", "国际"), ("national", "国家"), ("industry", "行业"), ("group", "团体")]
ROLES = [("lead", "主持"), ("join", "参与")]

NOTE_EVIDENCE = "（注：勾选需提供佐证材料）"


def yearly(prefix: str, years: list[int]) -> list[str]:
    return [f"{prefix}.{y}" for y in years]
